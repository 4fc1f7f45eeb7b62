import { Router, type Request, type Response } from 'express';
import type { ReplyComposer } from '../conversation/replies.js';
import type { Db } from '../db/client.js';
import { schoolDetails } from '../directory/schools.js';
import { CANNED_REPLIES, HandoffDesk, HandoffError, type CannedReply, type ReplyInput, type ReplyPreview } from '../handoff/desk.js';
import { medianFirstReply } from '../handoff/sla.js';
import type { Logger } from '../logger.js';
import { dutchMessage } from './errors.js';
import { staffOf, type StaffContext } from './session.js';
import { inboxPage } from './views/inbox.js';
import { page } from './views/layout.js';
import { ticketPage } from './views/ticket.js';

export interface TicketRouteDeps {
  db: Db;
  desk: HandoffDesk;
  composer: () => ReplyComposer;
  log: Logger;
  now: () => Date;
}

const DONE: Record<string, string> = {
  claimed: 'U heeft deze vraag opgepakt. Zolang u hem heeft, antwoordt Ouderlijn de ouder niet automatisch.',
  reassigned: 'De vraag is doorgestuurd.',
  sent: 'Verstuurd. Hieronder ziet u de status van het bericht.',
  closed: 'De vraag is afgesloten; de ouder heeft daarover een bericht gekregen.',
};

function field(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

function replyInput(req: Request): { input: ReplyInput; choice: string; text: string } {
  const choice = field(req, 'choice');
  const text = field(req, 'text');
  if ((CANNED_REPLIES as readonly string[]).includes(choice)) return { input: { canned: choice as CannedReply }, choice, text };
  const translation = field(req, 'translation').trim();
  return { input: { text, ...(translation ? { translation } : {}) }, choice: 'text', text };
}

/** The inbox and one ticket: claim, reassign, preview, reply, close. */
export function ticketRoutes({ db, desk, composer, log, now }: TicketRouteDeps): Router {
  const router = Router();

  const render = async (res: Response, id: string, extra: { status?: number; error?: string; notice?: string; choice?: string; text?: string; preview?: ReplyPreview } = {}) => {
    const ctx = staffOf(res);
    let view;
    try {
      view = await desk.view(ctx.actor, id, 'inbox');
    } catch (err) {
      if (!(err instanceof HandoffError)) throw err;
      res.status(err.status).type('html').send(page({ title: 'Niet gevonden', ctx, nav: 'inbox', error: dutchMessage(err), body: '' }));
      return;
    }
    const [colleagues, canned] = await Promise.all([
      db.staff.findMany({ where: { schoolId: ctx.actor.schoolId }, select: { id: true, name: true, role: true, active: true }, orderBy: { name: 'asc' } }),
      cannedTexts(ctx),
    ]);
    res.status(extra.status ?? 200).type('html').send(ticketPage(ctx, {
      view, colleagues, now: now(), notice: extra.notice, error: extra.error,
      reply: { canned, translatorAvailable: desk.translator !== null, choice: extra.choice, text: extra.text, preview: extra.preview },
    }));
  };

  const cannedTexts = async (ctx: StaffContext) => {
    const details = await schoolDetails(db, ctx.school);
    return CANNED_REPLIES.map((key) => ({ key, text: composer().text(`canned.${key}`, 'nl', ctx.school, details, { staffName: ctx.actor.name }) }));
  };

  /** Runs a desk action; a HandoffError shows the ticket again with the message and its status. */
  const act = (fn: (req: Request, ctx: StaffContext, id: string) => Promise<string>) => async (req: Request, res: Response) => {
    const id = String(req.params.id);
    try {
      res.redirect(303, await fn(req, staffOf(res), id));
    } catch (err) {
      if (!(err instanceof HandoffError)) throw err;
      await render(res, id, { status: err.status, error: dutchMessage(err), choice: field(req, 'choice') || undefined, text: field(req, 'text') });
    }
  };

  router.get('/staff', async (req, res) => {
    const ctx = staffOf(res);
    const at = now();
    const [tickets, sla] = await Promise.all([
      desk.openTickets(ctx.actor),
      medianFirstReply(db, ctx.actor.schoolId, new Date(at.getTime() - 30 * 86_400_000)),
    ]);
    res.type('html').send(inboxPage(ctx, tickets, sla, at, DONE[String(req.query.done)] ?? null));
  });

  router.get('/staff/tickets/:id', async (req, res) => {
    await render(res, String(req.params.id), { notice: DONE[String(req.query.done)] });
  });

  router.post('/staff/tickets/:id/claim', act(async (_req, ctx, id) => {
    await desk.claim(ctx.actor, id, 'inbox');
    return `/staff/tickets/${id}?done=claimed`;
  }));

  router.post('/staff/tickets/:id/reassign', act(async (req, ctx, id) => {
    await desk.reassign(ctx.actor, id, field(req, 'to'), 'inbox');
    const ticket = await db.ticket.findFirst({ where: { id, schoolId: ctx.actor.schoolId } });
    // Passed on to someone else: the sender may no longer see it.
    return ticket && desk.canSee(ctx.actor, ticket) ? `/staff/tickets/${id}?done=reassigned` : '/staff?done=reassigned';
  }));

  router.post('/staff/tickets/:id/close', act(async (_req, ctx, id) => {
    await desk.close(ctx.actor, id, 'inbox');
    return '/staff?done=closed';
  }));

  router.post('/staff/tickets/:id/reply', act(async (req, ctx, id) => {
    const { messageId } = await desk.reply(ctx.actor, id, replyInput(req).input, 'inbox');
    log.info({ ticketId: id, messageId }, 'staff reply queued from the inbox');
    return `/staff/tickets/${id}?done=sent`;
  }));

  router.post('/staff/tickets/:id/preview', async (req, res) => {
    const id = String(req.params.id);
    const { input, choice, text } = replyInput(req);
    try {
      const preview = await desk.preview(staffOf(res).actor, id, input);
      await render(res, id, { choice, text, preview });
    } catch (err) {
      if (err instanceof HandoffError) {
        await render(res, id, { status: err.status, error: dutchMessage(err), choice, text });
        return;
      }
      log.warn({ err, ticketId: id }, 'reply preview failed (translation?)');
      await render(res, id, { status: 502, error: 'De vertaling is niet gelukt. Probeer het opnieuw, of kies een standaardantwoord.', choice, text });
    }
  });
  return router;
}
