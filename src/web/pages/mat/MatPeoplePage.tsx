import { BackLink, InsetText } from 'nhsuk-react-components';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { plural } from '../../format';
import { navigate, useSearchParams } from '../../router/router';
import { useMatReport } from './api';
import { BAND_LABELS, medicationLabel, COHORT_LABELS, dayLabel, groupInfo, isGroup, REGIME_LABELS, REGIME_KEYS, regimeLabel, RISK_LABELS, STAGE_LABELS, type RegimeKey } from './labels';
import { can, matHref, useMatParams, WHOLE_ORGANISATION } from './shared';
import type { Group, MatPerson, OgBand, Stage } from './types';

interface Filter {
  group: Group | null;
  stage: Stage | null;
  band: OgBand | null;
  regime: RegimeKey | null;
}

const STAGES: readonly Stage[] = ['MAT1', 'MAT2', 'MAT3', 'MAT4', 'uncategorised'];

function readFilter(params: URLSearchParams): Filter {
  const group = params.get('group');
  const stage = params.get('stage');
  const band = params.get('band');
  const regime = params.get('regime');
  return {
    group: isGroup(group) ? group : null,
    stage: STAGES.find((s) => s === stage) ?? null,
    band: band === 'below' || band === 'at_or_above' || band === 'n/a' ? band : null,
    regime: REGIME_KEYS.find((r) => r === regime) ?? null,
  };
}

/** Whether a person is in a tracker group (the same rules as the API's counts). */
function inGroup(p: MatPerson, group: Group): boolean {
  switch (group) {
    case 'mat1':
      return p.stage === 'MAT1';
    case 'mat4':
      return p.stage === 'MAT4';
    case 'uncategorised':
      return p.stage === 'uncategorised';
    case 'mat2_no_band':
      return p.stage === 'MAT2' && p.cohort === null;
    case 'mat3_no_band':
      return p.stage === 'MAT3' && p.cohort === null;
    default:
      return p.cohort === group;
  }
}

function matches(p: MatPerson, f: Filter): boolean {
  if (f.group && !inGroup(p, f.group)) return false;
  if (f.stage && p.stage !== f.stage) return false;
  if (f.band && (p.og_band ?? 'n/a') !== f.band) return false;
  if (f.regime && (p.regime ?? 'unknown') !== f.regime) return false;
  return true;
}

function describe(f: Filter): string {
  const parts: string[] = [];
  if (f.group) parts.push(groupInfo(f.group).label);
  if (f.stage) parts.push(STAGE_LABELS[f.stage]);
  if (f.band) parts.push(BAND_LABELS[f.band]);
  if (f.regime) parts.push(REGIME_LABELS[f.regime]);
  return parts.join(', ') || 'Everyone in MAT';
}

/**
 * The people behind a number on the tracker or in the service data: each with their
 * stage, cohort, dose band, regime and the evidence that put them there. Only for roles
 * allowed identifiable MAT data, and only the people of the services in the user's scope.
 */
export function MatPeoplePage({ user }: { user: User }) {
  const params = useMatParams(user);
  const search = useSearchParams();
  const filter = readFilter(search);
  const title = describe(filter);
  usePageTitle(`MAT: ${title}`);
  const allowed = can(user, 'mat.report');
  const report = useMatReport(params, allowed);
  const people = report.data?.people.filter((p) => matches(p, filter)) ?? [];
  const back = matHref('/mat', { month: params.month, service: params.service ?? WHOLE_ORGANISATION });
  const where = params.service ? `service ${params.service}` : 'the whole organisation';

  return (
    <>
      <BackLink
        href={back}
        onClick={(event) => {
          event.preventDefault();
          navigate(back);
        }}
      >
        Back to the MAT tracker
      </BackLink>
      <h1>
        <span className="nhsuk-caption-l">
          People in MAT{report.data ? ` on ${dayLabel(report.data.date)}` : ''}, {where}
        </span>
        {title}
      </h1>
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the people behind the MAT figures.</p>
        </InsetText>
      ) : null}
      {report.isPending && allowed ? <Loading>Loading the people…</Loading> : null}
      {report.error ? <SectionProblem error={report.error} what="the people behind the MAT figures" /> : null}
      {report.data ? (
        <>
          <p data-testid="people-count">{plural(people.length, 'person', 'people')}.</p>
          {user.scope.type !== 'organisation' ? (
            <InsetText>
              <p>Only the people of the services in your scope ({user.scope.label}) are listed; the counts on the tracker include every service.</p>
            </InsetText>
          ) : null}
          {people.length ? (
            <table className="nhsuk-table-responsive" data-testid="people-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">People in {title}, with the evidence for each</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col" className="nhsuk-table__header">Person</th>
                  <th scope="col" className="nhsuk-table__header">Stage and cohort</th>
                  <th scope="col" className="nhsuk-table__header">Dose</th>
                  <th scope="col" className="nhsuk-table__header">Evidence</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {people.map((p) => (
                  <tr className="nhsuk-table__row" key={p.person_id} data-testid={`person-${p.person_id}`}>
                    <td className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">Person </span>
                      <div className="beacon-cell">
                        <strong>{p.person_id}</strong>
                        <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">Service {p.service_id}</span>
                        {p.risk_tier ? <span className="nhsuk-u-display-block nhsuk-body-s nhsuk-u-margin-bottom-0">{RISK_LABELS[p.risk_tier]} overdose risk</span> : null}
                      </div>
                    </td>
                    <td className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">Stage and cohort </span>
                      <div className="beacon-cell">
                        {p.stage ? STAGE_LABELS[p.stage] : 'Not known'}
                        <span className="nhsuk-u-display-block">
                          {p.cohort ? (
                            <>
                              <span className={`beacon-swatch beacon-swatch--${p.cohort}`} aria-hidden="true" />
                              {COHORT_LABELS[p.cohort]}
                            </>
                          ) : (
                            'No cohort'
                          )}
                        </span>
                      </div>
                    </td>
                    <td className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">Dose </span>
                      <div className="beacon-cell">
                        {p.medication ? `${medicationLabel(p.medication)} ${p.dose_mg ?? '–'} mg` : 'No dose'}
                        {p.high_dose ? ' (high dose)' : ''}
                        <span className="nhsuk-u-display-block">{BAND_LABELS[p.og_band ?? 'n/a']}</span>
                        <span className="nhsuk-u-display-block">{regimeLabel(p.regime)}</span>
                      </div>
                    </td>
                    <td className="nhsuk-table__cell">
                      <span className="nhsuk-table-responsive__heading" aria-hidden="true">Evidence </span>
                      <div className="beacon-cell">
                        <ul className="beacon-reasons nhsuk-body-s">
                          {p.reasons.map((r, i) => (
                            <li key={i}>{r}</li>
                          ))}
                        </ul>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <InsetText>
              <p>Nobody you can see is in this group on this date.</p>
            </InsetText>
          )}
        </>
      ) : null}
    </>
  );
}
