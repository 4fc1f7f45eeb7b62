import { randomUUID } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPrisma, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CHANNELS, type Channel } from '../channels/types.js';
import { dialectOfDb, qualifiedTable, type Db } from '../db/client.js';
import type { Message } from '../generated/prisma/client.js';
import { maskPhone, type Logger } from '../logger.js';
import { SendError, type Sender } from './sender.js';

export interface WorkerOptions {
  /** Attempts before a retryable failure is given up. */
  maxAttempts: number;
  /** First retry delay; doubles each attempt, with +-20% jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A claim older than this with no provider id is presumed lost in a crash and re-queued. */
  claimLeaseMs: number;
  batchSize: number;
  pollMs: number;
  now: () => Date;
  random: () => number;
  /** Messages per second per sender number and channel, as the provider allows them. */
  perSecond: Record<Channel, number>;
  /** Counts failed sends (GET /metrics); optional. */
  metrics?: SendMetrics;
}

/** What the worker reports about failed sends: closed values only, never numbers or text. */
export interface SendMetrics {
  sendError(labels: { channel: string; code: string | null; httpStatus: number | null; retryable: boolean }): void;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 15 * 60_000,
  claimLeaseMs: 2 * 60_000,
  batchSize: 20,
  pollMs: 1_000,
  now: () => new Date(),
  random: Math.random,
  // Twilio queues what a sender cannot send at once, but a long code sends about one SMS
  // a second; WhatsApp senders start at 80 (see https://www.twilio.com/docs/messaging/guides/rate-limits).
  perSecond: { sms: 1, whatsapp: 80 },
};

/**
 * Sends queued outbound messages. Each message is claimed with a compare-and-set
 * (queued -> sending), so it is still queued at the moment it is sent and no two workers
 * send it. A worker that dies after claiming leaves the row in `sending`; after the lease
 * the row is re-queued unless a status callback already proved Twilio accepted it.
 */
