import { stringify } from 'csv-stringify/sync';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AbsenceAlerts, loadSchoolContext } from '../absence/alerts.js';
import { daysBetween, isValidIsoDate, localNow } from '../absence/dates.js';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import { schoolDetails } from '../directory/schools.js';
import type { School } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { authenticateToken } from './tokens.js';
import { rejectNulInBody } from '../http/nul.js';
import { medianFirstReply } from '../handoff/sla.js';
import { privacyApiRoutes } from '../privacy/api.js';

/** Alerts may be sent for today and the past week, not for days that have not happened. */
const ALERT_DAYS_BACK = 7;
const MAX_STUDENTS_PER_REQUEST = 10_000;

const IsoDateSchema = z.string().refine(isValidIsoDate, 'must be a date as YYYY-MM-DD');
const AbsenceQuery = z.object({ date: IsoDateSchema.optional(), format: z.enum(['json', 'csv']).optional() });
const AcknowledgeBody = z.object({ by: z.string().trim().min(1, 'say who acknowledges, e.g. "Henk (administratie)"').max(100) });
const AlertBody = z.object({
  date: IsoDateSchema,
  students: z.array(z.string().trim().min(1).max(100)).min(1, 'list at least one student').max(MAX_STUDENTS_PER_REQUEST),
});
const AlertQuery = z.object({ date: IsoDateSchema.optional(), unanswered: z.enum(['true', 'false']).optional() });

const ServiceLevelQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

interface Authed { school: School; tokenName: string }

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly details?: unknown) {
    super(message);
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ApiError(400, `invalid ${where}`, r.error.issues.map((i) => ({ field: i.path.join('.') || where, problem: i.message })));
  }
  return r.data;
}

/**
 * The API for a school's administration system: today's absence reports (JSON or CSV),
 * acknowledging them, and sending absence alerts. Every call carries a per-school bearer
 * token (`npm run tokens`) and sees only that school.
 */
