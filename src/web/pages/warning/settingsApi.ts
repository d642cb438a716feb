/** The early-warning settings API (GET/PUT /api/warning/settings, /api/warning/email). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest, ApiError } from '../../api/client';

export interface TriggerSetting {
  id: string;
  threshold: number;
  window: { days?: number; hours?: number };
  alignment?: 'sliding' | 'calendar';
  description?: string;
}

export interface IndicatorSetting {
  method: string;
  farrington?: Record<string, unknown>;
  ears?: Record<string, unknown>;
  triggers: TriggerSetting[];
}

export interface Monitoring {
  evaluateWeeks: number;
  recentWeeks: number;
  indicators: Record<string, IndicatorSetting>;
}

export type StepCondition =
  | { kind: 'all' | 'any'; of: StepCondition[] }
  | { kind: 'drugCheckPositive'; withinDays: number; methods?: string[]; atLeast?: number }
  | { kind: 'caseMatches'; withinDays: number; minLevel: 'suspected' | 'probable' | 'confirmed'; atLeast: number }
  | { kind: 'countTrigger'; withinDays: number; indicators?: string[]; triggerIds?: string[] }
  | { kind: 'exceedance'; withinDays: number; indicators: string[] };

export interface StepRuleSetting {
  id: string;
  step: 2 | 3;
  text: string;
  when: StepCondition;
}

export interface SettingsResponse {
  monitoring: Monitoring;
  stepRules: StepRuleSetting[];
  adjacency: Record<string, string[]>;
  schedule: { enabled: boolean; checkSeconds: number; intervalMinutes: number };
  areaNames: Record<string, string>;
  indicators: { id: string; label: string; source: string }[];
  defaults: { farrington: Record<string, unknown>; ears: Record<string, unknown>; monitoring: Monitoring; stepRules: StepRuleSetting[] };
  changed: { key: string; at: string; by: string | null }[];
  areas: { area: string; name: string }[];
}

export interface SettingsPutResponse extends SettingsResponse {
  rerun: { run_id: number | null; series_computed: number; series_total: number; alarms_new: number; error: string | null } | null;
}

export type SettingsPatch = Partial<Pick<SettingsResponse, 'monitoring' | 'stepRules' | 'adjacency'>>;

export function useWarningSettings(enabled = true) {
  return useQuery({
    queryKey: ['warning', 'settings'],
    queryFn: ({ signal }) => api.get<SettingsResponse>('/api/warning/settings', { signal }),
    enabled,
    retry: false,
  });
}

export function useSaveWarningSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => apiRequest<SettingsPutResponse>('/api/warning/settings', { method: 'PUT', json: body }),
    onSuccess: (data) => {
      void qc.invalidateQueries({ queryKey: ['warning'] });
      qc.setQueryData(['warning', 'settings'], data);
    },
  });
}

export interface EmailPreference {
  email: string | null;
  earlyWarning: boolean;
}

export function useEmailPreference(enabled = true) {
  return useQuery({
    queryKey: ['warning', 'email'],
    queryFn: ({ signal }) => api.get<EmailPreference>('/api/warning/email', { signal }),
    enabled,
    retry: false,
  });
}

export function useSaveEmailPreference() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; earlyWarning: boolean }) => apiRequest<EmailPreference>('/api/warning/email', { method: 'PUT', json: body }),
    onSuccess: (data) => qc.setQueryData(['warning', 'email'], data),
  });
}

/** Field errors of a failed save, keyed by the field path after `prefix` ("body.monitoring.indicators.death."). */
export function fieldErrors(error: unknown, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem.errors ?? []) {
    const field = e.field ?? (Array.isArray(e.path) ? e.path.join('.') : e.path);
    if (typeof field === 'string' && field.startsWith(prefix)) {
      const k = field.slice(prefix.length);
      out[k] ??= e.message;
    }
  }
  return out;
}

/** "Saved. Detection ran again at once: 3 of 24 series recomputed, no new alarms." */
export function rerunText(r: SettingsPutResponse['rerun']): string {
  if (!r) return 'Saved. Nothing that detection reads changed, so it did not run again.';
  if (r.error) return `Saved, but detection could not run again: ${r.error}. The scheduler will try again.`;
  const alarms = r.alarms_new === 0 ? 'no new alarms' : `${r.alarms_new} new alarm${r.alarms_new === 1 ? '' : 's'}`;
  return `Saved. Detection ran again at once: ${r.series_computed} of ${r.series_total} series recomputed, ${alarms}.`;
}
