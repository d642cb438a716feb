import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { importDataset, type ImportResult } from './import';
import { LOAD_TUNING } from './load';
import type { ProblemCode } from './problems';
import { DATASET, sqlTypeOf } from './spec';
import {
  baseDataset,
  clearDataset,
  countRows,
  peopleRows,
  removeDir,
  topRows,
  writeDataset,
  type DatasetFiles,
} from './test-fixtures';

const TODAY = '2024-12-01';
const PG_TYPE: Record<ReturnType<typeof sqlTypeOf>, string> = {
  text: 'text',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  boolean: 'boolean',
  smallint: 'smallint',
  numeric: 'numeric',
};
const EMPTY = {
  services: 0, people: 0, episodes: 0, prescriptions: 0, top: 0, drug_tests: 0, risk_events: 0, naloxone: 0, sc_reviews: 0, incidents: 0,
};

/** The base dataset with one file's line (1-based) replaced, or the whole file replaced. */
function withLine(file: string, line: number, text: string): DatasetFiles {
  const files = baseDataset();
  const lines = (files[file] ?? '').split('\n');
  lines[line - 1] = text;
  files[file] = lines.join('\n');
  return files;
}
function withFile(file: string, content: string | Buffer): DatasetFiles {
  return { ...baseDataset(), [file]: content };
}

interface BadCase {
  name: string;
  files: () => DatasetFiles;
  problem: { file: string; line: number; column: string; value: string; code: ProblemCode; expected?: string | RegExp; message?: RegExp };
}

