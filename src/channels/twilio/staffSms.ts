import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Db } from '../../db/client.js';
import type { Notice, NoticeTransport } from '../../handoff/notifier.js';
import type { NoticeReason } from '../../handoff/notices.js';
import { segmentCount } from '../../knowledge/smsFit.js';
import { maskPhone } from '../../logger.js';
import type { Sender } from '../../outbox/sender.js';

/** A staff text must stay short: at most this many SMS segments. */
export const STAFF_SMS_SEGMENTS = 2;
/** How much of the parent's question goes into the text at most. */
export const STAFF_SMS_QUESTION_CHARS = 80;
const MIN_QUESTION_CHARS = 20;
/** "..." rather than "…": the ellipsis is not GSM-7 and would make the whole text UCS-2. */
const ELLIPSIS = '...';

const PREFIX_NL: Record<NoticeReason, string> = {
  urgent: 'DRINGEND',
  escalated: 'TE LAAT',
  reminder: 'Herinnering',
  assigned: 'Nieuwe vraag',
  parent_wrote: 'Ouder schreef opnieuw',
  reassigned: 'Vraag overgedragen',
};

/**
 * The outgoing message id of a staff text. It only rides in the status-callback URL; no
 * Message row has it, so the status callback for it finds no message (unknown_message).
 */
export function staffSmsMessageId(noticeId: string): string {
  return `notice-${noticeId}`;
}

/** The question on one line, at most `max` characters, cut after a whole word where one ends late enough. */
function snippet(question: string, max: number): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  const chars = [...flat]; // code points, so a cut never splits a surrogate pair
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max).join('');
  const wordEnd = chars[max] === ' ' ? head.length : head.lastIndexOf(' ');
  const cut = wordEnd >= head.length * 0.6 ? head.slice(0, wordEnd) : head;
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/**
 * "DRINGEND Basisschool X: <first 80 characters of the question>... Open: <url>", the
 * question shortened further when needed so the text fits two segments (a question in
 * Arabic or Ukrainian makes it UCS-2, 67 characters a segment).
 */
export function staffSmsBody(n: Notice): string {
  const build = (max: number) => {
    const q = snippet(n.ticket.question, max);
    return `${PREFIX_NL[n.reason]} ${n.school.name}: ${q ? `${q} ` : ''}Open: ${n.inboxUrl}`;
  };
  let max = STAFF_SMS_QUESTION_CHARS;
  let body = build(max);
  while (segmentCount(body) > STAFF_SMS_SEGMENTS && max > MIN_QUESTION_CHARS) {
    max -= 5;
    body = build(max);
  }
  return body;
}

/**
 * Sends staff notices by SMS (the notifier's 'sms' channel; queued only for urgent and
 * escalated tickets) through the same Twilio sender as the outbox, from the school's own
 * SMS number. A SendError from the sender is thrown on as is, so the notifier retries.
 */
export function createStaffSmsTransport(deps: { db: Db; sender: Sender }): NoticeTransport {
  return async (notice) => {
    if (!notice.staff.phone) throw new Error(`staff member ${notice.staff.name} (${notice.staff.id}) has no phone number`);
    const phone = parsePhoneNumberFromString(notice.staff.phone, 'NL');
    if (!phone?.isValid()) {
      throw new Error(`phone number ${maskPhone(notice.staff.phone)} of staff member ${notice.staff.name} (${notice.staff.id}) is not a valid phone number`);
    }
    const number = await deps.db.schoolNumber.findFirst({ where: { schoolId: notice.school.id, channel: 'sms' }, orderBy: { id: 'asc' } });
    if (!number) throw new Error(`${notice.school.name} has no SMS number to send staff texts from`);
    await deps.sender({
      id: staffSmsMessageId(notice.id),
      channel: 'sms',
      from: number.address,
      to: phone.number,
      body: staffSmsBody(notice),
    });
  };
}
