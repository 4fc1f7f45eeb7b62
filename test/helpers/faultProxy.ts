import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  status: number;
  /** Twilio's error body, e.g. { code: 21610, message: '...' } */
  body?: Record<string, unknown>;
  /** Drop the connection instead of answering (a network error). */
  hangUp?: boolean;
}

/**
 * Sits between the SDK and the Prism mock of Twilio's API. Twilio's OpenAPI spec only
 * describes the 201 answer, so the error answers Twilio really gives (429, 21610, 5xx) are
 * injected here from a script; every other request goes to Prism, which validates it
 * against the contract. Records each request body so tests can check what was sent.
 *
 * Prism keeps no state, so a list of messages (GET …/Messages.json) would only ever show the
 * spec's example. With `listAccepted` on, the proxy still asks Prism (which checks the request
 * and gives the page's shape) and then fills the page with the messages Prism accepted here
 * for that To and From, newest first, each one Prism's example message with the accepted
 * message's sid, addresses, body and time: what Twilio would list.
 */
export async function startFaultProxy(prismUrl: string) {
  const faults: Fault[] = [];
  const requests: { path: string; form: URLSearchParams; answeredWith: number; at: number }[] = [];
  const accepted: { sid: string; to: string; from: string; body: string; at: Date }[] = [];
  const options = { listAccepted: false };
  const target = new URL(prismUrl);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const fault = faults.shift();
      const record = (status: number) => requests.push({ path: req.url ?? '', form: new URLSearchParams(raw.toString()), answeredWith: status, at: Date.now() });
      if (fault?.hangUp) {
        record(0);
        req.socket.destroy();
        return;
      }
      if (fault) {
        record(fault.status);
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: fault.status, more_info: 'https://www.twilio.com/docs/errors', ...fault.body }));
        return;
      }
      const upstream = http.request(
        { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            const status = up.statusCode ?? 502;
            let answer = Buffer.concat(parts);
            record(status);
            const isMessages = /\/Messages\.json(\?|$)/.test(req.url ?? '');
            if (isMessages && req.method === 'POST' && status === 201) {
              const form = new URLSearchParams(raw.toString());
              const sid = (JSON.parse(answer.toString()) as { sid: string }).sid;
              accepted.push({ sid, to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', at: new Date() });
            }
            if (isMessages && req.method === 'GET' && status === 200 && options.listAccepted) {
              const query = new URL(req.url ?? '', 'http://proxy').searchParams;
              const page = JSON.parse(answer.toString()) as { messages: Record<string, unknown>[]; next_page_uri: string | null; end: number };
              const example = page.messages[0] ?? {};
              page.messages = accepted
                .filter((m) => m.to === query.get('To') && m.from === query.get('From'))
                .reverse()
                .slice(0, Number(query.get('PageSize') ?? 50))
                .map((m) => ({ ...example, sid: m.sid, to: m.to, from: m.from, body: m.body, status: 'queued', date_created: m.at.toUTCString().replace('GMT', '+0000'), date_sent: null }));
              page.next_page_uri = null;
              page.end = Math.max(0, page.messages.length - 1);
              answer = Buffer.from(JSON.stringify(page));
            }
            const headers = { ...up.headers, 'content-length': String(answer.length) };
            delete headers['transfer-encoding'];
            res.writeHead(status, headers);
            res.end(answer);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    /** What Prism accepted (201) through this proxy, oldest first. */
    accepted,
    options,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
