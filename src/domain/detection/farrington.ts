/**
 * Farrington flexible outbreak detection (Farrington et al. 1996; Noufaily et
 * al. 2013), replicating R's `surveillance::farringtonFlexible` for weekly data:
 *
 * 1. Reference data. For week k, the reference weeks are the same week 1…b
 *    years earlier: by calendar date (`yearLag: "calendar"`, R's behaviour when
 *    the sts object has dates — the date b years back moved to the nearest same
 *    weekday, so "5 years ago" is 261 weeks back, not 260) or exactly 52·i weeks
 *    back (`"weeks52"`, R's behaviour for an sts without dates). Windows of ±w
 *    weeks around each reference week form level `noPeriods` of a seasonal
 *    factor; the weeks between two consecutive windows are split into
 *    `noPeriods − 1` blocks as equal as possible (the first blocks take the
 *    remainder), levels 1 … noPeriods − 1. The current week and the
 *    `pastWeeksNotIncluded` weeks before it are left out.
 * 2. Model. Quasi-Poisson GLM, log link: 1 + wtime + seasgroups (trend only when
 *    `trend`), fitted by IRLS exactly as glm.fit (see glm.ts). If it does not
 *    converge with the trend it is refitted without; φ = max(dispersion, 1).
 * 3. Reweighting. Standardised Anscombe residuals sᵢ of that fit; weights
 *    ωᵢ ∝ sᵢ⁻² for sᵢ > weightsThreshold and ∝ 1 otherwise, scaled to mean 1;
 *    the model is refitted with these prior weights and φ recomputed.
 * 4. Trend. Kept only if b ≥ 3, the trend's t-test p-value < pThresholdTrend and
 *    the predicted count does not exceed the largest reference count; otherwise
 *    steps 2–3 are redone without it. (As in the package, the p-value and the
 *    prediction's standard error use Σ ωᵢ rᵢ² / df as the dispersion, because
 *    the package overwrites the fit's working weights with ω.)
 * 5. Threshold. "nbPlugin": the (1 − α) quantile of a negative binomial with
 *    mean μ₀ = exp(η₀) and variance φμ₀ (Poisson when φ = 1); "muan": the same
 *    with μ₀ = exp(η₀ + z₁₋α·se(η₀)); "delta": Farrington's original
 *    power-transformed normal approximation.
 * 6. Alarm: score > 1 (score = (y − fit)/(U − fit), `fit` on the link scale for
 *    nbPlugin/muan as in the package), y > 0, and at least limit54[0] cases in
 *    the last limit54[1] weeks (current week included).
 *
 * Pure: no I/O. Counts are numbers, NaN for a missing week.
 */
import { sameWeekdayYearsBefore } from './dates';
import { qnbinom, qnorm, qpois, pt } from './distributions';
import {
  fitGroupedRows,
  groupedAnscombeResiduals,
  GroupedRows,
  setRowConstants,
  type GlmControl,
  type GroupedTrendFit,
} from './glm';

export type ThresholdMethod = 'nbPlugin' | 'muan' | 'delta';
export type PowerTransform = 'none' | '1/2' | '2/3';
/** How "the same week b years ago" is found: by calendar date (R with dates) or 52·b weeks back (R without). */
export type YearLag = 'calendar' | 'weeks52';

export interface FarringtonParams {
  /** years of history to use */
  b: number;
  /** half-width of the window around each reference week */
  w: number;
  reweight: boolean;
  weightsThreshold: number;
  trend: boolean;
  pThresholdTrend: number;
  /** levels of the seasonal factor (1 = only the reference windows, as Farrington 1996) */
  noPeriods: number;
  /** weeks before the current one left out of the fit; null = w (the package's default) */
  pastWeeksNotIncluded: number | null;
  powertrans: PowerTransform;
  thresholdMethod: ThresholdMethod;
  /** no alarm unless at least limit54[0] cases in the last limit54[1] weeks */
  limit54: readonly [number, number];
  /** one-sided: the threshold is the (1 − alpha) quantile */
  alpha: number;
  yearLag: YearLag;
  glmControl: GlmControl;
}

