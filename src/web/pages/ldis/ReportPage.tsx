import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, SectionProblem, type ErrorItem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDateTime, formatDateTimeShort } from '../../format';
import { Link } from '../../router/router';
import { ldisApi, useLdisMutation, useReport, type Candidate, type Incident, type ReportDetail } from './api';
import { TextArea } from '../../components/FormField';
import { can, ExerciseTag, LdisNav, LevelTag, RadioGroup, ScrollTable, SlaCell, StatusTag } from './components';
import { GRADING } from './grading';
import { DECISION_LABELS, EVENT_TYPE_LABELS, label, OUTCOME_LABELS, ROUTE_LABELS, SEX_LABELS, SOURCE_LABELS, TRI_LABELS, TRI_QUESTIONS } from './labels';

const COMPONENTS: ReadonlyArray<{ name: string; label: string }> = [
  { name: 'date', label: 'Date' },
  { name: 'age', label: 'Age' },
  { name: 'sex', label: 'Sex' },
  { name: 'area', label: 'Area' },
  { name: 'substances', label: 'Substances' },
  { name: 'outcome', label: 'Outcome' },
];

function Row({ k, children }: { k: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{k}</dt>
      <dd className="nhsuk-summary-list__value beacon-break">{children}</dd>
    </div>
  );
}

