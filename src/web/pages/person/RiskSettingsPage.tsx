import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'nhsuk-react-components';
import { useState, type FormEvent } from 'react';
import { api, apiRequest } from '../../api/client';
import type { User } from '../../api/types';
import { ProblemSummary, SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { RiskNav } from './CaseloadPage';
import type { Rule, Tier } from './api';

interface Window {
  amount: number;
  unit: 'days' | 'months';
}
type Condition =
  | { kind: 'anyCritical' }
  | { kind: 'countAtLeast'; min: number }
  | { kind: 'countBetween'; min: number; max: number }
  | { kind: 'anyOf'; codes: string[] }
  | { kind: 'allOf'; codes: string[] }
  | { kind: 'always' };
interface TierRule {
  id: string;
  tier: Tier;
  when: Condition;
  text?: string;
}
type Config = Record<string, unknown> & { tierRules: TierRule[]; alcoholDaysAbove: number; alcoholUnitsAbove: number; potentOpioidCritical: boolean };
interface ConfigResponse {
  config: Config;
  overrides: Record<string, unknown>;
  defaults: Config;
  rules: Rule[];
  problems: string[];
  updated_at: string | null;
  updated_by: string | null;
}

/** The windows an administrator may change, with what each one means. */
const WINDOWS: readonly [string, string][] = [
  ['evidenceWindow', 'TOPs and drug tests count as recent evidence (injecting, depressants, on top) for'],
  ['overdoseWindow', 'A non-fatal overdose raises the flag for'],
  ['overdoseCriticalWindow', 'A non-fatal overdose is critical for'],
  ['releaseWindow', 'A release from prison, hospital or rehab lowers tolerance for'],
  ['releaseCriticalWindow', 'A release is critical for'],
  ['inductionWindow', 'The first weeks of treatment (transition) last'],
  ['episodeEndedWindow', 'An ended episode is a transition for'],
  ['potentOpioidWindow', 'A fentanyl or nitazene test raises the flag for'],
  ['healthWindow', 'A health event raises the flag for'],
  ['naloxoneWindow', 'A naloxone supply protects for'],
];

const KINDS: readonly [Condition['kind'], string][] = [
  ['anyCritical', 'any critical flag'],
  ['countAtLeast', 'at least N risk flags'],
  ['countBetween', 'between N and M risk flags'],
  ['anyOf', 'any of these flag codes'],
  ['allOf', 'all of these flag codes'],
  ['always', 'always (catch-all)'],
];

function conditionOf(kind: Condition['kind'], old: Condition): Condition {
  const min = 'min' in old ? old.min : 1;
  const codes = 'codes' in old ? old.codes : [];
  switch (kind) {
    case 'countAtLeast':
      return { kind, min };
    case 'countBetween':
      return { kind, min, max: 'max' in old ? old.max : min };
    case 'anyOf':
    case 'allOf':
      return { kind, codes };
    default:
      return { kind };
  }
}

/**
 * Administrators change the overdose-risk windows, thresholds and tier rules here. Saving
 * is audited and takes effect at once on every record, caseload, report and worklist.
 */
export function RiskSettingsPage({ user }: { user: User }) {
  usePageTitle('Overdose risk settings');
  const client = useQueryClient();
  const current = useQuery({ queryKey: ['risk', 'config'], queryFn: ({ signal }) => api.get<ConfigResponse>('/api/risk/config', { signal }), retry: false });
  const [draft, setDraft] = useState<Config | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiRequest<ConfigResponse>('/api/risk/config', { method: 'PUT', json: body }),
    onSuccess: (data) => {
      client.setQueryData(['risk', 'config'], data);
      // In force at once everywhere: records, caseload, the risk report and the MAT
      // worklists and people (their risk tiers) are read again, not served from the cache.
      void client.invalidateQueries({ queryKey: ['person'] });
      void client.invalidateQueries({ queryKey: ['risk'], predicate: (q) => q.queryKey[1] !== 'config' });
      void client.invalidateQueries({ queryKey: ['mat'] });
      setDraft(null);
      setSaved(true);
    },
  });
  const canWrite = user.permissions?.includes('risk.config.write') ?? false;
  if (current.isPending) return <Loading>Loading the settings…</Loading>;
  if (current.error) return <SectionProblem error={current.error} what="the risk settings" />;
  const data = current.data;
  const config = draft ?? data.config;
  const edit = (patch: Partial<Config>) => {
    setSaved(false);
    setDraft({ ...config, ...patch });
  };
  const windowOf = (key: string): Window => config[key] as Window;
  const setRule = (i: number, rule: TierRule) => edit({ tierRules: config.tierRules.map((r, j) => (j === i ? rule : r)) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    for (const [key] of WINDOWS) body[key] = config[key];
    body.alcoholDaysAbove = config.alcoholDaysAbove;
    body.alcoholUnitsAbove = config.alcoholUnitsAbove;
    body.potentOpioidCritical = config.potentOpioidCritical;
    body.tierRules = config.tierRules.map((r) => ({ id: r.id, tier: r.tier, when: r.when }));
    save.mutate(body);
  };

  return (
    <>
      <h1>Overdose risk settings</h1>
      <RiskNav user={user} />
      <p>
        The windows, thresholds and tier rules of the overdose risk profile (domain reference §2). A change takes effect at once everywhere: records, caseloads, reports and worklists. Every change is recorded in the audit log.
      </p>
      <p className="nhsuk-body-s">
        {data.updated_at ? `Last changed by ${data.updated_by ?? 'unknown'} on ${new Date(data.updated_at).toLocaleString('en-GB')}.` : 'These are the defaults.'}
      </p>
      {data.problems.length > 0 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>The stored settings are not valid, so the defaults are in use
            </span>
          </h2>
          <ul>
            {data.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {save.error ? <ProblemSummary error={save.error} /> : null}
      {saved ? (
        <p role="status" className="nhsuk-body">
          Saved. The new settings are in force.
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <fieldset className="nhsuk-fieldset" disabled={!canWrite}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Windows</legend>
          {WINDOWS.map(([key, label]) => {
            const w = windowOf(key);
            return (
              <div className="nhsuk-form-group beacon-person-inline" key={key}>
                <div>
                  <label className="nhsuk-label" htmlFor={`w-${key}`}>
                    {label}
                  </label>
                  <input
                    className="nhsuk-input nhsuk-input--width-4"
                    id={`w-${key}`}
                    type="number"
                    min={0}
                    inputMode="numeric"
                    value={w.amount}
                    onChange={(e) => edit({ [key]: { ...w, amount: Number(e.target.value) } })}
                  />{' '}
                  <label className="nhsuk-u-visually-hidden" htmlFor={`u-${key}`}>
                    Unit
                  </label>
                  <select className="nhsuk-select" id={`u-${key}`} value={w.unit} onChange={(e) => edit({ [key]: { ...w, unit: e.target.value as Window['unit'] } })}>
                    <option value="days">days</option>
                    <option value="months">months</option>
                  </select>
                </div>
              </div>
            );
          })}
        </fieldset>
        <fieldset className="nhsuk-fieldset" disabled={!canWrite}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Thresholds</legend>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="alcohol-days">
              Depressants: alcohol on more than this many of 28 days
            </label>
            <input className="nhsuk-input nhsuk-input--width-4" id="alcohol-days" type="number" min={0} max={28} value={config.alcoholDaysAbove} onChange={(e) => edit({ alcoholDaysAbove: Number(e.target.value) })} />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="alcohol-units">
              Depressants: more than this many units on a drinking day
            </label>
            <input className="nhsuk-input nhsuk-input--width-4" id="alcohol-units" type="number" min={0} value={config.alcoholUnitsAbove} onChange={(e) => edit({ alcoholUnitsAbove: Number(e.target.value) })} />
          </div>
          <div className="nhsuk-checkboxes">
            <div className="nhsuk-checkboxes__item">
              <input className="nhsuk-checkboxes__input" id="potent-critical" type="checkbox" checked={config.potentOpioidCritical} onChange={(e) => edit({ potentOpioidCritical: e.target.checked })} />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="potent-critical">
                A fentanyl or nitazene test is a critical flag
              </label>
            </div>
          </div>
        </fieldset>
        <fieldset className="nhsuk-fieldset beacon-person-section" disabled={!canWrite}>
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Tier rules, in order (the first that matches decides)</legend>
          <ol className="nhsuk-list nhsuk-list--number">
            {config.tierRules.map((r, i) => (
              <li key={`${r.id}-${i}`} className="beacon-person-inline">
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor={`rule-${i}-tier`}>
                    Rule {i + 1} ({r.id}): tier
                  </label>
                  <select className="nhsuk-select" id={`rule-${i}-tier`} value={r.tier} onChange={(e) => setRule(i, { ...r, tier: e.target.value as Tier })}>
                    <option value="high">High</option>
                    <option value="medium">Medium</option>
                    <option value="low">Low</option>
                  </select>
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor={`rule-${i}-kind`}>
                    when
                  </label>
                  <select className="nhsuk-select" id={`rule-${i}-kind`} value={r.when.kind} onChange={(e) => setRule(i, { ...r, when: conditionOf(e.target.value as Condition['kind'], r.when) })}>
                    {KINDS.map(([k, l]) => (
                      <option key={k} value={k}>
                        {l}
                      </option>
                    ))}
                  </select>
                </div>
                {'min' in r.when ? (
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label" htmlFor={`rule-${i}-min`}>
                      N
                    </label>
                    <input className="nhsuk-input nhsuk-input--width-2" id={`rule-${i}-min`} type="number" min={0} value={r.when.min} onChange={(e) => setRule(i, { ...r, when: { ...r.when, min: Number(e.target.value) } as Condition })} />
                  </div>
                ) : null}
                {'max' in r.when ? (
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label" htmlFor={`rule-${i}-max`}>
                      M
                    </label>
                    <input className="nhsuk-input nhsuk-input--width-2" id={`rule-${i}-max`} type="number" min={0} value={r.when.max} onChange={(e) => setRule(i, { ...r, when: { ...r.when, max: Number(e.target.value) } as Condition })} />
                  </div>
                ) : null}
                {'codes' in r.when ? (
                  <div className="nhsuk-form-group">
                    <label className="nhsuk-label" htmlFor={`rule-${i}-codes`}>
                      Flag codes (comma separated)
                    </label>
                    <input
                      className="nhsuk-input"
                      id={`rule-${i}-codes`}
                      type="text"
                      value={r.when.codes.join(', ')}
                      onChange={(e) => setRule(i, { ...r, when: { ...r.when, codes: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) } as Condition })}
                    />
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </fieldset>
        {canWrite ? (
          <div className="beacon-person-inline">
            <Button type="submit" disabled={save.isPending}>
              Save settings
            </Button>
            <Button type="button" secondary disabled={save.isPending} onClick={() => save.mutate({})}>
              Restore the defaults
            </Button>
          </div>
        ) : (
          <p>Only an administrator can change these settings.</p>
        )}
      </form>
      <h2>The tier rules in force</h2>
      <ol className="nhsuk-list nhsuk-list--number">
        {data.rules.map((r) => (
          <li key={r.id}>{r.text}</li>
        ))}
      </ol>
    </>
  );
}
