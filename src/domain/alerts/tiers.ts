/**
 * Audience tiers of an alert (issue 7 item 2; domain.md §3.5 and §5). Beacon makes every
 * shared copy itself, from the panel's full text:
 *
 * - **panel**: the full alert as written (identifiers included where the text has them).
 * - **partners** (the PIN and wider partners): every section through `redactText` with the
 *   identifiers known from the reports behind the alert (names, dates of birth, NHS
 *   numbers, full postcodes → district, addresses), ages → age bands, counts written in
 *   the text → "fewer than 8" or rounded ("about 10"), the figures through disclosure
 *   control, and the coroner's information left out unless permission to share it has
 *   been recorded.
 * - **public** bulletin: the partners' copy without the advice for professionals, the
 *   agency actions or any figure, and "where" reduced to the area's name.
 *
 * `findIdentifierLeaks` is the check run on every shared copy before it is issued (and in
 * the tests): a copy that still holds a known identifier is never sent.
 */
import { protectCount } from '../disclosure/count';
import { parsePostcode } from '../disclosure/identifiers';
import { DEFAULT_DISCLOSURE_POLICY, disclosureNote, roundHalfUp, type DisclosurePolicy } from '../disclosure/policy';
import { ageBand, parseLooseDate, redactText, type KnownIdentifiers } from '../disclosure/redact';
import { ALERT_SECTIONS, type AgencyActions, type AlertContent, type AlertSectionKey } from './content';

