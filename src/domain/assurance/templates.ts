/**
 * Self-audit templates shipped with Beacon, transcribed from the seeds (domain.md §4):
 *
 *  - the harm-reduction self-audit: seed 002 (Hampshire DAAT, 2008/9), sections 1–8, every
 *    item in the seed's words with its lead agencies / individuals as written (markup such
 *    as italics dropped). `seedRating` keeps the RAG status Hampshire gave the item, for
 *    reference only: a new audit starts unrated;
 *  - the synthetic-opioid preparedness checklist: seed 000 §1–5, one item per question or
 *    recommendation of the guidance (its headings, paraphrased as checks where the seed
 *    asks a question). The seed names no lead agencies: leads are left for the area to set;
 *  - the providers' five recommendations: seed 001, in its words; the seed addresses
 *    "providers and those commissioning services", so that is the lead of each.
 *
 * Items whose subject Beacon can measure carry `measures` (see ./measures.ts): the current
 * value shows beside the rating. Item keys are stable identifiers: audits refer to them.
 */
import type { MeasureKey } from './measures';
import type { RagRating } from './rag';

export interface TemplateItem {
  key: string;
  text: string;
  /** Lead agencies / individuals; null when the source names none. */
  lead: string | null;
  measures?: readonly MeasureKey[];
  /** The rating the source document gave (reference only). */
  seedRating?: RagRating;
}

export interface TemplateSection {
  key: string;
  title: string;
  items: readonly TemplateItem[];
}

export interface AuditTemplate {
  id: string;
  name: string;
  /** Where the content comes from. */
  source: string;
  description: string;
  builtin: boolean;
  sections: readonly TemplateSection[];
}

type Row = [text: string, lead: string | null, seedRating?: RagRating, measures?: readonly MeasureKey[]];

function section(prefix: string, n: number, title: string, rows: readonly Row[]): TemplateSection {
  return {
    key: `${prefix}-${n}`,
    title,
    items: rows.map(([text, lead, seedRating, measures], i) => ({
      key: `${prefix}-${n}.${i + 1}`,
      text,
      lead,
      ...(seedRating ? { seedRating } : {}),
      ...(measures ? { measures } : {}),
    })),
  };
}

// ---------------------------------------------------------------------------------------
// Seed 002: Hampshire DAAT harm reduction strategy self audit, sections 1–8
// ---------------------------------------------------------------------------------------

const HR = 'hr';

