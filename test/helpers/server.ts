import type { AddressInfo } from 'node:net';
import { InboundHandler } from '../../src/conversation/inbound.js';
import { createApp, type AppDeps } from '../../src/http/app.js';
import { ReplyComposer } from '../../src/conversation/replies.js';
import { HandoffDesk } from '../../src/handoff/desk.js';
import type { Translator } from '../../src/handoff/translate.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { seedDemoSchool } from '../../src/demo/seed.js';
import { createTestDb } from './db.js';
import { sharedClassifier } from './runtime.js';
import { TEST_AUTH_TOKEN, TEST_BASE_URL } from './twilioSigning.js';

/** Rate limits out of the way of functional tests; test/operations.test.ts sets its own. */
const UNLIMITED = { twilioPerSecond: 1_000_000, apiPerSecond: 1_000_000, teamsPerSecond: 1_000_000 };

/** The real app on a random loopback port, on a fresh database with the demo school. */
export async function startTestServer(opts: { authToken?: string | undefined; seed?: boolean; translator?: Translator; now?: () => Date; log?: Logger;
  /** More app options (metrics, rate limits, …) and config (METRICS_TOKEN, …). */
  app?: Partial<Omit<AppDeps, 'config'>> & { config?: Partial<AppDeps['config']> };
} = {}) {
  const { kb, classifier, absence } = await sharedClassifier();
  const { db, url: databaseUrl, cleanup } = await createTestDb();
  const log = opts.log ?? createLogger('silent');
  if (opts.seed !== false) await seedDemoSchool(db, log);
  const inbound = new InboundHandler(db, classifier, kb, absence, log);
  const authToken = 'authToken' in opts ? opts.authToken : TEST_AUTH_TOKEN;
  const desk = new HandoffDesk(db, new ReplyComposer(kb), opts.translator ?? null, opts.now);
  const { config: moreConfig, ...moreApp } = opts.app ?? {};
  const app = createApp({ config: { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: authToken, DATABASE_URL: databaseUrl, ...moreConfig }, db, inbound, kb, log, desk, ...(opts.now ? { now: opts.now } : {}), rateLimits: UNLIMITED, ...moreApp });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, db, databaseUrl, kb, inbound, desk,
    post: (path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      }),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await cleanup();
    },
  };
}
