/**
 * The periodic report to the Professional Information Network (issue 7 item 3; domain.md
 * §3.5; seed 000 Appendix 3, LDIS row): the number and variety of submissions (by source
 * and type), trends, the current step and alarms, case-definition matches and data-flow
 * gaps. Monthly by default; weekly at Step 2 (with weekly requests for information) and
 * at Step 3 (with daily requests) — `REPORTING_RHYTHM`.
 *
 * Two bodies are built from the same facts: the panel's (exact counts) and the shared one
 * for the PIN and partners, where every count goes through disclosure control: the
 * submissions table with its margins by `protectTable` (primary and secondary
 * suppression, rounding), the case matches as a one-way table with its total, the trend
 * points one by one, and the data-flow table re-uses the published row totals of the
 * submissions table (so no figure is published twice under two protections).
 *
 * Pure: the caller reads the incidents, the steps and the alarms.
 */
import { protectCount } from '../disclosure/count';
import { DEFAULT_DISCLOSURE_POLICY, disclosureNote, type DisclosurePolicy } from '../disclosure/policy';
import { protectOneWay, protectSeries, protectTable, type PublishedTable } from '../disclosure/table';
import { REPORTING_RHYTHM } from '../ldis/appendix3';
import { CASE_LEVELS, type CaseLevel } from '../ldis/caseDefinition';
import { dayNumber, isoDate } from '../ldis/dates';
import type { IncidentEventType, IncidentSource, Step } from '../ldis/types';
import { longDate } from './content';

export type PinCadence = 'monthly' | 'weekly';
export type PinRequests = 'none' | 'weekly' | 'daily';

export const SOURCE_LABELS: Readonly<Record<IncidentSource, string>> = Object.freeze({
  police: 'Police',
  coroner: 'Coroner',
  ambulance: 'Ambulance',
  emergency_department: 'A&E',
  treatment: 'Treatment service',
  hostel: 'Hostel',
  outreach: 'Outreach',
  prison: 'Prison',
  drug_checking: 'Drug checking',
  pharmacy: 'Pharmacy',
  community: 'Community',
  other: 'Other',
});

export const EVENT_TYPE_LABELS: Readonly<Record<IncidentEventType, string>> = Object.freeze({
  death: 'Death',
  non_fatal_overdose: 'Non-fatal overdose',
  ae_attendance: 'A&E attendance',
  ambulance_callout: 'Ambulance call-out',
  naloxone_administration: 'Naloxone use',
  drug_check_result: 'Drug check',
  seizure_test: 'Seizure test',
  prison_event: 'Prison event',
  intelligence: 'Intelligence',
});

/** The report's rhythm at a step: monthly at Step 1, weekly at Steps 2 and 3. */
export function pinCadence(step: Step): { cadence: PinCadence; requests: PinRequests; summary: string } {
  const r = REPORTING_RHYTHM[step];
  return {
    cadence: r.pinReportEveryDays >= 28 ? 'monthly' : 'weekly',
    requests: r.requestForInformationEveryDays === null ? 'none' : r.requestForInformationEveryDays <= 1 ? 'daily' : 'weekly',
    summary: r.summary,
  };
}

/**
 * The period a report made on `asOf` covers: the last complete calendar month (monthly)
 * or the seven days up to the day before `asOf` (weekly). Inclusive ISO dates.
 */
export function pinPeriod(asOf: string, cadence: PinCadence): { start: string; end: string } {
  const d = dayNumber(asOf);
  if (d === null) throw new RangeError(`asOf is not an ISO date: ${JSON.stringify(asOf)}`);
  if (cadence === 'weekly') return { start: isoDate(d - 7), end: isoDate(d - 1) };
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  const first = Date.UTC(y, m - 2, 1);
  const last = Date.UTC(y, m - 1, 0);
  return { start: new Date(first).toISOString().slice(0, 10), end: new Date(last).toISOString().slice(0, 10) };
}

export interface PinIncident {
  source: IncidentSource;
  eventType: IncidentEventType;
  eventDate: string;
  /** ISO date (or timestamp) the LDIS received it. */
  receivedAt: string;
  level: CaseLevel | null;
  exercise: boolean;
  nitazenePositive: boolean;
}

export interface PinStep {
  area: string;
  areaName: string;
  step: Step;
  /** Where the step comes from: the early-warning step state, or a proposal from LDIS data. */
  basis: string;
  summary: string;
}

export interface PinAlarm {
  area: string;
  indicator: string;
  /** ISO date of the alarm's period. */
  date: string;
  description: string;
}

