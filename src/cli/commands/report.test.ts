import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../data/db';
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
    // P16 (S2, on the worklists): one action overdue, one due later, one without a date, one done (closed).
    const db = await openDb({ dataDir });
    try {
      await db.query(
        `INSERT INTO care_actions (person_id, flag, text, status, due_date, created_by, updated_by) VALUES
           ('P16', 'potent_opioid', 'Give naloxone', 'planned', '2024-06-25', 'test', 'test'),
           ('P16', 'on_top', 'Review the dose', 'planned', '2099-01-31', 'test', 'test'),
           ('P16', 'on_top', 'Talk about supervised consumption', 'planned', NULL, 'test', 'test'),
           ('P16', 'on_top', 'Drug test', 'done', '2024-01-01', 'test', 'test')`,
      );
    } finally {
      await db.close();
    }
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

  it('carries each worklist entry\'s open care-plan actions in JSON, the worklists CSV and both workbooks', async () => {
    type Entry = { person_id: string; priority: number | string; open_actions: number; overdue_actions: number; next_action_due: string | null; next_action_overdue: boolean };
    const P16 = { open_actions: 3, overdue_actions: 1, next_action_due: '2024-06-25', next_action_overdue: true };
    const NONE = { open_actions: 0, overdue_actions: 0, next_action_due: null, next_action_overdue: false };
    const today = new Date().toISOString().slice(0, 10);

    // The full JSON report: the documented fields unchanged, `actions_as_of` added, each worklist entry with its actions.
    const full = JSON.parse((await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--format', 'json')).stdout) as Record<string, unknown> & { worklists: Entry[]; actions_as_of: string };
    expect(Object.keys(full)).toEqual(expect.arrayContaining(['month', 'date', 'service_id', 'services', 'organisation', 'people', 'tracker', 'service_data', 'worklists', 'data_quality', 'actions_as_of']));
    expect(full.actions_as_of).toBe(today);
    const p16 = full.worklists.filter((w) => w.person_id === 'P16');
    expect(p16.length).toBeGreaterThan(0);
    for (const w of p16) expect(w).toMatchObject(P16);
    for (const w of full.worklists.filter((x) => x.person_id !== 'P16')) expect(w).toMatchObject(NONE);

    // --worklists: the same document as GET /api/mat/worklists.
    const only = JSON.parse((await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--worklists', '--format', 'json')).stdout) as Record<string, unknown> & { worklists: Entry[] };
    expect(Object.keys(only)).toEqual(['month', 'date', 'service_id', 'worklists', 'actions_as_of']);
    expect(only.worklists).toEqual(full.worklists);

    // The worklists CSV: worklist order, the four action columns last (people CSV unchanged: see above).
    const csv = Papa.parse<string[]>((await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--worklists', '--format', 'csv')).stdout.trim()).data;
    const header = csv[0] ?? [];
    expect(header.slice(0, 3)).toEqual(['priority', 'position', 'person_id']);
    expect(header.slice(-4)).toEqual(['open_actions', 'overdue_actions', 'next_action_due', 'next_action_overdue']);
    const rows = csv.slice(1);
    expect(rows.map((r) => r[2])).toEqual(full.worklists.map((w) => w.person_id));
    expect(rows.filter((r) => r[2] === 'P16').map((r) => r.slice(-4))).toEqual(p16.map(() => ['3', '1', '2024-06-25', 'true']));
    expect(rows.filter((r) => r[2] !== 'P16').every((r) => r.slice(-4).join() === '0,0,,false')).toBe(true);

    // The MAT workbook's Priorities sheet and the worklists workbook: the same columns, the overdue date in bold red.
    const dueCol = header.indexOf('next_action_due') + 1;
    const checkSheet = (ws: ExcelJS.Worksheet | undefined, entries: number) => {
      expect(ws?.getRow(1).values).toEqual([undefined, ...header]);
      let seen = 0;
      ws?.eachRow((row, n) => {
        if (n === 1) return;
        const due = row.getCell(dueCol);
        if (row.getCell(3).value === 'P16') {
          seen++;
          expect([row.getCell(dueCol - 1).value, due.value, row.getCell(dueCol + 1).value]).toEqual([1, '2024-06-25', true]);
          expect(due.font?.bold).toBe(true);
        } else {
          expect(row.getCell(dueCol - 2).value).toBe(0);
        }
      });
      expect(seen).toBe(entries);
    };
    const book = join(dataDir, 'mat-actions.xlsx');
    await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--format', 'xlsx', '--out', book);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(book);
    checkSheet(wb.getWorksheet('Priorities'), p16.length);
    const lists = join(dataDir, 'worklists.xlsx');
    await beacon('report', 'mat', '--month', FIXTURE_MONTH, '--worklists', '--format', 'xlsx', '--out', lists);
    const wl = new ExcelJS.Workbook();
    await wl.xlsx.readFile(lists);
    expect(wl.worksheets.map((w) => w.name)).toEqual(['All worklists', 'Priority 1', 'Priority 2', 'Priority 3', 'Priority 4', 'Priority 5', 'Uncategorised']);
    checkSheet(wl.getWorksheet('All worklists'), p16.length);
  }, 240_000);

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