/** The Noufaily et al. (2013) settings, as the issue and R name them. */
export const NOUFAILY_DEFAULTS: Readonly<FarringtonParams> = Object.freeze({
  b: 5,
  w: 3,
  reweight: true,
  weightsThreshold: 2.58,
  trend: true,
  pThresholdTrend: 1,
  noPeriods: 10,
  pastWeeksNotIncluded: 26,
  powertrans: '2/3',
  thresholdMethod: 'nbPlugin',
  limit54: [5, 4] as const,
  alpha: 0.005,
  yearLag: 'calendar',
  glmControl: {},
});

export class FarringtonParamError extends Error {
  override name = 'FarringtonParamError';
}

export interface FarringtonPoint {
  /** index of the week in the input */
  index: number;
  count: number;
  /** exp(η₀) (nbPlugin/muan) or μ₀ (delta): the model's expected count */
  expected: number;
  /** alarm when the count exceeds this (nbPlugin/muan: an integer quantile) */
  upperBound: number;
  alarm: boolean;
  /** (y − fit)/(U − fit) as the package computes it; > 1 means above the threshold */
  score: number;
  /** over-dispersion φ used for the threshold (≥ 1) */
  phi: number;
  /** whether the time trend was kept */
  trend: boolean;
  /** the trend coefficient (per week, log scale) when kept */
  trendCoefficient: number | null;
  /** the limit54 condition: enough recent cases for an alarm (R reports NA bounds otherwise) */
  enoughCases: boolean;
}

export function resolveFarringtonParams(params: Partial<FarringtonParams> = {}): FarringtonParams {
  const p: FarringtonParams = { ...NOUFAILY_DEFAULTS, ...params, glmControl: { ...params.glmControl } };
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new FarringtonParamError(`${name} must be an integer ≥ ${min}, got ${v}`);
  };
  int('b', p.b, 1);
  int('w', p.w, 0);
  int('noPeriods', p.noPeriods, 1);
  if (p.pastWeeksNotIncluded !== null) int('pastWeeksNotIncluded', p.pastWeeksNotIncluded, 0);
  if (!(p.alpha > 0 && p.alpha < 1)) throw new FarringtonParamError(`alpha must be in (0, 1), got ${p.alpha}`);
  if (!(p.weightsThreshold > 0)) throw new FarringtonParamError('weightsThreshold must be > 0');
  if (!(p.pThresholdTrend >= 0 && p.pThresholdTrend <= 1)) throw new FarringtonParamError('pThresholdTrend must be in [0, 1]');
  if (p.limit54.length !== 2 || !(p.limit54[0] >= 0) || !(p.limit54[1] >= 1) || !Number.isInteger(p.limit54[1])) {
    throw new FarringtonParamError('limit54 must be [cases ≥ 0, weeks ≥ 1]');
  }
  if (!['nbPlugin', 'muan', 'delta'].includes(p.thresholdMethod)) throw new FarringtonParamError(`unknown thresholdMethod ${p.thresholdMethod}`);
  if (!['none', '1/2', '2/3'].includes(p.powertrans)) throw new FarringtonParamError(`unknown powertrans ${p.powertrans}`);
  if (!['calendar', 'weeks52'].includes(p.yearLag)) throw new FarringtonParamError(`unknown yearLag ${p.yearLag}`);
  return p;
}

/**
 * Indices of the current week (first) and of its b reference weeks, or null when
 * some reference week lies before the start of the series.
 */
export function referenceIndices(k: number, firstDay: number, b: number, yearLag: YearLag): number[] | null {
  const out = new Int32Array(b + 1);
  return setReferenceIndices(k, firstDay, b, yearLag, out) ? Array.from(out) : null;
}

/** `referenceIndices` into `out` (length > b); false when some reference week lies before the series. */
function setReferenceIndices(k: number, firstDay: number, b: number, yearLag: YearLag, out: Int32Array): boolean {
  const day = firstDay + 7 * k;
  out[0] = k;
  // the oldest first: most weeks without enough history fail on it
  for (let i = b; i >= 1; i--) {
    const idx = yearLag === 'calendar' ? (sameWeekdayYearsBefore(day, i) - firstDay) / 7 : k - 52 * i;
    if (idx < 0) return false;
    out[i] = idx;
  }
  return true;
}

