import { createHash, randomBytes } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import type { Role } from '../access/roles';

/** Roles that always need a second factor (issue 8). */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['administrator', 'caldicott_guardian'];

/**
 * The TOTP secret of the demo accounts that need a second factor (administrator and
 * Caldicott guardian), published in docs/security.md so anyone trying the demo can add it
 * to an authenticator app. Demo accounts exist only in a database holding synthetic demo
 * data (never beside real data), so a published secret protects nothing real; a real
 * account's secret is random and made at enrolment.
 */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPBEACONDEMOTOTPAA';

export const TOTP_ISSUER = 'Beacon';

/** Whether this user must use a second factor. */
export function totpRequiredFor(role: string, flagged: boolean): boolean {
  return flagged || (TOTP_REQUIRED_ROLES as readonly string[]).includes(role);
}

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// link an authenticator app reads (as a QR code or typed in). */
export function totpUri(username: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The secret split into groups of four for typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * Checks a 6-digit code, allowing one 30-second step of clock drift either way. Returns the
 * time step it matched (to reject a replay of the same code) or null.
 */
export async function checkTotp(secret: string, code: string, now: Date = new Date()): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({ secret, token, epochTolerance: 30, epoch });
  if (!result.valid) return null;
  return 'timeStep' in result && typeof result.timeStep === 'number' ? result.timeStep : Math.floor(epoch / 30) + result.delta;
}

/** The current code for a secret (for tests and the demo seam: the test computes what the user's app would show). */
export function totpCode(secret: string, now: Date = new Date()): Promise<string> {
  return generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten one-time recovery codes like "k7pq2-mx9ab" (50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(10);
    let s = '';
    for (const b of bytes) s += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
    codes.push(`${s.slice(0, 5)}-${s.slice(5)}`);
  }
  return codes;
}

/** Recovery codes are compared by SHA-256 of their normalised form (case and dashes ignored). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());
}
