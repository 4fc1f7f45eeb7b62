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

export interface AppDeps {
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'TWILIO_AUTH_TOKEN'> & Partial<Pick<Config, 'secureCookies' | 'STAFF_SESSION_HOURS'>>;
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
}

export function createApp({ config, db, inbound, kb, log, now, desk, teams }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  app.get('/healthz', async (_req, res) => {
    try {
      await db.$queryRawUnsafe('SELECT 1');
      res.json({ status: 'ok', database: 'reachable' });
    } catch (err) {
      log.error({ err }, 'health check: database unreachable');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });

  app.use(
    twilioRoutes({
      publicBaseUrl: config.PUBLIC_BASE_URL,
      authToken: config.TWILIO_AUTH_TOKEN,
      log,
      onMessage: async (event) => {
        const outcome = await inbound.handle(event);
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
