import { useState } from 'react';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Figures } from '../../components/Figures';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTimeShort } from '../../format';
import { Link, navigate, useSearchParams } from '../../router/router';
import { useInbox, type InboxItem } from './api';
import { ExerciseTag, LdisNav, LevelTag, ScrollTable, SelectField, SlaCell, StatusTag } from './components';
import { EVENT_TYPE_LABELS, label, SOURCE_LABELS } from './labels';

const STATUS_FILTERS: Record<string, { label: string; statuses: string }> = {
  open: { label: 'Waiting for the coordinator (new, assessed, decided)', statuses: 'received,assessed,decided' },
  received: { label: 'New: to assess', statuses: 'received' },
  assessed: { label: 'Assessed: to decide', statuses: 'assessed' },
  decided: { label: 'Decided', statuses: 'decided,issued' },
  closed: { label: 'Closed', statuses: 'closed' },
};

function matches(item: InboxItem, f: { level: string; source: string; drills: string; overdue: boolean; duplicates: boolean }): boolean {
  if (f.level === 'case' && !item.classification.level) return false;
  if (f.level !== 'any' && f.level !== 'case' && f.level !== 'none' && item.classification.level !== f.level) return false;
  if (f.level === 'none' && item.classification.level) return false;
  if (f.source !== 'any' && item.report.source !== f.source) return false;
  if (f.drills === 'exclude' && item.exercise) return false;
  if (f.drills === 'only' && !item.exercise) return false;
  if (f.overdue && !item.sla.overdue) return false;
  if (f.duplicates && item.candidates.every((c) => c.band === 'unlikely')) return false;
  return true;
}

