import { useQuery } from '@tanstack/react-query';
import { fetchHealth, fetchImport, fetchImports, fetchQuality, fetchSession, fetchSummary } from './endpoints';

/** TanStack Query keys: one place, so invalidation after an import hits them all. */
export const queryKeys = {
  session: ['session'] as const,
  summary: ['data', 'summary'] as const,
  imports: ['data', 'imports'] as const,
  importRun: (id: string) => ['data', 'imports', id] as const,
  quality: ['data', 'quality'] as const,
  health: ['health'] as const,
  data: ['data'] as const,
};

export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Row counts per table; `enabled` false for roles without `data.summary` (partner submitters). */
export function useSummary(enabled = true) {
  return useQuery({ queryKey: queryKeys.summary, queryFn: ({ signal }) => fetchSummary(signal), enabled });
}

export function useImports() {
  return useQuery({ queryKey: queryKeys.imports, queryFn: ({ signal }) => fetchImports(signal) });
}

/** One import; polled every second while the server is still validating or loading it. */
export function useImportRun(id: string) {
  return useQuery({
    queryKey: queryKeys.importRun(id),
    queryFn: ({ signal }) => fetchImport(id, signal),
    refetchInterval: (query) => (query.state.data?.import.status === 'running' ? 1000 : false),
    refetchIntervalInBackground: true,
  });
}

export function useQuality() {
  return useQuery({ queryKey: queryKeys.quality, queryFn: ({ signal }) => fetchQuality(signal) });
}

export function useHealth() {
  return useQuery({ queryKey: queryKeys.health, queryFn: ({ signal }) => fetchHealth(signal), staleTime: Infinity });
}
