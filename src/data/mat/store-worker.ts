/**
 * A worker thread of the MAT classification store (store.ts, classifyAllInWorkers): opens
 * its own PostgreSQL connections, classifies its slice of people and posts them back in
 * batches. Errors are posted as their message only (no records, no personal data).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db';
import { runWorkerJob, type WorkerJob } from './store';

const job = workerData as WorkerJob;
const port = parentPort;
if (port === null) throw new Error('store-worker.ts runs only as a worker thread');
try {
  const db = await openDb({ databaseUrl: job.url, dataDir: null, poolSize: 4 });
  try {
    await runWorkerJob(db, job, (batch) => port.postMessage({ batch }, [batch.codes.buffer, batch.doses.buffer, batch.whole.buffer]));
  } finally {
    await db.close();
  }
  port.postMessage({ done: true });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
