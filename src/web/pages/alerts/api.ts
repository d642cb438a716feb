import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../api/client';

export type Tier = 'panel' | 'partners' | 'public';
export type AlertKind = 'formal_alert' | 'information_share';
export type VersionStatus = 'draft' | 'awaiting_approval' | 'approved' | 'issued' | 'superseded';
export type DeliveryStatus = 'pending' | 'sent' | 'retrying' | 'failed';

export interface AgencyActions {
  agency: string;
  actions: string[];
}
export interface AlertContent {
  title: string;
  what: string;
  where: string;
  when: string;
  advicePeopleWhoUseDrugs: string;
  adviceProfessionals: string;
  actions: AgencyActions[];
  figures: Array<{ label: string; count: number }>;
  coronerInformation: string;
}
export interface TierCopy {
  tier: Tier;
  title: string;
  sections: Array<{ key: string; heading: string; text: string }>;
  figures: Array<{ label: string; display: string }>;
  actions: AgencyActions[];
  notes: string[];
}
export type DeliveryCounts = Record<DeliveryStatus, number>;
export interface AlertSummary {
  id: number;
  kind: AlertKind;
  title: string;
  status: VersionStatus;
  area: string;
  areaName: string;
  step: number;
  currentVersion: number;
  issuedVersion: number | null;
  issuedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  deliveries: DeliveryCounts | null;
}
export interface SharedSummary {
  id: number;
  kind: AlertKind;
  title: string;
  areaName: string;
  version: number;
  issuedAt: string;
}
export type AlertList = { tier: 'panel'; alerts: AlertSummary[] } | { tier: 'partners'; alerts: SharedSummary[] };

export interface AlertVersion {
  version: number;
  status: VersionStatus;
  content: AlertContent;
  authors: string[];
  approvals: string[];
  revisionNote: string | null;
  tiers: Record<Tier, TierCopy> | null;
  createdAt: string;
  updatedAt: string;
  issuedAt: string | null;
  issuedBy: string | null;
}
export interface Delivery {
  id: number;
  itemType: 'alert' | 'pin_report' | 'warning_notification';
  itemId: number;
  version: number;
  tier: Tier;
  listName: string | null;
  email: string;
  name: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  messageId: string | null;
  sentAt: string | null;
  createdAt: string;
}
export interface AlertDetail extends Omit<AlertSummary, 'deliveries'> {
  basisType: 'report' | 'step_change' | 'manual';
  basisRef: string | null;
  reportIds: string[];
  referenceDate: string;
  coronerPermission: { by: string; at: string; note: string } | null;
  requiredApprovals: number;
  versions: AlertVersion[];
  events: Array<{ at: string; actor: string; version: number; action: string; note: string | null }>;
  preview: Record<Tier, TierCopy>;
  deliveries: Delivery[];
}
export interface SharedAlert {
  id: number;
  kind: AlertKind;
  areaName: string;
  version: number;
  issuedAt: string;
  copy: TierCopy;
  revisionNote: string | null;
  earlier: Array<{ version: number; issuedAt: string; revisionNote: string | null }>;
}
export interface Sources {
  reports: Array<{ reportId: string; area: string; areaName: string; eventDate: string; eventType: string; source: string; status: string; decision: string | null; level: string | null }>;
  stepChanges: Array<{ id: number; area: string; areaName: string; at: string; fromStep: number; toStep: number; reason: string | null }>;
  areas: Array<{ code: string; name: string }>;
}
export interface DistributionList {
  id: number;
  name: string;
  tier: Tier;
  description: string;
  members: Array<{ email: string; name: string }>;
}
export interface ReportTable {
  id: string;
  caption: string;
  columns: string[];
  rows: Array<{ label: string; cells: string[] }>;
  total?: { label: string; cells: string[] };
  note?: string;
}
export interface PinReportBody {
  tier: Tier;
  title: string;
  period: { start: string; end: string };
  cadence: 'monthly' | 'weekly';
  summary: string[];
  tables: ReportTable[];
  trend: { id: string; caption: string; labels: string[]; series: Array<{ name: string; values: Array<number | null>; displays: string[] }>; note?: string };
  notes: string[];
}
export interface PinReportSummary {
  id: number;
  area: string | null;
  areaName: string;
  title: string;
  cadence: 'monthly' | 'weekly';
  periodStart: string;
  periodEnd: string;
  step: number;
  generatedBy: string;
  generatedAt: string;
  deliveries: DeliveryCounts | null;
}
export interface PinReportView extends Omit<PinReportSummary, 'deliveries'> {
  tier: Tier;
  body: PinReportBody;
  deliveries: Delivery[];
}

export const alertKeys = {
  all: ['alerts'] as const,
  list: ['alerts', 'list'] as const,
  detail: (id: number) => ['alerts', 'detail', id] as const,
  shared: (id: number) => ['alerts', 'shared', id] as const,
  sources: ['alerts', 'sources'] as const,
  lists: ['alerts', 'lists'] as const,
  deliveries: ['alerts', 'deliveries'] as const,
  pinReports: ['alerts', 'pin-reports'] as const,
  pinReport: (id: number, tier: string | null) => ['alerts', 'pin-report', id, tier] as const,
};

export function useAlerts() {
  return useQuery({ queryKey: alertKeys.list, queryFn: ({ signal }) => api.get<AlertList>('/api/alerts', { signal }), retry: false });
}
export function useAlert(id: number, enabled = true) {
  return useQuery({ queryKey: alertKeys.detail(id), queryFn: ({ signal }) => api.get<AlertDetail>(`/api/alerts/${id}`, { signal }), retry: false, enabled });
}
export function useSharedAlert(id: number, enabled = true) {
  return useQuery({ queryKey: alertKeys.shared(id), queryFn: ({ signal }) => api.get<SharedAlert>(`/api/alerts/${id}/shared`, { signal }), retry: false, enabled });
}
export function useSources() {
  return useQuery({ queryKey: alertKeys.sources, queryFn: ({ signal }) => api.get<Sources>('/api/alerts/sources', { signal }), retry: false });
}
export function useLists(enabled = true) {
  return useQuery({ queryKey: alertKeys.lists, queryFn: ({ signal }) => api.get<{ lists: DistributionList[] }>('/api/alerts/lists', { signal }), retry: false, enabled });
}
export function useDeliveries(enabled = true) {
  return useQuery({
    queryKey: alertKeys.deliveries,
    queryFn: ({ signal }) => api.get<{ deliveries: Delivery[]; emailConfigured: boolean }>('/api/alerts/deliveries', { signal }),
    retry: false,
    enabled,
    refetchInterval: 30_000,
  });
}
export function usePinReports() {
  return useQuery({ queryKey: alertKeys.pinReports, queryFn: ({ signal }) => api.get<{ reports: PinReportSummary[]; canGenerate: boolean }>('/api/alerts/pin-reports', { signal }), retry: false });
}
export function usePinReport(id: number, tier: string | null) {
  return useQuery({
    queryKey: alertKeys.pinReport(id, tier),
    queryFn: ({ signal }) => api.get<PinReportView>(`/api/alerts/pin-reports/${id}${tier ? `?tier=${encodeURIComponent(tier)}` : ''}`, { signal }),
    retry: false,
  });
}

/** A POST or PUT that refreshes every alerts query afterwards. */
export function useAlertsMutation<TBody, TResult>(method: 'POST' | 'PUT', url: (body: TBody) => string, json: (body: TBody) => unknown = (b) => b) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => apiRequest<TResult>(url(body), { method, json: json(body) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
