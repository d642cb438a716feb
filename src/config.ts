import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting Beacon reads from the environment, validated once at start-up. */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  BEACON_DATA_DIR: z.string().min(1).default('./.beacon'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BEACON_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  BEACON_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  BEACON_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  BEACON_SIGNIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  BEACON_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(4096).default(1024),
  BEACON_SECURE_COOKIES: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('auto: Secure cookies when the request arrived over HTTPS'),
  BEACON_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  BEACON_SECRET_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return null;
      const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)' });
        return z.NEVER;
      }
      return key;
    })
    .describe('key that encrypts TOTP secrets at rest; unset: a key file in BEACON_DATA_DIR'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  session: { idleMinutes: number; maxHours: number };
  signIn: { maxFailures: number; lockoutMinutes: number };
  maxUploadBytes: number;
  secureCookies: 'auto' | 'true' | 'false';
  trustProxy: boolean;
  /** Key for secrets kept encrypted in the database (TOTP); null: the data directory's key file. */
  secretKey: Buffer | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; a bad value gives one readable message per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Beacon cannot start: invalid configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.BEACON_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    session: { idleMinutes: e.BEACON_SESSION_IDLE_MINUTES, maxHours: e.BEACON_SESSION_MAX_HOURS },
    signIn: { maxFailures: e.BEACON_SIGNIN_MAX_FAILURES, lockoutMinutes: e.BEACON_SIGNIN_LOCKOUT_MINUTES },
    maxUploadBytes: e.BEACON_MAX_UPLOAD_MB * 1024 * 1024,
    secureCookies: e.BEACON_SECURE_COOKIES,
    trustProxy: e.BEACON_TRUST_PROXY,
    secretKey: e.BEACON_SECRET_KEY,
  };
}
