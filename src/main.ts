import { loadConfig, ConfigError } from './config/config.js';
import { createTwilioSender } from './channels/twilio/index.js';
import { seedDemoSchool } from './demo/seed.js';
import { createApp } from './http/app.js';
import { KnowledgeBaseError } from './knowledge/errors.js';
import { createLogger } from './logger.js';
import { OutboxWorker } from './outbox/worker.js';
import { createRuntime } from './runtime.js';
import { ReplyComposer } from './conversation/replies.js';
import { HandoffDesk } from './handoff/desk.js';
import { Notifier, type NoticeTransport } from './handoff/notifier.js';
import type { NoticeChannel } from './handoff/notices.js';
import { runServiceLevel } from './handoff/sla.js';
import { createEmailTransport, verifySmtp } from './channels/email/index.js';
import { createStaffSmsTransport } from './channels/twilio/staffSms.js';
import { createTeamsChannel } from './channels/teams/index.js';
import { loadTranslator, TranslatorPluginError } from './handoff/translatorPlugin.js';
import { createMetrics } from './observability/metrics.js';
import { gracefulShutdown, onShutdownSignals, trackRequests } from './http/shutdown.js';
import { scheduleRetention } from './privacy/retention.js';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  if (config.publicBaseUrlDefaulted) {
    log.warn({ PUBLIC_BASE_URL: config.PUBLIC_BASE_URL }, 'PUBLIC_BASE_URL is not set; Twilio signatures are checked against this local URL');
  }
  const runtime = await createRuntime(config, log);
  if (config.SEED_DEMO) await seedDemoSchool(runtime.db, log);

  const translator = await loadTranslator(config.TRANSLATION_MODEL_MODULE);
  const desk = new HandoffDesk(runtime.db, new ReplyComposer(runtime.kb), translator);
  const transports: Partial<Record<NoticeChannel, NoticeTransport>> = {};
  // One registry for the app's /metrics and the outbox worker's send errors.
  const metrics = createMetrics({ db: runtime.db, log });

  let worker: OutboxWorker | null = null;
  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN) {
    const sender = createTwilioSender({
      accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN,
      publicBaseUrl: config.PUBLIC_BASE_URL, ...(config.TWILIO_API_BASE_URL ? { apiBaseUrl: config.TWILIO_API_BASE_URL } : {}),
    });
    transports.sms = createStaffSmsTransport({ db: runtime.db, sender });
    worker = new OutboxWorker(runtime.db, sender, log, {
      pollMs: config.OUTBOX_POLL_MS,
      perSecond: { sms: config.OUTBOX_SMS_PER_SECOND, whatsapp: config.OUTBOX_WHATSAPP_PER_SECOND },
      metrics,
    });
    worker.start();
  } else {
    log.warn('TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN not set: the outbox keeps messages queued and sends nothing');
  }

  if (config.SMTP_URL && config.SMTP_FROM) {
    transports.email = createEmailTransport({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM, log });
    void verifySmtp({ smtpUrl: config.SMTP_URL, log });
  } else {
    log.warn('SMTP_URL/SMTP_FROM not set: staff get no e-mail notices (the inbox and Teams still show tickets)');
  }
  let teams: ReturnType<typeof createTeamsChannel> | null = null;
  if (config.MICROSOFT_APP_ID) {
    teams = createTeamsChannel({ db: runtime.db, desk, log, publicBaseUrl: config.PUBLIC_BASE_URL, config });
    transports.teams = teams.transport;
  } else {
    log.info('MICROSOFT_APP_ID not set: Microsoft Teams is off (/api/messages answers 503)');
  }
  const notifier = new Notifier(runtime.db, transports, log, { publicBaseUrl: config.PUBLIC_BASE_URL });
  notifier.start();
  // The service level: reminders before a deadline, escalation after it (every minute).
  let serviceLevelRun: Promise<void> | null = null;
  const serviceLevel = setInterval(() => {
    serviceLevelRun ??= runServiceLevel(runtime.db, new Date(), log)
      .then(() => undefined)
      .catch((err) => log.error({ err }, 'service-level run failed'))
      .finally(() => { serviceLevelRun = null; });
  }, 60_000);
  serviceLevel.unref();
  // Privacy: old message bodies, parents' words and expired sessions go daily (src/privacy/retention.ts).
  const stopRetention = scheduleRetention(runtime.db, log);

  let shuttingDown = false;
  const app = createApp({
    config, db: runtime.db, inbound: runtime.inbound, kb: runtime.kb, log, desk, teams: teams?.routes ?? null, metrics,
    rateLimits: { twilioPerSecond: config.RATE_LIMIT_TWILIO_PER_SECOND, apiPerSecond: config.RATE_LIMIT_API_PER_SECOND, teamsPerSecond: config.RATE_LIMIT_TEAMS_PER_SECOND },
    shuttingDown: () => shuttingDown,
  });
  // Express 5 hands a listen error (EADDRINUSE …) to this callback: stop then, do not run without a port.
  const server = app.listen(config.PORT, (err?: Error) => {
    if (err) {
      log.fatal({ err, port: config.PORT }, 'cannot listen');
      process.exit(1);
    }
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    log.info({ port, publicBaseUrl: config.PUBLIC_BASE_URL }, 'Ouderlijn is listening');
  });
  const requests = trackRequests(server);

  // SIGTERM/SIGINT: stop accepting, finish the requests and sends in flight (within
  // SHUTDOWN_GRACE_MS), close the database, exit 0. A second signal exits at once.
  onShutdownSignals(async () => {
    shuttingDown = true;
    clearInterval(serviceLevel);
    stopRetention();
    await gracefulShutdown({
      drainHttp: (ms) => requests.drain(ms),
      stopBackground: async (ms) => {
        await Promise.all([worker?.stop({ timeoutMs: ms }), notifier.stop(), serviceLevelRun, teams?.idle()]);
      },
      close: () => runtime.db.$disconnect(),
    }, config.SHUTDOWN_GRACE_MS, log);
  }, log);
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof KnowledgeBaseError || err instanceof TranslatorPluginError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