export const TIERS = ['panel', 'partners', 'public'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Readonly<Record<Tier, string>> = Object.freeze({
  panel: 'Panel (full)',
  partners: 'Partners and PIN (redacted)',
  public: 'Public bulletin',
});

export interface TierSection {
  key: AlertSectionKey;
  heading: string;
  text: string;
}

export interface TierCopy {
  tier: Tier;
  title: string;
  sections: TierSection[];
  figures: Array<{ label: string; display: string }>;
  actions: AgencyActions[];
  /** Footnotes: disclosure control, what was held back. */
  notes: string[];
}

export interface TierOptions {
  /** Identifiers of the people in the reports behind the alert. */
  known: KnownIdentifiers;
  /** ISO date the alert is about: dates long before it are taken as dates of birth. */
  referenceDate: string;
  /** Permission to share the coroner's information has been recorded. */
  coronerSharingPermitted: boolean;
  /** The area's name (the public bulletin's "where"). */
  areaName: string;
  policy?: DisclosurePolicy;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = Object.freeze({
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
});
const COUNTED =
  'people|persons|person|individuals|cases|case|overdoses|overdose|deaths|death|reports|report|incidents|incident|attendances|attendance|call-?outs|call-?out|events|event|submissions|submission|admissions|admission|patients|clients|residents|men|women|males|females|users|fatalities|casualties|hospitalisations|results|samples|finds|seizures|administrations';
/** A count (digits or a number word) followed, within three words, by a counted noun. */
const COUNT_RE = new RegExp(
  `(?<![\\w.,/:-])(\\d{1,6}|${Object.keys(NUMBER_WORDS).join('|')})((?:\\s+(?!and\\b|or\\b)[A-Za-z&-]+){0,3}?\\s+(?:${COUNTED}))\\b`,
  'gi',
);
/** "N of whom", "N of them", "N died", "N were hospitalised". */
const COUNT_VERB_RE = new RegExp(
  `(?<![\\w.,/:-])(\\d{1,6}|${Object.keys(NUMBER_WORDS).join('|')})(\\s+(?:of\\s+(?:whom|them|these|those)|died|were|have\\s+died|needed|required|tested))\\b`,
  'gi',
);

function protectedCountWords(n: number, policy: DisclosurePolicy): string {
  const c = protectCount(n, policy);
  if (c.value === null) return `fewer than ${policy.suppressTo + 1}`;
  return c.status === 'rounded' ? `about ${c.value}` : String(c.value);
}

/**
 * Counts written in free text, disclosure-controlled as a single count: 1–7 become
 * "fewer than 8", other counts are rounded to the policy's base ("about 10").
 */
export function protectTextCounts(text: string, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): string {
  const fix = (_m: string, num: string, rest: string) => {
    const n = /^\d+$/.test(num) ? Number(num) : (NUMBER_WORDS[num.toLowerCase()] ?? 0);
    return `${protectedCountWords(n, policy)}${rest}`;
  };
  return text.replace(COUNT_RE, fix).replace(COUNT_VERB_RE, fix);
}

const AGE_RE = /\b(aged|age|ages)(\s*:?\s*)(\d{1,3})\b(?!\s*(?:-|to)\s*\d)/gi;
const YEAR_OLD_RE = /\b(\d{1,3})[- ]years?[- ]old\b/gi;

/** Exact ages → age bands ("aged 41" → "aged 35-44"). */
export function bandAges(text: string): string {
  return text
    .replace(AGE_RE, (_m, w: string, sep: string, n: string) => `${w}${sep}${ageBand(Number(n)) ?? 'unknown'}`)
    .replace(YEAR_OLD_RE, (_m, n: string) => `${ageBand(Number(n)) ?? 'unknown age'}-year-old`);
}

/** One section of free text for a shared copy. */
export function redactForSharing(text: string, options: TierOptions): string {
  const policy = options.policy ?? DEFAULT_DISCLOSURE_POLICY;
  const redacted = redactText(text, { known: options.known, referenceDate: options.referenceDate }).text;
  return protectTextCounts(bandAges(redacted), policy);
}

/** The three copies of an alert. */
export function produceTiers(content: AlertContent, options: TierOptions): Record<Tier, TierCopy> {
  const policy = options.policy ?? DEFAULT_DISCLOSURE_POLICY;
  const panel: TierCopy = {
    tier: 'panel',
    title: content.title,
    sections: ALERT_SECTIONS.filter((s) => content[s.key].trim() !== '').map((s) => ({ key: s.key, heading: s.heading, text: content[s.key] })),
    figures: content.figures.map((f) => ({ label: f.label, display: String(f.count) })),
    actions: content.actions.map((a) => ({ agency: a.agency, actions: [...a.actions] })),
    notes: ['Full copy for the LDIS panel. Do not forward.'],
  };

  const heldBack = content.coronerInformation.trim() !== '' && !options.coronerSharingPermitted;
  const sharedSections = ALERT_SECTIONS.filter((s) => content[s.key].trim() !== '')
    .filter((s) => s.key !== 'coronerInformation' || options.coronerSharingPermitted)
    .map((s) => ({ key: s.key, heading: s.heading, text: redactForSharing(content[s.key], options) }));
  const partnerNotes = [
    'Redacted copy: no names, dates of birth, NHS numbers, full postcodes or addresses; places at postcode district or above; small numbers suppressed.',
  ];
  if (content.figures.length > 0) partnerNotes.push(disclosureNote(policy));
  if (heldBack) partnerNotes.push('Information from the coroner is held back: permission to share it has not been recorded.');
  const partners: TierCopy = {
    tier: 'partners',
    title: redactForSharing(content.title, options),
    sections: sharedSections,
    figures: content.figures.map((f) => ({ label: redactForSharing(f.label, options), display: protectCount(f.count, policy).display })),
    actions: content.actions.map((a) => ({ agency: a.agency, actions: a.actions.map((x) => redactForSharing(x, options)) })),
    notes: partnerNotes,
  };

  const publicKeys: readonly AlertSectionKey[] = ['what', 'where', 'when', 'advicePeopleWhoUseDrugs'];
  const pub: TierCopy = {
    tier: 'public',
    title: partners.title,
    sections: sharedSections
      .filter((s) => publicKeys.includes(s.key))
      .map((s) => (s.key === 'where' ? { ...s, text: `${options.areaName}.` } : s)),
    figures: [],
    actions: [],
    notes: ['Public bulletin. If someone is unresponsive or struggling to breathe, call 999.'],
  };
  return { panel, partners, public: pub };
}

/** Every piece of text in a copy, for searching. */
export function copyText(copy: TierCopy): string {
  return [
    copy.title,
    ...copy.sections.flatMap((s) => [s.heading, s.text]),
    ...copy.figures.flatMap((f) => [f.label, f.display]),
    ...copy.actions.flatMap((a) => [a.agency, ...a.actions]),
    ...copy.notes,
  ].join('\n');
}

export type LeakKind = 'name' | 'nhs_number' | 'date_of_birth' | 'postcode' | 'address';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Which known identifiers a text still contains (kinds only, never the values): names
 * (whole name or any part of two letters or more, as a whole word), NHS numbers (the
 * digits with any spacing), dates of birth (in any written form), full postcodes (any
 * spacing or case) and addresses (the whole address or its first line). Also any full
 * postcode or ten-digit number, known or not.
 */
export function findIdentifierLeaks(text: string, known: KnownIdentifiers): LeakKind[] {
  const found = new Set<LeakKind>();
  const word = (s: string) => new RegExp(`(?<![A-Za-z0-9])${s.trim().split(/\s+/).map(escapeRe).join('[\\s,]+')}(?![A-Za-z0-9])`, 'i');
  for (const n of known.names ?? []) {
    const parts = [n, ...n.split(/[\s,]+/)].map((p) => p.trim()).filter((p) => p.replace(/[^A-Za-z]/g, '').length >= 2);
    if (parts.some((p) => word(p).test(text))) found.add('name');
  }
  const digitsOnly = text.replace(/[\s.-]/g, '');
  for (const nhs of known.nhsNumbers ?? []) {
    const d = nhs.replace(/\D/g, '');
    if (d.length === 10 && digitsOnly.includes(d)) found.add('nhs_number');
  }
  if (/(?<!\d)(?:\d{3}[ -]?\d{3}[ -]?\d{4})(?!\d)/.test(text)) found.add('nhs_number');
  const dobs = new Set(known.datesOfBirth ?? []);
  if (dobs.size > 0) {
    const dateRe =
      /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}/g;
    for (const m of text.match(dateRe) ?? []) if (dobs.has(parseLooseDate(m) ?? '')) found.add('date_of_birth');
  }
  const compact = text.toUpperCase().replace(/\s+/g, '');
  for (const pc of known.postcodes ?? []) {
    const p = parsePostcode(pc);
    if (p && compact.includes(p.postcode.replace(' ', ''))) found.add('postcode');
  }
  for (const m of text.matchAll(/(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![A-Za-z0-9])/g)) {
    if (parsePostcode(`${m[1] ?? ''} ${m[2] ?? ''}`)) found.add('postcode');
  }
  for (const a of known.addresses ?? []) {
    const first = a.split(/[,\n]/)[0]?.trim() ?? '';
    if ((a.trim().length >= 4 && word(a).test(text)) || (first.length >= 4 && word(first).test(text))) found.add('address');
  }
  return [...found];
}

/** Whether a text shows a count in the suppressed range next to a counted noun. */
export function findSmallCounts(text: string, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): string[] {
  const out: string[] = [];
  for (const re of [COUNT_RE, COUNT_VERB_RE]) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) {
      if (/fewer than\s*$/i.test(text.slice(Math.max(0, (m.index ?? 0) - 12), m.index ?? 0))) continue;
      const num = m[1] ?? '';
      const n = /^\d+$/.test(num) ? Number(num) : (NUMBER_WORDS[num.toLowerCase()] ?? 0);
      if (n >= policy.suppressFrom && n <= policy.suppressTo) out.push(m[0]);
      else if (n > policy.suppressTo && policy.roundingBase > 1 && roundHalfUp(n, policy.roundingBase) !== n) out.push(m[0]);
    }
  }
  return out;
}
