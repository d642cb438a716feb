/**
 * Test support for the dataset pipeline: a small valid dataset touching every file, column
 * type and CSV corner (quotes, commas, newlines in values, UK dates, timestamps with and
 * without offsets), helpers to write a dataset folder and to count or clear stored rows.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '../db';
import { DATASET, type TableName } from './spec';

export type DatasetFiles = Record<string, string | Buffer>;

export const TOP_HEADER =
  'top_id,person_id,date,stage,opiate_days,crack_days,cocaine_days,amphetamine_days,cannabis_days,other_days,alcohol_days,' +
  'alcohol_units,tobacco_per_day,injecting_days,sharing,shoplifting_days,selling_days,theft,assault,psych_health,phys_health,' +
  'quality_of_life,paid_work_days,education_days,acute_housing,eviction_risk';

/** A valid dataset with every file. Line numbers matter to the tests: keep rows in place. */
export function baseDataset(): Record<string, string> {
  return {
    'services.csv': [
      'service_id,name,organisation,local_authority,region',
      'S1,"Blackpool Recovery, North",Beacon Trust,E06000009,North West',
      'S2,Liverpool CDS,,E08000012,North West',
    ].join('\n') + '\n',
    'people.csv': [
      'person_id,service_id,date_of_birth,sex,nhs_number,postcode,injecting_status,housing,lives_alone,consent',
      'P1,S1,1980-05-17,M,9434765919,FY1 1AA,C,settled,Y,Y',
      'P2,S1,02/03/1975,F,,FY2,P,nfa,no,',
      'P3,S2,1990-12-31,X,,,,,,',
    ].join('\n') + '\n',
    'episodes.csv': [
      'episode_id,person_id,start_date,end_date,exit_reason',
      'E1,P1,2023-01-10,2023-06-30,planned',
      'E2,P1,2024-01-05,,',
      'E3,P2,2024-02-01,,',
    ].join('\n') + '\n',
    'prescriptions.csv': [
      'prescription_id,person_id,medication,dose_mg,start_date,end_date,supervised,pickup,reduction_plan,planned_end_date,prescriber',
      'RX1,P1,methadone,60,2024-01-05,2024-02-04,Y,daily,N,,Dr A',
      'RX2,P1,methadone,12.5,2024-02-05,,N,weekly,Y,2024-06-30,"Smith, J"',
      'RX3,P2,buprenorphine_weekly_injection,24,2024-02-01,,,,,,',
    ].join('\n') + '\n',
    'top.csv': [
      TOP_HEADER,
      'TOP1,P1,2024-01-05,start,20,4,0,0,10,0,2,6.5,20,12,Y,3,0,N,N,8,9,7,0,0,N,Y',
      'TOP2,P1,2024-04-05,review,0,0,0,0,0,0,0,0,10,0,N,0,0,N,N,14,15,16,5,0,N,N',
      'TOP3,P2,2024-02-01,start,,,,,,,,,,,,,,,,,,,,,,',
    ].join('\n') + '\n',
    'drug_tests.csv': [
      'test_id,person_id,date,substance,result,sample',
      'T1,P1,2024-01-05,heroin_6mam,positive,urine',
      'T1,P1,2024-01-05,methadone,positive,urine',
      'T2,P2,2024-02-10,fentanyl,negative,oral_fluid',
    ].join('\n') + '\n',
    'risk_events.csv': [
      'event_id,person_id,date,type,detail',
      'RE1,P1,2023-12-01,non_fatal_overdose,"found by partner, naloxone given"',
      'RE2,P2,2024-01-20,prison_release,"said ""back soon""',
      'then left"',
      'RE3,P1,2024-03-01,other,',
    ].join('\n') + '\n',
    'naloxone.csv': [
      'supply_id,date,product,person_id,recipient,reason,local_authority',
      'N1,2024-01-05,nasal,P1,service_user,new,E06000009',
      'N2,2024-02-01,intramuscular,,family,replacement_used,E06000009',
    ].join('\n') + '\n',
    'sc_reviews.csv': [
      'review_id,person_id,date,decision,diverted,vulnerable,regular_on_top,other_risk,rationale,next_review_date',
      'R1,P1,2024-02-05,relaxed,N,N,N,N,"stable, engaged",2024-05-05',
    ].join('\n') + '\n',
    'incidents.csv': [
      'report_id,received_at,source,event_date,event_type,local_authority,age,sex,postcode,hmo,street_sleeping,class_a_user,' +
        'in_treatment,route,naloxone_doses,synthetic_opioid_suspected,forensic_nitazene,tox_tested_nitazene,tox_nitazene_present,' +
        'tox_n_desethyl_isotonitazene,substances,outcome,location_type,notes,exercise',
      'I1,2024-03-01T10:15:00Z,ambulance,2024-03-01,non_fatal_overdose,E06000009,34,M,FY1,N,Y,Y,N,injecting,2,Y,,,,,heroin_6mam;nitazene,hospital,street,"two doses, recovered",',
      'I2,2024-07-01 09:00,police,2024-06-30,death,E06000009,,U,,,,,,,,,,,,,,died,,,Y',
    ].join('\n') + '\n',
  };
}

/** Writes files into a new temporary folder (or `dir`) and returns its path. */
export async function writeDataset(files: DatasetFiles, dir?: string): Promise<string> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'beacon-dataset-')));
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  return folder;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Rows stored per dataset table. */
export async function countRows(db: Queryable): Promise<Record<TableName, number>> {
  const sql = DATASET.map((s) => `SELECT '${s.table}' AS t, count(*)::int AS n FROM ${s.table}`).join(' UNION ALL ');
  const rows = await db.query<{ t: TableName; n: number }>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.n])) as Record<TableName, number>;
}

/** Empties the dataset tables and the import history (DELETE: much faster than TRUNCATE for small tables). */
export async function clearDataset(db: Queryable): Promise<void> {
  await db.exec([...DATASET].reverse().map((s) => `DELETE FROM ${s.table};`).join(' ') + ' DELETE FROM imports;');
}

/** `n` rows of top.csv for people P1..P`people`, generated on the fly. */
export function topRows(n: number, people: number, from = 1): string {
  const out: string[] = [TOP_HEADER];
  for (let i = from; i < from + n; i++) {
    const p = ((i * 7919) % people) + 1;
    const m = (i % 12) + 1;
    const d = (i % 28) + 1;
    out.push(`TOPX${i},P${p},2024-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d},review,${i % 29},0,0,0,${i % 5},0,3,4.5,10,0,N,0,0,N,N,${i % 21},12,13,0,0,N,N`);
  }
  return `${out.join('\n')}\n`;
}

/** people.csv with P1..Pn at service S1. */
export function peopleRows(n: number): string {
  const out = ['person_id,service_id,date_of_birth,sex'];
  for (let i = 1; i <= n; i++) out.push(`P${i},S1,1980-01-01,${i % 2 ? 'M' : 'F'}`);
  return `${out.join('\n')}\n`;
}
