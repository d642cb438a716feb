import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { METHOD_NAMES } from './labels';
import { fieldErrors, rerunText, useSaveWarningSettings, useWarningSettings, type IndicatorSetting, type SettingsResponse, type TriggerSetting } from './settingsApi';
import { can, WarningNav } from './shared';

/** What each method does, in plain words (docs/detection.md). */
export const METHOD_HINTS: Record<string, string> = {
  auto: 'Farrington flexible with as many years as the history allows (from 2 years); EARS C2 or C1 while the history is shorter. Recommended.',
  farrington: 'A seasonal baseline from the same weeks of past years (Noufaily et al. 2013). Needs b years of history before a week is evaluated.',
  'ears-c1': 'Compares each week with the mean and spread of the weeks just before it. From 7 weeks of history.',
  'ears-c2': 'As C1, with a 2-week gap so that a rise that is starting does not hide itself. From 9 weeks of history.',
  'ears-c3': 'Adds up the excess of this week and the two before it, so a smaller rise that lasts alarms. From 11 weeks of history.',
  none: 'No statistical baseline: only the count triggers below. For rare, severe events such as deaths.',
};

type Kind = 'int' | 'number' | 'bool' | 'choice';
interface Param {
  key: string;
  label: string;
  hint: string;
  kind: Kind;
  choices?: readonly [string, string][];
}

/** The Farrington parameters a coordinator may change, with what each one means. */
const FARRINGTON: readonly Param[] = [
  { key: 'b', label: 'Years of history (b)', hint: 'How many past years the baseline is taken from.', kind: 'int' },
  { key: 'w', label: 'Window half-width in weeks (w)', hint: 'Each past year contributes its same week and this many weeks either side.', kind: 'int' },
  { key: 'alpha', label: 'Alpha', hint: 'How unusual a count must be to alarm: the threshold is the (1 − alpha) quantile. Smaller means a higher threshold and fewer alarms.', kind: 'number' },
  { key: 'reweight', label: 'Down-weight past outbreaks (reweight)', hint: 'Past weeks far above the model count less, so an old outbreak does not raise the baseline.', kind: 'bool' },
  { key: 'weightsThreshold', label: 'Down-weighting threshold (weightsThreshold)', hint: 'How far above the model (standardised residual) a past week must be to be down-weighted.', kind: 'number' },
  { key: 'trend', label: 'Allow a time trend (trend)', hint: 'Fit a rising or falling baseline when there are at least 3 years and the trend passes its checks.', kind: 'bool' },
  { key: 'pThresholdTrend', label: 'Trend p-value threshold (pThresholdTrend)', hint: 'Keep the trend only when its p-value is below this; 1 keeps it whenever it passes the other checks.', kind: 'number' },
  { key: 'noPeriods', label: 'Seasonal levels (noPeriods)', hint: 'The weeks between the reference windows are split into this many minus one blocks, so the baseline follows the season.', kind: 'int' },
  { key: 'pastWeeksNotIncluded', label: 'Recent weeks left out (pastWeeksNotIncluded)', hint: 'Weeks just before the week evaluated that are kept out of the baseline, so an outbreak that is starting does not raise its own threshold.', kind: 'int' },
  {
    key: 'thresholdMethod',
    label: 'Threshold (thresholdMethod)',
    hint: 'How the upper threshold is computed from the model.',
    kind: 'choice',
    choices: [
      ['nbPlugin', 'Negative binomial quantile (nbPlugin)'],
      ['muan', 'Negative binomial with the uncertainty of the mean (muan)'],
      ['delta', 'Farrington 1996 normal approximation (delta)'],
    ],
  },
  {
    key: 'powertrans',
    label: 'Power transformation (powertrans)',
    hint: 'Only used by the Farrington 1996 threshold (delta).',
    kind: 'choice',
    choices: [
      ['2/3', '2/3'],
      ['1/2', '1/2 (square root)'],
      ['none', 'None'],
    ],
  },
];