const BAD_CASES: BadCase[] = [
  {
    name: 'a missing required column',
    files: () => withLine('people.csv', 1, 'person_id,service_id,date_of_birth,gender,nhs_number,postcode,injecting_status,housing,lives_alone,consent'),
    problem: { file: 'people.csv', line: 1, column: 'sex', value: '', code: 'missing_column', expected: 'a column named sex' },
  },
  {
    name: 'no header line',
    files: () => withFile('services.csv', 'S1,Blackpool,,E06000009,\n'),
    problem: { file: 'services.csv', line: 1, column: '', value: 'S1,Blackpool,,E06000009,', code: 'missing_header' },
  },
  {
    name: 'a file separated by semicolons',
    files: () => withFile('services.csv', 'service_id;name\nS1;Blackpool\nS2;Liverpool\n'),
    problem: { file: 'services.csv', line: 1, column: '', value: 'service_id;name', code: 'missing_header', message: /separated by semicolons/ },
  },
  {
    name: 'an impossible date (2024-02-30)',
    files: () => withLine('prescriptions.csv', 3, 'RX2,P1,methadone,12.5,2024-02-30,,N,weekly,Y,2024-06-30,"Smith, J"'),
    problem: {
      file: 'prescriptions.csv', line: 3, column: 'start_date', value: '2024-02-30', code: 'bad_date',
      expected: 'a date as YYYY-MM-DD or DD/MM/YYYY', message: /February 2024 has 29 days/,
    },
  },
  {
    name: 'an impossible UK date (31/13/2024)',
    files: () => withLine('episodes.csv', 4, 'E3,P2,31/13/2024,,'),
    problem: { file: 'episodes.csv', line: 4, column: 'start_date', value: '31/13/2024', code: 'bad_date', message: /no month 13/ },
  },
  {
    name: 'a bad timestamp',
    files: () => withLine('incidents.csv', 3, 'I2,2024-07-01 25:00,police,2024-06-30,death,E06000009,,U,,,,,,,,,,,,,,died,,,Y'),
    problem: { file: 'incidents.csv', line: 3, column: 'received_at', value: '2024-07-01 25:00', code: 'bad_timestamp', expected: /ISO 8601/ },
  },
  {
    name: 'an unknown code',
    files: () => withLine('people.csv', 4, 'P3,S2,1990-12-31,Q,,,,,,'),
    problem: { file: 'people.csv', line: 4, column: 'sex', value: 'Q', code: 'unknown_code', expected: 'one of: M, F, X, U' },
  },
  {
    name: 'TOP days out of range (29)',
    files: () => withLine('top.csv', 3, 'TOP2,P1,2024-04-05,review,29,0,0,0,0,0,0,0,10,0,N,0,0,N,N,14,15,16,5,0,N,N'),
    problem: { file: 'top.csv', line: 3, column: 'opiate_days', value: '29', code: 'out_of_range', expected: 'a whole number from 0 to 28' },
  },
  {
    name: 'a TOP score out of range (21)',
    files: () => withLine('top.csv', 3, 'TOP2,P1,2024-04-05,review,0,0,0,0,0,0,0,0,10,0,N,0,0,N,N,21,15,16,5,0,N,N'),
    problem: { file: 'top.csv', line: 3, column: 'psych_health', value: '21', code: 'out_of_range', expected: 'a whole number from 0 to 20' },
  },
  {
    name: 'a negative dose',
    files: () => withLine('prescriptions.csv', 2, 'RX1,P1,methadone,-5,2024-01-05,2024-02-04,Y,daily,N,,Dr A'),
    problem: { file: 'prescriptions.csv', line: 2, column: 'dose_mg', value: '-5', code: 'out_of_range', expected: 'a number >= 0' },
  },
  {
    name: 'a fractional TOP day count',
    files: () => withLine('top.csv', 2, 'TOP1,P1,2024-01-05,start,2.5,4,0,0,10,0,2,6.5,20,12,Y,3,0,N,N,8,9,7,0,0,N,Y'),
    problem: { file: 'top.csv', line: 2, column: 'opiate_days', value: '2.5', code: 'bad_integer' },
  },
  {
    name: 'a bad boolean',
    files: () => withLine('sc_reviews.csv', 2, 'R1,P1,2024-02-05,relaxed,maybe,N,N,N,"stable, engaged",2024-05-05'),
    problem: { file: 'sc_reviews.csv', line: 2, column: 'diverted', value: 'maybe', code: 'bad_boolean' },
  },
  {
    name: 'a missing required value',
    files: () => withLine('people.csv', 3, 'P2,S1,02/03/1975,,,FY2,P,nfa,no,'),
    problem: { file: 'people.csv', line: 3, column: 'sex', value: '', code: 'required' },
  },
  {
    name: 'a prescription for an unknown person',
    files: () => withLine('prescriptions.csv', 4, 'RX3,P9,buprenorphine_weekly_injection,24,2024-02-01,,,,,,'),
    problem: { file: 'prescriptions.csv', line: 4, column: 'person_id', value: 'P9', code: 'dangling_reference', message: /P9 is not in people.csv or the database/ },
  },
  {
    name: 'a person at an unknown service',
    files: () => withLine('people.csv', 4, 'P3,S9,1990-12-31,X,,,,,,'),
    problem: { file: 'people.csv', line: 4, column: 'service_id', value: 'S9', code: 'dangling_reference' },
  },
  {
    name: 'a duplicate id',
    files: () => withLine('episodes.csv', 4, 'E1,P2,2024-02-01,,'),
    problem: { file: 'episodes.csv', line: 4, column: 'episode_id', value: 'E1', code: 'duplicate_id', message: /already used on line 2/ },
  },
  {
    name: 'a duplicate drug test substance row',
    files: () => withLine('drug_tests.csv', 4, 'T1,P1,2024-01-05,Methadone,negative,urine'),
    problem: { file: 'drug_tests.csv', line: 4, column: 'test_id,substance', value: 'T1,methadone', code: 'duplicate_id', message: /line 3/ },
  },
  {
    name: 'a truncated last line',
    files: () => withFile('people.csv', (baseDataset()['people.csv'] ?? '').replace(/\n$/, '').replace(/1990-12-31,X,,,,,,$/, '19')),
    problem: { file: 'people.csv', line: 4, column: 'sex', value: 'P3,S2,19', code: 'field_count', message: /cut short/ },
  },
  {
    name: 'an unquoted comma (too many values)',
    files: () => withLine('services.csv', 3, 'S2,Liverpool, CDS,,E08000012,North West'),
    problem: { file: 'services.csv', line: 3, column: '', value: 'S2,Liverpool, CDS,,E08000012,North West', code: 'field_count' },
  },
  {
    name: 'an unterminated quote',
    files: () => withFile('risk_events.csv', 'event_id,person_id,date,type,detail\nRE1,P1,2023-12-01,other,fine\nRE3,P1,2024-03-01,other,"never closed\n'),
    problem: { file: 'risk_events.csv', line: 3, column: '', value: 'RE3,P1,2024-03-01,other,"never closed\n"', code: 'unterminated_quote' },
  },
  {
    name: 'bytes that are not UTF-8',
    files: () => withFile('services.csv', Buffer.concat([
      Buffer.from('service_id,name,organisation,local_authority,region\nS1,Blackpool,,E06000009,\nS2,Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' Liverpool,,E08000012,\n'),
    ])),
    problem: { file: 'services.csv', line: 3, column: 'name', value: 'Caf\uFFFD Liverpool', code: 'invalid_utf8', message: /0xE9/ },
  },
  {
    name: 'an empty file',
    files: () => withFile('episodes.csv', ''),
    problem: { file: 'episodes.csv', line: 1, column: '', value: '', code: 'empty_file' },
  },
  {
    name: 'a file of blank lines',
    files: () => withFile('episodes.csv', '\n \n,,\n'),
    problem: { file: 'episodes.csv', line: 1, column: '', value: '', code: 'empty_file' },
  },
  {
    name: 'a UTF-16 file',
    files: () => withFile('services.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('service_id,name\n', 'utf16le')])),
    problem: { file: 'services.csv', line: 1, column: '', value: 'UTF-16LE', code: 'encoding' },
  },
  {
    name: 'an end date before the start date',
    files: () => withLine('episodes.csv', 2, 'E1,P1,2023-01-10,2022-06-30,planned'),
    problem: { file: 'episodes.csv', line: 2, column: 'end_date', value: '2022-06-30', code: 'inconsistent', expected: 'a date on or after start_date (2023-01-10)' },
  },
  {
    name: 'a date of birth in the future',
    files: () => withLine('people.csv', 4, 'P3,S2,2030-01-01,X,,,,,,'),
    problem: { file: 'people.csv', line: 4, column: 'date_of_birth', value: '2030-01-01', code: 'inconsistent' },
  },
  {
    name: 'a bad ONS code for a service',
    files: () => withLine('services.csv', 3, 'S2,Liverpool CDS,,Liverpool,North West'),
    problem: { file: 'services.csv', line: 3, column: 'local_authority', value: 'Liverpool', code: 'bad_format' },
  },
  {
    name: 'a NUL character',
    files: () => withLine('services.csv', 3, 'S2,Liver\u0000pool,,E08000012,North West'),
    problem: { file: 'services.csv', line: 3, column: 'name', value: 'Liver\\0pool', code: 'invalid_character' },
  },
  {
    name: 'an error after a multi-line value (line numbers count physical lines)',
    files: () => withLine('risk_events.csv', 5, 'RE3,P1,2024-03-32,other,'),
    problem: { file: 'risk_events.csv', line: 5, column: 'date', value: '2024-03-32', code: 'bad_date' },
  },
];

describe.each(TEST_DB_KINDS)('importDataset on %s', (kind) => {
  let t: TestDb;
  const dirs: string[] = [];
  const folder = async (files: DatasetFiles) => {
    const d = await writeDataset(files);
    dirs.push(d);
    return d;
  };
  const run = async (files: DatasetFiles, options: Parameters<typeof importDataset>[2] = {}): Promise<ImportResult> =>
    importDataset(t.db, await folder(files), { today: TODAY, ...options });

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

  it.each(DATASET.map((s) => [s.table, s] as const))('the spec matches the schema of %s: same columns, types, keys and references', async (table, spec) => {
    const cols = await t.db.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    expect(cols.map((c) => c.column_name)).toEqual(spec.columns.map((c) => c.name));
    for (const c of spec.columns) {
      const db = cols.find((x) => x.column_name === c.name);
      expect(db?.data_type, `${table}.${c.name}`).toBe(PG_TYPE[sqlTypeOf(c)]);
      // A NOT NULL column is required, unless the importer writes a value for empty (exercise = N).
      if (db?.is_nullable === 'NO') expect(c.required || c.emptyAs !== undefined, `${table}.${c.name}`).toBe(true);
      if (c.required) expect(db?.is_nullable, `${table}.${c.name}`).toBe('NO');
    }
    const pk = await t.db.query<{ col: string }>(
      `SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
      [table],
    );
    expect(pk.map((r) => r.col)).toEqual(spec.key);
    const fks = await t.db.query<{ col: string; ref: string }>(
      `SELECT a.attname AS col, c.confrelid::regclass::text AS ref FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = $1::regclass AND c.contype = 'f' ORDER BY 1`,
      [table],
    );
    expect(fks).toEqual(spec.columns.filter((c) => c.references).map((c) => ({ col: c.name, ref: c.references })));
  });

  it('imports a valid dataset, converting values, and records the run', async () => {
    const r = await run(baseDataset());
    expect(r.problems).toEqual([]);
    expect(r.status).toBe('succeeded');
    expect(await countRows(t.db)).toEqual({
      services: 2, people: 3, episodes: 3, prescriptions: 3, top: 3, drug_tests: 3, risk_events: 3, naloxone: 2, sc_reviews: 1, incidents: 2,
    });
    expect(r.rowsRead).toBe(25);
    expect(r.rowsWritten).toBe(25);
    const [p2] = await t.db.query<{ date_of_birth: string; lives_alone: boolean; consent: boolean | null }>(
      `SELECT date_of_birth, lives_alone, consent FROM people WHERE person_id = 'P2'`,
    );
    expect(p2).toEqual({ date_of_birth: '1975-03-02', lives_alone: false, consent: null });
    const incidents = await t.db.query<{ report_id: string; received_at: string; exercise: boolean }>(
      'SELECT report_id, received_at, exercise FROM incidents ORDER BY report_id',
    );
    // 09:00 in July is British Summer Time: 08:00 UTC.
    expect(incidents).toEqual([
      { report_id: 'I1', received_at: '2024-03-01T10:15:00.000Z', exercise: false },
      { report_id: 'I2', received_at: '2024-07-01T08:00:00.000Z', exercise: true },
    ]);
    const [re2] = await t.db.query<{ detail: string }>(`SELECT detail FROM risk_events WHERE event_id = 'RE2'`);
    expect(re2?.detail).toBe('said "back soon"\nthen left');
    const [rec] = await t.db.query<{ status: string; rows_read: number; rows_written: number; problem_count: number; summary: { tables: Record<string, { inserted: number }> } }>(
      'SELECT status, rows_read, rows_written, problem_count, summary FROM imports WHERE id = $1',
      [r.importId],
    );
    expect(rec).toMatchObject({ status: 'succeeded', rows_read: 25, rows_written: 25, problem_count: 0 });
    expect(rec?.summary.tables.people?.inserted).toBe(3);
  });

  it('re-importing the same rows changes nothing and duplicates nothing; a changed row is updated', async () => {
    await run(baseDataset());
    const again = await run(baseDataset());
    expect(again.status).toBe('succeeded');
    expect(await countRows(t.db)).toMatchObject({ people: 3, drug_tests: 3, top: 3 });
    expect(again.files.every((f) => f.mode === 'upsert' && f.inserted === 0 && f.updated === 0 && f.unchanged === f.rowsRead)).toBe(true);

    const changed = withLine('people.csv', 4, 'P3,S2,1990-12-31,F,,,,,,');
    changed['people.csv'] += 'P4,S2,1991-01-01,M,,,,,,\n';
    const third = await run(changed);
    expect(third.status).toBe('succeeded');
    const people = third.files.find((f) => f.table === 'people');
    expect(people).toMatchObject({ inserted: 1, updated: 1, unchanged: 2 });
    expect(await countRows(t.db)).toMatchObject({ people: 4 });
    const [p3] = await t.db.query<{ sex: string }>(`SELECT sex FROM people WHERE person_id = 'P3'`);
    expect(p3?.sex).toBe('F');
  });

  it('merges a large re-import with set-based statements, with the same result', async () => {
    await run(baseDataset());
    const saved = LOAD_TUNING.setMergeMinRows;
    LOAD_TUNING.setMergeMinRows = 1;
    try {
      const changed = withLine('people.csv', 4, 'P3,S2,1990-12-31,F,,,,,,');
      changed['people.csv'] += 'P4,S2,1991-01-01,M,,,,,,\n';
      const r = await run(changed);
      expect(r.status).toBe('succeeded');
      expect(r.files.find((f) => f.table === 'people')).toMatchObject({ mode: 'upsert', inserted: 1, updated: 1, unchanged: 2 });
      expect(r.files.find((f) => f.table === 'drug_tests')).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
      expect(await countRows(t.db)).toMatchObject({ people: 4, drug_tests: 3 });
      const [p3] = await t.db.query<{ sex: string }>(`SELECT sex FROM people WHERE person_id = 'P3'`);
      expect(p3?.sex).toBe('F');
    } finally {
      LOAD_TUNING.setMergeMinRows = saved;
    }
  });

  it('only updates the columns a file has: an absent optional column keeps its stored values', async () => {
    await run(baseDataset());
    const r = await run({ 'people.csv': 'PERSON_ID,Sex,service_id,date_of_birth\nP1,M,S1,1980-05-17\n' });
    expect(r.status).toBe('succeeded');
    const [p1] = await t.db.query<{ nhs_number: string; postcode: string }>(`SELECT nhs_number, postcode FROM people WHERE person_id = 'P1'`);
    expect(p1).toEqual({ nhs_number: '9434765919', postcode: 'FY1 1AA' });
  });

  it.each(BAD_CASES)('reports $name precisely and writes nothing', async ({ files, problem }) => {
    const r = await run(files());
    expect(r.status).toBe('rejected');
    expect(r.rowsWritten).toBe(0);
    const errors = r.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    const p = errors[0];
    expect(p).toMatchObject({ file: problem.file, line: problem.line, column: problem.column, value: problem.value, code: problem.code });
    if (typeof problem.expected === 'string') expect(p?.expected).toBe(problem.expected);
    else if (problem.expected) expect(p?.expected).toMatch(problem.expected);
    if (problem.message) expect(p?.message).toMatch(problem.message);
    expect(await countRows(t.db)).toEqual(EMPTY);
    const [rec] = await t.db.query<{ status: string; problem_count: number; problems_csv: string }>(
      'SELECT status, problem_count, problems_csv FROM imports WHERE id = $1',
      [r.importId],
    );
    expect(rec?.status).toBe('rejected');
    expect(rec?.problem_count).toBe(r.problemCount);
    expect(rec?.problems_csv.split('\n')[0]).toBe('file,line,column,value,expected,message,severity');
  });

  it('accepts a BOM, any header case and column order, and warns about unknown columns and files', async () => {
    const files = baseDataset();
    files['services.csv'] = '\uFEFFRegion,Service_ID,NAME,colour\nNorth West,S1,Blackpool,blue\nNorth West,S2,Liverpool,red\n';
    files['notes.txt'] = 'not data';
    const r = await run(files);
    expect(r.status).toBe('succeeded');
    expect(r.warningCount).toBe(2);
    expect(r.problems.map((p) => [p.code, p.file, p.line, p.column])).toEqual([
      ['unknown_file', 'notes.txt', 0, ''],
      ['unknown_column', 'services.csv', 1, 'colour'],
    ]);
    const rows = await t.db.query(`SELECT service_id, name, region FROM services ORDER BY service_id`);
    expect(rows).toEqual([
      { service_id: 'S1', name: 'Blackpool', region: 'North West' },
      { service_id: 'S2', name: 'Liverpool', region: 'North West' },
    ]);
  });

  it('accepts every documented spelling of booleans, dates, numbers and codes', async () => {
    const files = {
      'services.csv': 'service_id,name\nS1,One\n',
      'people.csv': [
        'person_id,service_id,date_of_birth,sex,lives_alone',
        'P1,S1,1980-01-31,m,Y', 'P2,S1,31/01/1980,f,yes', 'P3,S1,1/2/1980,x,TRUE', 'P4,S1,1980-01-31,u,1',
        'P5,S1,1980-01-31,M,n', 'P6,S1,1980-01-31,M,No', 'P7,S1,1980-01-31,M,false', 'P8,S1,1980-01-31,M,0',
        ' P9 , S1 , 1980-01-31 , M , ',
      ].join('\n'),
      'prescriptions.csv': 'prescription_id,person_id,medication,dose_mg,start_date\nRX1,P1,Methadone,5.,2024-01-01\nRX2,P1,methadone,.5,2024-01-01\nRX3,P1,METHADONE,+60,2024-01-01\n',
      'top.csv': 'top_id,person_id,date,opiate_days,psych_health\nT1,P1,2024-01-01,+4,007\n',
    };
    const r = await run(files);
    expect(r.problems).toEqual([]);
    const people = await t.db.query<{ person_id: string; date_of_birth: string; sex: string; lives_alone: boolean | null }>(
      'SELECT person_id, date_of_birth, sex, lives_alone FROM people ORDER BY person_id',
    );
    expect(people.map((p) => `${p.person_id} ${p.date_of_birth} ${p.sex} ${p.lives_alone}`)).toEqual([
      'P1 1980-01-31 M true', 'P2 1980-01-31 F true', 'P3 1980-02-01 X true', 'P4 1980-01-31 U true',
      'P5 1980-01-31 M false', 'P6 1980-01-31 M false', 'P7 1980-01-31 M false', 'P8 1980-01-31 M false',
      'P9 1980-01-31 M null',
    ]);
    expect(await t.db.query('SELECT prescription_id, medication, dose_mg FROM prescriptions ORDER BY 1')).toEqual([
      { prescription_id: 'RX1', medication: 'methadone', dose_mg: 5 },
      { prescription_id: 'RX2', medication: 'methadone', dose_mg: 0.5 },
      { prescription_id: 'RX3', medication: 'methadone', dose_mg: 60 },
    ]);
    expect(await t.db.query('SELECT opiate_days, psych_health FROM top')).toEqual([{ opiate_days: 4, psych_health: 7 }]);
  });

  it('reports a source that cannot be read', async () => {
    const missing = await importDataset(t.db, '/nonexistent/beacon-dataset', { today: TODAY });
    expect(missing.status).toBe('rejected');
    expect(missing.problems[0]).toMatchObject({ code: 'unreadable', file: 'beacon-dataset' });
    const dir = await folder({ 'fake.xlsx': 'person_id\nP1\n' });
    const notZip = await importDataset(t.db, `${dir}/fake.xlsx`, { today: TODAY });
    expect(notZip.status).toBe('rejected');
    expect(notZip.problems[0]?.message).toMatch(/not a ZIP file/);
    const [rec] = await t.db.query<{ status: string; format: string }>('SELECT status, format FROM imports WHERE id = $1', [notZip.importId]);
    expect(rec).toEqual({ status: 'rejected', format: 'xlsx' });
  });

  it('reports every problem of a bad file, not just the first, and caps the detail', async () => {
    const lines = ['episode_id,person_id,start_date'];
    for (let i = 1; i <= 30; i++) lines.push(`E${i},P1,${i % 2 ? '2024-02-31' : '2024-02-21'}`);
    const r = await run({ ...baseDataset(), 'episodes.csv': `${lines.join('\n')}\n` }, { maxProblems: 10 });
    expect(r.errorCount).toBe(15);
    expect(r.problems).toHaveLength(10);
    expect(r.problemsTruncated).toBe(true);
    expect(r.problemSummary).toContainEqual({ file: 'episodes.csv', column: 'start_date', code: 'bad_date', severity: 'error', count: 15, firstLine: 2 });
    const csv = r.problemsCsv.trim().split('\n');
    expect(csv).toHaveLength(12);
    expect(csv[1]).toBe('episodes.csv,2,start_date,2024-02-31,a date as YYYY-MM-DD or DD/MM/YYYY,2024-02-31 is not a real date: February 2024 has 29 days,error');
    expect(csv[11]).toContain('5 more problems not listed');
  });

  it('with skipInvalid writes the valid rows and returns the rejected ones with reasons', async () => {
    const files = withLine('people.csv', 3, 'P2,S1,02/03/1975,Q,,FY2,P,nfa,no,');
    files['prescriptions.csv'] += 'RX4,P1,methadone,-5,2024-03-01,,,,,,\n';
    const r = await run(files, { skipInvalid: true });
    expect(r.status).toBe('partial');
    // P2 is rejected, and with it everything that refers to P2.
    expect(await countRows(t.db)).toEqual({
      services: 2, people: 2, episodes: 2, prescriptions: 2, top: 2, drug_tests: 2, risk_events: 2, naloxone: 2, sc_reviews: 1, incidents: 2,
    });
    expect(r.rowsWritten).toBe(19);
    const people = r.rejected.find((f) => f.file === 'people.csv');
    expect(people?.csv).toBe(
      'line,reason,person_id,service_id,date_of_birth,sex,nhs_number,postcode,injecting_status,housing,lives_alone,consent\n' +
        '3,Q is not a code for sex,P2,S1,02/03/1975,Q,,FY2,P,nfa,no,\n',
    );
    const rx = r.rejected.find((f) => f.file === 'prescriptions.csv');
    expect(rx?.rows).toBe(2);
    expect(rx?.csv.split('\n').slice(1, 3)).toEqual([
      '4,person_id P2 is rejected: its row in people.csv (line 3) has errors,RX3,P2,buprenorphine_weekly_injection,24,2024-02-01,,,,,,',
      '5,-5 is out of range: dose_mg cannot be below 0,RX4,P1,methadone,-5,2024-03-01,,,,,,',
    ]);
    const episodes = r.files.find((f) => f.table === 'episodes');
    expect(episodes).toMatchObject({ rowsRead: 3, rowsValid: 2, rowsRejected: 1, inserted: 2 });
  });

  it('checks references against rows already in the database', async () => {
    await run({ 'services.csv': baseDataset()['services.csv'] ?? '', 'people.csv': baseDataset()['people.csv'] ?? '' });
    const ok = await run({ 'prescriptions.csv': baseDataset()['prescriptions.csv'] ?? '' });
    expect(ok.status).toBe('succeeded');
    expect(await countRows(t.db)).toMatchObject({ people: 3, prescriptions: 3 });
    const bad = await run({ 'episodes.csv': 'episode_id,person_id,start_date\nE1,P1,2024-01-01\nE2,P7,2024-01-01\n' });
    expect(bad.problems).toMatchObject([{ code: 'dangling_reference', line: 3, column: 'person_id', value: 'P7', message: 'person_id P7 is not in the database' }]);
  });

  it('imports a single CSV file named like its table, and refuses other names', async () => {
    await run({ 'services.csv': baseDataset()['services.csv'] ?? '' });
    const dir = await folder({ 'People.csv': baseDataset()['people.csv'] ?? '', 'clients.csv': 'x\n' });
    const ok = await importDataset(t.db, `${dir}/People.csv`, { today: TODAY });
    expect(ok.status).toBe('succeeded');
    expect(ok.files.map((f) => f.table)).toEqual(['people']);
    const bad = await importDataset(t.db, `${dir}/clients.csv`, { today: TODAY });
    expect(bad.status).toBe('rejected');
    expect(bad.problems[0]).toMatchObject({ code: 'unknown_file', file: 'clients.csv' });
  });

  it('a dry run validates and writes nothing', async () => {
    const r = await run(baseDataset(), { dryRun: true });
    expect(r.status).toBe('validated');
    expect(r.rowsRead).toBe(25);
    expect(await countRows(t.db)).toEqual(EMPTY);
    const [rec] = await t.db.query<{ status: string; dry_run: boolean }>('SELECT status, dry_run FROM imports WHERE id = $1', [r.importId]);
    expect(rec).toEqual({ status: 'validated', dry_run: true });
  });

  const schemaObjects = async () =>
    t.db.query<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()
       UNION ALL SELECT conname FROM pg_constraint WHERE contype IN ('c', 'f', 'p', 'u') AND connamespace = current_schema()::regnamespace
       ORDER BY 1`,
    );
  let schemaBefore: { name: string }[] = [];
  beforeAll(async () => {
    schemaBefore = await schemaObjects();
  });

  it('rolls everything back when cancelled mid-load, after earlier files were copied', async () => {
    const files = { ...baseDataset(), 'people.csv': peopleRows(2000), 'top.csv': topRows(60_000, 2000) };
    const controller = new AbortController();
    const phases: string[] = [];
    const r = await run(files, {
      signal: controller.signal,
      onProgress: (e) => {
        phases.push(`${e.phase}:${e.file}`);
        if (e.file === 'top.csv' && e.rowsRead > 2100) controller.abort();
      },
    });
    expect(phases).toContain('validating:people.csv');
    expect(r.status).toBe('failed');
    expect(r.problems.at(-1)).toMatchObject({ code: 'cancelled' });
    expect(await countRows(t.db)).toEqual(EMPTY);
    // The indexes and constraints dropped for the bulk load are back (the DDL was rolled back too),
    // and nothing still queued ran after the rollback.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await schemaObjects()).toEqual(schemaBefore);
    expect(await countRows(t.db)).toEqual(EMPTY);
    const [rec] = await t.db.query<{ status: string }>('SELECT status FROM imports WHERE id = $1', [r.importId]);
    expect(rec?.status).toBe('failed');
  });

  it('rolls everything back when the load fails after data was written (a throw while merging)', async () => {
    await run(baseDataset());
    const before = await countRows(t.db);
    const files = { ...baseDataset(), 'people.csv': peopleRows(500), 'top.csv': topRows(5000, 500) };
    const r = await run(files, {
      onProgress: (e) => {
        if (e.phase === 'merging' && e.file === 'top.csv') throw new Error('power cut');
      },
    });
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/power cut/);
    expect(await countRows(t.db)).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await countRows(t.db)).toEqual(before);
    expect(await schemaObjects()).toEqual(schemaBefore);
  });

  it('loads a large file (200k rows) quickly in bounded batches', async () => {
    const n = kind === 'postgres' ? 200_000 : 50_000;
    const files = { 'services.csv': baseDataset()['services.csv'] ?? '', 'people.csv': peopleRows(5000), 'top.csv': topRows(n, 5000) };
    const r = await run(files);
    expect(r.status).toBe('succeeded');
    expect(r.files.find((f) => f.table === 'top')).toMatchObject({ rowsRead: n, inserted: n, mode: 'copy' });
    expect(await countRows(t.db)).toMatchObject({ top: n, people: 5000 });
    // Indexes and foreign keys dropped for the bulk load are back.
    const idx = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'top'`);
    expect(idx[0]?.n).toBe(2);
    const constraints = await t.db.query<{ contype: string }>(`SELECT contype FROM pg_constraint WHERE conrelid = 'top'::regclass AND contype IN ('c', 'f', 'p') ORDER BY 1`);
    expect(constraints.map((c) => c.contype)).toEqual(['c', 'f', 'p']);
  });
});
