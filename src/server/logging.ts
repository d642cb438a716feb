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
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
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
