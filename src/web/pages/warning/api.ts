import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { AreaResponse, DecideBody, NotificationsResponse, OverviewResponse, SeriesResponse } from './types';

const enc = encodeURIComponent;

export function useWarningOverview(enabled = true) {
  return useQuery({
    queryKey: ['warning', 'overview'],
    queryFn: ({ signal }) => api.get<OverviewResponse>('/api/warning/overview', { signal }),
    enabled,
    retry: false,
  });
}

export function useWarningArea(area: string, enabled = true) {
  return useQuery({
    queryKey: ['warning', 'area', area],
    queryFn: ({ signal }) => api.get<AreaResponse>(`/api/warning/areas/${enc(area)}`, { signal }),
    enabled,
    retry: false,
  });
}

export function useWarningSeries(area: string, indicator: string, enabled = true) {
  return useQuery({
    queryKey: ['warning', 'series', area, indicator],
    queryFn: ({ signal }) => api.get<SeriesResponse>(`/api/warning/series/${enc(area)}/${enc(indicator)}`, { signal }),
    enabled,
    retry: false,
  });
}

export function useWarningNotifications(enabled = true) {
  return useQuery({
    queryKey: ['warning', 'notifications'],
    queryFn: ({ signal }) => api.get<NotificationsResponse>('/api/warning/notifications', { signal }),
    enabled,
    retry: false,
  });
}

export function useDecideStep(area: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DecideBody) => api.post<AreaResponse>(`/api/warning/areas/${enc(area)}/step`, body),
    onSuccess: (data) => {
      qc.setQueryData(['warning', 'area', area], data);
      void qc.invalidateQueries({ queryKey: ['warning', 'overview'] });
      void qc.invalidateQueries({ queryKey: ['warning', 'notifications'] });
    },
  });
}

export function useRunDetection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ run_id: number; as_of: string; series_total: number; series_computed: number; alarms_new: number; duration_ms: number }>('/api/warning/runs', {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['warning'] }),
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[]) => api.post<{ written: number }>('/api/warning/notifications/read', { ids }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['warning', 'notifications'] }),
  });
}
