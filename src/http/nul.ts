import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * NUL characters (U+0000). PostgreSQL's text type cannot hold them: a NUL in any value that
 * reaches a query (an id in the path, an e-mail address, a student number, a reply text) makes
 * the query fail, which became a 500, and Twilio retries a 500. No legitimate input contains
 * one, so requests carrying NUL are refused with a 400 before anything runs (the same on
 * SQLite); only a parent's message text is kept, without the NULs (channels/twilio/schemas.ts).
 */
export const NUL = '\u0000';

export function stripNul(text: string): string {
  return text.includes(NUL) ? text.split(NUL).join('') : text;
}

/** True when a parsed body (strings, arrays, objects, their keys) holds a NUL anywhere. */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.keys(value).some((k) => k.includes(NUL) || containsNul((value as Record<string, unknown>)[k], depth + 1));
}

/** Refuses a request whose path or query has a NUL (%00) in it: 400, before any route runs. */
export function rejectNulInUrl(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!/%00/.test(req.originalUrl) && !req.originalUrl.includes(NUL)) return next();
    res.status(400).type('text/plain; charset=utf-8').send('Bad request: the address contains a NUL character (%00).');
  };
}

/** After a body parser: refuses a body with a NUL anywhere, answering with `refuse`. */
export function rejectNulInBody(refuse: (res: Response) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!containsNul(req.body)) return next();
    refuse(res.status(400));
  };
}
