import { InsetText, Tag } from 'nhsuk-react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime } from '../../format';
import { Link } from '../../router/router';
import { STEP_NAMES, STEP_TAG, weekLabel } from './labels';
import { can } from './shared';

interface CaseloadResponse {
  date: string | null;
  areas: { area: string; name: string; step: 2 | 3; since: string; summary: string | null }[];
  people: { person_id: string; service_id: string; area: string; tier: 'high' | 'medium' | 'low'; alert_flags: string[]; critical: string[]; reasons: string[] }[];
}

const FLAG_WORDS: Record<string, string> = {
  no_naloxone: 'No take-home naloxone in the last 12 months',
  lowered_tolerance: 'Recent release (lowered tolerance)',
  injecting: 'Injecting',
  potent_opioid: 'Fentanyl or nitazene test',
};
const TIER_TAG = { high: 'red', medium: 'orange', low: 'grey' } as const;

/** Treatment staff: their people in areas at Step 2 or 3 who are most at risk. */
export function CaseloadPage({ user }: { user: User }) {
  usePageTitle('Caseload in alert areas');
  const allowed = can(user, 'warning.caseload');
  const q = useQuery({
    queryKey: ['warning', 'caseload'],
    queryFn: ({ signal }) => api.get<CaseloadResponse>('/api/warning/caseload', { signal }),
    enabled: allowed,
    retry: false,
  });
  const d = q.data;
  const areaName = new Map((d?.areas ?? []).map((a) => [a.area, a.name]));
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Early warning</span>
        Your caseload in alert areas
      </h1>
      <p className="nhsuk-lede-text">
        When an area moves to Step 2 or 3, the people you care for there who are most at risk: High tier, no take-home naloxone, a recent
        release, injecting, or a fentanyl or nitazene test.
      </p>
      {!allowed ? (
        <InsetText>
          <p>This list is for treatment staff with a caseload.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading your caseload…</Loading>
      ) : q.error || !d ? (
        <SectionProblem error={q.error} what="the caseload in alert areas" />
      ) : d.areas.length === 0 ? (
        <InsetText>
          <p>No area is at Step 2 or 3.</p>
        </InsetText>
      ) : (
        <>
          <h2>Areas on alert</h2>
          <ul className="nhsuk-list">
            {d.areas.map((a) => (
              <li key={a.area}>
                <strong>{a.name}</strong> <Tag modifier={STEP_TAG[a.step]}>{STEP_NAMES[a.step]}</Tag> since {formatDateTime(a.since)}
                {a.summary ? <span className="nhsuk-body-s beacon-warning-block">{a.summary}</span> : null}
              </li>
            ))}
          </ul>
          <h2>People most at risk</h2>
          {d.people.length === 0 ? (
            <p>Nobody in your caseload in these areas is High tier or has one of these risks.</p>
          ) : (
            <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="People most at risk">
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption">
                  {d.people.length} people, risk as of {d.date ? weekLabel(d.date) : 'the latest data'}, highest risk first
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    <th scope="col" className="nhsuk-table__header">Person</th>
                    <th scope="col" className="nhsuk-table__header">Area</th>
                    <th scope="col" className="nhsuk-table__header">Tier</th>
                    <th scope="col" className="nhsuk-table__header">Why on this list</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {d.people.map((p) => (
                    <tr key={p.person_id} className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__cell">
                        <Link to={`/people/${encodeURIComponent(p.person_id)}`}>{p.person_id}</Link>
                        <span className="nhsuk-body-s nhsuk-u-secondary-text-colour beacon-warning-block">{p.service_id}</span>
                      </th>
                      <td className="nhsuk-table__cell">{areaName.get(p.area) ?? p.area}</td>
                      <td className="nhsuk-table__cell">
                        <Tag modifier={TIER_TAG[p.tier]}>{p.tier === 'high' ? 'High' : p.tier === 'medium' ? 'Medium' : 'Low'}</Tag>
                      </td>
                      <td className="nhsuk-table__cell nhsuk-body-s">
                        {p.alert_flags.length > 0 ? p.alert_flags.map((f) => FLAG_WORDS[f] ?? f).join('; ') : 'High tier'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
