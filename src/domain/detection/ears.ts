/**
 * EARS C1, C2 and C3 (Hutwagner et al. 2003), as in R's `surveillance::earsC`
 * for C1 and C2, and as documented for C3.
 *
 * - C1: baseline = the `baseline` (7) periods just before t; upper bound
 *   mean + z·max(sd, minSigma), z = Φ⁻¹(1 − α), α = 0.001 by default.
 * - C2: the same with a 2-period guard band: baseline t−9 … t−3.
 * - C3: C3_t = Σ_{i=t−2..t} max(0, C2_i − 1) with C2_i = (y_i − mean_i)/sd_i,
 *   alarm when C3_t > z, α = 0.025 by default.
 *
 * DIFFERENCE FROM THE R PACKAGE (C3). `earsC(method = "C3")` reports
 *   upperbound_t = max(0, y_t + sd_t · (z − Σ_{i=t−2..t−1} max(0, C2_i − 1)))
 * and alarms when y_t > upperbound_t, i.e. when the excess of the two
 * PREVIOUS periods alone exceeds z: the current period's own C2 never enters,
 * so the package's C3 alarm lags by one period (an outbreak that starts in week
 * t shows in week t + 1 at the earliest). Beacon implements the documented
 * statistic, which includes the current period. `previousExcess` on each C3
 * point is the package's sum, so the package's bound can be recovered as
 * max(0, count + sd·(z − previousExcess)). See docs/detection.md.
 *
 * When sd = 0 (a flat baseline) and minSigma = 0, C2 is +∞ if the count is above
 * the mean and 0 otherwise (R gives NaN/NA there for C3; for C1/C2 R's bound is
 * simply the mean, which we reproduce).
 *
 * Pure: no I/O. Counts are numbers, NaN for a missing period; a missing value
 * inside a baseline leaves that period out (R would return NA).
 */
import { qnorm } from './distributions';

export type EarsMethod = 'C1' | 'C2' | 'C3';

export interface EarsParams {
  /** number of baseline periods (R: 7, at least 3) */
  baseline: number;
  /** one-sided level; default 0.001 for C1 and C2, 0.025 for C3 (the package's defaults) */
  alpha: number | null;
  /** floor for the baseline standard deviation (R's minSigma, default 0) */
  minSigma: number;
}

export const EARS_DEFAULTS: Readonly<EarsParams> = Object.freeze({ baseline: 7, alpha: null, minSigma: 0 });

export class EarsParamError extends Error {
  override name = 'EarsParamError';
}

export interface EarsPoint {
  index: number;
  count: number;
  /** the baseline mean */
  expected: number;
  /** the count above which the period alarms (see the C3 note for previousExcess > z) */
  upperBound: number;
  alarm: boolean;
  /** C1/C2: (count − mean)/sd; C3: the C3 statistic */
  statistic: number;
  /** the baseline standard deviation after the minSigma floor */
  sd: number;
  /** C3 only: Σ max(0, C2 − 1) over the two previous periods (the package's C3 sum) */
  previousExcess?: number;
}

export function defaultEarsAlpha(method: EarsMethod): number {
  return method === 'C3' ? 0.025 : 0.001;
}

/** First period index with enough history: baseline, baseline + 2, baseline + 4 for C1, C2, C3. */
export function firstEarsIndex(method: EarsMethod, baseline = 7): number {
  return baseline + (method === 'C1' ? 0 : method === 'C2' ? 2 : 4);
}

function resolve(params: Partial<EarsParams>): EarsParams {
  const p = { ...EARS_DEFAULTS, ...params };
  if (!Number.isInteger(p.baseline) || p.baseline < 3) throw new EarsParamError('baseline must be an integer ≥ 3');
  if (!(p.minSigma >= 0)) throw new EarsParamError('minSigma must be ≥ 0');
  if (p.alpha !== null && !(p.alpha > 0 && p.alpha < 1)) throw new EarsParamError('alpha must be in (0, 1)');
  return p;
}

/** mean and sample sd (n − 1) of counts[from, to), two-pass like R; null if any value is missing. */
function meanSd(counts: ArrayLike<number>, from: number, to: number): { mean: number; sd: number } | null {
  const n = to - from;
  let s = 0;
  for (let i = from; i < to; i++) {
    const c = counts[i]!;
    if (Number.isNaN(c)) return null;
    s += c;
  }
  let mean = s / n;
  let corr = 0;
  for (let i = from; i < to; i++) corr += counts[i]! - mean;
  mean += corr / n;
  let ss = 0;
  for (let i = from; i < to; i++) {
    const d = counts[i]! - mean;
    ss += d * d;
  }
  return { mean, sd: Math.sqrt(ss / (n - 1)) };
}

function excess(c2: number): number {
  return Number.isNaN(c2) ? 0 : Math.max(0, c2 - 1);
}

/**
 * Runs EARS C1, C2 or C3 over a regular series.
 * @returns one point per period from max(from, first index with history) whose baseline is complete
 */
export function earsC(counts: ArrayLike<number>, method: EarsMethod, params: Partial<EarsParams> = {}, from = 0): EarsPoint[] {
  const p = resolve(params);
  const alpha = p.alpha ?? defaultEarsAlpha(method);
  const z = qnorm(1 - alpha);
  const n = counts.length;
  const out: EarsPoint[] = [];
  const lag = method === 'C1' ? 0 : 2;
  const first = p.baseline + lag; // first period with a full baseline
  // baseline mean, sd and standardised count of every period (NaN: incomplete baseline)
  const mean = new Float64Array(n).fill(Number.NaN);
  const sd = new Float64Array(n).fill(Number.NaN);
  const stat = new Float64Array(n).fill(Number.NaN);
  for (let i = first; i < n; i++) {
    const ms = meanSd(counts, i - p.baseline - lag, i - lag);
    if (!ms) continue;
    const s = Math.max(ms.sd, p.minSigma);
    const y = counts[i]!;
    mean[i] = ms.mean;
    sd[i] = s;
    stat[i] = s > 0 ? (y - ms.mean) / s : y > ms.mean ? Infinity : Number.isNaN(y) ? Number.NaN : 0;
  }
  const start = Math.max(from, firstEarsIndex(method, p.baseline));
  for (let t = start; t < n; t++) {
    const y = counts[t]!;
    const m = mean[t]!;
    if (Number.isNaN(m)) continue;
    if (method !== 'C3') {
      const upperBound = m + z * sd[t]!;
      out.push({ index: t, count: y, expected: m, upperBound, alarm: y > upperBound, statistic: stat[t]!, sd: sd[t]! });
      continue;
    }
    if (Number.isNaN(mean[t - 1]!) || Number.isNaN(mean[t - 2]!)) continue;
    const previousExcess = excess(stat[t - 2]!) + excess(stat[t - 1]!);
    const statistic = previousExcess + excess(stat[t]!);
    const room = z - previousExcess;
    out.push({
      index: t,
      count: y,
      expected: m,
      // alarm ⇔ max(0, C2_t − 1) > room ⇔ y > mean + sd·(1 + room) when room ≥ 0;
      // when room < 0 the two previous periods carry the alarm whatever the count.
      upperBound: room >= 0 ? m + sd[t]! * (1 + room) : 0,
      alarm: !Number.isNaN(y) && statistic > z,
      statistic,
      sd: sd[t]!,
      previousExcess,
    });
  }
  return out;
}
