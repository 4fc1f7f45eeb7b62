import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import type { Db } from '../db/client.js';
import type { School } from '../generated/prisma/client.js';
import type { Actor } from '../handoff/desk.js';

/** The session cookie: a random 32-byte token; the database only keeps its SHA-256. */
export const SESSION_COOKIE = 'ouderlijn_staff';
/** The login form's double-submit token (there is no session yet to hold a CSRF token). */
export const LOGIN_CSRF_COOKIE = 'ouderlijn_login';
export const CSRF_FIELD = '_csrf';

export interface StaffContext {
  actor: Actor;
  school: School;
  csrf: string;
  sessionId: string;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison; false for anything missing or of another length. */
export function safeEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || !a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieOptions(secure: boolean, maxAgeMs?: number): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/staff', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}

export async function createSession(db: Db, staffId: string, hours: number, now: Date) {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await db.staffSession.create({ data: { staffId, tokenHash: sha256(token), csrfToken: newToken(), createdAt: now, lastSeenAt: now, expiresAt } });
  return { token, expiresAt };
}

export async function endSession(db: Db, sessionId: string) {
  await db.staffSession.deleteMany({ where: { id: sessionId } });
}

/** Puts the signed-in person (if any) on res.locals.staff. Expired sessions and inactive staff count as signed out. */
export function loadSession(db: Db, now: () => Date) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && token.length > 0 && token.length < 200) {
      const session = await db.staffSession.findUnique({ where: { tokenHash: sha256(token) }, include: { staff: { include: { school: true } } } });
      const at = now();
      if (session && session.expiresAt > at && session.staff.active) {
        const { staff } = session;
        res.locals.staff = {
          actor: { id: staff.id, schoolId: staff.schoolId, name: staff.name, role: staff.role },
          school: staff.school,
          csrf: session.csrfToken,
          sessionId: session.id,
        } satisfies StaffContext;
        if (at.getTime() - session.lastSeenAt.getTime() > 60_000) {
          await db.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: at } });
        }
      } else if (session && session.expiresAt <= at) {
        await db.staffSession.deleteMany({ where: { id: session.id } });
      }
    }
    next();
  };
}

/** Where to go after signing in: only a page of the inbox itself. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/staff\/[\w\-/]*(\?[\w\-=&%.]*)?$/.test(value) && !value.startsWith('/staff/login') ? value : '/staff';
}

export function staffOf(res: Response): StaffContext {
  return res.locals.staff as StaffContext;
}

/** Signed out: a page request goes to the login form; a form post is refused. */
export function requireStaff(req: Request, res: Response, next: NextFunction) {
  if (res.locals.staff) return next();
  if (req.method === 'GET' || req.method === 'HEAD') {
    // A link from a notice (/staff/tickets/...) opens that page after signing in.
    const back = req.originalUrl;
    res.redirect(303, back === '/staff' || back === '/staff/' ? '/staff/login' : `/staff/login?next=${encodeURIComponent(back)}`);
    return;
  }
  res.status(401).type('text/plain; charset=utf-8').send('Niet ingelogd. Log opnieuw in via /staff/login.');
}

/** Every POST of a signed-in person carries the session's CSRF token. */
export function requireCsrf(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'POST') return next();
  const body = req.body as Record<string, unknown> | undefined;
  if (safeEqual(body?.[CSRF_FIELD], staffOf(res).csrf)) return next();
  res.status(403).type('text/plain; charset=utf-8').send('Ongeldig formulier (CSRF-controle mislukt). Laad de pagina opnieuw en probeer het nog eens.');
}
