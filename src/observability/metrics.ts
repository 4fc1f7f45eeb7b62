import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ROUTES } from '../classification/classifier.js';
import { CHANNELS } from '../channels/types.js';
import type { InboundOutcome } from '../conversation/inbound.js';
import type { Db } from '../db/client.js';
import { SUPPORTED_LANGUAGES } from '../language/languages.js';
import type { Logger } from '../logger.js';
import type { SendMetrics } from '../outbox/worker.js';

/**
 * Prometheus metrics for one app instance (its own Registry, so tests can build many apps).
 *
 * Labels only ever carry values from the closed sets below; anything else becomes "other".
 * No phone number, name, message text or id can reach a label.
 */

const TICKET_KINDS = ['forward', 'urgent', 'absence'] as const;
const OUTBOX_STATUSES = ['queued', 'sending'] as const;
const ALERT_VIA = ['whatsapp_session', 'whatsapp_template', 'sms'] as const;
const SKIPPED_REASONS = ['no_consent', 'opted_out', 'no_number', 'adult_student', 'no_channel'] as const;
const NOTICE_CHANNELS = ['teams', 'email', 'sms'] as const;
const NOTICE_STATUSES = ['queued', 'sent', 'failed', 'skipped'] as const;
/** Inbound routes: the classifier's, plus MORE, a retried webhook and a number no school uses. */
const INBOUND_ROUTES = [...ROUTES, 'more', 'replayed', 'unknown_school'] as const;
/** Recent alert deliveries and staff notices: rows of the last 7 days. */
const RECENT_DAYS = 7;

/** `value` if it is one of `allowed`, otherwise `fallback`: labels stay a closed set. */
export function closed(value: string | null | undefined, allowed: readonly string[], fallback = 'other'): string {
  return value != null && allowed.includes(value) ? value : fallback;
}

/** A provider error code as a label: Twilio's numeric code, else the HTTP status, else "network". */
export function errorCodeLabel(code: string | null, httpStatus: number | null): string {
  if (code !== null) return /^\d{1,6}$/.test(code) ? code : 'other';
  if (httpStatus !== null) return /^\d{3}$/.test(String(httpStatus)) ? `http_${httpStatus}` : 'other';
  return 'network';
}

export interface Metrics extends SendMetrics {
  readonly registry: Registry;
  /** Counts one inbound webhook message by channel, route and language. */
  inbound(channel: string, outcome: InboundOutcome): void;
  /** Reads the database gauges; called on every scrape. False when the database failed. */
  refresh(): Promise<boolean>;
}

