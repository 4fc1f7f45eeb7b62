import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { formatDay, localNow } from '../src/absence/dates.js';
import { createEmailTransport, renderNoticeEmail, verifySmtp } from '../src/channels/email/index.js';
import { createTwilioSender } from '../src/channels/twilio/index.js';
import { createStaffSmsTransport, staffSmsBody, staffSmsMessageId } from '../src/channels/twilio/staffSms.js';
import { DEMO_NUMBERS } from '../src/demo/seed.js';
import { NOTICE_MAX_ATTEMPTS, Notifier, type Notice, type NoticeTransport } from '../src/handoff/notifier.js';
import type { NoticeChannel } from '../src/handoff/notices.js';
import { segmentCount } from '../src/knowledge/smsFit.js';
import { createLogger } from '../src/logger.js';
import { startFaultProxy } from './helpers/faultProxy.js';
import { startTestServer } from './helpers/server.js';
import { inboundParams, messageSid, sign, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from './helpers/twilioSigning.js';

const log = createLogger('silent');
const PUBLIC = 'https://x.example';
const DUTCH_PARENT = '+31600000105';
const SMTP_USER = 'ouderlijn';
const SMTP_PASS = 'smtp-secret';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let smtp: SMTPServer;
let smtpUrl: string;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let clock: Date;

interface Received { from: string; to: string[]; raw: string }
const received: Received[] = [];
/** When set, the mail server refuses every message with this reply. */
let refuse: { code: number; message: string } | null = null;

beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(inject('prismUrl'));
  smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true, // loopback only; a real school's server uses TLS
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: SMTP_USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refuse) {
          callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await proxy.close();
  await server.close();
});

beforeEach(async () => {
  await server.db.staffNotification.deleteMany();
  await server.db.message.deleteMany();
  await server.db.ticket.deleteMany();
  await server.db.conversation.deleteMany();
  await server.db.staff.updateMany({ data: { phone: null } });
  received.length = 0;
  refuse = null;
  proxy.faults.length = 0;
  proxy.requests.length = 0;
  clock = new Date(Date.now() + 1000);
});

const emailTransport = () => createEmailTransport({ smtpUrl, from: 'Ouderlijn <noreply@regenboog.example.nl>', log, timeoutMs: 5000 });
const smsTransport = () => createStaffSmsTransport({
  db: server.db,
  sender: createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, publicBaseUrl: TEST_BASE_URL, apiBaseUrl: proxy.url }),
});
const notifier = (transports: Partial<Record<NoticeChannel, NoticeTransport>>) => new Notifier(server.db, transports, log, { publicBaseUrl: PUBLIC, now: () => clock });

/** A parent's SMS through the real signed Twilio webhook; returns the ticket it opened. */
async function parentTexts(body: string, from = DUTCH_PARENT) {
  const params = inboundParams(body, from);
  const res = await server.post('/twilio/messages', params, { 'x-twilio-signature': sign('/twilio/messages', params) });
  expect(res.status).toBe(200);
  const inbound = await server.db.message.findFirstOrThrow({ where: { direction: 'inbound', providerId: params.MessageSid! }, include: { ticket: true } });
  if (!inbound.ticket) throw new Error(`"${body}" opened no ticket (route ${inbound.route})`);
  return inbound.ticket;
}

const noticesOf = (ticketId: string) => server.db.staffNotification.findMany({ where: { ticketId }, include: { staff: true }, orderBy: { createdAt: 'asc' } });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// --- A small reader for the MIME messages nodemailer writes (mailparser is not a dependency).

function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const soft = body.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
}

function splitEntity(raw: string) {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(at + 4) };
}

function decodeBody(headers: Map<string, string>, body: string): string {
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function parseMail(raw: string) {
  const { headers, body } = splitEntity(raw);
  const parts: Record<string, string> = {};
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
      const part = splitEntity(chunk.replace(/^\r\n/, ''));
      const type = (part.headers.get('content-type') ?? '').split(';')[0]!.trim();
      parts[type] = decodeBody(part.headers, part.body);
    }
  } else {
    parts[(headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim()] = decodeBody(headers, body);
  }
  return { headers, subject: decodeWords(headers.get('subject') ?? ''), text: parts['text/plain'] ?? '', html: parts['text/html'] ?? '', raw };
}

const mailTo = (address: string) => {
  const mail = received.find((m) => m.to.includes(address));
  if (!mail) throw new Error(`no e-mail to ${address}; got ${received.map((m) => m.to.join(',')).join(' | ') || 'none'}`);
  return parseMail(mail.raw);
};

