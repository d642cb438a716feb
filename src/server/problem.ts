import { z } from 'zod';

/** RFC 9457 problem details: the shape of every error Beacon's API returns. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('Field-level problems with the request'),
});
export type Problem = z.infer<typeof problemSchema>;

export function problem(status: number, title: string, detail?: string, errors?: Problem['errors']): Problem {
  return {
    type: status === 400 ? 'https://beacon.invalid/problems/validation' : 'about:blank',
    title,
    status,
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** A handler-raised error that becomes a problem response. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errors: Problem['errors'];
  constructor(status: number, title: string, errors?: Problem['errors']) {
    super(title);
    this.status = status;
    this.errors = errors;
  }
}

export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
} as const;
