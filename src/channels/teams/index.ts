import express, { Router } from 'express';
import { ActivityEventNames, ActivityTypes, CardFactory, CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Db } from '../../db/client.js';
import type { Actor, HandoffDesk } from '../../handoff/desk.js';
import type { Notice, NoticeTransport } from '../../handoff/notifier.js';
import type { Logger } from '../../logger.js';
import { createTeamsAuth, type TeamsConfig } from './auth.js';
import { createBotLogic } from './bot.js';
import { ticketCard } from './card.js';
import { rejectNulInBody } from '../../http/nul.js';

export { createTeamsAuth, teamsAuthOptions, type TeamsConfig } from './auth.js';
export { issueTeamsLinkCode, unlinkTeams, TeamsLinkError, LINK_CODE_TTL_MS } from './link.js';

export interface TeamsDeps {
  db: Db;
  desk: HandoffDesk;
  log: Logger;
  publicBaseUrl: string;
  config: TeamsConfig;
  /** Tests may bring their own authentication; otherwise it is built from `config`. */
  auth?: ConstructorParameters<typeof CloudAdapter>[0];
  /**
   * Without MICROSOFT_APP_ID botbuilder checks no tokens (the Emulator's mode): anyone could
   * post activities. Refused unless this is set, which only tests and local tries should do.
   */
  allowUnauthenticated?: boolean;
  now?: () => Date;
}

export interface TeamsChannel {
  /** POST /api/messages, for createApp({ teams }). */
  routes: Router;
  /** The notifier's transport for channel 'teams'. */
  transport: NoticeTransport;
  adapter: CloudAdapter;
  /** Redraws every Teams card of a ticket (called on every desk change). */
  updateCards: (ticketId: string) => Promise<void>;
  /** Resolves when the card updates started so far have finished (tests, shutdown). */
  idle: () => Promise<void>;
}

const inboxUrl = (base: string, ticketId: string) => `${base}/staff/tickets/${ticketId}`;
const actorOf = (s: { id: string; schoolId: string; name: string; role: string }): Actor => ({ id: s.id, schoolId: s.schoolId, name: s.name, role: s.role });

/**
 * Microsoft Teams for staff: a CloudAdapter on POST /api/messages (Bot Framework JWTs
 * checked by botbuilder), linking by one-time code, Adaptive Cards for notices, the card
 * buttons mapped onto the HandoffDesk (via 'teams'), and cards redrawn after each change.
 */
export function createTeamsChannel(deps: TeamsDeps): TeamsChannel {
  const { db, desk, log } = deps;
  const now = deps.now ?? (() => new Date());
  const appId = deps.config.MICROSOFT_APP_ID ?? '';
  if (!appId && !deps.auth && !deps.allowUnauthenticated) {
    throw new Error('Teams: MICROSOFT_APP_ID is not set; without it /api/messages would accept unauthenticated requests');
  }
  const adapter = new CloudAdapter(deps.auth ?? createTeamsAuth(deps.config));
  adapter.onTurnError = async (ctx, err) => {
    // Proactive turns (cards, card updates) fail to their caller: the notifier retries them.
    if (ctx.activity.type === ActivityTypes.Event && ctx.activity.name === ActivityEventNames.ContinueConversation) throw err;
    log.error({ err, activityType: ctx.activity.type }, 'Teams turn failed');
    await ctx.sendActivity('Er ging iets mis bij Ouderlijn. Probeer het later opnieuw of gebruik de inbox.').catch(() => undefined);
  };
  const logic = createBotLogic({ db, desk, log, now });

  const routes = Router();
  routes.post('/api/messages', express.json({ limit: '256kb' }), rejectNulInBody((res) => res.type('text/plain').send('Bad request: the activity contains a NUL character.')), async (req, res) => {
    await adapter.process(req, res, logic);
  });

  const transport: NoticeTransport = async (notice: Notice) => {
    if (!notice.staff.teamsReference) throw new Error('this staff member has no linked Teams account');
    const reference = JSON.parse(notice.staff.teamsReference) as Partial<ConversationReference>;
    const staff = await db.staff.findUniqueOrThrow({ where: { id: notice.staff.id } });
    const card = await ticketCard(db, desk, notice.ticket.id, actorOf(staff), { reason: notice.reason, inboxUrl: notice.inboxUrl, now: now() });
    if (!card) throw new Error('ticket not found');
    let activityId: string | undefined;
    await adapter.continueConversationAsync(appId, reference, async (ctx) => {
      activityId = (await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] }))?.id;
    });
    if (!activityId) throw new Error('Teams returned no activity id for the card');
    // The newest card of a ticket is the one kept up to date.
    await db.teamsCard.upsert({
      where: { ticketId_staffId: { ticketId: notice.ticket.id, staffId: notice.staff.id } },
      create: { ticketId: notice.ticket.id, staffId: notice.staff.id, activityId },
      update: { activityId },
    });
  };

  async function updateCards(ticketId: string) {
    const rows = await db.teamsCard.findMany({ where: { ticketId }, include: { staff: true } });
    for (const row of rows) {
      if (!row.staff.teamsReference) continue;
      try {
        const reference = JSON.parse(row.staff.teamsReference) as Partial<ConversationReference>;
        const card = await ticketCard(db, desk, ticketId, actorOf(row.staff), { reason: null, inboxUrl: inboxUrl(deps.publicBaseUrl, ticketId), now: now() });
        if (!card) continue;
        await adapter.continueConversationAsync(appId, reference, async (ctx) => {
          await ctx.updateActivity({ id: row.activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
        });
      } catch (err) {
        // A card that cannot be redrawn (deleted chat, Teams down) must not fail the staff action.
        log.warn({ err, ticketId, staffId: row.staffId }, 'Teams card update failed');
      }
    }
  }

  const pending = new Set<Promise<void>>();
  desk.onChange((ticketId, change) => {
    const job = updateCards(ticketId)
      .catch((err) => log.warn({ err, ticketId, change }, 'Teams card updates failed'))
      .finally(() => pending.delete(job));
    pending.add(job);
  });

  return {
    routes, transport, adapter, updateCards,
    idle: async () => {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
