import { Button } from 'nhsuk-react-components';
import { useRef, useState, type FormEvent } from 'react';
import { OUTCOME_DEFINITIONS, SUBSTANCE_GROUP_LABELS, SUBSTANCE_GROUPS, type SubstanceGroup } from '../../../domain/assurance/needs';
import { ApiError } from '../../api/client';
import { ErrorSummaryBox, ProblemSummary } from '../../components/ErrorSummaryBox';
import { FileProblemsTable } from '../../components/FileProblemsTable';
import { describedBy, FormField } from '../../components/FormField';
import { useSend } from './api';
import { ConfirmDelete, fieldError, fieldIds, RowActions, SavedStatus, Scroll, useConfirmDelete } from './shared';
import type { EnteredComparator, NeedsImportResult, PrevalenceRow } from './types';

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;
const num = (v: string) => Number(v.replace(/,/g, ''));

/** A text input inside the shared form field, with its hint and error wired up. */
function Text({ id, label, hint, value, onChange, error, width }: { id: string; label: string; hint?: string; value: string; onChange: (v: string) => void; error?: string | undefined; width?: 4 | 5 | 10 | 20 }) {
  return (
    <FormField id={id} label={label} hint={hint} error={error}>
      <input
        className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        {...(width && width <= 10 ? { inputMode: 'decimal' as const } : {})}
      />
    </FormField>
  );
}

/** Errors the browser can see before sending (numbers); the rest come back from the server. */
function ClientErrors({ errors }: { errors: Record<string, string> }) {
  const items = Object.entries(errors).map(([id, text]) => ({ href: `#${id}`, text }));
  return items.length ? <ErrorSummaryBox title="There is a problem" items={items} /> : null;
}

// ---------------------------------------------------------------------------------------
// Prevalence estimates
// ---------------------------------------------------------------------------------------

const prevalenceName = (r: PrevalenceRow) => `the estimate for ${r.area}, ${SUBSTANCE_GROUP_LABELS[r.substance]}, ${r.year}`;

const emptyPrevalence = { area: '', substance: 'opiates_crack' as SubstanceGroup, estimate: '', rate: '', year: '', source: '' };

