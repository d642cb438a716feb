/**
 * Test helpers for the change feed (src/data/changes.ts) and what follows it: waiting for
 * a notification, counting the statements a Db runs, and the same database behind a Db
 * whose listening connection the test controls.
 */
import { vi } from 'vitest';
import type { Db, ListenHandlers } from '../data/db';

/**
 * Waits for something that arrives asynchronously by design — a notification from the
 * database, a listener connecting — checking every 10 ms, for at most `ms`.
 */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Counts the statements matching `match` that `db` runs from now on (until stop()). */
export function countQueries(db: Db, match: RegExp): { readonly n: number; stop(): void } {
  let n = 0;
  const query = db.query.bind(db);
  const spy = vi.spyOn(db, 'query').mockImplementation((sql, params) => {
    if (match.test(sql)) n++;
    return query(sql, params);
  });
  return {
    get n() {
      return n;
    },
    stop: () => spy.mockRestore(),
  };
}

/**
 * The database of `base` behind a new Db whose listening connection the test switches on
 * and off (`control().state(…)`, `control().notify(…)`), and which is told of no writes:
 * for it, writes through `base` are another process's.
 */
export function withControlledListener(base: Db): { db: Db; control: () => ListenHandlers } {
  let handlers: ListenHandlers | null = null;
  const db: Db = {
    ...base,
    listen: (_channels, h) => {
      handlers = h;
      return () => undefined;
    },
    watchWrites: () => () => undefined,
  };
  const control = (): ListenHandlers => {
    if (!handlers) throw new Error('not listening');
    return handlers;
  };
  return { db, control };
}
