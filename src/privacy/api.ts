import type { RequestHandler, Response, Router } from 'express';
import type { Db } from '../db/client.js';
import type { School } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { eraseGuardianData } from './erasure.js';
import { auditExport, exportGuardianData } from './export.js';
import { E164_PROBLEM, parseE164 } from './phone.js';

/**
 * The school API's privacy calls (mounted by src/api/routes.ts, behind the same per-school
 * bearer token):
 *
 *   GET    /api/v1/schools/:school/guardians/:phone/export    everything stored about the number, as JSON
 *   DELETE /api/v1/schools/:school/guardians/:phone           body {"confirm": "<the same number>"}: erase it
 *
 * The number is E.164 (+31612345678) and is never logged.
 */
export function privacyApiRoutes(router: Router, deps: { db: Db; auth: RequestHandler; log: Logger; now: () => Date }) {
  const { db, auth, log, now } = deps;
  const authed = (res: Response) => res.locals.authed as { school: School; tokenName: string };
  const invalid = (res: Response, where: string, field: string, problem: string) =>
    res.status(400).json({ error: `invalid ${where}`, problems: [{ field, problem }] });

  router.get('/api/v1/schools/:school/guardians/:phone/export', auth, async (req, res) => {
    const { school, tokenName } = authed(res);
    const phone = parseE164(String(req.params.phone));
    if (!phone) return void invalid(res, 'path', 'phone', E164_PROBLEM);
    const data = await exportGuardianData(db, school, phone, now());
    if (!data) return void res.status(404).json({ error: 'nothing is stored for this number at this school' });
    await auditExport(db, school.id, `api: ${tokenName}`);
    log.info({ school: school.slug, conversations: data.conversations.length, guardians: data.guardians.length }, 'privacy: guardian data exported');
    res.set('Cache-Control', 'no-store').json(data);
  });

  router.delete('/api/v1/schools/:school/guardians/:phone', auth, async (req, res) => {
    const { school, tokenName } = authed(res);
    const phone = parseE164(String(req.params.phone));
    if (!phone) return void invalid(res, 'path', 'phone', E164_PROBLEM);
    const confirm: unknown = (req.body as { confirm?: unknown } | undefined)?.confirm;
    if (typeof confirm !== 'string' || !confirm.trim()) {
      return void invalid(res, 'body', 'confirm', 'required: repeat the phone number, e.g. {"confirm": "+31612345678"}; erasure cannot be undone');
    }
    if (parseE164(confirm) !== phone) return void invalid(res, 'body', 'confirm', 'is not the number in the path');
    const result = await eraseGuardianData(db, school, phone, { now: now(), requestedBy: `api: ${tokenName}` });
    if (!result) return void res.status(404).json({ error: 'nothing is stored for this number at this school' });
    log.info({ school: school.slug, ...result }, 'privacy: guardian data erased');
    res.json({ erased: true, ...result });
  });
}
