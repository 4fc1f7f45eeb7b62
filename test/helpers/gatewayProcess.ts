import { spawn, type ChildProcess } from 'node:child_process';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './twilioSigning.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GatewayProcess {
  port: number;
  url: string;
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
}

/**
 * The real gateway (`node --import tsx src/main.ts`) as a child process on PORT=0, with
 * Twilio pointed at `twilioApiBaseUrl` (a fault proxy in front of Prism). Resolves once it
 * answers /healthz; the classifier trains first, so this takes 10-30 s (more under load).
 * The port comes from its "listening" log line (LOG_LEVEL=info), so no other process can
 * take it in between.
 */
export async function startGateway(opts: { databaseUrl: string; twilioApiBaseUrl: string; env?: Record<string, string>; timeoutMs?: number }): Promise<GatewayProcess> {
  let output = '';
  // Nothing of the test runner's environment that would switch on other channels.
  const { TWILIO_ACCOUNT_SID: _sid, MICROSOFT_APP_ID: _app, SMTP_URL: _smtp, TWILIO_API_BASE_URL: _api, ...inherited } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...inherited, NODE_ENV: 'test', PORT: '0', DATABASE_URL: opts.databaseUrl, SEED_DEMO: 'false', LOG_LEVEL: 'info',
      PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_API_BASE_URL: opts.twilioApiBaseUrl, RATE_LIMIT_API_PER_SECOND: '1000',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let port = 0;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`main.ts exited early (${proc.exitCode ?? proc.signalCode}):\n${output.slice(-4000)}`);
    port ||= Number(/"port":(\d+),[^\n]*"msg":"Ouderlijn is listening"/.exec(output)?.[1] ?? 0);
    try {
      if (port && (await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not answering yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`main.ts did not answer /healthz in time:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
  return { port, url: `http://127.0.0.1:${port}`, proc, exited, output: () => output };
}

/** Stops a gateway that is still running (SIGKILL), and waits for it to be gone. */
export async function killGateway(g: GatewayProcess | null | undefined): Promise<void> {
  if (!g) return;
  if (g.proc.exitCode === null && g.proc.signalCode === null) g.proc.kill('SIGKILL');
  await g.exited;
}