export interface PinReportInput {
  title: string;
  periodStart: string;
  periodEnd: string;
  steps: readonly PinStep[];
  alarms: readonly PinAlarm[];
  /** Incidents received from 12 weeks before the period to its end (exercises included; they are left out). */
  incidents: readonly PinIncident[];
  /** Weeks of trend before the period end (default 12). */
  trendWeeks?: number;
}

export interface ReportTable {
  id: string;
  caption: string;
  columns: string[];
  rows: Array<{ label: string; cells: string[] }>;
  /** A totals row, when the table has one. */
  total?: { label: string; cells: string[] };
  note?: string;
}

export interface ReportSeries {
  id: string;
  caption: string;
  labels: string[];
  series: Array<{ name: string; values: Array<number | null>; displays: string[] }>;
  note?: string;
}

export interface PinReportBody {
  tier: 'panel' | 'partners' | 'public';
  title: string;
  period: { start: string; end: string };
  cadence: PinCadence;
  summary: string[];
  tables: ReportTable[];
  trend: ReportSeries;
  notes: string[];
}

function receivedDay(r: PinIncident): number {
  return dayNumber(r.receivedAt.slice(0, 10)) ?? Number.NaN;
}

function publishedRows(t: PublishedTable, rowLabels: string[], columns: string[]): Pick<ReportTable, 'columns' | 'rows' | 'total'> {
  return {
    columns: [...columns, 'Total'],
    rows: t.cells.map((row, i) => ({ label: rowLabels[i] ?? '', cells: [...row.map((c) => c.display), t.rowTotals?.[i]?.display ?? ''] })),
    total: { label: 'Total', cells: [...(t.columnTotals ?? []).map((c) => c.display), t.grandTotal?.display ?? ''] },
  };
}

