/**
 * Redaction of free text and records for shared copies (domain.md §3.5, issue 7 item 2):
 * no names, dates of birth, NHS numbers, full postcodes or addresses; places at district
 * level or above.
 *
 * What is found, and the limits:
 * - **NHS numbers**: any 10-digit number written plainly or as 3-3-4 with spaces or
 *   hyphens, *whether or not the check digit is valid* (a mistyped NHS number still
 *   identifies someone) → "[NHS number]".
 * - **Full postcodes** → their outward code (district): "B12 9QT" → "B12".
 * - **Dates of birth**: a date after "DOB", "D.O.B.", "date of birth", "born (on)" →
 *   "[date of birth]" (or an age band when `dobAs: 'age-band'` and a reference date is
 *   given). Other full dates: with a `referenceDate`, a date more than
 *   `dobYearsThreshold` (default 10) years before it is taken to be a date of birth and
 *   removed, while recent dates (the event, the report) stay; **without a reference date
 *   every full date is removed**, the safe choice.
 * - **Addresses**: "Address: …" up to the end of the line; a house number followed by
 *   up to three capitalised words and a street word (Road, Street, Close, …), with an
 *   optional "Flat 3," before it; and any address the caller knows → "[address]".
 * - **Names**: names the caller knows (each whole name and each part of two or more
 *   letters), a capitalised name after a title (Mr, Mrs, Ms, Miss, Mx, Dr) or after
 *   "name:", "named", "called", "known as", "aka" → "[name]". A name that is none of these
 *   cannot be told from other words by a pattern: pass the record's own identifiers as
 *   `known` (as `redactRecord` does), and treat free text from outside the record with
 *   care.
 * - Also e-mail addresses → "[email]" and UK phone numbers → "[phone]".
 */
import { INWARD_PATTERN, OUTWARD_PATTERN, outwardCode, parsePostcode } from './identifiers';

export interface AgeBand {
  /** Inclusive lower age. */
  from: number;
  /** Inclusive upper age; null for "and over". */
  to: number | null;
  label: string;
}

/** Default age bands for shared copies. */
export const DEFAULT_AGE_BANDS: readonly AgeBand[] = Object.freeze([
  { from: 0, to: 17, label: 'under 18' },
  { from: 18, to: 24, label: '18-24' },
  { from: 25, to: 34, label: '25-34' },
  { from: 35, to: 44, label: '35-44' },
  { from: 45, to: 54, label: '45-54' },
  { from: 55, to: 64, label: '55-64' },
  { from: 65, to: null, label: '65 and over' },
]);

/** The band label for an age, or null for a missing or impossible age. */
export function ageBand(age: number | null | undefined, bands: readonly AgeBand[] = DEFAULT_AGE_BANDS): string | null {
  if (age === null || age === undefined || !Number.isFinite(age) || age < 0) return null;
  const a = Math.floor(age);
  for (const b of bands) if (a >= b.from && (b.to === null || a <= b.to)) return b.label;
  return null;
}

function parseIsoDate(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return { y, m: mo, d };
}

/** Age in whole years on `on` (ISO dates), or null if either date is not a date or dob is later. */
export function ageOn(dob: string, on: string): number | null {
  const b = parseIsoDate(dob);
  const t = parseIsoDate(on);
  if (!b || !t) return null;
  let age = t.y - b.y;
  if (t.m < b.m || (t.m === b.m && t.d < b.d)) age--;
  return age < 0 ? null : age;
}

// ---------------------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------------------

export type RedactionKind = 'nhs_number' | 'postcode' | 'date_of_birth' | 'date' | 'address' | 'name' | 'email' | 'phone';

export interface KnownIdentifiers {
  names?: readonly string[];
  addresses?: readonly string[];
  /** Dates of birth (ISO); also removed when written in another format. */
  datesOfBirth?: readonly string[];
  nhsNumbers?: readonly string[];
  postcodes?: readonly string[];
}

