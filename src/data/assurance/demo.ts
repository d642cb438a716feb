/**
 * Demo content for partnership assurance (deterministic): a partner directory, the
 * preparedness plan in two versions, a trial run with its lessons, a prevalence estimate,
 * and the harm-reduction self-audit in two completed rounds a year apart (the first rated
 * as the seed's own audit was), so the audit pages show what changed.
 */
import { HARM_REDUCTION_SELF_AUDIT, defaultPlanContent, templateItems, type RagRating } from '../../domain/assurance';
import { addMonths } from '../../domain/mat/dates';
import type { Db } from '../db';
import { addAction, completeAudit, createAudit, repeatAudit, updateItem } from './audits';
import { addPartner, createPlan, recordTrialRun, savePlan, startTrialRun } from './plan';
import { addPrevalence } from './needs';

export interface DemoAssuranceContext {
  /** The last day of the demo data (YYYY-MM-DD). */
  endDate: string;
  localAuthority: string;
}

const PARTNERS = [
  { organisation: 'Community drug and alcohol service', agency_type: 'Harm Reduction and Treatment services', contact_name: 'Jo Lead-Clinician', contact_role: 'Clinical lead', email: 'clinical.lead@example.org', pin_member: true, ldis_partner: 'treatment' },
  { organisation: 'Police – neighbourhood and custody', agency_type: 'Police', contact_name: 'DI Morgan', contact_role: 'Drugs lead', email: 'drugs.lead@police.example.org', pin_member: true, ldis_partner: 'police' },
  { organisation: 'Ambulance service', agency_type: 'ICB/Ambulance Trust', contact_name: 'Ali Paramedic', contact_role: 'Clinical governance', email: 'governance@ambulance.example.org', pin_member: true, ldis_partner: 'ambulance' },
  { organisation: 'Emergency department', agency_type: 'ICB/Hospital Trusts', contact_name: 'Dr Rees', contact_role: 'ED consultant', email: 'ed@hospital.example.org', pin_member: true, ldis_partner: 'emergency_department' },
  { organisation: 'Hostels and supported housing', agency_type: 'Homelessness services (including outreach, hostels and supported housing)', contact_name: 'Sam Hostel-Manager', contact_role: 'Manager', email: 'hostels@example.org', pin_member: true, ldis_partner: 'hostel' },
  { organisation: 'HM Coroner', agency_type: 'Coroner', contact_name: 'Coroner’s officer', contact_role: '', email: 'coroner@example.org', pin_member: true, ldis_partner: 'coroner' },
  { organisation: 'Local Resilience Forum', agency_type: 'Local Resilience Forum', contact_name: 'Pat Resilience', contact_role: 'LRF manager', email: 'lrf@example.org', pin_member: false, ldis_partner: null },
  { organisation: 'Probation service', agency_type: 'Probation', contact_name: 'Chris Probation', contact_role: 'Head of service', email: 'probation@example.org', pin_member: false, ldis_partner: null },
];

/** Ratings of the second round that differ from the seed's (the partnership moved on). */
const ROUND2: Readonly<Record<string, RagRating>> = {
  'hr-1.1': 'amber',
  'hr-1.2': 'green',
  'hr-2.9': 'amber',
  'hr-4.2': 'amber',
  'hr-5.7': 'green',
  'hr-8.2': 'red',
};

export async function seedDemoAssurance(db: Db, ctx: DemoAssuranceContext): Promise<void> {
  const lastMonth = ctx.endDate.slice(0, 7);
  const yearBefore = addMonths(`${lastMonth}-01`, -12).slice(0, 7);

  const partners = [];
  for (const p of PARTNERS) partners.push(await addPartner(db, p, 'ldis'));
  const ids = partners.map((p) => p.id);

  // The plan: version 1 from the seed, version 2 filled in by the coordinator.
  await createPlan(db, 'ldis', ctx.localAuthority);
  const content = defaultPlanContent('Synthetic opioid preparedness plan', ctx.localAuthority);
  content.coordinator = { name: 'Lee LDIS-Coordinator', role: 'LDIS coordinator', organisation: 'Public health, local authority', email: 'ldis@example.org', phone: '01632 960000' };
  content.chair = { name: 'Dr Jordan Public-Health', role: 'Consultant in public health', organisation: 'Local authority', email: 'dph@example.org', phone: '' };
  content.invitees = ids.slice(0, 7);
  content.circulation = ids;
  content.escalation = { lrfName: 'Local Resilience Forum', contacts: [{ name: 'Pat Resilience', role: 'LRF manager', organisation: 'Local Resilience Forum', email: 'lrf@example.org', phone: '01632 960001' }], guidance: 'Escalate to the Strategic Coordination Group when Step 3 is confirmed.' };
  content.triggerNote = 'The incident response group meets within 24 hours of a Step 2 or Step 3 decision.';
  await savePlan(db, { content, note: 'Coordinator, chair, invitees, LRF and circulation added', base_version: 1 }, 'ldis');

  const run = await startTrialRun(db, { scenario: 'Three overdoses with suspected nitazene in one weekend', local_authority: ctx.localAuthority, reports: 3 }, 'ldis', `${addMonths(ctx.endDate, -1)}T10:00:00.000Z`);
  await recordTrialRun(db, run.id, {
    whatHappened: 'All three drill reports were assessed within 24 hours; the response meeting was convened the next day. The LRF contact number in the plan was out of date.',
    improvements: 'Check the LRF contacts every quarter; add the out-of-hours number for the ambulance service.',
  }, 'ldis');

  await addPrevalence(db, { area: ctx.localAuthority, substance: 'opiates_crack', estimate: 1450, rate_per_1000: 8.9, year: '2019/20', source: 'Demo: synthetic estimate in the style of the OCU prevalence estimates' }, 'pin');

  // Round 1, a year before the end of the data, rated as in the seed; then round 2.
  const first = await createAudit(db, { template_id: HARM_REDUCTION_SELF_AUDIT.id, title: 'Harm reduction self-audit', area: ctx.localAuthority, month: yearBefore }, 'manager');
  for (const item of templateItems(HARM_REDUCTION_SELF_AUDIT)) {
    if (item.seedRating) await updateItem(db, first, item.key, { rating: item.seedRating }, 'manager');
  }
  await updateItem(db, first, 'hr-1.1', { comments: 'No overarching multi-agency strategy for harm reduction. A harm reduction sub-group will develop one.' }, 'manager');
  await addAction(db, first, 'hr-1.1', { text: 'Convene the harm reduction sub-group and draft the strategy', owner: 'Joint Commissioning Manager', due: addMonths(`${yearBefore}-01`, 4) }, 'manager');
  await addAction(db, first, 'hr-8.2', { text: 'Feed DRD review findings into staff training', owner: 'Clinical governance lead', due: addMonths(`${yearBefore}-01`, 6) }, 'manager');
  await completeAudit(db, first, 'manager');

  const second = await repeatAudit(db, first, { month: lastMonth }, 'manager');
  for (const [key, rating] of Object.entries(ROUND2)) await updateItem(db, second, key, { rating }, 'manager');
  await updateItem(db, second, 'hr-1.1', { comments: 'Strategy drafted by the sub-group; awaiting sign-off by all partners, including the Health Protection Unit.', evidence: [{ label: 'Draft strategy', url: 'https://intranet.example.org/harm-reduction-strategy' }] }, 'manager');
  await updateItem(db, second, 'hr-8.2', { comments: 'Two DRD reviews this year found training had not changed.' }, 'manager');
  await completeAudit(db, second, 'manager');
}
