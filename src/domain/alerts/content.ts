/**
 * Alert content and the templates it is drafted from (issue 7 item 1; domain.md §3.3–3.5;
 * seed 000 §5 and Appendix 3).
 *
 * An alert is either a *formal alert* or an *information share* (the two circulating
 * decisions of the LDIS workflow). Its content has the sections the seed's template asks
 * for: what, where, when, advice for people who use drugs, advice for professionals, and
 * the actions of each agency at the area's current step (Appendix 3, cumulative). It also
 * carries labelled figures (counts, disclosure-controlled in every shared copy) and a
 * separate section for a coroner's information, which is held back from every shared copy
 * unless permission to share it has been recorded.
 *
 * Pure: the caller passes the report, the area's name and step, and "today".
 */
import { activitiesAtStep, APPENDIX3_STEP_HEADINGS } from '../ldis/appendix3';
import type { CaseLevel } from '../ldis/caseDefinition';
import type { IncidentRecord, Step } from '../ldis/types';

export const ALERT_KINDS = ['formal_alert', 'information_share'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_KIND_LABELS: Readonly<Record<AlertKind, string>> = Object.freeze({
  formal_alert: 'Formal alert',
  information_share: 'Information share',
});

export interface AlertFigure {
  label: string;
  /** A true count. Shared copies publish it through disclosure control. */
  count: number;
}

export interface AgencyActions {
  agency: string;
  actions: string[];
}

export interface AlertContent {
  title: string;
  what: string;
  where: string;
  when: string;
  advicePeopleWhoUseDrugs: string;
  adviceProfessionals: string;
  /** Actions by agency for the step (seed 000 Appendix 3), editable. */
  actions: AgencyActions[];
  figures: AlertFigure[];
  /** A coroner's information: panel only unless permission to share is recorded. */
  coronerInformation: string;
}

/** The text sections of an alert, in the order every copy prints them. */
export const ALERT_SECTIONS = [
  { key: 'what', heading: 'What' },
  { key: 'where', heading: 'Where' },
  { key: 'when', heading: 'When' },
  { key: 'advicePeopleWhoUseDrugs', heading: 'Advice for people who use drugs' },
  { key: 'adviceProfessionals', heading: 'Advice for professionals' },
  { key: 'coronerInformation', heading: 'Information from the coroner' },
] as const satisfies ReadonlyArray<{ key: keyof AlertContent; heading: string }>;
export type AlertSectionKey = (typeof ALERT_SECTIONS)[number]['key'];

/**
 * Harm-reduction advice for people who use drugs when synthetic opioids may be in the
 * supply (the messages of seed 000 §5 and national guidance). An area edits it per alert.
 */
export const DEFAULT_ADVICE_PWUD = [
  'Drugs sold as heroin or other opioids (including tablets) may contain nitazenes, which are much stronger and can cause overdose quickly.',
  'Avoid using alone; if you do, tell someone or use a service that can send help.',
  'Start with a small test amount and go slowly; avoid mixing with alcohol, benzodiazepines or other depressants.',
  'Carry naloxone and make sure the people around you know how to use it. More than one dose may be needed.',
  'If someone is unresponsive or struggling to breathe, call 999, give naloxone and stay with them.',
  'Local treatment and harm-reduction services can provide naloxone and support the same day.',
].join(' ');

export const DEFAULT_ADVICE_PROFESSIONALS = [
  'Share harm-reduction messages with the people you work with who use drugs, and check that they and their peers carry naloxone.',
  'Nitazene overdoses may need repeated doses of naloxone and longer observation; people can fall unconscious again after naloxone wears off.',
  'Report suspected overdoses, deaths and drug-checking results to the local drug information system (LDIS) as soon as possible.',
  'Do not circulate this information beyond the audience it was sent to.',
].join(' ');

const EVENT_WORDS: Readonly<Record<IncidentRecord['event_type'], string>> = Object.freeze({
  death: 'a suspected drug-related death',
  non_fatal_overdose: 'a non-fatal overdose',
  ae_attendance: 'a drug-related A&E attendance',
  ambulance_callout: 'an ambulance call-out to an overdose',
  naloxone_administration: 'a naloxone administration',
  drug_check_result: 'a drug-checking result',
  seizure_test: 'a forensic test of seized drugs',
  prison_event: 'a drug-related event in prison',
  intelligence: 'intelligence about the local drug supply',
});

const SOURCE_WORDS: Readonly<Record<IncidentRecord['source'], string>> = Object.freeze({
  police: 'the police',
  coroner: 'the coroner',
  ambulance: 'the ambulance service',
  emergency_department: 'an emergency department',
  treatment: 'a treatment service',
  hostel: 'a hostel',
  outreach: 'an outreach service',
  prison: 'a prison',
  drug_checking: 'a drug-checking service',
  pharmacy: 'a pharmacy',
  community: 'a community source',
  other: 'a partner',
});

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2024-05-10" → "10 May 2024". */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTH_NAMES[Number(m[2]) - 1] ?? ''} ${m[1]}`;
}