export function PrevalenceSection({ rows, canEdit }: { rows: readonly PrevalenceRow[]; canEdit: boolean }) {
  const [editing, setEditing] = useState<number | null>(null);
  const [f, setF] = useState(emptyPrevalence);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const send = useSend();
  const del = useSend();
  const deleting = useConfirmDelete<PrevalenceRow>();
  const set = (k: keyof typeof emptyPrevalence) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const err = (field: string, id: string) => errors[id] ?? fieldError(send.error, field);

  const startEdit = (r: PrevalenceRow) => {
    setEditing(r.id);
    deleting.close();
    del.reset();
    setF({ area: r.area, substance: r.substance, estimate: String(r.estimate), rate: r.rate_per_1000 === null ? '' : String(r.rate_per_1000), year: r.year, source: r.source });
    setErrors({});
    send.reset();
    setDone('');
    requestAnimationFrame(() => document.getElementById('prev-area')?.focus());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!NUMBER.test(f.estimate.replace(/,/g, ''))) found['prev-estimate'] = 'Enter the estimate as a number of people, for example 2659';
    if (f.rate.trim() && !NUMBER.test(f.rate)) found['prev-rate'] = 'Enter the rate per 1,000 as a number, for example 7.2, or leave it empty';
    setErrors(found);
    setDone('');
    if (Object.keys(found).length) return;
    const json = { area: f.area, substance: f.substance, estimate: num(f.estimate), rate_per_1000: f.rate.trim() ? num(f.rate) : null, year: f.year, source: f.source };
    send.mutate(editing === null ? { method: 'POST', path: '/api/assurance/needs/prevalence', json } : { method: 'PUT', path: `/api/assurance/needs/prevalence/${editing}`, json }, {
      onSuccess: () => {
        setDone(editing === null ? 'Estimate added. Penetration has been worked out again.' : 'Estimate changed. Penetration has been worked out again.');
        setEditing(null);
        setF(emptyPrevalence);
      },
    });
  };

  return (
    <>
      <h2 id="prevalence">Prevalence estimates</h2>
      {rows.length === 0 ? <p>No estimates entered yet.</p> : null}
      {rows.length ? (
        <Scroll label="Prevalence estimates entered">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Prevalence estimates entered (penetration uses each area’s latest opiate and/or crack estimate)</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Group</th>
                <th scope="col">Estimate</th>
                <th scope="col">Per 1,000</th>
                <th scope="col">Year and source</th>
                {canEdit ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.area}</td>
                  <td>{SUBSTANCE_GROUP_LABELS[r.substance]}</td>
                  <td>{r.estimate.toLocaleString('en-GB')}</td>
                  <td>{r.rate_per_1000 ?? '–'}</td>
                  <td>
                    {r.year}; {r.source}
                  </td>
                  {canEdit ? (
                    <td>
                      <RowActions
                        what={prevalenceName(r)}
                        onChange={() => startEdit(r)}
                        deleting={del.isPending}
                        onDelete={(opener) => {
                          del.reset();
                          setDone('');
                          deleting.ask(r, opener);
                        }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : null}
      {deleting.row ? (
        <ConfirmDelete
          key={deleting.row.id}
          question={`Are you sure you want to delete ${prevalenceName(deleting.row)}?`}
          pending={del.isPending}
          onCancel={() => {
            del.reset();
            deleting.cancel();
          }}
          onConfirm={() => {
            const r = deleting.row;
            if (!r) return;
            del.mutate(
              { method: 'DELETE', path: `/api/assurance/needs/prevalence/${r.id}` },
              {
                onSuccess: () => {
                  setDone('Estimate deleted. Penetration has been worked out again.');
                  deleting.deleted();
                },
              },
            );
          }}
        >
          <p>
            {deleting.row.estimate.toLocaleString('en-GB')} people, {deleting.row.year}; {deleting.row.source}. Penetration will be worked out again without it. This cannot be undone.
          </p>
          {del.error ? <ProblemSummary error={del.error} /> : null}
        </ConfirmDelete>
      ) : null}
      <SavedStatus message={done} focusWhen={deleting.deletions} />
      {canEdit ? (
        <form onSubmit={submit} noValidate aria-labelledby="prev-form">
          <h3 id="prev-form">{editing === null ? 'Add a prevalence estimate' : 'Change the prevalence estimate'}</h3>
          <ClientErrors errors={errors} />
          {send.error ? <ProblemSummary error={send.error} fieldIds={fieldIds({ area: 'prev-area', substance: 'prev-substance', estimate: 'prev-estimate', rate_per_1000: 'prev-rate', year: 'prev-year', source: 'prev-source' })} /> : null}
          <Text id="prev-area" label="Area" hint="A local-authority code such as E08000025 (so the people of that area are counted), or the area’s name" value={f.area} onChange={set('area')} error={err('area', 'prev-area')} width={20} />
          <FormField id="prev-substance" label="Group of people who use drugs" error={fieldError(send.error, 'substance')}>
            <select className="nhsuk-select beacon-assurance-select" id="prev-substance" value={f.substance} onChange={(e) => set('substance')(e.currentTarget.value)}>
              {SUBSTANCE_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {SUBSTANCE_GROUP_LABELS[g]}
                </option>
              ))}
            </select>
          </FormField>
          <Text id="prev-estimate" label="Estimated number of people" value={f.estimate} onChange={set('estimate')} error={err('estimate', 'prev-estimate')} width={10} />
          <Text id="prev-rate" label="Rate per 1,000 population (optional)" value={f.rate} onChange={set('rate')} error={err('rate_per_1000', 'prev-rate')} width={5} />
          <Text id="prev-year" label="Year of the estimate" hint="For example 2022/23" value={f.year} onChange={set('year')} error={err('year', 'prev-year')} width={10} />
          <Text id="prev-source" label="Source" hint="For example: Estimates of the prevalence of opiate use and/or crack cocaine use (OHID)" value={f.source} onChange={set('source')} error={err('source', 'prev-source')} />
          <div className="beacon-assurance-actions">
            <Button type="submit" secondary disabled={send.isPending}>
              {editing === null ? 'Add the estimate' : 'Save the estimate'}
            </Button>
            {editing !== null ? (
              <Button type="button" secondary onClick={() => { setEditing(null); setF(emptyPrevalence); send.reset(); setErrors({}); }}>
                Cancel the change
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------
// Comparators
// ---------------------------------------------------------------------------------------

type MeasureKey = EnteredComparator['measure'];
const MEASURE_LABELS: Record<MeasureKey, string> = {
  penetration: 'Penetration (known to treatment ÷ estimated users)',
  successful_exits: OUTCOME_DEFINITIONS.successful_exits.label,
  employment: OUTCOME_DEFINITIONS.employment.label,
  housing: OUTCOME_DEFINITIONS.housing.label,
};
const comparatorName = (r: EnteredComparator) => `the ${r.level} comparator for ${MEASURE_LABELS[r.measure]}`;

const emptyComparator = { measure: 'penetration' as MeasureKey, level: 'regional' as EnteredComparator['level'], value: '', period: '', source: '' };

export function ComparatorSection({ rows, canEdit }: { rows: readonly EnteredComparator[]; canEdit: boolean }) {
  const [editing, setEditing] = useState<number | null>(null);
  const [f, setF] = useState(emptyComparator);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const send = useSend();
  const del = useSend();
  const deleting = useConfirmDelete<EnteredComparator>();
  const set = (k: keyof typeof emptyComparator) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const startEdit = (r: EnteredComparator) => {
    setEditing(r.id);
    deleting.close();
    del.reset();
    setF({ measure: r.measure, level: r.level, value: String(r.value), period: r.period, source: r.source });
    setErrors({});
    send.reset();
    setDone('');
    requestAnimationFrame(() => document.getElementById('comp-measure')?.focus());
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!NUMBER.test(f.value.replace(/%$/, '')) || num(f.value.replace(/%$/, '')) > 100) found['comp-value'] = 'Enter the comparator as a percentage from 0 to 100, for example 47.5';
    setErrors(found);
    setDone('');
    if (Object.keys(found).length) return;
    const json = { measure: f.measure, level: f.level, value: num(f.value.replace(/%$/, '')), period: f.period, source: f.source };
    send.mutate(editing === null ? { method: 'POST', path: '/api/assurance/needs/comparators', json } : { method: 'PUT', path: `/api/assurance/needs/comparators/${editing}`, json }, {
      onSuccess: () => {
        setDone(editing === null ? 'Comparator added.' : 'Comparator changed.');
        setEditing(null);
        setF(emptyComparator);
      },
    });
  };
  return (
    <>
      <h2 id="comparators">Regional and national comparators</h2>
      <p>Where none is entered for an outcome, seed 004’s figures are shown as the reference pattern, labelled with their source.</p>
      {rows.length ? (
        <Scroll label="Comparators entered">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Comparators entered (the latest for each measure and level is used)</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">Level</th>
                <th scope="col">Value</th>
                <th scope="col">Period and source</th>
                {canEdit ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{MEASURE_LABELS[r.measure]}</td>
                  <td>{r.level === 'regional' ? 'Regional' : 'National'}</td>
                  <td>{r.value}%</td>
                  <td>
                    {r.period}; {r.source}
                  </td>
                  {canEdit ? (
                    <td>
                      <RowActions
                        what={comparatorName(r)}
                        onChange={() => startEdit(r)}
                        deleting={del.isPending}
                        onDelete={(opener) => {
                          del.reset();
                          setDone('');
                          deleting.ask(r, opener);
                        }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      ) : (
        <p>No comparators entered yet.</p>
      )}
      {deleting.row ? (
        <ConfirmDelete
          key={deleting.row.id}
          question={`Are you sure you want to delete ${comparatorName(deleting.row)}?`}
          pending={del.isPending}
          onCancel={() => {
            del.reset();
            deleting.cancel();
          }}
          onConfirm={() => {
            const r = deleting.row;
            if (!r) return;
            del.mutate(
              { method: 'DELETE', path: `/api/assurance/needs/comparators/${r.id}` },
              {
                onSuccess: () => {
                  setDone('Comparator deleted.');
                  deleting.deleted();
                },
              },
            );
          }}
        >
          <p>
            {deleting.row.value}%, {deleting.row.period}; {deleting.row.source}. This cannot be undone.
          </p>
          {del.error ? <ProblemSummary error={del.error} /> : null}
        </ConfirmDelete>
      ) : null}
      <SavedStatus message={done} focusWhen={deleting.deletions} />
      {canEdit ? (
        <form onSubmit={submit} noValidate aria-labelledby="comp-form">
          <h3 id="comp-form">{editing === null ? 'Add a comparator' : 'Change the comparator'}</h3>
          <ClientErrors errors={errors} />
          {send.error ? <ProblemSummary error={send.error} fieldIds={fieldIds({ measure: 'comp-measure', level: 'comp-level', value: 'comp-value', period: 'comp-period', source: 'comp-source' })} /> : null}
          <FormField id="comp-measure" label="Measure">
            <select className="nhsuk-select beacon-assurance-select" id="comp-measure" value={f.measure} onChange={(e) => set('measure')(e.currentTarget.value)}>
              {(Object.keys(MEASURE_LABELS) as MeasureKey[]).map((k) => (
                <option key={k} value={k}>
                  {MEASURE_LABELS[k]}
                </option>
              ))}
            </select>
          </FormField>
          <FormField id="comp-level" label="Level">
            <select className="nhsuk-select beacon-assurance-select" id="comp-level" value={f.level} onChange={(e) => set('level')(e.currentTarget.value)}>
              <option value="regional">Regional</option>
              <option value="national">National</option>
            </select>
          </FormField>
          <Text id="comp-value" label="Value (%)" value={f.value} onChange={set('value')} error={errors['comp-value'] ?? fieldError(send.error, 'value')} width={5} />
          <Text id="comp-period" label="Period" hint="For example 2022/23" value={f.period} onChange={set('period')} error={fieldError(send.error, 'period')} width={10} />
          <Text id="comp-source" label="Source" hint="For example: NDTMS, adult treatment outcomes, West Midlands" value={f.source} onChange={set('source')} error={fieldError(send.error, 'source')} />
          <div className="beacon-assurance-actions">
            <Button type="submit" secondary disabled={send.isPending}>
              {editing === null ? 'Add the comparator' : 'Save the comparator'}
            </Button>
            {editing !== null ? (
              <Button type="button" secondary onClick={() => { setEditing(null); setF(emptyComparator); send.reset(); setErrors({}); }}>
                Cancel the change
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------
// Import from CSV
// ---------------------------------------------------------------------------------------

export function NeedsImport() {
  const fileRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState('');
  const [result, setResult] = useState<NeedsImportResult | null>(null);
  const send = useSend<NeedsImportResult>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const file = fileRef.current?.files?.[0];
    if (!file) return setError('Choose a CSV file');
    if (file.size > 2_000_000) return setError('The file must be smaller than 2 MB');
    setError('');
    send.mutate({ method: 'POST', path: '/api/assurance/needs/import', json: { file_name: file.name, csv: await file.text() } }, { onSuccess: (r) => setResult(r) });
  };
  // The server lists every problem as errors named file:line:column (message with the value and what was expected).
  const problem = send.error instanceof ApiError ? send.error.problem : null;
  const problems = (problem?.errors ?? []).map((e) => {
    const [file, line, column] = (e.field ?? '').split(':');
    return { file: file ?? '', line: line ?? '', column: column ?? '', message: e.message };
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="needs-import">
      <h2 id="needs-import">Import estimates or comparators from a CSV file</h2>
      <p className="beacon-assurance-wrap">
        The header line says what the file holds: <code>area,substance,estimate,rate_per_1000,year,source</code> for prevalence estimates (substance is one of{' '}
        {SUBSTANCE_GROUPS.join(', ')}), or <code>measure,level,value,period,source</code> for comparators. If any line has a problem nothing is saved and every problem is listed; lines
        already stored are not added twice.
      </p>
      {error ? <ErrorSummaryBox title="There is a problem" items={[{ href: '#needs-file', text: error }]} /> : null}
      {send.error ? (
        <ErrorSummaryBox
          title={problem?.title ?? 'The file was not imported'}
          description={<p>{problems.length ? 'Correct these lines and upload the file again. Nothing was saved.' : send.error.message}</p>}
          items={problems.slice(0, 10).map((p) => ({ text: `Line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}` }))}
        />
      ) : null}
      {result ? (
        <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
          <h3 className="nhsuk-panel__title">File imported</h3>
          <div className="nhsuk-panel__body">
            {result.rows} {result.kind === 'prevalence' ? 'estimate' : 'comparator'}
            {result.rows === 1 ? '' : 's'}: {result.created} new, {result.unchanged} already stored
          </div>
        </div>
      ) : null}
      <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
        <label className="nhsuk-label nhsuk-label--s" htmlFor="needs-file">
          CSV file
        </label>
        {error ? (
          <span className="nhsuk-error-message" id="needs-file-error">
            <span className="nhsuk-u-visually-hidden">Error: </span>
            {error}
          </span>
        ) : null}
        <input className="nhsuk-file-upload__input" id="needs-file" name="needs-file" type="file" accept=".csv,text/csv" ref={fileRef} aria-describedby={error ? 'needs-file-error' : undefined} />
      </div>
      <Button type="submit" secondary disabled={send.isPending}>
        {send.isPending ? 'Importing…' : 'Import the file'}
      </Button>
      {problems.length ? (
        <Scroll label="Problems in the file">
          <FileProblemsTable problems={problems} testId="needs-import-problems" />
        </Scroll>
      ) : null}
    </form>
  );
}
