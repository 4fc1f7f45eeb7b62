import { z } from 'zod';

/**
 * Environment configuration, validated once at start-up. Everything else receives the
 * parsed `Config`, never `process.env`.
 */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** The public https origin Twilio calls; signatures are checked against it + path. */
    PUBLIC_BASE_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://ouderlijn.example.nl' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    DATABASE_URL: z
      .string()
      .default('file:./data/ouderlijn.db')
      .refine((u) => /^(file:|postgres(ql)?:\/\/)/.test(u), {
        message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
      }),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex characters')
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16, 'looks too short for a Twilio auth token').optional(),
    /** Only for contract tests and local mocks: where the Twilio REST API lives. */
    TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Seed the demo school when the database holds no school yet. */
    SEED_DEMO: z
      .enum(['true', 'false', '1', '0'])
      .default('true')
      .transform((v) => v === 'true' || v === '1'),
    /** How often the outbox worker looks for due messages. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** Messages per second per sender number, as the provider allows (Twilio long code: 1). */
    OUTBOX_SMS_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(1),
    OUTBOX_WHATSAPP_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(80),
    /** Staff inbox: session length; cookies are Secure unless the public URL is plain http. */
    STAFF_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(12),
    /** E-mail notices to staff: smtp(s)://user:pass@host:port, and the sender address. */
    SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must look like smtp://user:password@mail.example.nl:587' }).optional(),
    SMTP_FROM: z.string().regex(/^[^<>]*<?[^@\s<>]+@[^@\s<>]+>?$/, 'must be an e-mail address, e.g. "Ouderlijn <noreply@school.nl>"').optional(),
    /** Microsoft Teams (Bot Framework). Without an app id Teams is off. */
    MICROSOFT_APP_ID: z.uuid({ message: 'must be the bot\'s Microsoft App ID (a GUID)' }).optional(),
    MICROSOFT_APP_PASSWORD: z.string().min(8, 'looks too short for a client secret').optional(),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MICROSOFT_APP_TENANT_ID: z.uuid({ message: 'must be the Azure tenant id (a GUID)' }).optional(),
    /** Optional translation plug-in: a module whose default export returns a @langchain/core chat model. */
    TRANSLATION_MODEL_MODULE: z.string().min(1).optional(),
    /** GET /metrics: with a token it needs `Authorization: Bearer <token>`; without, loopback only. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** On SIGTERM/SIGINT: how long to wait for in-flight requests and sends before exiting. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /** In-memory rate limits per instance (requests per second): Twilio webhooks per IP, school API per token (or IP), Teams per IP. */
    RATE_LIMIT_TWILIO_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(50),
    RATE_LIMIT_API_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(20),
    RATE_LIMIT_TEAMS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(50),
  })
  .superRefine((c, ctx) => {
    if (c.MICROSOFT_APP_ID && c.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !c.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: `is required with MICROSOFT_APP_ID when MICROSOFT_APP_TYPE is ${c.MICROSOFT_APP_TYPE}` });
    }
    if (c.MICROSOFT_APP_ID && c.MICROSOFT_APP_TYPE !== 'MultiTenant' && !c.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: `is required when MICROSOFT_APP_TYPE is ${c.MICROSOFT_APP_TYPE}` });
    }
    if (!c.MICROSOFT_APP_ID && c.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: 'is required when MICROSOFT_APP_PASSWORD is set' });
    }
    if (c.SMTP_URL && !c.SMTP_FROM) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required when SMTP_URL is set' });
    }
  })
  .transform((c) => ({
    ...c,
    PUBLIC_BASE_URL: c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`,
    publicBaseUrlDefaulted: c.PUBLIC_BASE_URL === undefined,
    /** Session cookies get the Secure flag whenever the public URL is https. */
    secureCookies: (c.PUBLIC_BASE_URL ?? '').startsWith('https://'),
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(ConfigSchema.in.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join('.') || '(environment)';
        const given = typeof picked[name] === 'string' ? ` (got "${picked[name]}")` : '';
        return `${name}: ${i.message}${name.includes('TOKEN') ? '' : given}`;
      }),
    );
  }
  return parsed.data;
}