export const HARM_REDUCTION_SELF_AUDIT: AuditTemplate = {
  id: 'harm-reduction-self-audit',
  name: 'Harm reduction strategy self-audit',
  source: 'Hampshire DAAT, Adult drug treatment plan 2008/9, Part B – Harm Reduction Strategy Self Audit (seed 002)',
  description:
    'The partnership’s harm-reduction system in eight sections: strategic management, confidential inquiries, all services, Tier 1 to Tier 4 services and the workforce.',
  builtin: true,
  sections: [
    section(HR, 1, 'Strategic management', [
      [
        'Partnership has a multi-agency strategy for harm reduction agreed across all partner agencies, including the local Health Protection Unit, which addresses sections 1 – 8 of this tool.',
        'DAAT Coordinator and Joint Commissioning Manager (JCM)',
        'red',
      ],
      ['Partnership has Chief Officer lead/champion for harm reduction/harm minimisation strategy', 'DAAT Chair to agree with membership', 'red'],
      ['Partnership receives quarterly harm reduction progress report against treatment plan targets', 'DAAT Chair / CG lead', 'amber', ['naloxone_high_risk', 'mat_uncategorised']],
      [
        'Partnership has identified clinical governance(CG) / quality assurance (QA) lead for all services / access to clinical risk management advice / formal links to PCT CG lead',
        'Lead Clinician / PCT / service provider lead/CG lead / QA lead',
        'amber',
      ],
      ['Partnership receives and discusses quarterly CG / QA reports from specialist services.', 'DAAT CG Lead/JCM', 'green'],
      ['Partnership has communication strategy for harm reduction', 'DAAT coordinator', 'green'],
      [
        'Agreed source of information re: contamination/purity issues/acute risks and communication protocol across all agencies',
        'Public health / Police',
        'green',
        ['ldis_assessed_24h', 'partners_sharing'],
      ],
    ]),
    section(HR, 2, 'Confidential Inquiries (CI)', [
      ['Identified CI lead in DAAT / multi DAAT area', 'DAAT coordinator & Strategic Health Authority (SHA)', 'amber'],
      ['Multi-agency multi-disciplinary drug related death (DRD) review group established for confidential inquiries', 'CI lead / SHA', 'amber'],
      ['Coroner involvement', 'Coroners office / CI lead', 'amber'],
      ['Agreed remit / terms of reference', 'CI lead', 'amber'],
      ['Agreed definition of drug related death (e.g. Advisory Council on the Misuse of Drugs definition)', 'CI lead', 'amber'],
      ['Agreed minimum data set', 'CI lead / Partnership Data Manager', 'amber'],
      ['Dedicated staff time to collate and analyse data and report', 'CI lead / Partnership Data Manager', 'amber'],
      ['Dissemination of recommendations of review group', 'CI lead', 'amber'],
      ['Annual report', 'CI lead', 'red'],
    ]),
    section(HR, 3, 'All services', [
      ['Implementation of Models of Care (MoC) in DAAT', 'JCM, provider clinical leads & CG Steering Group', 'green'],
      [
        'Risk assessments for all service users, appropriate to tier, and specific to the needs of substance misusers and inherent risks of specific drugs and methods of use',
        'CG / service provider leads',
        'green',
        ['mat_uncategorised', 'top_completion'],
      ],
      [
        'Provision of basic life-saving information appropriate to service users, including special groups such as black and minority ethnic (BME), and including use of DH / NTA materials',
        'Service user consultation / service leads',
        'amber',
      ],
      [
        'Provision of advice and information on the immediate and long-term risks of specific drugs and methods of use appropriate to service users including special groups such as stimulant users, including targeted campaigns on specific issues (e.g. hepatitis B/C virus and managing drugs overdose)',
        'Service user consultation / service provider leads',
        'green',
      ],
      ['Provision of injecting equipment to injecting drug users', 'Service user consultation / service provider leads', 'green'],
      ['Alcohol interventions for drug misusers', 'CG lead / service provider leads', 'green'],
    ]),
    section(HR, 4, 'Tier 1 services', [
      ['Local protocols re: police involvement in overdose (OD) incidents requiring ambulance response', 'Police / Ambulance', 'amber'],
      ['Ambulance crews carry and trained to use naloxone in opiate overdose incidents', 'Ambulance', 'red'],
      ['Liaison between A&E and drug services, referral systems, care pathways, injecting equipment', 'A&E / service leads / MoC lead or equivalent', 'amber'],
      ['Prevention and management of overdose in custody', 'Police', 'amber'],
      ['Benzodiazepine prescribing policy', 'PCT pharmacy lead / CG lead / GPs', 'green'],
      ['Care pathways for secondary care of individuals who are blood borne virus positive (BBV+) from testing in primary care', 'Director of public health', 'amber'],
      [
        'Item of service payments for GPs not in locally / nationally enhanced services (LES / NES) shared care who provide hepatitis B immunisation to drug users and their families',
        'PCT director of primary care',
        'amber',
      ],
      [
        'Integrated approach with referral, advice, liaison and care coordination arrangements for people with a substance misuse and mental health problems',
        'Mental health / dual diagnosis lead / MoC and service provider leads',
        'green',
      ],
    ]),
    section(HR, 5, 'Tier 2 services', [
      ['Training in overdose prevention and management for service users and carers', 'Service user consultation / service provider leads', 'green', ['naloxone_high_risk', 'naloxone_in_mat']],
      [
        'Injecting equipment and paraphernalia relevant to needs, widely and easily available from a range of outlets: centre based, pharmacy based, outreach to priority groups',
        'Service user consultation / PCT / service provider leads',
        'green',
      ],
      [
        'Strategy to minimise inappropriate disposal of used injecting equipment by providing widespread access to secure disposal',
        'Service provider leads / local authority / service user consultation',
        'green',
      ],
      ['Referral mechanisms for access to dental health care', 'Service provider leads / PCT Commissioner / JCM', 'amber'],
      [
        'Sexual health promotion, screening and materials available in drug-specialist services, in liaison with specialist GUM services',
        'Service provider leads / MoC leads/ PCT / Public health',
        'amber',
      ],
      ['Access to healthcare advice, support and screening, with referrals to specialist services as appropriate', 'Service provider leads / MoC leads/ PCT', 'green'],
      ['Information campaigns coordinated and targeted on specific drug related deaths issues', 'Service provider leads / DAAT', 'amber'],
      [
        'Access to BBV testing and hepatitis B immunisation 1) on site: protocols and monitoring 2) off site: care pathways, referral and monitoring',
        'Service provider leads / MoC leads (or equivalent) PCT / Public health',
        'green',
      ],
      [
        'BBV+ service users and / or liver disease have access to secondary specialist services (referral, care pathways, monitoring uptake and outcomes)',
        'MoC lead (or equivalent) / PCT / service provider leads',
        'amber',
      ],
    ]),
    section(HR, 6, 'Tier 3 services', [
      [
        'Service users are made aware of the dangers to children of take home medication, need for safe storage, child proof caps and lockable safes and containers',
        'Service provider leads / practitioners in a prescribing role / CG lead / Community Pharmacists',
        'green',
      ],
      ['Training in overdose prevention and management for service users and carers', 'Service user consultation / service provider leads', 'amber', ['naloxone_high_risk', 'naloxone_in_mat']],
      [
        'Access to full range of DH / NTA overdose prevention materials',
        'Service provider leads / DAAT coordinator (or equivalent), PCT Health Improvement / Health Promotion lead',
        'green',
      ],
      [
        'Individual care plans provide on-going assessment of general / primary healthcare needs, including risks of drug related harm from sudden overdose, BBV and other communicable diseases, bacterial endocarditis, skin botulism, septicemia etc',
        'MoC lead (or equivalent) / service provider leads',
        'amber',
        ['top_completion', 'naloxone_high_risk'],
      ],
      ['Referral mechanisms for access to dental health care', 'Service provider leads / PCT Commissioner', 'green'],
      [
        'Sexual health promotion, screening and materials available in liaison with specialist GUM services',
        'Service leads / MoC leads / PCT / Public health / PCT Health Improvement / Health Promotion lead',
        'green',
      ],
      [
        'Integrated approach with referral, advice, liaison and care coordination arrangements for people with a substance misuse and mental health problems',
        'Service provider leads / Dual Diagnosis lead',
        'green_amber',
      ],
      [
        'Rapid access to substitute prescribing for released prisoners and those prematurely leaving residential treatment',
        'DIP / CDAT managers',
        'green_amber',
      ],
      ['Benzodiazepine prescribing policy including access to detoxification', 'CG / Practitioners in a prescribing role', 'green'],
      [
        'Access to BBV testing and hepatitis B immunisation 1) on site: protocols, patient group direction for nursing staff, and monitoring 2) off site: care pathways, referral and monitoring',
        'Public health directors / service provider leads / CG leads / MoC leads (or equivalent) / PCTs/PCT Pharmacy lead',
        'green_amber',
      ],
      [
        'Service users who are BBV+ and or liver disease have access to secondary specialist services (referral, care pathways, co-working arrangements, monitoring of uptake and outcomes)',
        'MoC leads (or equivalent) / GPs / PCT specialist Commissioners / service provider leads / JCM',
        'green',
      ],
    ]),
    section(HR, 7, 'Tier 4 services', [
      ['Relapse prevention, BBV education integral part of programme', 'Service provider leads / CG lead', 'green'],
      ['Hepatitis B immunisation available to residents / inpatients', 'Service leads provider / CG lead', 'green'],
      [
        'Discharge procedures include explicit warnings about the risks of overdose. Referral and care pathways into substitute prescribing are available',
        'Service leads provider / CG lead',
        'green',
      ],
      [
        'Individual care plans provide on-going assessment of general / primary healthcare needs, including risks of drug related harm from sudden overdose, BBV and other communicable diseases, bacterial endocarditis, skin botulism, septicaemia etc in all residential and in-patient settings used by the partnership',
        'MoC lead (or equivalent) / service provider leads',
        'green',
      ],
      ['Referral mechanisms for access to dental health care', 'Service provider leads / PCT Commissioner / JCM', 'amber'],
      [
        'Sexual health promotion, screening and materials available in all residential rehabilitation settings used by the partnership',
        'Service provider leads / MoC lead (or equivalent) PCT / Public health / Health Improvement / Health Promotion lead',
        'green',
      ],
    ]),
    section(HR, 8, 'Workforce', [
      [
        'Personal / professional development plans or organisational training plans enable staff to develop the knowledge and skills to provide competent health risk assessments, harm reduction / health promotion advice and prevent drug related deaths (ref: DANOS)',
        'Service provider leads / CG lead / Health Improvement / Health Promotion Lead',
        'green',
      ],
      ['Training to incorporate feedback from drug related death review / local Confidential Inquiries', 'Service provider leads / CG lead', 'amber'],
      [
        'Protocols in place for staff working with drug users to have access to Post Exposure Prophylaxis (PEP) for possible occupational HIV, HBV, HCV transmission and appropriate follow-up',
        'Service provider leads / CG lead',
        'green',
      ],
      ['HBV immunisation available to all staff working with drug users', 'Service provider leads', 'green'],
    ]),
  ],
};