export class OutboxWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly opts: WorkerOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  /** Messages this worker claimed and has not handed to the sender yet: released on stop. */
  private readonly claimedUnsent = new Set<string>();
  private readonly limiters: Record<Channel, RateLimiterAbstract>;

  constructor(
    private readonly db: Db,
    private readonly sender: Sender,
    private readonly log: Logger,
    options: Partial<WorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_WORKER_OPTIONS, ...options };
    this.limiters = {
      sms: senderRateLimiter(db, this.opts.perSecond.sms),
      whatsapp: senderRateLimiter(db, this.opts.perSecond.whatsapp),
    };
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    const tick = () => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err) => this.log.error({ err }, 'outbox tick failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Stops polling, lets the send in progress finish (no new message is claimed once stopping),
   * then puts back to `queued` any message this worker claimed but did not hand to the sender.
   * With `timeoutMs`, returns after at most that long: a send still waiting for the provider is
   * left claimed (it may have gone out) and the claim lease re-queues it if it did not.
   */
  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const running = this.running ?? Promise.resolve();
    if (opts.timeoutMs === undefined) {
      await running;
    } else {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => { timer = setTimeout(resolve, opts.timeoutMs); })]);
      clearTimeout(timer);
    }
    await this.releaseClaims();
  }

  /**
   * Re-queues this worker's claims that never reached the sender. A message handed to the
   * sender is never released here, even if its outcome was not recorded: the provider may have
   * it, and the claim lease (`recoverStaleClaims`) decides later.
   */
  private async releaseClaims(): Promise<number> {
    const ids = [...this.claimedUnsent];
    this.claimedUnsent.clear();
    if (ids.length === 0) return 0;
    const { count } = await this.db.message.updateMany({
      where: { id: { in: ids }, status: 'sending', claimedBy: this.id, providerId: null },
      data: { status: 'queued', claimedAt: null, claimedBy: null },
    });
    if (count > 0) this.log.info({ count }, 'outbox: released claimed messages on stop');
    return count;
  }

  /** One pass: recover stale claims, then send what is due. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    await this.recoverStaleClaims();
    if (dialectOfDb(this.db) === 'postgresql') return this.runOncePostgres();
    const due = await this.db.message.findMany({
      where: { direction: 'outbound', status: 'queued', nextAttemptAt: { lte: this.opts.now() } },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
      take: this.opts.batchSize,
    });
    let attempted = 0;
    for (const message of due) {
      if (this.stopping) break;
      // Over the sender's rate: leave it queued for the next pass, unclaimed.
      if (!(await this.withinRate(message))) continue;
      if (await this.claim(message.id)) {
        attempted++;
        await this.deliver(message);
      }
    }
    return attempted;
  }

  /**
   * PostgreSQL with several instances: a batch is claimed in one statement with row locks
   * that skip rows another worker is claiming (FOR UPDATE SKIP LOCKED), so workers never wait
   * on each other and never claim the same message. Rows over a sender's rate go back.
   */
  private async runOncePostgres(): Promise<number> {
    if (this.stopping) return 0;
    const now = this.opts.now();
    const table = qualifiedTable(this.db, 'Message');
    const claimed = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE ${table} SET "status" = 'sending', "claimedAt" = $1, "claimedBy" = $2, "updatedAt" = $1
       WHERE "id" IN (
         SELECT "id" FROM ${table}
         WHERE "direction" = 'outbound' AND "status" = 'queued' AND "nextAttemptAt" <= $1
         ORDER BY "nextAttemptAt", "createdAt" LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      now, this.id, this.opts.batchSize,
    );
    if (claimed.length === 0) return 0;
    for (const { id } of claimed) this.claimedUnsent.add(id);
    const due = await this.db.message.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
    });
    let attempted = 0;
    for (const message of due) {
      if (this.stopping || !(await this.withinRate(message))) {
        this.claimedUnsent.delete(message.id);
        await this.db.message.updateMany({
          where: { id: message.id, status: 'sending', claimedBy: this.id, providerId: null },
          data: { status: 'queued', claimedAt: null, claimedBy: null },
        });
        continue;
      }
      attempted++;
      await this.deliver(message);
    }
    return attempted;
  }

  private async withinRate(message: Message): Promise<boolean> {
    const limiter = this.limiters[message.channel as Channel];
    if (!limiter) return true;
    try {
      await limiter.consume(`${message.channel}:${message.fromAddress}`);
      return true;
    } catch (err) {
      if (err instanceof RateLimiterRes) return false;
      throw err;
    }
  }

  private async claim(id: string): Promise<boolean> {
    const { count } = await this.db.message.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'sending', claimedAt: this.opts.now(), claimedBy: this.id },
    });
    if (count === 1) this.claimedUnsent.add(id);
    return count === 1;
  }

  async recoverStaleClaims(): Promise<number> {
    const cutoff = new Date(this.opts.now().getTime() - this.opts.claimLeaseMs);
    const stale = await this.db.message.findMany({
      where: { direction: 'outbound', status: 'sending', providerId: null, claimedAt: { lt: cutoff } },
      select: { id: true, claimedAt: true, sendInDoubtSince: true },
      take: 500,
    });
    let count = 0;
    for (const row of stale) {
      // Guarded by the claim we saw: another instance may recover (and re-claim) it first.
      const { count: moved } = await this.db.message.updateMany({
        where: { id: row.id, status: 'sending', providerId: null, claimedAt: row.claimedAt },
        // The provider may have had it since that claim began (or an earlier lost one did).
        data: { status: 'queued', claimedAt: null, claimedBy: null, nextAttemptAt: this.opts.now(), sendInDoubtSince: row.sendInDoubtSince ?? row.claimedAt },
      });
      count += moved;
    }
    if (count > 0) this.log.warn({ count }, 'outbox: re-queued messages whose sender stopped before finishing; each is looked up at the provider before it is sent again');
    return count;
  }

  private async deliver(message: Message): Promise<void> {
    const attempts = message.attempts + 1;
    if (!message.essential && (await this.isOptedOut(message))) {
      this.claimedUnsent.delete(message.id);
      await this.finish(message.id, { status: 'failed', statusReason: 'opted_out: the recipient sent STOP on this channel', attempts: message.attempts });
      return;
    }
    const channel = CHANNELS.includes(message.channel as Channel) ? (message.channel as Channel) : null;
    if (!channel) {
      this.claimedUnsent.delete(message.id);
      await this.finish(message.id, { status: 'failed', statusReason: `unknown channel "${message.channel}"`, attempts });
      return;
    }
    let providerId: string;
    let found = false;
    // From here on stop() never releases the claim: the provider may have the message. If a
    // stop() past its deadline released it already, it is someone else's to send now.
    if (!this.claimedUnsent.delete(message.id)) return;
    try {
      ({ providerId, found = false } = await this.sender({
        id: message.id, channel, from: message.fromAddress, to: message.toAddress, body: message.body,
        ...(message.contentSid ? { template: { contentSid: message.contentSid, variables: parseVariables(message.contentVariables) } } : {}),
        ...(message.sendInDoubtSince ? { inDoubtSince: message.sendInDoubtSince } : {}),
      }));
    } catch (err) {
      await this.recordFailure(message, attempts, err);
      return;
    }
    // Recorded outside the try: a database error after Twilio accepted the message must not
    // look like a failed send, or the message would go out twice. A fast status callback may
    // already have moved the row on; then only the gaps are filled in.
    const moved = await this.db.message.updateMany({
      where: { id: message.id, status: 'sending' },
      // An earlier attempt's failure ("retrying: 429 …") is history now: the school API and the
      // staff inbox show statusReason as why a message failed.
      data: { status: 'sent', providerId, sentAt: this.opts.now(), attempts, statusReason: null, errorCode: null, claimedAt: null, claimedBy: null, sendInDoubtSince: null },
    });
    if (moved.count === 0) {
      await this.db.message.updateMany({ where: { id: message.id, providerId: null }, data: { providerId, attempts } });
    }
    this.log.info({ messageId: message.id, to: maskPhone(message.toAddress), attempts, found }, found ? 'outbox: already at the provider from an attempt whose worker died; not sent again' : 'outbox: sent');
  }

  private async recordFailure(message: Message, attempts: number, err: unknown): Promise<void> {
    const e = err instanceof SendError ? err : new SendError(String((err as Error)?.message ?? err), true, null, null);
    const reason = `${e.code ? `${e.code}: ` : ''}${e.message}`;
    this.opts.metrics?.sendError({ channel: message.channel, code: e.code, httpStatus: e.httpStatus, retryable: e.retryable });
    if (!e.retryable) {
      await this.finish(message.id, { status: 'failed', statusReason: reason, errorCode: e.code, attempts });
      this.log.warn({ messageId: message.id, code: e.code }, 'outbox: permanent failure, not retried');
    } else if (attempts >= this.opts.maxAttempts) {
      await this.finish(message.id, { status: 'failed', statusReason: `gave up after ${attempts} attempts; last error ${reason}`, errorCode: e.code, attempts });
      this.log.error({ messageId: message.id, code: e.code, attempts }, 'outbox: giving up');
    } else {
      const delay = this.backoff(attempts);
      await this.finish(message.id, {
        status: 'queued', statusReason: `retrying: ${reason}`, errorCode: e.code, attempts,
        nextAttemptAt: new Date(this.opts.now().getTime() + delay),
      });
      this.log.warn({ messageId: message.id, code: e.code, attempts, delayMs: delay }, 'outbox: retry scheduled');
    }
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempts - 1));
    return Math.round(exp * (0.8 + 0.4 * this.opts.random()));
  }

  private async isOptedOut(message: Message): Promise<boolean> {
    const conversation = await this.db.conversation.findUnique({ where: { id: message.conversationId }, select: { optedOutAt: true } });
    return Boolean(conversation?.optedOutAt);
  }

  private finish(id: string, data: { status: string; statusReason: string; attempts: number; errorCode?: string | null; nextAttemptAt?: Date }) {
    return this.db.message.updateMany({
      where: { id, status: 'sending' },
      data: { ...data, errorCode: data.errorCode ?? null, claimedAt: null, claimedBy: null },
    });
  }
}

function parseVariables(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
  } catch {
    return {};
  }
}

/**
 * Messages per second per sender number. On PostgreSQL several instances send from the same
 * numbers, so their windows live in the database (RateLimit, through rate-limiter-flexible's
 * Prisma store) and the limit holds for all of them together; should that table not answer, each
 * instance falls back to its own in-memory window. SQLite has one instance: memory is enough.
 */
function senderRateLimiter(db: Db, perSecond: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points: perSecond, duration: 1 });
  if (dialectOfDb(db) !== 'postgresql') return memory;
  return new RateLimiterPrisma({ storeClient: db, tableName: 'rateLimit', points: perSecond, duration: 1, insuranceLimiter: memory, clearExpiredByTimeout: false });
}
