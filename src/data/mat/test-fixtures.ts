/**
 * Hand-built dataset v1 fixtures for the MAT and risk report tests (tests only). Report
 * month 2024-06 (D = 2024-06-30); each person sits on one boundary of domain.md §1–2 and
 * the expectations below are worked out by hand from the domain page, not by the code.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_MONTH = '2024-06';
export const FIXTURE_DATE = '2024-06-30';

const services = ['service_id,name,organisation,local_authority', 'S1,North service,Org,E06000009', 'S2,South service,Org,E08000012'];

const peopleIds: [string, string][] = [
  ['P01', 'S1'], ['P02', 'S1'], ['P03', 'S1'], ['P04', 'S1'], ['P05', 'S1'], ['P06', 'S1'], ['P07', 'S1'], ['P08', 'S1'],
  ['P09', 'S1'], ['P10', 'S1'], ['P11', 'S1'], ['P12', 'S1'], ['P13', 'S1'], ['P14', 'S1'], ['P15', 'S2'], ['P16', 'S2'],
  ['P17', 'S2'], ['P18', 'S1'], ['P19', 'S1'], ['P20', 'S1'],
];

const people = ['person_id,service_id,date_of_birth,sex,injecting_status,housing', ...peopleIds.map(([p, s]) => `${p},${s},1980-01-01,M,N,settled`)];

// prescription_id,person_id,medication,dose_mg,start_date,end_date,reduction_plan,planned_end_date
const prescriptions = [
  'prescription_id,person_id,medication,dose_mg,start_date,end_date,reduction_plan,planned_end_date',
  'RX01,P01,methadone,40,2024-06-02,,,', // D − start = 28: MAT 1
  'RX02,P02,methadone,40,2024-06-01,,,', // D − start = 29: not induction
  'RX03,P03,methadone,60,2024-01-01,,,', // exactly 60 mg: at/above OG
  'RX04,P04,methadone,59,2024-01-01,,,', // 59 mg: below
  'RX05,P05,buprenorphine,12,2024-01-01,,,', // exactly 12 mg: at/above
  'RX06,P06,buprenorphine,11,2024-01-01,,,',
  'RX07A,P07,methadone,60,2024-01-01,2024-06-01,,', // gap 2024-06-02..06-08 = 7 days: continues
  'RX07B,P07,methadone,60,2024-06-09,,,',
  'RX08A,P08,methadone,60,2024-01-01,2024-05-31,,', // gap 2024-06-01..06-08 = 8 days: breaks
  'RX08B,P08,methadone,60,2024-06-09,,,',
  'RX09,P09,methadone,70,2024-01-01,,,',
  'RX10,P10,methadone,70,2024-01-01,,,',
  'RX11A,P11,methadone,60,2024-01-01,2024-06-09,,',
  'RX11B,P11,methadone,50,2024-06-10,,Y,2024-09-10', // plan of exactly 3 months: MAT 4
  'RX12A,P12,methadone,60,2024-01-01,2024-06-09,,',
  'RX12B,P12,methadone,50,2024-06-10,,Y,2024-09-11', // 3 months + 1 day: slow reduction
  'RX13,P13,methadone,80,2024-01-01,,,',
  'RX14,P14,methadone,30,2024-01-01,,,',
  'RX15,P15,methadone,60,2024-01-01,2024-05-01,,', // ended: not in MAT
  'RX16,P16,methadone,65,2024-01-01,,,',
  'RX17,P17,diamorphine,200,2024-01-01,,,', // no OG band
  'RX18,P18,buprenorphine_weekly_injection,24,2024-01-01,,,', // weekly 24: at/above
  'RX19,P19,buprenorphine_monthly_injection,64,2024-01-01,,,', // monthly 64: below
  'RX20A,P20,methadone,50,2024-01-01,2024-06-14,,',
  'RX20B,P20,methadone,70,2024-06-15,,,',
];

const top = [
  'top_id,person_id,date,opiate_days,alcohol_days,alcohol_units,injecting_days,acute_housing',
  'T02,P02,2024-06-15,0,0,0,0,N',
  'T03,P03,2024-06-10,5,0,0,0,N',
  'T04,P04,2024-06-10,5,0,0,0,N',
  'T07,P07,2024-06-20,0,0,0,0,N',
  'T09,P09,2024-03-31,3,0,0,0,N', // D − 91: counts
  'T10,P10,2024-03-30,3,0,0,0,N', // D − 92: too old
  'T12,P12,2024-06-15,0,0,0,0,N',
  'T13,P13,2024-06-20,0,0,0,0,N', // same day as a positive test
  'T14,P14,2024-06-20,4,0,0,0,N', // same day as a negative test
  'T17,P17,2024-06-01,0,0,0,0,N',
  'T18,P18,2024-06-01,0,0,0,0,N',
  'T19,P19,2024-06-01,0,0,0,0,N',
  'T20,P20,2024-06-20,2,0,0,0,N',
];

const drugTests = [
  'test_id,person_id,date,substance,result',
  'DT05,P05,2024-06-10,heroin_6mam,negative',
  'DT06,P06,2024-06-10,buprenorphine,positive', // the prescribed opioid: not illicit
  'DT13,P13,2024-06-20,heroin_6mam,positive',
  'DT14,P14,2024-06-20,heroin_6mam,negative',
  'DT16,P16,2024-06-25,nitazene,positive',
];

const riskEvents = [
  'event_id,person_id,date,type',
  'RE02,P02,2024-06-16,prison_release', // 14 days before D: critical
  'RE05,P05,2024-06-15,prison_release', // 15 days: lowered tolerance, not critical
];

const naloxone = [
  'supply_id,date,product,person_id,recipient',
  'N03,2023-07-01,nasal,P03,service_user', // 365 days before D: protected
  'N04,2023-06-30,nasal,P04,service_user', // 366 days: no_naloxone
];

export const FIXTURE_FILES: Record<string, string> = {
  'services.csv': services.join('\n') + '\n',
  'people.csv': people.join('\n') + '\n',
  'prescriptions.csv': prescriptions.join('\n') + '\n',
  'top.csv': top.join('\n') + '\n',
  'drug_tests.csv': drugTests.join('\n') + '\n',
  'risk_events.csv': riskEvents.join('\n') + '\n',
  'naloxone.csv': naloxone.join('\n') + '\n',
};

export async function writeFixtureDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'beacon-mat-fixture-'));
  for (const [name, text] of Object.entries(FIXTURE_FILES)) await writeFile(join(dir, name), text);
  return dir;
}

type Expect = [stage: string, cohort: string | null, band: string, regime: string | null];

/** Every person in MAT on 2024-06-30: stage, cohort, OG band, regime (by hand from domain.md §1). */
export const EXPECTED_PEOPLE: Record<string, Expect> = {
  P01: ['MAT1', null, 'below', 'static'],
  P02: ['MAT3', 'grey', 'below', 'static'],
  P03: ['MAT2', 'amber', 'at_or_above', 'static'],
  P04: ['MAT2', 'red', 'below', 'static'],
  P05: ['MAT3', 'green', 'at_or_above', 'static'],
  P06: ['MAT3', 'grey', 'below', 'static'],
  P07: ['MAT3', 'green', 'at_or_above', 'static'],
  P08: ['MAT1', null, 'at_or_above', null],
  P09: ['MAT2', 'amber', 'at_or_above', 'static'],
  P10: ['uncategorised', null, 'at_or_above', 'static'],
  P11: ['MAT4', null, 'below', 'detox'],
  P12: ['MAT3', 'grey', 'below', 'reducing'],
  P13: ['MAT2', 'amber', 'at_or_above', 'static'],
  P14: ['MAT2', 'red', 'below', 'static'],
  P16: ['MAT2', 'amber', 'at_or_above', 'static'],
  P17: ['MAT3', null, 'n/a', 'static'],
  P18: ['MAT3', 'green', 'at_or_above', 'static'],
  P19: ['MAT3', 'grey', 'below', 'static'],
  P20: ['MAT2', 'amber', 'at_or_above', 'increasing'],
};

export const EXPECTED_SERVICE_PEOPLE: Record<string, string[]> = {
  S1: ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09', 'P10', 'P11', 'P12', 'P13', 'P14', 'P18', 'P19', 'P20'],
  S2: ['P16', 'P17'],
};

export const EXPECTED_COHORTS = {
  S1: { mat1: 2, red: 2, amber: 4, green: 3, grey: 4, mat4: 1, uncategorised: 1, mat2_no_band: 0, mat3_no_band: 0 },
  S2: { mat1: 0, red: 0, amber: 1, green: 0, grey: 0, mat4: 0, uncategorised: 0, mat2_no_band: 0, mat3_no_band: 1 },
  organisation: { mat1: 2, red: 2, amber: 5, green: 3, grey: 4, mat4: 1, uncategorised: 1, mat2_no_band: 0, mat3_no_band: 1 },
};
