/**
 * Sessions resolved by this process, kept in memory (issue 3 performance: an API request
 * of a signed-in user makes no round trip for its session). See resolveSessionUser in
 * accounts.ts, which alone uses it, and docs/security.md.
 *
 * - Keyed by the SHA-256 of the session token (what the sessions table stores), never the
 *   token itself; at most MAX_ENTRIES sessions, the least recently used dropped first.
 * - An entry holds the session's user (the columns a request needs: no password hash, no
 *   second-factor secret), its CSRF token, and the moment after which the database must be
 *   asked again: the earliest of the absolute expiry, the idle timeout and the idle
 *   timer's next move (SESSION_TOUCH_SECONDS), all measured on this process's monotonic
 *   clock from the moment the lookup was sent (so never later than the database's own).
 * - Used only while the change feed listens (changes.ts); emptied when it stops or starts
 *   again, since notifications may have been missed.
 * - Emptied at once when this process writes a statement naming `users` or `sessions`
 *   through this Db (once that statement or its transaction has finished), except the
 *   statements that cannot end or alter a live session (`neutral`: the lookup itself and
 *   its idle-timer move, a new session, the bookkeeping of sign-in attempts). So a
 *   sign-out, a disabled user, a new password or role in this process is in force for
 *   every request that starts after it returned.
 * - Changes made by other processes (another server, `beacon users …`) arrive as
 *   notifications on `beacon_sessions` (migration 0016) naming the users concerned, whose
 *   entries are dropped; they are in force here a moment after their COMMIT.
 */
import { changeFeed, onWritesTo, SESSIONS_CHANNEL, type ChangeFeed } from './changes';
import type { Db } from './db';

/** The user of a session as a request needs it. */
export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  role: string;
  scope_type: 'organisation' | 'service' | 'local_authority' | 'partner';
  scope_id: string | null;
  active: boolean;
}

export interface ResolvedSession {
  user: Readonly<SessionUser>;
  csrfToken: string;
}

interface Entry {
  userId: number;
  idleMinutes: number;
  value: ResolvedSession;
  /** performance.now() from which the database must be asked again. */
  askAt: number;
}

const MAX_ENTRIES = 10_000;

export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #feed: ChangeFeed;
  /** Moves on whenever entries are dropped, so that a lookup sent before is not kept. */
  #gen = 0;

  constructor(db: Db, neutral: ReadonlySet<string>) {
    this.#feed = changeFeed(db);
    this.#feed.subscribe(SESSIONS_CHANNEL, {
      notify: (payload) => {
        if (payload === '*' || payload === '') return this.clear();
        const users = new Set(payload.split(',').map(Number));
        this.#gen++;
        for (const [key, e] of this.#entries) if (users.has(e.userId)) this.#entries.delete(key);
      },
      reset: () => this.clear(),
    });
    onWritesTo(db, ['users', 'sessions'], () => this.clear(), neutral);
  }

  clear(): void {
    this.#gen++;
    this.#entries.clear();
  }

  /** The session if it is known and nothing about it needs the database now. */
  get(idHash: string, idleMinutes: number, now: number): ResolvedSession | null {
    if (!this.#feed.live) return null;
    const e = this.#entries.get(idHash);
    if (e === undefined) return null;
    if (now >= e.askAt || e.idleMinutes !== idleMinutes) {
      this.#entries.delete(idHash);
      return null;
    }
    // Most recently used last (the first is dropped when full).
    this.#entries.delete(idHash);
    this.#entries.set(idHash, e);
    return e.value;
  }

  /** Taken before a lookup is sent: put() keeps its answer only if nothing was dropped since. */
  ticket(): number {
    return this.#gen;
  }

  put(ticket: number, idHash: string, idleMinutes: number, value: ResolvedSession, askAt: number): void {
    if (ticket !== this.#gen || !this.#feed.live) return;
    this.#entries.delete(idHash);
    this.#entries.set(idHash, { userId: value.user.id, idleMinutes, value, askAt });
    while (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  drop(idHash: string): void {
    this.#entries.delete(idHash);
  }

  get size(): number {
    return this.#entries.size;
  }
}
