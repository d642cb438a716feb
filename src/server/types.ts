import type { AccessContext } from './access/context';
import type { Action } from './access/policy';
import type { Config } from '../config';
import type { SecretBox } from './auth/secret-box';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The access-layer action this route performs; every /api route must name one. */
    policy?: Action;
  }
  interface FastifyInstance {
    /** The validated configuration. */
    beaconConfig: Config;
    /** Encrypts and decrypts the secrets kept in the database (TOTP): src/server/auth/secret-box.ts. */
    secrets: SecretBox;
    /** Every /api route with its declared action. */
    apiRoutes: { method: string; url: string; policy: Action }[];
  }
  interface FastifyRequest {
    /** The per-request access context: the only way a handler reaches data. */
    ctx: AccessContext;
    /** The CSRF token of the caller's session, when signed in with a session cookie. */
    csrfToken: string | null;
  }
}
