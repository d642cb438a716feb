/**
 * Checks on a generated dataset, for the tests beside this file and for tuning the
 * generator: a small CSV reader, a validator of the dataset.md rules (codes, dates,
 * ranges, unique ids, references), and the MAT picture on given dates computed with the
 * MAT domain rules (src/domain/mat).
 *
 * The validator is deliberately independent of the import code: it states the format
 * from dataset.md so a generator bug and an importer bug cannot hide each other.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  classifyDates,
  TrackerAccumulator,
  type DrugTestRow,
  type Medication,
  type MatClassification,
  type PersonHistory,
  type PrescriptionSegment,
  type Substance,
  type Top,
  type TrackerSummary,
} from '../../domain/mat';
import { FILE_KEYS, type FileKey } from './csv';
import { parseIsoDay } from './days';
import { isValidNhsNumber } from './nhs';

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/** Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (quoted) {
      if (ch === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += text[i];
      i++;
      continue;
    }
    if (ch === 34 && field.length === 0) {
      quoted = true;
      i++;
    } else if (ch === 44) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === 10 || ch === 13) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      const next = text.indexOf(',', i);
      const nl = text.indexOf('\n', i);
      let stop = n;
      if (next >= 0) stop = next;
      if (nl >= 0 && nl < stop) stop = nl;
      const cr = text.indexOf('\r', i);
      if (cr >= 0 && cr < stop) stop = cr;
      field += text.slice(i, stop);
      i = stop;
    }
  }
  if (field.length > 0 || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A file as records keyed by column name. */
export interface Table {
  header: string[];
  rows: Record<string, string>[];
}

export async function readTable(dir: string, key: FileKey): Promise<Table> {
  const text = await readFile(join(dir, `${key}.csv`), 'utf8');
  const [header = [], ...data] = parseCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const rows = data.map((cells) => {
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      record[name] = cells[i] ?? '';
    });
    if (cells.length !== header.length) record.__width = String(cells.length);
    return record;
  });
  return { header, rows };
}

export async function readDataset(dir: string): Promise<Record<FileKey, Table>> {
  const out = {} as Record<FileKey, Table>;
  for (const key of FILE_KEYS) out[key] = await readTable(dir, key);
  return out;
}

// ---------------------------------------------------------------------------------------
// Format rules (dataset.md)
// ---------------------------------------------------------------------------------------

export interface Problem {
  file: FileKey;
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column: string;
  value: string;
  expected: string;
}