const EARS: readonly Param[] = [
  { key: 'baseline', label: 'Baseline weeks', hint: 'The mean and spread come from this many weeks (before a 2-week gap for C2 and C3).', kind: 'int' },
  { key: 'alpha', label: 'Alpha', hint: 'How unusual a count must be to alarm. Leave empty for the method’s own: 0.001 for C1 and C2, 0.025 for C3.', kind: 'number' },
  { key: 'minSigma', label: 'Smallest spread (minSigma)', hint: 'The baseline’s standard deviation is at least this, so that after weeks of zeros a single event does not alarm (with 1, it takes 4 events).', kind: 'number' },
];

type Draft = {
  method: string;
  farrington: Record<string, string>;
  limitCases: string;
  limitWeeks: string;
  ears: Record<string, string>;
  triggers: { id: string; threshold: string; days: string; hours: string; description?: string | undefined }[];
};

function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function draftOf(cfg: IndicatorSetting): Draft {
  const f = cfg.farrington ?? {};
  const limit = Array.isArray(f.limit54) ? (f.limit54 as unknown[]) : null;
  return {
    method: cfg.method,
    farrington: Object.fromEntries(FARRINGTON.map((p) => [p.key, toText(f[p.key])])),
    limitCases: limit ? toText(limit[0]) : '',
    limitWeeks: limit ? toText(limit[1]) : '',
    ears: Object.fromEntries(EARS.map((p) => [p.key, toText(cfg.ears?.[p.key])])),
    triggers: cfg.triggers.map((t) => ({ id: t.id, threshold: String(t.threshold), days: toText(t.window.days), hours: toText(t.window.hours), description: t.description })),
  };
}

/** A number when the text is one; otherwise the text itself, which the server refuses with a message. */
function num(text: string): number | string {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

function paramsOf(params: readonly Param[], values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const v = (values[p.key] ?? '').trim();
    if (v === '') continue; // the default
    out[p.key] = p.kind === 'bool' ? v === 'yes' : p.kind === 'choice' ? v : num(v);
  }
  return out;
}

function settingOf(d: Draft, defaults: SettingsResponse['defaults']): IndicatorSetting {
  const farrington = paramsOf(FARRINGTON, d.farrington);
  if (d.limitCases.trim() !== '' || d.limitWeeks.trim() !== '') {
    const dl = (defaults.farrington.limit54 as [number, number] | undefined) ?? [5, 4];
    farrington.limit54 = [d.limitCases.trim() === '' ? dl[0] : num(d.limitCases), d.limitWeeks.trim() === '' ? dl[1] : num(d.limitWeeks)];
  }
  const ears = paramsOf(EARS, d.ears);
  const triggers: TriggerSetting[] = d.triggers.map((t) => {
    const window: Record<string, unknown> = {};
    if (t.days.trim() !== '') window.days = num(t.days);
    if (t.hours.trim() !== '') window.hours = num(t.hours);
    return { id: t.id, threshold: num(t.threshold), window, ...(t.description ? { description: t.description } : {}) } as TriggerSetting;
  });
  return {
    method: d.method,
    ...(Object.keys(farrington).length > 0 ? { farrington } : {}),
    ...(Object.keys(ears).length > 0 ? { ears } : {}),
    triggers,
  };
}

function defaultText(p: Param, value: unknown): string {
  if (value === null || value === undefined) return p.key === 'alpha' ? 'the method’s own' : 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (p.choices) return p.choices.find(([v]) => v === value)?.[1] ?? String(value);
  return String(value);
}