// ---------------------------------------------------------------------------------------
// Seed 000 §1–5: synthetic opioid preparedness checklist
// ---------------------------------------------------------------------------------------

const SO = 'so';

export const PREPAREDNESS_CHECKLIST: AuditTemplate = {
  id: 'synthetic-opioid-preparedness',
  name: 'Synthetic opioid preparedness checklist',
  source: 'Additional guidance to support the development of synthetic opioid preparedness plans, May 2024, sections 1–5 (seed 000)',
  description: 'Is the local plan in place and tested? Coordination, monitoring, information sharing, communications and the operational response.',
  builtin: true,
  sections: [
    section(SO, 1, 'Coordination', [
      ['Who will coordinate the local plan? A named person ensures the plan is developed, monitored and enacted, agrees the involvement of partners and keeps key strategic boards sighted.', null],
      ['Who will chair? The plan contains the details of who will chair the local incident response meetings should nitazenes be suspected or confirmed.', null],
      [
        'Who will be invited? The plan states which partners join the incident response group and sub-groups (including hostel providers, homelessness outreach, neighbourhood police, police custody drug workers, A&E, peer harm reduction workers), and the Professional Information Network’s coverage has been reviewed.',
        null,
      ],
      [
        'What is the trigger for enacting an incident response? The harms covered and a threshold for enacting the plan are agreed (suspected deaths/overdoses in a period, non-fatal overdoses, A&E admissions, ambulance call outs, anecdotal reports), with the stepped approach (Steps 1–3).',
        null,
      ],
      ['What are the local triggers for escalation? The contact details of the Local Resilience Forum are in the plan with relevant local guidance; a representative is invited to all meetings and included in the LDIS/PIN.', null],
      ['Share the plan: once developed, the plan is circulated to all relevant partners, at a minimum the Professional Information Network.', null],
    ]),
    section(SO, 2, 'Monitoring local harms', [
      [
        'Is your LDIS working? Key strategic partners are engaged and routinely sharing information; the LDIS panel meets the current LDIS guidance (a multidisciplinary panel of up to six people with relevant expertise).',
        null,
        undefined,
        ['partners_sharing', 'ldis_assessed_24h'],
      ],
      ['Local trial runs with partners, including the LRF, stress test system processes.', null, undefined, ['trial_runs_12m']],
      [
        'Map the gaps in current information sharing: established baselines and ongoing monitoring, as a minimum, for suspected drug-related deaths, non-fatal overdoses, drug-related A&E admissions, drug-related ambulance call outs/naloxone use and community naloxone use.',
        null,
      ],
      ['A regular report is circulated to the PIN highlighting the number and variety of submissions received in the latest period.', null, undefined, ['partners_sharing']],
      [
        'Centralise analysis of partnership data: who/where partnership data is sent for analysis and who receives the reports is identified, with the capability to create redacted copies for wider partners.',
        null,
      ],
    ]),
    section(SO, 3, 'Information sharing', [
      ['The partner data items of Appendix 2 have been reviewed and agreed with partners.', null],
      ['Case-by-case data collection: a dataset for each case meeting the case definition (Appendix 1, Op Mabble) is ready to share with partners once an incident response is enacted.', null],
      [
        'Strategic Coordination Group: partners clearly understand their obligations under the Civil Contingencies Act; familiarisation training for partners is considered in the plan.',
        null,
      ],
    ]),
    section(SO, 4, 'Comms plan', [
      [
        'The threat of synthetic opioids can be communicated to specialist drug treatment services, harm reduction & outreach services, ambulance trusts, emergency departments and people who use drugs.',
        null,
      ],
      [
        'Additional groups are included: friends and families of people who use drugs; homelessness and supported accommodation providers; services likely to come into contact with people who use drugs or their friends and families (children and adult social care, probation, GPs/Primary Care Networks, mental health services); the wider public.',
        null,
      ],
      ['Permission to share is secured before any information received from a coroner is included in external, public-facing comms.', null],
    ]),
    section(SO, 5, 'Operational response', [
      ['A stepped approach (Step 1 prepared; Step 2 reliable intelligence; Step 3 confirmed presence and/or rising overdoses/deaths) is used to develop the operational roles and responsibilities of partners.', null],
      ['Individual agency responses to the threat are developed and agreed with local partners (Appendix 3 as the illustration).', null],
      [
        'A collective multi-agency harm-reduction approach is based on the priorities: reducing the incidence of people using alone; of people using without naloxone being available; of injecting drug use; of people using illicit drugs.',
        null,
        undefined,
        ['naloxone_high_risk'],
      ],
    ]),
  ],
};

