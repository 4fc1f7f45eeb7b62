import nodemailer from 'nodemailer';
import type { NoticeTransport } from '../../handoff/notifier.js';
import type { Logger } from '../../logger.js';
import { renderNoticeEmail } from './render.js';

export { renderNoticeEmail, escapeHtml, languageNameNl } from './render.js';

export interface EmailTransportConfig {
  /** smtp://user:password@host:587 (STARTTLS when offered) or smtps://user:password@host:465 */
  smtpUrl: string;
  /** The sender, e.g. "Ouderlijn <noreply@school.nl>" (config SMTP_FROM). */
  from: string;
  log: Logger;
  /**
   * How long to wait for the connection, the greeting and an idle socket (ms). The notifier
   * sends one notice after another, so a dead mail server must not hold it for minutes.
   */
  timeoutMs?: number;
}

/**
 * An e-mail notice that did not go out. `permanent` is true when the mail server refused it
 * for good (a 5xx reply, e.g. an unknown mailbox) or the staff member has no address:
 * trying again cannot help. The notifier retries every failure up to NOTICE_MAX_ATTEMPTS.
 */
export class EmailError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'EmailError';
  }
}

const DEFAULT_TIMEOUT_MS = 15_000;

function smtpOptions(smtpUrl: string, timeoutMs = DEFAULT_TIMEOUT_MS) {
  return { url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs * 2 };
}

/** The mail server's reply or the network error, without credentials, for StaffNotification.error. */
function describeSmtpError(err: unknown): EmailError {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown; response?: unknown; permanent?: unknown };
  if (typeof e?.responseCode === 'number') {
    const reply = typeof e.response === 'string' && e.response ? e.response : String(e.message ?? '');
    const permanent = e.permanent === true || (e.permanent === undefined && e.responseCode >= 500 && e.responseCode !== 503);
    return new EmailError(`SMTP server refused the e-mail${permanent ? ' (permanent)' : ''}: ${reply}`, permanent);
  }
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return new EmailError(`SMTP error: ${code}${String(e?.message ?? err)}`, false);
}

/** "smtps://user:secret@host:465" -> "smtps://host:465", for logs. */
export function smtpUrlForLogs(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(invalid SMTP_URL)';
  }
}

/**
 * Sends staff notices by e-mail (the notifier's 'email' channel): a Dutch plain-text and HTML
 * message to the staff member's address, marked high priority when the ticket is urgent.
 * Throws on any SMTP failure so the notifier retries.
 */
export function createEmailTransport(config: EmailTransportConfig): NoticeTransport {
  const transporter = nodemailer.createTransport(smtpOptions(config.smtpUrl, config.timeoutMs));
  return async (notice) => {
    if (!notice.staff.email) {
      throw new EmailError(`staff member ${notice.staff.name} (${notice.staff.id}) has no e-mail address; add one or turn e-mail notices off`, true);
    }
    const mail = renderNoticeEmail(notice);
    try {
      const info = await transporter.sendMail({
        from: config.from,
        to: { name: notice.staff.name, address: notice.staff.email },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.priority === 'high' ? { priority: 'high' } : {}),
        headers: {
          // An automatic message (RFC 3834): out-of-office replies must not answer it.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
      });
      config.log.debug({ notice: notice.id, ticket: notice.ticket.id, messageId: info.messageId }, 'staff e-mail notice sent');
    } catch (err) {
      throw describeSmtpError(err);
    }
  };
}

/**
 * Checks at start-up that the mail server answers and accepts the credentials. Logs the
 * outcome and returns it; a mail server that is down must not stop Ouderlijn starting
 * (notices stay queued and are retried).
 */
export async function verifySmtp(config: { smtpUrl: string; log: Logger; timeoutMs?: number }): Promise<boolean> {
  const transporter = nodemailer.createTransport(smtpOptions(config.smtpUrl, config.timeoutMs));
  const server = smtpUrlForLogs(config.smtpUrl);
  try {
    await transporter.verify();
    config.log.info({ smtp: server }, 'SMTP server reachable: e-mail notices to staff are on');
    return true;
  } catch (err) {
    config.log.warn({ smtp: server, error: describeSmtpError(err).message }, 'SMTP server not reachable: e-mail notices stay queued and are retried');
    return false;
  } finally {
    transporter.close();
  }
}
