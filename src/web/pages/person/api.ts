import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../../api/client';

/** The person API's shapes (src/server/routes/person/schemas.ts), field for field. */

export type Tier = 'high' | 'medium' | 'low';
export type FlagCode =
  | 'on_top'
  | 'injecting'
  | 'depressant_co_use'
  | 'recent_overdose'
  | 'lowered_tolerance'
  | 'treatment_transition'
  | 'potent_opioid'
  | 'housing'
  | 'health'
  | 'no_naloxone';
export type Stage = 'MAT1' | 'MAT2' | 'MAT3' | 'MAT4' | 'uncategorised';
export type ActionStatus = 'planned' | 'done' | 'declined';

export interface Evidence {
  kind: string;
  id: string;
  date: string | null;
  detail: string;
  source: 'import' | 'beacon';
  captured_by: string | null;
  captured_at: string | null;
}

export interface Flag {
  code: FlagCode;
  critical: boolean;
  counted: boolean;
  new: boolean;
  reason: string;
  evidence: Evidence[];
}

export interface Recommended {
  id: string;
  text: string;
  owner: string;
  sources: string[];
}

export interface Rule {
  id: string;
  tier: Tier;
  text: string;
}

export interface CareAction {
  id: number;
  person_id: string;
  flag: string;
  action_id: string | null;
  text: string;
  status: ActionStatus;
  declined_reason: string | null;
  due_date: string | null;
  owner: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface Reviews {
  topOverdue: boolean;
  topDueDate: string | null;
  testOverdue: boolean;
  lastEvidenceDate: string | null;
}

export interface Advisory {
  code: string;
  prescription_id: string;
  date: string;
  doseMg: number | null;
  message: string;
}

export interface Prescription {
  prescription_id: string;
  medication: string;
  dose_mg: number | null;
  start_date: string;
  end_date: string | null;
  supervised?: boolean | null;
  pickup?: string | null;
  reduction_plan?: boolean | null;
  planned_end_date?: string | null;
}

export interface Marker {
  kind: 'top' | 'drug_test' | 'risk_event' | 'naloxone' | 'sc_review';
  id: string;
  date: string;
  label: string;
}

export interface TopRow {
  top_id: string;
  date: string;
  stage?: string | null;
  opiate_days?: number | null;
  crack_days?: number | null;
  cocaine_days?: number | null;
  amphetamine_days?: number | null;
  cannabis_days?: number | null;
  other_days?: number | null;
  alcohol_days?: number | null;
  alcohol_units?: number | null;
  injecting_days?: number | null;
  psych_health?: number | null;
  phys_health?: number | null;
  quality_of_life?: number | null;
  paid_work_days?: number | null;
  education_days?: number | null;
  acute_housing?: boolean | null;
  eviction_risk?: boolean | null;
}

export interface DrugTest {
  test_id: string;
  date: string;
  sample: string | null;
  results: { substance: string; result: string | null }[];
  source: 'import' | 'beacon';
  captured_by: string | null;
}

export interface RiskEvent {
  event_id: string;
  date: string;
  type: string;
  detail?: string | null;
  source: 'import' | 'beacon';
  captured_by: string | null;
}

export interface Naloxone {
  supply_id: string;
  date: string;
  product?: string | null;
  recipient?: string | null;
  source: 'import' | 'beacon';
  captured_by: string | null;
}

export interface Episode {
  episode_id: string;
  start_date: string;
  end_date?: string | null;
  exit_reason?: string | null;
}

export interface ScReview {
  review_id: string;
  date: string;
  decision: string | null;
  next_review_date?: string | null;
}

export interface PersonRecord {
  date: string;
  via: 'scope' | 'break_glass';
  person: {
    person_id: string;
    service_id: string;
    service_name: string | null;
    date_of_birth: string;
    sex: string;
    nhs_number: string | null;
    postcode: string | null;
    injecting_status: string | null;
    housing: string | null;
    lives_alone: boolean | null;
    consent: boolean | null;
    masked: string[];
  };
  mat: {
    in_mat: boolean;
    stage: Stage | null;
    cohort: 'red' | 'amber' | 'green' | 'grey' | null;
    og_band: 'below' | 'at_or_above' | 'n/a' | null;
    regime: 'increasing' | 'static' | 'reducing' | 'detox' | null;
    medication: string | null;
    dose_mg: number | null;
    high_dose: boolean;
    supervised: boolean | null;
    pickup: string | null;
    continuous_start: string | null;
    days_since_start: number | null;
    reasons: string[];
  };
  profile: {
    tier: Tier;
    rule: Rule;
    rules: Rule[];
    flags: Flag[];
    critical: FlagCode[];
    counted: FlagCode[];
    reasons: string[];
    actions: { flag: FlagCode; actions: Recommended[] }[];
  };
  new_flags: FlagCode[];
  care_actions: CareAction[];
  advisories: Advisory[];
  reviews: Reviews;
  prescriptions: Prescription[];
  markers: Marker[];
  tops: TopRow[];
  drug_tests: DrugTest[];
  risk_events: RiskEvent[];
  naloxone: Naloxone[];
  sc_reviews: ScReview[];
  episodes: Episode[];
}

export interface CaseloadPerson {
  person_id: string;
  service_id: string;
  tier: Tier;
  rule_id: string;
  flags: FlagCode[];
  critical: FlagCode[];
  counted: FlagCode[];
  new_flags: FlagCode[];
  mat_stage: Stage | null;
  in_mat: boolean;
  reviews: Reviews;
  no_naloxone: boolean;
  last_naloxone: string | null;
  open_actions: number;
  overdue_actions: number;
  next_action_due: string | null;
  next_action_overdue: boolean;
}

export interface ServiceOption {
  service_id: string;
  name: string | null;
}

export interface Caseload {
  date: string;
  service_id: string | null;
  services: ServiceOption[];
  totals: { people: number; high: number; medium: number; low: number; new_flags: number; top_overdue: number; test_overdue: number; no_naloxone: number; overdue_actions: number };
  people: CaseloadPerson[];
}

export interface AdvisoryEntry extends Advisory {
  person_id: string;
  service_id: string;
  medication: string | null;
  current: boolean;
}

export interface OpenAction extends CareAction {
  service_id: string;
  overdue: boolean;
}

const enc = encodeURIComponent;

export const personKeys = {
  record: (id: string) => ['person', 'record', id] as const,
  caseload: (service: string | null) => ['person', 'caseload', service] as const,
  openActions: (service: string | null) => ['person', 'open-actions', service] as const,
  advisories: (service: string | null, days: number) => ['person', 'advisories', service, days] as const,
};

export function usePersonRecord(personId: string) {
  return useQuery({
    queryKey: personKeys.record(personId),
    queryFn: ({ signal }) => api.get<PersonRecord>(`/api/people/${enc(personId)}`, { signal }),
    retry: false,
  });
}

const q = (service: string | null, extra: Record<string, string> = {}) => {
  const s = new URLSearchParams(extra);
  if (service) s.set('service', service);
  const text = s.toString();
  return text ? `?${text}` : '';
};

export function useCaseload(service: string | null) {
  return useQuery({
    queryKey: personKeys.caseload(service),
    queryFn: ({ signal }) => api.get<Caseload>(`/api/caseload${q(service)}`, { signal }),
    retry: false,
  });
}

export function useOpenActions(service: string | null) {
  return useQuery({
    queryKey: personKeys.openActions(service),
    queryFn: ({ signal }) => api.get<{ date: string; actions: OpenAction[] }>(`/api/care-actions/open${q(service)}`, { signal }),
    retry: false,
  });
}

export function useAdvisories(service: string | null, days: number) {
  return useQuery({
    queryKey: personKeys.advisories(service, days),
    queryFn: ({ signal }) => api.get<{ date: string; since: string; service_id: string | null; services: ServiceOption[]; advisories: AdvisoryEntry[] }>(`/api/advisories${q(service, { days: String(days) })}`, { signal }),
    retry: false,
  });
}

export interface NewAction {
  flag: FlagCode;
  action_id: string | null;
  text: string;
  status: ActionStatus;
  declined_reason: string | null;
  due_date: string | null;
  owner: string | null;
  note: string | null;
}

/** After any change on the record: the record, caseload and worklists read again. */
function useInvalidatePerson(personId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: personKeys.record(personId) }),
      client.invalidateQueries({ queryKey: ['person', 'caseload'] }),
      client.invalidateQueries({ queryKey: ['person', 'open-actions'] }),
    ]);
}

export function useCreateAction(personId: string) {
  const invalidate = useInvalidatePerson(personId);
  return useMutation({
    mutationFn: (body: NewAction) => api.post<CareAction>(`/api/people/${enc(personId)}/actions`, body),
    onSuccess: invalidate,
  });
}

export function useUpdateAction(personId: string) {
  const invalidate = useInvalidatePerson(personId);
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; status: ActionStatus; declined_reason?: string | null }) =>
      apiRequest<CareAction>(`/api/people/${enc(personId)}/actions/${id}`, { method: 'PATCH', json: body }),
    onSuccess: invalidate,
  });
}

export type CaptureKind = 'risk-events' | 'naloxone' | 'drug-tests';

export function useCapture(personId: string) {
  const invalidate = useInvalidatePerson(personId);
  return useMutation({
    mutationFn: ({ kind, body }: { kind: CaptureKind; body: Record<string, unknown> }) =>
      api.post<{ table: string; record_id: string; tier: Tier; flags: FlagCode[] }>(`/api/people/${enc(personId)}/${kind}`, body),
    onSuccess: invalidate,
  });
}