/** First week index that has the b years of history Farrington needs (or null if none). */
export function firstFarringtonIndex(length: number, firstDay: number, params: Partial<FarringtonParams> = {}): number | null {
  const p = resolveFarringtonParams(params);
  const ref = new Int32Array(p.b + 1);
  for (let k = 0; k < length; k++) if (setReferenceIndices(k, firstDay, p.b, p.yearLag, ref)) return k;
  return null;
}

interface FlexibleFit {
  fit: GroupedTrendFit;
  phi: number;
  /** dispersion as the package's later summary()/predict() see it */
  laterDispersion: number;
}

/** y^(2/3) for small counts (the same values as Math.pow). */
const Y23_SMALL = 256;
const Y23 = Float64Array.from({ length: Y23_SMALL }, (_, y) => Math.pow(y, 2 / 3));

/**
 * Runs farringtonFlexible over a regular weekly series.
 * @param counts  one count per week (NaN = missing week, left out of the fit)
 * @param firstDay epoch day (days since 1970-01-01) of the first week
 * @param from    first week index to evaluate (default: the first with enough history)
 * @returns one point per week from `from` that has enough history and a fittable model
 */
export function farringtonFlexible(
  counts: ArrayLike<number>,
  firstDay: number,
  params: Partial<FarringtonParams> = {},
  from = 0,
): FarringtonPoint[] {
  const p = resolveFarringtonParams(params);
  const n = counts.length;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (!Number.isNaN(c) && !(c >= 0 && Number.isFinite(c))) throw new FarringtonParamError(`invalid count at week ${i}: ${c}`);
  }
  const z = qnorm(1 - p.alpha);
  const pwni = p.pastWeeksNotIncluded ?? p.w;
  const levels = new Int16Array(n);
  const out: FarringtonPoint[] = [];
  // what the fits need from each week's count, computed once per series: the
  // IRLS's per-row constants (setRowConstants) and y^(2/3) for the residuals
  const c1 = new Float64Array(n);
  const c2 = new Float64Array(n);
  const z0 = new Float64Array(n);
  const y23 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = counts[j]!;
    if (Number.isNaN(c)) continue;
    setRowConstants(c, j, c1, c2, z0);
    y23[j] = c < Y23_SMALL && Number.isInteger(c) ? Y23[c]! : Math.pow(c, 2 / 3);
  }
  // scratch buffers, sized for the largest possible reference set
  const ref = new Int32Array(p.b + 1);
  const perLevel = new Int32Array(p.noPeriods + 1);
  const groupOf = new Int32Array(p.noPeriods + 1);
  const fillAt = new Int32Array(p.noPeriods + 1);
  const rows = new GroupedRows(n, p.noPeriods);
  const work: Work = {
    omega: new Float64Array(n),
    fit: new Float64Array(2 * n + 3 * p.noPeriods + 1),
    y23: new Float64Array(n),
  };

  for (let k = Math.max(0, from); k < n; k++) {
    if (!setReferenceIndices(k, firstDay, p.b, p.yearLag, ref)) continue;
    const oldest = ref[p.b]!;
    const lo = Math.max(0, oldest - p.w);
    levels.fill(0, lo, k + 1);
    // seasonal factor ("blocks")
    for (let j = Math.max(lo, k - p.w); j <= k; j++) levels[j] = p.noPeriods;
    for (let i = 1; i <= p.b; i++) {
      const r = ref[i]!;
      for (let j = Math.max(0, r - p.w); j <= r + p.w; j++) levels[j] = p.noPeriods;
      if (p.noPeriods !== 1) {
        const period = ref[i - 1]! - 2 * p.w - 1 - r;
        if (period < p.noPeriods - 1) {
          throw new FarringtonParamError(
            `noPeriods = ${p.noPeriods} is too large: only ${period} weeks lie between two reference windows`,
          );
        }
        const base = Math.floor(period / (p.noPeriods - 1));
        const rest = period % (p.noPeriods - 1);
        let pos = r + p.w + 1;
        for (let lev = 1; lev < p.noPeriods; lev++) {
          const len = base + (lev <= rest ? 1 : 0);
          for (let j = pos; j < pos + len; j++) levels[j] = lev;
          pos += len;
        }
      }
    }
    const exclFrom = Math.max(0, k - pwni);
    // the reference data: weeks with a level and a count; the time is counted
    // from the first week with a level
    let m = 0;
    let first = -1;
    let last = -1;
    let maxY = -Infinity;
    perLevel.fill(0);
    for (let j = lo; j < exclFrom; j++) {
      const lev = levels[j]!;
      if (lev === 0) continue;
      if (first < 0) first = j;
      const c = counts[j]!;
      if (Number.isNaN(c)) continue;
      perLevel[lev] = perLevel[lev]! + 1;
      if (c > maxY) maxY = c;
      last = j;
      m++;
    }
    if (m === 0 || perLevel[p.noPeriods]! === 0) continue;
    // the rows in group order (a group per level present, in level order; the
    // weeks of a group in time order), each with its week's constants
    let groups = 0;
    const start = rows.start;
    start[0] = 0;
    for (let lev = 1; lev <= p.noPeriods; lev++) {
      if (perLevel[lev]! === 0) continue;
      groupOf[lev] = groups;
      fillAt[lev] = start[groups]!;
      start[groups + 1] = start[groups]! + perLevel[lev]!;
      groups++;
    }
    const { y, group: g, t, tf } = rows;
    const y23s = work.y23;
    for (let j = lo; j < exclFrom; j++) {
      const lev = levels[j]!;
      if (lev === 0) continue;
      const c = counts[j]!;
      if (Number.isNaN(c)) continue;
      const at = fillAt[lev]!;
      fillAt[lev] = at + 1;
      y[at] = c;
      g[at] = groupOf[lev]!;
      t[at] = j - first;
      tf[at] = j - first;
      rows.c1[at] = c1[j]!;
      rows.c2[at] = c2[j]!;
      rows.z0[at] = z0[j]!;
      y23s[at] = y23[j]!;
    }
    rows.n = m;
    rows.groups = groups;
    rows.tmax = last - first;
    const target = groupOf[p.noPeriods]!;
    const t0 = k - first;

    let model = fitFlexible(rows, p.trend, p, work);
    if (!model) continue;
    let doTrend = false;
    if (model.fit.hasTrend) {
      const pr = model.fit.predict(target, t0);
      const predResponse = Math.max(Math.exp(pr.eta), 2.220446049250313e-16);
      const beta = model.fit.coefficients[groups]!;
      const se = Math.sqrt(model.laterDispersion * model.fit.trendVarianceUnscaled());
      const tStat = Math.abs(beta / se);
      // p < 1 ⇔ t ≠ 0, so the t distribution is only needed for thresholds below 1
      const significant =
        p.pThresholdTrend >= 1 ? tStat > 0 : 2 * pt(-tStat, model.fit.dfResidual) < p.pThresholdTrend;
      doTrend = p.b >= 3 && significant && predResponse <= maxY;
      if (!doTrend) {
        model = fitFlexible(rows, false, p, work);
        if (!model) continue;
      }
    }
    const { fit, phi } = model;
    const pr = fit.predict(target, t0);
    const eta0 = pr.eta;
    const seEta0 = Math.sqrt(pr.varUnscaled * model.laterDispersion);
    const yk = counts[k]!;

    let upperBound: number;
    let expected: number;
    let fitForScore: number;
    if (p.thresholdMethod === 'delta') {
      const mu0 = Math.max(Math.exp(eta0), 2.220446049250313e-16);
      const seMu = seEta0 * mu0;
      const tau = phi + (seMu * seMu) / mu0;
      let se: number;
      let e: number;
      if (p.powertrans === 'none') {
        se = Math.sqrt(mu0 * tau);
        e = 1;
      } else if (p.powertrans === '1/2') {
        se = Math.sqrt(tau / 4);
        e = 1 / 2;
      } else {
        se = Math.sqrt((4 / 9) * Math.pow(mu0, 1 / 3) * tau);
        e = 2 / 3;
      }
      upperBound = Math.pow(Math.pow(mu0, e) + z * se, 1 / e);
      expected = mu0;
      fitForScore = mu0;
    } else {
      const mu0 = p.thresholdMethod === 'nbPlugin' ? Math.exp(eta0) : Math.exp(eta0 + z * seEta0);
      if (!Number.isFinite(mu0)) continue; // the package returns NA
      upperBound = phi > 1 ? qnbinom(1 - p.alpha, mu0 / (phi - 1), 1 / phi) : qpois(1 - p.alpha, mu0);
      expected = Math.exp(eta0);
      fitForScore = eta0;
    }
    if (Number.isNaN(upperBound)) continue;
    let recent = 0;
    for (let j = Math.max(0, k - p.limit54[1] + 1); j <= k; j++) {
      const c = counts[j]!;
      if (!Number.isNaN(c)) recent += c;
    }
    const enoughCases = recent >= p.limit54[0];
    const score = Number.isNaN(yk) ? Number.NaN : (yk - fitForScore) / (upperBound - fitForScore);
    out.push({
      index: k,
      count: yk,
      expected,
      upperBound,
      alarm: enoughCases && score > 1 && yk !== 0,
      score,
      phi,
      trend: doTrend,
      trendCoefficient: doTrend ? fit.coefficients[groups]! : null,
      enoughCases,
    });
  }
  return out;
}