function Details({ r, d }: { r: Incident; d: ReportDetail }) {
  return (
    <dl className="nhsuk-summary-list">
      <Row k="What happened">{label(EVENT_TYPE_LABELS, r.event_type)}</Row>
      <Row k="Event date">{r.event_date}</Row>
      <Row k="Area">{r.local_authority}</Row>
      <Row k="Source">{label(SOURCE_LABELS, r.source)}</Row>
      <Row k="Partner and reference">{d.partner ? `${d.partner}: ${d.partner_report_id ?? ''}` : 'Imported with the dataset'}</Row>
      {d.submitted_by ? <Row k="Submitted by">{d.submitted_by}</Row> : null}
      <Row k="Received">{formatDateTime(r.received_at)}</Row>
      <Row k="Age">{r.age ?? 'Not known'}</Row>
      <Row k="Sex">{label(SEX_LABELS, r.sex ?? null)}</Row>
      <Row k="Postcode">{r.postcode ?? 'Not known'}</Row>
      <Row k="Route">{label(ROUTE_LABELS, r.route ?? null)}</Row>
      <Row k="Naloxone doses">{r.naloxone_doses ?? 'Not known'}</Row>
      <Row k="Substances">{r.substances && r.substances.length > 0 ? r.substances.join('; ') : 'Not known'}</Row>
      <Row k="Outcome">{label(OUTCOME_LABELS, r.outcome ?? null)}</Row>
      <Row k="Location">{r.location_type ?? 'Not known'}</Row>
      {TRI_QUESTIONS.map((q) => (
        <Row key={q.field} k={q.label}>
          {TRI_LABELS[(r as unknown as Record<string, string | undefined>)[q.field] ?? 'unknown'] ?? 'Not known'}
        </Row>
      ))}
      <Row k="Coroner: nitazene caused or contributed?">{d.coronial.nitazene_contributed === null ? 'Not known' : d.coronial.nitazene_contributed ? 'Yes' : 'No'}</Row>
      <Row k="Coroner: combinations">{d.coronial.combinations ?? 'Not known'}</Row>
      <Row k="Notes">{r.notes ?? 'None'}</Row>
    </dl>
  );
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function Linkage({ d, user }: { d: ReportDetail; user: User }) {
  const link = useLdisMutation((b: { report_ids: string[]; type: 'merge' | 'split'; reason?: string }) => ldisApi.link(b));
  const undo = useLdisMutation((id: string) => ldisApi.undo(id));
  const mayLink = can(user, 'ldis.link');
  const others = d.case_reports.filter((m) => m.report_id !== d.report.report_id);
  const candidates = [...d.candidates].sort((a, b) => b.score - a.score);
  return (
    <section aria-labelledby="linkage-heading">
      <h2 id="linkage-heading">Same event: linked reports</h2>
      {link.error ? <ProblemSummary error={link.error} /> : null}
      {undo.error ? <ProblemSummary error={undo.error} /> : null}
      {others.length === 0 ? (
        <p>This report is not linked with any other.</p>
      ) : (
        <>
          <p className="beacon-break">
            This report is one of {d.case.reportIds.length} reports of the same event (case {d.case.caseId}). Every source report is kept.
          </p>
          <ul>
            {others.map((m) => (
              <li key={m.report_id}>
                <Link to={`/ldis/reports/${encodeURIComponent(m.report_id)}`}>
                  {label(SOURCE_LABELS, m.source)}: {label(EVENT_TYPE_LABELS, m.event_type)}, {m.event_date}
                </Link>
              </li>
            ))}
          </ul>
          {mayLink ? (
            <Button type="button" secondary disabled={link.isPending} onClick={() => link.mutate({ report_ids: [d.report.report_id], type: 'split', reason: 'not the same event' })}>
              Split this report out of the case
            </Button>
          ) : null}
        </>
      )}
      <h3>Candidate duplicates</h3>
      {candidates.length === 0 ? (
        <p>No other report looks like the same event.</p>
      ) : (
        <ScrollTable label="Candidate duplicates">
          <table className="nhsuk-table" data-testid="candidates">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Reports that may be the same event, best match first, with the score of each item compared</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Report</th>
                <th scope="col">Match</th>
                {COMPONENTS.map((c) => (
                  <th scope="col" key={c.name}>
                    {c.label}
                  </th>
                ))}
                {mayLink ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {candidates.map((c: Candidate) => (
                <tr key={c.report_id}>
                  <td>
                    <Link to={`/ldis/reports/${encodeURIComponent(c.report_id)}`}>
                      {label(SOURCE_LABELS, c.source)}: {label(EVENT_TYPE_LABELS, c.event_type)}
                    </Link>
                    <br />
                    <span className="nhsuk-body-s">{c.event_date ?? ''}</span>
                  </td>
                  <td className="beacon-ldis-score">
                    {c.band === 'likely' ? 'Likely' : c.band === 'possible' ? 'Possible' : 'Unlikely'} {pct(c.score)}
                  </td>
                  {COMPONENTS.map((k) => {
                    const comp = c.components.find((x) => x.name === k.name);
                    return (
                      <td key={k.name} title={comp?.text}>
                        {!comp ? '–' : comp.known ? pct(comp.score) : 'not known'}
                        <span className="nhsuk-u-visually-hidden">: {comp?.text}</span>
                      </td>
                    );
                  })}
                  {mayLink ? (
                    <td>
                      <Button
                        type="button"
                        secondary
                        small
                        disabled={link.isPending}
                        onClick={() => link.mutate({ report_ids: [d.report.report_id, c.report_id], type: 'merge', reason: `same event (match ${pct(c.score)})` })}
                      >
                        Link<span className="nhsuk-u-visually-hidden"> {label(SOURCE_LABELS, c.source)} report {c.report_id}</span> as the same event
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {d.linkage_ops.length > 0 ? (
        <>
          <h3>Linkage history</h3>
          <ScrollTable label="Linkage history">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Every merge, split and undo of this report (nothing is deleted)</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">In effect</th>
                  {mayLink ? <th scope="col">Action</th> : null}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {d.linkage_ops.map((o) => (
                  <tr key={o.id}>
                    <td>{formatDateTimeShort(o.at)}</td>
                    <td>{o.actor}</td>
                    <td>
                      {o.type === 'merge' ? `Linked ${o.report_ids.length} reports` : o.type === 'split' ? 'Split out' : `Undid operation ${o.target ?? ''}`}
                      {o.reason ? ` (${o.reason})` : ''}
                    </td>
                    <td>{o.active ? 'Yes' : 'No (undone)'}</td>
                    {mayLink ? (
                      <td>
                        {o.active && o.type !== 'undo' ? (
                          <Button type="button" secondary small disabled={undo.isPending} onClick={() => undo.mutate(o.id)}>
                            Undo<span className="nhsuk-u-visually-hidden"> operation {o.id}</span>
                          </Button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </section>
  );
}

function Assessment({ d }: { d: ReportDetail }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [decision, setDecision] = useState('');
  const [rationale, setRationale] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const assess = useLdisMutation((b: Record<string, unknown>) => ldisApi.assess(d.report.report_id, b));
  const grading = d.status === 'received';
  const deciding = d.status === 'received' || d.status === 'assessed';

  if (!deciding) {
    return (
      <section aria-labelledby="assessment-heading">
        <h2 id="assessment-heading">Assessment and decision</h2>
        <dl className="nhsuk-summary-list">
          <Row k="Decision">{d.decision ? DECISION_LABELS[d.decision] : 'None'}</Row>
          <Row k="Rationale">{d.rationale ?? '–'}</Row>
        </dl>
      </section>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (grading) for (const q of GRADING) if (!answers[q.id]) found[q.id] = `Answer “${q.text}”`;
    if (!grading && !decision) found.decision = 'Select a decision';
    if (decision && rationale.trim() === '') found.rationale = 'Give the rationale for the decision';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: Record<string, unknown> = {};
    if (grading) body.answers = answers;
    if (note.trim()) body.note = note.trim();
    if (decision) {
      body.decision = decision;
      body.rationale = rationale.trim();
    }
    assess.mutate(body, {
      onSuccess: () => {
        setDecision('');
        setRationale('');
        setNote('');
      },
    });
  }
  const items: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({ href: `#${k}-input`, text }));
  return (
    <section aria-labelledby="assessment-heading">
      <h2 id="assessment-heading">{grading ? 'Assess this report' : 'Record the decision'}</h2>
      {items.length > 0 ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
      {assess.error ? <ProblemSummary error={assess.error} /> : null}
      <form noValidate onSubmit={submit} aria-labelledby="assessment-heading">
        {grading
          ? GRADING.map((q) => (
              <RadioGroup key={q.id} id={q.id} name={q.id} legend={q.text} hint={q.help} small options={q.options} value={answers[q.id] ?? ''} onChange={(v) => setAnswers((a) => ({ ...a, [q.id]: v }))} error={errors[q.id]} />
            ))
          : null}
        {grading ? <TextArea id="note" label="Assessment note (optional)" value={note} onChange={setNote} rows={3} /> : null}
        <RadioGroup
          id="decision"
          name="decision"
          legend={grading ? 'Decision (you can also decide later, within 48 hours)' : 'Decision'}
          small
          options={[
            ...(grading ? [{ value: '', label: 'Decide later' }] : []),
            { value: 'no_further_action', label: 'No further action' },
            { value: 'share_for_information', label: 'Share for information' },
            { value: 'formal_alert', label: 'Formal alert' },
          ]}
          value={decision}
          onChange={setDecision}
          error={errors.decision}
        />
        <TextArea id="rationale" label="Rationale" hint="Why this decision: it is recorded with your name and kept." value={rationale} onChange={setRationale} error={errors.rationale} rows={3} />
        <Button type="submit" disabled={assess.isPending}>
          {grading ? 'Record the assessment' : 'Record the decision'}
        </Button>
      </form>
    </section>
  );
}

const REVISE_TRI = ['synthetic_opioid_suspected', 'forensic_nitazene', 'tox_tested_nitazene', 'tox_nitazene_present', 'tox_n_desethyl_isotonitazene'] as const;

function Revision({ d }: { d: ReportDetail }) {
  const r = d.report as unknown as Record<string, string | undefined>;
  const initial = Object.fromEntries(REVISE_TRI.map((f) => [f, r[f] ?? 'unknown']));
  const [tri, setTri] = useState<Record<string, string>>(initial);
  const [outcome, setOutcome] = useState(d.report.outcome ?? '');
  const [coroner, setCoroner] = useState(d.coronial.nitazene_contributed === null ? 'unknown' : d.coronial.nitazene_contributed ? 'Y' : 'N');
  const [combos, setCombos] = useState(d.coronial.combinations ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const revise = useLdisMutation((b: Record<string, unknown>) => ldisApi.revise(d.report.report_id, b));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setError('Say what the new information is and where it came from');
      return;
    }
    setError(null);
    const fields: Record<string, unknown> = { ...tri };
    if (outcome) fields.outcome = outcome;
    revise.mutate(
      { reason: reason.trim(), fields, coronial: { nitazene_contributed: coroner === 'unknown' ? null : coroner === 'Y', combinations: combos.trim() === '' ? null : combos.trim() } },
      { onSuccess: () => setReason('') },
    );
  }
  const labels = Object.fromEntries(TRI_QUESTIONS.map((q) => [q.field, q.label]));
  const tri3 = [
    { value: 'unknown', label: 'Not known' },
    { value: 'Y', label: 'Yes' },
    { value: 'N', label: 'No' },
  ];
  return (
    <section aria-labelledby="revise-heading">
      <h2 id="revise-heading">Update with new findings</h2>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Toxicology, forensic or coronial findings have arrived</span>
        </summary>
        <div className="nhsuk-details__text">
          {error ? <ErrorSummaryBox title="There is a problem" items={[{ href: '#reason', text: error }]} /> : null}
          {revise.error ? <ProblemSummary error={revise.error} /> : null}
          {revise.isSuccess ? <p role="status">Saved. The change is in the revision history below.</p> : null}
          <form noValidate onSubmit={submit} aria-labelledby="revise-heading">
            {REVISE_TRI.map((f) => (
              <RadioGroup key={f} id={`rev-${f}`} name={`rev-${f}`} legend={labels[f] ?? f} inline small options={tri3} value={tri[f] ?? 'unknown'} onChange={(v) => setTri((t) => ({ ...t, [f]: v }))} />
            ))}
            <RadioGroup id="rev-outcome" name="rev-outcome" legend="Outcome" small options={[{ value: '', label: 'Not known' }, ...Object.entries(OUTCOME_LABELS).filter(([k]) => k !== 'unknown').map(([value, l]) => ({ value, label: l }))]} value={outcome} onChange={setOutcome} />
            <RadioGroup id="rev-coroner" name="rev-coroner" legend="Coroner: did a nitazene cause or contribute to the death?" inline small options={tri3} value={coroner} onChange={setCoroner} />
            <TextArea id="rev-combos" label="Coroner: combinations of substances and their effect" value={combos} onChange={setCombos} rows={2} />
            <TextArea id="reason" label="What is the new information?" hint="For example: toxicology report from the coroner received 3 June." value={reason} onChange={setReason} error={error ?? undefined} rows={2} />
            <Button type="submit" secondary disabled={revise.isPending}>
              Save the update
            </Button>
          </form>
        </div>
      </details>
    </section>
  );
}

function History({ d }: { d: ReportDetail }) {
  return (
    <>
      {d.revisions.length > 0 ? (
        <>
          <h2>Revision history</h2>
          <ScrollTable label="Revision history">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Every change to this report, with the values before and after</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">When and who</th>
                  <th scope="col">Why</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {d.revisions.map((v) => (
                  <tr key={v.revision}>
                    <td>{v.revision}</td>
                    <td>
                      {formatDateTimeShort(v.at)}, {v.actor}
                    </td>
                    <td>{v.reason}</td>
                    <td>
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {Object.entries(v.changes).map(([k, c]) => (
                          <li key={k} className="nhsuk-body-s">
                            {k}: {String(c.from ?? 'not known')} → {String(c.to ?? 'not known')}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
      {d.history.length > 0 ? (
        <>
          <h2>Workflow history</h2>
          <ScrollTable label="Workflow history">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Assessments and decisions, as recorded</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {d.history.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDateTimeShort(h.at)}</td>
                    <td>{h.actor}</td>
                    <td>
                      {h.action === 'decide' ? `Decision: ${DECISION_LABELS[String(h.payload.decision)] ?? String(h.payload.decision)} – ${String(h.payload.rationale ?? '')}` : h.action === 'assess' ? 'Assessed (grading recorded)' : h.action}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : null}
    </>
  );
}

/** One report: every field, its level, timers, linked reports and candidates, assessment and history. */
export function ReportPage({ id, user }: { id: string; user: User }) {
  const report = useReport(id);
  const d = report.data;
  usePageTitle(d ? `${label(EVENT_TYPE_LABELS, d.report.event_type)} report` : 'LDIS report');
  const staff = can(user, 'ldis.inbox');
  return (
    <>
      {staff ? <LdisNav user={user} current="" /> : null}
      {report.isPending ? <Loading>Loading the report…</Loading> : null}
      {report.error ? <SectionProblem error={report.error} what="this report" /> : null}
      {d ? (
        <>
          <span className="nhsuk-caption-l beacon-break">LDIS report {d.report.report_id}</span>
          <h1>
            {label(EVENT_TYPE_LABELS, d.report.event_type)}, {d.report.event_date}
          </h1>
          <p>
            <LevelTag level={d.classification.level} /> <StatusTag status={d.status} /> {d.exercise ? <ExerciseTag /> : null}
          </p>
          {d.exercise ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>This is an exercise (drill) report. It is excluded from real figures.</p>
            </div>
          ) : null}
          {staff ? (
            <>
              <h2>Timers</h2>
              <SlaCell sla={d.sla} />
              <h2>Case definition</h2>
              <p>{d.classification.summary}</p>
              <ul>
                {d.classification.checks.map((c) => (
                  <li key={c.name}>
                    {c.passed ? 'Met' : 'Not met'}: {c.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2>Report</h2>
          <Details r={d.report} d={d} />
          {staff ? <Linkage d={d} user={user} /> : null}
          {can(user, 'ldis.assess') ? <Assessment key={`${d.status}-${d.history.length}`} d={d} /> : null}
          {can(user, 'ldis.assess') ? <Revision key={`rev-${d.revision}`} d={d} /> : null}
          <History d={d} />
        </>
      ) : null}
    </>
  );
}