/** The coordinator's inbox: new reports with their level, candidate duplicates and SLA timers. */
export function InboxPage({ user }: { user: User }) {
  usePageTitle('LDIS inbox');
  const params = useSearchParams();
  const statusKey = STATUS_FILTERS[params.get('status') ?? ''] ? (params.get('status') as string) : 'open';
  const inbox = useInbox(STATUS_FILTERS[statusKey]?.statuses ?? 'received,assessed,decided');
  const [level, setLevel] = useState('any');
  const [source, setSource] = useState('any');
  const [drills, setDrills] = useState('include');
  const [overdue, setOverdue] = useState(false);
  const [duplicates, setDuplicates] = useState(false);
  const items = (inbox.data?.items ?? []).filter((i) => matches(i, { level, source, drills, overdue, duplicates }));
  // Overdue first, then the oldest.
  items.sort((a, b) => Number(b.sla.overdue) - Number(a.sla.overdue) || a.report.received_at.localeCompare(b.report.received_at));
  const real = inbox.data?.counts.real;
  const drill = inbox.data?.counts.exercise;

  return (
    <>
      <LdisNav user={user} current="/ldis" />
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>Inbox</h1>
      <p>Assess each report within 24 hours of receipt and decide within 48 hours. Nothing is circulated before the decision.</p>
      {inbox.isPending ? <Loading>Loading the inbox…</Loading> : null}
      {inbox.error ? <SectionProblem error={inbox.error} what="the LDIS inbox" /> : null}
      {real ? (
        <>
          <Figures
            label="Reports in this view (exercises not counted)"
            figures={[
              { key: 'reports', value: real.reports, label: 'reports' },
              { key: 'cases', value: real.cases, label: 'cases (linked reports counted once)' },
              { key: 'confirmed', value: real.confirmed, label: 'confirmed' },
              { key: 'probable', value: real.probable, label: 'probable' },
              { key: 'suspected', value: real.suspected, label: 'suspected' },
              { key: 'overdue', value: real.overdue, label: 'overdue' },
            ]}
          />
          {drill && drill.reports > 0 ? <p className="nhsuk-body-s">Also {drill.reports} exercise (drill) reports, labelled below and not counted above.</p> : null}
        </>
      ) : null}

      <details className="nhsuk-details" open>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Filter the reports</span>
        </summary>
        <div className="nhsuk-details__text">
          <form aria-label="Filter the reports" noValidate onSubmit={(e) => e.preventDefault()}>
            <SelectField
              id="filter-status"
              label="Status"
              value={statusKey}
              onChange={(v) => navigate(v === 'open' ? '/ldis' : `/ldis?status=${v}`, { replace: true })}
              options={Object.entries(STATUS_FILTERS).map(([value, f]) => ({ value, label: f.label }))}
            />
            <SelectField
              id="filter-level"
              label="Case definition level"
              value={level}
              onChange={setLevel}
              options={[
                { value: 'any', label: 'Any' },
                { value: 'case', label: 'Meets the case definition (any level)' },
                { value: 'confirmed', label: 'Confirmed' },
                { value: 'probable', label: 'Probable' },
                { value: 'suspected', label: 'Suspected' },
                { value: 'none', label: 'Not a case' },
              ]}
            />
            <SelectField id="filter-source" label="Source" value={source} onChange={setSource} options={[{ value: 'any', label: 'Any' }, ...Object.entries(SOURCE_LABELS).map(([value, l]) => ({ value, label: l }))]} />
            <SelectField
              id="filter-drills"
              label="Exercises (drills)"
              value={drills}
              onChange={setDrills}
              options={[
                { value: 'include', label: 'Show, labelled' },
                { value: 'exclude', label: 'Hide' },
                { value: 'only', label: 'Only exercises' },
              ]}
            />
            <div className="nhsuk-form-group">
              <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                <div className="nhsuk-checkboxes__item">
                  <input className="nhsuk-checkboxes__input" id="filter-overdue" type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="filter-overdue">
                    Overdue only
                  </label>
                </div>
                <div className="nhsuk-checkboxes__item">
                  <input className="nhsuk-checkboxes__input" id="filter-duplicates" type="checkbox" checked={duplicates} onChange={(e) => setDuplicates(e.currentTarget.checked)} />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="filter-duplicates">
                    With likely or possible duplicates only
                  </label>
                </div>
              </div>
            </div>
          </form>
        </div>
      </details>

      {inbox.data ? (
        items.length === 0 ? (
          <p>No reports match.</p>
        ) : (
          <ScrollTable label="Inbox reports">
            <table className="nhsuk-table" data-testid="inbox-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                {items.length} report{items.length === 1 ? '' : 's'}, overdue first
              </caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Report</th>
                  <th scope="col">Level</th>
                  <th scope="col">Timers</th>
                  <th scope="col">Possible duplicates</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {items.map((i) => {
                  const likely = i.candidates.filter((c) => c.band !== 'unlikely');
                  return (
                    <tr key={i.report.report_id} className={i.sla.overdue ? 'beacon-ldis-overdue-row' : undefined}>
                      <td>
                        <Link to={`/ldis/reports/${encodeURIComponent(i.report.report_id)}`}>
                          {label(EVENT_TYPE_LABELS, i.report.event_type)}, {i.report.event_date}
                        </Link>
                        {i.exercise ? (
                          <>
                            {' '}
                            <ExerciseTag />
                          </>
                        ) : null}
                        <br />
                        <span className="nhsuk-body-s">
                          {label(SOURCE_LABELS, i.report.source)} · {i.report.local_authority} · received {formatDateTimeShort(i.report.received_at)}
                          {i.case.reportIds.length > 1 ? ` · linked with ${i.case.reportIds.length - 1} other report${i.case.reportIds.length > 2 ? 's' : ''}` : ''}
                        </span>
                      </td>
                      <td>
                        <LevelTag level={i.classification.level} />
                      </td>
                      <td>
                        <SlaCell sla={i.sla} />
                      </td>
                      <td>
                        {likely.length === 0 ? (
                          'None'
                        ) : (
                          <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                            {likely.slice(0, 3).map((c) => (
                              <li key={c.report_id} className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                                {c.band === 'likely' ? 'Likely' : 'Possible'} ({Math.round(c.score * 100)}%): {label(SOURCE_LABELS, c.source)}, {label(EVENT_TYPE_LABELS, c.event_type)}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td>
                        <StatusTag status={i.status} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollTable>
        )
      ) : null}
    </>
  );
}
