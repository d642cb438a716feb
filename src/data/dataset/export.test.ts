import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { exportDataset } from './export';
import { importDataset } from './import';
import { DATASET } from './spec';
import { baseDataset, clearDataset, countRows, removeDir, writeDataset } from './test-fixtures';

const TODAY = '2024-12-01';

async function readFolder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

describe.each(TEST_DB_KINDS)('exportDataset on %s', (kind) => {
  let t: TestDb;
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await writeDataset({});
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t.drop();
    await Promise.all(dirs.map(removeDir));
  });
  beforeEach(async () => {
    await clearDataset(t.db);
  });

  it('writes the v1 format: ISO dates, Y/N, UTC timestamps, quoted text, key order', async () => {
    const src = await writeDataset(baseDataset(), await tmp());
    expect((await importDataset(t.db, src, { today: TODAY })).status).toBe('succeeded');
    const out = await tmp();
    const r = await exportDataset(t.db, out);
    expect(r.rows).toBe(25);
    const files = await readFolder(out);
    expect(Object.keys(files)).toEqual(DATASET.map((s) => s.file).sort());
    expect(files['people.csv']).toBe(
      'person_id,service_id,date_of_birth,sex,nhs_number,postcode,injecting_status,housing,lives_alone,consent\n' +
        'P1,S1,1980-05-17,M,9434765919,FY1 1AA,C,settled,Y,Y\n' +
        'P2,S1,1975-03-02,F,,FY2,P,nfa,N,\n' +
        'P3,S2,1990-12-31,X,,,,,,\n',
    );
    expect(files['drug_tests.csv']?.split('\n').slice(1, 3)).toEqual([
      'T1,P1,2024-01-05,heroin_6mam,positive,urine',
      'T1,P1,2024-01-05,methadone,positive,urine',
    ]);
    expect(files['incidents.csv']?.split('\n')[2]).toBe('I2,2024-07-01T08:00:00Z,police,2024-06-30,death,E06000009,,U,,,,,,,,,,,,,,died,,,Y');
    expect(files['risk_events.csv']).toContain('RE2,P2,2024-01-20,prison_release,"said ""back soon""\nthen left"\n');
    expect(files['prescriptions.csv']).toContain('RX2,P1,methadone,12.5,2024-02-05,,N,weekly,Y,2024-06-30,"Smith, J"\n');
  });

  it('export → import → export gives identical CSV files', async () => {
    const src = await writeDataset(baseDataset(), await tmp());
    await importDataset(t.db, src, { today: TODAY });
    const first = await tmp();
    await exportDataset(t.db, first);
    await clearDataset(t.db);
    const again = await importDataset(t.db, first, { today: TODAY });
    expect(again.problems).toEqual([]);
    const second = await tmp();
    await exportDataset(t.db, second, { pageSize: 2 });
    expect(await readFolder(second)).toEqual(await readFolder(first));
  });

  it('pages by key, including awkward keys', async () => {
    const ids = ["S'1", 'S\\2', 'S"3', 'S,4', 'S 5', 'Sé6', 'S7'];
    const services = `service_id,name\n${ids.map((id, i) => `"${id.replace(/"/g, '""')}",Service ${i}`).join('\n')}\n`;
    await importDataset(t.db, await writeDataset({ 'services.csv': services }, await tmp()), { today: TODAY });
    const out = await tmp();
    const r = await exportDataset(t.db, out, { pageSize: 2, tables: ['services'] });
    expect(r.rows).toBe(7);
    const text = await readFile(join(out, 'services.csv'), 'utf8');
    const back = await importDataset(t.db, join(out, 'services.csv'), { today: TODAY, dryRun: true });
    expect(back.rowsRead).toBe(7);
    expect(text.split('\n')).toHaveLength(9);
  });

  it('export to XLSX → import → export gives the same CSV files', async () => {
    const src = await writeDataset(baseDataset(), await tmp());
    await importDataset(t.db, src, { today: TODAY });
    const csv = await tmp();
    await exportDataset(t.db, csv);
    const xlsx = join(await tmp(), 'beacon.xlsx');
    const x = await exportDataset(t.db, xlsx, { pageSize: 2 });
    expect(x).toMatchObject({ format: 'xlsx', rows: 25 });
    await clearDataset(t.db);
    const imported = await importDataset(t.db, xlsx, { today: TODAY });
    expect(imported.problems).toEqual([]);
    expect(imported).toMatchObject({ status: 'succeeded', format: 'xlsx', rowsWritten: 25 });
    const again = await tmp();
    await exportDataset(t.db, again);
    expect(await readFolder(again)).toEqual(await readFolder(csv));
  });

  it('imports a workbook made in a spreadsheet: date cells, numbers, booleans, formulas, other sheets', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Read me').addRow(['This workbook holds Beacon data']);
    const services = wb.addWorksheet('Services');
    services.addRow(['service_id', 'name', 'local_authority']);
    services.addRow(['S1', 'Blackpool', 'E06000009']);
    const people = wb.addWorksheet('people');
    people.addRow(['person_id', 'service_id', 'date_of_birth', 'sex', 'nhs_number', 'lives_alone']);
    people.addRow([1001, 'S1', new Date(Date.UTC(1980, 4, 17)), 'm', 9434765919, true]);
    people.addRow([]);
    people.addRow(['P2', 'S1', '02/03/1975', 'F', null, false]);
    const rx = wb.addWorksheet('prescriptions');
    rx.addRow(['prescription_id', 'person_id', 'medication', 'dose_mg', 'start_date']);
    rx.addRow(['RX1', '1001', 'methadone', { formula: '30*2', result: 60 }, new Date(Date.UTC(2024, 0, 5))]);
    rx.addRow(['RX2', 'P2', 'methadone', -5, new Date(Date.UTC(2024, 1, 30 - 1))]);
    const path = join(await tmp(), 'upload.xlsx');
    await wb.xlsx.writeFile(path);

    const rejected = await importDataset(t.db, path, { today: TODAY });
    expect(rejected.status).toBe('rejected');
    expect(rejected.problems).toMatchObject([
      { severity: 'warning', code: 'unknown_file', file: 'Read me' },
      { severity: 'error', code: 'out_of_range', file: 'prescriptions', line: 3, column: 'dose_mg', value: '-5' },
    ]);
    expect(await countRows(t.db)).toMatchObject({ services: 0, people: 0 });

    const ok = await importDataset(t.db, path, { today: TODAY, skipInvalid: true });
    expect(ok.status).toBe('partial');
    const rows = await t.db.query('SELECT person_id, date_of_birth, sex, nhs_number, lives_alone FROM people ORDER BY person_id');
    expect(rows).toEqual([
      { person_id: '1001', date_of_birth: '1980-05-17', sex: 'M', nhs_number: '9434765919', lives_alone: true },
      { person_id: 'P2', date_of_birth: '1975-03-02', sex: 'F', nhs_number: null, lives_alone: false },
    ]);
    expect(await t.db.query('SELECT prescription_id, dose_mg, start_date FROM prescriptions')).toEqual([
      { prescription_id: 'RX1', dose_mg: 60, start_date: '2024-01-05' },
    ]);
    expect(ok.rejected).toMatchObject([{ file: 'prescriptions', rows: 1 }]);
    expect(ok.rejected[0]?.csv.split('\n')[1]).toBe('3,-5 is out of range: dose_mg cannot be below 0,RX2,P2,methadone,-5,2024-02-29');
  });
});
