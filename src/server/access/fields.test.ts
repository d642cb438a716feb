import { describe, expect, it } from 'vitest';
import { canSeeField, datasetExportMasks, maskedFields, maskIdentity, maskNhsNumber, maskPostcode, maskValue, NAME_WITHHELD, withhold, type SensitiveField } from './fields';
import { ROLE_NAMES, type Principal, type Role } from './roles';

const as = (role: Role): Principal => ({ userId: 1, username: role, displayName: role, role, scope: { type: 'organisation', id: null }, via: 'session' });

// Who sees each field unmasked (domain §5, issue 8: only the roles that need them).
const EXPECTED: Record<Role, Record<SensitiveField, boolean>> = {
  keyworker: { name: true, date_of_birth: true, nhs_number: true, postcode: true, criminal_justice: true },
  prescriber: { name: true, date_of_birth: true, nhs_number: true, postcode: false, criminal_justice: false },
  service_manager: { name: true, date_of_birth: true, nhs_number: true, postcode: true, criminal_justice: true },
  data_manager: { name: false, date_of_birth: true, nhs_number: true, postcode: true, criminal_justice: false },
  ldis_coordinator: { name: true, date_of_birth: false, nhs_number: false, postcode: true, criminal_justice: false },
  panel_member: { name: false, date_of_birth: false, nhs_number: false, postcode: false, criminal_justice: false },
  partner_submitter: { name: false, date_of_birth: false, nhs_number: false, postcode: false, criminal_justice: false },
  pin_member: { name: false, date_of_birth: false, nhs_number: false, postcode: false, criminal_justice: false },
  caldicott_guardian: { name: true, date_of_birth: true, nhs_number: true, postcode: true, criminal_justice: true },
  administrator: { name: false, date_of_birth: false, nhs_number: false, postcode: false, criminal_justice: false },
};

describe('field-level sensitivity', () => {
  it('covers every role', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ROLE_NAMES].sort());
  });

  it.each(ROLE_NAMES.flatMap((role) => (Object.keys(EXPECTED[role]) as SensitiveField[]).map((field) => [role, field, EXPECTED[role][field]] as const)))(
    '%s sees %s: %s',
    (role, field, expected) => {
      expect(canSeeField(as(role), field)).toBe(expected);
    },
  );

  it('shows nothing to nobody', () => {
    expect(maskedFields(null)).toEqual(['name', 'date_of_birth', 'nhs_number', 'postcode', 'criminal_justice']);
  });

  const row = { person_id: 'P1', name: 'Jo Bloggs', date_of_birth: '1984-03-07', nhs_number: '9434765919', postcode: 'LS1 4AP' };

  it.each([
    ['keyworker', { name: 'Jo Bloggs', date_of_birth: '1984-03-07', nhs_number: '9434765919', postcode: 'LS1 4AP', masked: [] }],
    ['prescriber', { name: 'Jo Bloggs', date_of_birth: '1984-03-07', nhs_number: '9434765919', postcode: 'LS1', masked: ['postcode'] }],
    ['data_manager', { name: NAME_WITHHELD, date_of_birth: '1984-03-07', nhs_number: '9434765919', postcode: 'LS1 4AP', masked: ['name'] }],
    ['pin_member', { name: NAME_WITHHELD, date_of_birth: '1984', nhs_number: '*** *** *919', postcode: 'LS1', masked: ['name', 'date_of_birth', 'nhs_number', 'postcode'] }],
    ['administrator', { name: NAME_WITHHELD, date_of_birth: '1984', nhs_number: '*** *** *919', postcode: 'LS1', masked: ['name', 'date_of_birth', 'nhs_number', 'postcode'] }],
  ] as const)('masks identity for %s', (role, expected) => {
    expect(maskIdentity(as(role), row)).toEqual({ person_id: 'P1', ...expected });
  });

  it('leaves missing values missing and keeps other keys', () => {
    expect(maskIdentity(as('pin_member'), { person_id: 'P2', nhs_number: null, postcode: undefined })).toEqual({ person_id: 'P2', nhs_number: null, postcode: undefined, masked: [] });
  });

  it.each([
    ['LS1 4AP', 'LS1'],
    ['ls14ap', 'LS1'],
    ['SW1A 1AA', 'SW1A'],
    ['M1 1AE', 'M1'],
    ['B33 8TH', 'B33'],
    ['CR2 6XH', 'CR2'],
    ['DN55 1PT', 'DN55'],
  ])('cuts postcode %s to its district %s', (input, expected) => {
    expect(maskPostcode(input)).toBe(expected);
  });

  it.each([
    ['943 476 5919', '*** *** *919'],
    ['9434765919', '*** *** *919'],
  ])('hides NHS number %s as %s', (input, expected) => {
    expect(maskNhsNumber(input)).toBe(expected);
  });

  it('withholds criminal-justice items from roles that do not need them', () => {
    const record = { event: 'prison_release', date: '2024-05-01', offence: 'theft' };
    expect(withhold(as('prescriber'), record, { offence: 'criminal_justice' })).toEqual({ event: 'prison_release', date: '2024-05-01', offence: null, withheld: ['offence'] });
    expect(withhold(as('keyworker'), record, { offence: 'criminal_justice' })).toEqual({ ...record, withheld: [] });
  });

  it.each([
    ['data_manager', ['top.assault', 'top.selling_days', 'top.shoplifting_days', 'top.theft']],
    ['keyworker', []],
    ['caldicott_guardian', []],
    ['ldis_coordinator', ['people.date_of_birth', 'people.nhs_number', 'top.assault', 'top.selling_days', 'top.shoplifting_days', 'top.theft']],
    ['administrator', ['incidents.postcode', 'people.date_of_birth', 'people.nhs_number', 'people.postcode', 'top.assault', 'top.selling_days', 'top.shoplifting_days', 'top.theft']],
  ] as const)('masks the dataset columns %s does not need in an export', (role, expected) => {
    const { masks, masked } = datasetExportMasks(as(role));
    expect([...masked].sort()).toEqual(expected);
    if (role === 'administrator') {
      expect(masks.people?.date_of_birth?.('1984-03-07')).toBe('1984');
      expect(masks.incidents?.postcode?.('B12 9QT')).toBe('B12');
      expect(masks.top?.theft?.('Y')).toBeNull();
    }
  });

  it('masks single values the way maskIdentity does', () => {
    expect(maskValue('name', 'Jo Bloggs')).toBe(NAME_WITHHELD);
    expect(maskValue('nhs_number', '943 476 5919')).toBe('*** *** *919');
    expect(maskValue('criminal_justice', '12')).toBeNull();
  });
});
