import type { Db } from '../../data/db';
import { POLICIES, roleAllows, type Action, type ActionPolicy } from './policy';
import type { Principal } from './roles';

/**
 * Refusal by the access layer: 401 when nobody is signed in, 403 when the role or scope does
 * not allow it, 404 when the caller may not even learn that the record exists (the message
 * is then the answer's title, e.g. "No such person"). Already audited where it is thrown.
 */
export class AccessDenied extends Error {
  readonly status: 401 | 403 | 404;
  constructor(status: 401 | 403 | 404, message: string) {
    super(message);
    this.name = 'AccessDenied';
    this.status = status;
  }
}

export interface ResourceRef {
  type: string;
  id?: string | number | null;
}

export interface RequestMeta {
  ip: string | null;
  requestId: string;
  /** Why the user is doing this (break-the-glass, exports); recorded in the audit log. */
  reason?: string | null;
}

export interface AuditEntry {
  action: string;
  resource?: ResourceRef | undefined;
  outcome: 'allowed' | 'denied' | 'failed';
  detail?: Record<string, unknown> | undefined;
  reason?: string | null | undefined;
}

/**
 * The one per-request gate between a caller and the database (cf. Medplum's Repository).
 * Routes and commands never hold the Db: they ask the context to run a piece of data
 * work under a named action; the context checks role and scope, runs it, and writes the
 * audit record. The raw database is reachable only from here and from src/data.
 */
export class AccessContext {
  readonly principal: Principal | null;
  readonly meta: RequestMeta;
  readonly #db: Db;

  constructor(db: Db, principal: Principal | null, meta: RequestMeta) {
    this.#db = db;
    this.principal = principal;
    this.meta = meta;
  }

  /** An operator at the command line acts as an administrator, audited under their OS user name. */
  static forCli(db: Db, osUser: string): AccessContext {
    return new AccessContext(
      db,
      { userId: null, username: `cli:${osUser}`, displayName: `Command line (${osUser})`, role: 'administrator', scope: { type: 'organisation', id: null }, via: 'cli' },
      { ip: null, requestId: `cli-${process.pid}` },
    );
  }

  /** Beacon itself (start-up, scheduled work). */
  static system(db: Db, task: string): AccessContext {
    return new AccessContext(
      db,
      { userId: null, username: `system:${task}`, displayName: 'Beacon', role: 'administrator', scope: { type: 'organisation', id: null }, via: 'system' },
      { ip: null, requestId: `system-${task}` },
    );
  }

  get signedIn(): boolean {
    return this.principal !== null;
  }

  /** Checks that the principal may take the action; records a refusal and throws. */
  async authorize(action: Action, resource?: ResourceRef, detail?: Record<string, unknown>): Promise<void> {
    const policy: ActionPolicy = POLICIES[action];
    if (policy.roles === 'anyone') return;
    if (!this.principal) {
      await this.audit({ action, resource, outcome: 'denied', detail: { ...detail, why: 'not signed in' } });
      throw new AccessDenied(401, 'Sign in to continue.');
    }
    if (!roleAllows(action, this.principal.role)) {
      await this.audit({ action, resource, outcome: 'denied', detail: { ...detail, why: 'role' } });
      throw new AccessDenied(403, 'Your role does not allow this.');
    }
  }

  /**
   * Authorises the action, runs the data work, and audits it according to the action's
   * policy (failures are audited too).
   */
  async run<T>(action: Action, resource: ResourceRef | undefined, work: (db: Db) => Promise<T>, detail?: Record<string, unknown>): Promise<T> {
    await this.authorize(action, resource);
    const policy: ActionPolicy = POLICIES[action];
    try {
      const result = await work(this.#db);
      if (policy.audit === 'always') await this.audit({ action, resource, outcome: 'allowed', detail });
      return result;
    } catch (err) {
      if (policy.audit === 'always' && !(err instanceof AccessDenied)) {
        await this.audit({ action, resource, outcome: 'failed', detail: { ...detail, error: err instanceof Error ? err.name : 'error' } });
      }
      throw err;
    }
  }

  /**
   * Service ids whose identifiable records this principal may see; null means all.
   * Keyworkers and prescribers see their own service, area roles their area's services.
   */
  async visibleServiceIds(): Promise<string[] | null> {
    const p = this.principal;
    if (!p) return [];
    switch (p.scope.type) {
      case 'organisation':
        if (p.scope.id === null) return null;
        return (await this.#db.query<{ service_id: string }>('SELECT service_id FROM services WHERE organisation = $1', [p.scope.id])).map((r) => r.service_id);
      case 'service':
        return p.scope.id ? [p.scope.id] : [];
      case 'local_authority':
        return (await this.#db.query<{ service_id: string }>('SELECT service_id FROM services WHERE local_authority = $1', [p.scope.id])).map((r) => r.service_id);
      case 'partner':
        return [];
    }
  }

  /** Appends to the audit log. Never throws away the caller's error: audit failures propagate. */
  async audit(entry: AuditEntry): Promise<void> {
    const p = this.principal;
    await this.#db.query(
      `INSERT INTO audit_log (user_id, username, role, action, resource_type, resource_id, reason, ip, outcome, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        p?.userId ?? null,
        p?.username ?? null,
        p?.role ?? null,
        entry.action,
        entry.resource?.type ?? null,
        entry.resource?.id == null ? null : String(entry.resource.id),
        entry.reason ?? this.meta.reason ?? null,
        this.meta.ip,
        entry.outcome,
        entry.detail ? JSON.stringify({ ...entry.detail, requestId: this.meta.requestId }) : JSON.stringify({ requestId: this.meta.requestId }),
      ],
    );
  }
}
