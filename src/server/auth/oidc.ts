import * as client from 'openid-client';
import { z } from 'zod';
import { ConfigError } from '../../config';
import { isRole, type Role, type ScopeType } from '../access/roles';

/**
 * Optional sign-in through an organisation's identity provider (OpenID Connect,
 * authorisation code flow with PKCE, state and nonce). Configured from the environment;
 * off unless BEACON_OIDC_ISSUER is set.
 */

const roleMapEntry = z.object({
  role: z.string().refine(isRole, 'not a Beacon role'),
  scopeType: z.enum(['organisation', 'service', 'local_authority', 'partner']).default('organisation'),
  scopeId: z.string().min(1).nullable().default(null),
});

const envSchema = z.object({
  BEACON_OIDC_ISSUER: z.string().url('must be the issuer URL'),
  BEACON_OIDC_CLIENT_ID: z.string().min(1, 'required with BEACON_OIDC_ISSUER'),
  BEACON_OIDC_CLIENT_SECRET: z.string().min(1, 'required with BEACON_OIDC_ISSUER'),
  BEACON_OIDC_REDIRECT_URI: z.string().url('must be Beacon\'s public URL of /api/auth/oidc/callback').optional(),
  BEACON_OIDC_LABEL: z.string().min(1).max(80).default('Sign in with your organisation account'),
  BEACON_OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  BEACON_OIDC_ROLE_CLAIM: z.string().min(1).optional(),
  BEACON_OIDC_ROLE_MAP: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return {};
      try {
        return z.record(z.string(), roleMapEntry).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON like {"claim value": {"role": "keyworker", "scopeType": "service", "scopeId": "SVC-1"}}' });
        return z.NEVER;
      }
    }),
});

export interface OidcRoleGrant {
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
}

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** null: Beacon's own origin + /api/auth/oidc/callback, as the browser reached it. */
  redirectUri: URL | null;
  label: string;
  usernameClaim: string;
  roleClaim: string | null;
  roleMap: Record<string, OidcRoleGrant>;
}

/** The single sign-on settings, or null when it is not configured. A bad value stops start-up with a message naming it. */
export function loadOidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  if (!env.BEACON_OIDC_ISSUER) return null;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Beacon cannot start: invalid single sign-on configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    issuer: new URL(e.BEACON_OIDC_ISSUER),
    clientId: e.BEACON_OIDC_CLIENT_ID,
    clientSecret: e.BEACON_OIDC_CLIENT_SECRET,
    redirectUri: e.BEACON_OIDC_REDIRECT_URI ? new URL(e.BEACON_OIDC_REDIRECT_URI) : null,
    label: e.BEACON_OIDC_LABEL,
    usernameClaim: e.BEACON_OIDC_USERNAME_CLAIM,
    roleClaim: e.BEACON_OIDC_ROLE_CLAIM ?? null,
    roleMap: Object.fromEntries(Object.entries(e.BEACON_OIDC_ROLE_MAP).map(([k, v]) => [k, { role: v.role as Role, scopeType: v.scopeType, scopeId: v.scopeId }])),
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Discovers the provider once (retried after a failure). Plain HTTP only for a provider on this machine (development and tests). */
export function oidcClient(settings: OidcSettings): () => Promise<client.Configuration> {
  let pending: Promise<client.Configuration> | null = null;
  return () => {
    pending ??= client
      .discovery(
        settings.issuer,
        settings.clientId,
        { response_types: ['code'] },
        client.ClientSecretPost(settings.clientSecret),
        settings.issuer.protocol === 'http:' && LOOPBACK.has(settings.issuer.hostname) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        pending = null;
        throw err;
      });
    return pending;
  };
}

/** Authentication methods (RFC 8176 amr values) that count as a second factor. */
const MFA_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm']);

export function amrHasSecondFactor(amr: unknown): boolean {
  return Array.isArray(amr) && amr.some((m) => typeof m === 'string' && MFA_AMR.has(m));
}

/** The Beacon role a claim value maps to (the first claim value with a mapping wins). */
export function roleFromClaims(settings: OidcSettings, claims: Record<string, unknown>): OidcRoleGrant | null {
  if (!settings.roleClaim) return null;
  const raw = claims[settings.roleClaim];
  const values = Array.isArray(raw) ? raw : [raw];
  for (const v of values) {
    if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(settings.roleMap, v)) return settings.roleMap[v] ?? null;
  }
  return null;
}

export function usernameFromClaims(settings: OidcSettings, claims: Record<string, unknown>): string | null {
  for (const c of [settings.usernameClaim, 'preferred_username', 'email']) {
    const v = claims[c];
    if (typeof v === 'string' && v.length > 0 && v.length <= 200) return v;
  }
  return null;
}
