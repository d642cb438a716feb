import { useState } from 'react';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { caseListQuery, useCaseList } from './api';
import { ExerciseTag, LdisNav, LevelTag, ScrollTable, TextField } from './components';
import { label, SOURCE_LABELS } from './labels';

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The incident case list in the Op Mabble columns, cases by area and week, and the XLSX export. */
export function CaseListPage({ user }: { user: User }) {
  usePageTitle('Incident case list');
  const [from, setFrom] = useState(isoDaysAgo(90));
  const [to, setTo] = useState(isoDaysAgo(0));
  const [exercise, setExercise] = useState(false);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const list = useCaseList(valid ? from : isoDaysAgo(90), valid ? to : isoDaysAgo(0), exercise);
  const d = list.data;
  return (
    <>
      <LdisNav user={user} current="/ldis/cases" />
      <span className="nhsuk-caption-l">Local drug information system</span>
      <h1>Incident case list</h1>
      <p>One row per case (reports of the same event linked into one) meeting the case definition, in the Op Mabble dataset’s columns, for the multi-agency cell.</p>
      <form noValidate onSubmit={(e) => e.preventDefault()} aria-label="Choose the period">
        <TextField id="from" type="date" label="Events from" value={from} onChange={setFrom} error={valid ? undefined : 'Enter a period whose start is not after its end'} width={10} />
        <TextField id="to" type="date" label="Events to" value={to} onChange={setTo} width={10} />
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            <div className="nhsuk-checkboxes__item">
              <input className="nhsuk-checkboxes__input" id="include-exercise" type="checkbox" checked={exercise} onChange={(e) => setExercise(e.currentTarget.checked)} />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="include-exercise">
                Include exercise (drill) cases, labelled
              </label>
            </div>
          </div>
        </div>
      </form>
      {valid ? (
        <p>
          <a href={`/api/ldis/cases.xlsx?${caseListQuery(from, to, exercise)}`} download>
            Download the case list (XLSX)
          </a>
        </p>
      ) : null}
      {list.isPending ? <Loading>Loading the case list…</Loading> : null}
      {list.error ? <SectionProblem error={list.error} what="the case list" /> : null}
      {d ? (
        <>
          <h2>Cases by area and week</h2>
          {d.by_area_week.length === 0 ? (
            <p>No cases in this period.</p>
          ) : (
            <ScrollTable label="Cases by area and week">
              <table className="nhsuk-table" data-testid="area-week">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">Real cases by local authority and week beginning (exercises never counted)</caption>
                <thead className="nhsuk-table__head">
                  <tr>
                    <th scope="col">Area</th>
                    <th scope="col">Week beginning</th>
                    <th scope="col" className="nhsuk-table__header--numeric">Cases</th>
                    <th scope="col" className="nhsuk-table__header--numeric">Confirmed</th>
                    <th scope="col" className="nhsuk-table__header--numeric">Probable</th>
                    <th scope="col" className="nhsuk-table__header--numeric">Suspected</th>
                    <th scope="col" className="nhsuk-table__header--numeric">Deaths</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {d.by_area_week.map((w) => (
                    <tr key={`${w.local_authority}-${w.week}`}>
                      <td>{w.local_authority}</td>
                      <td className="beacon-nowrap">{w.week}</td>
                      <td className="nhsuk-table__cell--numeric">{w.cases}</td>
                      <td className="nhsuk-table__cell--numeric">{w.confirmed}</td>
                      <td className="nhsuk-table__cell--numeric">{w.probable}</td>
                      <td className="nhsuk-table__cell--numeric">{w.suspected}</td>
                      <td className="nhsuk-table__cell--numeric">{w.deaths}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          )}
          <h2>Cases</h2>
          {d.cases.length === 0 ? (
            <p>No cases in this period.</p>
          ) : (
            <ScrollTable label="Case list">
              <table className="nhsuk-table" data-testid="case-list">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                  {d.cases.length} case{d.cases.length === 1 ? '' : 's'}, events {d.from} to {d.to}
                </caption>
                <thead className="nhsuk-table__head">
                  <tr>
                    <th scope="col">Case</th>
                    <th scope="col">Level</th>
                    <th scope="col">Area</th>
                    <th scope="col">Sources</th>
                    {d.columns.map((c) => (
                      <th scope="col" key={c.key}>
                        {c.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {d.cases.map((c) => (
                    <tr key={c.case_id}>
                      <td>
                        <Link to={`/ldis/reports/${encodeURIComponent(c.report_ids[0] ?? c.case_id)}`}>{c.event_date}</Link>
                        {c.exercise ? (
                          <>
                            {' '}
                            <ExerciseTag />
                          </>
                        ) : null}
                      </td>
                      <td>
                        <LevelTag level={c.level} />
                      </td>
                      <td>{c.local_authority}</td>
                      <td>{c.sources.map((s) => label(SOURCE_LABELS, s)).join(', ')}</td>
                      {d.columns.map((col) => (
                        <td key={col.key}>{c.fields[col.key] ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          )}
          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">The case definition</span>
            </summary>
            <div className="nhsuk-details__text">
              <ul>
                {d.case_definition.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </div>
          </details>
        </>
      ) : null}
    </>
  );
}
