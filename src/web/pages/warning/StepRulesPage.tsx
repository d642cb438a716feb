import { Button, InsetText } from 'nhsuk-react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { describedBy, FormField } from '../../components/FormField';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { Link } from '../../router/router';
import { fieldErrors, rerunText, useSaveWarningSettings, useWarningSettings, type SettingsResponse, type StepCondition, type StepRuleSetting } from './settingsApi';
import { can, WarningNav } from './shared';

const DRUG_CHECK_METHODS: Record<string, string> = {
  test_strip: 'test strip',
  drug_checking_service: 'drug-checking service',
  police_forensic: 'police forensics',
  wedinos: 'WEDINOS',
  laboratory: 'laboratory',
  toxicology: 'toxicology',
};

/** A condition in words (the parameters are edited beside it). */
function conditionWords(c: StepCondition, label: (id: string) => string): string {
  switch (c.kind) {
    case 'all':
      return 'All of these';
    case 'any':
      return 'Any of these';
    case 'drugCheckPositive':
      return `A nitazene-positive result${c.methods ? ` by ${c.methods.map((m) => DRUG_CHECK_METHODS[m] ?? m).join(', ')}` : ' of any kind'}`;
    case 'caseMatches':
      return `Case-definition matches at level ${c.minLevel} or higher`;
    case 'countTrigger':
      return `A count trigger fired${c.indicators ? ` in ${c.indicators.map(label).join(', ')}` : ''}`;
    case 'exceedance':
      return `An exceedance alarm in ${c.indicators.map(label).join(', ')}`;
  }
}

type Path = number[];

function update(c: StepCondition, path: Path, f: (c: StepCondition) => StepCondition): StepCondition {
  if (path.length === 0) return f(c);
  if (!('of' in c)) return c;
  const [head, ...rest] = path;
  return { ...c, of: c.of.map((x, i) => (i === head ? update(x, rest, f) : x)) };
}

