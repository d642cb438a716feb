import { Button } from 'nhsuk-react-components';
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import type { User } from '../../api/types';
import { ErrorSummaryBox, ProblemSummary, type ErrorItem } from '../../components/ErrorSummaryBox';
import { usePageTitle } from '../../components/usePageTitle';
import { navigate } from '../../router/router';
import { ldisApi, useLdisMutation, useReportList, type SubmitResult } from './api';
import { TextArea } from '../../components/FormField';
import { isPartner, LdisNav, RadioGroup, SelectField, TextField } from './components';
import { EVENT_TYPE_LABELS, OUTCOME_LABELS, ROUTE_LABELS, SOURCE_LABELS, TRI_QUESTIONS } from './labels';

const TRI_OPTIONS = [
  { value: 'unknown', label: 'Not known' },
  { value: 'Y', label: 'Yes' },
  { value: 'N', label: 'No' },
];

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A reference for a form submission, made once per form: a double-click or a retry sends the same one. */
function newReference(): string {
  const t = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 12);
  const r = Math.random().toString(36).slice(2, 7).toUpperCase();
  return `WEB-${t}-${r}`;
}

interface FormState {
  reference: string;
  event_type: string;
  source: string;
  event_date: string;
  local_authority: string;
  age: string;
  sex: string;
  postcode: string;
  outcome: string;
  route: string;
  naloxone_doses: string;
  substances: string;
  location_type: string;
  notes: string;
  exercise: boolean;
  tri: Record<string, string>;
}

/** Field ids for the error summary, keyed by the API's field names. */
const FIELD_IDS: Record<string, string> = {
  partner_report_id: 'reference',
  event_type: 'event_type-input',
  source: 'source',
  event_date: 'event_date',
  local_authority: 'local_authority',
  age: 'age',
  sex: 'sex-input',
  postcode: 'postcode',
  outcome: 'outcome-input',
  route: 'route-input',
  naloxone_doses: 'naloxone_doses',
  substances: 'substances',
  notes: 'notes',
};

function check(f: FormState): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.event_type) e.event_type = 'Select what happened';
  if (!f.source) e.source = 'Select who is reporting';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.event_date)) e.event_date = 'Enter the date it happened';
  else if (f.event_date > today()) e.event_date = 'The date must be today or in the past';
  if (!/^[EWSN]\d{8}$/.test(f.local_authority.trim().toUpperCase())) e.local_authority = 'Enter the area as an ONS local authority code, like E08000025';
  if (f.age.trim() !== '' && !(/^\d{1,3}$/.test(f.age.trim()) && Number(f.age) <= 120)) e.age = 'Age must be a whole number from 0 to 120, or leave it empty';
  if (f.naloxone_doses.trim() !== '' && !(/^\d{1,3}$/.test(f.naloxone_doses.trim()) && Number(f.naloxone_doses) <= 100)) e.naloxone_doses = 'Doses must be a whole number from 0 to 100, or leave it empty';
  if (f.postcode.trim() !== '' && !/^[A-Za-z]{1,2}\d[A-Za-z\d]?(\s*\d[A-Za-z]{2})?$/.test(f.postcode.trim())) e.postcode = 'Enter a postcode like B12 9QT or a district like B12, or leave it empty';
  return e;
}

function body(f: FormState): Record<string, unknown> {
  const b: Record<string, unknown> = {
    partner_report_id: f.reference.trim(),
    source: f.source,
    event_date: f.event_date,
    event_type: f.event_type,
    local_authority: f.local_authority.trim().toUpperCase(),
  };
  if (f.age.trim() !== '') b.age = Number(f.age);
  if (f.sex) b.sex = f.sex;
  if (f.postcode.trim() !== '') b.postcode = f.postcode.trim();
  if (f.outcome) b.outcome = f.outcome;
  if (f.route) b.route = f.route;
  if (f.naloxone_doses.trim() !== '') b.naloxone_doses = Number(f.naloxone_doses);
  if (f.substances.trim() !== '') b.substances = f.substances;
  if (f.location_type.trim() !== '') b.location_type = f.location_type.trim();
  if (f.notes.trim() !== '') b.notes = f.notes.trim();
  if (f.exercise) b.exercise = true;
  for (const [k, v] of Object.entries(f.tri)) if (v !== 'unknown') b[k] = v;
  return b;
}

