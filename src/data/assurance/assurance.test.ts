import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARM_REDUCTION_SELF_AUDIT, ragCounts, templateItems } from '../../domain/assurance';
import { loadDemo } from '../../server/demo';
import { createTestDb, TEST_DB_KINDS, type TestDb } from '../../testing/db';
import { matReport } from '../mat/report';
import { riskReport } from '../risk/report';
import {
  AssuranceError,
  addAction,
  auditPdf,
  auditXlsx,
  completeAudit,
  createAudit,
  createTemplate,
  getAudit,
  getPlan,
  listAudits,
  needsReport,
  planPdf,
  repeatAudit,
  savePlan,
  startTrialRun,
  updateItem,
} from '.';

/** The text of a PDF made by pdfkit with standard fonts: inflate each stream, read the hex strings of TJ operators. */
export function pdfText(buf: Buffer): string {
  const src = buf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const start = m.index + m[0].length;
    const end = src.indexOf('endstream', start);
    if (end < 0) break;
    let body: string;
    try {
      body = inflateSync(Buffer.from(src.slice(start, end), 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const line of body.split('\n')) {
      if (!/T[Jj]\s*$/.test(line)) continue;
      const parts = [...line.matchAll(/<([0-9a-fA-F]*)>|(-?\d+(?:\.\d+)?)/g)];
      let text = '';
      for (const p of parts) {
        if (p[1] !== undefined) text += Buffer.from(p[1], 'hex').toString('latin1');
        else if (Number(p[2]) < -200) text += ' ';
      }
      out.push(text);
    }
  }
  return out.join('').replace(/\s+/g, ' ');
}

describe.each(TEST_DB_KINDS)('assurance data on %s', (kind) => {
  let t: TestDb;
  let endDate: string;
  beforeAll(async () => {
    t = await createTestDb(kind);
    const { state } = await loadDemo(t.db, { people: 150, months: 15, seed: 11, today: '2024-07-15' });
    endDate = state.endDate;
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('seeds the demo: two completed rounds of the harm-reduction audit and a plan in two versions', async () => {
    const audits = await listAudits(t.db);
    expect(audits.map((a) => [a.round, a.status, a.as_of])).toEqual([
      [2, 'completed', endDate],
      [1, 'completed', '2023-06-30'],
    ]);
    expect(audits[1]!.counts).toEqual(ragCounts(templateItems(HARM_REDUCTION_SELF_AUDIT).map((i) => i.seedRating ?? null)));
    expect(audits[1]!.counts.not_rated).toBe(0);
    const plan = await getPlan(t.db);
    expect(plan?.version).toBe(2);
    expect(plan?.versions[0]?.changes.some((c) => c.path === 'coordinator.name')).toBe(true);
    expect(plan?.trial_runs[0]?.report_ids).toHaveLength(3);
  });

  it('shows live measures equal to the MAT tracker and the risk report (one definition)', async () => {
    const id = await createAudit(t.db, { template_id: HARM_REDUCTION_SELF_AUDIT.id, title: 'Live', month: endDate.slice(0, 7) }, 'manager');
    const a = await getAudit(t.db, id);
    const item = a!.sections[0]!.items[2]!; // 1.3: naloxone_high_risk, mat_uncategorised
    expect(item.measures_live).toBe(true);
    const mat = await matReport(t.db, { month: endDate.slice(0, 7), trackerMonths: 1, people: false });
    const risk = await riskReport(t.db, { date: endDate });
    const byKey = Object.fromEntries(item.measures.map((m) => [m.key, m]));
    expect(byKey.mat_uncategorised?.value).toBe(mat.organisation.pct.uncategorised);
    expect(byKey.mat_uncategorised?.numerator).toBe(mat.organisation.stages.uncategorised);
    expect(byKey.naloxone_high_risk?.value).toBe(risk.organisation.naloxone_coverage.high.pct);
    expect(byKey.naloxone_high_risk?.denominator).toBe(risk.organisation.naloxone_coverage.high.people);
    expect(mat.organisation.in_mat).toBeGreaterThan(0);
  });

  it('rates an item, adds an action, completes and repeats; the next round shows what changed', async () => {
    const id = await createAudit(t.db, { template_id: HARM_REDUCTION_SELF_AUDIT.id, title: 'Round test', month: '2024-01' }, 'manager');
    await updateItem(t.db, id, 'hr-1.1', { rating: 'red', comments: 'No strategy' }, 'manager');
    await addAction(t.db, id, 'hr-1.1', { text: 'Write it', owner: 'JCM', due: '2024-03-31' }, 'manager');
    await expect(updateItem(t.db, id, 'hr-1.1', { rating: 'purple' }, 'manager')).rejects.toBeInstanceOf(AssuranceError);
    await expect(updateItem(t.db, id, 'nope', { rating: 'red' }, 'manager')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(addAction(t.db, id, 'hr-1.1', { text: 'x', due: '2024-02-30' }, 'manager')).rejects.toMatchObject({ kind: 'invalid' });
    await completeAudit(t.db, id, 'manager');
    await expect(updateItem(t.db, id, 'hr-1.1', { rating: 'green' }, 'manager')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(repeatAudit(t.db, id, { month: '2023-12' }, 'manager')).rejects.toMatchObject({ kind: 'invalid' });
    const next = await repeatAudit(t.db, id, { month: '2024-04' }, 'manager');
    await updateItem(t.db, next, 'hr-1.1', { rating: 'amber' }, 'manager');
    await updateItem(t.db, next, 'hr-1.2', { rating: 'green' }, 'manager');
    const a = (await getAudit(t.db, next))!;
    expect(a.round).toBe(2);
    expect(a.previous?.id).toBe(id);
    expect(a.changes).toMatchObject({ improved: 1, newly_rated: 1 });
    const item = a.sections[0]!.items[0]!;
    expect(item.change?.rating).toEqual({ before: 'red', after: 'amber', change: 'improved' });
    expect(item.actions.map((x) => x.text)).toEqual(['Write it']);
    const frozen = (await getAudit(t.db, id))!;
    expect(frozen.sections[0]!.items[2]!.measures_live).toBe(false);
    expect(frozen.sections[0]!.items[2]!.measures.map((m) => m.key)).toEqual(['naloxone_high_risk', 'mat_uncategorised']);
  });

  it('exports an audit as XLSX and PDF that read back', async () => {
    const a = (await getAudit(t.db, (await listAudits(t.db)).find((x) => x.round === 2 && x.title === 'Harm reduction self-audit')!.id))!;
    const wb = new ExcelJS.Workbook();
    // exceljs types its Buffer without the ArrayBuffer parameter: hand it an ArrayBuffer.
    const buf = await auditXlsx(a);
    await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    const ws = wb.getWorksheet('Self-audit')!;
    const rows: string[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    const items = rows.slice(5);
    expect(items).toHaveLength(templateItems(HARM_REDUCTION_SELF_AUDIT).length);
    expect(items[0]!.slice(0, 5)).toEqual(['Strategic management', HARM_REDUCTION_SELF_AUDIT.sections[0]!.items[0]!.text, 'DAAT Coordinator and Joint Commissioning Manager (JCM)', 'Amber', 'Improved']);
    const text = pdfText(await auditPdf(a));
    expect(text).toContain('Harm reduction self-audit');
    expect(text).toContain('Strategic management');
    expect(text).toContain('Workforce');
    expect(text).toContain('Not in place or not at standard required');
  });

  it('versions the plan, refuses a stale save, exports it, and starts a drill of exercise reports', async () => {
    const plan = (await getPlan(t.db))!;
    await expect(savePlan(t.db, { content: plan.content, base_version: plan.version - 1 }, 'ldis')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(savePlan(t.db, { content: plan.content, base_version: plan.version }, 'ldis')).rejects.toMatchObject({ kind: 'invalid' });
    await expect(savePlan(t.db, { content: { ...plan.content, invitees: [999999] }, base_version: plan.version }, 'ldis')).rejects.toMatchObject({ kind: 'invalid' });
    const v = await savePlan(t.db, { content: { ...plan.content, chair: { ...plan.content.chair, name: 'New Chair' } }, note: 'new chair', base_version: plan.version }, 'pin');
    const after = (await getPlan(t.db))!;
    expect(after.version).toBe(v);
    expect(after.versions[0]).toMatchObject({ changed_by: 'pin', note: 'new chair', changes: [{ path: 'chair.name', kind: 'changed', after: 'New Chair' }] });
    const text = pdfText(await planPdf(after));
    expect(text).toContain('New Chair');
    expect(text).toContain('Harm Reduction and Treatment services');
    const run = await startTrialRun(t.db, { scenario: 'drill', local_authority: 'E08000025', reports: 2 }, 'ldis');
    const rows = await t.db.query<{ exercise: boolean }>('SELECT exercise FROM incidents WHERE report_id = ANY($1::text[])', [run.report_ids]);
    expect(rows.map((r) => r.exercise)).toEqual([true, true]);
  });

  it('computes the needs assessment with comparators and disclosure control', async () => {
    const r = await needsReport(t.db, endDate);
    expect(r.penetration?.estimate).toBe(1450);
    const keys = r.figures.map((f) => f.key);
    expect(keys).toEqual(['penetration', 'successful_exits', 'employment', 'housing']);
    const exits = r.figures[1]!;
    expect(exits.national?.value).toBe(34);
    expect(exits.regional?.value).toBe(29);
    for (const f of r.figures) {
      for (const y of f.years) {
        const n = y.shared.numerator;
        if (y.rate.numerator >= 1 && y.rate.numerator <= 7) expect(n.value).toBeNull();
        else if (n.value !== null && n.value !== 0) expect(n.value % 5).toBe(0);
      }
    }
  });

  it('creates a user template from an outline and refuses an empty one', async () => {
    const tpl = await createTemplate(t.db, { name: 'Local checks', outline: '# Naloxone\nPeer supply | Harm reduction service' }, 'pin');
    expect(tpl.sections[0]!.items[0]!.lead).toBe('Harm reduction service');
    await expect(createTemplate(t.db, { name: '', outline: '' }, 'pin')).rejects.toMatchObject({ kind: 'invalid' });
  });
});
