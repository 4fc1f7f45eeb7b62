import { Router } from 'express';
import { issueTeamsLinkCode, LINK_CODE_TTL_MS, TeamsLinkError, unlinkTeams } from '../channels/teams/link.js';
import type { Db } from '../db/client.js';
import { html } from './html.js';
import { staffOf } from './session.js';
import { csrfField, page } from './views/layout.js';

/**
 * /staff/teams: link this staff account to Microsoft Teams once. The page shows a one-time
 * code; the person sends "koppel <code>" to the Ouderlijn bot in Teams.
 */
export function teamsLinkRoutes({ db, now, teamsEnabled }: { db: Db; now: () => Date; teamsEnabled: boolean }): Router {
  const router = Router();

  const render = async (res: Parameters<typeof staffOf>[0], extra: { code?: string; notice?: string; error?: string } = {}) => {
    const ctx = staffOf(res);
    const me = await db.staff.findUniqueOrThrow({ where: { id: ctx.actor.id } });
    const linked = Boolean(me.teamsUserId);
    const minutes = Math.round(LINK_CODE_TTL_MS / 60_000);
    const body = html`
<p>${teamsEnabled ? '' : 'Let op: Microsoft Teams is op deze server nog niet ingesteld; koppelen werkt pas als de beheerder dat heeft gedaan.'}</p>
<p>${linked ? 'Uw account is gekoppeld aan Microsoft Teams. Nieuwe vragen komen daar als kaart binnen; u kunt vanuit Teams oppakken, antwoorden en afsluiten.' : 'Uw account is nog niet gekoppeld aan Microsoft Teams.'}</p>
${extra.code ? html`<p class="notice" role="status">Uw code: <strong class="code">${extra.code}</strong>. Stuur in Teams aan de Ouderlijn-bot: <code>koppel ${extra.code}</code>. De code werkt ${minutes} minuten en één keer.</p>` : ''}
<form method="post" action="/staff/teams/code">${csrfField(ctx)}
  ${linked ? html`<input type="hidden" name="relink" value="1">` : ''}
  <button type="submit">${linked ? 'Opnieuw koppelen (ander Teams-account)' : 'Koppelcode maken'}</button>
</form>
${linked ? html`<form method="post" action="/staff/teams/unlink">${csrfField(ctx)}<button type="submit" class="secondary">Ontkoppelen</button></form>` : ''}`;
    res.type('html').send(page({ title: 'Microsoft Teams', ctx, body, nav: 'teams', notice: extra.notice, error: extra.error }));
  };

  router.get('/staff/teams', async (_req, res) => render(res));

  router.post('/staff/teams/code', async (req, res) => {
    const ctx = staffOf(res);
    const relink = (req.body as Record<string, unknown> | undefined)?.relink === '1';
    try {
      const issued = await issueTeamsLinkCode(db, ctx.actor.id, now(), { relink });
      await render(res, { code: issued.code });
    } catch (err) {
      if (!(err instanceof TeamsLinkError)) throw err;
      res.status(409);
      await render(res, { error: err.message });
    }
  });

  router.post('/staff/teams/unlink', async (_req, res) => {
    await unlinkTeams(db, staffOf(res).actor.id);
    await render(res, { notice: 'Ontkoppeld. U krijgt geen kaarten meer in Teams.' });
  });
  return router;
}
