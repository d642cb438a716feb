import type { FastifyServerOptions } from 'fastify';

/**
 * Request logs carry the route pattern, never the concrete URL or query string (which can
 * hold person ids), and never cookies, tokens or bodies. Personal fields are redacted
 * wherever they might appear in a logged object.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  '*.password',
  '*.nhs_number',
  '*.date_of_birth',
  '*.postcode',
  '*.name',
  '*.username',
  '*.displayName',
  '*.display_name',
  '*.reason',
  '*.token',
  '*.secret',
  '*.recoveryCodes',
  '*.csrfToken',
  'req.headers["set-cookie"]',
  'res.headers["set-cookie"]',
];

/** Where log lines go instead of stdout (the log-scan test reads them). */
export interface LogStream {
  write(line: string): void;
}

export function loggerOptions(level: string, stream?: LogStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method?: string; routeOptions?: { url?: string }; id?: string }) {
        return { method: req.method, route: req.routeOptions?.url ?? 'unmatched', id: req.id };
      },
      res(res: { statusCode?: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
