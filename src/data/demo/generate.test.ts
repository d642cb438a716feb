import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMatConfig, doseAdvisories } from '../../domain/mat';
import { COLUMNS, FILE_KEYS } from './csv';
import { DEMO_REFERENCE_DATE, DemoOptionsError, generateDemo, type DemoSummary } from './generate';
import { LOCAL_AUTHORITIES } from './geography';
import { histories, readDataset, validateDataset, type Table } from './verify';
import type { FileKey } from './csv';

let root = '';
let demo: DemoSummary;
let data: Record<FileKey, Table>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'beacon-demo-'));
  demo = await generateDemo({ outDir: join(root, 'demo') });
  data = await readDataset(join(root, 'demo'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const col = (key: FileKey, name: string): string[] => data[key].rows.map((r) => r[name] ?? '');
const countBy = (values: string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('generateDemo: the default demo dataset', () => {
  it('uses the documented defaults', () => {
    expect(demo.people).toBe(2000);
    expect(demo.months).toBe(24);
    expect(demo.seed).toBe(1);
    expect(DEMO_REFERENCE_DATE).toBe('2026-11-01');
    expect(demo.endDate).toBe('2026-10-31');
    expect(demo.startDate).toBe('2024-11-01');
  });

  it('writes every v1 file with its columns, and the summary counts its rows', () => {
    for (const key of FILE_KEYS) {
      expect(data[key].header).toEqual([...COLUMNS[key]]);
      expect(demo.files[key]).toBe(data[key].rows.length);
      expect(data[key].rows.length).toBeGreaterThan(0);
    }
    expect(demo.totalRows).toBe(FILE_KEYS.reduce((s, k) => s + demo.files[k], 0));
  });

  it('is valid against the dataset.md rules: codes, dates, ranges, unique ids, references', () => {
    expect(validateDataset(data)).toEqual([]);
  });

  it('places 7 services in three real North West authorities', () => {
    expect(demo.services).toBe(7);
    expect(demo.localAuthorities.map((la) => la.code)).toEqual(['E06000008', 'E06000009', 'E08000012']);
    expect(new Set(col('services', 'region'))).toEqual(new Set(['North West']));
    expect(new Set(col('services', 'local_authority')).size).toBe(3);
  });

  it('has plausible people: mostly male, ages skewed to the 40s, test-range NHS numbers, local postcodes', () => {
    const sex = countBy(col('people', 'sex'));
    expect((sex.get('M') ?? 0) / demo.people).toBeGreaterThan(0.64);
    expect((sex.get('M') ?? 0) / demo.people).toBeLessThan(0.76);
    const end = Date.parse(demo.endDate);
    const ages = col('people', 'date_of_birth').map((d) => (end - Date.parse(d)) / (365.25 * 864e5));
    const mean = ages.reduce((a, b) => a + b, 0) / ages.length;
    expect(mean).toBeGreaterThan(38);
    expect(mean).toBeLessThan(48);
    expect(ages.filter((a) => a >= 25 && a <= 65).length / ages.length).toBeGreaterThan(0.85);
    for (const n of col('people', 'nhs_number')) if (n !== '') expect(n.startsWith('999')).toBe(true);
    const laOfService = new Map(data.services.rows.map((r) => [r.service_id ?? '', r.local_authority ?? '']));
    const districts = new Map(LOCAL_AUTHORITIES.map((la) => [la.code, new Set(la.districts)]));
    for (const p of data.people.rows) {
      if (!p.postcode) continue;
      const la = laOfService.get(p.service_id ?? '') ?? '';
      expect(districts.get(la)?.has(p.postcode.split(' ')[0] ?? '')).toBe(true);
    }
  });

  it('prescribes realistically: medications, licensed strengths, safe titration, reduction plans', () => {
    const meds = countBy(col('prescriptions', 'medication'));
    for (const m of ['methadone', 'buprenorphine', 'buprenorphine_weekly_injection', 'buprenorphine_monthly_injection']) {
      expect(meds.get(m) ?? 0).toBeGreaterThan(0);
    }
    expect(meds.get('methadone') ?? 0).toBeGreaterThan((meds.get('buprenorphine') ?? 0) * 2);
    for (const r of data.prescriptions.rows) {
      const dose = Number(r.dose_mg);
      if (r.medication === 'buprenorphine') expect(dose).toBeLessThanOrEqual(32);
      if (r.medication === 'buprenorphine_weekly_injection') expect([8, 16, 24, 32]).toContain(dose);
      if (r.medication === 'buprenorphine_monthly_injection') expect([64, 96, 128, 160]).toContain(dose);
      if (r.reduction_plan === 'Y') expect(r.planned_end_date).not.toBe('');
    }
    expect(data.prescriptions.rows.some((r) => r.medication === 'methadone' && Number(r.dose_mg) >= 120)).toBe(true);
    // Titration follows the guidance: the only advisories are high-dose reviews (by design).
    const codes = new Set<string>();
    for (const h of histories(data).values()) for (const a of doseAdvisories(h.prescriptions, defaultMatConfig)) codes.add(a.code);
    expect([...codes].filter((c) => c !== 'methadone_high_dose')).toEqual([]);
    // Both ≤ 3-month detoxes and slow reductions, each planned to reach 0 mg.
    const plans = new Map<string, { start: string; end: string }>();
    for (const r of data.prescriptions.rows) {
      if (r.reduction_plan !== 'Y') continue;
      const key = `${r.person_id}|${r.planned_end_date}`;
      const p = plans.get(key);
      if (!p || (r.start_date ?? '') < p.start) plans.set(key, { start: r.start_date ?? '', end: r.planned_end_date ?? '' });
    }
    const days = [...plans.values()].map((p) => (Date.parse(p.end) - Date.parse(p.start)) / 864e5);
    expect(days.some((d) => d <= 90)).toBe(true);
    expect(days.some((d) => d > 93)).toBe(true);
  });

  it('has episodes with every exit reason and people re-presenting', () => {
    const reasons = new Set(col('episodes', 'exit_reason'));
    for (const r of ['planned', 'unplanned', 'transferred', 'prison', 'died']) expect(reasons.has(r)).toBe(true);
    expect(data.episodes.rows.length).toBeGreaterThan(demo.people);
  });

  it('has TOPs of every stage and drug tests with several substance rows', () => {
    expect(new Set(col('top', 'stage'))).toEqual(new Set(['start', 'review', 'exit', 'post_exit']));
    const perTest = countBy(col('drug_tests', 'test_id'));
    expect([...perTest.values()].some((n) => n >= 3)).toBe(true);
    expect(new Set(col('drug_tests', 'sample')).size).toBeGreaterThanOrEqual(3);
    expect(data.drug_tests.rows.some((r) => r.substance === 'nitazene' && r.result === 'positive')).toBe(true);
  });

  it('has risk events, naloxone supplies and SC reviews of every kind', () => {
    const types = new Set(col('risk_events', 'type'));
    for (const t of ['non_fatal_overdose', 'prison_release', 'hospital_discharge', 'respiratory_disease']) expect(types.has(t)).toBe(true);
    const recipients = new Set(col('naloxone', 'recipient'));
    for (const r of ['service_user', 'family', 'organisation']) expect(recipients.has(r)).toBe(true);
    expect(data.naloxone.rows.some((r) => r.person_id === '')).toBe(true);
    expect(new Set(col('sc_reviews', 'decision'))).toEqual(new Set(['supervised', 'daily_pickup', 'relaxed']));
    expect(col('sc_reviews', 'regular_on_top')).toContain('Y');
  });

  it('has LDIS reports with a nitazene cluster, duplicate reports and drills', () => {
    const { localAuthority, from, to } = demo.nitazeneCluster;
    const inCluster = data.incidents.rows.filter(
      (r) => r.local_authority === localAuthority && (r.event_date ?? '') >= from && (r.event_date ?? '') <= to && r.synthetic_opioid_suspected === 'Y' && r.exercise === 'N',
    );
    expect(inCluster.length).toBeGreaterThanOrEqual(15);
    expect(inCluster.some((r) => r.tox_nitazene_present === 'Y')).toBe(true);
    expect(inCluster.some((r) => r.event_type === 'death')).toBe(true);
    expect(inCluster.some((r) => r.event_type === 'drug_check_result' && (r.substances ?? '').includes('nitazene'))).toBe(true);
    // Outside the cluster, synthetic opioids are rarely suspected.
    const outside = data.incidents.rows.filter((r) => !inCluster.includes(r) && r.exercise === 'N');
    expect(outside.filter((r) => r.synthetic_opioid_suspected === 'Y').length / outside.length).toBeLessThan(0.05);
    // The same event from two partners: same date, age, sex and area, different source.
    const groups = new Map<string, Set<string>>();
    for (const r of data.incidents.rows) {
      if (!r.age) continue;
      const key = `${r.event_date}|${r.age}|${r.sex}|${r.local_authority}`;
      const g = groups.get(key) ?? new Set<string>();
      g.add(r.source ?? '');
      groups.set(key, g);
    }
    expect([...groups.values()].filter((g) => g.size >= 2).length).toBeGreaterThanOrEqual(10);
    expect(col('incidents', 'exercise')).toContain('Y');
    expect(new Set(col('incidents', 'source')).size).toBeGreaterThanOrEqual(8);
    expect(col('incidents', 'received_at').every((t) => t.slice(0, 10) <= demo.endDate)).toBe(true);
  });

  it('puts about 42% of people in MAT on the last month end (140,000 of 330,000 nationally)', () => {
    expect(demo.inMatAtEnd / demo.people).toBeGreaterThan(0.38);
    expect(demo.inMatAtEnd / demo.people).toBeLessThan(0.47);
  });
});

describe('generateDemo: determinism and options', () => {
  const files = async (dir: string): Promise<string[]> => Promise.all(FILE_KEYS.map((k) => readFile(join(dir, `${k}.csv`), 'utf8')));

  it('writes byte-identical files for the same seed, different ones for another seed', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    await generateDemo({ people: 300, months: 12, seed: 7, outDir: a });
    await generateDemo({ people: 300, months: 12, seed: 7, outDir: b });
    await generateDemo({ people: 300, months: 12, seed: 8, outDir: c });
    const [fa, fb, fc] = await Promise.all([files(a), files(b), files(c)]);
    expect(fb).toEqual(fa);
    expect(fc[FILE_KEYS.indexOf('people')]).not.toEqual(fa?.[FILE_KEYS.indexOf('people')]);
  });

  it("makes a person's records depend only on the seed and their index", async () => {
    const small = join(root, 'small');
    const big = join(root, 'big');
    await generateDemo({ people: 150, months: 6, seed: 3, outDir: small });
    await generateDemo({ people: 400, months: 6, seed: 3, outDir: big });
    const s = (await readFile(join(small, 'prescriptions.csv'), 'utf8')).split('\n').filter(Boolean);
    const b = (await readFile(join(big, 'prescriptions.csv'), 'utf8')).split('\n').filter(Boolean);
    expect(b.slice(0, s.length)).toEqual(s);
  });

  it('takes the end date from `today`, validates options and reports progress', async () => {
    const progress: [number, number][] = [];
    const out = join(root, 'opts');
    const summary = await generateDemo({ people: 50, months: 3, today: '2025-03-15', outDir: out, onProgress: (d, t) => progress.push([d, t]) });
    expect(summary.endDate).toBe('2025-02-28');
    expect(summary.startDate).toBe('2024-12-01');
    expect(progress.at(-1)).toEqual([50, 50]);
    expect(validateDataset(await readDataset(out))).toEqual([]);
    await expect(generateDemo({ endDate: '2025-02-30', outDir: out })).rejects.toThrow(DemoOptionsError);
    await expect(generateDemo({ people: 0, outDir: out })).rejects.toThrow(DemoOptionsError);
    await expect(generateDemo({ months: 1.5, outDir: out })).rejects.toThrow(DemoOptionsError);
  });

  it('stays valid for a short window ending mid-month', async () => {
    const out = join(root, 'mid');
    const summary = await generateDemo({ people: 200, months: 1, endDate: '2025-06-17', seed: 99, outDir: out });
    expect(summary.endDate).toBe('2025-06-17');
    expect(validateDataset(await readDataset(out))).toEqual([]);
  });
});
