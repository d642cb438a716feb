import { createReadStream, createWriteStream } from 'node:fs';
import { createGunzip, createGzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Db, Queryable } from './db';
import { quoteIdent } from './db';
import { listMigrations, migrate, schemaVersion } from './migrate';
import { VERSION } from '../version';
import { DATASET } from './dataset/spec';

/**
 * Beacon's backup: a gzip'd JSON-lines file holding every table's rows, read inside one
 * REPEATABLE READ, READ ONLY transaction, so the copy is consistent while Beacon keeps
 * running. The same file restores onto PGlite or a PostgreSQL server (either way round).
 *
 * Line 1: {"format":"beacon-backup","formatVersion":1,"beaconVersion","schemaVersion","createdAt","tables":[...]}
 * Then per table: {"table":name,"columns":[...]} followed by one JSON array per row, and
 * {"end":name,"rows":n}. Sessions are not backed up: a restored copy starts signed out.
 */
export const BACKUP_TABLES: readonly string[] = [...DATASET.map((f) => f.table), 'users', 'audit_log', 'imports', 'settings'];

/**
 * Tables backed up and restored (the restore target must have them empty): every table
 * but the migration record, sessions, and caches and change marks rebuilt from the data.
 */
const NOT_BACKED_UP = ['schema_migrations', 'sessions', 'dataset_version', 'mat_tracker_cache', 'mat_dirty'];

async function appTables(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       AND NOT (table_name = ANY($1::text[])) ORDER BY table_name`,
    [NOT_BACKED_UP],
  );
  return rows.map((r) => r.table_name);
}

async function columnsOf(db: Queryable, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: r.column_name, type: r.data_type }));
}

export interface BackupSummary {
  file: string;
  schemaVersion: number;
  tables: Record<string, number>;
}

async function write(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

export async function backupDatabase(db: Db, file: string): Promise<BackupSummary> {
  const gzip = createGzip();
  const sink = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(sink);
  const counts: Record<string, number> = {};
  const version = await schemaVersion(db);
  const tables = [...BACKUP_TABLES, ...(await appTables(db)).filter((t) => !BACKUP_TABLES.includes(t))];
  try {
    await db.transaction(
      async (tx) => {
        await write(gzip, JSON.stringify({ format: 'beacon-backup', formatVersion: 1, beaconVersion: VERSION, schemaVersion: version, createdAt: new Date().toISOString(), tables }));
        for (const table of tables) {
          const cols = await columnsOf(tx, table);
          await write(gzip, JSON.stringify({ table, columns: cols.map((c) => c.name) }));
          const select = cols.map((c) => (c.type === 'jsonb' || c.type === 'json' ? `${quoteIdent(c.name)}::text` : c.type === 'numeric' ? `${quoteIdent(c.name)}::text` : quoteIdent(c.name))).join(', ');
          await tx.exec(`DECLARE beacon_backup NO SCROLL CURSOR FOR SELECT ${select} FROM ${quoteIdent(table)}`);
          let n = 0;
          for (;;) {
            const rows = await tx.query<Record<string, unknown>>('FETCH FORWARD 5000 FROM beacon_backup');
            if (rows.length === 0) break;
            for (const r of rows) await write(gzip, JSON.stringify(cols.map((c) => r[c.name] ?? null)));
            n += rows.length;
          }
          await tx.exec('CLOSE beacon_backup');
          await write(gzip, JSON.stringify({ end: table, rows: n }));
          counts[table] = n;
        }
      },
      { isolation: 'repeatable read', readOnly: true },
    );
  } finally {
    gzip.end();
    await finished(sink);
  }
  return { file, schemaVersion: version, tables: counts };
}

export class RestoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreError';
  }
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s === '' || /[",\n\r]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Restores a backup into an empty database (a new data directory or an empty PostgreSQL
 * database), all in one transaction: on any problem nothing is kept.
 */
export async function restoreDatabase(db: Db, file: string): Promise<BackupSummary> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iter = lines[Symbol.asyncIterator]();
  const first = await iter.next();
  if (first.done) throw new RestoreError(`${file} is empty`);
  let header: { format?: string; formatVersion?: number; schemaVersion?: number };
  try {
    header = JSON.parse(first.value) as typeof header;
  } catch {
    throw new RestoreError(`${file} is not a Beacon backup (first line is not JSON)`);
  }
  if (header.format !== 'beacon-backup' || header.formatVersion !== 1) throw new RestoreError(`${file} is not a Beacon backup (format ${String(header.format)})`);
  const shipped = Math.max(...listMigrations().map((m) => m.version));
  if ((header.schemaVersion ?? 0) > shipped) {
    throw new RestoreError(`the backup has schema version ${header.schemaVersion}, newer than this Beacon (${shipped}); upgrade Beacon first`);
  }
  await migrate(db);
  for (const t of await appTables(db)) {
    const rows = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(t)}) AS any`);
    if (rows[0]?.any) throw new RestoreError(`the target database is not empty (table ${t} has rows); restore into an empty data directory or database`);
  }
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    let table: string | null = null;
    let columns: string[] = [];
    let buffer: string[] = [];
    let n = 0;
    const flush = async () => {
      if (table && buffer.length) await tx.copyFrom(table, columns, `${buffer.join('\n')}\n`);
      buffer = [];
    };
    for (let next = await iter.next(); !next.done; next = await iter.next()) {
      const line = next.value;
      if (!line) continue;
      const parsed = JSON.parse(line) as unknown;
      if (Array.isArray(parsed)) {
        if (!table) throw new RestoreError('row found before any table header');
        buffer.push(parsed.map(csvField).join(','));
        n++;
        if (buffer.length >= 20_000) await flush();
      } else if (parsed && typeof parsed === 'object' && 'table' in parsed) {
        const p = parsed as { table: string; columns: string[] };
        table = p.table;
        columns = p.columns;
        n = 0;
      } else if (parsed && typeof parsed === 'object' && 'end' in parsed) {
        await flush();
        const p = parsed as { end: string; rows: number };
        if (p.rows !== n) throw new RestoreError(`table ${p.end}: expected ${p.rows} rows, found ${n} (the file is damaged)`);
        counts[p.end] = n;
        table = null;
      }
    }
    if (table) throw new RestoreError(`the backup ends inside table ${table} (the file is truncated)`);
    // Serial ids continue after the restored rows.
    const serials = await tx.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
    );
    for (const s of serials) {
      await tx.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quoteIdent(s.column_name)}) FROM ${quoteIdent(s.table_name)}), 0) + 1, false)`,
        [s.table_name, s.column_name],
      );
    }
  });
  return { file, schemaVersion: header.schemaVersion ?? 0, tables: counts };
}