/** Build the panel and the shared body of a PIN report. */
export function buildPinReport(
  input: PinReportInput,
  options: { policy?: DisclosurePolicy; cadence?: PinCadence } = {},
): { panel: PinReportBody; partners: PinReportBody } {
  const policy = options.policy ?? DEFAULT_DISCLOSURE_POLICY;
  const start = dayNumber(input.periodStart);
  const end = dayNumber(input.periodEnd);
  if (start === null || end === null || end < start) throw new RangeError('the period must be two ISO dates, start ≤ end');
  const topStep = input.steps.reduce<Step>((m, s) => (s.step > m ? s.step : m), 1);
  const cadence = options.cadence ?? pinCadence(topStep).cadence;
  const real = input.incidents.filter((r) => !r.exercise);
  const drills = input.incidents.filter((r) => r.exercise && receivedDay(r) >= start && receivedDay(r) <= end).length;
  const inPeriod = real.filter((r) => receivedDay(r) >= start && receivedDay(r) <= end);
  const periodText = `${longDate(input.periodStart)} to ${longDate(input.periodEnd)}`;

  // Submissions by source × type (sources and types seen in the period).
  const sources = [...new Set(inPeriod.map((r) => r.source))].sort();
  const types = [...new Set(inPeriod.map((r) => r.eventType))].sort();
  const cells = sources.map((s) => types.map((t) => inPeriod.filter((r) => r.source === s && r.eventType === t).length));
  const sourceLabels = sources.map((s) => SOURCE_LABELS[s]);
  const typeLabels = types.map((t) => EVENT_TYPE_LABELS[t]);
  const subCaption = `Submissions received ${periodText}, by source and type`;
  let subPanel: ReportTable;
  let subShared: ReportTable;
  let sharedRowTotal: (source: IncidentSource) => string;
  if (sources.length === 0) {
    subPanel = { id: 'submissions', caption: subCaption, columns: ['Total'], rows: [], total: { label: 'Total', cells: ['0'] } };
    subShared = subPanel;
    sharedRowTotal = () => '0';
  } else {
    const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
    const colTotals = types.map((_, j) => cells.reduce((a, r) => a + (r[j] ?? 0), 0));
    subPanel = {
      id: 'submissions',
      caption: subCaption,
      columns: [...typeLabels, 'Total'],
      rows: cells.map((r, i) => ({ label: sourceLabels[i] ?? '', cells: [...r.map(String), String(rowTotals[i] ?? 0)] })),
      total: { label: 'Total', cells: [...colTotals.map(String), String(inPeriod.length)] },
    };
    const published = protectTable({ cells, rowLabels: sourceLabels, columnLabels: typeLabels, margins: 'both' }, policy);
    subShared = { id: 'submissions', caption: subCaption, ...publishedRows(published, sourceLabels, typeLabels), note: published.note };
    sharedRowTotal = (s) => published.rowTotals?.[sources.indexOf(s)]?.display ?? policy.symbol;
  }

  // Case-definition matches in the period, by level (events dated in the period).
  const matches = real.filter((r) => r.level !== null && (dayNumber(r.eventDate) ?? -1) >= start && (dayNumber(r.eventDate) ?? -1) <= end);
  const byLevel = CASE_LEVELS.map((l) => ({ label: l.charAt(0).toUpperCase() + l.slice(1), count: matches.filter((r) => r.level === l).length }));
  const matchCaption = `Reports meeting the case definition, events ${periodText}, by level`;
  const matchPanel: ReportTable = {
    id: 'case-matches',
    caption: matchCaption,
    columns: ['Reports'],
    rows: byLevel.map((e) => ({ label: e.label, cells: [String(e.count)] })),
    total: { label: 'Total', cells: [String(matches.length)] },
  };
  const oneWay = protectOneWay(byLevel, policy);
  const matchShared: ReportTable = {
    id: 'case-matches',
    caption: matchCaption,
    columns: ['Reports'],
    rows: oneWay.entries.map((e) => ({ label: e.label, cells: [e.cell.display] })),
    total: { label: 'Total', cells: [oneWay.total.display] },
    note: oneWay.note,
  };

  // Steps and alarms (no counts).
  const steps: ReportTable = {
    id: 'steps',
    caption: 'Current step of each area in the stepped approach',
    columns: ['Step', 'Basis', 'Summary'],
    rows: input.steps.map((s) => ({ label: s.areaName, cells: [`Step ${s.step}`, s.basis, s.summary] })),
  };
  const alarms: ReportTable = {
    id: 'alarms',
    caption: 'Alarms and triggers in the period',
    columns: ['Indicator', 'Date', 'What'],
    rows: input.alarms.map((a) => ({ label: a.area, cells: [a.indicator, longDate(a.date), a.description] })),
  };

  // Data-flow gaps: each source seen in the 12 weeks before the period or in it.
  const lookbackStart = start - 84;
  const before = real.filter((r) => receivedDay(r) >= lookbackStart && receivedDay(r) < start);
  const gapSources = [...new Set([...before, ...inPeriod].map((r) => r.source))].sort();
  const periodDays = end - start + 1;
  const gapRows = gapSources.map((s) => {
    const last = real.filter((r) => r.source === s && receivedDay(r) <= end).reduce((m, r) => Math.max(m, receivedDay(r)), -Infinity);
    const now = inPeriod.filter((r) => r.source === s).length;
    const usual = (before.filter((r) => r.source === s).length * periodDays) / 84;
    const status = now === 0 ? 'No reports in this period' : now < usual / 2 ? 'Fewer reports than usual' : 'Reporting as usual';
    return { s, last: Number.isFinite(last) ? longDate(isoDate(last)) : '—', now, status };
  });
  const gapCaption = 'Data flow from each partner source (sources that reported in the 12 weeks before the period or during it)';
  const gapsPanel: ReportTable = {
    id: 'gaps',
    caption: gapCaption,
    columns: ['Reports in period', 'Last report received', 'Status'],
    rows: gapRows.map((g) => ({ label: SOURCE_LABELS[g.s], cells: [String(g.now), g.last, g.status] })),
  };
  const gapsShared: ReportTable = {
    ...gapsPanel,
    rows: gapRows.map((g) => ({ label: SOURCE_LABELS[g.s], cells: [g.now === 0 ? '0' : sharedRowTotal(g.s), g.last, g.status] })),
  };

  // Weekly trend to the period end.
  const weeks = input.trendWeeks ?? 12;
  const labels: string[] = [];
  const subs: number[] = [];
  const cases: number[] = [];
  const nitazene: number[] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    const wEnd = end - 7 * w;
    const wStart = wEnd - 6;
    labels.push(`w/e ${longDate(isoDate(wEnd))}`);
    const inWeek = real.filter((r) => receivedDay(r) >= wStart && receivedDay(r) <= wEnd);
    subs.push(inWeek.length);
    cases.push(inWeek.filter((r) => r.level !== null).length);
    nitazene.push(inWeek.filter((r) => r.nitazenePositive).length);
  }
  const trendCaption = `Submissions received each week, ${weeks} weeks to ${longDate(input.periodEnd)}`;
  const named: Array<[string, number[]]> = [
    ['All submissions', subs],
    ['Meeting the case definition', cases],
    ['Nitazene detected', nitazene],
  ];
  const trendPanel: ReportSeries = {
    id: 'trend',
    caption: trendCaption,
    labels,
    series: named.map(([name, v]) => ({ name, values: [...v], displays: v.map(String) })),
  };
  const trendShared: ReportSeries = {
    id: 'trend',
    caption: trendCaption,
    labels,
    series: named.map(([name, v]) => {
      const p = protectSeries(v, policy);
      return { name, values: p.points.map((c) => c.value), displays: p.points.map((c) => c.display) };
    }),
    note: disclosureNote(policy),
  };

  const rhythm = pinCadence(topStep);
  const gapsFlagged = gapRows.filter((g) => g.status !== 'Reporting as usual').length;
  const words = (d: string) => (d === policy.symbol ? `fewer than ${policy.suppressTo + 1}` : d);
  const summaryOf = (total: string, matchTotal: string): string[] => [
    sources.length === 0
      ? `No submissions were received between ${periodText}; ${words(matchTotal) === '0' ? 'no' : words(matchTotal)} reports met the case definition.`
      : `${words(total)} submissions were received from ${sources.length} type${sources.length === 1 ? '' : 's'} of source between ${periodText}; ${words(matchTotal)} reports met the case definition.`,
    `Highest step: Step ${topStep}. ${rhythm.summary}`,
    input.alarms.length === 0 ? 'No alarms or triggers in the period.' : `Alarms or triggers in the period: ${input.alarms.length}.`,
    gapsFlagged === 0 ? 'Every partner source that usually reports did so.' : `Sources to follow up for gaps in reporting: ${gapsFlagged}.`,
  ];
  const notes = drills > 0 ? ['Exercise (drill) reports are left out of every figure.'] : [];
  const panel: PinReportBody = {
    tier: 'panel',
    title: input.title,
    period: { start: input.periodStart, end: input.periodEnd },
    cadence,
    summary: summaryOf(String(inPeriod.length), String(matches.length)),
    tables: [subPanel, matchPanel, steps, alarms, gapsPanel],
    trend: trendPanel,
    notes: [...notes, 'Panel copy with exact counts. Do not forward.'],
  };
  const partners: PinReportBody = {
    tier: 'partners',
    title: input.title,
    period: panel.period,
    cadence,
    summary: summaryOf(subShared.total?.cells.at(-1) ?? '0', matchShared.total?.cells[0] ?? '0'),
    tables: [subShared, matchShared, steps, alarms, gapsShared],
    trend: trendShared,
    notes: [...notes, disclosureNote(policy)],
  };
  return { panel, partners };
}