export function createMetrics(opts: { db: Db; log: Logger; now?: () => Date; defaultMetrics?: boolean }): Metrics {
  const { db, log } = opts;
  const now = opts.now ?? (() => new Date());
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const inboundMessages = new Counter({
    name: 'ouderlijn_inbound_messages_total',
    help: 'Inbound parent messages from the Twilio webhook, by channel, route and the language answered in (route "more" is a MORE request, "replayed" a retried webhook, "unknown_school" a number no school uses).',
    labelNames: ['channel', 'route', 'language'] as const, registers,
  });
  const sendErrors = new Counter({
    name: 'ouderlijn_send_errors_total',
    help: 'Failed outbox send attempts by channel, provider error code (Twilio code, http_<status> or network) and whether it is retried.',
    labelNames: ['channel', 'code', 'retryable'] as const, registers,
  });
  const outboxMessages = new Gauge({
    name: 'ouderlijn_outbox_messages',
    help: 'Outbound messages waiting in the outbox (queued) or being sent (sending), by channel.',
    labelNames: ['channel', 'status'] as const, registers,
  });
  const outboxOldest = new Gauge({
    name: 'ouderlijn_outbox_oldest_queued_age_seconds',
    help: 'Age of the oldest queued outbound message by channel (0 when none is queued).',
    labelNames: ['channel'] as const, registers,
  });
  const ticketsOpen = new Gauge({
    name: 'ouderlijn_tickets_open',
    help: 'Open tickets by kind.',
    labelNames: ['kind'] as const, registers,
  });
  const ticketsOldest = new Gauge({
    name: 'ouderlijn_tickets_oldest_open_age_seconds',
    help: 'Age of the oldest open ticket by kind (0 when none is open).',
    labelNames: ['kind'] as const, registers,
  });
  const ticketsOverdue = new Gauge({
    name: 'ouderlijn_tickets_overdue',
    help: 'Open tickets past their deadline without a first reply, by kind.',
    labelNames: ['kind'] as const, registers,
  });
  const alertDeliveries = new Gauge({
    name: 'ouderlijn_alert_deliveries_last7d',
    help: 'Recipients of absence alerts created in the last 7 days, by how they were reached (via) or why not (skipped_reason); the other label is "none".',
    labelNames: ['via', 'skipped_reason'] as const, registers,
  });
  const staffNotices = new Gauge({
    name: 'ouderlijn_staff_notices_last7d',
    help: 'Staff notices created in the last 7 days, by channel and status.',
    labelNames: ['channel', 'status'] as const, registers,
  });
  const databaseUp = new Gauge({
    name: 'ouderlijn_metrics_database_up',
    help: '1 when the database gauges of this scrape were read, 0 when the database failed (the gauges then keep their last values).',
    registers,
  });

  let refreshing: Promise<boolean> | null = null;
  const ageSeconds = (since: Date | null | undefined, at: Date) => (since ? Math.max(0, (at.getTime() - new Date(since).getTime()) / 1000) : 0);

  async function readDatabase() {
    const at = now();
    const recent = new Date(at.getTime() - RECENT_DAYS * 86_400_000);
    const [outbox, open, overdue, deliveries, notices] = await Promise.all([
      db.message.groupBy({
        by: ['channel', 'status'],
        where: { direction: 'outbound', status: { in: [...OUTBOX_STATUSES] } },
        _count: { _all: true }, _min: { createdAt: true },
      }),
      db.ticket.groupBy({ by: ['kind'], where: { status: 'open' }, _count: { _all: true }, _min: { createdAt: true } }),
      db.ticket.groupBy({ by: ['kind'], where: { status: 'open', firstReplyAt: null, dueAt: { lt: at } }, _count: { _all: true } }),
      db.alertDelivery.groupBy({ by: ['via', 'skippedReason'], where: { alert: { createdAt: { gte: recent } } }, _count: { _all: true } }),
      db.staffNotification.groupBy({ by: ['channel', 'status'], where: { createdAt: { gte: recent } }, _count: { _all: true } }),
    ]);

    // Reset, then zero every known series, so series that emptied read 0 rather than vanish.
    for (const g of [outboxMessages, outboxOldest, ticketsOpen, ticketsOldest, ticketsOverdue, alertDeliveries, staffNotices]) g.reset();
    for (const channel of CHANNELS) {
      outboxOldest.set({ channel }, 0);
      for (const status of OUTBOX_STATUSES) outboxMessages.set({ channel, status }, 0);
    }
    for (const kind of TICKET_KINDS) {
      ticketsOpen.set({ kind }, 0);
      ticketsOldest.set({ kind }, 0);
      ticketsOverdue.set({ kind }, 0);
    }

    const oldestQueued = new Map<string, number>();
    for (const row of outbox) {
      const channel = closed(row.channel, CHANNELS);
      outboxMessages.inc({ channel, status: closed(row.status, OUTBOX_STATUSES) }, row._count._all);
      if (row.status === 'queued') oldestQueued.set(channel, Math.max(oldestQueued.get(channel) ?? 0, ageSeconds(row._min.createdAt, at)));
    }
    for (const [channel, age] of oldestQueued) outboxOldest.set({ channel }, age);
    const oldestTicket = new Map<string, number>();
    for (const row of open) {
      const kind = closed(row.kind, TICKET_KINDS);
      ticketsOpen.inc({ kind }, row._count._all);
      oldestTicket.set(kind, Math.max(oldestTicket.get(kind) ?? 0, ageSeconds(row._min.createdAt, at)));
    }
    for (const [kind, age] of oldestTicket) ticketsOldest.set({ kind }, age);
    for (const row of overdue) ticketsOverdue.inc({ kind: closed(row.kind, TICKET_KINDS) }, row._count._all);
    for (const row of deliveries) {
      alertDeliveries.inc({
        via: row.via === null ? 'none' : closed(row.via, ALERT_VIA),
        skipped_reason: row.skippedReason === null ? 'none' : closed(row.skippedReason, SKIPPED_REASONS),
      }, row._count._all);
    }
    for (const row of notices) {
      staffNotices.inc({ channel: closed(row.channel, NOTICE_CHANNELS), status: closed(row.status, NOTICE_STATUSES) }, row._count._all);
    }
  }

  return {
    registry,
    inbound(channel, outcome) {
      const c = closed(channel, CHANNELS);
      if (outcome.kind === 'unknown_number') {
        inboundMessages.inc({ channel: c, route: 'unknown_school', language: 'unknown' });
      } else if (outcome.replayed) {
        inboundMessages.inc({ channel: c, route: 'replayed', language: 'unknown' });
      } else {
        inboundMessages.inc({
          channel: c,
          route: closed(outcome.classification?.route ?? 'more', INBOUND_ROUTES),
          language: closed(outcome.language ?? null, SUPPORTED_LANGUAGES, 'unknown'),
        });
      }
    },
    sendError({ channel, code, httpStatus, retryable }) {
      sendErrors.inc({ channel: closed(channel, CHANNELS), code: errorCodeLabel(code, httpStatus), retryable: String(retryable) });
    },
    refresh() {
      // Concurrent scrapes share one read, so resets and increments never interleave.
      refreshing ??= readDatabase()
        .then(() => { databaseUp.set(1); return true; })
        .catch((err: unknown) => {
          log.error({ err }, 'metrics: reading the database failed');
          databaseUp.set(0);
          return false;
        })
        .finally(() => { refreshing = null; });
      return refreshing;
    },
  };
}

/** True for this machine's own addresses (IPv4, IPv6 and IPv4-mapped IPv6 loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * Who may read /metrics: with a token, whoever sends `Authorization: Bearer <token>`;
 * without one, only clients on this machine that did not come through a proxy (a request
 * with X-Forwarded-For / Forwarded / X-Real-IP was relayed, so its origin is unknown).
 */
export function metricsAccess(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (token) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
      if (given && sameSecret(given, token)) return next();
      res.set('WWW-Authenticate', 'Bearer realm="metrics"').status(401).type('text/plain').send('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
      return;
    }
    const relayed = Boolean(req.get('x-forwarded-for') ?? req.get('forwarded') ?? req.get('x-real-ip'));
    if (isLoopback(req.socket.remoteAddress) && !relayed) return next();
    res.status(403).type('text/plain').send('GET /metrics is served to this machine only; set METRICS_TOKEN to scrape it from elsewhere.');
  };
}

/** GET /metrics: reads the database gauges, then answers in the Prometheus text format. */
export function metricsHandler(metrics: Metrics) {
  return async (_req: Request, res: Response) => {
    await metrics.refresh();
    res.set('Cache-Control', 'no-store').type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