// ---------------------------------------------------------------------------------------
// Seed 001: the providers' five recommendations
// ---------------------------------------------------------------------------------------

const PROVIDERS_AND_COMMISSIONERS = 'Service providers and commissioners';

export const PROVIDER_RECOMMENDATIONS: AuditTemplate = {
  id: 'provider-recommendations',
  name: 'Improving clinical responses to drug-related deaths: the five recommendations',
  source: 'Collective Voice and NHS Substance Misuse Providers Alliance, Improving Clinical Responses to Drug-Related Deaths (seed 001)',
  description: 'The key recommendations providers and those commissioning services should commit to.',
  builtin: true,
  sections: [
    section('pr', 1, 'Key recommendations', [
      [
        'Every service should review its information systems to enable data relevant to risk of overdose to be captured and deployed to inform individual treatment plans.',
        'Service providers',
        undefined,
        ['mat_uncategorised', 'top_completion'],
      ],
      [
        'Treatment plans should be consistent with the 2017 clinical guidelines and should be individually tailored to balance the protective benefits of OST with the opportunity to safely progress towards recovery. Providers and commissioners should guard against forced reductions or premature removal from treatment in a desire to achieve targets.',
        PROVIDERS_AND_COMMISSIONERS,
        undefined,
        ['mat_red'],
      ],
      [
        'All providers should establish clear protocols for managing the risk of overdose and ensure their staffs are competent to implement them. This should include ensuring Naloxone is widely available.',
        'Service providers',
        undefined,
        ['naloxone_high_risk', 'naloxone_in_mat'],
      ],
      [
        'Commissioners and service providers have a responsibility to maximise their contribution to addressing all the physical and mental health needs of service users, ensuring these are met either within their own services or by effective engagement with timely and appropriate access to primary care and specialist services in the NHS. This includes ensuring that more people are tested for and treated for Hepatitis B and C.',
        PROVIDERS_AND_COMMISSIONERS,
      ],
      [
        'Commissioners and treatment systems need to increase local penetration rates to reduce deaths among those who are currently not engaged in treatment or in contact with harm reduction services, fundamental to this is supporting and ensuring the use of needle exchange is promoted and access increased.',
        'Commissioners and treatment systems',
        undefined,
        ['penetration'],
      ],
    ]),
  ],
};

