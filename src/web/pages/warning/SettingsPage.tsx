import { InsetText } from 'nhsuk-react-components';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { SectionProblem } from '../../components/ErrorSummaryBox';
import { Loading } from '../../components/Loading';
import { usePageTitle } from '../../components/usePageTitle';
import { METHOD_NAMES } from './labels';
import { can, WarningNav } from './shared';

interface Trigger {
  id: string;
  threshold: number;
  window: { days?: number; hours?: number };
  description?: string;
}
interface SettingsResponse {
  monitoring: { evaluateWeeks: number; recentWeeks: number; indicators: Record<string, { method: string; triggers: Trigger[]; farrington?: Record<string, unknown>; ears?: Record<string, unknown> }> };
  stepRules: { id: string; step: number; text: string }[];
  adjacency: Record<string, string[]>;
  schedule: { enabled: boolean; checkSeconds: number; intervalMinutes: number };
  areaNames: Record<string, string>;
  indicators: { id: string; label: string; source: string }[];
}

function triggerText(t: Trigger): string {
  if (t.description) return t.description;
  const d = t.window.days ?? 0;
  const h = t.window.hours ?? 0;
  const span = d > 0 && h === 0 ? `${d} day${d === 1 ? '' : 's'}` : `${d * 24 + h} hours`;
  return `${t.threshold} or more in ${span}`;
}

function params(p: Record<string, unknown> | undefined): string {
  if (!p || Object.keys(p).length === 0) return '';
  return ` (${Object.entries(p)
    .map(([k, v]) => `${k} = ${String(v)}`)
    .join(', ')})`;
}

/** The early-warning settings in words (changed through PUT /api/warning/settings). */
export function SettingsPage({ user }: { user: User }) {
  usePageTitle('Early-warning settings');
  const allowed = can(user, 'warning.settings.read');
  const q = useQuery({
    queryKey: ['warning', 'settings'],
    queryFn: ({ signal }) => api.get<SettingsResponse>('/api/warning/settings', { signal }),
    enabled: allowed,
    retry: false,
  });
  const d = q.data;
  return (
    <>
      <h1>
        <span className="nhsuk-caption-l">Early warning</span>
        How detection is set up
      </h1>
      <WarningNav current="/early-warning/settings" />
      {!allowed ? (
        <InsetText>
          <p>Your role does not give you access to the early-warning settings.</p>
        </InsetText>
      ) : q.isPending ? (
        <Loading>Loading the settings…</Loading>
      ) : q.error || !d ? (
        <SectionProblem error={q.error} what="the early-warning settings" />
      ) : (
        <>
          <p>
            Each indicator is evaluated weekly in every area over the latest {d.monitoring.evaluateWeeks} weeks; alarms and triggers in the
            latest {d.monitoring.recentWeeks} weeks count as recent.{' '}
            {d.schedule.enabled
              ? `Detection runs when new data arrive (checked every ${d.schedule.checkSeconds} seconds) and at least every ${d.schedule.intervalMinutes} minutes.`
              : 'Scheduled detection is switched off; it runs only on demand.'}
          </p>
          <div className="beacon-warning-scroll" tabIndex={0} role="region" aria-label="Indicators and methods">
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption">Indicators, methods and count triggers</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">Indicator</th>
                  <th scope="col" className="nhsuk-table__header">Method</th>
                  <th scope="col" className="nhsuk-table__header">Count triggers</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {d.indicators.map((i) => {
                  const cfg = d.monitoring.indicators[i.id];
                  return (
                    <tr key={i.id} className="nhsuk-table__row">
                      <th scope="row" className="nhsuk-table__cell">
                        {i.label}
                        <span className="nhsuk-body-s nhsuk-u-secondary-text-colour beacon-warning-block">{i.source}</span>
                      </th>
                      <td className="nhsuk-table__cell">
                        {cfg ? `${METHOD_NAMES[cfg.method] ?? cfg.method}${params(cfg.farrington)}${params(cfg.ears)}` : '–'}
                      </td>
                      <td className="nhsuk-table__cell">{cfg && cfg.triggers.length > 0 ? cfg.triggers.map(triggerText).join('; ') : 'None'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <h2>Step rules</h2>
          <p>The highest step whose rule is met is proposed; the coordinator confirms it or sets another step with a reason.</p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {d.stepRules.map((r) => (
              <li key={r.id}>
                Step {r.step}: {r.text}
              </li>
            ))}
          </ul>
          <h2>Neighbouring areas</h2>
          {Object.keys(d.adjacency).length === 0 ? (
            <p>None configured.</p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--bullet">
              {Object.entries(d.adjacency).map(([a, list]) => (
                <li key={a}>
                  {d.areaNames[a] ?? a}: {list.map((n) => d.areaNames[n] ?? n).join(', ')}
                </li>
              ))}
            </ul>
          )}
          <p className="nhsuk-body-s">Coordinators and administrators change these through the API (PUT /api/warning/settings); see docs/detection.md.</p>
        </>
      )}
    </>
  );
}
