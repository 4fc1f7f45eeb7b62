import type { AddressInfo } from 'node:net';
import { InboundHandler } from '../../src/conversation/inbound.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { seedDemoSchool } from '../../src/demo/seed.js';
import { createTestDb } from './db.js';
import { sharedClassifier } from './runtime.js';
import { TEST_AUTH_TOKEN, TEST_BASE_URL } from './twilioSigning.js';

/** The real app on a random loopback port, on a fresh database with the demo school. */
export async function startTestServer(opts: { authToken?: string | undefined; seed?: boolean } = {}) {
  const { kb, classifier, absence } = await sharedClassifier();
  const { db, cleanup } = createTestDb();
  const log = createLogger('silent');
  if (opts.seed !== false) await seedDemoSchool(db, log);
  const inbound = new InboundHandler(db, classifier, kb, absence, log);
  const authToken = 'authToken' in opts ? opts.authToken : TEST_AUTH_TOKEN;
  const app = createApp({ config: { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: authToken }, db, inbound, kb, log });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, db, kb, inbound,
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
