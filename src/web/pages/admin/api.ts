import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '../../api/client';
import { queryKeys } from '../../api/queries';
import type { Session, User } from '../../api/types';

/** Sign-in, account, administration, audit and break-the-glass: the API as these pages use it. */

export interface Enrolment {
  token: string;
  secret: string;
  uri: string;
}

export type SignInResult = Session | { next: 'totp' } | { next: 'totp_enrol'; enrolment: Enrolment };

export function isSession(r: SignInResult): r is Session {
  return 'user' in r;
}

export const signInRequest = (body: { username: string; password: string; code?: string }) =>
  apiRequest<SignInResult>('/api/auth/sign-in', { method: 'POST', json: body, expectUnauthorised: true });

export const enrolRequest = (body: { token: string; code: string }) =>
  apiRequest<Session & { recoveryCodes: string[] }>('/api/auth/totp/enrol', { method: 'POST', json: body, expectUnauthorised: true });

/** Puts a new session in place: the CSRF token for writes, and a clean cache (what was cached belonged to someone else). */
export function useAdoptSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    setCsrfToken(session.csrfToken);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    const next: Session = { user: session.user, csrfToken: session.csrfToken };
    queryClient.setQueryData<Session | null>(queryKeys.session, next);
  };
}

export const useSsoConfig = () =>
  useQuery({
    queryKey: ['auth', 'oidc'],
    queryFn: ({ signal }) => apiRequest<{ enabled: boolean; label: string | null }>('/api/auth/oidc', { signal }),
    retry: false,
    staleTime: 5 * 60_000,
  });

export interface Account {
  totpEnabled: boolean;
  totpRequired: boolean;
  recoveryCodesLeft: number;
  sso: boolean;
  hasPassword: boolean;
}

export const useAccount = () => useQuery({ queryKey: ['auth', 'account'], queryFn: ({ signal }) => apiRequest<Account>('/api/auth/account', { signal }), retry: false });

export function useInvalidate() {
  const queryClient = useQueryClient();
  return (key: readonly unknown[]) => queryClient.invalidateQueries({ queryKey: key });
}

// ---------------------------------------------------------------- users

export interface UserSummary {
  id: number;
  username: string;
  display_name: string;
  role: string;
  role_label: string;
  scope_type: 'organisation' | 'service' | 'local_authority' | 'partner';
  scope_id: string | null;
  active: boolean;
  demo: boolean;
  locked: boolean;
  totp_enabled: boolean;
  totp_required: boolean;
  sso: boolean;
  masked_fields: string[];
  created_at: string;
  last_sign_in_at: string | null;
}

export interface UsersResponse {
  users: UserSummary[];
  roles: { role: string; label: string; totp_required: boolean }[];
  services: { service_id: string; name: string; local_authority: string | null }[];
}

export const usersKey = ['admin', 'users'] as const;
export const useUsers = (enabled = true) =>
  useQuery({ queryKey: usersKey, queryFn: ({ signal }) => apiRequest<UsersResponse>('/api/admin/users', { signal }), retry: false, enabled });

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  scopeType: UserSummary['scope_type'];
  scopeId: string | null;
  sso: boolean;
  totpRequired: boolean;
}

export function useCreateUser() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (u: NewUser) => apiRequest<{ user: UserSummary; password: string | null }>('/api/admin/users', { method: 'POST', json: u }),
    onSuccess: () => void invalidate(usersKey),
  });
}

export interface UserChanges {
  displayName?: string;
  role?: string;
  scopeType?: UserSummary['scope_type'];
  scopeId?: string | null;
  active?: boolean;
  totpRequired?: boolean;
}

export function useUpdateUser(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (c: UserChanges) => apiRequest<{ user: UserSummary }>(`/api/admin/users/${id}`, { method: 'PATCH', json: c }),
    onSuccess: () => void invalidate(usersKey),
  });
}

export function useResetPassword(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => apiRequest<{ password: string }>(`/api/admin/users/${id}/reset-password`, { method: 'POST', json: {} }),
    onSuccess: () => void invalidate(usersKey),
  });
}

export function useResetTotp(id: number) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () => apiRequest<null>(`/api/admin/users/${id}/reset-totp`, { method: 'POST', json: {} }),
    onSuccess: () => void invalidate(usersKey),
  });
}

// ---------------------------------------------------------------- audit

export interface AuditFilters {
  user: string;
  action: string;
  resourceType: string;
  resourceId: string;
  outcome: string;
  from: string;
  to: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  reason: string | null;
  ip: string | null;
  outcome: string;
  detail: Record<string, unknown> | null;
}