type Rule = (v: string) => boolean;
const date: Rule = (v) => parseIsoDay(v) !== null;
const yesNo: Rule = (v) => v === 'Y' || v === 'N';
const oneOf = (...codes: string[]): Rule => {
  const set = new Set(codes);
  return (v) => set.has(v);
};
const intIn = (lo: number, hi: number): Rule => (v) => /^-?\d+$/.test(v) && Number(v) >= lo && Number(v) <= hi;
const nonNegative: Rule = (v) => /^\d+(\.\d+)?$/.test(v);
const text: Rule = () => true;
const laCode: Rule = (v) => /^E0[6-9]\d{6}$/.test(v);
const postcode: Rule = (v) => /^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$/.test(v);
const timestamp: Rule = (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && date(v.slice(0, 10));

const MEDICATION_CODES = ['methadone', 'buprenorphine', 'buprenorphine_weekly_injection', 'buprenorphine_monthly_injection', 'diamorphine', 'morphine_sr', 'other'];
const SUBSTANCE_CODES = [
  'heroin_6mam', 'morphine', 'codeine', 'methadone', 'buprenorphine', 'fentanyl', 'nitazene', 'oxycodone', 'tramadol',
  'benzodiazepine', 'gabapentinoid', 'cocaine', 'amphetamine', 'cannabis', 'alcohol', 'xylazine', 'other',
];
const days = intIn(0, 28);
const score = intIn(0, 20);

/** Per file: required columns and each column's rule (empty cells are "unknown" unless required). */
const RULES: Record<FileKey, { required: string[]; rules: Record<string, Rule> }> = {
  services: {
    required: ['service_id', 'name'],
    rules: { service_id: text, name: text, organisation: text, local_authority: laCode, region: text },
  },
  people: {
    required: ['person_id', 'service_id', 'date_of_birth', 'sex'],
    rules: {
      person_id: text, service_id: text, date_of_birth: date, sex: oneOf('M', 'F', 'X', 'U'), nhs_number: isValidNhsNumber,
      postcode, injecting_status: oneOf('C', 'P', 'N', 'Z'), housing: oneOf('settled', 'unsettled', 'nfa', 'street', 'hmo'),
      lives_alone: yesNo, consent: yesNo,
    },
  },
  episodes: {
    required: ['episode_id', 'person_id', 'start_date'],
    rules: { episode_id: text, person_id: text, start_date: date, end_date: date, exit_reason: oneOf('planned', 'unplanned', 'transferred', 'prison', 'died', 'other') },
  },
  prescriptions: {
    required: ['prescription_id', 'person_id', 'medication', 'dose_mg', 'start_date'],
    rules: {
      prescription_id: text, person_id: text, medication: oneOf(...MEDICATION_CODES), dose_mg: nonNegative, start_date: date, end_date: date,
      supervised: yesNo, pickup: oneOf('daily', 'twice_weekly', 'weekly', 'fortnightly'), reduction_plan: yesNo, planned_end_date: date, prescriber: text,
    },
  },
  top: {
    required: ['top_id', 'person_id', 'date'],
    rules: {
      top_id: text, person_id: text, date, stage: oneOf('start', 'review', 'exit', 'post_exit'), opiate_days: days, crack_days: days, cocaine_days: days,
      amphetamine_days: days, cannabis_days: days, other_days: days, alcohol_days: days, alcohol_units: nonNegative, tobacco_per_day: nonNegative,
      injecting_days: days, sharing: yesNo, shoplifting_days: days, selling_days: days, theft: yesNo, assault: yesNo, psych_health: score,
      phys_health: score, quality_of_life: score, paid_work_days: days, education_days: days, acute_housing: yesNo, eviction_risk: yesNo,
    },
  },
  drug_tests: {
    required: ['test_id', 'person_id', 'date', 'substance', 'result'],
    rules: { test_id: text, person_id: text, date, substance: oneOf(...SUBSTANCE_CODES), result: oneOf('positive', 'negative'), sample: oneOf('urine', 'oral_fluid', 'blood', 'hair') },
  },
  risk_events: {
    required: ['event_id', 'person_id', 'date', 'type'],
    rules: {
      event_id: text, person_id: text, date,
      type: oneOf('non_fatal_overdose', 'prison_release', 'hospital_discharge', 'rehab_discharge', 'suicidal_ideation', 'self_harm', 'respiratory_disease', 'mental_health_crisis', 'bereavement', 'other'),
      detail: text,
    },
  },
  naloxone: {
    required: ['supply_id', 'date', 'product'],
    rules: {
      supply_id: text, date, product: oneOf('nasal', 'intramuscular'), person_id: text,
      recipient: oneOf('service_user', 'family', 'friend', 'professional', 'organisation'),
      reason: oneOf('new', 'replacement_used', 'replacement_lost', 'replacement_expired'), local_authority: laCode,
    },
  },
  sc_reviews: {
    required: ['review_id', 'person_id', 'date', 'decision'],
    rules: {
      review_id: text, person_id: text, date, decision: oneOf('supervised', 'daily_pickup', 'relaxed'), diverted: yesNo, vulnerable: yesNo,
      regular_on_top: yesNo, other_risk: yesNo, rationale: text, next_review_date: date,
    },
  },
  incidents: {
    required: ['report_id', 'received_at', 'source', 'event_date', 'event_type', 'local_authority'],
    rules: {
      report_id: text, received_at: timestamp,
      source: oneOf('police', 'coroner', 'ambulance', 'emergency_department', 'treatment', 'hostel', 'outreach', 'prison', 'drug_checking', 'pharmacy', 'community', 'other'),
      event_date: date,
      event_type: oneOf('death', 'non_fatal_overdose', 'ae_attendance', 'ambulance_callout', 'naloxone_administration', 'drug_check_result', 'seizure_test', 'prison_event', 'intelligence'),
      local_authority: laCode, age: intIn(0, 120), sex: oneOf('M', 'F', 'X', 'U'), postcode, hmo: yesNo, street_sleeping: yesNo, class_a_user: yesNo,
      in_treatment: yesNo, route: oneOf('injecting', 'oral_tablet', 'smoking', 'snorting', 'other'), naloxone_doses: intIn(0, 20),
      synthetic_opioid_suspected: yesNo, forensic_nitazene: yesNo, tox_tested_nitazene: yesNo, tox_nitazene_present: yesNo,
      tox_n_desethyl_isotonitazene: yesNo, substances: (v) => v.split(';').every((s) => SUBSTANCE_CODES.includes(s)),
      outcome: oneOf('died', 'hospital', 'treated_at_scene', 'no_treatment', 'unknown'), location_type: text, notes: text, exercise: yesNo,
    },
  },
};

/** The id columns that must be unique per file (drug tests: one row per test and substance). */
const KEYS: Record<FileKey, string[]> = {
  services: ['service_id'], people: ['person_id'], episodes: ['episode_id'], prescriptions: ['prescription_id'], top: ['top_id'],
  drug_tests: ['test_id', 'substance'], risk_events: ['event_id'], naloxone: ['supply_id'], sc_reviews: ['review_id'], incidents: ['report_id'],
};

/**
 * Every problem found in the dataset (empty = valid): required columns, every cell
 * against its rule, unique ids, end dates not before start dates, and references
 * (people → services, records → people). `limit` stops after that many problems.
 */
export function validateDataset(data: Record<FileKey, Table>, limit = 100): Problem[] {
  const problems: Problem[] = [];
  const add = (p: Problem): boolean => {
    problems.push(p);
    return problems.length >= limit;
  };
  const serviceIds = new Set(data.services.rows.map((r) => r.service_id));
  const personIds = new Set(data.people.rows.map((r) => r.person_id));
  for (const key of FILE_KEYS) {
    const { header, rows } = data[key];
    const spec = RULES[key];
    for (const col of spec.required) {
      if (!header.includes(col)) if (add({ file: key, line: 1, column: col, value: '', expected: 'required column' })) return problems;
    }
    for (const col of header) {
      if (!(col in spec.rules)) if (add({ file: key, line: 1, column: col, value: col, expected: 'a dataset.md column' })) return problems;
    }
    const seen = new Set<string>();
    const testOwner = new Map<string, string>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!row) continue;
      const line = i + 2;
      if (row.__width !== undefined) {
        if (add({ file: key, line, column: '', value: row.__width, expected: `${header.length} fields` })) return problems;
        continue;
      }
      for (const col of header) {
        const value = row[col] ?? '';
        if (value === '') {
          if (spec.required.includes(col)) if (add({ file: key, line, column: col, value, expected: 'a value' })) return problems;
          continue;
        }
        const rule = spec.rules[col];
        if (rule && !rule(value)) if (add({ file: key, line, column: col, value, expected: `valid ${col}` })) return problems;
      }
      const id = KEYS[key].map((c) => row[c] ?? '').join('|');
      if (seen.has(id)) if (add({ file: key, line, column: KEYS[key].join('+'), value: id, expected: 'a unique id' })) return problems;
      seen.add(id);
      // References.
      if (key === 'people' && !serviceIds.has(row.service_id ?? '')) {
        if (add({ file: key, line, column: 'service_id', value: row.service_id ?? '', expected: 'a service in services.csv' })) return problems;
      } else if (key !== 'services' && key !== 'people' && key !== 'incidents') {
        const pid = row.person_id ?? '';
        if ((pid !== '' || key !== 'naloxone') && !personIds.has(pid)) {
          if (add({ file: key, line, column: 'person_id', value: pid, expected: 'a person in people.csv' })) return problems;
        }
      }
      // Date order.
      const start = row.start_date ?? row.date ?? '';
      for (const endCol of ['end_date', 'next_review_date', 'planned_end_date']) {
        const end = row[endCol] ?? '';
        if (end !== '' && start !== '' && end < start) if (add({ file: key, line, column: endCol, value: end, expected: `on or after ${start}` })) return problems;
      }
      // A test's rows agree on person and date.
      if (key === 'drug_tests') {
        const owner = `${row.person_id}|${row.date}|${row.sample}`;
        const prev = testOwner.get(row.test_id ?? '');
        if (prev !== undefined && prev !== owner) if (add({ file: key, line, column: 'test_id', value: row.test_id ?? '', expected: 'the same person, date and sample on every row of a test' })) return problems;
        testOwner.set(row.test_id ?? '', owner);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// MAT picture with the domain rules
// ---------------------------------------------------------------------------------------

const bool = (v: string | undefined): boolean | null => (v === 'Y' ? true : v === 'N' ? false : null);
const num = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));

/** Histories of every person, with their service. */
export function histories(data: Record<FileKey, Table>): Map<string, PersonHistory & { service_id: string }> {
  const map = new Map<string, PersonHistory & { service_id: string }>();
  const prescriptions = new Map<string, PrescriptionSegment[]>();
  const tops = new Map<string, Top[]>();
  const tests = new Map<string, DrugTestRow[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const r of data.prescriptions.rows) {
    push(prescriptions, r.person_id ?? '', {
      prescription_id: r.prescription_id ?? '',
      medication: (r.medication ?? 'other') as Medication,
      dose_mg: num(r.dose_mg),
      start_date: r.start_date ?? '',
      end_date: r.end_date ? r.end_date : null,
      supervised: bool(r.supervised),
      pickup: (r.pickup || null) as PrescriptionSegment['pickup'],
      reduction_plan: bool(r.reduction_plan),
      planned_end_date: r.planned_end_date ? r.planned_end_date : null,
    });
  }
  for (const r of data.top.rows) push(tops, r.person_id ?? '', { top_id: r.top_id ?? '', date: r.date ?? '', opiate_days: num(r.opiate_days) });
  for (const r of data.drug_tests.rows) {
    push(tests, r.person_id ?? '', {
      test_id: r.test_id ?? '',
      date: r.date ?? '',
      substance: (r.substance ?? 'other') as Substance,
      result: r.result === 'positive' ? 'positive' : r.result === 'negative' ? 'negative' : null,
    });
  }
  for (const p of data.people.rows) {
    const id = p.person_id ?? '';
    map.set(id, { person_id: id, service_id: p.service_id ?? '', prescriptions: prescriptions.get(id) ?? [], tops: tops.get(id) ?? [], drug_tests: tests.get(id) ?? [] });
  }
  return map;
}

export interface MatPicture {
  date: string;
  tracker: TrackerSummary;
  /** % of everyone in MAT (0–100). */
  pct: { mat1: number; mat2: number; mat3: number; mat4: number; red: number; amber: number; green: number; grey: number; uncategorised: number };
  meanMethadone: { all: number | null; mat2: number | null; mat3: number | null };
  meanBuprenorphine: { mat2: number | null; mat3: number | null };
  /** % of people in MAT whose segment on the date is supervised. */
  supervisedPct: number;
  /** % of people in MAT on methadone at 120 mg or more. */
  methadoneOver120Pct: number;
}

/** The MAT tracker on each date (the domain classifier over every person). */
export function matPictures(data: Record<FileKey, Table>, dates: readonly string[]): MatPicture[] {
  const accs = dates.map(() => new TrackerAccumulator());
  const supervised = dates.map(() => 0);
  const over120 = dates.map(() => 0);
  for (const h of histories(data).values()) {
    if (h.prescriptions.length === 0) continue;
    const cs: MatClassification[] = classifyDates(h, dates);
    cs.forEach((c, i) => {
      if (!c.inMat) return;
      accs[i]?.add(c);
      if (c.supervised) supervised[i] = (supervised[i] ?? 0) + 1;
      if (c.medication === 'methadone' && (c.doseMg ?? 0) >= 120) over120[i] = (over120[i] ?? 0) + 1;
    });
  }
  return dates.map((d, i) => {
    const t = (accs[i] as TrackerAccumulator).summary();
    const p = (x: { pct: number | null }): number => x.pct ?? 0;
    const g = t.groups;
    return {
      date: d,
      tracker: t,
      pct: {
        mat1: p(g.mat1), mat2: p(t.mat2), mat3: p(t.mat3), mat4: p(g.mat4),
        red: p(g.red), amber: p(g.amber), green: p(g.green), grey: p(g.grey), uncategorised: p(g.uncategorised),
      },
      meanMethadone: { all: t.all.meanMethadoneMg, mat2: t.mat2.meanMethadoneMg, mat3: t.mat3.meanMethadoneMg },
      meanBuprenorphine: { mat2: t.mat2.meanBuprenorphineMg, mat3: t.mat3.meanBuprenorphineMg },
      supervisedPct: t.inMat > 0 ? ((supervised[i] ?? 0) / t.inMat) * 100 : 0,
      methadoneOver120Pct: t.inMat > 0 ? ((over120[i] ?? 0) / t.inMat) * 100 : 0,
    };
  });
}
