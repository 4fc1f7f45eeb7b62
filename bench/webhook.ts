/**
 * `npm run bench` (third part): the signed SMS webhook under load, on loopback.
 *
 * The real app (as test/helpers/server.ts assembles it, on a migrated database with the demo
 * school and a few hundred extra families) against a bare express app in the same run that
 * only verifies the Twilio signature exactly as src/channels/twilio does and answers empty
 * TwiML. Each server runs in its own child process (bench/webhookServer.ts); autocannon runs
 * here. Every request is a distinct, validly signed message (unique MessageSid) from a seeded
 * guardian: general questions, absence reports and questions for a person, in eight
 * languages. Afterwards every answered request must have produced exactly one stored inbound
 * message with exactly the body that was sent.
 *
 *   npx tsx bench/webhook.ts                        SQLite (a fresh file)
 *   BENCH_DATABASE_URL=postgresql://… npx tsx bench/webhook.ts    also PostgreSQL (a fresh schema there)
 *   npx tsx bench/webhook.ts --postgres             also PostgreSQL, on TEST_POSTGRES_URL (test/helpers/db.ts)
 *
 * Knobs: BENCH_MESSAGES (app requests per database, default 250), BENCH_CONNECTIONS (10),
 * BENCH_BASELINE_SECONDS (3), BENCH_FAMILIES (400), BENCH_SEED (6).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import twilio from 'twilio';
import { createDb, type Db } from '../src/db/client.js';
import { migratePostgres } from '../src/db/postgresMigrate.js';
import { DEMO_NUMBERS, seedDemoSchool } from '../src/demo/seed.js';
import { SUPPORTED_LANGUAGES, type Language } from '../src/language/languages.js';
import { createLogger } from '../src/logger.js';
import { createTestDb, TEST_POSTGRES_URL } from '../test/helpers/db.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../test/helpers/twilioSigning.js';
import type { ChildMessage, ParentCommand } from './webhookServer.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 250);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 3);
const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 400);
const SEED = Number(process.env.BENCH_SEED ?? 6);
const PG_URL = process.env.BENCH_DATABASE_URL;
const WANT_PG = process.argv.includes('--postgres') || /^postgres(ql)?:\/\//.test(PG_URL ?? '');
const PATH = '/twilio/messages';
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

// ---------------------------------------------------------------------------------------
// The message mix (written for this benchmark). {child} is one of the sender's children.

type Kind = 'question' | 'absence' | 'forward';
const MIX: Record<Language, Record<Kind, string[]>> = {
  nl: {
    question: ['Hoe laat begint de school?', 'Wanneer is de volgende studiedag?', 'Wat kost de ouderbijdrage?', 'Wanneer is de herfstvakantie?', 'Kan mijn kind tussen de middag overblijven?'],
    absence: ['{child} is ziek vandaag', '{child} heeft koorts en blijft thuis', '{child} moet morgen om 10 uur naar de tandarts', 'Goedemorgen, {child} is vandaag afwezig want buikpijn'],
    forward: ['Hoe gaat het met {child} in de klas? Ik wil graag een gesprek met de juf', 'Krijgt {child} extra hulp bij rekenen?', 'Mag ik het rapport van {child} met de meester bespreken?'],
  },
  en: {
    question: ['What time does school start in the morning?', 'When is the next study day?', 'How much is the parent contribution?', 'When is the autumn holiday?', 'Can children stay at school for lunch?'],
    absence: ['{child} is sick today and staying home', '{child} has a fever and will not come to school today', '{child} has a dentist appointment tomorrow at 10'],
    forward: ["How is {child} doing with reading? I'd like to speak to the teacher", 'Can {child} get extra help with maths?', "Could we discuss {child}'s report with the teacher?"],
  },
  tr: {
    question: ['Okul sabah saat kaçta başlıyor?', 'Bir sonraki çalışma günü ne zaman?', 'Veli katkı payı ne kadar?', 'Sonbahar tatili ne zaman?', 'Çocuklar öğle yemeğinde okulda kalabiliyor mu?'],
    absence: ['{child} bugün hasta, okula gelemeyecek', '{child} ateşi var, bugün evde kalacak', '{child} yarın saat 10da doktora gidecek'],
    forward: ['{child} derslerde nasıl? Öğretmeniyle görüşmek istiyorum', '{child} matematikte ek yardım alabilir mi?'],
  },
  ar: {
    question: ['متى تبدأ المدرسة في الصباح؟', 'متى يوم الدراسة القادم؟', 'كم هي مساهمة الوالدين؟', 'متى عطلة الخريف؟', 'هل يمكن للأطفال البقاء في المدرسة وقت الغداء؟'],
    absence: ['{child} مريض اليوم ولن يأتي إلى المدرسة', '{child} عنده حمى اليوم وسيبقى في البيت', '{child} عنده موعد عند الطبيب غدا'],
    forward: ['كيف حال {child} في القسم؟ أريد التحدث مع المعلم', 'هل يمكن أن يحصل {child} على مساعدة إضافية في الرياضيات؟'],
  },
  pl: {
    question: ['O której zaczynają się lekcje?', 'Kiedy jest następny dzień studyjny?', 'Ile wynosi składka rodzicielska?', 'Kiedy są ferie jesienne?', 'Czy dzieci mogą zostać w szkole na obiad?'],
    absence: ['{child} jest dziś chory i zostaje w domu', '{child} ma gorączkę, nie przyjdzie dzisiaj', '{child} jutro o 10 idzie do dentysty'],
    forward: ['Jak {child} radzi sobie w klasie? Chciałabym porozmawiać z nauczycielką', 'Czy {child} może dostać dodatkową pomoc z matematyki?'],
  },
  uk: {
    question: ['О котрій годині починаються уроки?', 'Коли наступний методичний день?', 'Скільки коштує батьківський внесок?', 'Коли осінні канікули?', 'Чи можуть діти обідати в школі?'],
    absence: ['{child} сьогодні хворіє і не прийде до школи', '{child} має температуру, залишиться вдома', '{child} завтра о 10 йде до лікаря'],
    forward: ['Як {child} навчається? Хочу поговорити з учителькою', 'Чи може {child} отримати додаткову допомогу з математики?'],
  },
  fr: {
    question: ["À quelle heure commence l'école le matin ?", 'Quand est la prochaine journée pédagogique ?', 'Combien coûte la contribution des parents ?', "Quand sont les vacances d'automne ?", "Les enfants peuvent-ils manger à l'école le midi ?"],
    absence: ["{child} est malade aujourd'hui", "{child} a de la fièvre, il reste à la maison aujourd'hui", '{child} a rendez-vous chez le dentiste demain à 10h'],
    forward: ["Comment va {child} en classe ? J'aimerais parler avec la maîtresse", '{child} peut-il avoir de l’aide en plus en maths ?'],
  },
  es: {
    question: ['¿A qué hora empieza el colegio por la mañana?', '¿Cuándo es el próximo día de estudio?', '¿Cuánto es la contribución de los padres?', '¿Cuándo son las vacaciones de otoño?', '¿Pueden los niños comer en el colegio al mediodía?'],
    absence: ['{child} está enfermo hoy y se queda en casa', '{child} tiene fiebre, hoy no va al colegio', '{child} tiene cita con el dentista mañana a las 10'],
    forward: ['¿Cómo va {child} en clase? Quisiera hablar con la maestra', '¿Puede {child} recibir ayuda extra en matemáticas?'],
  },
};
const NAMES: Record<Language, { first: string[]; last: string[] }> = {
  nl: { first: ['Daan', 'Emma', 'Sem', 'Julia', 'Noah', 'Tess'], last: ['de Jong', 'Bakker', 'Visser', 'Smit'] },
  en: { first: ['Lily', 'Oliver', 'Grace', 'Jack', 'Amelia'], last: ['Walker', 'Brown', 'Taylor', 'Wilson'] },
  tr: { first: ['Emre', 'Zeynep', 'Yusuf', 'Elif', 'Mert'], last: ['Yılmaz', 'Kaya', 'Demir', 'Şahin'] },
  ar: { first: ['Sami', 'Yasmine', 'Adam', 'Nour', 'Bilal'], last: ['El Idrissi', 'Haddad', 'Benali', 'Amrani'] },
  pl: { first: ['Zofia', 'Jakub', 'Lena', 'Antoni', 'Maja'], last: ['Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik'] },
  uk: { first: ['Maksym', 'Sofiia', 'Artem', 'Anna', 'Bohdan'], last: ['Shevchenko', 'Kovalenko', 'Bondarenko', 'Tkachenko'] },
  fr: { first: ['Inès', 'Lucas', 'Chloé', 'Hugo', 'Léa'], last: ['Diallo', 'Martin', 'Bernard', 'Dubois'] },
  es: { first: ['Mateo', 'Lucía', 'Pablo', 'Sofía', 'Hugo'], last: ['García', 'Martínez', 'López', 'Sánchez'] },
};

/** A small seeded PRNG (mulberry32), so every run sends the same mix. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
type Rng = ReturnType<typeof prng>;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

interface Family { phone: string; language: Language; children: string[] }

/** The demo school plus FAMILIES families (one in five with two children), languages mixed. */
async function seedFamilies(db: Db, rng: Rng): Promise<Family[]> {
  await seedDemoSchool(db, createLogger('silent'));
  const school = await db.school.findFirstOrThrow();
  const classes = await db.schoolClass.findMany({ where: { schoolId: school.id } });
  const families: Family[] = (await db.guardian.findMany({ include: { students: { include: { student: true } } } }))
    .map((g) => ({ phone: g.phone, language: g.language as Language, children: g.students.map((s) => s.student.firstName) }));
  await db.$transaction(async (tx) => {
    for (let i = 0; i < FAMILIES; i++) {
      const language = SUPPORTED_LANGUAGES[i % SUPPORTED_LANGUAGES.length]!;
      const names = NAMES[language];
      const lastName = pick(rng, names.last);
      const phone = `+3162${String(1_000_000 + i).slice(-7)}`;
      const guardian = await tx.guardian.create({
        data: { schoolId: school.id, name: `Ouder ${lastName} ${i}`, phone, whatsapp: phone, language, languageSource: 'school', alertConsent: true },
      });
      const children = i % 5 === 0 ? [names.first[i % names.first.length]!, names.first[(i + 1) % names.first.length]!] : [pick(rng, names.first)];
      for (const firstName of children) {
        const student = await tx.student.create({
          data: { schoolId: school.id, externalId: `W${i}-${firstName}`, firstName, lastName, classId: classes.length ? pick(rng, classes).id : null },
        });
        await tx.guardianStudent.create({ data: { guardianId: guardian.id, studentId: student.id } });
      }
      families.push({ phone, language, children });
    }
  });
  return families;
}

