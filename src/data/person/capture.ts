/**
 * Capture on the record (issue 4 §3): a risk event, a naloxone supply or a drug-test result
 * entered by staff on Beacon. Each is checked by the import's own validator
 * (src/data/dataset TableValidator, driven by the dataset spec: types, code lists, ranges,
 * row rules, the person reference), written into the dataset table with the import's COPY
 * path, and its provenance (who, when) recorded in `captured_records`, all in one
 * transaction. So the profile, MAT, reports and exports see it at once, and a later export
 * carries it like any other row.
 *
 * On top of the import's rules, a captured record may not be dated after today (the
 * import allows it because a source system may post-date; a person at the desk cannot
 * have had tomorrow's overdose).
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../db';
import { specOf, type TableName } from '../dataset';
import { KeyTable } from '../dataset/keytable';
import { ProblemLog } from '../dataset/problems';
import { KeyIndex, TableValidator, type ValidatorContext } from '../dataset/validate';

export type CaptureTable = 'risk_events' | 'naloxone' | 'drug_tests';

export interface CapturedRecord {
  table_name: CaptureTable;
  record_id: string;
  person_id: string;
  captured_at: string;
  captured_by: string;
}

export interface CaptureProblem {
  field: string;
  message: string;
}

export class CaptureInvalid extends Error {
  override name = 'CaptureInvalid';
  constructor(readonly problems: CaptureProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** Values as a form sends them: strings (empty = not given). */
export type CaptureValues = Record<string, string | null | undefined>;

export interface RiskEventCapture {
  kind: 'risk_event';
  date: string;
  type: string;
  detail?: string | null;
}
export interface NaloxoneCapture {
  kind: 'naloxone';
  date: string;
  product: string;
  recipient?: string | null;
  reason?: string | null;
}
export interface DrugTestCapture {
  kind: 'drug_test';
  date: string;
  sample?: string | null;
  results: { substance: string; result: string }[];
}
export type Capture = RiskEventCapture | NaloxoneCapture | DrugTestCapture;

const TABLE_OF: Record<Capture['kind'], CaptureTable> = { risk_event: 'risk_events', naloxone: 'naloxone', drug_test: 'drug_tests' };
const ID_COLUMN: Record<CaptureTable, string> = { risk_events: 'event_id', naloxone: 'supply_id', drug_tests: 'test_id' };

/** A new identifier for a captured record: never one a source system uses. */
export function newCaptureId(table: CaptureTable): string {
  const prefix = table === 'risk_events' ? 'BCN-RE' : table === 'naloxone' ? 'BCN-NX' : 'BCN-DT';
  return `${prefix}-${randomUUID()}`;
}

function rowsOf(c: Capture, personId: string, id: string, localAuthority: string | null): CaptureValues[] {
  switch (c.kind) {
    case 'risk_event':
      return [{ event_id: id, person_id: personId, date: c.date, type: c.type, detail: c.detail }];
    case 'naloxone':
      return [
        { supply_id: id, date: c.date, product: c.product, person_id: personId, recipient: c.recipient || 'service_user', reason: c.reason, local_authority: localAuthority },
      ];
    case 'drug_test':
      return c.results.map((r) => ({ test_id: id, person_id: personId, date: c.date, substance: r.substance, result: r.result, sample: c.sample }));
  }
}

/**
 * Validates rows of one table exactly as the import does. Returns the COPY lines and the
 * column list, or the problems (field names are the dataset columns; for drug tests the
 * field of a result row is `results.<n>.<column>`).
 */
export function validateCaptureRows(
  table: TableName,
  rows: readonly CaptureValues[],
  personId: string,
  today: string,
): { columns: string[]; lines: string[]; problems: CaptureProblem[] } {
  const spec = specOf(table);
  const header = spec.columns.map((c) => c.name);
  const problems = new ProblemLog(200);
  const people = new KeyIndex('people', null);
  people.db = new KeyTable(4);
  people.db.set(1, personId);
  const ctx: ValidatorContext = { problems, rejects: null, keys: { people }, today };
  const validator = new TableValidator(spec, spec.file, header, 1, ctx);
  const lines: string[] = [];
  const out: CaptureProblem[] = [];
  rows.forEach((row, i) => {
    const fields = header.map((h) => row[h] ?? '');
    const before = problems.detail.length;
    const line = validator.validate(fields, i + 2, undefined, false);
    for (const p of problems.detail.slice(before)) {
      if (p.severity !== 'error') continue;
      const field = rows.length > 1 && (p.column === 'substance' || p.column === 'result') ? `results.${i}.${p.column}` : p.column || 'record';
      out.push({ field, message: p.message });
    }
    if (line !== null) lines.push(line);
    const date = row.date ?? '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(date) && date > today && !out.some((p) => p.field === 'date')) {
      out.push({ field: 'date', message: `date ${date} is in the future: record what has happened, up to today (${today})` });
    }
  });
  return { columns: validator.present.map((c) => c.name), lines, problems: out };
}

/**
 * Stores a captured record for the person (who must exist; the caller has checked access).
 * Throws CaptureInvalid with every problem when it does not validate; nothing is stored.
 */
export async function captureRecord(
  db: Db,
  personId: string,
  capture: Capture,
  who: { username: string; userId: number | null },
  today: string,
): Promise<{ table: CaptureTable; recordId: string }> {
  const table = TABLE_OF[capture.kind];
  if (capture.kind === 'drug_test' && capture.results.length === 0) {
    throw new CaptureInvalid([{ field: 'results', message: 'Add at least one substance result' }]);
  }
  const people = await db.query<{ local_authority: string | null }>(
    'SELECT s.local_authority FROM people p JOIN services s ON s.service_id = p.service_id WHERE p.person_id = $1',
    [personId],
  );
  const person = people[0];
  if (!person) throw new CaptureInvalid([{ field: 'person_id', message: `person_id ${personId} is not in the database` }]);
  const recordId = newCaptureId(table);
  const { columns, lines, problems } = validateCaptureRows(table, rowsOf(capture, personId, recordId, person.local_authority), personId, today);
  if (problems.length > 0) throw new CaptureInvalid(problems);
  await db.transaction(async (tx) => {
    await tx.copyFrom(table, columns, `${lines.join('\n')}\n`);
    await tx.query('INSERT INTO captured_records (table_name, record_id, person_id, captured_by, user_id) VALUES ($1, $2, $3, $4, $5)', [
      table,
      recordId,
      personId,
      who.username,
      who.userId,
    ]);
  });
  return { table, recordId };
}

export async function capturedFor(db: Queryable, personId: string): Promise<CapturedRecord[]> {
  return db.query<CapturedRecord>('SELECT table_name, record_id, person_id, captured_at, captured_by FROM captured_records WHERE person_id = $1', [personId]);
}

export { ID_COLUMN as CAPTURE_ID_COLUMN };
