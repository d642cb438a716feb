import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { migrate, schemaVersion } from '../migrate';

describe.each(TEST_DB_KINDS)('database layer on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('applies migrations once and reports the version', async () => {
    expect(await migrate(t.db)).toEqual([]);
    expect(await schemaVersion(t.db)).toBeGreaterThanOrEqual(2);
  });

  it('returns dates as ISO strings and numbers as numbers on both backends', async () => {
    const [row] = await t.db.query<{ d: string; n: number; b: number; ts: string }>(
      `SELECT $1::date AS d, 1.5::numeric AS n, 5::int8 AS b, '2024-03-01T10:00:00Z'::timestamptz AS ts`,
      ['2024-02-29'],
    );
    expect(row).toEqual({ d: '2024-02-29', n: 1.5, b: 5, ts: '2024-03-01T10:00:00.000Z' });
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO services (service_id, name) VALUES ('S1', 'One')`);
        await tx.query(`INSERT INTO services (service_id, name) VALUES ('S1', 'Again')`);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await t.db.query(`SELECT * FROM services`)).toEqual([]);
  });

  it('bulk-loads and reads CSV with COPY', async () => {
    await t.db.transaction(async (tx) => {
      const n = await tx.copyFrom('services', ['service_id', 'name', 'local_authority'], 'A,"Alpha, North",E06000008\nB,Beta,\n');
      expect(n).toBe(2);
    });
    const csv = await t.db.transaction((tx) => tx.copyTo('SELECT service_id, name FROM services ORDER BY 1'));
    expect(csv).toBe('A,"Alpha, North"\nB,Beta\n');
  });

  it('keeps the audit log append-only and hash-chained', async () => {
    await t.db.query(`INSERT INTO audit_log (action, username) VALUES ('test.one', 'a'), ('test.two', 'b')`);
    const rows = await t.db.query<{ seq: number; prev_hash: string | null; hash: string }>(
      'SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq',
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    await expect(t.db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
