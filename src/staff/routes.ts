import cookieParser from 'cookie-parser';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import type { HandoffDesk } from '../handoff/desk.js';
import type { Logger } from '../logger.js';
import { rejectNulInBody } from '../http/nul.js';
import { absenceRoutes } from './absences.js';
import { alertRoutes } from './alerts.js';
import { authRoutes } from './auth.js';
import { loadSession, requireCsrf, requireStaff } from './session.js';
import { ticketRoutes } from './tickets.js';
import { teamsLinkRoutes } from './teams.js';
import { page } from './views/layout.js';
import { STYLE_CSS } from './views/style.js';

export interface StaffRoutesDeps {
  db: Db;
  desk: HandoffDesk;
  log: Logger;
  /** Secure flag on the session cookie (true whenever the public URL is https). */
  secureCookies: boolean;
  sessionHours: number;
  now?: () => Date;
  /** Renders locale texts (canned replies in Dutch, absence alerts): the app's own. */
  composer: ReplyComposer;
  /** Whether Microsoft Teams is configured (the linking page says so when it is not). */
  teamsEnabled?: boolean;
}

/** The staff inbox under /staff: sign in, tickets, today's absences, absence alerts. */
export function staffRoutes(deps: StaffRoutesDeps): Router {
  const { db, desk, log } = deps;
  const now = deps.now ?? (() => new Date());
  const getComposer = () => deps.composer;

  const router = Router();
  router.get('/staff/style.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLE_CSS);
  });
  router.use('/staff', (_req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    next();
  });
  router.use('/staff', cookieParser(), express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 2000 }),
    rejectNulInBody((res) => res.type('text/plain; charset=utf-8').send('Ongeldige invoer: het formulier bevat een NUL-teken.')), loadSession(db, now));
  router.use(authRoutes({ db, log, secureCookies: deps.secureCookies, sessionHours: deps.sessionHours, now }));
  router.use('/staff', requireStaff, requireCsrf);
  router.use(ticketRoutes({ db, desk, composer: getComposer, log, now }));
  router.use(absenceRoutes({ db, now }));
  router.use(alertRoutes({ db, composer: getComposer, log, now }));
  router.use(teamsLinkRoutes({ db, now, teamsEnabled: deps.teamsEnabled ?? false }));
  router.use('/staff', (_req, res) => {
    res.status(404).type('html').send(page({ title: 'Niet gevonden', ctx: res.locals.staff, error: 'Deze pagina bestaat niet.', body: '' }));
  });
  return router;
}
