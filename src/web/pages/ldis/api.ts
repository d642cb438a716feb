import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../api/client';

export type Tri = 'Y' | 'N' | 'unknown';

export interface Incident {
  report_id: string;
  received_at: string;
  source: string;
  event_date: string;
  event_type: string;
  local_authority: string;
  age?: number | null;
  sex?: string | null;
  postcode?: string | null;
  hmo?: Tri;
  street_sleeping?: Tri;
  class_a_user?: Tri;
  in_treatment?: Tri;
  route?: string | null;
  naloxone_doses?: number | null;
  synthetic_opioid_suspected?: Tri;
  forensic_nitazene?: Tri;
  tox_tested_nitazene?: Tri;
  tox_nitazene_present?: Tri;
  tox_n_desethyl_isotonitazene?: Tri;
  substances?: string[];
  outcome?: string | null;
  location_type?: string | null;
  notes?: string | null;
  exercise?: boolean;
}

export interface SlaTimer {
  dueAt: string;
  completedAt: string | null;
  state: 'pending' | 'due_soon' | 'overdue' | 'met' | 'missed' | 'not_applicable' | string;
  minutesRemaining: number | null;
}
export interface Sla {
  assess: SlaTimer;
  decide: SlaTimer;
  overdue: boolean;
}

export interface Candidate {
  report_id: string;
  score: number;
  band: 'likely' | 'possible' | 'unlikely';
  summary: string;
  source: string | null;
  event_type: string | null;
  event_date: string | null;
  components: Array<{ name: string; score: number; known: boolean; text: string }>;
}

export interface InboxItem {
  report: Incident;
  exercise: boolean;
  partner: string | null;
  partner_report_id: string | null;
  status: string;
  decision: string | null;
  classification: { definition_id: string; meets: boolean; level: string | null; summary: string };
  sla: Sla;
  case: { caseId: string; reportIds: string[] };
  candidates: Candidate[];
}

export interface InboxCounts {
  reports: number;
  cases: number;
  suspected: number;
  probable: number;
  confirmed: number;
  not_a_case: number;
  overdue: number;
}

export interface Inbox {
  now: string;
  items: InboxItem[];
  counts: { real: InboxCounts; exercise: InboxCounts };
}

export interface LinkageOp {
  id: string;
  type: 'merge' | 'split' | 'undo';
  report_ids: string[];
  target: string | null;
  at: string;
  actor: string;
  reason: string | null;
  active: boolean;
}

export interface ReportDetail {
  report: Incident;
  exercise: boolean;
  partner: string | null;
  partner_report_id: string | null;
  submitted_by: string | null;
  status: string;
  decision: string | null;
  rationale: string | null;
  classification: {
    definitionId: string;
    meets: boolean;
    level: string | null;
    rule: { id: string; level: string; text: string } | null;
    checks: Array<{ name: string; passed: boolean; text: string }>;
    summary: string;
    because: string[];
  };
  sla: Sla;
  case: { caseId: string; reportIds: string[] };
  candidates: Candidate[];
  coronial: { nitazene_contributed: boolean | null; combinations: string | null };
  revision: number;
  history: Array<{ id: number; at: string; actor: string; action: string; payload: Record<string, unknown> }>;
  revisions: Array<{ revision: number; at: string; actor: string; reason: string; changes: Record<string, { from: unknown; to: unknown }> }>;
  linkage_ops: LinkageOp[];
  case_reports: Incident[];
}

export interface ReportListItem {
  report_id: string;
  received_at: string;
  source: string;
  event_date: string;
  event_type: string;
  local_authority: string;
  exercise: boolean;
  partner: string | null;
  partner_report_id: string | null;
  submitted_by: string | null;
  status: string;
}

export interface SubmitResult {
  report_id: string;
  partner: string;
  partner_report_id: string;
  received_at: string;
  created: boolean;
}