export interface AuditResponse {
  total: number;
  page: number;
  pageSize: number;
  rows: AuditRow[];
  actions: string[];
}

export function auditQueryString(f: Partial<AuditFilters>, page?: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const useAudit = (f: Partial<AuditFilters>, page: number) =>
  useQuery({
    queryKey: ['admin', 'audit', f, page],
    queryFn: ({ signal }) => apiRequest<AuditResponse>(`/api/admin/audit${auditQueryString(f, page)}`, { signal }),
    retry: false,
  });

export interface ChainCheck {
  ok: boolean;
  rows: number;
  lastSeq: number | null;
  problems: { seq: number; problem: string }[];
}

export const verifyAudit = () => apiRequest<ChainCheck>('/api/admin/audit/verify');

// ---------------------------------------------------------------- break-the-glass

export interface Grant {
  id: number;
  username: string;
  role: string;
  person_id: string;
  service_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  review_status: 'pending' | 'appropriate' | 'inappropriate';
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
}

export const grantsKey = ['admin', 'break-glass'] as const;
export const useGrants = (status: 'pending' | 'reviewed', enabled = true) =>
  useQuery({
    enabled,
    queryKey: [...grantsKey, status],
    queryFn: ({ signal }) => apiRequest<{ grants: Grant[]; pending: number }>(`/api/admin/break-glass?status=${status}`, { signal }),
    retry: false,
  });

export function useReview() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, outcome, note }: { id: number; outcome: 'appropriate' | 'inappropriate'; note: string }) =>
      apiRequest<Grant>(`/api/admin/break-glass/${id}/review`, { method: 'POST', json: note ? { outcome, note } : { outcome } }),
    onSuccess: () => void invalidate(grantsKey),
  });
}

export interface EmergencyStatus {
  person_id: string;
  access: 'scope' | 'break_glass' | 'none';
  breakGlassAvailable: boolean;
  expiresAt: string | null;
  minutes: number;
}

export const useEmergencyStatus = (personId: string) =>
  useQuery({
    queryKey: ['break-glass', personId],
    queryFn: ({ signal }) => apiRequest<EmergencyStatus>(`/api/break-glass/${encodeURIComponent(personId)}`, { signal }),
    retry: false,
  });

export function useOpenInEmergency(personId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => apiRequest<Grant>(`/api/break-glass/${encodeURIComponent(personId)}`, { method: 'POST', json: { reason } }),
    onSuccess: () => void queryClient.invalidateQueries(),
  });
}

export function can(user: User, action: string): boolean {
  return user.permissions?.includes(action) ?? false;
}

/** A timestamp as the UK reads it: 22 Nov 2026, 16:05. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
}

export const ROLE_FIELD_LABELS: Record<string, string> = {
  name: 'names',
  date_of_birth: 'dates of birth',
  nhs_number: 'NHS numbers',
  postcode: 'full postcodes',
  criminal_justice: 'criminal-justice details',
};

// ---------------------------------------------------------------- partner organisations and API tokens

export interface PartnerOrganisation {
  id: string;
  name: string;
  registered: boolean;
  created_by: string | null;
  created_at: string | null;
  users: number;
  active_tokens: number;
  revoked_tokens: number;
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

export const partnersKey = ['admin', 'partners'] as const;
export const usePartners = () =>
  useQuery({
    queryKey: partnersKey,
    queryFn: ({ signal }) => apiRequest<{ organisations: PartnerOrganisation[]; tokens: PartnerToken[] }>('/api/admin/partners', { signal }),
    retry: false,
  });

function usePartnersMutation<A, R>(fn: (a: A) => Promise<R>) {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: fn, onSuccess: () => void invalidate(partnersKey) });
}

export const useCreatePartner = () =>
  usePartnersMutation((b: { id: string; name: string }) => apiRequest<PartnerOrganisation>('/api/admin/partners', { method: 'POST', json: b }));

export const useCreatePartnerToken = () =>
  usePartnersMutation(({ partner, label }: { partner: string; label: string }) =>
    apiRequest<{ token: string; record: PartnerToken }>(`/api/admin/partners/${encodeURIComponent(partner)}/tokens`, { method: 'POST', json: { label } }),
  );

export const useRevokePartnerToken = () =>
  usePartnersMutation((id: string) => apiRequest<PartnerToken>(`/api/admin/partner-tokens/${encodeURIComponent(id)}/revoke`, { method: 'POST', json: {} }));
