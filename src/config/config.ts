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
  })
  .transform((c) => ({
    ...c,
    PUBLIC_BASE_URL: c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`,
    publicBaseUrlDefaulted: c.PUBLIC_BASE_URL === undefined,
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
