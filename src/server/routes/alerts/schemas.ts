import { z } from 'zod';

const text = (max: number) => z.string().max(max);

export const idParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 53) });
export const versionParams = idParams.extend({ version: z.coerce.number().int().positive().max(10_000) });
export const tierQuery = z.object({ tier: z.enum(['panel', 'partners', 'public']).default('partners') });
export const reportTierQuery = z.object({ tier: z.enum(['panel', 'partners', 'public']).optional() });

export const contentSchema = z.object({
  title: text(300),
  what: text(10_000),
  where: text(2_000),
  when: text(2_000),
  advicePeopleWhoUseDrugs: text(10_000),
  adviceProfessionals: text(10_000),
  actions: z.array(z.object({ agency: text(300), actions: z.array(text(2_000)).max(50) })).max(30),
  figures: z.array(z.object({ label: text(300), count: z.number().int().min(0).max(10_000_000) })).max(30),
  coronerInformation: text(10_000),
});

export const createBody = z.object({
  kind: z.enum(['formal_alert', 'information_share']),
  basis: z.discriminatedUnion('type', [
    z.object({ type: z.literal('report'), report_id: z.string().min(1).max(200) }),
    z.object({ type: z.literal('step_change'), step_change_id: z.number().int().positive() }),
    z.object({ type: z.literal('manual'), area: z.string().regex(/^[EWSN]\d{8}$/, 'an ONS local authority code such as E06000008'), title: text(300).default('') }),
  ]),
});

export const noteBody = z.object({ note: text(2_000).optional() });
export const requiredNoteBody = z.object({ note: text(2_000) });

export const listBody = z.object({
  name: z.string().trim().min(1).max(200),
  tier: z.enum(['panel', 'partners', 'public']),
  description: text(1_000).default(''),
  members: z.array(z.object({ email: text(254), name: text(200).default('') })).max(2_000).default([]),
});
export const membersBody = z.object({ members: z.array(z.object({ email: text(254), name: text(200).default('') })).max(2_000) });

export const generateBody = z.object({
  area: z.string().regex(/^[EWSN]\d{8}$/, 'an ONS local authority code such as E06000008').optional(),
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  cadence: z.enum(['monthly', 'weekly']).optional(),
  period_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  period_end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  send: z.boolean().default(false),
});

/** Responses are described loosely (the shapes are in src/domain/alerts and src/data/alerts). */
export const anyObject = z.record(z.string(), z.unknown());
