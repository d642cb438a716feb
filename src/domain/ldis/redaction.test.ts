import { describe, expect, it } from 'vitest';
import { redactIncident } from './redaction';
import { makeIncident } from './testFactories';

describe('redactIncident', () => {
  const r = makeIncident({
    report_id: 'WMAS-123456',
    age: 34,
    sex: 'F',
    postcode: 'B12 9QT',
    substances: ['heroin', 'nitazene'],
    notes: 'Amy Rose (DOB 04/05/1989) found at 7 Mill Lane, B12 9QT; NHS 943 476 5919. Seen 29/02/2024.',
  });

  it('keeps what partners need and removes every identifier', () => {
    const copy = redactIncident(r, { known: { names: ['Amy Rose'] } });
    expect(copy).toMatchObject({
      event_date: '2024-03-01',
      event_type: 'non_fatal_overdose',
      local_authority: 'E08000025',
      age: '25-34',
      sex: 'F',
      postcode: 'B12',
      substances: ['heroin', 'nitazene'],
      notes: '[name] (DOB [date of birth]) found at [address], B12; NHS [NHS number]. Seen 29/02/2024.',
    });
    const json = JSON.stringify(copy);
    for (const id of ['WMAS-123456', 'Amy', 'Rose', '04/05/1989', '9QT', 'Mill Lane', '943 476 5919', '"age":34']) expect(json).not.toContain(id);
  });

  it('holds back a coroner report unless sharing is permitted', () => {
    const coroner = makeIncident({ source: 'coroner', event_type: 'death' });
    expect(redactIncident(coroner)).toBeNull();
    expect(redactIncident(coroner, { coronerSharingPermitted: true })).toMatchObject({ source: 'coroner', event_type: 'death' });
  });
});
