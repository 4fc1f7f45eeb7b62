import type { Channel } from '../channels/types.js';
import type { Db } from '../db/client.js';
import type { School } from '../generated/prisma/client.js';
import type { SchoolDetails } from '../knowledge/render.js';

/**
 * The school a parent texted. While the demo school is the only school, it answers on any
 * number, so a newcomer can try Ouderlijn before configuring a number.
 */
export async function resolveSchool(db: Db, channel: Channel, ourNumber: string): Promise<School | null> {
  const number = await db.schoolNumber.findUnique({
    where: { channel_address: { channel, address: ourNumber } },
    include: { school: true },
  });
  if (number) return number.school;
  const schools = await db.school.findMany({ take: 2, orderBy: { createdAt: 'asc' } });
  return schools.length === 1 && schools[0]!.isDemo ? schools[0]! : null;
}

const ROLE_FOR: Record<'parentContactName' | 'directorName' | 'careCoordinatorName', string> = {
  parentContactName: 'parent_contact',
  directorName: 'director',
  careCoordinatorName: 'care_coordinator',
};

/** The values behind the `{school.xxx}` placeholders. */
export async function schoolDetails(db: Db, school: School): Promise<SchoolDetails> {
  const staff = await db.staff.findMany({
    where: { schoolId: school.id, active: true, role: { in: Object.values(ROLE_FOR) } },
    orderBy: { createdAt: 'asc' },
  });
  const nameFor = (role: string) => staff.find((s) => s.role === role)?.name ?? null;
  return {
    name: school.name,
    phone: school.phone,
    email: school.email,
    website: school.website,
    address: school.address,
    city: school.city,
    startTime: school.startTime,
    endTime: school.endTime,
    absenceCutoff: school.absenceCutoff,
    contactHours: school.contactHours,
    guideUrl: school.guideUrl,
    portalName: school.portalName,
    portalUrl: school.portalUrl,
    holidaysUrl: school.holidaysUrl,
    parentContribution: school.parentContribution,
    childcareProvider: school.childcareProvider,
    board: school.board,
    parentContactName: nameFor(ROLE_FOR.parentContactName),
    directorName: nameFor(ROLE_FOR.directorName),
    careCoordinatorName: nameFor(ROLE_FOR.careCoordinatorName),
  };
}
