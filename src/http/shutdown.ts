import type { Server, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

/** Resolves true when `p` settles within `ms`, false when the time ran out first. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RequestTracker {
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle keep-alive connections, lets the requests in
   * flight finish (their connections close after the answer), and after `timeoutMs` cuts
   * whatever is still open. Resolves with how many requests were cut.
   */
  drain(timeoutMs: number): Promise<{ drained: boolean; cut: number }>;
}

/** Follows a server's requests so that shutdown can wait for them. */
export function trackRequests(server: Server): RequestTracker {
  const active = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_req, res: ServerResponse) => {
    active.add(res);
    if (closing && !res.headersSent) res.setHeader('Connection', 'close');
    res.on('close', () => {
      active.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });
  return {
    inFlight: () => active.size,
    async drain(timeoutMs) {
      closing = true;
      // Answers still to come go out with Connection: close, so keep-alive clients reconnect elsewhere.
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (await within(closed, timeoutMs)) return { drained: true, cut: 0 };
      const cut = active.size;
      server.closeAllConnections();
      return { drained: false, cut };
    },
  };
}

export interface ShutdownSteps {
  /** Stop taking requests and wait for those in flight (given the time left). */
  drainHttp: (timeoutMs: number) => Promise<{ drained: boolean; cut: number }>;
  /** Stop background work (outbox worker, notifier, timers), finishing what is in progress. */
  stopBackground: (timeoutMs: number) => Promise<void>;
  /** Last: close the database. */
  close: () => Promise<void>;
}

/**
 * The graceful shutdown: HTTP and background work are drained side by side within `graceMs`,
 * then the database is closed. Never throws; resolves with what happened.
 */
export async function gracefulShutdown(steps: ShutdownSteps, graceMs: number, log: Logger): Promise<{ clean: boolean }> {
  const started = Date.now();
  const [http, background] = await Promise.all([
    steps.drainHttp(graceMs).catch((err: unknown) => {
      log.error({ err }, 'shutdown: draining HTTP failed');
      return { drained: false, cut: -1 };
    }),
    within(steps.stopBackground(graceMs).catch((err: unknown) => log.error({ err }, 'shutdown: stopping background work failed')), graceMs),
  ]);
  if (!http.drained) log.warn({ cut: http.cut, graceMs }, 'shutdown: requests still open at the deadline were cut');
  if (!background) log.warn({ graceMs }, 'shutdown: background work did not stop before the deadline');
  await within(steps.close().catch((err: unknown) => log.error({ err }, 'shutdown: closing the database failed')), 5_000);
  log.info({ ms: Date.now() - started }, 'shutdown complete');
  return { clean: http.drained && background };
}

/**
 * SIGTERM / SIGINT run `shutdown` once and exit 0 when it is done; a second signal exits at
 * once (code 1).
 */
export function onShutdownSignals(shutdown: (signal: NodeJS.Signals) => Promise<unknown>, log: Logger, exit: (code: number) => void = process.exit) {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) {
      log.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    started = true;
    log.info({ signal }, 'shutting down');
    shutdown(signal).then(
      () => exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return { started: () => started };
}
