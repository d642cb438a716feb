import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_COHORTS, EXPECTED_PEOPLE, FIXTURE_DATE, FIXTURE_MONTH, writeFixtureDataset } from '../../data/mat/test-fixtures';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/beacon.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('beacon report (CLI, embedded database)', () => {
  let dataDir: string;
  let fixture: string;
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, BEACON_DATA_DIR: dataDir, TZ: 'UTC' };
    delete e.DATABASE_URL;
    return e;
  };
  const beacon = (...args: string[]) => run('node', [BIN, ...args], { cwd: ROOT, env: env(), maxBuffer: 64 << 20 });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'beacon-cli-report-'));
    fixture = await writeFixtureDataset();
    await beacon('import', fixture);
  }, 180_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(fixture, { recursive: true, force: true });
  });

  it('prints the MAT report as JSON on stdout and nothing else', async () => {
    const { stdout } = await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--format', 'json');
    const r = JSON.parse(stdout) as {
      month: string;
      people: { person_id: string; stage: string; cohort: string | null; og_band: string; regime: string | null }[];
      services: { service_id: string; cohorts: Record<string, number> }[];
      organisation: { cohorts: Record<string, number> };
    };
    expect(r.month).toBe(FIXTURE_MONTH);
    expect(Object.fromEntries(r.people.map((p) => [p.person_id, [p.stage, p.cohort, p.og_band, p.regime]]))).toEqual(EXPECTED_PEOPLE);
    expect(r.services.find((s) => s.service_id === 'S1')?.cohorts).toEqual(EXPECTED_COHORTS.S1);
    expect(r.organisation.cohorts).toEqual(EXPECTED_COHORTS.organisation);
  }, 120_000);

  it('filters by --service and writes CSV and XLSX', async () => {
    const { stdout } = await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--service', 'S2', '--format', 'csv');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^person_id,service_id,stage,cohort,og_band,regime/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['P16', 'P17']);
    const out = join(dataDir, 'mat.xlsx');
    await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--format', 'xlsx', '--out', out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name).slice(0, 4)).toEqual(['Service Tracker', 'Service Data', 'MAT Breakdown', 'Priorities']);
    expect(wb.getWorksheet('MAT Breakdown')?.rowCount).toBe(1 + Object.keys(EXPECTED_PEOPLE).length);
  }, 120_000);

  it('prints the risk report as JSON and writes its workbook', async () => {
    const { stdout } = await beacon('report', 'risk', '--date', FIXTURE_DATE, '--format', 'json');
    const r = JSON.parse(stdout) as { people: { person_id: string; tier: string; flags: string[]; critical: string[] }[] };
    const p02 = r.people.find((p) => p.person_id === 'P02');
    expect(p02).toMatchObject({ tier: 'high', critical: ['lowered_tolerance'] });
    const out = join(dataDir, 'risk.xlsx');
    await beacon('report', 'risk', '--date', FIXTURE_DATE, '--format', 'xlsx', '--out', out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['People', 'Summary']);
  }, 120_000);

  it('fails with a readable message on a bad month', async () => {
    await expect(beacon('report', 'mat', '--month', '2024-6', '--format', 'json')).rejects.toMatchObject({ stderr: expect.stringMatching(/YYYY-MM/) });
  }, 120_000);
});
