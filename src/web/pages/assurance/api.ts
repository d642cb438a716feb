import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../api/client';
import type { AuditDetail, AuditSummary, NeedsReport, PlanView, TemplateSummary } from './types';

export const keys = {
  all: ['assurance'] as const,
  audits: ['assurance', 'audits'] as const,
  audit: (id: number) => ['assurance', 'audit', id] as const,
  templates: ['assurance', 'templates'] as const,
  plan: ['assurance', 'plan'] as const,
  needs: ['assurance', 'needs'] as const,
};

export const useAudits = () => useQuery({ queryKey: keys.audits, queryFn: ({ signal }) => apiRequest<AuditSummary[]>('/api/assurance/audits', { signal }), retry: false });
export const useTemplates = () => useQuery({ queryKey: keys.templates, queryFn: ({ signal }) => apiRequest<TemplateSummary[]>('/api/assurance/templates', { signal }), retry: false });
export const useAudit = (id: number) => useQuery({ queryKey: keys.audit(id), queryFn: ({ signal }) => apiRequest<AuditDetail>(`/api/assurance/audits/${id}`, { signal }), retry: false });
export const usePlan = () => useQuery({ queryKey: keys.plan, queryFn: ({ signal }) => apiRequest<PlanView>('/api/assurance/plan', { signal }), retry: false });
export const useNeeds = () => useQuery({ queryKey: keys.needs, queryFn: ({ signal }) => apiRequest<NeedsReport>('/api/assurance/needs', { signal }), retry: false });

/** A write to the assurance API; refreshes every assurance query afterwards. */
export function useWrite<T = unknown>(method: 'POST' | 'PUT' | 'PATCH', path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (json: unknown) => apiRequest<T>(path, { method, json }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}