/** Appendix 3's activities for the step as editable lines, agency by agency. */
export function actionsForStep(step: Step): AgencyActions[] {
  return activitiesAtStep(step)
    .map((a) => ({
      agency: a.agency,
      actions: a.activities.map((act) => (act.items && act.items.length > 0 ? `${act.text} ${act.items.join('; ')}` : act.text)),
    }))
    .filter((a) => a.actions.length > 0);
}

function yes(v: string | undefined): boolean {
  return v === 'Y';
}

function substancesText(r: IncidentRecord): string {
  const s = (r.substances ?? []).map((x) => x.replace(/_/g, ' '));
  return s.length > 0 ? ` Substances reported: ${s.join(', ')}.` : '';
}

export interface ReportBasis {
  kind: 'report';
  report: IncidentRecord;
  /** Case-definition level of the report (or its case), if it meets the definition. */
  level: CaseLevel | null;
  /** Other reports linked to the same case (the same event reported by several partners). */
  linked?: readonly IncidentRecord[];
  /** Coronial findings recorded with the report, if any. */
  coronial?: { nitazeneContributed: boolean | null; combinations: string | null } | null;
}

export interface StepChangeBasis {
  kind: 'step_change';
  fromStep: Step;
  toStep: Step;
  /** ISO date of the change. */
  date: string;
  /** Why (the proposal's reasons or the coordinator's override reason). */
  reasons: readonly string[];
  figures?: readonly AlertFigure[];
}

export interface ManualBasis {
  kind: 'manual';
  title: string;
}

export type AlertBasis = ReportBasis | StepChangeBasis | ManualBasis;

export interface DraftOptions {
  kind: AlertKind;
  /** ONS code and name of the area. */
  area: { code: string; name: string };
  /** The area's current step (after the change, for a step change). */
  step: Step;
}

function reportSentences(r: IncidentRecord, level: CaseLevel | null): string {
  const parts: string[] = [];
  const who: string[] = [];
  if (typeof r.age === 'number') who.push(`aged ${r.age}`);
  if (r.sex === 'M') who.push('male');
  else if (r.sex === 'F') who.push('female');
  parts.push(
    `${SOURCE_WORDS[r.source].charAt(0).toUpperCase()}${SOURCE_WORDS[r.source].slice(1)} reported ${EVENT_WORDS[r.event_type]}${who.length > 0 ? ` (a person ${who.join(', ')})` : ''}.`,
  );
  if (yes(r.synthetic_opioid_suspected)) parts.push('Synthetic opioid use is suspected.');
  if (yes(r.tox_nitazene_present) || yes(r.forensic_nitazene)) parts.push('A nitazene has been detected.');
  if (typeof r.naloxone_doses === 'number' && r.naloxone_doses > 0) parts.push(`Naloxone doses given: ${r.naloxone_doses}.`);
  if (level) parts.push(`The report meets the local case definition at the ${level} level.`);
  const s = substancesText(r);
  if (s) parts.push(s.trim());
  if (r.notes && r.notes.trim() !== '') parts.push(`Notes: ${r.notes.trim()}`);
  return parts.join(' ');
}

/**
 * Draft the content of an alert from its basis: an assessed report, a step change or a
 * blank (manual) alert. Everything is editable afterwards.
 */
