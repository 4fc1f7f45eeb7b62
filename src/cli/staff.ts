/**
 * Staff accounts for the inbox.
 *   npm run staff -- list <school-slug>
 *   npm run staff -- add <school-slug> <role> <email> <name...>
 *   npm run staff -- set-password <school-slug> <email>     (reads the password from stdin)
 *   npm run staff -- deactivate <school-slug> <email>
 * Roles: teacher, mentor, parent_contact, attendance, care_coordinator, director.
 */
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { loadConfig } from '../config/config.js';
import { createDb, type Db } from '../db/client.js';
import { STAFF_ROLES } from '../handoff/assign.js';
import { hashPassword } from '../staff/passwords.js';

const USAGE = 'usage: npm run staff -- list <school> | add <school> <role> <email> <name...> | set-password <school> <email> | deactivate <school> <email>';
const Email = z.email('must be an e-mail address');
const Role = z.enum(STAFF_ROLES, { message: `must be one of ${STAFF_ROLES.join(', ')}` });
const MIN_PASSWORD = 12;

async function school(db: Db, slug: string) {
  const found = await db.school.findUnique({ where: { slug } });
  if (!found) throw new Error(`no school with slug "${slug}"`);
  return found;
}

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(`new password (at least ${MIN_PASSWORD} characters): `);
  const line = (await rl[Symbol.asyncIterator]().next()).value as string | undefined;
  rl.close();
  const password = (line ?? '').trim();
  if (password.length < MIN_PASSWORD) throw new Error(`password: at least ${MIN_PASSWORD} characters`);
  return password;
}

async function main() {
  const [command, slug, ...args] = process.argv.slice(2);
  const db = createDb(loadConfig().DATABASE_URL);
  try {
    if (command === 'list' && slug) {
      const s = await school(db, slug);
      for (const m of await db.staff.findMany({ where: { schoolId: s.id }, orderBy: { name: 'asc' } })) {
        console.log(`${m.active ? ' ' : 'x'} ${m.role.padEnd(17)} ${m.name.padEnd(24)} ${m.email ?? '(no e-mail)'}${m.passwordHash ? '' : '  (no password)'}${m.teamsUserId ? '  Teams' : ''}`);
      }
    } else if (command === 'add' && slug && args.length >= 3) {
      const s = await school(db, slug);
      const role = Role.parse(args[0]);
      const email = Email.parse(args[1]).toLowerCase();
      const created = await db.staff.create({ data: { schoolId: s.id, role, email, name: args.slice(2).join(' ') } });
      console.log(`added ${created.name} (${role}); set a password with: npm run staff -- set-password ${slug} ${email}`);
    } else if (command === 'set-password' && slug && args.length === 1) {
      const s = await school(db, slug);
      const email = Email.parse(args[0]).toLowerCase();
      const passwordHash = await hashPassword(await readPassword());
      const { count } = await db.staff.updateMany({ where: { schoolId: s.id, email }, data: { passwordHash } });
      if (count === 0) throw new Error(`no staff member with e-mail ${email} at ${slug}`);
      await db.staffSession.deleteMany({ where: { staff: { schoolId: s.id, email } } });
      console.log('password set; existing sessions were signed out');
    } else if (command === 'deactivate' && slug && args.length === 1) {
      const s = await school(db, slug);
      const { count } = await db.staff.updateMany({ where: { schoolId: s.id, email: args[0]!.toLowerCase() }, data: { active: false } });
      if (count === 0) throw new Error(`no staff member with e-mail ${args[0]} at ${slug}`);
      await db.staffSession.deleteMany({ where: { staff: { schoolId: s.id, email: args[0]!.toLowerCase() } } });
      console.log('deactivated; open tickets stay assigned until someone reassigns them');
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  const message = err instanceof z.ZodError ? err.issues.map((i) => i.message).join('; ') : (err as Error).message;
  console.error(`error: ${message}`);
  process.exit(1);
});
