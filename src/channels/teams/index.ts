import { Router } from 'express';
import type { Db } from '../../db/client.js';
import type { HandoffDesk } from '../../handoff/desk.js';
import type { Logger } from '../../logger.js';

export interface TeamsDeps {
  db: Db;
  desk: HandoffDesk;
  log: Logger;
  publicBaseUrl: string;
}

/** POST /api/messages for Microsoft Teams. (Being built: issue 5.) */
export function teamsRoutes(_deps: TeamsDeps): Router {
  const router = Router();
  router.post('/api/messages', (_req, res) => {
    res.status(503).type('text/plain').send('Microsoft Teams is not configured.');
  });
  return router;
}
