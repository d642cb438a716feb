import { ApiError, api, setCsrfToken } from './client';
import type { DataSummary, Health, ImportDetail, ImportRun, QualityFinding, Session } from './types';

/** The API's URLs in one place (links for downloads use them too). */
export const urls = {
  me: '/api/auth/me',
  signIn: '/api/auth/sign-in',
  signOut: '/api/auth/sign-out',
  summary: '/api/data/summary',
  imports: '/api/data/imports',
  importRun: (id: string | number) => `/api/data/imports/${encodeURIComponent(String(id))}`,
  importProblemsCsv: (id: string | number) => `/api/data/imports/${encodeURIComponent(String(id))}/problems.csv`,
  importRejectedCsv: (id: string | number, file: string) =>
    `/api/data/imports/${encodeURIComponent(String(id))}/rejected/${encodeURIComponent(file)}`,
  exportXlsx: '/api/data/export.xlsx',
  exportCsv: (table: string) => `/api/data/export/${encodeURIComponent(table)}.csv`,
  quality: '/api/data/quality',
  health: '/api/health',
} as const;

/** The signed-in session, or null when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    const session = await api.get<Session>(urls.me, { signal, expectUnauthorised: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  const session = await api.post<Session>(urls.signIn, { username, password }, { expectUnauthorised: true });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.post<void>(urls.signOut, undefined, { expectUnauthorised: true });
  } finally {
    setCsrfToken(null);
  }
}

export const fetchSummary = (signal?: AbortSignal) => api.get<DataSummary>(urls.summary, { signal });

export const fetchImports = async (signal?: AbortSignal): Promise<ImportRun[]> =>
  (await api.get<{ imports: ImportRun[] }>(urls.imports, { signal })).imports;

export const fetchImport = (id: string, signal?: AbortSignal) => api.get<ImportDetail>(urls.importRun(id), { signal });

export const fetchQuality = async (signal?: AbortSignal): Promise<QualityFinding[]> =>
  (await api.get<{ findings: QualityFinding[] }>(urls.quality, { signal })).findings;

export const fetchHealth = (signal?: AbortSignal) => api.get<Health>(urls.health, { signal });