/** Every count a body publishes (table cells that are numbers, trend points), for tests and checks. */
export function publishedNumbers(body: PinReportBody): number[] {
  const out: number[] = [];
  const add = (s: string) => {
    if (/^\d+$/.test(s)) out.push(Number(s));
  };
  for (const t of body.tables) {
    if (t.id === 'steps' || t.id === 'alarms') continue;
    for (const r of t.rows) r.cells.forEach(add);
    t.total?.cells.forEach(add);
  }
  for (const s of body.trend.series) s.displays.forEach(add);
  return out;
}

/** A single protected count, for text summaries elsewhere. */
export function protectedDisplay(n: number, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): string {
  return protectCount(n, policy).display;
}

/**
 * The public bulletin of a PIN report, made from the partners' (already protected) body:
 * the headline, the submissions total by type, the case-definition matches and the trend
 * of all submissions. No partner source, data-flow gap or alarm detail.
 */
export function publicPinBody(partners: PinReportBody): PinReportBody {
  const keep = new Set(['case-matches', 'steps']);
  const submissions = partners.tables.find((t) => t.id === 'submissions');
  const tables: ReportTable[] = [];
  if (submissions?.total) {
    tables.push({
      id: 'submissions',
      caption: submissions.caption.replace(/, by source and type$/, ', by type'),
      columns: submissions.columns,
      rows: [],
      total: submissions.total,
      ...(submissions.note ? { note: submissions.note } : {}),
    });
  }
  tables.push(...partners.tables.filter((t) => keep.has(t.id)).map((t) => (t.id === 'steps' ? { ...t, columns: ['Step'], rows: t.rows.map((r) => ({ label: r.label, cells: [r.cells[0] ?? ''] })) } : t)));
  return {
    ...partners,
    tier: 'public',
    summary: partners.summary.slice(0, 2),
    tables,
    trend: { ...partners.trend, series: partners.trend.series.slice(0, 1) },
  };
}
