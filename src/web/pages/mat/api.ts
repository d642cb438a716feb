import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReportResponse, TrackerResponse, WorklistsResponse } from './types';

export interface MatQuery {
  /** YYYY-MM; null for the API's default (the last complete month). */
  month: string | null;
  /** A service id; null for the whole organisation. */
  service: string | null;
}

function query(params: Record<string, string | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const matUrls = {
  tracker: (q: MatQuery & { months: 12 | 24 }) => `/api/mat/tracker${query({ month: q.month, service: q.service, months: String(q.months) })}`,
  report: (q: MatQuery) => `/api/mat/report${query({ month: q.month, service: q.service })}`,
  worklists: (q: MatQuery) => `/api/mat/worklists${query({ month: q.month, service: q.service })}`,
} as const;

export function useMatTracker(q: MatQuery & { months: 12 | 24 }, enabled = true) {
  return useQuery({
    queryKey: ['mat', 'tracker', q.month, q.service, q.months],
    queryFn: ({ signal }) => api.get<TrackerResponse>(matUrls.tracker(q), { signal }),
    placeholderData: keepPreviousData,
    enabled,
    retry: false,
  });
}

export function useMatReport(q: MatQuery, enabled = true) {
  return useQuery({
    queryKey: ['mat', 'report', q.month, q.service],
    queryFn: ({ signal }) => api.get<ReportResponse>(matUrls.report(q), { signal }),
    enabled,
    retry: false,
  });
}

export function useMatWorklists(q: MatQuery, enabled = true) {
  return useQuery({
    queryKey: ['mat', 'worklists', q.month, q.service],
    queryFn: ({ signal }) => api.get<WorklistsResponse>(matUrls.worklists(q), { signal }),
    placeholderData: keepPreviousData,
    enabled,
    retry: false,
  });
}
