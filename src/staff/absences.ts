import { Router } from 'express';
import { isValidIsoDate, localNow } from '../absence/dates.js';
import type { Db } from '../db/client.js';
import { audit } from './audit.js';
import { staffOf } from './session.js';
import { absencesPage } from './views/absences.js';

/** Today's absence reports of the staff member's school, and today's alerts nobody answered. */
export async function absenceOverview(db: Db, schoolId: string, date: string) {
  const [absences, alerts] = await Promise.all([
    // The same selection as the school API (GET /api/v1/schools/:school/absences).
    db.absence.findMany({
      where: { schoolId, startDate: { lte: date }, endDate: { gte: date } },
      include: { student: { include: { class: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    db.absenceAlert.findMany({
      where: { schoolId, date, deliveries: { none: { repliedAt: { not: null } } } },
      include: { student: { include: { class: true } }, deliveries: true },
      orderBy: { createdAt: 'asc' },
    }),
  ]);
  const guardianIds = [...absences.map((a) => a.guardianId), ...alerts.flatMap((a) => a.deliveries.map((d) => d.guardianId))]
    .filter((g): g is string => Boolean(g));
  const guardians = new Map((await db.guardian.findMany({ where: { id: { in: guardianIds }, schoolId }, select: { id: true, name: true } })).map((g) => [g.id, g.name]));
  return { date, absences, unanswered: alerts, guardians };
}
export type AbsenceOverview = Awaited<ReturnType<typeof absenceOverview>>;

export function absenceRoutes({ db, now }: { db: Db; now: () => Date }): Router {
  const router = Router();

  router.get('/staff/absences', async (req, res) => {
    const ctx = staffOf(res);
    const today = localNow(now(), ctx.school.timezone).date;
    const asked = typeof req.query.date === 'string' && isValidIsoDate(req.query.date) ? req.query.date : today;
    const notice = req.query.done === 'ack' ? 'Gemarkeerd als gezien.' : req.query.done === 'already' ? 'Deze melding was al gezien.' : null;
    res.type('html').send(absencesPage(ctx, await absenceOverview(db, ctx.actor.schoolId, asked), today, notice));
  });

  // The same effect as the API's acknowledge, with the staff member's name as who saw it.
  router.post('/staff/absences/:id/acknowledge', async (req, res) => {
    const ctx = staffOf(res);
    const id = String(req.params.id);
    const { count } = await db.absence.updateMany({
      where: { id, schoolId: ctx.actor.schoolId, status: 'reported' },
      data: { status: 'acknowledged', acknowledgedBy: ctx.actor.name, acknowledgedAt: now() },
    });
    const absence = await db.absence.findFirst({ where: { id, schoolId: ctx.actor.schoolId } });
    if (!absence) {
      res.status(404).type('text/plain; charset=utf-8').send('Deze afmelding bestaat niet.');
      return;
    }
    if (count) await audit(db, { schoolId: ctx.actor.schoolId, staffId: ctx.actor.id, action: 'acknowledge_absence', detail: `absence ${id}` });
    const shown = (req.body as Record<string, unknown> | undefined)?.date;
    const date = typeof shown === 'string' && isValidIsoDate(shown) ? `date=${shown}&` : '';
    res.redirect(303, `/staff/absences?${date}done=${count ? 'ack' : 'already'}`);
  });
  return router;
}