function ParamField({ idPrefix, p, value, def, error, onChange }: { idPrefix: string; p: Param; value: string; def: unknown; error: string | undefined; onChange: (v: string) => void }) {
  const id = `${idPrefix}-${p.key}`;
  const hint = `${p.hint} Default: ${defaultText(p, def)}. Leave empty for the default.`;
  if (p.kind === 'bool' || p.kind === 'choice') {
    const choices: readonly [string, string][] = p.kind === 'bool' ? [['yes', 'Yes'], ['no', 'No']] : (p.choices ?? []);
    return (
      <FormField id={id} label={p.label} hint={hint} error={error} labelSize="s">
        <select className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`} id={id} name={id} value={value} aria-describedby={describedBy(id, true, error)} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">Default ({defaultText(p, def)})</option>
          {choices.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </FormField>
    );
  }
  return (
    <FormField id={id} label={p.label} hint={hint} error={error} labelSize="s">
      <input
        className={`nhsuk-input nhsuk-input--width-5${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        inputMode={p.kind === 'int' ? 'numeric' : 'decimal'}
        spellCheck={false}
        value={value}
        aria-describedby={describedBy(id, true, error)}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </FormField>
  );
}

/**
 * One indicator's detection settings: the method, its parameters (empty = the documented
 * default) and the count triggers. Saving is audited and runs detection again at once for
 * the series of this indicator.
 */
export function IndicatorSettingsPage({ user, indicator }: { user: User; indicator: string }) {
  const q = useWarningSettings(can(user, 'warning.settings.read'));
  const save = useSaveWarningSettings();
  const [draft, setDraft] = useState<Draft | null>(null);
  const info = q.data?.indicators.find((i) => i.id === indicator);
  usePageTitle(info ? `${info.label}: detection settings` : 'Detection settings');
  const canWrite = can(user, 'warning.settings.write');

  const header = (
    <>
      <h1>
        <span className="nhsuk-caption-l">Early-warning settings</span>
        {info ? info.label : 'Detection settings'}
      </h1>
      <WarningNav current="/early-warning/settings" />
    </>
  );
  if (!canWrite) {
    return (
      <>
        {header}
        <InsetText>
          <p>Only LDIS coordinators and administrators change the early-warning settings.</p>
        </InsetText>
      </>
    );
  }
  if (q.isPending) return <Loading>Loading the settings…</Loading>;
  if (q.error || !q.data) return <SectionProblem error={q.error} what="the early-warning settings" />;
  const data = q.data;
  const current = data.monitoring.indicators[indicator];
  if (!info || !current) {
    return (
      <>
        {header}
        <p>There is no indicator “{indicator}”.</p>
      </>
    );
  }
  const d = draft ?? draftOf(current);
  const edit = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const prefix = `body.monitoring.indicators.${indicator}.`;
  const errors = fieldErrors(save.error, prefix);
  const fieldIds: Record<string, string> = { [`${prefix}method`]: 'method-auto' };
  for (const p of FARRINGTON) fieldIds[`${prefix}farrington.${p.key}`] = `f-${p.key}`;
  fieldIds[`${prefix}farrington.limit54.0`] = 'f-limit-cases';
  fieldIds[`${prefix}farrington.limit54.1`] = 'f-limit-weeks';
  for (const p of EARS) fieldIds[`${prefix}ears.${p.key}`] = `e-${p.key}`;
  d.triggers.forEach((_, i) => {
    fieldIds[`${prefix}triggers.${i}.id`] = `t-${i}-id`;
    fieldIds[`${prefix}triggers.${i}.threshold`] = `t-${i}-threshold`;
    fieldIds[`${prefix}triggers.${i}.window`] = `t-${i}-days`;
    fieldIds[`${prefix}triggers.${i}.window.days`] = `t-${i}-days`;
    fieldIds[`${prefix}triggers.${i}.window.hours`] = `t-${i}-hours`;
  });
  const defaults = data.defaults.monitoring.indicators[indicator];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const monitoring = { ...data.monitoring, indicators: { ...data.monitoring.indicators, [indicator]: settingOf(d, data.defaults) } };
    save.mutate({ monitoring }, { onSuccess: (r) => setDraft(draftOf(r.monitoring.indicators[indicator]!)) });
  };
  const setTrigger = (i: number, patch: Partial<Draft['triggers'][number]>) => edit({ triggers: d.triggers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  const nextId = () => {
    let n = d.triggers.length + 1;
    while (d.triggers.some((t) => t.id === `${indicator}-${n}`)) n++;
    return `${indicator}-${n}`;
  };

  return (
    <>
      {header}
      {save.error ? <ProblemSummary error={save.error} fieldIds={fieldIds} /> : null}
      {save.isSuccess ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{rerunText(save.data.rerun)}</p>
          <p>
            <Link to="/early-warning">See the areas and alarms</Link>
          </p>
        </div>
      ) : null}
      <p>
        Counts: {info.source}. Detection evaluates this indicator every week in every area. A change is recorded in the audit log and detection runs again at once for this indicator’s series.
      </p>
      <form onSubmit={submit} noValidate aria-label={`${info.label}: detection settings`}>
        <div className={`nhsuk-form-group${errors.method ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset className="nhsuk-fieldset" aria-describedby="method-hint">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
              <h2 className="nhsuk-fieldset__heading">Method</h2>
            </legend>
            <div className="nhsuk-hint" id="method-hint">
              Default: {METHOD_NAMES[defaults?.method ?? 'auto'] ?? defaults?.method}.
            </div>
            {errors.method ? (
              <span className="nhsuk-error-message">
                <span className="nhsuk-u-visually-hidden">Error: </span>
                {errors.method}
              </span>
            ) : null}
            <div className="nhsuk-radios">
              {Object.keys(METHOD_HINTS).map((m) => (
                <div className="nhsuk-radios__item" key={m}>
                  <input className="nhsuk-radios__input" id={`method-${m}`} name="method" type="radio" value={m} checked={d.method === m} aria-describedby={`method-${m}-hint`} onChange={() => edit({ method: m })} />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`method-${m}`}>
                    {METHOD_NAMES[m] ?? m}
                  </label>
                  <div className="nhsuk-hint nhsuk-radios__hint" id={`method-${m}-hint`}>
                    {METHOD_HINTS[m]}
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
        </div>

        <fieldset className="nhsuk-fieldset beacon-warning-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
            <h2 className="nhsuk-fieldset__heading">Farrington flexible parameters</h2>
          </legend>
          <p className="nhsuk-hint">Used by Farrington flexible and by the automatic choice. The defaults are the Noufaily et al. (2013) settings.</p>
          {FARRINGTON.map((p) => (
            <ParamField key={p.key} idPrefix="f" p={p} value={d.farrington[p.key] ?? ''} def={data.defaults.farrington[p.key]} error={errors[`farrington.${p.key}`]} onChange={(v) => edit({ farrington: { ...d.farrington, [p.key]: v } })} />
          ))}
          <div className={`nhsuk-form-group${errors['farrington.limit54.0'] || errors['farrington.limit54.1'] ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset className="nhsuk-fieldset" aria-describedby="f-limit-hint">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Minimum cases for an alarm (limit54)</legend>
              <div className="nhsuk-hint" id="f-limit-hint">
                No alarm unless at least this many cases in the latest weeks (the week evaluated included), so a single case never alarms. Default: 5 cases in 4 weeks. Leave empty for the default.
              </div>
              {[errors['farrington.limit54.0'], errors['farrington.limit54.1']].filter(Boolean).map((m) => (
                <span className="nhsuk-error-message" key={m}>
                  <span className="nhsuk-u-visually-hidden">Error: </span>
                  {m}
                </span>
              ))}
              <div className="beacon-warning-inline">
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="f-limit-cases">
                    Cases
                  </label>
                  <input className={`nhsuk-input nhsuk-input--width-4${errors['farrington.limit54.0'] ? ' nhsuk-input--error' : ''}`} id="f-limit-cases" type="text" inputMode="numeric" value={d.limitCases} onChange={(e) => edit({ limitCases: e.currentTarget.value })} />
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="f-limit-weeks">
                    in weeks
                  </label>
                  <input className={`nhsuk-input nhsuk-input--width-4${errors['farrington.limit54.1'] ? ' nhsuk-input--error' : ''}`} id="f-limit-weeks" type="text" inputMode="numeric" value={d.limitWeeks} onChange={(e) => edit({ limitWeeks: e.currentTarget.value })} />
                </div>
              </div>
            </fieldset>
          </div>
        </fieldset>

        <fieldset className="nhsuk-fieldset beacon-warning-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
            <h2 className="nhsuk-fieldset__heading">EARS parameters</h2>
          </legend>
          <p className="nhsuk-hint">Used by EARS C1, C2 and C3, and by the automatic choice while the history is short.</p>
          {EARS.map((p) => (
            <ParamField key={p.key} idPrefix="e" p={p} value={d.ears[p.key] ?? ''} def={data.defaults.ears[p.key]} error={errors[`ears.${p.key}`]} onChange={(v) => edit({ ears: { ...d.ears, [p.key]: v } })} />
          ))}
        </fieldset>

        <fieldset className="nhsuk-fieldset beacon-warning-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
            <h2 className="nhsuk-fieldset__heading">Count triggers</h2>
          </legend>
          <p className="nhsuk-hint">
            A trigger fires when at least the number of events happen within the window: “3 in 7 days”, or a 24-hour spike (a window of 24 hours: report dates are dates, so one calendar day). Default:{' '}
            {defaults && defaults.triggers.length > 0 ? defaults.triggers.map((t) => `${t.threshold} in ${t.window.days ? `${t.window.days} days` : `${t.window.hours ?? 0} hours`}`).join('; ') : 'none'}.
          </p>
          {d.triggers.length === 0 ? <p>No count triggers.</p> : null}
          {d.triggers.map((t, i) => (
            <div className="beacon-warning-trigger" key={i}>
              <h3 className="nhsuk-heading-s">Trigger {i + 1}</h3>
              <FormField id={`t-${i}-id`} label="Name" hint="Step rules can refer to a trigger by its name." error={errors[`triggers.${i}.id`]}>
                <input className={`nhsuk-input nhsuk-input--width-20${errors[`triggers.${i}.id`] ? ' nhsuk-input--error' : ''}`} id={`t-${i}-id`} type="text" spellCheck={false} value={t.id} aria-describedby={describedBy(`t-${i}-id`, true, errors[`triggers.${i}.id`])} onChange={(e) => setTrigger(i, { id: e.currentTarget.value })} />
              </FormField>
              <FormField id={`t-${i}-threshold`} label="Number of events" error={errors[`triggers.${i}.threshold`]}>
                <input className={`nhsuk-input nhsuk-input--width-4${errors[`triggers.${i}.threshold`] ? ' nhsuk-input--error' : ''}`} id={`t-${i}-threshold`} type="text" inputMode="numeric" value={t.threshold} aria-describedby={describedBy(`t-${i}-threshold`, false, errors[`triggers.${i}.threshold`])} onChange={(e) => setTrigger(i, { threshold: e.currentTarget.value, description: undefined })} />
              </FormField>
              <FormField id={`t-${i}-days`} label="Within days" hint="Give days, hours or both." error={errors[`triggers.${i}.window`] ?? errors[`triggers.${i}.window.days`]}>
                <input className={`nhsuk-input nhsuk-input--width-4${errors[`triggers.${i}.window`] || errors[`triggers.${i}.window.days`] ? ' nhsuk-input--error' : ''}`} id={`t-${i}-days`} type="text" inputMode="numeric" value={t.days} aria-describedby={describedBy(`t-${i}-days`, true, errors[`triggers.${i}.window`] ?? errors[`triggers.${i}.window.days`])} onChange={(e) => setTrigger(i, { days: e.currentTarget.value, description: undefined })} />
              </FormField>
              <FormField id={`t-${i}-hours`} label="and hours" error={errors[`triggers.${i}.window.hours`]}>
                <input className={`nhsuk-input nhsuk-input--width-4${errors[`triggers.${i}.window.hours`] ? ' nhsuk-input--error' : ''}`} id={`t-${i}-hours`} type="text" inputMode="numeric" value={t.hours} aria-describedby={describedBy(`t-${i}-hours`, false, errors[`triggers.${i}.window.hours`])} onChange={(e) => setTrigger(i, { hours: e.currentTarget.value, description: undefined })} />
              </FormField>
              <Button type="button" secondary onClick={() => edit({ triggers: d.triggers.filter((_, j) => j !== i) })}>
                Remove trigger {i + 1}
              </Button>
            </div>
          ))}
          {d.triggers.length < 10 ? (
            <Button type="button" secondary onClick={() => edit({ triggers: [...d.triggers, { id: nextId(), threshold: '3', days: '', hours: '24' }] })}>
              Add a count trigger
            </Button>
          ) : null}
        </fieldset>

        <div className="beacon-warning-actions">
          <Button type="submit" disabled={save.isPending}>
            Save and run detection
          </Button>
          <Button type="button" secondary onClick={() => defaults && setDraft(draftOf(defaults))}>
            Restore the defaults
          </Button>
        </div>
      </form>
      <p>
        <Link to="/early-warning/settings">Back to the early-warning settings</Link>
      </p>
    </>
  );
}
