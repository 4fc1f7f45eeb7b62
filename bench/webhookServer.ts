/**
 * The server side of bench/webhook.ts, run as a child process so that autocannon (in the
 * parent) and the server do not share one event loop, and so the memory figure is the
 * server's own. Two modes (argv[2]):
 *
 *   baseline  a bare express app with the same form parser and the same signature check as
 *             src/channels/twilio (verifyTwilioSignature → twilio.validateRequest), answering
 *             an empty TwiML <Response/>.
 *   app       the real app as test/helpers/server.ts assembles it. The classifier is trained
 *             once; then each `start` message opens the database at the URL it names (any URL
 *             src/db/client.ts accepts), listens, and `stop` reports the peak RSS of that run.
 *
 * Messages to the parent: { type: 'ready' } | { type: 'listening', port, rss } |
 * { type: 'stopped', peakRss, rssAtStart } | { type: 'error', message }.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { verifyTwilioSignature } from '../src/channels/twilio/signature.js';
import type { Db } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { TEST_AUTH_TOKEN as BENCH_AUTH_TOKEN, TEST_BASE_URL as BENCH_BASE_URL } from '../test/helpers/twilioSigning.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'listening'; port: number; rss: number }
  | { type: 'stopped'; peakRss: number; rssAtStart: number }
  | { type: 'error'; message: string };
export type ParentCommand = { cmd: 'start'; databaseUrl: string } | { cmd: 'stop' };

const send = (m: ChildMessage) => process.send?.(m);
const log = createLogger('silent');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
sampler.unref();

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1');
    server.once('listening', () => resolve(server)).once('error', reject);
  });
}

async function baseline() {
  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });
  app.post('/twilio/messages', form, verifyTwilioSignature(BENCH_BASE_URL, BENCH_AUTH_TOKEN, log), (_req, res) => {
    res.type('text/xml').send(EMPTY_TWIML);
  });
  const server = await listen(app);
  peakRss = process.memoryUsage().rss;
  const rssAtStart = peakRss;
  send({ type: 'listening', port: (server.address() as AddressInfo).port, rss: rssAtStart });
  process.on('message', (m: ParentCommand) => {
    if (m.cmd === 'stop') server.close(() => { send({ type: 'stopped', peakRss, rssAtStart }); process.exit(0); });
  });
}

async function realApp() {
  // Imported here, so the baseline process does not load (and count the memory of) the app.
  const [{ InboundHandler }, { ReplyComposer }, { createDb }, { HandoffDesk }, { createApp }, { sharedClassifier }] = await Promise.all([
    import('../src/conversation/inbound.js'), import('../src/conversation/replies.js'), import('../src/db/client.js'),
    import('../src/handoff/desk.js'), import('../src/http/app.js'), import('../test/helpers/runtime.js'),
  ]);
  const { kb, classifier, absence } = await sharedClassifier();
  let current: { server: Server; db: Db; rssAtStart: number } | null = null;
  send({ type: 'ready' });
  process.on('message', (m: ParentCommand) => {
    void (async () => {
      if (m.cmd === 'start') {
        const db = createDb(m.databaseUrl);
        const inbound = new InboundHandler(db, classifier, kb, absence, log);
        const desk = new HandoffDesk(db, new ReplyComposer(kb), null);
        // The per-IP limit (src/http/protection.ts) stays in the path but out of reach: Twilio
        // calls from many addresses, this benchmark from one.
        const app = createApp({
          config: { PUBLIC_BASE_URL: BENCH_BASE_URL, TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN, DATABASE_URL: m.databaseUrl }, db, inbound, kb, log, desk,
          rateLimits: { twilioPerSecond: 1_000_000 },
        });
        await db.$queryRawUnsafe('SELECT 1');
        const server = await listen(app);
        global.gc?.();
        peakRss = process.memoryUsage().rss;
        current = { server, db, rssAtStart: peakRss };
        send({ type: 'listening', port: (server.address() as AddressInfo).port, rss: peakRss });
      } else if (m.cmd === 'stop' && current) {
        const { server, db, rssAtStart } = current;
        current = null;
        await new Promise((resolve) => server.close(resolve));
        await db.$disconnect();
        send({ type: 'stopped', peakRss, rssAtStart });
      }
    })().catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
  });
  process.on('disconnect', () => process.exit(0));
}

const mode = process.argv[2];
(mode === 'baseline' ? baseline() : mode === 'app' ? realApp() : Promise.reject(new Error(`unknown mode ${mode}`)))
  .catch((err: unknown) => { send({ type: 'error', message: err instanceof Error ? err.message : String(err) }); process.exit(1); });
