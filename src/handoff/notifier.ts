import { formatDay, localNow } from '../absence/dates.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { NoticeChannel, NoticeReason } from './notices.js';

/** Everything a transport needs to tell a staff member about a ticket, already looked up. */
export interface Notice {
  id: string;
  reason: NoticeReason;
  channel: NoticeChannel;
  staff: { id: string; name: string; email: string | null; phone: string | null; teamsReference: string | null };
  school: { id: string; name: string; timezone: string };
  ticket: {
    id: string;
    kind: string;
    status: string;
    language: string;
    topic: string | null;
    dueAt: Date | null;
    assigneeName: string | null;
    student: string | null;
    className: string | null;
    /** The parent's latest message, in their own words and language. */
    question: string;
  };
  /** The ticket in the staff inbox. */
  inboxUrl: string;
}

/** Sends one notice by one channel; throws to have it retried. */
export type NoticeTransport = (notice: Notice) => Promise<void>;

export const NOTICE_MAX_ATTEMPTS = 5;

const REASON_NL: Record<NoticeReason, string> = {
  assigned: 'Nieuwe vraag voor u',
  urgent: 'DRINGEND',
  reminder: 'Herinnering: antwoord verwacht',
  escalated: 'Te laat: nog geen antwoord',
  parent_wrote: 'Ouder schreef opnieuw',
  reassigned: 'Vraag aan u overgedragen',
};

/** A plain Dutch summary for e-mail and SMS: the staff side works in Dutch. */
export function noticeSubject(n: Notice): string {
  const who = [n.ticket.student, n.ticket.className].filter(Boolean).join(', ');
  return `[${n.school.name}] ${REASON_NL[n.reason]}${who ? ` — ${who}` : ''}`;
}

export function noticeDeadline(n: Notice): string | null {
  if (!n.ticket.dueAt) return null;
  const local = localNow(n.ticket.dueAt, n.school.timezone);
  return `${formatDay(local.date, 'nl')} ${local.time}`;
}

export function noticeText(n: Notice): string {
  const deadline = noticeDeadline(n);
  return [
    noticeSubject(n),
    `Taal van de ouder: ${n.ticket.language}${deadline ? ` · antwoord uiterlijk ${deadline}` : ''}`,
    `Bericht: "${n.ticket.question}"`,
    `Openen: ${n.inboxUrl}`,
  ].join('\n');
}

/**
 * Sends queued staff notices (Teams, e-mail, SMS) with retries. A channel with no
 * transport configured is marked skipped with the reason, never silently dropped.
 */
export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly transports: Partial<Record<NoticeChannel, NoticeTransport>>,
    private readonly log: Logger,
    private readonly opts: { publicBaseUrl: string; pollMs?: number; now?: () => Date } ,
  ) {}

  start() {
    this.timer = setInterval(() => void this.runOnce().catch((err) => this.log.error({ err }, 'notifier run failed')), this.opts.pollMs ?? 2000);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends every due notice once; returns how many were handled. */
  runOnce(): Promise<number> {
    this.running ??= this.sendDue().finally(() => { this.running = null; });
    return this.running;
  }

  private async sendDue(): Promise<number> {
    const now = this.opts.now?.() ?? new Date();
    const due = await this.db.staffNotification.findMany({
      where: { status: 'queued', nextAttemptAt: { lte: now } },
      orderBy: { createdAt: 'asc' },
      take: 50,
      include: {
        staff: true,
        ticket: {
          include: {
            school: true, assignee: true, student: { include: { class: true } },
            messages: { where: { direction: 'inbound' }, orderBy: { createdAt: 'desc' }, take: 1 },
          },
        },
      },
    });
    for (const row of due) {
      const transport = this.transports[row.channel as NoticeChannel];
      if (!transport) {
        await this.db.staffNotification.update({ where: { id: row.id }, data: { status: 'skipped', error: `${row.channel} is not configured` } });
        continue;
      }
      const t = row.ticket;
      const notice: Notice = {
        id: row.id, reason: row.reason as NoticeReason, channel: row.channel as NoticeChannel,
        staff: { id: row.staff.id, name: row.staff.name, email: row.staff.email, phone: row.staff.phone, teamsReference: row.staff.teamsReference },
        school: { id: t.school.id, name: t.school.name, timezone: t.school.timezone },
        ticket: {
          id: t.id, kind: t.kind, status: t.status, language: t.language, topic: t.topic, dueAt: t.dueAt,
          assigneeName: t.assignee?.name ?? null,
          student: t.student ? `${t.student.firstName} ${t.student.lastName}` : null,
          className: t.student?.class?.name ?? null,
          question: t.messages[0]?.body ?? '',
        },
        inboxUrl: `${this.opts.publicBaseUrl}/staff/tickets/${t.id}`,
      };
      try {
        await transport(notice);
        await this.db.staffNotification.update({ where: { id: row.id }, data: { status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, error: null } });
      } catch (err) {
        const attempts = row.attempts + 1;
        const giveUp = attempts >= NOTICE_MAX_ATTEMPTS;
        const error = err instanceof Error ? err.message : String(err);
        this.log.warn({ notice: row.id, channel: row.channel, attempts, error }, giveUp ? 'staff notice failed; giving up' : 'staff notice failed; will retry');
        await this.db.staffNotification.update({
          where: { id: row.id },
          data: { attempts, error, status: giveUp ? 'failed' : 'queued', nextAttemptAt: new Date(now.getTime() + 30_000 * 2 ** attempts) },
        });
      }
    }
    return due.length;
  }
}