/** Half general questions, a quarter absence reports, a quarter for a person; 1 in 10 in Dutch or English instead. */
function messageFor(rng: Rng, family: Family): string {
  const r = rng();
  const kind: Kind = r < 0.5 ? 'question' : r < 0.75 ? 'absence' : 'forward';
  const language: Language = rng() < 0.1 ? (rng() < 0.5 ? 'nl' : 'en') : family.language;
  return pick(rng, MIX[language][kind]).replace('{child}', pick(rng, family.children));
}

// ---------------------------------------------------------------------------------------
// Load generation

/** Signed requests from the families; remembers what each MessageSid carried and how it was answered. */
class Traffic {
  private counter = 0;
  private readonly runTag = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  readonly sent = new Map<string, string>();
  readonly answered = new Map<string, number>();
  constructor(private readonly families: Family[], private readonly rng: Rng) {}

  requests(): autocannon.Request[] {
    return [{
      method: 'POST',
      path: PATH,
      setupRequest: (req, context) => {
        this.counter += 1;
        const sid = `SM${this.runTag}${this.counter.toString(16).padStart(24, '0')}`;
        const family = pick(this.rng, this.families);
        const params = { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, From: family.phone, To: DEMO_NUMBERS.sms, Body: messageFor(this.rng, family), NumMedia: '0' };
        this.sent.set(sid, params.Body);
        (context as { sid?: string }).sid = sid;
        return {
          ...req,
          body: new URLSearchParams(params).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, TEST_BASE_URL + PATH, params),
          },
        };
      },
      onResponse: (status, _body, context) => {
        const sid = (context as { sid?: string }).sid;
        if (sid) this.answered.set(sid, status);
      },
    }];
  }

  statusCounts(): string {
    const counts = new Map<number, number>();
    for (const s of this.answered.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${n} x ${s}`).join(', ');
  }
}

interface LoadResult { requests: number; ok: number; seconds: number; perSecond: number; p50: number; p99: number; errors: number; timeouts: number }

async function load(port: number, traffic: Traffic, size: { amount: number } | { duration: number }): Promise<LoadResult> {
  const t0 = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, pipelining: 1, timeout: 60,
    requests: traffic.requests(), ...size,
  });
  const seconds = (performance.now() - t0) / 1000;
  const ok = result['2xx'];
  return {
    requests: ok + result.non2xx, ok, seconds, perSecond: ok / seconds,
    p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, timeouts: result.timeouts,
  };
}

// ---------------------------------------------------------------------------------------
// Server processes

class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private waiter: ((m: ChildMessage) => void) | null = null;
  private exited: string | null = null;

  constructor(mode: 'baseline' | 'app') {
    this.proc = fork(fileURLToPath(new URL('./webhookServer.ts', import.meta.url)), [mode], {
      execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.proc.on('message', (m: ChildMessage) => this.deliver(m));
    this.proc.on('exit', (code) => {
      this.exited = `server process exited (${code})`;
      this.deliver({ type: 'error', message: this.exited });
    });
  }

  private deliver(m: ChildMessage) {
    if (this.waiter) { const w = this.waiter; this.waiter = null; w(m); } else this.inbox.push(m);
  }

  async next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    const m = this.inbox.shift() ?? (this.exited ? { type: 'error' as const, message: this.exited } : await new Promise<ChildMessage>((resolve) => { this.waiter = resolve; }));
    if (m.type === 'error') throw new Error(m.message);
    if (m.type !== type) throw new Error(`expected ${type} from the server process, got ${m.type}`);
    return m as Extract<ChildMessage, { type: T }>;
  }

  send(cmd: ParentCommand) { this.proc.send(cmd); }
  kill() { if (!this.exited) this.proc.kill(); }
}

// ---------------------------------------------------------------------------------------
// Verification: one stored inbound message per answered request, with the body sent.

async function verify(db: Db, traffic: Traffic) {
  const sids = [...traffic.sent.keys()];
  const stored = new Map<string, string[]>();
  for (let i = 0; i < sids.length; i += 500) {
    const rows = await db.message.findMany({ where: { direction: 'inbound', providerId: { in: sids.slice(i, i + 500) } }, select: { providerId: true, body: true } });
    for (const r of rows) stored.set(r.providerId!, [...(stored.get(r.providerId!) ?? []), r.body]);
  }
  let exact = 0; let missing = 0; let duplicated = 0; let wrongBody = 0; let unanswered = 0;
  for (const [sid, body] of traffic.sent) {
    const rows = stored.get(sid) ?? [];
    if (!traffic.answered.has(sid)) unanswered++;
    if (rows.length === 0) missing++;
    else if (rows.length > 1) duplicated++;
    else if (rows[0] !== body) wrongBody++;
    else exact++;
  }
  const ok = exact === sids.length && unanswered === 0;
  return { ok, line: `${sids.length} signed requests (${traffic.statusCounts()}), ${exact} stored exactly once with the body sent; missing ${missing}, duplicated ${duplicated}, wrong body ${wrongBody}, unanswered ${unanswered}` };
}

// ---------------------------------------------------------------------------------------

interface AppRun { label: string; result?: LoadResult; warmup?: number; verify?: { ok: boolean; line: string }; rss?: { start: number; peak: number }; notRun?: string }

async function runApp(app: Child, label: string, database: { db: Db; url: string }, families: Family[], rng: Rng): Promise<AppRun> {
  app.send({ cmd: 'start', databaseUrl: database.url });
  const { port } = await app.next('listening');
  phase(`${label}: listening`);
  const traffic = new Traffic(families, rng);
  const warmup = Math.max(CONNECTIONS, 20);
  await load(port, traffic, { amount: warmup });
  const result = await load(port, traffic, { amount: MESSAGES });
  app.send({ cmd: 'stop' });
  const stopped = await app.next('stopped');
  return { label, result, warmup, verify: await verify(database.db, traffic), rss: { start: stopped.rssAtStart, peak: stopped.peakRss } };
}

/**
 * PostgreSQL at BENCH_DATABASE_URL (with --postgres alone: the test suite's server,
 * TEST_POSTGRES_URL). Without ?schema= in the URL the run gets a fresh schema, migrated by
 * the app's own runner and dropped afterwards; a given ?schema= must hold no school yet.
 */
async function openPostgres(): Promise<{ db: Db; url: string; cleanup: () => Promise<void> } | string> {
  const base = PG_URL ?? TEST_POSTGRES_URL;
  if (!/^postgres(ql)?:\/\//.test(base)) return `BENCH_DATABASE_URL must be a postgresql:// URL (got ${base.split(':')[0]}:)`;
  const given = new URL(base).searchParams.get('schema');
  const schema = given ?? `bench_${randomBytes(6).toString('hex')}`;
  const url = given ? base : `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`;
  const dropSchema = async () => {
    if (given) return;
    const admin = new URL(base);
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try { await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`); } finally { await client.end(); }
  };
  let db: Db | null = null;
  try {
    await migratePostgres(url);
    db = createDb(url);
    if ((await db.school.count()) > 0) throw new Error(`schema ${schema} already holds a school (the benchmark seeds its own and never deletes data)`);
  } catch (err) {
    await db?.$disconnect();
    await dropSchema().catch(() => undefined);
    return `cannot use ${redact(base)}: ${(err as Error).message.split('\n').filter(Boolean).pop()}`;
  }
  const opened = db;
  return { db: opened, url, cleanup: async () => { await opened.$disconnect(); await dropSchema(); } };
}

/** A database URL without its password, for printing. */
function redact(url: string): string {
  try { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); } catch { return 'BENCH_DATABASE_URL'; }
}

const row = (label: string, r: LoadResult) =>
  `${label.padEnd(34)}${r.perSecond.toFixed(0).padStart(7)} msg/s   p50 ${String(r.p50).padStart(5)} ms   p99 ${String(r.p99).padStart(5)} ms   (${r.ok} x 2xx in ${r.seconds.toFixed(1)} s${r.errors || r.timeouts ? `, ${r.errors} errors, ${r.timeouts} timeouts` : ''})`;

const t0 = performance.now();
const phase = (what: string) => { if (process.env.BENCH_DEBUG) console.error(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${what}`); };
const rng = prng(SEED);
const app = new Child('app'); // trains the classifier (~20 s) while the SQLite database is seeded
let exitCode = 0;
const cleanups: (() => Promise<void>)[] = [];
try {
  const sqlite = await createTestDb('sqlite');
  cleanups.push(sqlite.cleanup);
  const families = await seedFamilies(sqlite.db, rng);
  phase('sqlite seeded');
  // PostgreSQL is opened, migrated and seeded while the classifier trains, too.
  const pg = WANT_PG ? await openPostgres() : 'pass --postgres (the test suite\'s server) or set BENCH_DATABASE_URL=postgresql://…';
  if (typeof pg !== 'string') cleanups.push(pg.cleanup);
  const pgFamilies = typeof pg === 'string' ? [] : await seedFamilies(pg.db, prng(SEED));
  phase('postgres seeded');
  await app.next('ready');
  phase('classifier trained');

  // Baseline: signature check + empty TwiML, same traffic, only while nothing else runs.
  const baselineServer = new Child('baseline');
  const { port } = await baselineServer.next('listening');
  const baseTraffic = new Traffic(families, rng);
  await load(port, baseTraffic, { duration: 1 });
  const baseline = await load(port, baseTraffic, { duration: BASELINE_SECONDS });
  baselineServer.send({ cmd: 'stop' });
  const baseRss = await baselineServer.next('stopped');
  baselineServer.kill();
  phase('baseline done');

  const runs: AppRun[] = [];
  runs.push(await runApp(app, 'SQLite', sqlite, families, rng));
  phase('sqlite done');
  runs.push(typeof pg === 'string' ? { label: 'PostgreSQL', notRun: pg } : await runApp(app, 'PostgreSQL', pg, pgFamilies, rng));

  console.log(`\nsigned SMS webhook on loopback: ${CONNECTIONS} connections, distinct signed messages from ${families.length} guardians (8 languages: 1/2 general questions, 1/4 absence reports, 1/4 for a person)`);
  console.log(row('baseline (signature + empty TwiML)', baseline));
  console.log(`  ${baseTraffic.answered.size} requests, ${baseTraffic.statusCounts()}; peak rss ${mb(baseRss.peakRss)}`);
  for (const run of runs) {
    if (run.notRun || !run.result) {
      console.log(`${`app on ${run.label}`.padEnd(34)}not run: ${run.notRun}`);
      continue;
    }
    const r = run.result;
    console.log(row(`app on ${run.label}`, r));
    // With every connection busy, latency is mostly queueing: the server's own time per message is about 1/throughput.
    console.log(`  server time per message ≈ ${(1000 / r.perSecond).toFixed(0)} ms (CPU-bound: one process; p50/p99 include waiting behind ${CONNECTIONS - 1} other connections)`);
    console.log(`  ratio to baseline: ${(r.perSecond / baseline.perSecond).toFixed(3)}x the messages/s (baseline ${(baseline.perSecond / r.perSecond).toFixed(0)}x faster), p50 ${(r.p50 / Math.max(baseline.p50, 1)).toFixed(0)}x, p99 ${(r.p99 / Math.max(baseline.p99, 1)).toFixed(0)}x`);
    console.log(`  no loss: ${run.verify!.ok ? 'yes' : 'NO'}: ${run.verify!.line} (incl. ${run.warmup} warm-up)`);
    console.log(`  peak rss of the app process: ${mb(run.rss!.peak)} (${mb(run.rss!.start)} after training and listening)`);
    if (!run.verify!.ok) exitCode = 1;
  }
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
} finally {
  app.kill();
  // The SQLite file and the PostgreSQL schema of this run go, whatever happened.
  for (const cleanup of cleanups) await cleanup().catch((err: unknown) => console.error(`cleanup failed: ${(err as Error).message}`));
}
process.exit(exitCode);
