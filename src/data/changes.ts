/**
 * The change feed of one database in this process (issue 3 performance): what lets the
 * dataset version (mat/cache.ts) and resolved sessions (session-cache.ts) be kept in
 * memory and still be exact.
 *
 * - Other processes' writes (another Beacon server, the `beacon` command) arrive as
 *   PostgreSQL notifications (LISTEN/NOTIFY, triggers of migration 0016) on one connection
 *   held for the purpose (Db.listen; on PGlite its one connection). They are sent at
 *   COMMIT and arrive a moment later: a change made elsewhere is seen here within that
 *   moment (a few milliseconds on one machine), not at the instant of its COMMIT.
 * - This process's own writes through the same Db are told by the Db itself once their
 *   statement or transaction has finished (Db.watchWrites), before the caller goes on, so
 *   a request that starts after a write of this process returned never misses it —
 *   whichever of the COMMIT's reply and its notification arrives first.
 * - While the feed is not listening (starting, the connection lost, reconnecting),
 *   notifications may be missed: `live` is false, subscribers are reset (what they learnt
 *   is forgotten) and must read the database. They are reset again when it listens again,
 *   since what happened in between was not heard.
 *
 * The feed starts on first use for a Db and lasts until the Db is closed.
 */
import type { Db } from './db';

export const DATASET_VERSION_CHANNEL = 'beacon_dataset_version';
export const SESSIONS_CHANNEL = 'beacon_sessions';
const CHANNELS = [DATASET_VERSION_CHANNEL, SESSIONS_CHANNEL] as const;
export type ChangeChannel = (typeof CHANNELS)[number];

export interface ChangeSubscriber {
  /** A notification on the subscribed channel. */
  notify(payload: string): void;
  /** Listening started, stopped or started again: anything learnt before may be stale. */
  reset(): void;
}

export class ChangeFeed {
  #live = false;
  /** Moves on whenever listening starts or stops. */
  #epoch = 0;
  readonly #subscribers = new Map<ChangeChannel, Set<ChangeSubscriber>>();

  constructor(db: Db) {
    db.listen(CHANNELS, {
      notify: (channel, payload) => {
        for (const s of this.#subscribers.get(channel as ChangeChannel) ?? []) s.notify(payload);
      },
      state: (listening) => {
        this.#live = listening;
        this.#epoch++;
        for (const set of this.#subscribers.values()) for (const s of set) s.reset();
      },
    });
  }

  /** Whether notifications are being received now (none missed since `epoch` last moved). */
  get live(): boolean {
    return this.#live;
  }

  get epoch(): number {
    return this.#epoch;
  }

  subscribe(channel: ChangeChannel, subscriber: ChangeSubscriber): () => void {
    let set = this.#subscribers.get(channel);
    if (!set) this.#subscribers.set(channel, (set = new Set()));
    set.add(subscriber);
    return () => {
      set.delete(subscriber);
    };
  }
}

/** One `make(db)` per Db in this process, made on first use (the feed and what follows it). */
export function onePerDb<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = make(db);
      made.set(db, value);
    }
    return value;
  };
}

/** The change feed of this Db in this process (started on first use). */
export const changeFeed = onePerDb((db) => new ChangeFeed(db));

/**
 * Calls `changed` after each write of this process, through this Db, that may have changed
 * one of `tables`: a statement naming one of them, other than one plain SELECT and the
 * statements in `except` (given by their exact text), once it or its transaction finished.
 */
export function onWritesTo(db: Db, tables: readonly string[], changed: () => void, except: ReadonlySet<string> = new Set()): void {
  const names = namesAnyOf(tables);
  db.watchWrites({ touches: (sql) => !except.has(sql) && !isPlainSelect(sql) && names(sql), changed });
}

/**
 * Whether a statement is one SELECT, which writes nothing (a function it calls could, but no
 * function of Beacon's writes a watched table: checked by changes.test.ts against the
 * database). Anything else — several statements, WITH (which may hold an UPDATE), INSERT,
 * COPY, DO — may write.
 */
export function isPlainSelect(sql: string): boolean {
  return /^\s*SELECT\b[^;]*;?\s*$/i.test(sql);
}

/** A test of whether SQL text names any of these tables (as a whole word, quoted or not). */
function namesAnyOf(tables: readonly string[]): (sql: string) => boolean {
  const re = new RegExp(`\\b(?:${tables.join('|')})\\b`, 'i');
  return (sql) => re.test(sql);
}
