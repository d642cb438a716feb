import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openDb } from '../data/db';
import { TEST_DB_KINDS, createTestDb } from '../testing/db';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/beacon.js', import.meta.url));

function beacon(args: string[], env: Record<string, string>) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, maxBuffer: 64 << 20 });
}

describe('the beacon command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beacon-cli-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every command with examples in --help', async () => {
    const { stdout } = await beacon(['--help'], {});
    for (const cmd of ['serve', 'migrate', 'import', 'export', 'demo', 'backup', 'restore', 'report']) expect(stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(stdout).toMatch(/Examples:/);
  });

  it('explains a bad configuration without a stack trace', async () => {
    const err = await beacon(['migrate'], { DATABASE_URL: 'mysql://nope' }).catch((e: { stderr: string; code: number }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toMatch(/DATABASE_URL: must start with postgres/);
    expect((err as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
  });

  it.each(TEST_DB_KINDS)('demo → import → export → import → export gives the same files (%s)', async (kind) => {
    const t = kind === 'postgres' ? await createTestDb('postgres', { migrated: false }) : null;
    const env: Record<string, string> = t?.url ? { DATABASE_URL: t.url } : { BEACON_DATA_DIR: join(dir, `data-${kind}`) };
    try {
      await beacon(['demo', '--people', '120', '--months', '12', '--seed', '9', '--end-date', '2025-06-30', '--out', join(dir, `demo-${kind}`)], {});
      const first = await beacon(['import', join(dir, `demo-${kind}`)], env);
      expect(first.stdout).toMatch(/people\.csv\s+120 read/);
      await beacon(['export', join(dir, `export1-${kind}`)], env);
      await beacon(['import', join(dir, `export1-${kind}`)], env);
      await beacon(['export', join(dir, `export2-${kind}`)], env);
      const files = (await readdir(join(dir, `export1-${kind}`))).filter((f) => f.endsWith('.csv')).sort();
      expect(files).toContain('prescriptions.csv');
      for (const f of files) {
        expect(await readFile(join(dir, `export2-${kind}`, f), 'utf8')).toBe(await readFile(join(dir, `export1-${kind}`, f), 'utf8'));
      }
      // The first import's files and the export hold the same rows (order and formatting may differ).
      const original = (await readFile(join(dir, `demo-${kind}`, 'people.csv'), 'utf8')).trim().split('\n').length;
      const exported = (await readFile(join(dir, `export1-${kind}`, 'people.csv'), 'utf8')).trim().split('\n').length;
      expect(exported).toBe(original);
    } finally {
      await t?.drop();
    }
  });

  it('rejects a bad file with file, line, column, value and what was expected, and exits 1', async () => {
    const bad = join(dir, 'bad');
    await run('mkdir', ['-p', bad]);
    await (await import('node:fs/promises')).writeFile(
      join(bad, 'services.csv'),
      'service_id,name,local_authority\nS1,North,E06000008\n',
    );
    await (await import('node:fs/promises')).writeFile(
      join(bad, 'people.csv'),
      'person_id,service_id,date_of_birth,sex\nP1,S1,1980-02-30,M\n',
    );
    const err = await beacon(['import', bad], { BEACON_DATA_DIR: join(dir, 'data-bad') }).catch((e: { stderr: string; code: number }) => e);
    expect(err).toMatchObject({ code: 1 });
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/people\.csv, line 2, column date_of_birth/);
    expect(stderr).toMatch(/1980-02-30/);
    const db = await openDb({ dataDir: join(dir, 'data-bad') });
    try {
      expect(await db.query('SELECT * FROM services')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('leaves the database exactly as it was when the import process is killed part-way', async () => {
    const data = join(dir, 'data-kill');
    const big = join(dir, 'demo-big');
    await beacon(['demo', '--people', '200', '--months', '6', '--seed', '4', '--end-date', '2025-06-30', '--out', join(dir, 'demo-small')], {});
    await beacon(['import', join(dir, 'demo-small')], { BEACON_DATA_DIR: data });
    const db0 = await openDb({ dataDir: data });
    const before = await db0.query<{ n: number }>('SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM prescriptions) AS n');
    await db0.close();
    await beacon(['demo', '--people', '20000', '--months', '24', '--seed', '5', '--end-date', '2025-06-30', '--out', big], {});
    const child = spawn(process.execPath, [BIN, 'import', big], { env: { ...process.env, BEACON_DATA_DIR: data }, stdio: 'ignore' });
    // Let it get well into the load, then kill it without warning.
    await new Promise((r) => setTimeout(r, 6000));
    expect(child.exitCode).toBeNull(); // still importing
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const db = await openDb({ dataDir: data });
    try {
      const after = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM prescriptions) AS n');
      expect(after).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