function expectedDeadline(dueAt: Date) {
  const local = localNow(dueAt, 'Europe/Amsterdam');
  return `${formatDay(local.date, 'nl')} ${local.time}`;
}

describe('e-mail notices through a local SMTP server', () => {
  it('sends the assignee of a new ticket an e-mail with the question, deadline and inbox link', async () => {
    const question = 'waarom heeft mijn zoon strafwerk gekregen? ik wil de juf spreken';
    const ticket = await parentTexts(question);
    expect(ticket.kind).toBe('forward');
    const notices = await noticesOf(ticket.id);
    expect(notices.map((n) => [n.channel, n.staffId, n.status])).toEqual([['email', ticket.assigneeId, 'queued']]);
    const assignee = notices[0]!.staff;

    expect(await notifier({ email: emailTransport() }).runOnce()).toBe(1);

    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([assignee.email]);
    expect(received[0]!.from).toBe('noreply@regenboog.example.nl');
    const mail = mailTo(assignee.email!);
    expect(mail.subject).toContain('[Basisschool De Regenboog] Nieuwe vraag voor u');
    const link = `${PUBLIC}/staff/tickets/${ticket.id}`;
    const deadline = expectedDeadline(ticket.dueAt!);
    expect(mail.text).toContain(`Beste ${assignee.name},`);
    expect(mail.text).toContain(`> ${question}`);
    expect(mail.text).toContain(`Antwoord uiterlijk: ${deadline}`);
    expect(mail.text).toContain('Taal van de ouder: Nederlands (nl)');
    expect(mail.text).toContain(`Openen in de inbox: ${link}`);
    expect(mail.html).toContain(`<blockquote dir="auto" lang="nl"`);
    expect(mail.html).toContain(question);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain(deadline);
    expect(ticket.studentId).toBeTruthy(); // the parent has one child
    const student = await server.db.student.findUniqueOrThrow({ where: { id: ticket.studentId! }, include: { class: true } });
    expect(mail.text).toContain(`Leerling: ${student.firstName} ${student.lastName}, ${student.class!.name}`);
    // Not urgent: no priority headers. Never the parent's phone number.
    expect(mail.headers.has('x-priority')).toBe(false);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.raw).not.toMatch(/600000105/);

    const [after] = await noticesOf(ticket.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(after!.sentAt).toBeInstanceOf(Date);
  });

  it('keeps a notice queued with the error while the mail server refuses it, and sends it once it accepts', async () => {
    const ticket = await parentTexts('ik wil graag een gesprek met de juf over het gedrag van mijn zoon in de klas');
    refuse = { code: 451, message: 'Temporary local problem, try again later' };
    const n = notifier({ email: emailTransport() });
    await n.runOnce();
    const [waiting] = await noticesOf(ticket.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting!.error).toMatch(/451.*try again later/i);
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(await n.runOnce()).toBe(0); // not before its backoff

    refuse = null;
    clock = new Date(clock.getTime() + 60 * 60_000);
    expect(await n.runOnce()).toBe(1);
    const [sent] = await noticesOf(ticket.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(received).toHaveLength(1);
  });

  it('retries while the mail server is down and gives up after NOTICE_MAX_ATTEMPTS', async () => {
    const ticket = await parentTexts('waarom heeft mijn zoon strafwerk gekregen? ik wil de juf spreken');
    const down = createEmailTransport({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: 'noreply@regenboog.example.nl', log, timeoutMs: 2000 });
    const n = notifier({ email: down });
    await n.runOnce();
    const [first] = await noticesOf(ticket.id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first!.error).toMatch(/ECONNREFUSED/);
    for (let attempt = 2; attempt <= NOTICE_MAX_ATTEMPTS; attempt++) {
      clock = new Date(clock.getTime() + 60 * 60_000);
      expect(await n.runOnce()).toBe(1);
    }
    const [last] = await noticesOf(ticket.id);
    expect(last).toMatchObject({ status: 'failed', attempts: NOTICE_MAX_ATTEMPTS });
    expect(last!.error).toMatch(/ECONNREFUSED/);
    clock = new Date(clock.getTime() + 24 * 60 * 60_000);
    expect(await n.runOnce()).toBe(0);
  });

  it('marks a notice skipped, with the reason, when its channel has no transport', async () => {
    const ticket = await parentTexts('waarom heeft mijn zoon strafwerk gekregen? ik wil de juf spreken');
    await notifier({}).runOnce();
    const [skipped] = await noticesOf(ticket.id);
    expect(skipped).toMatchObject({ status: 'skipped', error: 'email is not configured' });
    expect(received).toHaveLength(0);
  });

  it('says clearly when the staff member has no e-mail address', async () => {
    const ticket = await parentTexts('waarom heeft mijn zoon strafwerk gekregen? ik wil de juf spreken');
    const [queued] = await noticesOf(ticket.id);
    await server.db.staff.update({ where: { id: queued!.staffId }, data: { email: null } });
    try {
      await notifier({ email: emailTransport() }).runOnce();
      const [after] = await noticesOf(ticket.id);
      expect(after).toMatchObject({ status: 'queued', attempts: 1 });
      expect(after!.error).toContain(`staff member ${queued!.staff.name} (${queued!.staffId}) has no e-mail address`);
    } finally {
      await server.db.staff.update({ where: { id: queued!.staffId }, data: { email: queued!.staff.email } });
    }
  });

  it('verifySmtp checks the connection and the credentials', async () => {
    expect(await verifySmtp({ smtpUrl, log })).toBe(true);
    expect(await verifySmtp({ smtpUrl: smtpUrl.replace(SMTP_PASS, 'wrong'), log })).toBe(false);
    expect(await verifySmtp({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, log, timeoutMs: 2000 })).toBe(false);
  });
});

describe('urgent tickets: e-mail and SMS to attendance and the director', () => {
  it('e-mails both at high priority and texts both from the school number (Prism mock of Twilio)', async () => {
    const attendance = await server.db.staff.findFirstOrThrow({ where: { role: 'attendance' } });
    const director = await server.db.staff.findFirstOrThrow({ where: { role: 'director' } });
    await server.db.staff.update({ where: { id: attendance.id }, data: { phone: '06 12345678' } });
    await server.db.staff.update({ where: { id: director.id }, data: { phone: '+31612345679' } });

    const question = 'mijn zoon is niet thuisgekomen na school en ik kan hem nergens vinden';
    const ticket = await parentTexts(question);
    expect(ticket.kind).toBe('urgent');
    const queued = await noticesOf(ticket.id);
    expect(queued.map((n) => `${n.staff.role}:${n.channel}`).sort()).toEqual(['attendance:email', 'attendance:sms', 'director:email', 'director:sms']);

    expect(await notifier({ email: emailTransport(), sms: smsTransport() }).runOnce()).toBe(4);

    const link = `${PUBLIC}/staff/tickets/${ticket.id}`;
    for (const person of [attendance, director]) {
      const mail = mailTo(person.email!);
      expect(mail.subject).toContain('DRINGEND');
      expect(mail.headers.get('x-priority')).toMatch(/^1/);
      expect(mail.headers.get('importance')).toMatch(/high/i);
      expect(mail.text).toContain('DRINGEND');
      expect(mail.text).toContain(question);
      expect(mail.text).toContain(`Actie uiterlijk: ${expectedDeadline(ticket.dueAt!)}`);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.raw).not.toMatch(/600000105/);
    }
    expect(received).toHaveLength(2);

    expect(proxy.requests).toHaveLength(2);
    const byTo = new Map(proxy.requests.map((r) => [r.form.get('To'), r]));
    const notices = await noticesOf(ticket.id);
    for (const [to, person] of [['+31612345678', attendance], ['+31612345679', director]] as const) {
      const req = byTo.get(to);
      expect(req?.answeredWith).toBe(201); // Prism validated it against Twilio's contract
      expect(req?.form.get('From')).toBe(DEMO_NUMBERS.sms);
      const body = req?.form.get('Body') ?? '';
      expect(body).toBe(`DRINGEND Basisschool De Regenboog: ${question} Open: ${link}`);
      expect(segmentCount(body)).toBeLessThanOrEqual(2);
      const sms = notices.find((n) => n.staffId === person.id && n.channel === 'sms')!;
      expect(req?.form.get('StatusCallback')).toBe(`${TEST_BASE_URL}/twilio/status?messageId=notice-${sms.id}`);
    }
    expect(notices.map((n) => n.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  });

  it('keeps the SMS notice queued with Twilio’s error when the send fails', async () => {
    const attendance = await server.db.staff.findFirstOrThrow({ where: { role: 'attendance' } });
    await server.db.staff.update({ where: { id: attendance.id }, data: { phone: '+31612345678' } });
    const ticket = await parentTexts('mijn zoon is niet thuisgekomen na school en ik kan hem nergens vinden');
    proxy.faults.push({ status: 503, body: { code: 20503, message: 'Service Unavailable' } });
    await notifier({ sms: smsTransport() }).runOnce();
    const sms = (await noticesOf(ticket.id)).find((n) => n.channel === 'sms')!;
    expect(sms).toMatchObject({ status: 'queued', attempts: 1, error: 'Service Unavailable' });
  });

  it('answers 204 to a status callback for a message id no Message row has (statusUpdates: unknown_message)', async () => {
    const path = `/twilio/status?messageId=${'c'.repeat(25)}`;
    const params = { MessageSid: messageSid(), MessageStatus: 'delivered' };
    const res = await server.post(path, params, { 'x-twilio-signature': sign(path, params) });
    expect(res.status).toBe(204);
  });

  it('answers a status callback for a staff text (messageId=notice-<id>) without error', async () => {
    const path = `/twilio/status?messageId=${staffSmsMessageId('c'.repeat(25))}`;
    const params = { MessageSid: messageSid(), MessageStatus: 'delivered' };
    const res = await server.post(path, params, { 'x-twilio-signature': sign(path, params) });
    expect(res.status, await res.text()).toBeLessThan(300);
  });
});

describe('rendering', () => {
  const base: Notice = {
    id: 'n1', reason: 'assigned', channel: 'email',
    staff: { id: 's1', name: 'Juf Anouk', email: 'anouk@example.nl', phone: null, teamsReference: null },
    school: { id: 'sc1', name: 'Basisschool De Regenboog', timezone: 'Europe/Amsterdam' },
    ticket: {
      id: 't1', kind: 'forward', status: 'open', language: 'ar', topic: null, dueAt: new Date('2026-11-26T15:00:00Z'),
      assigneeName: 'Juf Anouk', student: 'Sami El Idrissi', className: 'groep 7',
      question: 'هل يمكنني التحدث مع المعلمة؟ <b>&</b> "x"',
    },
    inboxUrl: 'https://x.example/staff/tickets/t1?a=1&b=2',
  };

  it('escapes the question and the link in the HTML and keeps the parent’s script direction', () => {
    const mail = renderNoticeEmail(base);
    expect(mail.html).toContain('<blockquote dir="auto" lang="ar"');
    expect(mail.html).toContain('&lt;b&gt;&amp;&lt;/b&gt; &quot;x&quot;');
    expect(mail.html).not.toContain('<b>&</b>');
    expect(mail.html).toContain('href="https://x.example/staff/tickets/t1?a=1&amp;b=2"');
    expect(mail.text).toContain('Taal van de ouder: Arabisch (ar)');
    expect(mail.text).toContain('Leerling: Sami El Idrissi, groep 7');
    expect(mail.text).toContain('Antwoord uiterlijk: donderdag 26 november 16:00');
    expect(mail.priority).toBe('normal');
    expect(renderNoticeEmail({ ...base, reason: 'escalated', ticket: { ...base.ticket, kind: 'urgent' } }).priority).toBe('high');
  });

  it('shortens the SMS to two segments, also for a question in another script', () => {
    const long = { ...base, reason: 'urgent' as const, inboxUrl: `${TEST_BASE_URL}/staff/tickets/${'c'.repeat(25)}` };
    const dutch = 'mijn dochter is niet op school aangekomen en ze neemt haar telefoon niet op, ik maak me grote zorgen';
    const latin = staffSmsBody({ ...long, ticket: { ...long.ticket, question: dutch } });
    // The first 80 characters, cut after a whole word.
    expect(latin).toBe(`DRINGEND Basisschool De Regenboog: mijn dochter is niet op school aangekomen en ze neemt haar telefoon niet op, ik... Open: ${long.inboxUrl}`);
    expect(segmentCount(latin)).toBeLessThanOrEqual(2);
    const arabic = staffSmsBody({ ...long, ticket: { ...long.ticket, question: 'ابني لم يعد إلى المنزل بعد المدرسة ولا أستطيع العثور عليه في أي مكان، أرجو المساعدة بسرعة' } });
    expect(arabic).toMatch(/^DRINGEND Basisschool De Regenboog: ابني .+\.\.\. Open: https:\/\/ouderlijn\.example\.nl\/staff\/tickets\/c{25}$/);
    expect(segmentCount(arabic)).toBeLessThanOrEqual(2);
  });
});
