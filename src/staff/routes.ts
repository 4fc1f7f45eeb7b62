import { Router } from 'express';
import type { Db } from '../db/client.js';
import type { HandoffDesk } from '../handoff/desk.js';
import type { Logger } from '../logger.js';

export interface StaffRoutesDeps {
  db: Db;
  desk: HandoffDesk;
  log: Logger;
  /** Secure flag on the session cookie (true whenever the public URL is https). */
  secureCookies: boolean;
  sessionHours: number;
  now?: () => Date;
}

/** The staff inbox under /staff. (Being built: issue 5.) */
export function staffRoutes(_deps: StaffRoutesDeps): Router {
  const router = Router();
  router.use('/staff', (_req, res) => {
    res.status(501).type('text/plain').send('The staff inbox is not built yet.');
  });
  return router;
}
