/**
 * Disclosure control for everything Beacon shares (domain.md §3.5 and §5): one policy,
 * one engine for counts, series and tables, and redaction of text and records.
 */
export {
  DEFAULT_DISCLOSURE_POLICY,
  disclosureNote,
  resolvePolicy,
  roundHalfUp,
  roundedInterval,
  roundsAt,
  type DisclosurePolicy,
  type Geography,
  type ProtectOptions,
} from './policy';
export { isPrimarySensitive, protectCount, type CellStatus, type PublishedCell } from './count';
export {
  auditPublishedTable,
  propagateBounds,
  protectOneWay,
  protectSeries,
  protectTable,
  tableLines,
  type CountTable,
  type FigureRef,
  type Interval,
  type LabelledCount,
  type Margins,
  type PublishedOneWay,
  type PublishedSeries,
  type PublishedTable,
  type TableAudit,
} from './table';
export {
  formatNhsNumber,
  isOutwardCode,
  isValidNhsNumber,
  isValidPostcode,
  nhsCheckDigit,
  normaliseNhsNumber,
  normalisePostcode,
  outwardCode,
  parsePostcode,
  postcodeDistrict,
  type ParsedPostcode,
} from './identifiers';
export {
  DEFAULT_AGE_BANDS,
  PERSONAL_FIELD_RULES,
  ageBand,
  ageOn,
  parseLooseDate,
  redactRecord,
  redactText,
  type AgeBand,
  type FieldRule,
  type KnownIdentifiers,
  type RedactRecordOptions,
  type RedactTextOptions,
  type RedactionKind,
  type RedactionResult,
} from './redact';
