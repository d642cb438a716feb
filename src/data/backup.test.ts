import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../testing/db';
import { generateDemo } from './demo';
import { importDataset } from './dataset';
import { backupDatabase, BACKUP_TABLES, restoreDatabase } from './backup';
import type { Db } from './db';
import { quoteIdent } from './db';

/** Every table's full content in a stable order, as CSV. */
async function snapshot(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of BACKUP_TABLES) {
    out[t] = await db.transaction((tx) => tx.copyTo(`SELECT * FROM ${quoteIdent(t)} ORDER BY 1, 2`));
  }
  return out;
}

describe('backup and restore', () => {
  let dir: string;
  let source: TestDb;
  let before: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-backup-test-'));
    await generateDemo({ people: 150, months: 12, seed: 3, outDir: join(dir, 'demo') });
    source = await createTestDb(TEST_DB_KINDS[0] ?? 'pglite');
    const r = await importDataset(source.db, join(dir, 'demo'), { username: 'test' });
    expect(r.status).toBe('succeeded');
    await source.db.query(`INSERT INTO audit_log (action, username, detail) VALUES ('test.backup', 'tester', '{"a": [1, "two"]}')`);
    await source.db.query(`INSERT INTO settings (key, value) VALUES ('demo', '{"people": 150}')`);
    before = await snapshot(source.db);
    file = join(dir, 'beacon.backup.gz');
    const summary = await backupDatabase(source.db, file);
    expect(summary.tables.people).toBe(150);
  });
  afterAll(async () => {
    await source.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(TEST_DB_KINDS)('restores into an empty %s database with exactly the same data', async (kind) => {
    const target = await createTestDb(kind, { migrated: false });
    try {
      await restoreDatabase(target.db, file);
      expect(await snapshot(target.db)).toEqual(before);
      // Serial ids carry on after the restored rows, and the audit chain continues.
      await target.db.query(`INSERT INTO audit_log (action) VALUES ('after.restore')`);
      const [last] = await target.db.query<{ prev_hash: string; seq: number }>('SELECT prev_hash, seq FROM audit_log ORDER BY seq DESC LIMIT 1');
      const [prev] = await target.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [(last?.seq ?? 0) - 1]);
      expect(last?.prev_hash).toBe(prev?.hash);
    } finally {
      await target.drop();
    }
  });

  it('refuses to restore over existing data', async () => {
    await expect(restoreDatabase(source.db, file)).rejects.toThrow(/not empty/);
  });

  it('refuses a truncated backup and keeps nothing', async () => {
    const target = await createTestDb('pglite');
    try {
      const bad = join(dir, 'truncated.gz');
      await writeFile(bad, gzipSync('{"format":"beacon-backup","formatVersion":1,"schemaVersion":1,"tables":[]}\n{"table":"services","columns":["service_id","name"]}\n["A","x"]\n'));
      await expect(restoreDatabase(target.db, bad)).rejects.toThrow(/truncated/);
      expect(await target.db.query('SELECT * FROM services')).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('refuses a file that is not a backup', async () => {
    const target = await createTestDb('pglite');
    try {
      const bad = join(dir, 'other.gz');
      await writeFile(bad, gzipSync('hello\n'));
      await expect(restoreDatabase(target.db, bad)).rejects.toThrow(/not a Beacon backup/);
    } finally {
      await target.drop();
    }
  });
});