/** Per-series scratch buffers (one week is processed at a time). */
interface Work {
  omega: Float64Array;
  /** result storage for the GLM fits; each fit is used up before the next one */
  fit: Float64Array;
  /** y^(2/3) of each row */
  y23: Float64Array;
}

/** The package's `algo.farrington.fitGLM.flexible`: fit, then (optionally) reweight and refit. */
function fitFlexible(rows: GroupedRows, trend: boolean, p: FarringtonParams, work: Work): FlexibleFit | null {
  const storage = work.fit;
  const y = rows.y;
  let fit = fitGroupedRows(rows, null, trend, p.glmControl, storage);
  if (!fit.converged) {
    if (trend) fit = fitGroupedRows(rows, null, false, p.glmControl, storage);
    if (!fit.converged) return null;
  }
  let phi = Math.max(fit.dispersion, 1);
  if (!p.reweight) return { fit, phi, laterDispersion: fit.dispersion };
  // standardised Anscombe residuals (anscombeResiduals in glm.ts, fused with the weights)
  const m = rows.n;
  const s = work.omega;
  groupedAnscombeResiduals(fit, rows, work.y23, phi, s);
  let sumInv = 0;
  for (let i = 0; i < m; i++) {
    const si = s[i]!;
    sumInv += si > p.weightsThreshold ? 1 / (si * si) : 1;
  }
  // algo.farrington.assign.weights: ω ∝ s⁻² above the threshold, ∝ 1 otherwise, mean 1
  let outliers = 0;
  const gamma = m / sumInv;
  const omega = s;
  for (let i = 0; i < m; i++) {
    const si = s[i]!;
    if (si > p.weightsThreshold) {
      omega[i] = gamma / (si * si);
      outliers++;
    } else {
      omega[i] = gamma;
    }
  }
  // With no residual above the threshold every ω is exactly 1 and the refit
  // would repeat the first fit step for step: keep it.
  if (outliers > 0) {
    fit = fitGroupedRows(rows, omega, fit.hasTrend, p.glmControl, storage, gamma);
    phi = Math.max(fit.dispersion, 1);
  }
  // The package then sets model$weights <- omega, so summary()/predict() see Σ ω r² / df.
  let ss = 0;
  const mu2 = fit.fitted;
  for (let i = 0; i < m; i++) {
    const o = omega[i]!;
    if (o > 0) {
      const r = (y[i]! - mu2[i]!) / mu2[i]!;
      ss += o * r * r;
    }
  }
  return { fit, phi, laterDispersion: fit.dfResidual > 0 ? ss / fit.dfResidual : Number.NaN };
}

/**
 * `algo.farrington.assign.weights`: ω ∝ s⁻² above the threshold, ∝ 1 otherwise,
 * scaled so that the weights sum to the number of observations.
 */
export function surveillanceWeights(s: ArrayLike<number>, threshold: number): Float64Array {
  const n = s.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = s[i]!;
    sum += v > threshold ? 1 / (v * v) : 1;
  }
  const gamma = n / sum;
  const omega = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = s[i]!;
    omega[i] = v > threshold ? gamma / (v * v) : gamma;
  }
  return omega;
}
