/**
 * Worker threads for passes over every person on PostgreSQL (today the MAT classification
 * store's; the risk report tried them and was slower on a 2-core machine beside its
 * database, see docs/benchmarks.md). Such a pass is CPU work on both sides of the connection: the
 * server building each person's records as JSON, and this process decoding and applying
 * the rules. Splitting the people by person_id into one slice per worker, each worker with
 * its own connections, puts both on every core, and the calling thread's event loop stays
 * free (the server keeps answering requests meanwhile). PGlite runs inside this process
 * and cannot be opened twice, so on PGlite these passes stay on the calling thread.
 *
 * A worker module reads its job from `workerData` and posts `{ batch }` messages, then
 * `{ done: true }`, or `{ error: message }` (a message only: never records or personal data).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Db } from './db';
import { connectionUrlOf } from './db/postgres';
import type { PersonSlice } from './history';

/** How many workers a pass uses on PostgreSQL (0 = none), and from how many people. */
const settings = { threads: Math.min(4, availableParallelism()), minPeople: 20_000 };

/** Changes when passes use worker threads (tests force them on small data; 0 turns them off). */
export function setPassWorkers(threads: number, minPeople = settings.minPeople): void {
  settings.threads = threads;
  settings.minPeople = minPeople;
}

/** The current worker settings. */
export function passWorkers(): { threads: number; minPeople: number } {
  return { ...settings };
}

/**
 * The slices to run a pass over every person in, with the connection string the workers
 * open, or null when the pass should stay on this thread (PGlite, workers turned off, or
 * too few people to repay starting them).
 */
export async function planWorkers(db: Db): Promise<{ url: string; slices: PersonSlice[] } | null> {
  const url = connectionUrlOf(db);
  if (url === null || settings.threads < 1) return null;
  const slices = await personSlices(db, settings.threads, settings.minPeople);
  return slices === null ? null : { url, slices };
}

/** A worker module beside `base` (import.meta.url of the caller), with the caller's extension (.ts or .js). */
export function siblingModule(base: string, name: string): URL {
  const ext = new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, base);
}


/**
 * Splits the people into `threads` slices of about equal size, or null when there are
 * fewer than `minPeople` (starting workers would cost more than it saves).
 */
export async function personSlices(db: Db, threads: number, minPeople: number): Promise<PersonSlice[] | null> {
  if (threads < 1) return null;
  const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM people'))[0]?.n ?? 0;
  if (total === 0 || total < minPeople) return null;
  const bounds: (string | null)[] = [null];
  for (let k = 1; k < threads; k++) {
    const row = await db.query<{ person_id: string }>('SELECT person_id FROM people ORDER BY person_id OFFSET $1 LIMIT 1', [Math.floor((total * k) / threads) - 1]);
    const id = row[0]?.person_id ?? null;
    if (id !== null && id !== bounds[bounds.length - 1]) bounds.push(id);
  }
  bounds.push(null);
  const out: PersonSlice[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) out.push({ after: bounds[k] ?? null, upTo: bounds[k + 1] ?? null });
  return out;
}

/** Starts a worker module; from TypeScript (tsx, vitest) the worker registers tsx first. */
function startWorker(module: URL, workerData: unknown): Worker {
  if (module.pathname.endsWith('.ts')) {
    return new Worker(`import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(module.href)}); });`, { eval: true, workerData });
  }
  return new Worker(module, { workerData });
}

/** Runs one worker to the end, handing each posted batch to `onBatch`; rejects on its error or exit. */
export function runBatchWorker<B>(module: URL, workerData: unknown, onBatch: (batch: B) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = startWorker(module, workerData);
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      if (err === null) resolve();
      else reject(err);
    };
    w.on('message', (msg: { batch?: B; done?: true; error?: string }) => {
      if (settled) return;
      try {
        if (msg.batch !== undefined) onBatch(msg.batch);
        else if (msg.done === true) finish(null);
        else if (msg.error !== undefined) finish(new Error(`worker failed: ${msg.error}`));
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    w.on('error', (err) => finish(err));
    w.on('exit', (code) => finish(new Error(`worker stopped (exit code ${code})`)));
  });
}
