import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { hashPassword } from '../staff/passwords.js';

/**
 * A fictional primary school so a fresh checkout can be tried at once. Names and numbers
 * are invented; no real person's data. Seeded only when the database holds no school.
 */
export const DEMO_SCHOOL = {
  slug: 'demo-regenboog',
  name: 'Basisschool De Regenboog',
  kind: 'primary',
  isDemo: true,
  defaultLanguage: 'nl',
  phone: '020 555 0100',
  email: 'info@regenboog.example.nl',
  website: 'https://regenboog.example.nl',
  address: 'Voorbeeldstraat 1, Amsterdam',
  city: 'Amsterdam',
  startTime: '08:30',
  endTime: '14:30',
  absenceCutoff: '08:15',
  contactHours: 'ma-vr 08:00-16:30',
  guideUrl: 'https://regenboog.example.nl/schoolgids',
  portalName: 'Parro',
  portalUrl: 'https://regenboog.example.nl/ouders',
  holidaysUrl: 'https://regenboog.example.nl/vakanties',
  parentContribution: '€ 45',
  childcareProvider: 'Kinderopvang Zonnestraal',
  board: 'Stichting Voorbeeldscholen',
};

export const DEMO_NUMBERS = { sms: '+3197010000100', whatsapp: '+3197010000100' };

const STAFF = [
  { key: 'teacher3', name: 'Juf Anouk', role: 'teacher', languages: 'nl,en', email: 'anouk@regenboog.example.nl' },
  { key: 'teacher5', name: 'Meester Karim', role: 'teacher', languages: 'nl,ar,fr', email: 'karim@regenboog.example.nl' },
  { key: 'teacher7', name: 'Juf Elif', role: 'teacher', languages: 'nl,tr', email: 'elif@regenboog.example.nl' },
  { key: 'contact', name: 'Samira Bouzid', role: 'parent_contact', languages: 'nl,ar,fr', email: 'samira@regenboog.example.nl' },
  { key: 'attendance', name: 'Henk Jansen', role: 'attendance', languages: 'nl', email: 'henk@regenboog.example.nl' },
  { key: 'care', name: 'Marieke de Boer', role: 'care_coordinator', languages: 'nl,en', email: 'marieke@regenboog.example.nl' },
  { key: 'director', name: 'Peter van Dijk', role: 'director', languages: 'nl,en', email: 'peter@regenboog.example.nl' },
] as const;

/**
 * The demo school's staff sign in with their e-mail address and this password. Demo only:
 * a real school's accounts get their own passwords (npm run staff -- set-password).
 */
export const DEMO_STAFF_PASSWORD = 'regenboog-demo';

const CLASSES = [
  { name: 'groep 3a', teacher: 'teacher3' },
  { name: 'groep 5b', teacher: 'teacher5' },
  { name: 'groep 7', teacher: 'teacher7' },
] as const;

/** Students and their guardians, who prefer different languages. */
const FAMILIES = [
  { guardian: { name: 'Ayşe Yılmaz', phone: '+31600000101', language: 'tr' }, children: [['Emre', 'Yılmaz', 'groep 5b'], ['Elif', 'Yılmaz', 'groep 3a']] },
  { guardian: { name: 'Mohamed El Idrissi', phone: '+31600000102', language: 'ar' }, children: [['Sami', 'El Idrissi', 'groep 7']] },
  { guardian: { name: 'Anna Kowalska', phone: '+31600000103', language: 'pl' }, children: [['Zofia', 'Kowalska', 'groep 3a']] },
  { guardian: { name: 'Olena Shevchenko', phone: '+31600000104', language: 'uk' }, children: [['Maksym', 'Shevchenko', 'groep 5b']] },
  { guardian: { name: 'Sanne de Vries', phone: '+31600000105', language: 'nl' }, children: [['Daan', 'de Vries', 'groep 7']] },
  { guardian: { name: 'Aminata Diallo', phone: '+31600000106', language: 'fr' }, children: [['Inès', 'Diallo', 'groep 5b']] },
  { guardian: { name: 'Lucía García', phone: '+31600000107', language: 'es' }, children: [['Mateo', 'García', 'groep 3a']] },
  { guardian: { name: 'James Walker', phone: '+31600000108', language: 'en' }, children: [['Lily', 'Walker', 'groep 7']] },
] as const;

export async function seedDemoSchool(db: Db, log: Logger): Promise<boolean> {
  if ((await db.school.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
  await db.$transaction(async (tx) => {
    const school = await tx.school.create({ data: DEMO_SCHOOL });
    await tx.schoolNumber.createMany({
      data: [
        { schoolId: school.id, channel: 'sms', address: DEMO_NUMBERS.sms },
        { schoolId: school.id, channel: 'whatsapp', address: DEMO_NUMBERS.whatsapp },
      ],
    });
    const staff: Record<string, string> = {};
    for (const s of STAFF) {
      const created = await tx.staff.create({
        data: { schoolId: school.id, name: s.name, role: s.role, languages: s.languages, email: s.email, passwordHash, notifyByEmail: true },
      });
      staff[s.key] = created.id;
    }
    const classes: Record<string, string> = {};
    for (const c of CLASSES) {
      const created = await tx.schoolClass.create({ data: { schoolId: school.id, name: c.name, teacherId: staff[c.teacher] ?? null } });
      classes[c.name] = created.id;
    }
    let number = 1000;
    for (const family of FAMILIES) {
      const guardian = await tx.guardian.create({
        data: { schoolId: school.id, ...family.guardian, whatsapp: family.guardian.phone, languageSource: 'school', alertConsent: true },
      });
      for (const [firstName, lastName, className] of family.children) {
        // externalId: the student's number in the school's administration system.
        number++;
        const student = await tx.student.create({ data: { schoolId: school.id, externalId: String(number), firstName, lastName, classId: classes[className] ?? null } });
        await tx.guardianStudent.create({ data: { guardianId: guardian.id, studentId: student.id } });
      }
    }
  });
  log.info({ school: DEMO_SCHOOL.slug }, 'seeded the demo school (it answers on any number while it is the only school)');
  return true;
}
