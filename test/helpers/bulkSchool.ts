import type { Db } from '../../src/db/client.js';
import { SUPPORTED_LANGUAGES } from '../../src/language/languages.js';

export interface BulkSchool {
  schoolId: string;
  slug: string;
  smsNumber: string;
  /** The students' numbers in the administration system (what the alert API takes). */
  externalIds: string[];
  /** Guardian phone (E.164) per student external id: one guardian each. */
  guardianPhones: Map<string, string>;
}

/** Rows per createMany: well under SQLite's bound-parameter limit for these tables. */
const BATCH = 250;

/**
 * A school of `students` students, each with exactly one guardian who consented to absence
 * alerts (languages mixed over the eight supported ones), and an SMS sender number. Rows are
 * written with createMany in batches, so 1,000 families take well under a second; ids are
 * given here so the links can be written without reading anything back.
 */
export async function createBulkSchool(db: Db, opts: { students: number; slug?: string; smsNumber?: string }): Promise<BulkSchool> {
  const slug = opts.slug ?? 'bulk-school';
  const smsNumber = opts.smsNumber ?? '+3197010000900';
  const school = await db.school.create({
    data: { slug, name: 'Basisschool De Duizend', kind: 'primary', phone: '020 555 0900', absenceCutoff: '08:15' },
  });
  await db.schoolNumber.create({ data: { schoolId: school.id, channel: 'sms', address: smsNumber } });
  const klass = await db.schoolClass.create({ data: { schoolId: school.id, name: 'groep 6' } });

  const externalIds: string[] = [];
  const guardianPhones = new Map<string, string>();
  for (let start = 0; start < opts.students; start += BATCH) {
    const students = [];
    const guardians = [];
    const links = [];
    for (let i = start; i < Math.min(opts.students, start + BATCH); i++) {
      const externalId = `S${String(i).padStart(5, '0')}`;
      const phone = `+3162${String(i).padStart(7, '0')}`;
      const studentId = `${slug}-student-${i}`;
      const guardianId = `${slug}-guardian-${i}`;
      students.push({ id: studentId, schoolId: school.id, externalId, classId: klass.id, firstName: `Kind${i}`, lastName: 'Duizend' });
      guardians.push({
        id: guardianId, schoolId: school.id, name: `Ouder ${i}`, phone, alertConsent: true,
        language: SUPPORTED_LANGUAGES[i % SUPPORTED_LANGUAGES.length]!,
      });
      links.push({ guardianId, studentId });
      externalIds.push(externalId);
      guardianPhones.set(externalId, phone);
    }
    await db.student.createMany({ data: students });
    await db.guardian.createMany({ data: guardians });
    await db.guardianStudent.createMany({ data: links });
  }
  return { schoolId: school.id, slug, smsNumber, externalIds, guardianPhones };
}