export const BUILTIN_TEMPLATES: readonly AuditTemplate[] = [HARM_REDUCTION_SELF_AUDIT, PREPAREDNESS_CHECKLIST, PROVIDER_RECOMMENDATIONS];

export function builtinTemplate(id: string): AuditTemplate | null {
  return BUILTIN_TEMPLATES.find((t) => t.id === id) ?? null;
}

/** Every item of a template, in order, with its section. */
export function templateItems(t: AuditTemplate): Array<TemplateItem & { section: string; sectionKey: string }> {
  return t.sections.flatMap((s) => s.items.map((i) => ({ ...i, section: s.title, sectionKey: s.key })));
}

/** The measures a template uses, each once, in order of first use. */
export function templateMeasures(t: AuditTemplate): MeasureKey[] {
  const out: MeasureKey[] = [];
  for (const i of templateItems(t)) for (const m of i.measures ?? []) if (!out.includes(m)) out.push(m);
  return out;
}

export interface TemplateDraft {
  name: string;
  description?: string;
  sections: Array<{ title: string; items: Array<{ text: string; lead?: string | null; measures?: string[] }> }>;
}

/**
 * A user's template from a draft: keys assigned (`u-<section>.<item>`), blank text refused.
 * Returns the problems instead when the draft is not usable.
 */
