/**
 * Privacy tools for the school (the controller) and its processor (whoever runs Ouderlijn):
 *
 *   npm run privacy -- purge [--dry-run] [--school <slug>]     the retention job now (it also runs daily)
 *   npm run privacy -- export <school-slug> <phone>             one number's data as JSON on stdout
 *   npm run privacy -- erase <school-slug> <phone> --confirm <phone>
 *   npm run privacy -- retention <school-slug> [<days> [<audit-days>]]   show or set the periods
 */
import { loadConfig } from '../config/config.js';
import { createDb, type Db } from '../db/client.js';
import { eraseGuardianData } from '../privacy/erasure.js';
import { auditExport, exportGuardianData } from '../privacy/export.js';
import { E164_PROBLEM, parseE164 } from '../privacy/phone.js';
import { MIN_RETENTION_DAYS, retentionPeriods, runRetention, type RetentionCounts } from '../privacy/retention.js';

const USAGE = `usage:
  npm run privacy -- purge [--dry-run] [--school <slug>]
  npm run privacy -- export <school-slug> <phone>
  npm run privacy -- erase <school-slug> <phone> --confirm <phone>
  npm run privacy -- retention <school-slug> [<days> [<audit-days>]]`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

function phoneArg(raw: string | undefined): string {
  const phone = raw === undefined ? null : parseE164(raw);
  if (!phone) throw new UsageError(`phone ${E164_PROBLEM}`);
  return phone;
}

async function school(db: Db, slug: string | undefined) {
  if (!slug) throw new UsageError('name the school by its slug');
  const found = await db.school.findUnique({ where: { slug } });
  if (!found) throw new Error(`no school with slug "${slug}"`);
  return found;
}

const COLUMNS: [keyof RetentionCounts, string][] = [
  ['messages', 'message bodies'], ['absences', "parents' words in absences"], ['pendingState', 'pending MORE/absence questions'],
  ['anonymisedConversations', 'numbers of inactive unknown senders'], ['notifications', 'staff notices'], ['auditEvents', 'audit events'],
];

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const db = createDb(loadConfig().DATABASE_URL);
  try {
    if (command === 'purge') {
      const dryRun = flag(args, '--dry-run');
      const only = option(args, '--school');
      if (args.length) throw new UsageError(`unexpected ${args.join(' ')}`);
      const report = await runRetention(db, { dryRun, ...(only ? { school: only } : {}) });
      const verb = dryRun ? 'would remove' : 'removed';
      for (const s of report.schools) {
        console.log(`${s.school}: messages older than ${s.retentionDays} days (before ${s.cutoff.slice(0, 10)}), audit log older than ${s.auditRetentionDays} days`);
        for (const [key, label] of COLUMNS) console.log(`  ${verb} ${String(s.counts[key]).padStart(7)}  ${label}`);
      }
      console.log(`${verb} ${report.expiredSessions} expired staff sessions, ${report.expiredTeamsLinkCodes} expired Teams link codes`);
      if (dryRun) console.log('dry run: nothing was changed');
    } else if (command === 'export') {
      const [slug, raw, ...rest] = args;
      if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
      const s = await school(db, slug);
      const data = await exportGuardianData(db, s, phoneArg(raw));
      if (!data) throw new Error('nothing is stored for this number at this school');
      await auditExport(db, s.id, 'cli');
      console.log(JSON.stringify(data, null, 2));
    } else if (command === 'erase') {
      const confirm = option(args, '--confirm');
      const [slug, raw, ...rest] = args;
      if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
      const s = await school(db, slug);
      const phone = phoneArg(raw);
      if (!confirm || parseE164(confirm) !== phone) {
        throw new UsageError('erasure cannot be undone: repeat the number with --confirm <phone>');
      }
      const result = await eraseGuardianData(db, s, phone, { requestedBy: 'cli' });
      if (!result) throw new Error('nothing is stored for this number at this school');
      console.log(`erased: ${result.guardians} guardian record(s), ${result.conversations} conversation(s), ${result.messages} message(s) ` +
        `(rows kept without content), ${result.tickets} ticket(s) of which ${result.ticketsClosed} closed now, ` +
        `${result.absences} absence(s) kept for the attendance record without the parent's words, ${result.alertDeliveries} alert deliveries unlinked`);
    } else if (command === 'retention') {
      const [slug, days, auditDays, ...rest] = args;
      if (rest.length) throw new UsageError(`unexpected ${rest.join(' ')}`);
      let s = await school(db, slug);
      if (days !== undefined) {
        const retentionDays = Number(days);
        const auditRetentionDays = auditDays === undefined ? Math.max(s.auditRetentionDays, retentionDays) : Number(auditDays);
        if (!Number.isInteger(retentionDays) || retentionDays < MIN_RETENTION_DAYS) throw new UsageError(`days must be a whole number of at least ${MIN_RETENTION_DAYS}`);
        if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < retentionDays) throw new UsageError('audit-days must be a whole number, at least days');
        s = await db.school.update({ where: { id: s.id }, data: { retentionDays, auditRetentionDays } });
      }
      const p = retentionPeriods(s);
      console.log(`${s.slug}: message content kept ${p.retentionDays} days, audit log ${p.auditRetentionDays} days`);
    } else {
      throw new UsageError(command ? `unknown command "${command}"` : 'name a command');
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
