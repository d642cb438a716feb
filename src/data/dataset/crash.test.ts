import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../db';
import { createTestDb, TEST_DB_KINDS } from '../../testing/db';
import { importDataset, markInterruptedImports } from './import';
import { baseDataset, countRows, peopleRows, removeDir, topRows, writeDataset } from './test-fixtures';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Imports the folders in a child process and kills it (SIGKILL) once `top.csv` is being loaded. */
function importAndKill(target: string, folders: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, ...folders], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const event = JSON.parse(buffer.slice(0, nl)) as { phase: string; file?: string; rowsRead?: number; status?: string };
        buffer = buffer.slice(nl + 1);
        seen.push(`${event.phase}:${event.file ?? event.status ?? ''}`);
        if (event.file === 'top.csv' && (event.rowsRead ?? 0) > 3000) child.kill('SIGKILL');
        nl = buffer.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(seen);
      else reject(new Error(`the import was not killed (it ended by itself): ${seen.slice(-3).join(', ')} ${stderr}`));
    });
  });
}

describe.each(TEST_DB_KINDS)('killing the process mid-import on %s', (kind) => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map(removeDir));
  });

  it('leaves the database exactly as it was', async () => {
    // First a small import that commits, then one killed while it loads top.csv.
    const stored = await writeDataset({ 'services.csv': baseDataset()['services.csv'] ?? '' });
    const big = await writeDataset({ ...baseDataset(), 'people.csv': peopleRows(1000), 'top.csv': topRows(30_000, 1000) });
    dirs.push(stored, big);
    const dataDir = kind === 'pglite' ? await mkdtemp(join(tmpdir(), 'beacon-crash-')) : null;
    if (dataDir) dirs.push(dataDir);
    const t = kind === 'postgres' ? await createTestDb('postgres') : null;
    try {
      const seen = await importAndKill(t?.url ?? dataDir ?? '', [stored, big]);
      expect(seen).toContain('result:succeeded');
      expect(seen).toContain('validating:people.csv');
      expect(seen.some((s) => s.startsWith('validating:top.csv'))).toBe(true);

      const db = t?.db ?? (await openDb({ dataDir }));
      expect(await countRows(db)).toEqual({ ...EMPTY, services: 2 });
      const records = await db.query<{ status: string }>('SELECT status FROM imports ORDER BY id');
      // The killed run's record stays 'running': its process could not record the end.
      expect(records.map((r) => r.status)).toEqual(['succeeded', 'running']);
      expect(await markInterruptedImports(db)).toBe(1);
      const marked = await db.query<{ status: string }>('SELECT status FROM imports ORDER BY id');
      expect(marked.map((r) => r.status)).toEqual(['succeeded', 'failed']);
      // No lock or half-written state is left behind: the same data imports normally.
      const small = await writeDataset(baseDataset());
      dirs.push(small);
      const again = await importDataset(db, small);
      expect(again.status).toBe('succeeded');
      if (!t) await db.close();
    } finally {
      await t?.drop();
    }
  });
});

const EMPTY = {
  services: 0, people: 0, episodes: 0, prescriptions: 0, top: 0, drug_tests: 0, risk_events: 0, naloxone: 0, sc_reviews: 0, incidents: 0,
};