export function draftAlert(basis: AlertBasis, options: DraftOptions): AlertContent {
  const { area, step, kind } = options;
  const label = kind === 'formal_alert' ? 'Alert' : 'Information';
  const common = {
    advicePeopleWhoUseDrugs: DEFAULT_ADVICE_PWUD,
    adviceProfessionals: DEFAULT_ADVICE_PROFESSIONALS,
    actions: actionsForStep(step),
    coronerInformation: '',
  };
  switch (basis.kind) {
    case 'report': {
      const r = basis.report;
      const linked = basis.linked ?? [];
      const fromCoroner = r.source === 'coroner';
      const synthetic = yes(r.synthetic_opioid_suspected) || yes(r.tox_nitazene_present) || yes(r.forensic_nitazene);
      const title = `${label}: ${synthetic ? 'suspected synthetic opioid harm' : 'drug-related harm'} in ${area.name}`;
      const what = fromCoroner
        ? `A suspected drug-related death has been reported in ${area.name}.${linked.length > 0 ? ` Other partners have reported the same event.` : ''} Details from the coroner are held separately.`
        : `${reportSentences(r, basis.level)}${linked.length > 0 ? ` The same event was also reported by ${[...new Set(linked.map((l) => SOURCE_WORDS[l.source]))].join(', ')}.` : ''}`;
      const coronerParts: string[] = [];
      if (fromCoroner) coronerParts.push(reportSentences(r, basis.level));
      for (const l of linked) if (l.source === 'coroner') coronerParts.push(reportSentences(l, null));
      if (basis.coronial) {
        if (basis.coronial.nitazeneContributed !== null) {
          coronerParts.push(`Coronial finding: a nitazene ${basis.coronial.nitazeneContributed ? 'caused or contributed to' : 'did not contribute to'} the death.`);
        }
        if (basis.coronial.combinations) coronerParts.push(`Combinations: ${basis.coronial.combinations}.`);
      }
      const place = [r.location_type ? r.location_type.replace(/_/g, ' ') : null, r.postcode ? `postcode ${r.postcode}` : null].filter((x) => x !== null);
      return {
        ...common,
        title,
        what,
        where: `${area.name}${place.length > 0 ? ` (${place.join(', ')})` : ''}.`,
        when: `The event happened on ${longDate(r.event_date)}; the report was received on ${longDate(r.received_at.slice(0, 10))}. Step ${step} of the stepped approach applies (${APPENDIX3_STEP_HEADINGS[step]}).`,
        figures: [{ label: 'Reports of this event from partners', count: 1 + linked.length }],
        coronerInformation: coronerParts.join(' '),
      };
    }
    case 'step_change': {
      const up = basis.toStep > basis.fromStep;
      return {
        ...common,
        title: `${label}: ${area.name} ${up ? 'moves up' : 'moves down'} to Step ${basis.toStep}`,
        what: `${area.name} has moved from Step ${basis.fromStep} to Step ${basis.toStep} of the synthetic opioid stepped approach: ${APPENDIX3_STEP_HEADINGS[basis.toStep]}${basis.reasons.length > 0 ? ` Reasons: ${basis.reasons.join('; ')}.` : ''}`,
        where: `${area.name}.`,
        when: `From ${longDate(basis.date)} until further notice.`,
        figures: [...(basis.figures ?? [])],
      };
    }
    case 'manual':
      return {
        ...common,
        title: basis.title.trim() === '' ? `${label} for ${area.name}` : basis.title.trim(),
        what: '',
        where: `${area.name}.`,
        when: '',
        figures: [],
      };
  }
}

/** Problems that stop an alert going forward for approval (empty when none). */
export function contentProblems(c: AlertContent): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  if (c.title.trim() === '') out.push({ field: 'title', message: 'Enter a title' });
  if (c.what.trim() === '') out.push({ field: 'what', message: 'Say what has happened' });
  if (c.where.trim() === '') out.push({ field: 'where', message: 'Say where' });
  if (c.when.trim() === '') out.push({ field: 'when', message: 'Say when' });
  if (c.advicePeopleWhoUseDrugs.trim() === '') out.push({ field: 'advicePeopleWhoUseDrugs', message: 'Give advice for people who use drugs' });
  if (c.adviceProfessionals.trim() === '') out.push({ field: 'adviceProfessionals', message: 'Give advice for professionals' });
  c.figures.forEach((f, i) => {
    if (f.label.trim() === '') out.push({ field: `figures.${i}.label`, message: 'Give each figure a label' });
    if (!Number.isInteger(f.count) || f.count < 0) out.push({ field: `figures.${i}.count`, message: 'A figure must be a whole number, 0 or more' });
  });
  return out;
}