export interface RedactTextOptions {
  /** Identifiers known to belong to the people in the text. */
  known?: KnownIdentifiers;
  /** ISO date the text is about (the event or report date); see the module comment. */
  referenceDate?: string;
  /** Dates at least this many years before referenceDate count as dates of birth. Default 10. */
  dobYearsThreshold?: number;
  /** Replace a labelled date of birth with the age band on referenceDate. Default 'remove'. */
  dobAs?: 'remove' | 'age-band';
  ageBands?: readonly AgeBand[];
}

export interface RedactionResult {
  text: string;
  /** How many of each kind were replaced (never the values themselves). */
  counts: Partial<Record<RedactionKind, number>>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const ORD = '(?:st|nd|rd|th)?';
/** Full dates: 12/03/1985, 12-3-85, 12.03.1985, 1985-03-12, 12 March 1985, 12th of Mar 1985, March 12, 1985. */
const DATE_RE_SRC = [
  `\\d{4}-\\d{1,2}-\\d{1,2}`,
  `\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})`,
  `\\d{1,2}${ORD}\\s+(?:of\\s+)?${MONTH_RE}\\.?,?\\s+\\d{4}`,
  `${MONTH_RE}\\.?\\s+\\d{1,2}${ORD},?\\s+\\d{4}`,
].join('|');
const DOB_LABEL = '(?:D\\.?\\s?O\\.?\\s?B\\.?|[Dd]ate\\s+of\\s+[Bb]irth|[Bb]orn(?:\\s+on)?)';

function dateYear(s: string, referenceYear: number | null): number | null {
  let m = /^(\d{4})-\d{1,2}-\d{1,2}$/.exec(s);
  if (m) return Number(m[1]);
  m = /^\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})$/.exec(s);
  if (m) {
    const y = m[1] ?? '';
    if (y.length === 4) return Number(y);
    // Two-digit year: the most recent year with those digits not after the reference.
    const yy = Number(y);
    const ref = referenceYear ?? 2000 + yy;
    let full = Math.floor(ref / 100) * 100 + yy;
    if (full > ref) full -= 100;
    return full;
  }
  m = /(\d{4})\s*$/.exec(s);
  return m ? Number(m[1]) : null;
}

/** Parse any of the date forms above to ISO, or null. */
export function parseLooseDate(s: string, referenceYear: number | null = null): string | null {
  const t = s.trim();
  const year = dateYear(t, referenceYear);
  if (year === null) return null;
  let month: number | null = null;
  let day: number | null = null;
  let m = /^\d{4}-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) {
    month = Number(m[1]);
    day = Number(m[2]);
  } else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-]/.exec(t))) {
    day = Number(m[1]);
    month = Number(m[2]);
  } else {
    const mon = new RegExp(MONTH_RE, 'i').exec(t);
    const dm = /(\d{1,2})(?:st|nd|rd|th)?(?!\d)/.exec(t.replace(/\d{4}\s*$/, ''));
    if (mon && dm) {
      month = MONTHS.indexOf(mon[0].slice(0, 3).toLowerCase()) + 1;
      day = Number(dm[1]);
    }
  }
  if (month === null || day === null || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive pattern for a literal, tolerant of runs of whitespace. */
function literalRe(s: string): RegExp {
  const body = s
    .trim()
    .split(/\s+/)
    .map(escapeRe)
    .join('[\\s,]+');
  return new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'gi');
}

const STREET_WORDS =
  'Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Place|Pl|Court|Ct|Gardens|Gdns|Terrace|Grove|Walk|Hill|Square|Sq|Row|Mews|Parade|Rise|View|Green|Park|Vale|Gate|Wharf|Yard|Croft|Fold|Hall|House|Heights|Estate|Boulevard|Broadway';
