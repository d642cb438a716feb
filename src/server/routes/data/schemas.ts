import { z } from 'zod';

export const importRunSchema = z.object({
  id: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  username: z.string().nullable(),
  sourceName: z.string(),
  format: z.string(),
  dryRun: z.boolean(),
  skipInvalid: z.boolean(),
  status: z.enum(['running', 'succeeded', 'rejected', 'partial', 'failed', 'validated']),
  rowsRead: z.number(),
  rowsWritten: z.number(),
  problemCount: z.number(),
  summary: z.record(z.string(), z.unknown()).nullable(),
});

export const problemRowSchema = z.object({
  file: z.string(),
  line: z.number().nullable(),
  column: z.string(),
  value: z.string(),
  expected: z.string(),
  message: z.string(),
  severity: z.string(),
});

export const tableCountSchema = z.object({ table: z.string(), label: z.string(), rows: z.number() });

export const qualityFindingSchema = z.object({
  code: z.string(),
  title: z.string(),
  description: z.string(),
  count: z.number(),
  severity: z.enum(['error', 'warning', 'info']),
});
