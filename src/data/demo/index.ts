/**
 * Deterministic synthetic data in the dataset v1 format (docs: README.md in this folder).
 */
export { generateDemo, DEMO_DEFAULTS, DEMO_REFERENCE_DATE, DemoOptionsError, type DemoOptions, type DemoSummary } from './generate';
export { COLUMNS, FILE_KEYS, type FileKey } from './csv';
export { fictitiousNhsNumber, isValidNhsNumber, nhsCheckDigit } from './nhs';
export { LOCAL_AUTHORITIES, type LocalAuthority } from './geography';