export interface PartnerToken {
  id: string;
  partner: string;
  label: string;
  token_hint: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface CaseList {
  from: string;
  to: string;
  include_exercise: boolean;
  columns: Array<{ key: string; label: string }>;
  cases: Array<{
    case_id: string;
    level: string;
    local_authority: string;
    event_date: string;
    exercise: boolean;
    report_ids: string[];
    sources: string[];
    fields: Record<string, string | number | null>;
  }>;
  by_area_week: Array<{ local_authority: string; week: string; cases: number; suspected: number; probable: number; confirmed: number; deaths: number }>;
  case_definition: string[];
}

export interface FlowRow {
  last_at: string | null;
  in_period: number;
  status: 'reporting' | 'quiet' | 'never' | 'not_applicable';
  days_since: number | null;
}
export interface Gaps {
  now: string;
  days: number;
  partners: Array<FlowRow & { partner: string; kind: 'partner' | 'ldis_team'; tokens: number }>;
  sources: Array<FlowRow & { source: string }>;
  items: Array<FlowRow & { id: string; agency: string; proposed_data: string; feed: string }>;
}

export interface ImportResult {
  file: string;
  partner: string;
  rows: number;
  created: number;
  replayed: number;
  report_ids: string[];
}

export const ldisKeys = {
  all: ['ldis'] as const,
  inbox: (status: string) => ['ldis', 'inbox', status] as const,
  report: (id: string) => ['ldis', 'report', id] as const,
  list: ['ldis', 'list'] as const,
  tokens: ['ldis', 'tokens'] as const,
  cases: (from: string, to: string, exercise: boolean) => ['ldis', 'cases', from, to, exercise] as const,
  gaps: (days: number) => ['ldis', 'gaps', days] as const,
};

export function useInbox(status: string) {
  return useQuery({
    queryKey: ldisKeys.inbox(status),
    queryFn: ({ signal }) => api.get<Inbox>(`/api/ldis/inbox?status=${encodeURIComponent(status)}&limit=500`, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useReport(id: string) {
  return useQuery({
    queryKey: ldisKeys.report(id),
    queryFn: ({ signal }) => api.get<ReportDetail>(`/api/ldis/reports/${encodeURIComponent(id)}`, { signal }),
    retry: false,
  });
}

export function useReportList() {
  return useQuery({
    queryKey: ldisKeys.list,
    queryFn: ({ signal }) => api.get<{ reports: ReportListItem[] }>('/api/ldis/reports?limit=200', { signal }),
    retry: false,
  });
}

export function useTokens(enabled = true) {
  return useQuery({ queryKey: ldisKeys.tokens, queryFn: ({ signal }) => api.get<{ tokens: PartnerToken[] }>('/api/ldis/tokens', { signal }), retry: false, enabled });
}

export function useCaseList(from: string, to: string, exercise: boolean) {
  return useQuery({
    queryKey: ldisKeys.cases(from, to, exercise),
    queryFn: ({ signal }) => api.get<CaseList>(`/api/ldis/cases?${caseListQuery(from, to, exercise)}`, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function caseListQuery(from: string, to: string, exercise: boolean): string {
  const q = new URLSearchParams({ from, to });
  if (exercise) q.set('exercise', 'include');
  return q.toString();
}

export function useGaps(days: number) {
  return useQuery({ queryKey: ldisKeys.gaps(days), queryFn: ({ signal }) => api.get<Gaps>(`/api/ldis/gaps?days=${days}`, { signal }), placeholderData: keepPreviousData, retry: false });
}

/** Any LDIS write: refreshes every LDIS query afterwards. */
export function useLdisMutation<TBody, TResult>(request: (body: TBody) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => client.invalidateQueries({ queryKey: ldisKeys.all }),
  });
}

export const ldisApi = {
  submit: (body: Record<string, unknown>) => api.post<SubmitResult>('/api/ldis/reports', body),
  link: (body: { report_ids: string[]; type: 'merge' | 'split'; reason?: string }) => api.post<{ op: LinkageOp }>('/api/ldis/links', body),
  undo: (id: string) => apiRequest<{ op: LinkageOp }>(`/api/ldis/links/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  assess: (id: string, body: Record<string, unknown>) => api.post<{ status: string }>(`/api/ldis/reports/${encodeURIComponent(id)}/assessment`, body),
  revise: (id: string, body: Record<string, unknown>) => api.post<{ revision: unknown }>(`/api/ldis/reports/${encodeURIComponent(id)}/revisions`, body),
  createToken: (body: { partner: string; label: string }) => api.post<{ token: string; record: PartnerToken }>('/api/ldis/tokens', body),
  revokeToken: (id: string) => apiRequest<PartnerToken>(`/api/ldis/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  importCsv: (body: { file_name: string; csv: string; partner?: string }) => api.post<ImportResult>('/api/ldis/import', body),
};
