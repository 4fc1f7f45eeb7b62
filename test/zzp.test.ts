import { it } from 'vitest';
import { createTestDb } from '/work/main/test/helpers/db.js';
it('x', async () => {
  const { db, cleanup } = await createTestDb();
  try { await db.message.create({ data: { body: 'Daan is ziek geheim', fromAddress: '+31600000105' } as never }); } catch (e) { console.log('NAME', (e as Error).name, (e as {code?: string}).code, '\nMSG', (e as Error).message, '\nSTACK', (e as Error).stack?.slice(0, 300)); }
  try { await db.school.create({ data: { slug: 'a', name: 'b', kind: 'c' } }); await db.school.create({ data: { slug: 'a', name: 'Daan geheim', kind: 'c' } }); } catch (e) { console.log('NAME', (e as Error).name, (e as {code?: string}).code, '\nMSG', (e as Error).message); }
  await cleanup();
});
