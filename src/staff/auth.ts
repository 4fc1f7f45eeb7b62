import { Router, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { audit } from './audit.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import {
  CSRF_FIELD, LOGIN_CSRF_COOKIE, SESSION_COOKIE, cookieOptions, createSession, endSession, newToken, requireCsrf, requireStaff,
  safeEqual, safeNext, staffOf,
} from './session.js';
import { loginPage } from './views/login.js';

/** Failed sign-ins allowed per e-mail address and IP address, and per IP address, in the window. */
export const LOGIN_LIMITS = { perEmailAndIp: 5, perIp: 50, windowSeconds: 15 * 60 };

export interface AuthDeps {
  db: Db;
  log: Logger;
  secureCookies: boolean;
  sessionHours: number;
  now: () => Date;
}

const FAILED = 'E-mailadres of wachtwoord klopt niet.';

/** Sign in (e-mail and password), sign out. */
export function authRoutes({ db, log, secureCookies, sessionHours, now }: AuthDeps): Router {
  const router = Router();
  const byEmailAndIp = new RateLimiterMemory({ points: LOGIN_LIMITS.perEmailAndIp, duration: LOGIN_LIMITS.windowSeconds });
  const byIp = new RateLimiterMemory({ points: LOGIN_LIMITS.perIp, duration: LOGIN_LIMITS.windowSeconds });

  /** The login form's double-submit token: kept while the cookie lives, so two tabs both work. */
  const loginToken = (req: Request, res: Response): string => {
    const existing: unknown = req.cookies?.[LOGIN_CSRF_COOKIE];
    const token = typeof existing === 'string' && /^[\w-]{43}$/.test(existing) ? existing : newToken();
    res.cookie(LOGIN_CSRF_COOKIE, token, cookieOptions(secureCookies, 2 * 3_600_000));
    return token;
  };
  const form = (req: Request, res: Response, status: number, opts: Omit<Parameters<typeof loginPage>[0], 'csrf'> = {}) => {
    res.status(status).type('html').send(loginPage({ ...opts, csrf: loginToken(req, res) }));
  };

  router.get('/staff/login', (req, res) => {
    if (res.locals.staff) {
      res.redirect(303, '/staff');
      return;
    }
    form(req, res, 200, { next: safeNext(req.query.next), notice: req.query.out === '1' ? 'U bent uitgelogd.' : null });
  });

  router.post('/staff/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!safeEqual(body[CSRF_FIELD], String(req.cookies?.[LOGIN_CSRF_COOKIE] ?? ''))) {
      form(req, res, 403, { error: 'Het formulier was verlopen. Probeer het nog eens.' });
      return;
    }
    const rawEmail = typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '';
    const email = rawEmail.toLowerCase();
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const slug = typeof body.school === 'string' ? body.school.trim().toLowerCase().slice(0, 100) : '';
    const ip = req.ip ?? 'unknown';
    const key = `${email}|${ip}`;
    const next = safeNext(body.next);

    const [forPair, forIp] = await Promise.all([byEmailAndIp.get(key), byIp.get(ip)]);
    const blocked = [[forPair, LOGIN_LIMITS.perEmailAndIp], [forIp, LOGIN_LIMITS.perIp]] as const;
    const wait = blocked.filter(([r, max]) => r && r.consumedPoints >= max).map(([r]) => r!.msBeforeNext);
    if (wait.length) {
      const minutes = Math.max(1, Math.ceil(Math.max(...wait) / 60_000));
      res.set('Retry-After', String(Math.ceil(Math.max(...wait) / 1000)));
      form(req, res, 429, { next, email: rawEmail, error: `Te veel mislukte pogingen om in te loggen. Probeer het over ${minutes} minuten opnieuw.` });
      return;
    }

    const candidates = email
      ? await db.staff.findMany({ where: { OR: [{ email }, { email: rawEmail }], ...(slug ? { school: { slug } } : {}) }, include: { school: true } })
      : [];
    const verified = [];
    for (const c of candidates) if (await verifyPassword(c.passwordHash ?? DUMMY_HASH, password) && c.passwordHash) verified.push(c);
    if (candidates.length === 0) await verifyPassword(DUMMY_HASH, password);

    const active = verified.filter((s) => s.active);
    if (active.length > 1) {
      form(req, res, 200, { next, email: rawEmail, askSchool: true, notice: 'Dit e-mailadres hoort bij meer dan één school. Vul de schoolcode in.' });
      return;
    }
    const staff = active[0];
    if (!staff) {
      await Promise.all([byEmailAndIp.penalty(key, 1), byIp.penalty(ip, 1)]);
      for (const c of candidates) {
        const detail = verified.includes(c) ? 'inactive' : 'wrong password';
        await audit(db, { schoolId: c.schoolId, staffId: c.id, action: 'login_failed', detail });
      }
      log.info({ known: candidates.length > 0 }, 'staff sign-in failed');
      form(req, res, 401, { next, email: rawEmail, school: slug, askSchool: Boolean(slug), error: FAILED });
      return;
    }
    await byEmailAndIp.delete(key);
    const at = now();
    await db.staffSession.deleteMany({ where: { staffId: staff.id, expiresAt: { lte: at } } });
    const session = await createSession(db, staff.id, sessionHours, at);
    await audit(db, { schoolId: staff.schoolId, staffId: staff.id, action: 'login', detail: 'inbox' });
    res.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(secureCookies));
    res.cookie(SESSION_COOKIE, session.token, cookieOptions(secureCookies, sessionHours * 3_600_000));
    res.redirect(303, next);
  });

  router.post('/staff/logout', requireStaff, requireCsrf, async (_req, res) => {
    const { actor, sessionId } = staffOf(res);
    await endSession(db, sessionId);
    await audit(db, { schoolId: actor.schoolId, staffId: actor.id, action: 'logout' });
    res.clearCookie(SESSION_COOKIE, cookieOptions(secureCookies));
    res.redirect(303, '/staff/login?out=1');
  });
  return router;
}
