import type { Prisma } from '../generated/prisma/client.js';
import { matchChildren } from '../absence/childMatch.js';

export const STAFF_ROLES = ['teacher', 'mentor', 'parent_contact', 'attendance', 'care_coordinator', 'director'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type AssignedBecause = 'class_teacher' | 'mentor' | 'care' | 'attendance' | 'parent_contact' | 'director' | 'fallback' | 'reassigned';

/** Topics (catalogue intents) that belong to the care coordinator: support needs. */
export const CARE_TOPICS: ReadonlySet<string> = new Set(['special_needs']);
/** Topics that belong to attendance staff: absence, leave, lateness, truancy. */
export const ATTENDANCE_TOPICS: ReadonlySet<string> = new Set([
  'absence.how_to_report', 'leave.request', 'leave.appointment', 'lateness', 'truancy', 'compulsory_education', 'alerts.settings',
]);

export interface AssignInput {
  schoolId: string;
  kind: 'forward' | 'urgent' | 'absence';
  topic: string | null;
  studentId: string | null;
}

export interface Assignment {
  staffId: string | null;
  because: AssignedBecause | null;
  /** Everyone who must hear of the ticket at once (urgent: attendance and the director). */
  notify: string[];
}

/**
 * Who handles a ticket (issue 5): a question about one child goes to that child's teacher
 * (primary) or mentor (secondary); support needs to the care coordinator; attendance to
 * attendance staff; everything else to the parent-contact worker. `urgent` goes to
 * attendance staff and the director at once. A role nobody holds falls back to the
 * parent-contact worker, then the director, then anyone active, so nothing is unassigned
 * while the school has staff.
 */
export async function chooseAssignee(tx: Prisma.TransactionClient, input: AssignInput): Promise<Assignment> {
  const staff = await tx.staff.findMany({ where: { schoolId: input.schoolId, active: true }, orderBy: { createdAt: 'asc' } });
  const byRole = (role: StaffRole) => staff.filter((s) => s.role === role).map((s) => s.id);
  const firstOf = (role: StaffRole) => byRole(role)[0] ?? null;
  const fallback = (): Assignment => {
    const contact = firstOf('parent_contact');
    if (contact) return { staffId: contact, because: 'parent_contact', notify: [contact] };
    const director = firstOf('director');
    if (director) return { staffId: director, because: 'director', notify: [director] };
    const anyone = staff[0]?.id ?? null;
    return { staffId: anyone, because: anyone ? 'fallback' : null, notify: anyone ? [anyone] : [] };
  };
  const one = (id: string | null, because: AssignedBecause): Assignment => (id ? { staffId: id, because, notify: [id] } : fallback());

  if (input.kind === 'urgent') {
    const everyone = [...byRole('attendance'), ...byRole('director')];
    if (everyone.length === 0) return fallback();
    return { staffId: everyone[0]!, because: byRole('attendance').length ? 'attendance' : 'director', notify: everyone };
  }
  if (input.kind === 'absence' || (input.topic && ATTENDANCE_TOPICS.has(input.topic))) return one(firstOf('attendance'), 'attendance');
  if (input.topic && CARE_TOPICS.has(input.topic)) return one(firstOf('care_coordinator'), 'care');
  if (input.studentId) {
    const student = await tx.student.findUnique({ where: { id: input.studentId }, include: { class: true, school: true } });
    const klass = student?.class;
    if (klass) {
      const secondary = student.school.kind === 'secondary';
      const [first, second] = secondary
        ? [[klass.mentorId, 'mentor'], [klass.teacherId, 'class_teacher']] as const
        : [[klass.teacherId, 'class_teacher'], [klass.mentorId, 'mentor']] as const;
      const active = (id: string | null) => (id && staff.some((s) => s.id === id) ? id : null);
      if (active(first[0])) return one(first[0], first[1]);
      if (active(second[0])) return one(second[0], second[1]);
    }
  }
  return fallback();
}

/**
 * The child a message is about: the only child of the guardian, or the one the message
 * names. Two children and no name: unknown (the parent-contact worker sorts it out).
 */
export async function childOfMessage(tx: Prisma.TransactionClient, guardianId: string | null, text: string): Promise<string | null> {
  if (!guardianId) return null;
  const links = await tx.guardianStudent.findMany({ where: { guardianId }, include: { student: true } });
  const children = links.map((l) => l.student);
  if (children.length === 1) return children[0]!.id;
  const named = matchChildren(text, children.map((c) => ({ id: c.id, firstName: c.firstName, nicknames: c.nicknames.split(',').map((n) => n.trim()).filter(Boolean) })));
  return named.length === 1 ? named[0]! : null;
}
