import { ActivityTypes, CardFactory, TurnContext, type Activity } from 'botbuilder';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { CANNED_REPLIES, HandoffError, type Actor, type HandoffDesk } from '../../handoff/desk.js';
import type { Logger } from '../../logger.js';
import { confirmCard, languageNameNl } from './card.js';
import { consumeTeamsLinkCode } from './link.js';

const HOW_TO_LINK =
  'Hallo! Ik ben Ouderlijn. Via mij krijgt u vragen van ouders in Teams en kunt u ze beantwoorden.\n\n' +
  'Uw Teams-account is nog niet gekoppeld. Zo koppelt u het: log in op de Ouderlijn-inbox, kies "Koppel Microsoft Teams" ' +
  'en stuur mij de code die u krijgt, bijvoorbeeld: **koppel 123456** (of **link 123456**). De code is 15 minuten geldig.';
const HOW_TO_USE =
  'U bent gekoppeld. Vragen van ouders komen hier als kaart binnen. Gebruik de knoppen op de kaart: Oppakken, Antwoorden ' +
  '(standaardantwoord of eigen tekst) en Afsluiten. Tekst die u hier los typt, gaat niet naar ouders.';
const PERSONAL_ONLY = 'Ouderlijn werkt alleen in een persoonlijke chat met de bot, want de vragen gaan over kinderen. Open een chat met mij.';

/** Card submits: the button's data plus the card's inputs. */
const Submit = z.object({
  action: z.enum(['claim', 'reply', 'send', 'close']),
  ticketId: z.string().min(1).max(64),
  canned: z.string().max(40).optional().nullable(),
  text: z.string().max(4000).optional().nullable(),
  translation: z.string().max(4000).optional().nullable(),
});

