import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { twilioRoutes } from '../channels/twilio/index.js';
import type { Config } from '../config/config.js';
import type { InboundHandler } from '../conversation/inbound.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { applyStatusUpdate } from '../outbox/statusUpdates.js';
import { schoolApiRoutes } from '../api/routes.js';
import { ReplyComposer } from '../conversation/replies.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { HandoffDesk } from '../handoff/desk.js';
import { staffRoutes } from '../staff/routes.js';
import { createMetrics, metricsAccess, metricsHandler, type Metrics } from '../observability/metrics.js';
import { checkReadiness, migrationsDirFor } from '../observability/readiness.js';
import { DEFAULT_RATE_LIMITS, publicRateLimits, securityHeaders, type RateLimits } from './protection.js';
import { rejectNulInUrl } from './nul.js';

export interface AppDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'TWILIO_AUTH_TOKEN'> & Partial<Pick<Config, 'secureCookies' | 'STAFF_SESSION_HOURS' | 'METRICS_TOKEN' | 'DATABASE_URL'>>;
  db: Db;
  /** Staff actions on tickets (inbox and Teams). */
  desk: HandoffDesk;
  /** POST /api/messages for Teams, when configured (src/channels/teams). */
  teams?: Router | null;
  inbound: InboundHandler;
  kb: KnowledgeBase;
  log: Logger;
  /** The clock for the school API (tests pin it). */
  now?: () => Date;
  /** GET /metrics; main.ts shares it with the outbox worker. Created here when not given. */
  metrics?: Metrics;
  /** Requests per second on the public endpoints (in memory, per instance). */
  rateLimits?: Partial<RateLimits>;
  /** The migrations /readyz expects; default from DATABASE_URL as prisma.config.ts picks it. */
  migrationsDir?: string;
  /** True once shutdown began: /readyz then answers 503 so load balancers stop sending. */
  shuttingDown?: () => boolean;
}

export function createApp({ config, db, inbound, kb, log, now, desk, teams, ...ops }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders());
  // A NUL (%00) in a path or query would reach a query and fail on PostgreSQL: 400 (src/http/nul.ts).
  app.use(rejectNulInUrl());

  // Liveness: the process answers. Nothing else is checked (a database outage must not get
  // the process restarted); readiness is /readyz.
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  // Readiness: the database answers and every migration of this release is applied.
  const migrationsDir = ops.migrationsDir ?? migrationsDirFor(config.DATABASE_URL);
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (ops.shuttingDown?.()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const r = await checkReadiness(db, migrationsDir, config.DATABASE_URL);
    if (!r.ready) log.warn({ readiness: r }, 'not ready');
    const { ready, ...body } = r;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', ...body });
  });
  const metrics = ops.metrics ?? createMetrics({ db, log });
  app.get('/metrics', metricsAccess(config.METRICS_TOKEN), metricsHandler(metrics));

  const limits = publicRateLimits({ ...DEFAULT_RATE_LIMITS, ...ops.rateLimits });
  app.use('/twilio/messages', limits.twilioMessages);
  app.use('/twilio/status', limits.twilioStatus);
  app.use('/api/v1', ...limits.api);
  app.use('/api/messages', limits.teams);

  app.use(
    twilioRoutes({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      authToken: config.TWILIO_AUTH_TOKEN,
      log,
      onMessage: async (event) => {
        const outcome = await inbound.handle(event);
        metrics.inbound(event.channel, outcome);
        return outcome.kind === 'unknown_number' ? { unknownNumber: true } : { replies: outcome.replies };
      },
      onStatus: (event) => applyStatusUpdate(db, event),
    }),
  );

  const composer = new ReplyComposer(kb);
  app.use(schoolApiRoutes({ db, composer, log, ...(now ? { now } : {}) }));
  app.use(staffRoutes({ db, desk, log, composer, teamsEnabled: Boolean(teams), secureCookies: config.secureCookies ?? false, sessionHours: config.STAFF_SESSION_HOURS ?? 12, ...(now ? { now } : {}) }));
  if (teams) app.use(teams);
  else {
    app.post('/api/messages', (_req, res) => {
      res.status(503).type('text/plain').send('Microsoft Teams is not configured (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD).');
    });
  }

  // Express 5 passes rejected promises here: answer 500 so Twilio retries, log the cause.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      res.status(status).type('text/plain').send((err as Error).message);
      return;
    }
    log.error({ err, path: req.path }, 'request failed');
    res.status(500).type('text/plain').send('Internal error; the request can be retried.');
  });
  return app;
}
