/**
 * Detection benchmarks (run by `npm run bench`, or directly: `npx tsx bench/detection.ts`).
 *
 * 1. National scale: 153 areas × 8 indicators, 5 years of weekly data each
 *    (1,224 series × 261 weeks). Each series runs the method `recommendMethod`
 *    gives for its history — Farrington flexible with b = 4, which evaluates the
 *    weeks of the last year (the earlier weeks lack 4 years of history). Target
 *    ≤ 2 s; timed single-threaded and split over worker threads. Also reported:
 *    EARS C1–C3 over every week; a heavier variant where all 5 years are
 *    monitored with full Farrington (b = 5, i.e. 10 years of data per series);
 *    and the incremental run after an import (the latest week of every series).
 *    Environment: BEACON_BENCH_SKIP_NATIONAL=1 skips this part.
 * 2. 10,000 series × 7 years (365 weeks) through Farrington flexible with the
 *    Noufaily defaults — the `beacon detect --method farrington` workload — and,
 *    when `Rscript` with the `surveillance` package is available, R's
 *    `farringtonFlexible` on the first BEACON_BENCH_R_SERIES (default 20) of the
 *    same series with the same settings, timed inside R (excluding start-up and
 *    CSV reading). R at ~15 ms per week would need hours for all 10,000 series,
 *    so the ratio is computed per evaluated week and R's total is extrapolated.
 *    The alarms of both on R's weeks are compared too. BEACON_BENCH_SERIES sets
 *    the number of series.
 *
 * Timings are wall-clock, single-threaded, with CPU time alongside (the shared
 * machine the figures come from is often busy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formatIsoDate, parseIsoDate } from '../src/domain/detection/dates';
import { detect, recommendMethod, type DetectionRow, type SeriesPoint } from '../src/domain/detection/series';
import { monitorSeries } from '../src/domain/detection/monitor';
import { DEFAULT_MONITORING, INDICATOR_IDS } from '../src/data/warning/config';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, 1) by Marsaglia–Tsang. */
function gamma(shape: number, u: () => number): number {
  if (shape < 1) return gamma(shape + 1, u) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(u);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const uu = u();
    if (Math.log(uu) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function poisson(mean: number, u: () => number): number {
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(u)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= u();
  } while (p > l);
  return k - 1;
}

/**
 * Weekly negative-binomial counts with seasonality and trend (Noufaily et al.
 * 2013 style), with a few outbreaks; baselines from sparse (≈0.3/week) to busy
 * (≈150/week).
 */
export function simulateWeeklySeries(weeks: number, seed: number, start = '2015-01-05'): SeriesPoint[] {
  const u = rng(seed);
  const theta = -1.2 + 6.2 * u();
  const beta = (u() - 0.5) * 0.004;
  const g1 = (u() - 0.5) * 1.2;
  const g2 = (u() - 0.5) * 1.2;
  const phi = 1 + 3 * u();
  const counts = new Array<number>(weeks);
  for (let t = 0; t < weeks; t++) {
    const mu = Math.exp(theta + beta * t + g1 * Math.cos((2 * Math.PI * t) / 52) + g2 * Math.sin((2 * Math.PI * t) / 52));
    const lambda = phi > 1 ? gamma(mu / (phi - 1), u) * (phi - 1) : mu;
    counts[t] = poisson(lambda, u);
  }
  const outbreaks = Math.floor(u() * 4);
  for (let o = 0; o < outbreaks; o++) {
    const at = Math.floor(u() * weeks);
    const size = poisson((2 + 6 * u()) * Math.sqrt(phi * Math.exp(theta)), u);
    for (let c = 0; c < size; c++) {
      const d = Math.floor(Math.exp(0.5 * normal(u)));
      if (at + d < weeks) counts[at + d]! += 1;
    }
  }
  const d0 = parseIsoDate(start);
  return counts.map((count, i) => ({ period_start: formatIsoDate(d0 + 7 * i), count }));
}

function timed<T>(f: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

function countRows(rows: DetectionRow[][]): { rows: number; alarms: number } {
  let n = 0;
  let a = 0;
  for (const r of rows) {
    n += r.length;
    for (const x of r) if (x.alarm) a++;
  }
  return { rows: n, alarms: a };
}

const R_SCRIPT = `
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("character", "character", "numeric"))
ids <- unique(d$series_id)
dates <- as.Date(unique(d$period_start))
Y <- matrix(d$count, ncol = length(ids))
n <- nrow(Y); b <- 5; w <- 3
k0 <- NA
for (k in seq_len(n)) {
  ref <- surveillance:::algo.farrington.referencetimepoints(dates[k], b = b, freq = 52, epochAsDate = TRUE, epochStr = "week")
  idx <- match(ref, dates)
  if (!any(is.na(idx)) && min(idx) - w >= 1) { k0 <- k; break }
}
s <- sts(observed = Y, epoch = dates, epochAsDate = TRUE, frequency = 52)
ctl <- list(range = k0:n, b = b, w = w, reweight = TRUE, weightsThreshold = 2.58, trend = TRUE, pThresholdTrend = 1,
            noPeriods = 10, pastWeeksNotIncluded = 26, powertrans = "2/3", thresholdMethod = "nbPlugin",
            limit54 = c(5, 4), alpha = 0.005, glmWarnings = FALSE)
t0 <- proc.time()[["elapsed"]]
r <- farringtonFlexible(s, control = ctl)
el <- proc.time()[["elapsed"]] - t0
a <- alarms(r)
al <- which(!is.na(a) & a, arr.ind = TRUE)
cat(sprintf("%.6f %d %d %s\\n", el, length(ids) * length(k0:n), nrow(al), format(dates[k0])))
if (nrow(al) > 0) cat(paste0(ids[al[, 2]], " ", format(dates[k0:n][al[, 1]])), sep = "\\n")
`;

interface RTiming {
  seconds: number;
  points: number;
  alarms: number;
  firstWeek: string;
  /** "b<i> <date>" of every alarm */
  alarmKeys: Set<string>;
}

function timeR(series: readonly SeriesPoint[][]): RTiming | string {
  const probe = spawnSync('Rscript', ['-e', 'cat(requireNamespace("surveillance", quietly = TRUE))'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'Rscript not found';
  if (!probe.stdout.includes('TRUE')) return 'R package surveillance not installed';
  const dir = mkdtempSync(join(tmpdir(), 'beacon-bench-'));
  try {
    const lines = ['series_id,period_start,count'];
    series.forEach((s, i) => {
      for (const p of s) lines.push(`b${i},${p.period_start},${p.count ?? 'NA'}`);
    });
    writeFileSync(join(dir, 'series.csv'), lines.join('\n'));
    writeFileSync(join(dir, 'bench.R'), R_SCRIPT);
    const r = spawnSync('Rscript', [join(dir, 'bench.R'), join(dir, 'series.csv')], {
      encoding: 'utf8',
      timeout: 30 * 60_000,
    });
    if (r.status !== 0) return `R failed: ${r.stderr.slice(0, 300)}`;
    const [head, ...rest] = r.stdout.trim().split('\n');
    const [seconds, points, alarms, firstWeek] = (head ?? '').trim().split(/\s+/);
    return {
      seconds: Number(seconds),
      points: Number(points),
      alarms: Number(alarms),
      firstWeek: firstWeek ?? '',
      alarmKeys: new Set(rest.map((l) => l.trim()).filter(Boolean)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const AREAS = 153;
export const INDICATORS = 8;
const NATIONAL_WEEKS = 261;
const NATIONAL_SEED = 1000;

export function nationalSeries(from: number, to: number): SeriesPoint[][] {
  const out: SeriesPoint[][] = [];
  for (let i = from; i < to; i++) out.push(simulateWeeklySeries(NATIONAL_WEEKS, NATIONAL_SEED + i, '2019-01-07'));
  return out;
}

/** The national run: every series with the method recommended for its history. */
export function runNational(series: readonly SeriesPoint[][]): DetectionRow[][] {
  return series.map((s) => {
    const rec = recommendMethod(s.length - 1);
    if (rec.method === 'farrington') return detect(s, 'farrington', rec.params);
    if (rec.method === null) return [];
    return detect(s, rec.method, rec.params);
  });
}

interface WorkerJob {
  kind: 'beacon-detection-bench';
  from: number;
  to: number;
}

// Worker side of the parallel national run: build its share of the series, say
// "ready", run on "go", report counts.
if (!isMainThread && (workerData as WorkerJob | undefined)?.kind === 'beacon-detection-bench') {
  const job = workerData as WorkerJob;
  const series = nationalSeries(job.from, job.to);
  runNational(series.slice(0, 5)); // warm up the JIT like the single-threaded run
  parentPort?.on('message', () => {
    const counts = countRows(runNational(series));
    parentPort?.postMessage(counts);
  });
  parentPort?.postMessage('ready');
}

/** The national run split over worker threads; times from "all ready" to "all done". */
export async function runNationalParallel(threads: number, total: number): Promise<{ ms: number; rows: number; alarms: number }> {
  const per = Math.ceil(total / threads);
  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let k = 0; k < threads; k++) {
    const job: WorkerJob = { kind: 'beacon-detection-bench', from: k * per, to: Math.min(total, (k + 1) * per) };
    // Under tsx the worker must register the TypeScript loader before importing this file.
    const self = import.meta.url;
    const w = self.endsWith('.ts')
      ? new Worker(
          `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(self)}); });`,
          { eval: true, workerData: job },
        )
      : new Worker(new URL(self), { workerData: job });
    workers.push(w);
    ready.push(
      new Promise((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      }),
    );
  }
  try {
    await Promise.all(ready);
    const t0 = performance.now();
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ rows: number; alarms: number }>((resolve, reject) => {
            w.once('message', (m: { rows: number; alarms: number }) => resolve(m));
            w.once('error', reject);
            w.postMessage('go');
          }),
      ),
    );
    const ms = performance.now() - t0;
    return { ms, rows: results.reduce((a, r) => a + r.rows, 0), alarms: results.reduce((a, r) => a + r.alarms, 0) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function benchNational(out: Record<string, number | string>): Promise<void> {
  const national = nationalSeries(0, AREAS * INDICATORS);
  out['national_series'] = national.length;
  out['national_weeks_per_series'] = NATIONAL_WEEKS;
  const rec = recommendMethod(NATIONAL_WEEKS - 1);
  out['national_recommended_for_last_week'] = `${rec.method ?? 'none'} ${JSON.stringify(rec.params)}`;
  runNational(national.slice(0, 5)); // JIT warm-up
  const nat = timed(() => runNational(national));
  const natCounts = countRows(nat.value);
  out['national_weeks_evaluated'] = natCounts.rows;
  out['national_alarms'] = natCounts.alarms;
  out['national_ms'] = round(nat.ms);
  out['national_cpu_ms'] = round(nat.cpuMs);
  const threads = Math.max(1, Math.min(8, availableParallelism()));
  if (threads > 1) {
    try {
      const par = await runNationalParallel(threads, national.length);
      out['national_threads'] = threads;
      out['national_parallel_ms'] = round(par.ms);
      if (par.rows !== natCounts.rows || par.alarms !== natCounts.alarms) out['national_parallel_mismatch'] = 'yes';
    } catch (e) {
      out['national_parallel_error'] = String(e).slice(0, 200);
    }
  }
  const best = Math.min(nat.ms, Number(out['national_parallel_ms'] ?? Infinity));
  out['national_within_2s'] = best <= 2000 ? 'yes' : 'no';
  const natEars = timed(() => national.map((s) => [...detect(s, 'ears-c1'), ...detect(s, 'ears-c2'), ...detect(s, 'ears-c3')]));
  out['national_ears_c1_c2_c3_weeks'] = countRows(natEars.value).rows;
  out['national_ears_c1_c2_c3_ms'] = round(natEars.ms);

  // What a scheduled early-warning run computes (src/data/warning/run.ts): every series
  // through monitorSeries with the default settings of its indicator (auto: Farrington with
  // the b each week's history allows, EARS C2 before; count triggers) over the last
  // evaluateWeeks (104) weeks, with daily events for the triggers.
  const events = national.map((s, i) => s.filter((p) => (p.count ?? 0) > 0).map((p, k) => ({ at: p.period_start, weight: p.count ?? 0, id: `${i}-${k}` })));
  const settingsOf = (i: number) => {
    const cfg = DEFAULT_MONITORING.indicators[INDICATOR_IDS[i % INDICATOR_IDS.length]!]!;
    return { ...cfg, evaluateWeeks: DEFAULT_MONITORING.evaluateWeeks };
  };
  const noun = { singular: 'event', plural: 'events' };
  monitorSeries(national[0]!, events[0]!, settingsOf(0), noun); // warm-up
  const mon = timed(() => national.map((s, i) => monitorSeries(s, events[i]!, settingsOf(i), noun)));
  out['national_monitor_weeks_evaluated'] = mon.value.reduce((a, r) => a + r.weeks.filter((w) => w.expected !== null).length, 0);
  out['national_monitor_ms'] = round(mon.ms);
  out['national_monitor_cpu_ms'] = round(mon.cpuMs);

  // heavier variant: 5 monitored years with full Farrington (10 years of data)
  const national10: SeriesPoint[][] = [];
  for (let i = 0; i < AREAS * INDICATORS; i++) national10.push(simulateWeeklySeries(2 * NATIONAL_WEEKS, 5000 + i, '2014-01-06'));
  const monitoredFrom = national10[0]![261]!.period_start;
  const nat10 = timed(() => national10.map((s) => detect(s, 'farrington', {}, { from: monitoredFrom })));
  out['national_5y_monitored_b5_weeks'] = countRows(nat10.value).rows;
  out['national_5y_monitored_b5_ms'] = round(nat10.ms);
  // the scheduled run after an import: the latest week of every series, full history
  const latest = timed(() => national10.map((s) => detect(s, 'farrington', {}, { from: s.at(-1)!.period_start })));
  out['national_latest_week_b5_ms'] = round(latest.ms);
}

export async function benchDetection(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};

  // 1. national scale
  if (process.env['BEACON_BENCH_SKIP_NATIONAL'] !== '1') await benchNational(out);

  // 2. 10,000 series × 7 years
  const N = Number(process.env['BEACON_BENCH_SERIES'] ?? 10_000);
  if (!(N > 0)) return out;
  const big: SeriesPoint[][] = [];
  for (let i = 0; i < N; i++) big.push(simulateWeeklySeries(365, 20_000 + i, '2017-01-02'));
  const ts = timed(() => big.map((s) => detect(s, 'farrington')));
  const tsCounts = countRows(ts.value);
  out['cli_series'] = N;
  out['cli_weeks_evaluated'] = tsCounts.rows;
  out['cli_alarms'] = tsCounts.alarms;
  out['cli_farrington_ms'] = round(ts.ms);
  out['cli_farrington_cpu_ms'] = round(ts.cpuMs);
  out['cli_us_per_week'] = round((ts.ms * 1000) / tsCounts.rows, 2);

  const nR = Math.min(N, Number(process.env['BEACON_BENCH_R_SERIES'] ?? 20));
  const rt = timeR(big.slice(0, nR));
  if (typeof rt === 'string') {
    out['r_status'] = rt;
  } else {
    // the same weeks as R (R's range starts where every reference window is complete)
    const sub = timed(() => big.slice(0, nR).map((s) => detect(s, 'farrington', {}, { from: rt.firstWeek })));
    const subRows = countRows(sub.value).rows;
    let agree = 0;
    let alarmsOurs = 0;
    sub.value.forEach((rows, i) => {
      for (const row of rows) {
        if (row.alarm) alarmsOurs++;
        if (row.alarm === rt.alarmKeys.has(`b${i} ${row.period_start}`)) agree++;
      }
    });
    out['ts_same_subset_alarms'] = alarmsOurs;
    out['alarm_agreement_vs_r'] = subRows === rt.points ? round(agree / subRows, 4) : `week counts differ (${subRows} vs ${rt.points})`;
    const rPerWeekUs = (rt.seconds * 1e6) / rt.points;
    const tsPerWeekUs = (ts.ms * 1000) / tsCounts.rows;
    out['r_series_timed'] = nR;
    out['r_weeks_evaluated'] = rt.points;
    out['r_alarms'] = rt.alarms;
    out['r_seconds'] = round(rt.seconds, 2);
    out['r_us_per_week'] = round(rPerWeekUs, 0);
    out['r_extrapolated_seconds_for_all'] = round((rPerWeekUs * tsCounts.rows) / 1e6, 0);
    out['ts_same_subset_ms'] = round(sub.ms);
    out['ts_same_subset_weeks'] = subRows;
    out['speedup_vs_r'] = round(rPerWeekUs / tsPerWeekUs, 1);
    out['speedup_vs_r_same_weeks'] = round((rt.seconds * 1000) / sub.ms, 1);
    out['speedup_vs_r_at_least_20x'] = rPerWeekUs / tsPerWeekUs >= 20 ? 'yes' : 'no';
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchDetection().then(
    (r) => {
      for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(36)} ${v}`);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
