/** The early-warning API's responses (src/server/routes/warning/schemas.ts). */
export type Step = 1 | 2 | 3;

export interface StepProposal {
  area: string;
  asOf: string;
  step: Step;
  reasons: { ruleId: string; step: Step; text: string; evidence: string[] }[];
  summary: string;
}

export interface IndicatorSummary {
  indicator: string;
  label: string;
  method: string;
  latest_period: string | null;
  latest_count: number | null;
  latest_expected: number | null;
  latest_upper: number | null;
  latest_alarm: boolean;
  recent_alarms: number;
  triggers_firing: number;
}

export interface RunRecord {
  id: number;
  started_at: string;
  finished_at: string | null;
  trigger: string;
  requested_by: string;
  as_of: string;
  status: string;
  series_total: number;
  series_computed: number;
  alarms_new: number;
  duration_ms: number | null;
  error: string | null;
}

export interface AreaSummary {
  area: string;
  name: string;
  step: Step;
  since: string | null;
  pending: StepProposal | null;
  pending_since: string | null;
  recent_alarms: number;
  triggers_firing: number;
  indicators: IndicatorSummary[];
}

export interface OverviewResponse {
  as_of: string | null;
  last_run: RunRecord | null;
  recent_weeks: number;
  areas: AreaSummary[];
  decidable: string[] | null;
}

export interface Week {
  period_start: string;
  count: number;
  expected: number | null;
  upper_bound: number | null;
  alarm: boolean;
  method: string | null;
  reason: string;
  triggers: string[];
}

export interface Episode {
  triggerId: string;
  description: string;
  firedAt: string;
  week: string;
  peakCount: number;
}

export interface SeriesResponse {
  area: string;
  name: string;
  indicator: string;
  label: string;
  source: string;
  method: string;
  method_note: string;
  as_of: string;
  updated_at: string;
  weeks: Week[];
  episodes: Episode[];
  triggers: { id: string; description: string }[];
}

export interface StepGuide {
  heading: string;
  agencies: { agency: string; activities: { text: string; items?: readonly string[]; fromStep: Step }[] }[];
  rhythm: { step: Step; pinReportEveryDays: number; requestForInformationEveryDays: number | null; summary: string; seed: readonly string[] };
}

export interface HistoryEntry {
  id: number;
  kind: 'initial' | 'proposed' | 'confirmed' | 'overridden';
  at: string;
  by: string | null;
  step: Step;
  previousStep: Step;
  reason: string | null;
  proposal: StepProposal | null;
}

export interface AreaResponse {
  area: string;
  name: string;
  step: Step;
  since: string | null;
  pending: StepProposal | null;
  pending_since: string | null;
  last_proposal: StepProposal | null;
  history: HistoryEntry[];
  neighbours: { area: string; name: string; step: Step }[];
  guide: StepGuide;
  pending_guide: StepGuide | null;
  indicators: IndicatorSummary[];
  can_decide: boolean;
}

export interface NotificationRecord {
  id: number;
  created_at: string;
  area: string;
  kind: string;
  about_area: string;
  title: string;
  body: string;
  read_at: string | null;
  read_by: string | null;
}

export interface NotificationsResponse {
  notifications: NotificationRecord[];
  unread: number;
}

export type DecideBody = { action: 'confirm'; note?: string } | { action: 'override'; step: Step; reason: string };
