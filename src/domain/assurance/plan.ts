/**
 * The synthetic-opioid preparedness plan (seed 000 §1–5; domain.md §4): who coordinates
 * and chairs, who is invited (from the partner directory), the triggers (linked to the
 * early-warning configuration, never retyped here: the plan keeps only a local note),
 * escalation to the Local Resilience Forum, circulation, comms audiences, and the
 * activities per agency and step, starting from seed 000 Appendix 3.
 */
import { z } from 'zod';
import { APPENDIX3 } from '../ldis/appendix3';

const text = (max: number) => z.string().trim().max(max);

export const contactSchema = z.strictObject({
  name: text(200),
  role: text(200).default(''),
  organisation: text(200).default(''),
  email: z.union([z.literal(''), z.string().trim().email('an email address such as name@example.org').max(320)]).default(''),
  phone: text(40).default(''),
});
export type Contact = z.infer<typeof contactSchema>;

export const activitySchema = z.strictObject({
  text: text(2000).min(1, 'an activity needs text'),
  items: z.array(text(2000).min(1)).max(50).optional(),
});

export const agencyStepSchema = z.strictObject({
  agency: text(200).min(1, 'name the agency'),
  step: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  activities: z.array(activitySchema).max(50),
});

export const planContentSchema = z.strictObject({
  title: text(200).min(1, 'give the plan a title'),
  area: text(200).default(''),
  coordinator: contactSchema,
  chair: contactSchema,
  /** Partner directory ids invited to the incident response group. */
  invitees: z.array(z.number().int().positive()).max(500),
  /** Local wording about the triggers; the triggers themselves come from the early-warning configuration. */
  triggerNote: text(4000).default(''),
  escalation: z.strictObject({
    lrfName: text(200).default(''),
    contacts: z.array(contactSchema).max(20),
    guidance: text(1000).default(''),
  }),
  /** Partner directory ids the plan is circulated to. */
  circulation: z.array(z.number().int().positive()).max(500),
  commsAudiences: z.array(text(200).min(1)).max(50),
  activities: z.array(agencyStepSchema).max(200),
});
export type PlanContent = z.infer<typeof planContentSchema>;

/** Seed 000 §4: the audiences OHID names, then those the guidance adds. */
export const SEED_COMMS_AUDIENCES: readonly string[] = [
  'Specialist drug treatment services',
  'Harm reduction & outreach services',
  'Ambulance trusts',
  'Emergency departments',
  'People who use drugs',
  'Friends and families of people who use drugs',
  'Homelessness and supported accommodation providers',
  'Children and Adult social care',
  'Probation',
  'GPs/Primary Care Networks',
  'Mental health services',
  'The wider public',
];

const emptyContact = (): Contact => ({ name: '', role: '', organisation: '', email: '', phone: '' });

/** A new plan: the seed's comms audiences and Appendix 3 activities as the starting content. */
export function defaultPlanContent(title = 'Synthetic opioid preparedness plan', area = ''): PlanContent {
  return {
    title,
    area,
    coordinator: emptyContact(),
    chair: emptyContact(),
    invitees: [],
    triggerNote: '',
    escalation: { lrfName: '', contacts: [], guidance: '' },
    circulation: [],
    commsAudiences: [...SEED_COMMS_AUDIENCES],
    activities: APPENDIX3.map((a) => ({
      agency: a.agency,
      step: a.step,
      activities: a.activities.map((x) => ({ text: x.text, ...(x.items ? { items: [...x.items] } : {}) })),
    })),
  };
}

/** Gaps that make a plan unready to circulate (seed 000 §1 components), in words. */
export function planGaps(p: PlanContent, triggersConfigured: number): string[] {
  const gaps: string[] = [];
  if (p.coordinator.name === '') gaps.push('No coordinator named');
  if (p.chair.name === '') gaps.push('No chair named for incident response meetings');
  if (p.invitees.length === 0) gaps.push('No partners invited to the incident response group');
  if (triggersConfigured === 0) gaps.push('No triggers configured in early warning');
  if (p.escalation.lrfName === '' && p.escalation.contacts.length === 0) gaps.push('No Local Resilience Forum contact');
  if (p.circulation.length === 0) gaps.push('Not circulated to anyone');
  if (p.commsAudiences.length === 0) gaps.push('No comms audiences');
  return gaps;
}

/** Outcome of a trial run (a drill): what happened, what to improve. */
export const trialRunReportSchema = z.strictObject({
  whatHappened: text(8000).min(1, 'say what happened'),
  improvements: text(8000).min(1, 'say what to improve (or that nothing needs to)'),
});