export function buildUserTemplate(
  id: string,
  draft: TemplateDraft,
  isMeasure: (k: string) => k is MeasureKey,
): { ok: true; template: AuditTemplate } | { ok: false; problems: Array<{ field: string; message: string }> } {
  const problems: Array<{ field: string; message: string }> = [];
  if (draft.name.trim() === '') problems.push({ field: 'name', message: 'Enter a name for the template' });
  if (draft.sections.length === 0) problems.push({ field: 'sections', message: 'Add at least one section' });
  const sections: TemplateSection[] = draft.sections.map((s, si) => {
    if (s.title.trim() === '') problems.push({ field: `sections.${si}.title`, message: `Section ${si + 1} needs a title` });
    if (s.items.length === 0) problems.push({ field: `sections.${si}.items`, message: `Section ${si + 1} needs at least one item` });
    return {
      key: `u-${si + 1}`,
      title: s.title.trim(),
      items: s.items.map((it, ii) => {
        if (it.text.trim() === '') problems.push({ field: `sections.${si}.items.${ii}.text`, message: `Item ${ii + 1} of section ${si + 1} has no text` });
        const measures: MeasureKey[] = [];
        for (const m of it.measures ?? []) {
          if (isMeasure(m)) measures.push(m);
          else problems.push({ field: `sections.${si}.items.${ii}.measures`, message: `Unknown measure ${m}` });
        }
        const lead = it.lead?.trim() ? it.lead.trim() : null;
        return { key: `u-${si + 1}.${ii + 1}`, text: it.text.trim(), lead, ...(measures.length ? { measures } : {}) };
      }),
    };
  });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    template: { id, name: draft.name.trim(), source: 'Created in Beacon', description: draft.description?.trim() ?? '', builtin: false, sections },
  };
}

/**
 * Parses the plain-text outline used by the "new template" form: a line starting with
 * "#" begins a section; every other non-blank line is an item, "text | lead" (the lead
 * after the last "|", optional).
 */
export function parseOutline(name: string, description: string, outline: string): TemplateDraft {
  const sections: TemplateDraft['sections'] = [];
  for (const raw of outline.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      sections.push({ title: line.replace(/^#+\s*/, ''), items: [] });
      continue;
    }
    if (sections.length === 0) sections.push({ title: 'Items', items: [] });
    const bar = line.lastIndexOf('|');
    const text = bar >= 0 ? line.slice(0, bar).trim() : line;
    const lead = bar >= 0 ? line.slice(bar + 1).trim() : null;
    sections[sections.length - 1]!.items.push({ text, lead });
  }
  return { name, description, sections };
}
