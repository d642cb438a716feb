/**
 * Times only the national detection workload of `bench/detection.ts` (153 areas ×
 * 8 indicators × 5 years, the recommended method per series: Farrington b = 4 over
 * the last year) — for measuring changes to `src/domain/detection/` without running
 * the whole bench. Repeats the single-threaded run and reports wall and CPU time
 * (process.cpuUsage) of each, the best and the median; then the worker-thread run.
 *
 *   npx tsx bench/detection-national.ts [--runs 7] [--threads 2] [--dump rows.tsv]
 *
 * `--dump` writes every evaluated row (series, week, expected, bound, alarm, φ) so
 * two versions of the code can be compared exactly.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AREAS, INDICATORS, nationalSeries, runNational, runNationalParallel } from './detection';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    threads: { type: 'string' },
    dump: { type: 'string' },
  },
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(values.runs));
  const series = nationalSeries(0, AREAS * INDICATORS);
  runNational(series.slice(0, 5)); // JIT warm-up, as the main bench does
  const wall: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  let alarms = 0;
  let last: ReturnType<typeof runNational> = [];
  const load0 = loadavg()[0]!;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = runNational(series);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(ms);
    cpu.push((c.user + c.system) / 1000);
    rows = last.reduce((a, s) => a + s.length, 0);
    alarms = last.reduce((a, s) => a + s.filter((x) => x.alarm).length, 0);
  }
  const load1 = loadavg()[0]!;
  const f = (x: number) => x.toFixed(0).padStart(6);
  console.log(`series ${series.length}, weeks evaluated ${rows}, alarms ${alarms}`);
  console.log(`single thread, ${runs} runs (load average ${load0.toFixed(2)} → ${load1.toFixed(2)})`);
  console.log(`  wall ms: ${wall.map(f).join(' ')}   best ${f(Math.min(...wall))}  median ${f(median(wall))}`);
  console.log(`  CPU  ms: ${cpu.map(f).join(' ')}   best ${f(Math.min(...cpu))}  median ${f(median(cpu))}`);

  if (values.dump) {
    const lines: string[] = [];
    last.forEach((s, i) => {
      for (const r of s) {
        const d = r.details;
        const phi = d.method === 'farrington' ? d.phi : Number.NaN;
        lines.push(`${i}\t${r.period_start}\t${r.count}\t${r.expected}\t${r.upper_bound}\t${r.alarm ? 1 : 0}\t${phi}`);
      }
    });
    writeFileSync(values.dump, lines.join('\n') + '\n');
    console.log(`rows written to ${values.dump}`);
  }

  const threads = Math.max(1, Math.min(8, Number(values.threads ?? availableParallelism())));
  if (threads > 1) {
    const par: number[] = [];
    for (let r = 0; r < Math.min(3, runs); r++) {
      const p = await runNationalParallel(threads, series.length);
      if (p.rows !== rows || p.alarms !== alarms) throw new Error(`worker threads disagree: ${p.rows} rows, ${p.alarms} alarms`);
      par.push(p.ms);
    }
    console.log(`${threads} worker threads: wall ms ${par.map(f).join(' ')}   best ${f(Math.min(...par))}  median ${f(median(par))}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
