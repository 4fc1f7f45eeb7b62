import { Router, type Request, type Response } from 'express';
import { AbsenceAlerts, ageOn, loadSchoolContext } from '../absence/alerts.js';
import { daysBetween, formatDay, isValidIsoDate, localNow } from '../absence/dates.js';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import { schoolDetails } from '../directory/schools.js';
import { segmentCount } from '../knowledge/smsFit.js';
import { fallbackChain } from '../language/languages.js';
import type { Logger } from '../logger.js';
import { audit } from './audit.js';
import { staffOf, type StaffContext } from './session.js';
import { alertFormPage, alertPreviewPage, alertStatusPage, type PreviewRecipient } from './views/alerts.js';

/** Like the school API: today and the past week, never a day that has not begun. */
const ALERT_DAYS_BACK = 7;
const MAX_STUDENTS = 500;

export interface AlertRouteDeps { db: Db; composer: () => ReplyComposer; log: Logger; now: () => Date }

function chosen(req: Request): { date: string; students: string[] } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(body.student) ? body.student : body.student === undefined ? [] : [body.student];
  return {
    date: typeof body.date === 'string' ? body.date : '',
    students: [...new Set(list.filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length < 100))].slice(0, MAX_STUDENTS),
  };
}

/** Picking students, a preview per guardian in their language, the fan-out, and its status. */
export function alertRoutes({ db, composer, log, now }: AlertRouteDeps): Router {
  const router = Router();
  const today = (ctx: StaffContext) => localNow(now(), ctx.school.timezone).date;

  const problem = (ctx: StaffContext, date: string, students: string[]): string | null => {
    if (!isValidIsoDate(date)) return 'Kies een datum.';
    const ahead = daysBetween(today(ctx), date);
    if (ahead > 0) return 'Die dag is nog niet begonnen; meldingen gaan over vandaag of een eerdere dag.';
    if (ahead < -ALERT_DAYS_BACK) return `Meldingen kunnen tot ${ALERT_DAYS_BACK} dagen terug.`;
    if (students.length === 0) return 'Kies minstens één leerling.';
    return null;
  };

  const form = async (res: Response, ctx: StaffContext, date: string, picked: string[], status = 200, error: string | null = null) => {
    const [classes, loose, alerted, reported] = await Promise.all([
      db.schoolClass.findMany({ where: { schoolId: ctx.actor.schoolId }, orderBy: { name: 'asc' }, include: { students: { orderBy: [{ firstName: 'asc' }, { lastName: 'asc' }] } } }),
      db.student.findMany({ where: { schoolId: ctx.actor.schoolId, classId: null }, orderBy: [{ firstName: 'asc' }] }),
      db.absenceAlert.findMany({ where: { schoolId: ctx.actor.schoolId, date }, select: { studentId: true } }),
      db.absence.findMany({ where: { schoolId: ctx.actor.schoolId, startDate: { lte: date }, endDate: { gte: date }, studentId: { not: null } }, select: { studentId: true } }),
    ]);
    const groups = [...classes.map((c) => ({ name: c.name, students: c.students })), ...(loose.length ? [{ name: 'Zonder klas', students: loose }] : [])];
    res.status(status).type('html').send(alertFormPage(ctx, {
      date, today: today(ctx), groups, picked: new Set(picked), error,
      alerted: new Set(alerted.map((a) => a.studentId)), reported: new Set(reported.map((a) => a.studentId!)),
    }));
  };

  router.get('/staff/alerts', async (req, res) => {
    const ctx = staffOf(res);
    const date = typeof req.query.date === 'string' && isValidIsoDate(req.query.date) ? req.query.date : today(ctx);
    await form(res, ctx, date, []);
  });

  router.post('/staff/alerts/preview', async (req, res) => {
    const ctx = staffOf(res);
    const { date, students } = chosen(req);
    const error = problem(ctx, date, students);
    if (error) return form(res, ctx, isValidIsoDate(date) ? date : today(ctx), students, 400, error);
    const details = await schoolDetails(db, ctx.school);
    const found = await db.student.findMany({
      where: { schoolId: ctx.actor.schoolId, id: { in: students } },
      include: { class: true, guardians: { include: { guardian: true } } },
      orderBy: [{ firstName: 'asc' }],
    });
    // The same texts AbsenceAlerts sends (alerts.ts deliver()): language, key and values.
    const text = (key: 'alert.absent' | 'alert.absentSelf', lang: string | null, child: string) => {
      const language = fallbackChain(lang, ctx.school.defaultLanguage)[0]!;
      const body = composer().text(key, language, ctx.school, details, { child, day: formatDay(date, language) });
      return { language, body, segments: segmentCount(body) };
    };
    const recipients: PreviewRecipient[] = [];
    for (const s of found) {
      const base = { student: `${s.firstName} ${s.lastName}`, className: s.class?.name ?? null };
      const adult = s.birthDate ? ageOn(s.birthDate, date) >= 18 : false;
      if (adult) recipients.push({ ...base, to: `${base.student} (leerling zelf)`, skipped: null, ...text('alert.absentSelf', s.language, s.firstName) });
      for (const link of s.guardians) {
        if (!link.hasCustody) continue;
        const skipped = adult && !s.parentsMayBeInformed ? 'adult_student' : !link.guardian.alertConsent ? 'no_consent' : null;
        recipients.push({ ...base, to: link.guardian.name, skipped, ...text('alert.absent', link.guardian.language, s.firstName) });
      }
    }
    res.type('html').send(alertPreviewPage(ctx, { date, students: found.map((s) => s.id), recipients }));
  });

  router.post('/staff/alerts/send', async (req, res) => {
    const ctx = staffOf(res);
    const { date, students } = chosen(req);
    const error = problem(ctx, date, students);
    if (error) return form(res, ctx, isValidIsoDate(date) ? date : today(ctx), students, 400, error);
    const details = await schoolDetails(db, ctx.school);
    const alerts = new AbsenceAlerts(db, composer());
    const run = await alerts.send(await loadSchoolContext(db, ctx.school, details), { date, students, requestedBy: `${ctx.actor.name} (inbox)`, now: now() });
    const alerted = run.students.filter((s) => s.status === 'alerted').length;
    await audit(db, { schoolId: ctx.actor.schoolId, staffId: ctx.actor.id, action: 'send_alert', detail: `${date}: ${alerted} of ${run.students.length} students alerted` });
    log.info({ school: ctx.school.slug, date, students: run.students.length, alerted }, 'absence alerts queued from the inbox');
    res.redirect(303, `/staff/alerts/status?date=${date}&sent=${alerted}`);
  });

  router.get('/staff/alerts/status', async (req, res) => {
    const ctx = staffOf(res);
    const date = typeof req.query.date === 'string' && isValidIsoDate(req.query.date) ? req.query.date : today(ctx);
    const list = await db.absenceAlert.findMany({
      where: { schoolId: ctx.actor.schoolId, date },
      include: { student: { include: { class: true } }, deliveries: true },
      orderBy: { createdAt: 'asc' },
    });
    const messageIds = list.flatMap((a) => a.deliveries.map((d) => d.messageId)).filter((m): m is string => Boolean(m));
    const guardianIds = list.flatMap((a) => a.deliveries.map((d) => d.guardianId)).filter((g): g is string => Boolean(g));
    const [messages, guardians] = await Promise.all([
      db.message.findMany({ where: { id: { in: messageIds }, schoolId: ctx.actor.schoolId }, select: { id: true, status: true, statusReason: true } }),
      db.guardian.findMany({ where: { id: { in: guardianIds }, schoolId: ctx.actor.schoolId }, select: { id: true, name: true } }),
    ]);
    const sent = typeof req.query.sent === 'string' ? Number(req.query.sent) : null;
    res.type('html').send(alertStatusPage(ctx, {
      date, list, sent: Number.isFinite(sent) ? sent : null,
      messages: new Map(messages.map((m) => [m.id, m])), guardians: new Map(guardians.map((g) => [g.id, g.name])),
    }));
  });
  return router;
}
