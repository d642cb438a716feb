import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import { createSession, deleteSession, recordSignIn, type UserRow } from '../../data/accounts';
import type { Queryable } from '../../data/db';
import { POLICIES, roleAllows, type Action } from '../access/policy';
import { isRole, ROLES, type Principal } from '../access/roles';
import { SESSION_COOKIE } from '../app';

export interface DescribedUser {
  id: number | null;
  username: string;
  displayName: string;
  role: string;
  roleLabel: string;
  scope: { type: string; id: string | null; label: string };
  permissions: string[];
}

export function principalOf(user: UserRow): Principal | null {
  if (!isRole(user.role)) return null;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    scope: { type: user.scope_type, id: user.scope_id },
    via: 'session',
  };
}

export function describeUser(p: Principal): DescribedUser {
  const scopeLabel = p.scope.id === null ? 'Whole organisation' : `${p.scope.type.replace('_', ' ')} ${p.scope.id}`;
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    role: p.role,
    roleLabel: ROLES[p.role],
    scope: { type: p.scope.type, id: p.scope.id, label: scopeLabel },
    permissions: (Object.keys(POLICIES) as Action[]).filter((a) => POLICIES[a].roles !== 'anyone' && roleAllows(a, p.role)),
  };
}

function secure(config: Config, req: FastifyRequest): boolean {
  return config.secureCookies === 'true' || (config.secureCookies === 'auto' && req.protocol === 'https');
}

/** The session cookie: HttpOnly, SameSite=Strict, Secure over TLS, lasting no longer than the session. */
export function setSessionCookie(reply: FastifyReply, req: FastifyRequest, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(config, req),
    maxAge: config.session.maxHours * 3600,
  });
}

/**
 * Ends whatever session the browser had and starts a new one (a new random id at every
 * sign-in, so a session id planted before sign-in is worthless: no session fixation).
 */
export async function startSession(db: Queryable, req: FastifyRequest, reply: FastifyReply, config: Config, user: UserRow): Promise<{ csrfToken: string }> {
  const old = req.cookies[SESSION_COOKIE];
  if (old) await deleteSession(db, old);
  await recordSignIn(db, user.id);
  const session = await createSession(db, user.id, config.session.maxHours);
  setSessionCookie(reply, req, config, session.token);
  return { csrfToken: session.csrfToken };
}
