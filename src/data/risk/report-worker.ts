/**
 * A worker thread of the risk report (report.ts, riskReport on PostgreSQL): opens its own
 * connections, profiles its slice of people and posts their report entries back in
 * batches. Errors are posted as their message only (no records, no personal data).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db';
import { profilePeople, type RiskReportPersonJson, type RiskWorkerData } from './report';

const { url, job } = workerData as RiskWorkerData;
const port = parentPort;
if (port === null) throw new Error('report-worker.ts runs only as a worker thread');
const BATCH = 2000;
try {
  const db = await openDb({ databaseUrl: url, dataDir: null, poolSize: 4 });
  try {
    let batch: RiskReportPersonJson[] = [];
    await profilePeople(db, job, (entry) => {
      batch.push(entry);
      if (batch.length >= BATCH) {
        port.postMessage({ batch });
        batch = [];
      }
    });
    if (batch.length > 0) port.postMessage({ batch });
  } finally {
    await db.close();
  }
  port.postMessage({ done: true });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
