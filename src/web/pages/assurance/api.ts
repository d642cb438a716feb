import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { AuditDetail, AuditSummary, NeedsReport, Partner, PlanView, TemplateSummary, TrialRunDetail } from './types';

export const keys = {
  all: ['assurance'] as const,
  audits: ['assurance', 'audits'] as const,
  audit: (id: number) => ['assurance', 'audit', id] as const,
  templates: ['assurance', 'templates'] as const,
  plan: ['assurance', 'plan'] as const,
  needs: ['assurance', 'needs'] as const,
  partners: ['assurance', 'partners'] as const,
  trialRun: (id: number) => ['assurance', 'trial-run', id] as const,
};

export const useAudits = () => useQuery({ queryKey: keys.audits, queryFn: ({ signal }) => apiRequest<AuditSummary[]>('/api/assurance/audits', { signal }), retry: false });
export const useTemplates = () => useQuery({ queryKey: keys.templates, queryFn: ({ signal }) => apiRequest<TemplateSummary[]>('/api/assurance/templates', { signal }), retry: false });
export const useAudit = (id: number) => useQuery({ queryKey: keys.audit(id), queryFn: ({ signal }) => apiRequest<AuditDetail>(`/api/assurance/audits/${id}`, { signal }), retry: false });
export const usePlan = () => useQuery({ queryKey: keys.plan, queryFn: ({ signal }) => apiRequest<PlanView>('/api/assurance/plan', { signal }), retry: false });
export const useNeeds = () => useQuery({ queryKey: keys.needs, queryFn: ({ signal }) => apiRequest<NeedsReport>('/api/assurance/needs', { signal }), retry: false });

export const usePartners = () => useQuery({ queryKey: keys.partners, queryFn: ({ signal }) => apiRequest<Partner[]>('/api/assurance/partners', { signal }), retry: false });
export const usePlanVersion = (version: number | null) =>
  useQuery({ queryKey: [...keys.plan, version], queryFn: ({ signal }) => apiRequest<PlanView>(`/api/assurance/plan?version=${version ?? ''}`, { signal }), retry: false, enabled: version !== null });
export const useTrialRun = (id: number) => useQuery({ queryKey: keys.trialRun(id), queryFn: ({ signal }) => apiRequest<TrialRunDetail>(`/api/assurance/plan/trial-runs/${id}`, { signal }), retry: false });

/** A write to any assurance path (PUT/DELETE on one row of a list); refreshes every assurance query afterwards. */
export function useSend<T = unknown>() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ method, path, json }: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; json?: unknown }) => apiRequest<T>(path, json === undefined ? { method } : { method, json }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

/** A write to the assurance API; refreshes every assurance query afterwards. */
export function useWrite<T = unknown>(method: 'POST' | 'PUT' | 'PATCH', path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (json: unknown) => apiRequest<T>(path, { method, json }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}
