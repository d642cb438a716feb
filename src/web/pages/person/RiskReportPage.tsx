import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { useSearchParams } from '../../router/router';
import type { FlagCode, Tier } from './api';
import { RiskNav } from './CaseloadPage';
import { dateLabel, flagLabel, TIER_LABELS } from './labels';

interface Coverage {
  people: number;
  with_naloxone: number;
  pct: number | null;
}
interface Summary {
  people: number;
  tiers: Record<Tier, number>;
  flags: Record<FlagCode, number>;
  critical: Record<FlagCode, number>;
  pct: { tiers: Record<Tier, number | null>; flags: Record<FlagCode, number | null> };
  naloxone_coverage: { all: Coverage; high: Coverage; mat2: Coverage };
}
interface Report {
  date: string;
  service_id: string | null;
  services: (Summary & { service_id: string; name: string | null })[];
  organisation: Summary;
}

const FLAGS: readonly FlagCode[] = ['on_top', 'injecting', 'depressant_co_use', 'recent_overdose', 'lowered_tolerance', 'treatment_transition', 'potent_opioid', 'housing', 'health', 'no_naloxone'];
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${v.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`);

/**
 * The service risk report (issue 4 §6): tiers, flags and naloxone coverage (everyone,
 * High risk, MAT 2) for the service beside the organisation, with CSV and XLSX downloads.
 */
export function RiskReportPage({ user }: { user: User }) {
  usePageTitle('Service risk report');
  const params = useSearchParams();
  const service = params.get('service') ?? (user.scope.type === 'service' ? user.scope.id : null);
  const query = service ? `?service=${encodeURIComponent(service)}` : '';
  // people are not shown here; the report's counts are what this page is for.
  const report = useQuery({ queryKey: ['risk', 'report', service], queryFn: ({ signal }) => api.get<Report>(`/api/risk/report${query}`, { signal }), retry: false });
  const r = report.data;
  const mine = r && service ? r.services.find((s) => s.service_id === service) : undefined;
  const columns: { key: string; label: string; s: Summary }[] = r ? [...(mine ? [{ key: 'service', label: mine.name ?? mine.service_id, s: mine }] : []), { key: 'org', label: 'Organisation', s: r.organisation }] : [];
  const row = (label: string, get: (s: Summary) => [number, number | null], key: string) => (
    <tr className="nhsuk-table__row" key={key}>
      <th scope="row" className="nhsuk-table__header">
        {label}
      </th>
      {columns.map((c) => {
        const [n, p] = get(c.s);
        return (
          <td className="nhsuk-table__cell nhsuk-table__cell--numeric" key={c.key}>
            {n.toLocaleString('en-GB')} <span className="nhsuk-u-secondary-text-colour">({pct(p)})</span>
          </td>
        );
      })}
    </tr>
  );
  return (
    <>
      <h1>Service risk report</h1>
      <RiskNav user={user} />
      <p>Everyone in medication-assisted treatment today: how many are at each tier, how many have each flag, and naloxone coverage{mine ? ', for the service beside the organisation' : ''}.</p>
      {report.isPending ? <Loading>Loading the report…</Loading> : null}
      {report.error ? <SectionProblem error={report.error} what="the risk report" /> : null}
      {r ? (
        <>
          <ul className="nhsuk-list beacon-actions">
            <li>
              <a href={`/api/risk/report.csv${query}`} download>
                Download as CSV (one row per person)
              </a>
            </li>
            <li>
              <a href={`/api/risk/report.xlsx${query}`} download>
                Download as a workbook (XLSX)
              </a>
            </li>
          </ul>
          <div className="beacon-table-scroll" role="region" aria-label="Tiers and flags" tabIndex={0}>
            <table className="nhsuk-table" data-testid="risk-summary">
              <caption className="nhsuk-table__caption">Tiers and flags on {dateLabel(r.date)} (people, % of everyone in MAT)</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Measure</th>
                  {columns.map((c) => (
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric" key={c.key}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {row('Everyone in MAT', (s) => [s.people, s.people ? 100 : null], 'people')}
                {(['high', 'medium', 'low'] as const).map((t) => row(`${TIER_LABELS[t]} risk`, (s) => [s.tiers[t], s.pct.tiers[t]], t))}
                {FLAGS.map((f) => row(flagLabel(f), (s) => [s.flags[f], s.pct.flags[f]], f))}
              </tbody>
            </table>
          </div>
          <div className="beacon-table-scroll" role="region" aria-label="Naloxone coverage" tabIndex={0}>
            <table className="nhsuk-table" data-testid="risk-naloxone">
              <caption className="nhsuk-table__caption">Naloxone coverage (supplied to the person in the last 12 months)</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Among</th>
                  {columns.map((c) => (
                    <th scope="col" className="nhsuk-table__header nhsuk-table__header--numeric" key={c.key}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {(
                  [
                    ['all', 'Everyone in MAT'],
                    ['high', 'People at High risk'],
                    ['mat2', 'People in MAT 2 (using on top)'],
                  ] as const
                ).map(([k, label]) => (
                  <tr className="nhsuk-table__row" key={k}>
                    <th scope="row" className="nhsuk-table__header">
                      {label}
                    </th>
                    {columns.map((c) => {
                      const v = c.s.naloxone_coverage[k];
                      return (
                        <td className="nhsuk-table__cell nhsuk-table__cell--numeric" key={c.key}>
                          {pct(v.pct)} <span className="nhsuk-u-secondary-text-colour">({v.with_naloxone.toLocaleString('en-GB')} of {v.people.toLocaleString('en-GB')})</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
