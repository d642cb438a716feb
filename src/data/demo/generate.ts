/**
 * `generateDemo`: a deterministic synthetic dataset in the v1 format (dataset.md),
 * streamed to a folder of CSV files. The same code makes the demo (default 2,000 people,
 * 24 months) and national-scale benchmark data (330,000 people, ~140,000 in MAT on the
 * last month end, ~5 million rows) in bounded memory: people are generated in chunks and
 * each chunk's lines are written with backpressure before the next chunk starts.
 */
import { mkdir } from 'node:fs/promises';
import { DatasetWriter, emptyBatch, FILE_KEYS, type FileKey } from './csv';
import { addMonths, dayOf, iso, monthEndOf, monthStartOf, parseIsoDay, type Day } from './days';
import { layoutFor } from './geography';
import { writeIncidents } from './incidents';
import { PersonSim, type SimContext } from './person';
import { Rng, streamSeed, weightTable } from './prng';

/**
 * The fixed "today" used when the caller passes neither `endDate` nor `today`, so output
 * depends only on the options: the default end date is the last day of the month before
 * it (2026-10-31). Callers that want data ending last month pass `today` explicitly.
 */
export const DEMO_REFERENCE_DATE = '2026-11-01';

export const DEMO_DEFAULTS = { people: 2_000, months: 24, seed: 1 } as const;

export interface DemoOptions {
  /** Number of people (default 2,000; 330,000 for national scale). */
  people?: number;
  /** Months of data ending with the end date's month (default 24). */
  months?: number;
  /** PRNG seed (default 1). The same options give byte-identical files. */
  seed?: number;
  /** Last day of the data, YYYY-MM-DD (default: last day of the month before `today`). */
  endDate?: string;
  /** Reference date for the default end date, YYYY-MM-DD (default {@link DEMO_REFERENCE_DATE}). */
  today?: string;
  /** Folder to write the CSV files into (created if missing; existing files are replaced). */
  outDir: string;
  /** Called after each chunk of people with (people done, people total). */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  outDir: string;
  seed: number;
  people: number;
  months: number;
  /** First day of the first month of data. */
  startDate: string;
  endDate: string;
  services: number;
  localAuthorities: { code: string; name: string; region: string }[];
  /** People with a prescription covering the end date. */
  inMatAtEnd: number;
  nitazeneCluster: { localAuthority: string; from: string; to: string };
  /** Data rows written per file (headers excluded). */
  files: Record<FileKey, number>;
  totalRows: number;
}

const CHUNK = 2_000;

export class DemoOptionsError extends Error {
  override name = 'DemoOptionsError';
}

function resolveEndDay(options: DemoOptions): Day {
  if (options.endDate !== undefined) {
    const day = parseIsoDay(options.endDate);
    if (day === null) throw new DemoOptionsError(`endDate must be a real date as YYYY-MM-DD (got ${options.endDate})`);
    return day;
  }
  const today = options.today ?? DEMO_REFERENCE_DATE;
  const t = parseIsoDay(today);
  if (t === null) throw new DemoOptionsError(`today must be a real date as YYYY-MM-DD (got ${today})`);
  return monthStartOf(t) - 1;
}

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DemoOptionsError(`${name} must be a whole number from ${min} to ${max} (got ${value})`);
  }
  return value;
}

/** Generate a synthetic dataset into `options.outDir`. */
export async function generateDemo(options: DemoOptions): Promise<DemoSummary> {
  const people = wholeNumber('people', options.people ?? DEMO_DEFAULTS.people, 1, 5_000_000);
  const months = wholeNumber('months', options.months ?? DEMO_DEFAULTS.months, 1, 240);
  const seed = wholeNumber('seed', options.seed ?? DEMO_DEFAULTS.seed, -2_147_483_648, 4_294_967_295) | 0;
  const endDay = resolveEndDay(options);
  const endStart = monthStartOf(endDay);
  const windowStart = addMonths(endStart, -(months - 1));
  const historyStart = windowStart - 120;
  const riskFrom = windowStart - 365;
  if (riskFrom < dayOf(1950, 1, 1) || endDay > dayOf(2150, 1, 1)) throw new DemoOptionsError('dates must fall between 1950 and 2150');

  // Month grid from the month of riskFrom to the end month (the last ends on endDay).
  const starts: number[] = [];
  for (let m = monthStartOf(riskFrom); m <= endDay; m = monthEndOf(m) + 1) starts.push(m);
  const monthStart = Int32Array.from(starts);
  const monthEnd = Int32Array.from(starts.map((m) => Math.min(monthEndOf(m), endDay)));

  const layout = layoutFor(people, new Rng(streamSeed(seed, 'layout')));
  const clusterLa = layout.authorities[1] ?? layout.authorities[0];
  if (!clusterLa) throw new Error('no local authorities in the layout');
  const cluster = {
    laCode: clusterLa.code,
    from: Math.max(windowStart, endDay - 24),
    to: Math.max(windowStart, endDay - 11),
  };
  const ctx: SimContext = {
    seed,
    endDay,
    windowStart,
    historyStart,
    riskFrom,
    monthStart,
    monthEnd,
    services: layout.services,
    serviceTable: weightTable(layout.services.map((s) => [s, s.weight] as const)),
    cluster,
  };

  await mkdir(options.outDir, { recursive: true });
  const writer = new DatasetWriter(options.outDir);
  const batch = emptyBatch();
  let inMatAtEnd = 0;
  const laSizes = new Array<number>(layout.authorities.length).fill(0);
  try {
    for (const s of layout.services) {
      batch.services.push(`${s.service_id},${s.name},${s.organisation},${s.la.code},${s.la.region}`);
    }
    for (let start = 0; start < people; start += CHUNK) {
      const stop = Math.min(people, start + CHUNK);
      for (let i = start; i < stop; i++) {
        const sim = new PersonSim(ctx, i, batch);
        const outcome = sim.run();
        if (outcome.inMatAtEnd) inMatAtEnd++;
        laSizes[sim.laIndex] = (laSizes[sim.laIndex] ?? 0) + 1;
      }
      await writer.flush(batch);
      options.onProgress?.(stop, people);
    }
    await writeIncidents(
      { seed, windowStart, endDay, monthStart, monthEnd, cluster },
      layout.authorities,
      laSizes,
      batch,
      () => writer.flush(batch),
    );
    await writer.flush(batch);
    await writer.close();
  } catch (err) {
    writer.destroy();
    throw err;
  }

  const files = { ...writer.counts };
  return {
    outDir: options.outDir,
    seed,
    people,
    months,
    startDate: iso(windowStart),
    endDate: iso(endDay),
    services: layout.services.length,
    localAuthorities: layout.authorities.map((la) => ({ code: la.code, name: la.name, region: la.region })),
    inMatAtEnd,
    nitazeneCluster: { localAuthority: cluster.laCode, from: iso(cluster.from), to: iso(cluster.to) },
    files,
    totalRows: FILE_KEYS.reduce((sum, key) => sum + files[key], 0),
  };
}
