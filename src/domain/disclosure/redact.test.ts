import { describe, expect, it } from 'vitest';
import { ageBand, ageOn, parseLooseDate, redactRecord, redactText } from './redact';

describe('ageBand and ageOn', () => {
  it.each([
    [0, 'under 18'],
    [17, 'under 18'],
    [18, '18-24'],
    [24, '18-24'],
    [25, '25-34'],
    [44, '35-44'],
    [64, '55-64'],
    [65, '65 and over'],
    [101, '65 and over'],
  ])('%i → %s', (age, band) => {
    expect(ageBand(age)).toBe(band);
  });

  it('missing or impossible ages have no band', () => {
    expect(ageBand(null)).toBeNull();
    expect(ageBand(-1)).toBeNull();
    expect(ageBand(Number.NaN)).toBeNull();
  });

  it('age on a date, birthday boundary', () => {
    expect(ageOn('1985-03-12', '2024-03-11')).toBe(38);
    expect(ageOn('1985-03-12', '2024-03-12')).toBe(39);
    expect(ageOn('2025-01-01', '2024-01-01')).toBeNull();
    expect(ageOn('12/03/1985', '2024-01-01')).toBeNull();
  });

  it.each([
    ['12/03/1985', '1985-03-12'],
    ['12-3-85', '1985-03-12'],
    ['1985-03-12', '1985-03-12'],
    ['12th March 1985', '1985-03-12'],
    ['12 of Mar 1985', '1985-03-12'],
    ['March 12, 1985', '1985-03-12'],
    ['31/13/1985', null],
  ])('parseLooseDate(%j) → %j', (s, iso) => {
    expect(parseLooseDate(s, 2024)).toBe(iso);
  });
});

describe('redactText', () => {
  it('removes NHS numbers in 10-digit and 3-3-4 forms, valid or not', () => {
    const r = redactText('NHS 943 476 5919, old 9434765918, alt 943-476-5919.');
    expect(r.text).toBe('NHS [NHS number], old [NHS number], alt [NHS number].');
    expect(r.counts.nhs_number).toBe(3);
  });

  it('generalises full postcodes to the district and leaves districts alone', () => {
    expect(redactText('Found at B12 9QT, moved to b129qt; lives in B12.').text).toBe('Found at B12, moved to B12; lives in B12.');
  });

  it('removes labelled dates of birth, or gives the age band', () => {
    expect(redactText('DOB: 12/03/1985, seen 2024-03-01', { referenceDate: '2024-03-02' }).text).toBe(
      'DOB: [date of birth], seen 2024-03-01',
    );
    expect(redactText('date of birth 12 March 1985', { referenceDate: '2024-03-02', dobAs: 'age-band' }).text).toBe(
      'age 35-44',
    );
    expect(redactText('D.O.B. 1985-03-12').text).toBe('D.O.B. [date of birth]');
  });

  it('keeps recent dates and removes old ones when a reference date is given; removes all without one', () => {
    const t = 'Overdose on 01/03/2024; born 1985? note 12/03/1985 and 5 March 2014.';
    expect(redactText(t, { referenceDate: '2024-03-02' }).text).toBe('Overdose on 01/03/2024; born 1985? note [date] and [date].');
    expect(redactText('Overdose on 01/03/2024', {}).text).toBe('Overdose on [date]');
  });

  it('removes addresses by label, by shape and as known', () => {
    expect(redactText('Found at Flat 3, 12 High Street by police').text).toBe('Found at [address] by police');
    expect(redactText('Address: 4 the Crescent, Dudley\nSeen twice').text).toBe('Address: [address]\nSeen twice');
    expect(redactText('Stays at Rosehill hostel', { known: { addresses: ['Rosehill hostel, 9 Mill Lane'] } }).text).toBe(
      'Stays at [address]',
    );
    expect(redactText('Took 2 doses in a row').text).toBe('Took 2 doses in a row');
  });

  it('removes known names (whole and parts), titled names and labelled names', () => {
    const r = redactText('John Smith found by his brother; Smith had used. Seen by Dr Amy Jones. Known as Jonno Big.', {
      known: { names: ['John Smith'] },
    });
    expect(r.text).toBe('[name] found by his brother; [name] had used. Seen by [name]. Known as [name].');
    expect(r.text).not.toMatch(/John|Smith|Amy|Jones|Jonno/);
  });

  it('removes a known date of birth in any written form, e-mails and phone numbers', () => {
    const r = redactText('b. 3rd Feb 1990, call 0121 496 0000 or +44 7700 900123, mail a.b@example.org', {
      known: { datesOfBirth: ['1990-02-03'] },
      referenceDate: '2024-01-01',
    });
    expect(r.text).toBe('b. [date of birth], call [phone] or [phone], mail [email]');
  });

  it('removes a known NHS number with odd spacing', () => {
    expect(redactText('nhs no 94347 65919', { known: { nhsNumbers: ['9434765919'] } }).text).toBe('nhs no [NHS number]');
  });

  it('leaves ordinary report text unchanged', () => {
    const t = 'Three overdoses in B12 after smoking heroin; naloxone x2, taken to hospital. Nitazene suspected.';
    expect(redactText(t, { referenceDate: '2024-01-01' })).toEqual({ text: t, counts: {} });
  });
});

describe('redactRecord', () => {
  const person = {
    person_id: 'P1',
    first_name: 'Jane',
    last_name: 'Doe',
    date_of_birth: '1980-05-06',
    nhs_number: '943 476 5919',
    postcode: 'B12 9QT',
    address: '12 High Street, Birmingham',
    age: 43,
    event_type: 'non_fatal_overdose',
    notes: 'Jane Doe (DOB 06/05/1980, NHS 9434765919) found at 12 High Street, B12 9QT by Mr Tom Doe.',
  };

  it('drops identifiers, generalises place and age, and redacts the notes with the record’s own identifiers', () => {
    const r = redactRecord(person, { referenceDate: '2024-03-01' });
    expect(r).toEqual({
      date_of_birth_age_band: '35-44',
      postcode: 'B12',
      age: '35-44',
      event_type: 'non_fatal_overdose',
      notes: '[name] (DOB [date of birth], NHS [NHS number]) found at [address], B12 by [name].',
    });
    const json = JSON.stringify(r);
    for (const id of ['Jane', 'Doe', '1980-05-06', '06/05/1980', '9434765919', '943 476 5919', 'B12 9QT', 'High Street', 'P1']) {
      expect(json).not.toContain(id);
    }
  });

  it('drops a date of birth without a reference date, and unknown fields when asked', () => {
    const r = redactRecord({ date_of_birth: '1980-05-06', site: 'x' }, { otherFields: 'drop' });
    expect(r).toEqual({});
  });

  it('custom rules override the defaults, case-insensitively', () => {
    const r = redactRecord({ Postcode: 'b12 9qt', Source: 'police', Age: '' }, { rules: { source: 'drop' } });
    expect(r).toEqual({ Postcode: 'B12', Age: null });
  });
});
