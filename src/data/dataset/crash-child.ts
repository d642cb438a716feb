/**
 * Test helper (crash.test.ts): runs imports in its own process, reporting progress on
 * stdout as one JSON line per event, so that the test can kill the process mid-load.
 * Usage: crash-child.ts <postgres-url | pglite-data-dir> <dataset folder>…
 * (the folders are imported one after the other; PGlite is migrated first).
 */
import { openDb } from '../db';
import { migrate } from '../migrate';
import { importDataset } from './import';

const [target = '', ...folders] = process.argv.slice(2);
const db = await openDb(target.startsWith('postgres') ? { databaseUrl: target, dataDir: null } : { dataDir: target });
await migrate(db);
for (const folder of folders) {
  const result = await importDataset(db, folder, {
    onProgress: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ phase: 'result', status: result.status })}\n`);
}
await db.close();