export function schoolApiRoutes(deps: { db: Db; composer: ReplyComposer; log: Logger; now?: () => Date }): Router {
  const { db, log } = deps;
  const now = deps.now ?? (() => new Date());
  const alerts = new AbsenceAlerts(db, deps.composer);
  const router = Router();
  router.use('/api/v1', express.json({ limit: '1mb' }), rejectNulInBody((res) => res.json({ error: 'invalid body', problems: [{ field: 'body', problem: 'contains a NUL character (\\u0000)' }] })));

  const auth = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const found = token ? await authenticateToken(db, token) : null;
    if (!found) {
      res.set('WWW-Authenticate', 'Bearer realm="ouderlijn"').status(401).json({ error: 'missing, unknown or revoked API token' });
      return;
    }
    if (found.school.slug !== req.params.school) {
      res.status(403).json({ error: 'this token belongs to another school' });
      return;
    }
    res.locals.authed = { school: found.school, tokenName: found.tokenName } satisfies Authed;
    next();
  };
  const authed = (res: Response) => res.locals.authed as Authed;
  const today = (school: School) => localNow(now(), school.timezone).date;

  /** How fast parents get a person's answer: median time to first reply, per school. */
  router.get('/api/v1/schools/:school/service-level', auth, async (req, res) => {
    const { school } = authed(res);
    const q = parse(ServiceLevelQuery, req.query, 'query');
    const since = new Date(now().getTime() - q.days * 86_400_000);
    const result = await medianFirstReply(db, school.id, since);
    const overdue = await db.ticket.count({ where: { schoolId: school.id, status: 'open', firstReplyAt: null, dueAt: { lt: now() } } });
    res.json({
      school: school.slug, since: since.toISOString(), replyWithinSchoolDays: school.replyWithinDays,
      answered: result.answered, unanswered: result.unanswered, overdueNow: overdue,
      medianFirstReplyMinutes: result.medianMs === null ? null : Math.round(result.medianMs / 60_000),
    });
  });

  router.get('/api/v1/schools/:school/absences', auth, async (req, res) => {
    const { school } = authed(res);
    const q = parse(AbsenceQuery, req.query, 'query');
    const date = q.date ?? today(school);
    const rows = await db.absence.findMany({
      where: { schoolId: school.id, startDate: { lte: date }, endDate: { gte: date } },
      include: { student: { include: { class: true } } },
      orderBy: { createdAt: 'asc' },
    });
    const guardians = new Map((await db.guardian.findMany({
      where: { id: { in: rows.map((r) => r.guardianId).filter((g): g is string => Boolean(g)) } }, select: { id: true, name: true },
    })).map((g) => [g.id, g.name]));
    const absences = rows.map((a) => ({
      id: a.id,
      studentId: a.studentId,
      externalId: a.student?.externalId ?? null,
      student: a.student ? `${a.student.firstName} ${a.student.lastName}` : null,
      class: a.student?.class?.name ?? null,
      reportedName: a.reportedName,
      verified: a.verified,
      startDate: a.startDate,
      endDate: a.endDate,
      dayPart: a.dayPart,
      time: a.time,
      reason: a.reason,
      parentWords: a.parentWords,
      source: a.source,
      reportedBy: a.guardianId ? guardians.get(a.guardianId) ?? null : null,
      reportedAt: a.createdAt.toISOString(),
      late: a.late,
      correctedAt: a.correctedAt?.toISOString() ?? null,
      status: a.status,
      acknowledgedBy: a.acknowledgedBy,
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    }));
    const wantsCsv = q.format === 'csv' || (q.format === undefined && req.accepts(['json', 'csv']) === 'csv');
    if (wantsCsv) {
      res.type('text/csv; charset=utf-8').attachment(`absences-${school.slug}-${date}.csv`)
        .send(stringify(absences, { header: true, bom: true }));
      return;
    }
    res.json({ school: school.slug, date, absences });
  });

  router.post('/api/v1/schools/:school/absences/:id/acknowledge', auth, async (req, res) => {
    const { school } = authed(res);
    const body = parse(AcknowledgeBody, req.body, 'body');
    const { count } = await db.absence.updateMany({
      where: { id: String(req.params.id), schoolId: school.id, status: 'reported' },
      data: { status: 'acknowledged', acknowledgedBy: body.by, acknowledgedAt: now() },
    });
    const absence = await db.absence.findFirst({ where: { id: String(req.params.id), schoolId: school.id } });
    if (!absence) throw new ApiError(404, `no absence ${req.params.id} at this school`);
    res.status(count ? 200 : 409).json({
      id: absence.id, status: absence.status, acknowledgedBy: absence.acknowledgedBy, acknowledgedAt: absence.acknowledgedAt?.toISOString() ?? null,
      ...(count ? {} : { note: 'already acknowledged' }),
    });
  });

  router.post('/api/v1/schools/:school/absence-alerts', auth, async (req, res) => {
    const { school, tokenName } = authed(res);
    const body = parse(AlertBody, req.body, 'body');
    const ahead = daysBetween(today(school), body.date);
    if (ahead > 0) throw new ApiError(400, 'invalid body', [{ field: 'date', problem: 'is in the future; alerts are for a day that has begun' }]);
    if (ahead < -ALERT_DAYS_BACK) throw new ApiError(400, 'invalid body', [{ field: 'date', problem: `is more than ${ALERT_DAYS_BACK} days ago` }]);
    const details = await schoolDetails(db, school);
    const run = await alerts.send(await loadSchoolContext(db, school, details), { date: body.date, students: body.students, requestedBy: tokenName, now: now() });
    log.info({ school: school.slug, date: body.date, students: run.students.length, unknown: run.unknownStudents.length }, 'absence alerts queued');
    res.status(201).json(run);
  });

  router.get('/api/v1/schools/:school/absence-alerts', auth, async (req, res) => {
    const { school } = authed(res);
    const q = parse(AlertQuery, req.query, 'query');
    const date = q.date ?? today(school);
    const list = await db.absenceAlert.findMany({
      where: { schoolId: school.id, date },
      include: { student: { include: { class: true } }, deliveries: true },
      orderBy: { createdAt: 'asc' },
    });
    const messageIds = list.flatMap((a) => a.deliveries.map((d) => d.messageId)).filter((m): m is string => Boolean(m));
    const messages = new Map((await db.message.findMany({ where: { id: { in: messageIds } }, select: { id: true, status: true, statusReason: true } })).map((m) => [m.id, m]));
    const guardianIds = list.flatMap((a) => a.deliveries.map((d) => d.guardianId)).filter((g): g is string => Boolean(g));
    const names = new Map((await db.guardian.findMany({ where: { id: { in: guardianIds } }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
    let alertsOut = list.map((a) => {
      const answered = a.deliveries.some((d) => d.repliedAt);
      return {
        id: a.id, studentId: a.studentId, externalId: a.student.externalId, student: `${a.student.firstName} ${a.student.lastName}`,
        class: a.student.class?.name ?? null, date: a.date, sentAt: a.createdAt.toISOString(), answered,
        // No one could be reached: the school should phone.
        nobodyReached: !a.deliveries.some((d) => d.messageId),
        recipients: a.deliveries.map((d) => ({
          recipient: d.recipient, guardian: d.guardianId ? names.get(d.guardianId) ?? null : null, via: d.via, skippedReason: d.skippedReason,
          messageStatus: d.messageId ? messages.get(d.messageId)?.status ?? null : null,
          failure: d.messageId ? messages.get(d.messageId)?.statusReason ?? null : null,
          repliedAt: d.repliedAt?.toISOString() ?? null, outcome: d.outcome,
        })),
      };
    });
    if (q.unanswered === 'true') alertsOut = alertsOut.filter((a) => !a.answered);
    res.json({ school: school.slug, date, alerts: alertsOut });
  });

  // Export and erasure of one guardian's data (src/privacy/api.ts).
  privacyApiRoutes(router, { db, auth, log, now });

  router.use('/api/v1', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: err.message, ...(err.details ? { problems: err.details } : {}) });
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 400 || status === 413) {
      res.status(status).json({ error: status === 413 ? 'request body too large' : `malformed JSON: ${(err as Error).message}` });
      return;
    }
    next(err);
  });
  return router;
}

