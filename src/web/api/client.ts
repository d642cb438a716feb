import type { ProblemDetails, ProblemFieldError } from './types';

/**
 * The fetch wrapper every API call goes through: JSON in and out, the session cookie
 * sent, the CSRF token added to every request that changes something, and RFC 9457
 * problem documents turned into {@link ApiError}s the pages show in an error summary.
 */

let csrfToken: string | null = null;

/** Remember the token from /api/auth/me or sign-in; null after sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type UnauthorisedListener = () => void;
const unauthorisedListeners = new Set<UnauthorisedListener>();

/** Called when a request comes back 401 (the session ended): the app goes to sign-in. */
export function onUnauthorised(listener: UnauthorisedListener): () => void {
  unauthorisedListeners.add(listener);
  return () => {
    unauthorisedListeners.delete(listener);
  };
}

export function notifyUnauthorised(): void {
  for (const listener of unauthorisedListeners) listener();
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

const FALLBACK_TITLES: Record<number, string> = {
  400: 'The request was not valid',
  401: 'You need to sign in',
  403: 'You do not have permission to do this',
  404: 'Not found',
  409: 'This conflicts with something that already exists',
  413: 'The file is too large',
  415: 'This type of file cannot be used',
  422: 'The data could not be used',
  429: 'Too many attempts – wait a moment and try again',
  500: 'Something went wrong on the server',
  502: 'Beacon is not responding',
  503: 'Beacon is not available at the moment',
  504: 'Beacon took too long to respond',
};

/** HTTP reason phrases say nothing a user can act on: show Beacon's own words instead. */
const REASON_PHRASES = new Set([
  'bad request',
  'unauthorized',
  'forbidden',
  'not found',
  'conflict',
  'payload too large',
  'content too large',
  'unsupported media type',
  'unprocessable entity',
  'unprocessable content',
  'too many requests',
  'internal server error',
  'bad gateway',
  'service unavailable',
  'gateway timeout',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normaliseFieldErrors(value: unknown): ProblemFieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const errors: ProblemFieldError[] = [];
  for (const entry of value) {
    if (typeof entry === 'string') {
      errors.push({ message: entry });
    } else if (isRecord(entry)) {
      const message =
        typeof entry.message === 'string' ? entry.message : typeof entry.detail === 'string' ? entry.detail : null;
      if (!message) continue;
      const error: ProblemFieldError = { message };
      if (typeof entry.field === 'string') error.field = entry.field;
      else if (typeof entry.name === 'string') error.field = entry.name;
      else if (typeof entry.pointer === 'string') error.field = entry.pointer.replace(/^#?\//, '');
      const path: unknown = entry.path;
      if (typeof path === 'string') error.path = path;
      else if (Array.isArray(path)) {
        error.path = path.filter((p: unknown): p is string | number => typeof p === 'string' || typeof p === 'number');
      }
      errors.push(error);
    }
  }
  return errors.length ? errors : undefined;
}

/** The members RFC 9457 defines (and `message`, `errors` read above); anything else is an extension. */
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors', 'message']);

/** Turn any error body (problem+json, other JSON, text or nothing) into a problem. */
export function toProblem(status: number, body: unknown): ProblemDetails {
  const fallbackTitle = FALLBACK_TITLES[status] ?? (status >= 500 ? FALLBACK_TITLES[500]! : 'The request failed');
  if (isRecord(body)) {
    const problem: ProblemDetails = {
      title:
        typeof body.title === 'string' && body.title && !REASON_PHRASES.has(body.title.toLowerCase())
          ? body.title
          : fallbackTitle,
      status: typeof body.status === 'number' ? body.status : status,
    };
    if (typeof body.type === 'string') problem.type = body.type;
    if (typeof body.detail === 'string') problem.detail = body.detail;
    else if (typeof body.message === 'string' && body.message !== problem.title) problem.detail = body.message;
    const errors = normaliseFieldErrors(body.errors);
    if (errors) problem.errors = errors;
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
    if (Object.keys(extensions).length > 0) problem.extensions = extensions;
    return problem;
  }
  return { title: fallbackTitle, status };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return text;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
  /** Don't treat a 401 as "the session ended" (sign-in and /me say 401 by design). */
  expectUnauthorised?: boolean;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.json === undefined ? null : JSON.stringify(options.json),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      title: 'Beacon could not be reached',
      status: 0,
      detail: 'Check your network connection and try again.',
    });
  }

  const body = await readBody(response);
  if (!response.ok) {
    if (response.status === 401 && !options.expectUnauthorised) notifyUnauthorised();
    throw new ApiError(toProblem(response.status, body));
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'json'>) => apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, json?: unknown, options?: Omit<RequestOptions, 'method' | 'json'>) =>
    apiRequest<T>(path, { ...options, method: 'POST', json }),
};
