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
 */
export async function startFaultProxy(prismUrl: string) {
  const faults: Fault[] = [];
  const requests: { path: string; form: URLSearchParams; answeredWith: number }[] = [];
  const target = new URL(prismUrl);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const fault = faults.shift();
      const record = (status: number) => requests.push({ path: req.url ?? '', form: new URLSearchParams(raw.toString()), answeredWith: status });
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
          record(up.statusCode ?? 0);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
