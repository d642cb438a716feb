/**
 * E-mail through SMTP (nodemailer), configured by environment variables (docs/alerts.md):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | BEACON_SMTP_HOST | unset | SMTP server; unset = e-mail off (deliveries wait and are shown as failed) |
 * | BEACON_SMTP_PORT | 587 | port |
 * | BEACON_SMTP_SECURE | false | true = TLS from the start (port 465); false = STARTTLS when offered |
 * | BEACON_SMTP_REQUIRE_TLS | false | refuse to send unless STARTTLS succeeds |
 * | BEACON_SMTP_USER / BEACON_SMTP_PASSWORD | unset | SMTP authentication |
 * | BEACON_SMTP_FROM | Beacon <beacon@localhost> | sender address |
 * | BEACON_SMTP_RETRY_FIRST_SECONDS | 60 | delay before the first retry (then ×4, at most 4 h) |
 * | BEACON_SMTP_MAX_ATTEMPTS | 6 | attempts before a delivery is given up as failed |
 *
 * A bad value is reported with the variable's name (the delivery fails with that message).
 */
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../domain/alerts/delivery';

export interface MailMessage {
  to: { address: string; name: string };
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface Mailer {
  readonly description: string;
  send(message: MailMessage): Promise<{ messageId: string }>;
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const smtpEnv = z.object({
  BEACON_SMTP_HOST: z.string().trim().min(1).optional(),
  BEACON_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  BEACON_SMTP_SECURE: bool.default(false),
  BEACON_SMTP_REQUIRE_TLS: bool.default(false),
  BEACON_SMTP_USER: z.string().optional(),
  BEACON_SMTP_PASSWORD: z.string().optional(),
  BEACON_SMTP_FROM: z.string().trim().min(3).default('Beacon <beacon@localhost>'),
  BEACON_SMTP_RETRY_FIRST_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_RETRY_POLICY.firstDelaySeconds),
  BEACON_SMTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(DEFAULT_RETRY_POLICY.maxAttempts),
});

export interface SmtpSettings {
  host: string | null;
  port: number;
  secure: boolean;
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
  from: string;
  retry: RetryPolicy;
}

/** Read and check the SMTP settings; throws an Error naming the variable on a bad value. */
export function smtpSettings(env: NodeJS.ProcessEnv = process.env): SmtpSettings {
  const picked: Record<string, string> = {};
  for (const k of Object.keys(smtpEnv.shape)) {
    const v = env[k];
    if (v !== undefined && v !== '') picked[k] = v;
  }
  const r = smtpEnv.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${String(issue?.path[0] ?? 'BEACON_SMTP_*')}: ${issue?.message ?? 'bad value'}`);
  }
  const e = r.data;
  return {
    host: e.BEACON_SMTP_HOST ?? null,
    port: e.BEACON_SMTP_PORT,
    secure: e.BEACON_SMTP_SECURE,
    requireTls: e.BEACON_SMTP_REQUIRE_TLS,
    auth: e.BEACON_SMTP_USER ? { user: e.BEACON_SMTP_USER, pass: e.BEACON_SMTP_PASSWORD ?? '' } : null,
    from: e.BEACON_SMTP_FROM,
    retry: { ...DEFAULT_RETRY_POLICY, firstDelaySeconds: e.BEACON_SMTP_RETRY_FIRST_SECONDS, maxAttempts: e.BEACON_SMTP_MAX_ATTEMPTS },
  };
}

/** An SMTP mailer, or null when no host is configured. */
export function smtpMailer(settings: SmtpSettings): Mailer | null {
  if (settings.host === null) return null;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ...(settings.auth ? { auth: settings.auth } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    description: `smtp://${settings.host}:${settings.port}`,
    async send(m) {
      const info = await transport.sendMail({
        from: settings.from,
        to: { name: m.to.name, address: m.to.address },
        subject: m.subject,
        text: m.text,
        html: m.html,
        ...(m.attachments ? { attachments: m.attachments } : {}),
      });
      return { messageId: String(info.messageId ?? '') };
    },
  };
}

/** A short, log-safe description of a sending error (the SMTP code and reply, no message content). */
export function describeSendError(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; responseCode?: unknown; response?: unknown };
    const parts = [typeof e.code === 'string' ? e.code : null, typeof e.responseCode === 'number' ? String(e.responseCode) : null, e.message];
    return parts.filter((p) => p !== null && p !== '').join(' ').slice(0, 300);
  }
  return 'sending failed';
}

/**
 * The mailer and retry policy from the environment. A bad setting gives a mailer whose
 * every send fails with the message naming the variable (shown on the delivery), rather
 * than stopping anything else.
 */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): { mailer: Mailer | null; retry: RetryPolicy } {
  try {
    const s = smtpSettings(env);
    return { mailer: smtpMailer(s), retry: s.retry };
  } catch (err) {
    const message = err instanceof Error ? err.message : 'bad SMTP settings';
    return {
      mailer: {
        description: 'misconfigured',
        send: () => Promise.reject(new Error(`E-mail settings are not valid: ${message}`)),
      },
      retry: DEFAULT_RETRY_POLICY,
    };
  }
}