/**
 * The partner report form: one page, the few required questions first, every Op Mabble
 * item optional with "Not known" already chosen, so a report takes under two minutes on a
 * phone. The reference is made once per form, so sending twice never files two reports.
 */
export function ReportFormPage({ user }: { user: User }) {
  usePageTitle('Report an incident');
  const previous = useReportList();
  const partner = isPartner(user);
  const defaultSource = partner && user.scope.id && SOURCE_LABELS[user.scope.id] ? user.scope.id : '';
  const lastArea = previous.data?.reports[0]?.local_authority ?? (user.scope.type === 'local_authority' ? (user.scope.id ?? '') : '');
  const initial = useMemo<FormState>(
    () => ({
      reference: newReference(),
      event_type: '',
      source: defaultSource,
      event_date: today(),
      local_authority: '',
      age: '',
      sex: '',
      postcode: '',
      outcome: '',
      route: '',
      naloxone_doses: '',
      substances: '',
      location_type: '',
      notes: '',
      exercise: false,
      tri: Object.fromEntries(TRI_QUESTIONS.map((q) => [q.field, 'unknown'])),
    }),
    [defaultSource],
  );
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [areaTouched, setAreaTouched] = useState(false);
  const area = areaTouched ? form.local_authority : form.local_authority || lastArea;
  const submit = useLdisMutation((b: Record<string, unknown>) => ldisApi.submit(b));

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const full = { ...form, local_authority: area };
    const found = check(full);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus());
      return;
    }
    submit.mutate(body(full), {
      onSuccess: (r: SubmitResult) => navigate(`/ldis/report/sent/${encodeURIComponent(r.report_id)}?ref=${encodeURIComponent(r.partner_report_id)}`),
      onError: () => requestAnimationFrame(() => document.querySelector<HTMLElement>('.nhsuk-error-summary')?.focus()),
    });
  }

  const serverFieldErrors: Record<string, string> = {};
  if (submit.error instanceof ApiError) for (const fe of submit.error.problem.errors ?? []) if (fe.field) serverFieldErrors[fe.field.replace(/^body\./, '')] = fe.message;
  const err = (k: string) => errors[k] ?? serverFieldErrors[k];
  const items: ErrorItem[] = Object.entries(errors).map(([k, text]) => ({ href: `#${FIELD_IDS[k] ?? k}`, text }));

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {user.role !== 'partner_submitter' ? <LdisNav user={user} current="/ldis/report" /> : null}
        {items.length > 0 ? <ErrorSummaryBox title="There is a problem" items={items} /> : null}
        {submit.error ? <ProblemSummary error={submit.error} fieldIds={Object.fromEntries(Object.entries(FIELD_IDS).map(([k, v]) => [`body.${k}`, v]))} /> : null}
        <span className="nhsuk-caption-l">Local drug information system</span>
        <h1>Report an incident</h1>
        <p>
          Tell us about an overdose, a death, naloxone use, a drug checking result or other drug-related harm. Only the first four
          questions are needed. Answer the rest if you know; <strong>“Not known” is always a valid answer</strong>.
        </p>
        <form noValidate onSubmit={onSubmit} aria-label="Report an incident">
          <RadioGroup
            id="event_type"
            name="event_type"
            legend="What happened?"
            legendSize="m"
            options={Object.entries(EVENT_TYPE_LABELS).map(([value, l]) => ({ value, label: l }))}
            value={form.event_type}
            onChange={(v) => set('event_type', v)}
            error={err('event_type')}
          />
          <TextField id="event_date" type="date" label="When did it happen?" hint="The date of the event, not of this report." value={form.event_date} onChange={(v) => set('event_date', v)} error={err('event_date')} width={10} labelSize="m" />
          <TextField
            id="local_authority"
            label="Which area?"
            hint="The local authority's ONS code, for example E08000025 for Birmingham."
            value={area}
            onChange={(v) => {
              setAreaTouched(true);
              set('local_authority', v);
            }}
            error={err('local_authority')}
            width={10}
            labelSize="m"
          />
          <SelectField
            id="source"
            label="Who is reporting?"
            value={form.source}
            onChange={(v) => set('source', v)}
            options={[{ value: '', label: 'Select your organisation type' }, ...Object.entries(SOURCE_LABELS).map(([value, l]) => ({ value, label: l }))]}
            error={err('source')}
          />

          <h2 className="nhsuk-heading-m">About the person</h2>
          <TextField id="age" label="Age" hint="In years. Leave empty if not known." value={form.age} onChange={(v) => set('age', v)} error={err('age')} width={3} inputMode="numeric" />
          <RadioGroup id="sex" name="sex" legend="Sex" inline small options={[{ value: '', label: 'Not known' }, { value: 'M', label: 'Male' }, { value: 'F', label: 'Female' }, { value: 'X', label: 'Other' }]} value={form.sex} onChange={(v) => set('sex', v)} error={err('sex')} />
          <TextField id="postcode" label="Postcode or postcode district" hint="For example B12 9QT, or just B12." value={form.postcode} onChange={(v) => set('postcode', v)} error={err('postcode')} width={10} />
          {TRI_QUESTIONS.filter((q) => q.group === 'person').map((q) => (
            <RadioGroup key={q.field} id={q.field} name={q.field} legend={q.label} inline small options={TRI_OPTIONS} value={form.tri[q.field] ?? 'unknown'} onChange={(v) => set('tri', { ...form.tri, [q.field]: v })} />
          ))}

          <h2 className="nhsuk-heading-m">Drugs and outcome</h2>
          {TRI_QUESTIONS.filter((q) => q.group === 'drugs').map((q) => (
            <RadioGroup key={q.field} id={q.field} name={q.field} legend={q.label} inline small options={TRI_OPTIONS} value={form.tri[q.field] ?? 'unknown'} onChange={(v) => set('tri', { ...form.tri, [q.field]: v })} />
          ))}
          <TextField id="substances" label="Substances" hint="Separate them with semicolons, for example: heroin; crack; nitazene" value={form.substances} onChange={(v) => set('substances', v)} error={err('substances')} />
          <RadioGroup id="route" name="route" legend="How were they taken?" inline small options={[{ value: '', label: 'Not known' }, ...Object.entries(ROUTE_LABELS).map(([value, l]) => ({ value, label: l }))]} value={form.route} onChange={(v) => set('route', v)} error={err('route')} />
          <TextField id="naloxone_doses" label="Naloxone doses given" hint="Leave empty if none were given or not known." value={form.naloxone_doses} onChange={(v) => set('naloxone_doses', v)} error={err('naloxone_doses')} width={3} inputMode="numeric" />
          <RadioGroup id="outcome" name="outcome" legend="Outcome" small options={[{ value: '', label: 'Not known' }, ...Object.entries(OUTCOME_LABELS).filter(([k]) => k !== 'unknown').map(([value, l]) => ({ value, label: l }))]} value={form.outcome} onChange={(v) => set('outcome', v)} error={err('outcome')} />

          <details className="nhsuk-details">
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">Test results (forensics and toxicology)</span>
            </summary>
            <div className="nhsuk-details__text">
              {TRI_QUESTIONS.filter((q) => q.group === 'tests').map((q) => (
                <RadioGroup key={q.field} id={q.field} name={q.field} legend={q.label} inline small options={TRI_OPTIONS} value={form.tri[q.field] ?? 'unknown'} onChange={(v) => set('tri', { ...form.tri, [q.field]: v })} />
              ))}
            </div>
          </details>

          <TextField id="location_type" label="Where did it happen? (optional)" hint="For example home, street, hostel, public toilet." value={form.location_type} onChange={(v) => set('location_type', v)} width={20} />
          <TextArea id="notes" label="Anything else we should know? (optional)" hint="Do not include names, dates of birth or NHS numbers." value={form.notes} onChange={(v) => set('notes', v)} error={err('notes')} />
          <TextField id="reference" label="Your reference (optional)" hint="Your organisation's own reference for this incident. We made one for you: keep it or replace it." value={form.reference} onChange={(v) => set('reference', v)} error={err('partner_report_id')} width={20} />

          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <div className="nhsuk-checkboxes__item">
                <input className="nhsuk-checkboxes__input" id="exercise" name="exercise" type="checkbox" checked={form.exercise} onChange={(e) => set('exercise', e.currentTarget.checked)} aria-describedby="exercise-hint" />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="exercise">
                  This is an exercise (drill), not a real incident
                </label>
                <div className="nhsuk-hint nhsuk-checkboxes__hint" id="exercise-hint">
                  Exercise reports are labelled and kept out of real figures.
                </div>
              </div>
            </div>
          </div>

          <Button type="submit" disabled={submit.isPending}>
            {submit.isPending ? 'Sending…' : 'Send report'}
          </Button>
        </form>
      </div>
    </div>
  );
}
