import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { trackRequests } from '../src/http/shutdown.js';
import { createTestDb, TEST_DIALECT, type TestDb } from './helpers/db.js';
import { inboundParams, sign, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A POST whose body is sent in two parts, so it is in flight for as long as the test wants. */
function slowPost(port: number, urlPath: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(params).toString();
  const req = http.request({
    host: '127.0.0.1', port, path: urlPath, method: 'POST', agent: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers },
  });
  const response = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    req.on('response', (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, connection: res.headers.connection }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  response.catch(() => undefined); // observed by the test when it matters
  req.write(body.slice(0, 20));
  return { response, finish: () => req.end(body.slice(20)) };
}

describe('graceful shutdown of the real process (src/main.ts)', () => {
  let dir: string;
  let databaseUrl: string;
  let postgres: TestDb | null = null;
  let child: ChildProcess | null = null;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ouderlijn-shutdown-'));
    if (TEST_DIALECT === 'postgresql') {
      // A fresh schema migrated by the app's PostgreSQL runner (it writes _prisma_migrations).
      postgres = await createTestDb('postgresql');
      databaseUrl = postgres.url;
    } else {
      databaseUrl = `file:${path.join(dir, 'ouderlijn.db')}`;
      // The real migration CLI, as `npm start` and the Docker image run it: /readyz can be 200.
      await run(path.resolve('node_modules/.bin/prisma'), ['migrate', 'deploy'], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    }
  }, 60_000);
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = null;
  });
  afterAll(async () => {
    await postgres?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Starts `node --import tsx src/main.ts` on PORT=0 and waits until it answers (the classifier
   * trains first); the port is read from its "listening" log line, so no other process can take it.
   */
  async function start(env: Record<string, string>) {
    output = '';
    const { TWILIO_ACCOUNT_SID: _sid, MICROSOFT_APP_ID: _app, SMTP_URL: _smtp, ...inherited } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...inherited, NODE_ENV: 'test', PORT: '0', DATABASE_URL: databaseUrl, SEED_DEMO: 'true', LOG_LEVEL: 'info',
        PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
      child!.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
    const deadline = Date.now() + 150_000;
    let port = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`main.ts exited early (${child.exitCode}):\n${output}`);
      port ||= Number(/"port":(\d+),[^\n]*"msg":"Ouderlijn is listening"/.exec(output)?.[1] ?? 0);
      try {
        if (port && (await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        // not answering yet
      }
      if (Date.now() > deadline) throw new Error(`main.ts did not answer /healthz in time:\n${output}`);
      await sleep(250);
    }
    return { port, exited, proc: child };
  }

  it('SIGTERM: stops accepting, lets the request in flight finish, exits 0', async () => {
    const { port, exited, proc } = await start({ SHUTDOWN_GRACE_MS: '20000' });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

    const params = inboundParams('Wat kost de ouderbijdrage?', '+31600000105');
    const slow = slowPost(port, '/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
    await sleep(500); // the server has the request (headers and part of the body)
    proc.kill('SIGTERM');
    await sleep(1000);
    expect(proc.exitCode).toBeNull(); // still waiting for the request
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow(); // no new connections
    slow.finish();
    const res = await slow.response;
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<Response><Message[^>]*>[^<]*vrijwillig/i);
    expect(res.connection).toBe('close');
    const exit = await exited;
    expect({ code: exit.code, signal: exit.signal }, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/shutting down/);
    expect(output).toMatch(/shutdown complete/);
  }, 180_000);

  // Not database-specific: run once, on the SQLite pass of the suite.
  it.skipIf(TEST_DIALECT === 'postgresql')('a second signal exits at once, without waiting for the request', async () => {
    const { port, exited, proc } = await start({ SHUTDOWN_GRACE_MS: '60000' });
    const slow = slowPost(port, '/twilio/messages', inboundParams('hallo', '+31600000105'));
    await sleep(500);
    proc.kill('SIGTERM');
    await sleep(500);
    expect(proc.exitCode).toBeNull();
    const second = Date.now();
    proc.kill('SIGINT');
    const exit = await exited;
    expect(exit.code, output).toBe(1);
    expect(exit.at - second).toBeLessThan(3000);
    await expect(slow.response).rejects.toThrow();
  }, 180_000);
});

describe('trackRequests (the HTTP part of shutdown)', () => {
  let server: http.Server;
  let port: number;
  const waits = new Map<string, () => void>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') {
        waits.set('slow', () => res.end('done'));
        return;
      }
      res.end('quick');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  it('waits for the request in flight (closing idle keep-alive connections), then cuts what is left at the deadline', async () => {
    const tracker = trackRequests(server);
    // An idle keep-alive connection must not hold the shutdown up.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get({ host: '127.0.0.1', port, path: '/', agent }, (r) => { r.resume(); r.on('end', resolve); }));

    const slow = new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/slow', agent: false }, (r) => {
        let d = '';
        r.on('data', (c) => (d += c));
        r.on('end', () => resolve(d));
      }).on('error', reject);
    });
    while (!waits.has('slow')) await sleep(10);
    expect(tracker.inFlight()).toBe(1);
    const started = Date.now();
    const drained = tracker.drain(5_000);
    await sleep(200);
    waits.get('slow')!();
    expect(await slow).toBe('done');
    expect(await drained).toEqual({ drained: true, cut: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    agent.destroy();
  });

  it('cuts requests still open at the deadline', async () => {
    const other = http.createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const tracker = trackRequests(other);
    const hung = new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: (other.address() as AddressInfo).port, path: '/', agent: false }, resolve).on('error', reject);
    });
    while (tracker.inFlight() === 0) await sleep(10);
    const started = Date.now();
    expect(await tracker.drain(300)).toEqual({ drained: false, cut: 1 });
    expect(Date.now() - started).toBeLessThan(1_500);
    await expect(hung).rejects.toThrow();
  });
});
