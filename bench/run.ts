/**
 * `npm run bench`: the figures the issues ask for, on national-scale synthetic data.
 * Writes bench/out/results.json and rewrites the generated block of docs/benchmarks.md
 * with the machine and date. Never part of the test suite.
 *
 *   npm run bench                      everything at national scale
 *   npm run bench -- --people 20000    a smaller run (for trying it out)
 *   npm run bench -- --only import     one section (import, mat, api, person, detection, ldis)
 */
import { cpus, totalmem, hostname } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateDemo } from '../src/data/demo';
import { benchImport } from './import';
import { benchDetection } from './detection';
import { benchMat } from './mat';
import { benchPerson } from './person';
import { benchTrackerApi } from './tracker-api';
import { benchLdis } from './ldis';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '330000' },
    months: { type: 'string', default: '24' },
    only: { type: 'string' },
    'pg-url': { type: 'string', default: process.env.BEACON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'no-docs': { type: 'boolean', default: false },
  },
});

const people = Number(values.people);
const months = Number(values.months);
const OUT = join(import.meta.dirname, 'out');
mkdirSync(OUT, { recursive: true });

type Figures = Record<string, number | string>;
const results: Record<string, Figures> = {};
const wants = (section: string) => !values.only || values.only.split(',').includes(section);

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, host ${hostname()}`;
}

async function freshPgDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dataset(): Promise<string> {
  const dir = join(OUT, `dataset-${people}-${months}`);
  const marker = join(dir, '.complete.json');
  if (existsSync(marker)) return dir;
  console.log(`Generating ${people.toLocaleString('en-GB')} people × ${months} months…`);
  const t0 = performance.now();
  const s = await generateDemo({ people, months, seed: 1, outDir: dir });
  const seconds = (performance.now() - t0) / 1000;
  results.generator = { people: s.people, rows: s.totalRows, inMatAtEnd: s.inMatAtEnd, seconds: +seconds.toFixed(1), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  writeFileSync(marker, JSON.stringify(s));
  return dir;
}

async function main(): Promise<void> {
  const started = new Date();
  if (wants('import')) {
    const folder = await dataset();
    console.log('Import into PostgreSQL…');
    const url = await freshPgDatabase(values['pg-url'] ?? '', 'beacon_bench');
    const { files: _pgFiles, ...pgFigures } = await benchImport({ databaseUrl: url, folder });
    results.importPostgres = pgFigures;
    console.log(results.importPostgres);
    console.log('Import into PGlite…');
    const dataDir = join(OUT, 'pglite-bench');
    if (existsSync(dataDir)) (await import('node:fs')).rmSync(dataDir, { recursive: true, force: true });
    const { files: _pgliteFiles, ...pgliteFigures } = await benchImport({ dataDir, folder });
    results.importPglite = pgliteFigures;
    console.log(results.importPglite);
  }
  if (wants('mat')) {
    // Runs on the databases the import section loaded.
    console.log('MAT tracker and risk profiles on PostgreSQL…');
    const url = new URL(values['pg-url'] ?? '');
    url.pathname = '/beacon_bench';
    results.matPostgres = await benchMat({ databaseUrl: url.toString() });
    console.log(results.matPostgres);
    console.log('MAT tracker and risk profiles on PGlite…');
    results.matPglite = await benchMat({ dataDir: join(OUT, 'pglite-bench') });
    console.log(results.matPglite);
  }
  if (wants('api')) {
    const url = new URL(values['pg-url'] ?? '');
    url.pathname = '/beacon_bench';
    console.log('MAT tracker API: 50 concurrent clients on loopback (PostgreSQL, then PGlite)…');
    results.trackerApiPostgres = await benchTrackerApi({ databaseUrl: url.toString() });
    console.log(results.trackerApiPostgres);
    results.trackerApiPglite = await benchTrackerApi({ dataDir: join(OUT, 'pglite-bench') });
    console.log(results.trackerApiPglite);
  }
  if (wants('person')) {
    // Issue 4: the person-record API for a person with five years of history, on the national-scale databases.
    console.log('Person record API (five years of history) on PostgreSQL, then PGlite…');
    const url = new URL(values['pg-url'] ?? '');
    url.pathname = '/beacon_bench';
    results.personRecordPostgres = await benchPerson({ databaseUrl: url.toString() });
    console.log(results.personRecordPostgres);
    results.personRecordPglite = await benchPerson({ dataDir: join(OUT, 'pglite-bench') });
    console.log(results.personRecordPglite);
  }
  if (wants('detection')) {
    console.log('Detection…');
    results.detection = await benchDetection();
    console.log(results.detection);
  }
  if (wants('ldis')) {
    console.log('LDIS: 200 concurrent partner submitters for 60 s on loopback…');
    results.ldisPglite = await benchLdis({ concurrency: 200, seconds: 60 });
    console.log(results.ldisPglite);
    const url = await freshPgDatabase(values['pg-url'] ?? '', 'beacon_bench_ldis');
    results.ldisPostgres = await benchLdis({ concurrency: 200, seconds: 60, databaseUrl: url });
    console.log(results.ldisPostgres);
  }
  const record = { date: started.toISOString(), machine: machine(), people, months, results };
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(record, null, 2));
  if (!values['no-docs']) writeDocs(record);
}

/**
 * Rewrites the generated block of docs/benchmarks.md. Sections not run this time keep
 * their earlier rows, each row saying when it was measured, so `--only mat` does not wipe
 * the import or detection figures.
 */
function writeDocs(record: { date: string; machine: string; people: number; months: number; results: Record<string, Figures> }): void {
  const file = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\n<!-- bench:start --><!-- bench:end -->\n';
  const when = `${record.date.slice(0, 16).replace('T', ' ')} UTC`;
  const old = /<!-- bench:start[\s\S]*?<!-- bench:end -->/.exec(current)?.[0] ?? '';
  const oldWhen = /Last run: (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)/.exec(old)?.[1] ?? 'earlier';
  const kept: string[] = [];
  for (const line of old.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | section | figure | value | (measured) |
    if (cells.length < 5 || cells[1] === 'section' || cells[1]?.startsWith('---') || cells[1] === undefined) continue;
    if (record.results[cells[1]] !== undefined) continue;
    kept.push(`| ${cells[1]} | ${cells[2]} | ${cells[3]} | ${cells.length >= 6 && cells[4] ? cells[4] : oldWhen} |`);
  }
  const fresh = Object.entries(record.results).flatMap(([section, figs]) =>
    Object.entries(figs).map(([k, v]) => `| ${section} | ${k} | ${typeof v === 'number' ? v.toLocaleString('en-GB') : v} | ${when} |`),
  );
  const lines = [
    '<!-- bench:start (written by npm run bench) -->',
    `Last run: ${when} on ${record.machine}; ${record.people.toLocaleString('en-GB')} people × ${record.months} months (sections: ${Object.keys(record.results).join(', ')}; the other rows are from earlier runs, dated in the last column, possibly on another machine of the same size).`,
    '',
    '| section | figure | value | measured |',
    '|---|---|---|---|',
    ...fresh,
    ...kept,
    '<!-- bench:end -->',
  ];
  const block = lines.join('\n');
  const next = current.replace(/<!-- bench:start[\s\S]*?<!-- bench:end -->/, block);
  writeFileSync(file, next.includes(block) ? next : `${current}\n${block}\n`);
  console.log(`Recorded in ${file}`);
}

await main();