function numOr(text: string): number | string {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/**
 * The step rules (what composes into a proposal of Step 2 or Step 3) and the neighbouring
 * areas told of a step change. Each rule's words, step, windows and counts can be changed;
 * the structure of the defaults (docs/detection.md) is kept. Saving is audited; a change
 * of rules proposes steps again at once.
 */
export function StepRulesPage({ user }: { user: User }) {
  usePageTitle('Step rules and neighbouring areas');
  const q = useWarningSettings(can(user, 'warning.settings.read'));
  const save = useSaveWarningSettings();
  const [rules, setRules] = useState<StepRuleSetting[] | null>(null);
  const [adjacency, setAdjacency] = useState<Record<string, string[]> | null>(null);
  const [saved, setSaved] = useState<'rules' | 'neighbours' | null>(null);
  const header = (
    <>
      <h1>
        <span className="nhsuk-caption-l">Early-warning settings</span>
        Step rules and neighbouring areas
      </h1>
      <WarningNav current="/early-warning/settings" />
    </>
  );
  if (!can(user, 'warning.settings.write')) {
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
  const data: SettingsResponse = q.data;
  const r = rules ?? data.stepRules;
  const adj = adjacency ?? data.adjacency;
  const label = (id: string) => {
    const l = data.indicators.find((i) => i.id === id)?.label ?? id;
    return l.charAt(0).toLowerCase() + l.slice(1); // "drug-related A&E attendances"
  };
  const errors = saved === 'neighbours' ? {} : fieldErrors(save.error, 'body.stepRules.');
  const fieldIds: Record<string, string> = {};
  for (const k of Object.keys(fieldErrors(save.error, 'body.stepRules.'))) fieldIds[`body.stepRules.${k}`] = `rule-${k.replace(/\./g, '-')}`;

  const setRule = (i: number, patch: Partial<StepRuleSetting>) => {
    setSaved(null);
    setRules(r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };
  const setCondition = (i: number, path: Path, f: (c: StepCondition) => StepCondition) => setRule(i, { when: update(r[i]!.when, path, f) });

  const conditionFields = (i: number, c: StepCondition, path: Path): ReactNode => {
    const key = ['when', ...path.flatMap((p) => ['of', String(p)])].join('.');
    const id = `rule-${i}-${key.replace(/\./g, '-')}`;
    if ('of' in c) {
      return (
        <li key={id}>
          {conditionWords(c, label)}:
          <ul className="nhsuk-list beacon-warning-conditions">{c.of.map((x, j) => conditionFields(i, x, [...path, j]))}</ul>
        </li>
      );
    }
    const err = (f: string) => errors[`${i}.${key}.${f}`];
    const numberField = (f: 'withinDays' | 'atLeast', text: string, value: number | undefined) => (
      <FormField id={`${id}-${f}`} label={text} error={err(f)}>
        <input
          className={`nhsuk-input nhsuk-input--width-4${err(f) ? ' nhsuk-input--error' : ''}`}
          id={`${id}-${f}`}
          type="text"
          inputMode="numeric"
          value={value === undefined ? '' : String(value)}
          aria-describedby={describedBy(`${id}-${f}`, false, err(f))}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setCondition(i, path, (x) => ({ ...x, [f]: v.trim() === '' && f === 'atLeast' ? undefined : numOr(v) }) as StepCondition);
          }}
        />
      </FormField>
    );
    return (
      <li key={id} className="beacon-warning-condition">
        <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
          <strong>{conditionWords(c, label)}</strong>
        </p>
        <div className="beacon-warning-inline">
          {numberField('withinDays', 'In the last days', c.withinDays)}
          {c.kind === 'caseMatches' || c.kind === 'drugCheckPositive' ? numberField('atLeast', 'At least', c.atLeast ?? 1) : null}
          {c.kind === 'caseMatches' ? (
            <FormField id={`${id}-minLevel`} label="Level at least" error={err('minLevel')}>
              <select className="nhsuk-select" id={`${id}-minLevel`} value={c.minLevel} onChange={(e) => setCondition(i, path, (x) => ({ ...x, minLevel: e.currentTarget.value }) as StepCondition)}>
                <option value="suspected">Suspected</option>
                <option value="probable">Probable</option>
                <option value="confirmed">Confirmed</option>
              </select>
            </FormField>
          ) : null}
        </div>
      </li>
    );
  };

  const submitRules = (e: FormEvent) => {
    e.preventDefault();
    setSaved('rules');
    save.mutate({ stepRules: r }, { onSuccess: (res) => setRules(res.stepRules) });
  };
  const submitNeighbours = (e: FormEvent) => {
    e.preventDefault();
    setSaved('neighbours');
    const cleaned = Object.fromEntries(Object.entries(adj).filter(([, list]) => list.length > 0));
    save.mutate({ adjacency: cleaned }, { onSuccess: (res) => setAdjacency(res.adjacency) });
  };
  const neighboursOf = (a: string): Set<string> => {
    const s = new Set(adj[a] ?? []);
    for (const [k, list] of Object.entries(adj)) if (list.includes(a)) s.add(k);
    return s;
  };
  const toggle = (a: string, b: string, on: boolean) => {
    setSaved(null);
    const next: Record<string, string[]> = {};
    for (const [k, list] of Object.entries(adj)) next[k] = list.filter((x) => !((k === a && x === b) || (k === b && x === a)));
    if (on) next[a] = [...(next[a] ?? []), b];
    setAdjacency(next);
  };

  return (
    <>
      {header}
      {save.error ? <ProblemSummary error={save.error} fieldIds={fieldIds} /> : null}
      {save.isSuccess && saved ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{saved === 'neighbours' ? 'Saved. Neighbouring areas are told when a step changes from now on.' : rerunText(save.data.rerun)}</p>
        </div>
      ) : null}
      <h2>Step rules</h2>
      <p>
        Detection proposes the highest step whose rule is met; with none, Step 1. A proposal only proposes: the coordinator confirms it or sets another step with a reason. Changing a rule is recorded in the audit log and proposes steps again at once.
      </p>
      <form onSubmit={submitRules} noValidate aria-label="Step rules">
        {r.map((rule, i) => (
          <fieldset className="nhsuk-fieldset beacon-warning-fieldset" key={rule.id}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              Rule {i + 1} ({rule.id})
            </legend>
            <FormField id={`rule-${i}-text`} label="What the rule means, in words" error={errors[`${i}.text`]}>
              {/* A textarea, so the whole wording wraps and shows on a phone (a text input scrolls it sideways out of sight). The wording is one line: Enter saves, as it did in the input, and pasted line breaks become spaces. */}
              <textarea
                className={`nhsuk-textarea beacon-warning-wording${errors[`${i}.text`] ? ' nhsuk-textarea--error' : ''}`}
                id={`rule-${i}-text`}
                rows={2}
                value={rule.text}
                aria-describedby={describedBy(`rule-${i}-text`, false, errors[`${i}.text`])}
                onChange={(e) => setRule(i, { text: e.currentTarget.value.replace(/\s*[\r\n]+\s*/g, ' ') })}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return;
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }}
              />
            </FormField>
            <FormField id={`rule-${i}-step`} label="Proposes">
              <select className="nhsuk-select" id={`rule-${i}-step`} value={rule.step} onChange={(e) => setRule(i, { step: Number(e.currentTarget.value) as 2 | 3 })}>
                <option value={2}>Step 2</option>
                <option value={3}>Step 3</option>
              </select>
            </FormField>
            <p className="nhsuk-body-s">When:</p>
            <ul className="nhsuk-list beacon-warning-conditions">{conditionFields(i, rule.when, [])}</ul>
          </fieldset>
        ))}
        <div className="beacon-warning-actions">
          <Button type="submit" disabled={save.isPending}>
            Save the step rules
          </Button>
          <Button
            type="button"
            secondary
            onClick={() => {
              setSaved(null);
              setRules(data.defaults.stepRules);
            }}
          >
            Restore the default rules
          </Button>
        </div>
      </form>

      <h2>Neighbouring areas</h2>
      <p>When an area’s step changes, the coordinators of its neighbouring areas are told (in Beacon and by e-mail). Neighbours are read both ways.</p>
      {data.areas.length < 2 ? (
        <p>Neighbours can be chosen once detection has results for two areas or more.</p>
      ) : (
        <form onSubmit={submitNeighbours} noValidate aria-label="Neighbouring areas">
          {data.areas.map((a) => (
            <div className="nhsuk-form-group" key={a.area}>
              <fieldset className="nhsuk-fieldset">
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Neighbours of {a.name}</legend>
                <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                  {data.areas
                    .filter((b) => b.area !== a.area)
                    .map((b) => {
                      const id = `adj-${a.area}-${b.area}`;
                      return (
                        <div className="nhsuk-checkboxes__item" key={b.area}>
                          <input className="nhsuk-checkboxes__input" id={id} type="checkbox" checked={neighboursOf(a.area).has(b.area)} onChange={(e) => toggle(a.area, b.area, e.currentTarget.checked)} />
                          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
                            {b.name}
                          </label>
                        </div>
                      );
                    })}
                </div>
              </fieldset>
            </div>
          ))}
          <Button type="submit" disabled={save.isPending}>
            Save the neighbouring areas
          </Button>
        </form>
      )}
      <p>
        <Link to="/early-warning/settings">Back to the early-warning settings</Link>
      </p>
    </>
  );
}