const ADDRESS_RE = new RegExp(
  `(?:\\b(?:Flat|Apartment|Apt|Unit|Room)\\s+\\d+[A-Za-z]?,?\\s+)?\\b\\d{1,4}[A-Za-z]?(?:-\\d{1,4})?,?\\s+(?:[A-Z][A-Za-z'’-]*\\s+){1,3}(?:${STREET_WORDS})\\b\\.?`,
  'g',
);
const FLAT_RE = /\b(?:Flat|Apartment|Apt)\s+\d+[A-Za-z]?\b/g;
const ADDRESS_LABEL_RE = /(?<!\[)\b([Aa]ddress|[Ll]ives at|[Rr]esid(?:es|ing) at)(\s*[:-]\s*|\s+)(?!\[)[^\n;]+/g;
const NAME_WORD = "[A-Z][a-zA-Z'’-]+";
const TITLE_NAME_RE = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\\.?\\s+${NAME_WORD}(?:\\s+${NAME_WORD}){0,2}`, 'g');
const LABEL_NAME_RE = new RegExp(
  `\\b([Nn]ame\\s*[:-]|[Nn]amed|[Cc]alled|[Kk]nown\\s+as|AKA|[Aa]ka|a\\.k\\.a\\.)(\\s+)${NAME_WORD}(?:\\s+${NAME_WORD}){0,2}`,
  'g',
);
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PHONE_RE = /(?:\+44\s?(?:\(0\)\s?)?|(?<![\d])0)\d(?:[\s-]?\d){8,9}(?!\d)/g;
const NHS_RE = /(?<![\d])(?:\d{3}([ -])\d{3}\1\d{4}|\d{10})(?![\d])/g;
const POSTCODE_RE = new RegExp(`(?<![A-Za-z0-9])(${OUTWARD_PATTERN})\\s*(${INWARD_PATTERN})(?![A-Za-z0-9])`, 'gi');

/**
 * Redact free text for a shared copy. Pure: the same text and options always give the
 * same result. The result reports how many of each kind were replaced, never the values.
 */
export function redactText(text: string, options: RedactTextOptions = {}): RedactionResult {
  const counts: Partial<Record<RedactionKind, number>> = {};
  const bump = (k: RedactionKind) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  const known = options.known ?? {};
  const ref = options.referenceDate ? parseIsoDate(options.referenceDate) : null;
  const refYear = ref ? ref.y : null;
  const threshold = options.dobYearsThreshold ?? 10;
  let out = text;

  // Known identifiers first, while they are still written as the caller knows them.
  for (const a of [...(known.addresses ?? [])].sort((x, y) => y.length - x.length)) {
    if (a.trim().length < 4) continue;
    out = out.replace(literalRe(a), () => (bump('address'), '[address]'));
    // Also the first line of a multi-part address ("12 High Street, Town").
    const first = a.split(/[,\n]/)[0]?.trim() ?? '';
    if (first.length >= 4 && first !== a.trim()) out = out.replace(literalRe(first), () => (bump('address'), '[address]'));
  }
  const nameParts = new Set<string>();
  for (const n of known.names ?? []) {
    if (n.trim().length < 2) continue;
    nameParts.add(n.trim());
    for (const p of n.trim().split(/[\s,]+/)) if (p.replace(/[^A-Za-z]/g, '').length >= 2) nameParts.add(p);
  }
  for (const n of [...nameParts].sort((x, y) => y.length - x.length)) {
    out = out.replace(literalRe(n), () => (bump('name'), '[name]'));
  }
  for (const d of known.datesOfBirth ?? []) {
    const iso = parseIsoDate(d);
    if (!iso) continue;
    // Any written form of the known date of birth.
    const re = new RegExp(DATE_RE_SRC, 'gi');
    out = out.replace(re, (s) => (parseLooseDate(s, refYear) === d ? (bump('date_of_birth'), '[date of birth]') : s));
  }

  for (const n of known.nhsNumbers ?? []) {
    const digits = n.replace(/\D/g, '');
    if (digits.length !== 10) continue;
    // The known number with any spacing or punctuation between its digits.
    const re = new RegExp(`(?<!\\d)${digits.split('').join('[\\s.-]*')}(?!\\d)`, 'g');
    out = out.replace(re, () => (bump('nhs_number'), '[NHS number]'));
  }
  out = out.replace(EMAIL_RE, () => (bump('email'), '[email]'));
  out = out.replace(NHS_RE, () => (bump('nhs_number'), '[NHS number]'));
  out = out.replace(PHONE_RE, () => (bump('phone'), '[phone]'));

  // Labelled dates of birth.
  const dobLabelled = new RegExp(`(${DOB_LABEL})(\\s*[:-]?\\s*)(${DATE_RE_SRC})`, 'gi');
  out = out.replace(dobLabelled, (_m, label: string, sep: string, date: string) => {
    bump('date_of_birth');
    if (options.dobAs === 'age-band' && options.referenceDate) {
      const iso = parseLooseDate(date, refYear);
      const band = iso ? ageBand(ageOn(iso, options.referenceDate), options.ageBands) : null;
      if (band) return `age ${band}`;
    }
    return `${label}${sep}[date of birth]`;
  });
  // Other full dates: old ones (or all, without a reference date) are treated as DOBs.
  out = out.replace(new RegExp(`(?<![\\w/.-])(?:${DATE_RE_SRC})(?![\\w/-])`, 'gi'), (s) => {
    const y = dateYear(s.trim(), refYear);
    if (refYear !== null && y !== null && refYear - y < threshold) return s;
    bump('date');
    return '[date]';
  });

  out = out.replace(ADDRESS_LABEL_RE, (_m, label: string, sep: string) => (bump('address'), `${label}${sep}[address]`));
  out = out.replace(ADDRESS_RE, () => (bump('address'), '[address]'));
  out = out.replace(FLAT_RE, () => (bump('address'), '[address]'));
  out = out.replace(POSTCODE_RE, (_m, outward: string, inward: string) => {
    const p = parsePostcode(`${outward} ${inward}`);
    if (!p) return _m;
    bump('postcode');
    return p.outward;
  });
  for (const pc of known.postcodes ?? []) {
    const p = parsePostcode(pc);
    if (p) out = out.replace(literalRe(p.postcode), () => (bump('postcode'), p.outward));
  }

  out = out.replace(TITLE_NAME_RE, () => (bump('name'), '[name]'));
  out = out.replace(LABEL_NAME_RE, (_m, label: string, sep: string) => (bump('name'), `${label}${sep}[name]`));
  // "[name] [name]" (first and last name replaced separately) reads as one name.
  out = out.replace(/\[name\](?:\s+\[name\])+/g, '[name]');
  return { text: out, counts };
}

// ---------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------

/**
 * What to do with one field of a record in a shared copy.
 * - keep: copy unchanged.
 * - drop: leave out (names, NHS numbers, addresses, identifiers of people).
 * - postcode_district: a full postcode becomes its outward code; anything else is dropped.
 * - dob_to_age_band: a date of birth becomes the age band on the reference date (field
 *   renamed `<field>_age_band`), or is dropped without a reference date.
 * - age_band: a number of years becomes its band.
 * - free_text: `redactText` with the record's own identifiers as known.
 * - name / address / nhs_number: dropped, and their values used as known identifiers
 *   when the record's free text is redacted.
 */
export type FieldRule =
  | 'keep'
  | 'drop'
  | 'postcode_district'
  | 'dob_to_age_band'
  | 'age_band'
  | 'free_text'
  | 'name'
  | 'address'
  | 'nhs_number';

/** Rules for the personal fields Beacon's datasets and forms use. */
export const PERSONAL_FIELD_RULES: Readonly<Record<string, FieldRule>> = Object.freeze({
  name: 'name',
  full_name: 'name',
  first_name: 'name',
  forename: 'name',
  given_name: 'name',
  last_name: 'name',
  surname: 'name',
  family_name: 'name',
  alias: 'name',
  known_as: 'name',
  nhs_number: 'nhs_number',
  date_of_birth: 'dob_to_age_band',
  dob: 'dob_to_age_band',
  age: 'age_band',
  postcode: 'postcode_district',
  address: 'address',
  address_line_1: 'address',
  address_line_2: 'address',
  street: 'address',
  notes: 'free_text',
  detail: 'free_text',
  description: 'free_text',
  free_text: 'free_text',
  comments: 'free_text',
  rationale: 'free_text',
  phone: 'drop',
  telephone: 'drop',
  email: 'drop',
  person_id: 'drop',
});

export interface RedactRecordOptions {
  /** Field rules; merged over PERSONAL_FIELD_RULES. */
  rules?: Readonly<Record<string, FieldRule>>;
  /** Fields with no rule: 'keep' (default) or 'drop'. */
  otherFields?: 'keep' | 'drop';
  /** ISO date for age bands and for telling DOBs from event dates in free text. */
  referenceDate?: string;
  ageBands?: readonly AgeBand[];
  /** Further identifiers to remove from free text (e.g. other people named in a case). */
  known?: KnownIdentifiers;
}

/**
 * A redacted copy of a record for sharing. Field names are matched case-insensitively.
 */
export function redactRecord(
  record: Readonly<Record<string, unknown>>,
  options: RedactRecordOptions = {},
): Record<string, unknown> {
  const rules: Record<string, FieldRule> = {};
  for (const [k, v] of Object.entries({ ...PERSONAL_FIELD_RULES, ...(options.rules ?? {}) })) rules[k.toLowerCase()] = v;
  const ruleOf = (k: string): FieldRule | 'other' => rules[k.toLowerCase()] ?? 'other';
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null);

  const known: { [K in keyof KnownIdentifiers]-?: string[] } = {
    names: [...(options.known?.names ?? [])],
    addresses: [...(options.known?.addresses ?? [])],
    datesOfBirth: [...(options.known?.datesOfBirth ?? [])],
    nhsNumbers: [...(options.known?.nhsNumbers ?? [])],
    postcodes: [...(options.known?.postcodes ?? [])],
  };
  for (const [k, v] of Object.entries(record)) {
    const s = str(v);
    if (s === null) continue;
    const r = ruleOf(k);
    if (r === 'name') known.names.push(s);
    else if (r === 'address') known.addresses.push(s);
    else if (r === 'dob_to_age_band') known.datesOfBirth.push(s);
    else if (r === 'nhs_number') known.nhsNumbers.push(s);
    else if (r === 'postcode_district') known.postcodes.push(s);
  }

  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    const r = ruleOf(k);
    switch (r) {
      case 'keep':
        out[k] = v;
        break;
      case 'other':
        if ((options.otherFields ?? 'keep') === 'keep') out[k] = v;
        break;
      case 'drop':
      case 'name':
      case 'address':
      case 'nhs_number':
        break;
      case 'postcode_district': {
        const s = str(v);
        out[k] = s === null ? null : outwardCode(s);
        break;
      }
      case 'dob_to_age_band': {
        const s = str(v);
        if (s !== null && options.referenceDate) {
          out[`${k}_age_band`] = ageBand(ageOn(s, options.referenceDate), options.ageBands);
        }
        break;
      }
      case 'age_band': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : null;
        out[k] = n === null || Number.isNaN(n) ? null : ageBand(n, options.ageBands);
        break;
      }
      case 'free_text': {
        const s = typeof v === 'string' ? v : null;
        out[k] =
          s === null
            ? v === null || v === undefined
              ? v
              : null
            : redactText(s, {
                known,
                ...(options.referenceDate ? { referenceDate: options.referenceDate } : {}),
                ...(options.ageBands ? { ageBands: options.ageBands } : {}),
              }).text;
        break;
      }
    }
  }
  return out;
}