/** "link 123456", "koppel 123 456", "Link: 123456" (Teams may wrap text in HTML). */
const LINK = /^(?:link|koppel)\s*:?\s*(\d{3})\s?(\d{3})$/i;
const plain = (text: string | undefined) => (text ?? '').replace(/<[^>]*>/g, ' ').replace(/&nbsp;|\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

export interface BotDeps {
  db: Db;
  desk: HandoffDesk;
  log: Logger;
  now: () => Date;
}

/** The turn logic: linking, and the card buttons of linked staff. */
export function createBotLogic({ db, desk, log, now }: BotDeps) {
  // Guessing codes: five wrong tries per Teams user per 15 minutes, then a pause.
  const failedLinks = new RateLimiterMemory({ points: 5, duration: 15 * 60 });

  async function link(ctx: TurnContext, userId: string, code: string) {
    const tries = await failedLinks.get(userId);
    if (tries && tries.consumedPoints >= 5) {
      await ctx.sendActivity('Te veel verkeerde codes. Probeer het over een kwartier opnieuw met een nieuwe code uit de inbox.');
      return;
    }
    const reference = TurnContext.getConversationReference(ctx.activity);
    // Stored for proactive messages; the id of this "koppel" message is of no use there.
    delete reference.activityId;
    const outcome = await consumeTeamsLinkCode(db, { code, teamsUserId: userId, reference: JSON.stringify(reference), now: now() });
    if (outcome.ok) {
      log.info({ staff: outcome.staff.id, relinked: outcome.relinked }, 'Teams account linked');
      await ctx.sendActivity(`Gelukt, ${outcome.staff.name}: uw Teams-account is gekoppeld aan Ouderlijn${outcome.relinked ? ' (de vorige koppeling is vervangen)' : ''}. ${HOW_TO_USE}`);
      return;
    }
    await failedLinks.consume(userId).catch(() => undefined);
    await ctx.sendActivity(
      outcome.reason === 'expired' ? 'Deze code is verlopen. Vraag in de Ouderlijn-inbox een nieuwe code aan (hij is 15 minuten geldig).'
      : outcome.reason === 'user_linked_elsewhere' ? `Dit Teams-account is al gekoppeld aan een ander Ouderlijn-account${outcome.otherName ? ` (${outcome.otherName})` : ''}. Eén Teams-account hoort bij één Ouderlijn-account.`
      : 'Deze code ken ik niet. Controleer de code in de Ouderlijn-inbox en stuur: koppel 123456.',
    );
  }

  async function submit(ctx: TurnContext, actor: Actor, value: unknown) {
    const parsed = Submit.safeParse(value);
    if (!parsed.success) {
      await ctx.sendActivity('Deze knop begrijp ik niet. Open de vraag in de inbox.');
      return;
    }
    const { action, ticketId } = parsed.data;
    const text = parsed.data.text?.trim() ?? '';
    const canned = parsed.data.canned?.trim() ?? '';
    try {
      if (action === 'claim') {
        await desk.claim(actor, ticketId, 'teams');
        await ctx.sendActivity('U heeft deze vraag opgepakt. Ouderlijn antwoordt de ouder niet meer automatisch tot u afsluit.');
      } else if (action === 'close') {
        await desk.close(actor, ticketId, 'teams');
        await ctx.sendActivity('Afgesloten. De ouder krijgt bericht dat de vraag is afgehandeld.');
      } else if (action === 'send' || (action === 'reply' && text && !canned)) {
        if (!text) throw new HandoffError(400, 'Schrijf eerst een antwoord.');
        const translation = parsed.data.translation?.trim() || undefined;
        if (action === 'reply') {
          // Free text: show what the parent would get first, unless they read Dutch anyway.
          const preview = await desk.preview(actor, ticketId, { text });
          if (preview.language !== 'nl') {
            await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(confirmCard({ ticketId, text, ...preview }))] });
            return;
          }
        }
        const sent = await desk.reply(actor, ticketId, { text, translation }, 'teams');
        await ctx.sendActivity(`Verstuurd naar de ouder (${languageNameNl(sent.language)}, ${sent.channel === 'whatsapp' ? 'WhatsApp' : 'sms'}).`);
      } else if (text && canned) {
        await ctx.sendActivity('Kies óf een standaardantwoord óf schrijf zelf een antwoord, niet allebei.');
      } else if (canned) {
        if (!(CANNED_REPLIES as readonly string[]).includes(canned)) throw new HandoffError(400, 'Onbekend standaardantwoord.');
        const sent = await desk.reply(actor, ticketId, { canned: canned as (typeof CANNED_REPLIES)[number] }, 'teams');
        await ctx.sendActivity(`Verstuurd naar de ouder (${languageNameNl(sent.language)}, ${sent.channel === 'whatsapp' ? 'WhatsApp' : 'sms'}).`);
      } else {
        await ctx.sendActivity('Kies een standaardantwoord of schrijf een antwoord, en klik dan op Antwoorden.');
      }
    } catch (err) {
      if (!(err instanceof HandoffError)) throw err;
      // The desk's refusals are written in Dutch for staff.
      await ctx.sendActivity(err.message);
    }
  }

  return async function onTurn(ctx: TurnContext) {
    const activity: Activity = ctx.activity;
    const personal = !activity.conversation?.conversationType || activity.conversation.conversationType === 'personal';
    if (activity.type === ActivityTypes.ConversationUpdate) {
      // The bot was added to a personal chat: explain how to link.
      if (personal && activity.membersAdded?.some((m) => m.id === activity.recipient?.id)) await ctx.sendActivity(HOW_TO_LINK);
      return;
    }
    if (activity.type !== ActivityTypes.Message) return;
    if (!personal) {
      await ctx.sendActivity(PERSONAL_ONLY);
      return;
    }
    const userId = activity.from?.aadObjectId ?? activity.from?.id;
    if (!userId) return;
    const code = LINK.exec(plain(activity.text));
    if (code) return link(ctx, userId, `${code[1]}${code[2]}`);

    const staff = await db.staff.findUnique({ where: { teamsUserId: userId } });
    if (!staff || !staff.active) {
      await ctx.sendActivity(HOW_TO_LINK);
      return;
    }
    // Keep the reference fresh: Teams may move a conversation to another service URL.
    const reference = TurnContext.getConversationReference(activity);
    delete reference.activityId;
    const json = JSON.stringify(reference);
    if (json !== staff.teamsReference) await db.staff.update({ where: { id: staff.id }, data: { teamsReference: json } });

    const value = activity.value as { action?: unknown } | undefined;
    if (value && typeof value === 'object' && 'action' in value) {
      return submit(ctx, { id: staff.id, schoolId: staff.schoolId, name: staff.name, role: staff.role }, value);
    }
    await ctx.sendActivity(HOW_TO_USE);
  };
}
