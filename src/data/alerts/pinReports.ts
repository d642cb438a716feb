/**
 * PIN reports on the database (issue 7 item 3): made from the incidents, the case
 * definition, the early-warning steps and alarms, and kept as made (panel body and shared
 * body) so that what was sent can always be shown again.
 */
import type { Db, Queryable } from '../db';
import { buildPinReport, pinCadence, pinPeriod, type PinCadence, type PinReportBody } from '../../domain/alerts';
import { dayNumber, isoDate } from '../../domain/ldis/dates';
import type { Step } from '../../domain/ldis/types';
import { alarmsBetween, areaName, classifiedIncidents, currentStep } from './areas';
import { AlertsError, inScope, type AreaScope } from './errors';

export interface PinReportSummary {
  id: number;
  area: string | null;
  areaName: string;
  title: string;
  cadence: PinCadence;
  periodStart: string;
  periodEnd: string;
  step: number;
  generatedBy: string;
  generatedAt: string;
}

export interface PinReportRecord extends PinReportSummary {
  panel: PinReportBody;
  partners: PinReportBody;
}

interface Row {
  id: number;
  local_authority: string | null;
  title: string;
  cadence: PinCadence;
  period_start: string;
  period_end: string;
  step: number;
  panel: PinReportBody;
  partners: PinReportBody;
  generated_by: string;
  generated_at: string;
}

function summary(r: Row): PinReportSummary {
  return {
    id: Number(r.id),
    area: r.local_authority,
    areaName: r.local_authority ? areaName(r.local_authority) : 'All areas',
    title: r.title,
    cadence: r.cadence,
    periodStart: String(r.period_start),
    periodEnd: String(r.period_end),
    step: r.step,
    generatedBy: r.generated_by,
    generatedAt: String(r.generated_at),
  };
}

export interface GenerateOptions {
  scope: AreaScope;
  actor: string;
  /** The area (ONS code); required for an area-scoped caller. */
  area: string;
  /** "Today": the period is worked out from it unless given. */
  asOf: string;
  cadence?: PinCadence;
  periodStart?: string;
  periodEnd?: string;
}

/** Make and keep a PIN report; returns its id. */
export async function generatePinReport(db: Db, opts: GenerateOptions): Promise<number> {
  if (!inScope(opts.scope, opts.area)) throw new AlertsError('invalid', 'You can make PIN reports only for your own area', [{ field: 'area', message: 'Choose your own area' }]);
  if (dayNumber(opts.asOf) === null) throw new AlertsError('invalid', 'The date is not valid', [{ field: 'asOf', message: 'Enter a date as YYYY-MM-DD' }]);
  return db.transaction(async (tx) => {
    const step = await currentStep(tx, opts.area, opts.asOf);
    const cadence = opts.cadence ?? pinCadence(step.step).cadence;
    let period = pinPeriod(opts.asOf, cadence);
    if (opts.periodStart || opts.periodEnd) {
      const s = opts.periodStart ? dayNumber(opts.periodStart) : null;
      const e = opts.periodEnd ? dayNumber(opts.periodEnd) : null;
      if (s === null || e === null || e < s || e - s > 366) {
        throw new AlertsError('invalid', 'The period is not valid', [{ field: 'periodStart', message: 'Give a start and an end date (YYYY-MM-DD), the end not before the start, at most a year apart' }]);
      }
      period = { start: isoDate(s), end: isoDate(e) };
    }
    const lookback = isoDate((dayNumber(period.start) ?? 0) - 84);
    const incidents = await classifiedIncidents(tx, [opts.area], lookback, period.end);
    const alarms = await alarmsBetween(tx, [opts.area], period.start, period.end);
    const name = areaName(opts.area);
    const title = `PIN report for ${name}`;
    const built = buildPinReport(
      {
        title,
        periodStart: period.start,
        periodEnd: period.end,
        steps: [{ area: opts.area, areaName: name, step: step.step, basis: step.basis, summary: step.summary }],
        alarms,
        incidents: incidents.map((x) => ({
          source: x.record.source,
          eventType: x.record.event_type,
          eventDate: x.record.event_date,
          receivedAt: x.record.received_at,
          level: x.level,
          exercise: x.record.exercise === true,
          nitazenePositive: x.nitazene,
        })),
      },
      { cadence },
    );
    const r = await tx.query<{ id: number }>(
      `INSERT INTO pin_reports (local_authority, title, cadence, period_start, period_end, step, panel, partners, generated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9) RETURNING id`,
      [opts.area, title, cadence, period.start, period.end, step.step as Step, JSON.stringify(built.panel), JSON.stringify(built.partners), opts.actor],
    );
    return Number(r[0]?.id);
  });
}

export async function listPinReports(db: Queryable, scope: AreaScope, limit = 100): Promise<PinReportSummary[]> {
  const rows = await db.query<Row>(
    `SELECT id, local_authority, title, cadence, period_start, period_end, step, generated_by, generated_at, '{}'::jsonb AS panel, '{}'::jsonb AS partners
       FROM pin_reports WHERE ($1::text[] IS NULL OR local_authority = ANY($1::text[])) ORDER BY generated_at DESC, id DESC LIMIT $2`,
    [scope.localAuthorities ? [...scope.localAuthorities] : null, limit],
  );
  return rows.map(summary);
}

export async function getPinReport(db: Queryable, id: number, scope: AreaScope): Promise<PinReportRecord> {
  const rows = await db.query<Row>('SELECT * FROM pin_reports WHERE id = $1', [id]);
  const r = rows[0];
  if (!r || !inScope(scope, r.local_authority)) throw new AlertsError('not_found', 'No such PIN report');
  return { ...summary(r), panel: r.panel, partners: r.partners };
}
