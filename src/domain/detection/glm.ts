/**
 * Poisson and quasi-Poisson generalised linear models with log link, fitted by
 * iteratively reweighted least squares (IRLS) following R's `glm.fit` step by
 * step: the same starting values (μ = y + 0.1, or `start`), the same
 * convergence rule (|dev − dev_old| / (|dev| + 0.1) < ε, ε = 1e-8, at most 25
 * iterations), the same μ floor (machine ε), step halving on a non-finite
 * deviance, and — like R — the working weights, covariance and leverages
 * reported are those of the last weighted least-squares solve.
 *
 * Two designs share the IRLS loop:
 * - `fitGlm`: any dense model matrix (p ≤ ~15), solved by Householder QR with
 *   R's limited pivoting, so aliased coefficients are reported as R does (NaN);
 * - `fitGroupedTrendGlm`: the model `log μ = α[group] + β·t` (or without the
 *   trend), which is the Farrington flexible model `1 + wtime + seasgroups`
 *   reparametrised with one intercept per group. Its normal equations are solved
 *   in closed form in O(n), which is what makes detection over thousands of
 *   series fast. Fitted values, leverages, predictions and the trend's standard
 *   error are invariant to that reparametrisation.
 */
import {
  aliasedColumns,
  householderQr,
  qrCoefficients,
  qrHatDiagonal,
  qrUnscaledCovariance,
  type Qr,
} from './linalg';
import { pnormUpper, pt } from './distributions';

export type GlmFamily = 'poisson' | 'quasipoisson';

export interface GlmControl {
  /** Convergence tolerance on the relative change in deviance (R: 1e-8). */
  epsilon?: number;
  /** Maximum IRLS iterations (R: 25). */
  maxit?: number;
}

export interface GlmOptions extends GlmControl {
  family?: GlmFamily;
  /** Prior weights (R's `weights =`); rows with weight 0 are left out of the fit. */
  weights?: ArrayLike<number>;
  /** Offset on the linear-predictor scale, e.g. log(population). */
  offset?: ArrayLike<number>;
  /** Starting coefficients (R's `start =`); default μ = y + 0.1. */
  start?: ArrayLike<number>;
}

/** A dense model matrix, row-major: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  const data = new Float64Array(r * c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new RangeError(`row ${i} has ${row.length} columns, expected ${c}`);
    data.set(row, i * c);
  });
  return { rows: r, cols: c, data };
}

export class GlmError extends Error {
  override name = 'GlmError';
}

const DBL_EPSILON = 2.220446049250313e-16;
const QR_TOL = 1e-11; // glm.fit: min(1e-7, epsilon / 1000)

/** What every IRLS design must provide: a weighted least-squares solve and Xβ. */
interface WlsDesign {
  readonly n: number;
  readonly p: number;
  /** Solves the WLS problem with weights w (0 = row left out); aliased coefficients are 0. */
  solve(w: Float64Array, z: Float64Array): Float64Array;
  linearPredictor(coef: Float64Array, out: Float64Array): void;
}

interface IrlsResult {
  coef: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  /** working weights of the last solve (R's `$weights`) */
  w: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  boundary: boolean;
  nOk: number;
}

function validateResponse(y: ArrayLike<number>, n: number): void {
  if (y.length !== n) throw new GlmError(`response has ${y.length} values, design has ${n} rows`);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!(v >= 0) || !Number.isFinite(v)) throw new GlmError(`negative or non-finite response at row ${i}: ${v}`);
  }
}

function poissonDeviance(y: ArrayLike<number>, mu: Float64Array, prior: ArrayLike<number>): number {
  let dev = 0;
  for (let i = 0; i < mu.length; i++) {
    const yi = y[i]!;
    const m = mu[i]!;
    const wi = prior[i]!;
    dev += yi > 0 ? wi * (yi * Math.log(yi / m) - (yi - m)) : wi * m;
  }
  return 2 * dev;
}

const LOG_DBL_EPSILON = Math.log(DBL_EPSILON);

/**
 * μ = max(exp(η), ε) (R's log-link `linkinv`) and the Poisson deviance in one
 * pass, using log μ = η (no logarithm per row) with y·log y precomputed.
 */
function linkinvDeviance(
  eta: Float64Array,
  mu: Float64Array,
  y: ArrayLike<number>,
  ylogy: Float64Array,
  prior: ArrayLike<number>,
): number {
  let dev = 0;
  for (let i = 0; i < eta.length; i++) {
    const h = eta[i]!;
    const e = Math.exp(h);
    const floored = !(e > DBL_EPSILON);
    const m = floored ? DBL_EPSILON : e;
    mu[i] = m;
    const yi = y[i]!;
    const wi = prior[i]!;
    dev += yi > 0 ? wi * (ylogy[i]! - yi * (floored ? LOG_DBL_EPSILON : h) - yi + m) : wi * m;
  }
  return 2 * dev;
}

function irls(
  design: WlsDesign,
  y: ArrayLike<number>,
  prior: ArrayLike<number>,
  offset: ArrayLike<number> | undefined,
  start: ArrayLike<number> | undefined,
  control: GlmControl,
): IrlsResult {
  const { n, p } = design;
  const epsilon = control.epsilon ?? 1e-8;
  const maxit = control.maxit ?? 25;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  let nOk = 0;
  for (let i = 0; i < n; i++) if (prior[i]! !== 0) nOk++;
  const ylogy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (yi > 0) ylogy[i] = yi * Math.log(yi);
  }

  let coefold: Float64Array | null = null;
  let devold: number;
  if (start) {
    if (start.length !== p) throw new GlmError(`start has ${start.length} values, design has ${p} columns`);
    coefold = Float64Array.from(start);
    design.linearPredictor(coefold, eta);
    if (offset) for (let i = 0; i < n; i++) eta[i] = eta[i]! + offset[i]!;
    devold = linkinvDeviance(eta, mu, y, ylogy, prior);
  } else {
    // poisson()$initialize: mustart <- y + 0.1; eta <- linkfun(mustart)
    for (let i = 0; i < n; i++) {
      mu[i] = y[i]! + 0.1;
      eta[i] = Math.log(mu[i]!);
    }
    devold = poissonDeviance(y, mu, prior);
  }
  let dev = devold;
  let coef = coefold ?? new Float64Array(p);
  let converged = false;
  let boundary = false;
  let iter = 1;
  for (; iter <= maxit; iter++) {
    // log link: dμ/dη = max(exp(η), ε) = μ and V(μ) = μ, so z = η + (y − μ)/μ and w = prior·μ
    for (let i = 0; i < n; i++) {
      const pw = prior[i]!;
      if (pw > 0) {
        const m = mu[i]!;
        z[i] = eta[i]! - (offset ? offset[i]! : 0) + (y[i]! - m) / m;
        w[i] = pw * m;
      } else {
        z[i] = 0;
        w[i] = 0;
      }
    }
    coef = design.solve(w, z);
    design.linearPredictor(coef, eta);
    if (offset) for (let i = 0; i < n; i++) eta[i] = eta[i]! + offset[i]!;
    dev = linkinvDeviance(eta, mu, y, ylogy, prior);
    if (!Number.isFinite(dev)) {
      if (!coefold) throw new GlmError('no valid set of coefficients has been found: please supply starting values');
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxit) throw new GlmError('inner loop 1; cannot correct step size');
        ii++;
        for (let j = 0; j < p; j++) coef[j] = (coef[j]! + coefold[j]!) / 2;
        design.linearPredictor(coef, eta);
        if (offset) for (let i = 0; i < n; i++) eta[i] = eta[i]! + offset[i]!;
        dev = linkinvDeviance(eta, mu, y, ylogy, prior);
      }
      boundary = true;
    }
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
    coefold = Float64Array.from(coef);
  }
  return { coef, eta, mu, w, deviance: dev, iterations: Math.min(iter, maxit), converged, boundary, nOk };
}

/** R's dispersion estimate from `summary.glm`: Σ w·r² over w > 0, divided by the residual df. */
function rDispersion(w: ArrayLike<number>, res: Float64Array, df: number): number {
  if (df <= 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < res.length; i++) {
    const wi = w[i]!;
    if (wi > 0) s += wi * res[i]! * res[i]!;
  }
  return s / df;
}

/** (y − μ)/(dμ/dη); with the log link dμ/dη = max(exp(η), ε) = μ. */
function workingResiduals(y: ArrayLike<number>, mu: Float64Array): Float64Array {
  const r = new Float64Array(mu.length);
  for (let i = 0; i < mu.length; i++) r[i] = (y[i]! - mu[i]!) / mu[i]!;
  return r;
}

// ---------------------------------------------------------------------------
// Dense design

class DenseDesign implements WlsDesign {
  readonly n: number;
  readonly p: number;
  lastQr: Qr | null = null;
  constructor(readonly x: Matrix) {
    this.n = x.rows;
    this.p = x.cols;
  }
  solve(w: Float64Array, z: Float64Array): Float64Array {
    const { n, p } = this;
    const a = new Float64Array(n * p);
    const b = new Float64Array(n);
    const xd = this.x.data;
    for (let i = 0; i < n; i++) {
      const sw = Math.sqrt(w[i]!);
      b[i] = z[i]! * sw;
      for (let j = 0; j < p; j++) a[i + j * n] = xd[i * p + j]! * sw;
    }
    const f = householderQr(a, n, p, QR_TOL);
    this.lastQr = f;
    return qrCoefficients(f, b);
  }
  linearPredictor(coef: Float64Array, out: Float64Array): void {
    const { n, p } = this;
    const xd = this.x.data;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += xd[i * p + j]! * coef[j]!;
      out[i] = s;
    }
  }
}

export interface CoefficientTest {
  estimate: number;
  stdError: number;
  /** z (Poisson) or t (quasi-Poisson) statistic */
  statistic: number;
  /** two-sided p-value: normal for Poisson, Student t on dfResidual for quasi-Poisson */
  pValue: number;
}

export interface GlmFit {
  family: GlmFamily;
  /** Coefficients in the design's column order; NaN where aliased. */
  coefficients: Float64Array;
  aliased: boolean[];
  rank: number;
  fitted: Float64Array;
  linearPredictors: Float64Array;
  /** Working weights of the final IRLS solve (R's `fit$weights`). */
  workingWeights: Float64Array;
  /** (y − μ)/μ (R's `fit$residuals`). */
  workingResiduals: Float64Array;
  priorWeights: Float64Array;
  deviance: number;
  dfResidual: number;
  iterations: number;
  converged: boolean;
  /** 1 for Poisson; Pearson χ²/(n − p) for quasi-Poisson (R's `summary(fit)$dispersion`). */
  dispersion: number;
  /** Pearson χ² as R computes it: Σ working weight × working residual². */
  pearsonChi2: number;
  /** (X'WX)⁻¹, p × p row-major; NaN rows/columns for aliased coefficients. */
  covUnscaled: Float64Array;
  /** dispersion × covUnscaled (R's `vcov(fit)`). */
  covScaled: Float64Array;
  /** Leverages (R's `hatvalues(fit)`). */
  hat: Float64Array;
  /** Coefficient table as `summary.glm` prints it (NaN rows for aliased). */
  tests: CoefficientTest[];
}

/**
 * Fits a Poisson or quasi-Poisson GLM with log link to the model matrix `x`
 * (include a column of ones for an intercept). Throws `GlmError` on invalid input.
 */
export function fitGlm(x: Matrix, y: ArrayLike<number>, options: GlmOptions = {}): GlmFit {
  const n = x.rows;
  const p = x.cols;
  validateResponse(y, n);
  if (x.data.length !== n * p) throw new GlmError('model matrix data has the wrong length');
  const prior = options.weights ? Float64Array.from(options.weights) : new Float64Array(n).fill(1);
  if (prior.length !== n) throw new GlmError('weights have the wrong length');
  for (const v of prior) if (!(v >= 0) || !Number.isFinite(v)) throw new GlmError('weights must be finite and non-negative');
  if (options.offset && options.offset.length !== n) throw new GlmError('offset has the wrong length');
  const family = options.family ?? 'poisson';
  const design = new DenseDesign(x);
  const r = irls(design, y, prior, options.offset, options.start, options);
  const f = design.lastQr;
  if (!f) throw new GlmError('no iterations were run');
  const aliased = aliasedColumns(f);
  const coefficients = Float64Array.from(r.coef, (v, j) => (aliased[j] ? Number.NaN : v));
  const res = workingResiduals(y, r.mu);
  const dfResidual = r.nOk - f.rank;
  const pearsonChi2 = rDispersion(r.w, res, 1);
  const dispersion = family === 'poisson' ? 1 : rDispersion(r.w, res, dfResidual);
  const covUnscaled = qrUnscaledCovariance(f);
  const covScaled = covUnscaled.map((v) => v * dispersion);
  const tests: CoefficientTest[] = [];
  for (let j = 0; j < p; j++) {
    const estimate = coefficients[j]!;
    const stdError = Math.sqrt(covScaled[j * p + j]!);
    const statistic = estimate / stdError;
    const pValue =
      family === 'poisson' ? 2 * pnormUpper(Math.abs(statistic)) : 2 * pt(-Math.abs(statistic), dfResidual);
    tests.push({ estimate, stdError, statistic, pValue });
  }
  return {
    family,
    coefficients,
    aliased,
    rank: f.rank,
    fitted: r.mu,
    linearPredictors: r.eta,
    workingWeights: r.w,
    workingResiduals: res,
    priorWeights: prior,
    deviance: r.deviance,
    dfResidual,
    iterations: r.iterations,
    converged: r.converged,
    dispersion,
    pearsonChi2,
    covUnscaled,
    covScaled,
    hat: qrHatDiagonal(f),
    tests,
  };
}

/**
 * Prediction on the link scale for a new row `x0`: η₀ = x₀'β (+ offset) and its
 * standard error √(x₀' V x₀ · dispersion) (R's `predict.glm(type = "link", se.fit = TRUE)`).
 */
export function predictLink(
  fit: GlmFit,
  x0: ArrayLike<number>,
  offset = 0,
  dispersion = fit.dispersion,
): { fit: number; seFit: number } {
  const p = fit.coefficients.length;
  if (x0.length !== p) throw new GlmError(`new row has ${x0.length} values, model has ${p} coefficients`);
  let eta = offset;
  let v = 0;
  for (let a = 0; a < p; a++) {
    if (fit.aliased[a]) continue;
    eta += x0[a]! * fit.coefficients[a]!;
    for (let b = 0; b < p; b++) {
      if (fit.aliased[b]) continue;
      v += x0[a]! * fit.covUnscaled[a * p + b]! * x0[b]!;
    }
  }
  return { fit: eta, seFit: Math.sqrt(v * dispersion) };
}

/** Pearson residuals √w·(y − μ)/√μ. */
export function pearsonResiduals(fit: GlmFit, y: ArrayLike<number>): Float64Array {
  return Float64Array.from(fit.fitted, (m, i) => ((y[i]! - m) * Math.sqrt(fit.priorWeights[i]!)) / Math.sqrt(m));
}

/** Deviance residuals sign(y − μ)·√dᵢ. */
export function devianceResiduals(fit: GlmFit, y: ArrayLike<number>): Float64Array {
  return Float64Array.from(fit.fitted, (m, i) => {
    const yi = y[i]!;
    const wi = fit.priorWeights[i]!;
    const d = 2 * (yi > 0 ? wi * (yi * Math.log(yi / m) - (yi - m)) : wi * m);
    return Math.sign(yi - m) * Math.sqrt(Math.max(d, 0));
  });
}

/**
 * Standardised Anscombe residuals for the Poisson family as `surveillance`
 * computes them (`anscombe.residuals(m, phi)`):
 * 3/2 · (y^{2/3} μ^{−1/6} − μ^{1/2}) / √(φ (1 − h)).
 */
export function anscombeResiduals(
  y: ArrayLike<number>,
  mu: ArrayLike<number>,
  hat: ArrayLike<number>,
  phi: number,
  out: Float64Array = new Float64Array(mu.length),
): Float64Array {
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    const a = 1.5 * (Math.pow(y[i]!, 2 / 3) * Math.pow(m, -1 / 6) - Math.sqrt(m));
    out[i] = a / Math.sqrt(phi * (1 - hat[i]!));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Grouped intercepts + common trend: log μᵢ = α[gᵢ] + β tᵢ

export interface GroupedTrendInput {
  y: ArrayLike<number>;
  /** group index 0 … groups − 1 of each row */
  group: ArrayLike<number>;
  groups: number;
  /** time covariate (used only when `trend`) */
  t: ArrayLike<number>;
  trend: boolean;
  /** prior weights (default 1) */
  weights?: ArrayLike<number>;
  /** starting coefficients [α₀ … α_{G−1}, β] (β omitted without trend) */
  start?: ArrayLike<number>;
  /**
   * Storage for the result's arrays (length ≥ 2n + 3·groups + 1). The fit's arrays
   * are then views into it, valid until the caller reuses it — for hot loops.
   */
  storage?: Float64Array;
}

export interface GroupedTrendFit {
  /** [α₀ … α_{G−1}, β]; NaN for groups without data (and β when aliased). */
  coefficients: Float64Array;
  hasTrend: boolean;
  rank: number;
  fitted: Float64Array;
  /** Working weights of the last solve (R's `fit$weights`). */
  workingWeights: Float64Array;
  deviance: number;
  dfResidual: number;
  iterations: number;
  converged: boolean;
  /** Pearson χ²/(n − p) computed as R's summary.glm does (quasi-Poisson). */
  dispersion: number;
  linearPredictors(): Float64Array;
  /** (y − μ)/μ (R's `fit$residuals`). */
  workingResiduals(): Float64Array;
  /** Leverages of the final weighted fit (R's `hatvalues`), written into `out` if given. */
  hat(out?: Float64Array): Float64Array;
  /** Unscaled variance of the trend coefficient, 1 / Σ w (t − t̄_g)². */
  trendVarianceUnscaled(): number;
  /** Linear predictor for group g at time t₀ and its unscaled variance x₀'(X'WX)⁻¹x₀. */
  predict(g: number, t0: number): { eta: number; varUnscaled: number };
}

/** The last solve's weights per group: Σw, weighted mean time, within-group Σw(t − t̄)². */
interface GroupStats {
  a: Float64Array;
  tbar: Float64Array;
  s: number;
  /** Σ w t² (scale for the aliasing test) */
  c: number;
  nOk: number;
  /** Σ w r² with r the working residuals, when already computed */
  pearson?: number;
}

function groupStats(input: GroupedTrendInput, w: Float64Array): GroupStats {
  const { y, group, groups: G, t, trend, weights } = input;
  const n = y.length;
  const a = new Float64Array(G);
  const tbar = new Float64Array(G);
  let nOk = 0;
  for (let i = 0; i < n; i++) {
    if (!weights || weights[i]! !== 0) nOk++;
    const wi = w[i]!;
    if (wi === 0) continue;
    const g = group[i]!;
    a[g] = a[g]! + wi;
    if (trend) tbar[g] = tbar[g]! + wi * t[i]!;
  }
  for (let g = 0; g < G; g++) if (a[g]! > 0) tbar[g] = tbar[g]! / a[g]!;
  let s = 0;
  let c = 0;
  if (trend) {
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const dt = t[i]! - tbar[group[i]!]!;
      s += wi * dt * dt;
      c += wi * t[i]! * t[i]!;
    }
  }
  return { a, tbar, s, c, nOk };
}

/** Builds the fit object from the final coefficients, μ, and the weights of the last solve. */
function buildGroupedFit(
  input: GroupedTrendInput,
  coef: Float64Array,
  w: Float64Array,
  mu: Float64Array,
  deviance: number,
  iterations: number,
  converged: boolean,
  stats: GroupStats,
): GroupedTrendFit {
  const { y, groups: G, trend } = input;
  const n = y.length;
  const { a, s, c, nOk } = stats;
  const trendAliased = trend && !(s > 1e-22 * c);
  const useTrend = trend && !trendAliased;
  let rank = useTrend ? 1 : 0;
  for (let g = 0; g < G; g++) if (a[g]! > 0) rank++;
  for (let j = 0; j < coef.length; j++) if ((j < G && !(a[j]! > 0)) || (j === G && trendAliased)) coef[j] = Number.NaN;
  const dfResidual = nOk - rank;
  let pearson = stats.pearson ?? 0;
  if (stats.pearson === undefined) {
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi > 0) {
        const r = (y[i]! - mu[i]!) / mu[i]!;
        pearson += wi * r * r;
      }
    }
  }
  return new GroupedFit(input, coef, useTrend, rank, mu, w, deviance, dfResidual, iterations, converged, pearson, stats);
}

/** The fit of the grouped model (a class, so a fit allocates no closures). */
class GroupedFit implements GroupedTrendFit {
  readonly dispersion: number;
  private readonly beta: number;
  constructor(
    private readonly input: GroupedTrendInput,
    readonly coefficients: Float64Array,
    readonly hasTrend: boolean,
    readonly rank: number,
    readonly fitted: Float64Array,
    readonly workingWeights: Float64Array,
    readonly deviance: number,
    readonly dfResidual: number,
    readonly iterations: number,
    readonly converged: boolean,
    pearson: number,
    /** the last solve's per-group sums (leverages, predictions) */
    readonly stats: GroupStats,
  ) {
    this.dispersion = dfResidual > 0 ? pearson / dfResidual : Number.NaN;
    this.beta = hasTrend ? coefficients[input.groups]! : 0;
  }

  linearPredictors(): Float64Array {
    const { group, t } = this.input;
    const coef = this.coefficients;
    return Float64Array.from(this.fitted, (_, i) => coef[group[i]!]! + (this.hasTrend ? this.beta * t[i]! : 0));
  }

  workingResiduals(): Float64Array {
    return workingResiduals(this.input.y, this.fitted);
  }

  hat(out: Float64Array = new Float64Array(this.fitted.length)): Float64Array {
    const { group, t } = this.input;
    const { a, tbar, s } = this.stats;
    const w = this.workingWeights;
    const n = this.fitted.length;
    const useTrend = this.hasTrend;
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      if (wi === 0) {
        out[i] = 0;
        continue;
      }
      const g = group[i]!;
      let v = 1 / a[g]!;
      if (useTrend) {
        const dt = t[i]! - tbar[g]!;
        v += (dt * dt) / s;
      }
      out[i] = wi * v;
    }
    return out;
  }

  trendVarianceUnscaled(): number {
    return this.hasTrend ? 1 / this.stats.s : Number.NaN;
  }

  predict(g: number, t0: number): { eta: number; varUnscaled: number } {
    const { a, tbar, s } = this.stats;
    if (!(a[g]! > 0)) return { eta: Number.NaN, varUnscaled: Number.NaN };
    let e = this.coefficients[g]!;
    let v = 1 / a[g]!;
    if (this.hasTrend) {
      e += this.beta * t0;
      const dt = t0 - tbar[g]!;
      v += (dt * dt) / s;
    }
    return { eta: e, varUnscaled: v };
  }
}

function checkGrouped(input: GroupedTrendInput): void {
  const n = input.y.length;
  if (input.group.length !== n || (input.trend && input.t.length !== n)) {
    throw new GlmError('y, group and t must have the same length');
  }
  if (input.weights && input.weights.length !== n) throw new GlmError('weights have the wrong length');
  if (input.start && input.start.length !== input.groups + (input.trend ? 1 : 0)) {
    throw new GlmError('start has the wrong length');
  }
}

/**
 * Quasi-Poisson fit of log μ = α[group] + β·t (β only when `trend`), the
 * Farrington flexible model. The IRLS iterates are those of `fitGlm` on the
 * equivalent dense design (intercept + trend + treatment-coded factor): same
 * start (μ = y + 0.1), same convergence rule.
 *
 * Fast path: with the log link, every quantity the weighted least-squares step
 * needs is a per-group sum of pᵢ·exp(β tᵢ)·tᵢᵏ (k = 0, 1, 2) times exp(α_g), and
 * the deviance follows from the same sums, so an iteration is one pass of three
 * multiply-adds per row with exp(β t) tabulated over the integer times — or per
 * run of consecutive times (`trendSumsByRuns`). The rows are sorted by group first
 * (`GroupedRows`; `fitGroupedRows` takes rows already in that order). When the
 * times are not small non-negative integers, or a fitted value would hit R's
 * floor of machine ε, the row-by-row path (`fitGroupedTrendGlmExact`) is used.
 */
export function fitGroupedTrendGlm(input: GroupedTrendInput, control: GlmControl = {}): GroupedTrendFit {
  checkGrouped(input);
  return fitGroupedFast(input, control) ?? fitGroupedTrendGlmExact(input, control);
}

const TABLE_MAX = 4096;
const EXP_SHIFT = 5;
const EXP_BLOCK = 1 << EXP_SHIFT;
const EXP_MASK = EXP_BLOCK - 1;

/**
 * exp(β·t) = hi[t >> 5] · lo[t & 31] for t = 0 … tmax: lo[r] = exp(β)^r and
 * hi[j] = exp(32βj) — one `Math.exp` per 32 values of t; relative error below
 * 4·10⁻¹⁵ (at most 31 roundings).
 */
function expFactors(beta: number, tmax: number, hi: Float64Array, lo: Float64Array): void {
  const e1 = Math.exp(beta);
  lo[0] = 1;
  for (let r = 1; r < EXP_BLOCK; r++) lo[r] = lo[r - 1]! * e1;
  hi[0] = 1;
  for (let j = 1; j <= tmax >> EXP_SHIFT; j++) hi[j] = Math.exp(beta * (j << EXP_SHIFT));
}

let TABLE_HI = new Float64Array((TABLE_MAX >> EXP_SHIFT) + 1);
const TABLE_LO = new Float64Array(EXP_BLOCK);

/** exp(β·t) for t = 0 … tmax (a non-negative integer) into `out`, as `expFactors` gives it. */
export function expTable(beta: number, tmax: number, out: Float64Array): void {
  if (!(Number.isInteger(tmax) && tmax >= 0)) throw new RangeError(`tmax must be a non-negative integer, got ${tmax}`);
  if (TABLE_HI.length <= tmax >> EXP_SHIFT) TABLE_HI = new Float64Array((tmax >> EXP_SHIFT) + 1);
  expFactors(beta, tmax, TABLE_HI, TABLE_LO);
  for (let t = 0; t <= tmax; t++) out[t] = TABLE_HI[t >> EXP_SHIFT]! * TABLE_LO[t & EXP_MASK]!;
}

// Scratch space reused across calls (the fit is synchronous, so this is safe;
// nothing here escapes into the returned object).
const scratch: Float64Array[] = [];
function buf(slot: number, n: number): Float64Array {
  let b = scratch[slot];
  if (!b || b.length < n) {
    b = new Float64Array(Math.max(n, 2 * (b?.length ?? 32)));
    scratch[slot] = b;
  }
  return b;
}
const iscratch: Int32Array[] = [];
function ibuf(slot: number, n: number): Int32Array {
  let b = iscratch[slot];
  if (!b || b.length < n) {
    b = new Int32Array(Math.max(n, 2 * (b?.length ?? 32)));
    iscratch[slot] = b;
  }
  return b;
}

/**
 * The rows of the grouped model in group order — the rows of group g are
 * `start[g]` … `start[g + 1] − 1`, in their original order within the group — with
 * the per-row constants the IRLS takes from y alone (`setRowConstants`). In this
 * order each group's sums stay in registers and nothing needs sorting per fit.
 * `fitGroupedTrendGlm` builds it from any input; Farrington (farrington.ts) fills
 * one directly, once per evaluated week, and fits it up to four times.
 */
export class GroupedRows {
  /** rows in use */
  n = 0;
  groups = 0;
  /** the largest time (times are non-negative integers) */
  tmax = 0;
  start: Int32Array;
  group: Int32Array;
  y: Float64Array;
  t: Int32Array;
  /** the times again, as doubles */
  tf: Float64Array;
  /** y·log y − y */
  c1: Float64Array;
  /** y·log y − y·log(y + 0.1) + 0.1 (the deviance term at μ = y + 0.1) */
  c2: Float64Array;
  /** log(y + 0.1) + (y − μ)/μ at μ = y + 0.1 (the first working response) */
  z0: Float64Array;
  /**
   * Runs of consecutive times within a group (`findRuns`, run by each fit with a
   * trend): run r starts at time
   * runT0[r] and has runLen[r] rows; the runs of group g are groupRuns[g] …
   * groupRuns[g + 1] − 1. Farrington's groups are a few runs of weeks each.
   */
  runs = 0;
  maxRun = 0;
  runT0: Int32Array;
  runLen: Int32Array;
  groupRuns: Int32Array;

  constructor(capacity = 64, groups = 16) {
    this.start = new Int32Array(groups + 1);
    this.groupRuns = new Int32Array(groups + 1);
    this.runT0 = new Int32Array(capacity);
    this.runLen = new Int32Array(capacity);
    this.group = new Int32Array(capacity);
    this.y = new Float64Array(capacity);
    this.t = new Int32Array(capacity);
    this.tf = new Float64Array(capacity);
    this.c1 = new Float64Array(capacity);
    this.c2 = new Float64Array(capacity);
    this.z0 = new Float64Array(capacity);
  }

  /** Room for n rows in `groups` groups (the contents are not kept when it grows). */
  reserve(n: number, groups: number): void {
    if (this.y.length < n) {
      const c = Math.max(n, 2 * this.y.length);
      this.group = new Int32Array(c);
      this.y = new Float64Array(c);
      this.t = new Int32Array(c);
      this.tf = new Float64Array(c);
      this.c1 = new Float64Array(c);
      this.c2 = new Float64Array(c);
      this.z0 = new Float64Array(c);
      this.runT0 = new Int32Array(c);
      this.runLen = new Int32Array(c);
    }
    if (this.start.length < groups + 1) {
      this.start = new Int32Array(groups + 1);
      this.groupRuns = new Int32Array(groups + 1);
    }
  }

  /** Finds the runs of consecutive times in each group (from n, groups, start and t). */
  findRuns(): void {
    const { groups: G, start, t, runT0, runLen, groupRuns } = this;
    let r = 0;
    let maxRun = 0;
    for (let g = 0; g < G; g++) {
      groupRuns[g] = r;
      const end = start[g + 1]!;
      let k = start[g]!;
      while (k < end) {
        const t0 = t[k]!;
        let len = 1;
        while (k + len < end && t[k + len]! === t0 + len) len++;
        runT0[r] = t0;
        runLen[r] = len;
        r++;
        if (len > maxRun) maxRun = len;
        k += len;
      }
    }
    groupRuns[G] = r;
    this.runs = r;
    this.maxRun = maxRun;
  }
}

/**
 * The per-row constants of a count y (see `GroupedRows`) into position k of c1, c2
 * and z0 — the terms the IRLS start (μ = y + 0.1) and the deviance use.
 */
export function setRowConstants(y: number, k: number, c1: Float64Array, c2: Float64Array, z0: Float64Array): void {
  if (y < ROW_SMALL && y >= 0 && Number.isInteger(y)) {
    c1[k] = ROW_C1[y]!;
    c2[k] = ROW_C2[y]!;
    z0[k] = ROW_Z0[y]!;
  } else {
    rowConstants(y, k, c1, c2, z0);
  }
}

function rowConstants(y: number, k: number, c1: Float64Array, c2: Float64Array, z0: Float64Array): void {
  const yl = y > 0 ? y * Math.log(y) : 0;
  const m = y + 0.1;
  const l = Math.log(m);
  c1[k] = yl - y;
  c2[k] = yl - y * l + 0.1;
  z0[k] = l + (y - m) / m;
}

// the constants of small counts, tabulated
const ROW_SMALL = 256;
const ROW_C1 = new Float64Array(ROW_SMALL);
const ROW_C2 = new Float64Array(ROW_SMALL);
const ROW_Z0 = new Float64Array(ROW_SMALL);
for (let y = 0; y < ROW_SMALL; y++) rowConstants(y, y, ROW_C1, ROW_C2, ROW_Z0);

/**
 * q0/q1/q2[g] := Σ p·exp(βt)·tᵏ (k = 0, 1, 2) over the rows of each group (rows in
 * group order, so the sums stay in registers); exp(βt) = hi[t >> 5]·lo[t & 31]
 * (`expFactors`); p = 1 without prior weights.
 */
function trendSums(
  G: number,
  start: Int32Array,
  ot: Int32Array,
  otf: Float64Array,
  opw: ArrayLike<number> | null,
  hi: Float64Array,
  lo: Float64Array,
  q0: Float64Array,
  q1: Float64Array,
  q2: Float64Array,
): void {
  for (let g = 0; g < G; g++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    const end = start[g + 1]!;
    if (opw) {
      for (let k = start[g]!; k < end; k++) {
        const ti = ot[k]!;
        const q = opw[k]! * (hi[ti >> EXP_SHIFT]! * lo[ti & EXP_MASK]!);
        const tk = otf[k]!;
        s0 += q;
        const qt = q * tk;
        s1 += qt;
        s2 += qt * tk;
      }
    } else {
      for (let k = start[g]!; k < end; k++) {
        const ti = ot[k]!;
        const q = hi[ti >> EXP_SHIFT]! * lo[ti & EXP_MASK]!;
        const tk = otf[k]!;
        s0 += q;
        const qt = q * tk;
        s1 += qt;
        s2 += qt * tk;
      }
    }
    q0[g] = s0;
    q1[g] = s1;
    q2[g] = s2;
  }
}

/**
 * trendSums by runs of consecutive times: over a run of L rows from time t₀,
 * Σ exp(β(t₀+u))·(t₀+u)ᵏ = exp(βt₀)·(t₀ᵏ-weighted combinations of Aⱼ(L) =
 * Σ_{u<L} exp(βu)·uʲ), so a run costs a few multiply-adds whatever its length.
 * With prior weights the rows must mostly share one weight `common`: the sums are
 * `common` × the run sums plus (p − common)·exp(βt)·tᵏ for the other rows
 * (`exc[excStart[g]]` … `exc[excStart[g + 1] − 1]`). Rounding differs from the
 * row-by-row sums only in the last bits (exp(βt₀)·exp(βu) for exp(β(t₀+u)).
 */
function trendSumsByRuns(
  rows: GroupedRows,
  hi: Float64Array,
  lo: Float64Array,
  q0: Float64Array,
  q1: Float64Array,
  q2: Float64Array,
  weights: ArrayLike<number> | null,
  common: number,
  exc: Int32Array,
  excStart: Int32Array,
): void {
  const { groups: G, runT0, runLen, groupRuns, maxRun, t } = rows;
  const A0 = buf(25, maxRun + 1);
  const A1 = buf(26, maxRun + 1);
  const A2 = buf(27, maxRun + 1);
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  A0[0] = 0;
  A1[0] = 0;
  A2[0] = 0;
  for (let u = 0; u < maxRun; u++) {
    const e = hi[u >> EXP_SHIFT]! * lo[u & EXP_MASK]!;
    const eu = e * u;
    a0 += e;
    a1 += eu;
    a2 += eu * u;
    A0[u + 1] = a0;
    A1[u + 1] = a1;
    A2[u + 1] = a2;
  }
  for (let g = 0; g < G; g++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    const end = groupRuns[g + 1]!;
    for (let r = groupRuns[g]!; r < end; r++) {
      const t0 = runT0[r]!;
      const len = runLen[r]!;
      const e = hi[t0 >> EXP_SHIFT]! * lo[t0 & EXP_MASK]!;
      const b0 = A0[len]!;
      const b1 = A1[len]!;
      const m1 = t0 * b0 + b1;
      s0 += e * b0;
      s1 += e * m1;
      s2 += e * (t0 * (m1 + b1) + A2[len]!);
    }
    if (weights) {
      s0 *= common;
      s1 *= common;
      s2 *= common;
      const xe = excStart[g + 1]!;
      for (let x = excStart[g]!; x < xe; x++) {
        const k = exc[x]!;
        const ti = t[k]!;
        const d = (weights[k]! - common) * (hi[ti >> EXP_SHIFT]! * lo[ti & EXP_MASK]!);
        s0 += d;
        const dt = d * ti;
        s1 += dt;
        s2 += dt * ti;
      }
    }
    q0[g] = s0;
    q1[g] = s1;
    q2[g] = s2;
  }
}

/** The constants of one IRLS run that the deviance needs (one object, reused). */
interface DevianceState {
  rows: GroupedRows;
  weights: ArrayLike<number> | null;
  /** sums by runs (trendSumsByRuns) with these exceptions to the common weight */
  byRuns: boolean;
  common: number;
  exc: Int32Array;
  excStart: Int32Array;
  trend: boolean;
  tmax: number;
  constDev: number;
  y0: Float64Array;
  y1: Float64Array;
  q0: Float64Array;
  q1: Float64Array;
  q2: Float64Array;
}

/**
 * q0/q1/q2 and e := exp(α) for coefficients c (hi, lo := their exp(βt) factors);
 * returns the deviance, or NaN when a fitted value could reach R's floor of
 * machine ε (the row-by-row path then decides).
 */
function devianceAt(s: DevianceState, c: Float64Array, hi: Float64Array, lo: Float64Array, e: Float64Array): number {
  const { rows, trend, tmax, q0, y0, y1 } = s;
  const G = rows.groups;
  const beta = trend ? c[G]! : 0;
  if (trend) {
    expFactors(beta, tmax, hi, lo);
    if (s.byRuns) trendSumsByRuns(rows, hi, lo, q0, s.q1, s.q2, s.weights, s.common, s.exc, s.excStart);
    else trendSums(G, rows.start, rows.t, rows.tf, s.weights, hi, lo, q0, s.q1, s.q2);
  }
  const lowT = beta >= 0 ? 0 : tmax;
  let syEta = 0;
  let sMu = 0;
  for (let g = 0; g < G; g++) {
    if (!(q0[g]! > 0)) {
      e[g] = Number.NaN;
      continue;
    }
    const ag = c[g]!;
    if (!(ag + beta * lowT > LOG_DBL_EPSILON + 1)) return Number.NaN;
    const eg = Math.exp(ag);
    e[g] = eg;
    sMu += eg * q0[g]!;
    syEta += ag * y0[g]! + beta * y1[g]!;
  }
  return 2 * (s.constDev - syEta + sMu);
}

const DEV_STATE: DevianceState = {
  rows: new GroupedRows(1, 1),
  weights: null,
  byRuns: false,
  common: 1,
  exc: new Int32Array(0),
  excStart: new Int32Array(0),
  trend: false,
  tmax: 0,
  constDev: 0,
  y0: new Float64Array(0),
  y1: new Float64Array(0),
  q0: new Float64Array(0),
  q1: new Float64Array(0),
  q2: new Float64Array(0),
};

/** What one IRLS run over `GroupedRows` gives (row arrays in the rows' order). */
interface RowsFit {
  coef: Float64Array;
  mu: Float64Array;
  w: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
  stats: GroupStats;
}

/**
 * The IRLS of `fitGroupedTrendGlm` on rows in group order: per-group sums only.
 * Results go to `store` (≥ 2n + p + 2·groups): μ, working weights, coefficients,
 * then the last solve's Σw and mean time per group. Null when the row-by-row path
 * must decide (a fitted value near R's floor of machine ε, a (near-)aliased
 * trend, a non-finite deviance, times past the table).
 */
function irlsRows(
  rows: GroupedRows,
  weights: ArrayLike<number> | null,
  trend: boolean,
  control: GlmControl,
  startCoef: ArrayLike<number> | undefined,
  store: Float64Array,
  common = Number.NaN,
): RowsFit | null {
  const { n, groups: G, start, y, t: ot, tf: otf, c1, c2, z0 } = rows;
  const tmax = trend ? rows.tmax : 0;
  if (!(tmax <= TABLE_MAX)) return null;
  const epsilon = control.epsilon ?? 1e-8;
  const maxit = control.maxit ?? 25;
  const p = G + (trend ? 1 : 0);
  const y0 = buf(0, G);
  const y1 = buf(1, G);
  const q0 = buf(2, G);
  const q1 = buf(3, G);
  const q2 = buf(4, G);
  const a = buf(6, G);
  const swt = buf(7, G);
  const swtt = buf(8, G);
  const swz = buf(9, G);
  const swtz = buf(10, G);
  let eCur = buf(5, G);
  let ePrev = buf(14, G);
  // exp(βt) factors for the current and the previous coefficients
  let hiCur = buf(11, (tmax >> EXP_SHIFT) + 1);
  let hiPrev = buf(15, (tmax >> EXP_SHIFT) + 1);
  let loCur = buf(18, EXP_BLOCK);
  let loPrev = buf(19, EXP_BLOCK);
  const coefA = buf(12, p);
  const coefB = buf(13, p);
  // constants: per-group Σ p·y and Σ p·y·t, and Σ p·(y log y − y); and, starting
  // from μ = y + 0.1 (poisson()$initialize), the first iteration's weighted sums
  let constDev = 0;
  let d0 = 0;
  let nOk = 0;
  const fromY = !startCoef;
  // rows whose prior weight is not `common` (for trendSumsByRuns)
  const exc = ibuf(2, n);
  const excStart = ibuf(3, G + 1);
  let nExc = 0;
  for (let g = 0; g < G; g++) {
    excStart[g] = nExc;
    let sy0 = 0;
    let sy1 = 0;
    let sp = 0;
    let sa = 0;
    let sz = 0;
    let st = 0;
    let stt = 0;
    let stz = 0;
    const end = start[g + 1]!;
    for (let k = start[g]!; k < end; k++) {
      const pw = weights ? weights[k]! : 1;
      if (weights && pw !== common) exc[nExc++] = k;
      if (pw === 0) continue;
      nOk++;
      const yi = y[k]!;
      const ti = otf[k]!;
      constDev += pw * c1[k]!;
      sy0 += pw * yi;
      if (trend) sy1 += pw * yi * ti;
      sp += pw;
      if (fromY) {
        d0 += pw * c2[k]!;
        const wi = pw * (yi + 0.1);
        const zi = z0[k]!;
        sa += wi;
        sz += wi * zi;
        if (trend) {
          st += wi * ti;
          stt += wi * ti * ti;
          stz += wi * ti * zi;
        }
      }
    }
    y0[g] = sy0;
    y1[g] = sy1;
    a[g] = sa;
    swz[g] = sz;
    swt[g] = st;
    swtt[g] = stt;
    swtz[g] = stz;
    // without the trend Σ p per group is all the sums need, whatever the coefficients
    if (!trend) q0[g] = sp;
  }

  excStart[G] = nExc;
  if (trend) rows.findRuns();
  const ds = DEV_STATE;
  ds.rows = rows;
  ds.weights = weights;
  // by runs when they are on average at least 2 rows long and (with weights) most
  // rows share the common weight
  ds.byRuns = trend && rows.runs * 2 <= n && (!weights || nExc * 4 <= n);
  ds.common = common;
  ds.exc = exc;
  ds.excStart = excStart;
  ds.trend = trend;
  ds.tmax = tmax;
  ds.constDev = constDev;
  ds.y0 = y0;
  ds.y1 = y1;
  ds.q0 = q0;
  ds.q1 = q1;
  ds.q2 = q2;

  let prevIsStart = true; // weights of the next solve come from μ = y + 0.1 …
  let coefPrev = coefA; // … or from these coefficients (ePrev, hiPrev, loPrev hold exp(α), exp(βt) for them)
  let devold = 2 * d0;
  if (startCoef) {
    for (let j = 0; j < p; j++) coefPrev[j] = startCoef[j]!;
    prevIsStart = false;
    devold = devianceAt(ds, coefPrev, hiPrev, loPrev, ePrev);
    if (!Number.isFinite(devold)) return null;
  }

  let coef = coefB;
  let dev = devold;
  let converged = false;
  let iter = 1;
  for (; iter <= maxit; iter++) {
    if (!prevIsStart) {
      // weighted sums at μ = exp(α + βt) of the previous coefficients (q*, ePrev hold them)
      const beta = trend ? coefPrev[G]! : 0;
      for (let g = 0; g < G; g++) {
        const eg = ePrev[g]!;
        const ag = coefPrev[g]!;
        const w0 = eg * q0[g]!;
        a[g] = w0;
        if (trend) {
          const w1 = eg * q1[g]!;
          const w2 = eg * q2[g]!;
          swt[g] = w1;
          swtt[g] = w2;
          // Σ w z = Σ p (μ η + y − μ);  Σ w t z = Σ p t (μ η + y − μ)
          swz[g] = ag * w0 + beta * w1 + y0[g]! - w0;
          swtz[g] = ag * w1 + beta * w2 + y1[g]! - w1;
        } else {
          swz[g] = ag * w0 + y0[g]! - w0;
        }
      }
    }
    // weighted least squares from the sums
    let beta = 0;
    if (trend) {
      let stt = 0;
      let stz = 0;
      let c = 0;
      for (let g = 0; g < G; g++) {
        const ag = a[g]!;
        if (!(ag > 0)) continue;
        stt += swtt[g]! - (swt[g]! * swt[g]!) / ag;
        stz += swtz[g]! - (swt[g]! * swz[g]!) / ag;
        c += swtt[g]!;
      }
      if (!(stt > 1e-12 * c)) return null; // (near-)aliased trend: let the exact path decide
      beta = stz / stt;
      coef[G] = beta;
    }
    for (let g = 0; g < G; g++) {
      const ag = a[g]!;
      coef[g] = ag > 0 ? (swz[g]! - beta * swt[g]!) / ag : 0;
    }
    dev = devianceAt(ds, coef, hiCur, loCur, eCur);
    if (!Number.isFinite(dev)) return null;
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
    const tmp = coefPrev;
    coefPrev = coef;
    coef = tmp;
    const th = hiPrev;
    hiPrev = hiCur;
    hiCur = th;
    const tl = loPrev;
    loPrev = loCur;
    loCur = tl;
    const te = ePrev;
    ePrev = eCur;
    eCur = te;
    prevIsStart = false;
  }
  iter = Math.min(iter, maxit);

  // rows: μ at the final coefficients (eCur, hiCur, loCur) and the weights of the
  // last solve (from the previous coefficients: ePrev, hiPrev, loPrev; or from y + 0.1)
  const v = storeViews(store, n, p, G);
  const mu = v.mu;
  const w = v.w;
  let pearson = 0;
  for (let g = 0; g < G; g++) {
    const eg = eCur[g]!;
    const ep = ePrev[g]!;
    const end = start[g + 1]!;
    for (let k = start[g]!; k < end; k++) {
      const ti = ot[k]!;
      const m = trend ? eg * (hiCur[ti >> EXP_SHIFT]! * loCur[ti & EXP_MASK]!) : eg;
      mu[k] = m;
      const pw = weights ? weights[k]! : 1;
      if (pw === 0) {
        w[k] = 0;
        continue;
      }
      const yi = y[k]!;
      const wi = prevIsStart
        ? pw * (yi + 0.1)
        : pw * ep * (trend ? hiPrev[ti >> EXP_SHIFT]! * loPrev[ti & EXP_MASK]! : 1);
      w[k] = wi;
      const r = (yi - m) / m;
      pearson += wi * r * r;
    }
  }
  // the last solve's per-group sums give the leverages' ingredients directly
  const coefOut = v.coef;
  for (let j = 0; j < p; j++) coefOut[j] = coef[j]!;
  const ga = v.a;
  const tbar = v.tbar;
  let sw = 0;
  let c = 0;
  for (let g = 0; g < G; g++) {
    const ag = a[g]!;
    ga[g] = ag;
    if (!(ag > 0) || !trend) continue;
    tbar[g] = swt[g]! / ag;
    sw += swtt[g]! - (swt[g]! * swt[g]!) / ag;
    c += swtt[g]!;
  }
  return {
    coef: coefOut,
    mu,
    w,
    deviance: dev,
    iterations: iter,
    converged,
    stats: { a: ga, tbar, s: sw, c, nOk, pearson },
  };
}

/** Views of a fit's storage: μ, working weights, coefficients, Σw and mean time per group. */
interface StoreViews {
  store: Float64Array | null;
  n: number;
  p: number;
  G: number;
  mu: Float64Array;
  w: Float64Array;
  coef: Float64Array;
  a: Float64Array;
  tbar: Float64Array;
}

const VIEWS: StoreViews = {
  store: null,
  n: -1,
  p: -1,
  G: -1,
  mu: new Float64Array(0),
  w: new Float64Array(0),
  coef: new Float64Array(0),
  a: new Float64Array(0),
  tbar: new Float64Array(0),
};

/**
 * The views of `store` for a fit of n rows, p coefficients and G groups — the
 * same view objects as the last fit's when the storage and sizes are the same
 * (the storage is reused only once the previous fit is done with).
 */
function storeViews(store: Float64Array, n: number, p: number, G: number): StoreViews {
  const v = VIEWS;
  if (v.store !== store || v.n !== n || v.p !== p || v.G !== G) {
    v.store = store;
    v.n = n;
    v.p = p;
    v.G = G;
    v.mu = store.subarray(0, n);
    v.w = store.subarray(n, 2 * n);
    v.coef = store.subarray(2 * n, 2 * n + p);
    v.a = store.subarray(2 * n + p, 2 * n + p + G);
    v.tbar = store.subarray(2 * n + p + G, 2 * n + p + 2 * G);
  }
  return v;
}

const INPUT_ROWS = new GroupedRows();

/** `fitGroupedTrendGlm`'s fast path: sorts the rows by group, runs `irlsRows`, and puts the rows back. */
function fitGroupedFast(input: GroupedTrendInput, control: GlmControl): GroupedTrendFit | null {
  const { y, group, groups: G, t, trend, weights } = input;
  const n = y.length;
  const p = G + (trend ? 1 : 0);
  let tmax = 0;
  if (trend) {
    for (let i = 0; i < n; i++) {
      const ti = t[i]!;
      if (ti > tmax) tmax = ti;
      else if (!(ti >= 0)) return null;
    }
    if (!(tmax <= TABLE_MAX)) return null;
    for (let i = 0; i < n; i++) if (!Number.isInteger(t[i]!)) return null;
  }
  // stable counting sort of the rows by group
  const rows = INPUT_ROWS;
  rows.reserve(n, G);
  const start = rows.start.fill(0, 0, G + 1);
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    if (!(g >= 0 && g < G && Number.isInteger(g))) return null;
    start[g + 1] = start[g + 1]! + 1;
  }
  for (let g = 0; g < G; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const fillAt = ibuf(1, G).fill(0, 0, G);
  const order = ibuf(0, n);
  const pws = weights ? buf(20, n) : null;
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    const k = start[g]! + fillAt[g]!;
    fillAt[g] = fillAt[g]! + 1;
    order[k] = i;
    const yi = y[i]!;
    const ti = trend ? t[i]! : 0;
    rows.y[k] = yi;
    rows.group[k] = g;
    rows.t[k] = ti;
    rows.tf[k] = ti;
    if (pws) pws[k] = weights![i]!;
    setRowConstants(yi, k, rows.c1, rows.c2, rows.z0);
  }
  rows.n = n;
  rows.groups = G;
  rows.tmax = tmax;
  const r = irlsRows(rows, pws, trend, control, input.start, buf(21, 2 * n + p + 2 * G));
  if (!r) return null;
  // back to the input's order
  const need = 2 * n + p + 2 * G;
  const store = input.storage && input.storage.length >= need ? input.storage : new Float64Array(need);
  const mu = store.subarray(0, n);
  const w = store.subarray(n, 2 * n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    mu[i] = r.mu[k]!;
    w[i] = r.w[k]!;
  }
  store.set(r.coef, 2 * n);
  const ga = store.subarray(2 * n + p, 2 * n + p + G);
  ga.set(r.stats.a);
  const tbar = store.subarray(2 * n + p + G, 2 * n + p + 2 * G);
  tbar.set(r.stats.tbar);
  const coef = store.subarray(2 * n, 2 * n + p);
  return buildGroupedFit(input, coef, w, mu, r.deviance, r.iterations, r.converged, { ...r.stats, a: ga, tbar });
}

/**
 * `fitGroupedTrendGlm` on rows already in group order (`GroupedRows`), for hot
 * loops: no sorting, and the fit's row arrays (fitted values, working weights,
 * leverages) are in the rows' order. `weights` (prior weights, in the rows'
 * order, length ≥ rows.n) may be null; `storage` as in `GroupedTrendInput`;
 * `commonWeight`, the weight most rows share if any, lets the sums go by runs of
 * consecutive times (trendSumsByRuns).
 */
export function fitGroupedRows(
  rows: GroupedRows,
  weights: Float64Array | null,
  trend: boolean,
  control: GlmControl = {},
  storage?: Float64Array,
  commonWeight = Number.NaN,
): GroupedTrendFit {
  const { n, groups: G } = rows;
  const p = G + (trend ? 1 : 0);
  const need = 2 * n + p + 2 * G;
  const store = storage && storage.length >= need ? storage : new Float64Array(need);
  const input: GroupedTrendInput = { y: rows.y, group: rows.group, groups: G, t: rows.t, trend };
  const r = irlsRows(rows, weights, trend, control, undefined, store, commonWeight);
  if (r) return buildGroupedFit(input, r.coef, r.w, r.mu, r.deviance, r.iterations, r.converged, r.stats);
  return fitGroupedTrendGlmExact({
    y: rows.y.subarray(0, n),
    group: rows.group.subarray(0, n),
    groups: G,
    t: rows.t.subarray(0, n),
    trend,
    ...(weights ? { weights: weights.subarray(0, n) } : {}),
  });
}

/**
 * surveillance's standardised Anscombe residuals (`anscombeResiduals`) of a fit
 * of `rows` (from `fitGroupedRows`) into `out`: 3/2·(y^{2/3} μ^{−1/6} − μ^{1/2}) /
 * √(φ (1 − h)), with the leverages h of `hat()` and μ^{−1/6} = exp(−α_g/6)·exp(−βt/6)
 * (one `exp` per group, exp(−βt/6) from `expFactors`) — one pass over the rows.
 * `y23` holds y^{2/3} of each row.
 */
export function groupedAnscombeResiduals(
  fit: GroupedTrendFit,
  rows: GroupedRows,
  y23: Float64Array,
  phi: number,
  out: Float64Array,
): void {
  const { a, tbar, s } = (fit as GroupedFit).stats;
  const { groups: G, start, t } = rows;
  const coef = fit.coefficients;
  const mu = fit.fitted;
  const w = fit.workingWeights;
  const useTrend = fit.hasTrend;
  const hi = buf(23, (rows.tmax >> EXP_SHIFT) + 1);
  const lo = buf(24, EXP_BLOCK);
  if (useTrend) expFactors(-coef[G]! / 6, rows.tmax, hi, lo);
  for (let g = 0; g < G; g++) {
    const end = start[g + 1]!;
    if (start[g]! === end) continue;
    const e6 = Math.exp(-coef[g]! / 6);
    const invA = 1 / a[g]!;
    const tb = tbar[g]!;
    for (let k = start[g]!; k < end; k++) {
      const wi = w[k]!;
      let h = 0;
      if (wi !== 0) {
        let v = invA;
        if (useTrend) {
          const dt = t[k]! - tb;
          v += (dt * dt) / s;
        }
        h = wi * v;
      }
      const ti = t[k]!;
      const muInv6 = useTrend ? e6 * (hi[ti >> EXP_SHIFT]! * lo[ti & EXP_MASK]!) : e6;
      const an = 1.5 * (y23[k]! * muInv6 - Math.sqrt(mu[k]!));
      out[k] = an / Math.sqrt(phi * (1 - h));
    }
  }
}

/** Row-by-row IRLS for the grouped model (the reference for the fast path). */
export function fitGroupedTrendGlmExact(input: GroupedTrendInput, control: GlmControl = {}): GroupedTrendFit {
  checkGrouped(input);
  const { y, group, groups: G, t } = input;
  const n = y.length;
  const prior = input.weights ? Float64Array.from(input.weights) : new Float64Array(n).fill(1);
  const epsilon = control.epsilon ?? 1e-8;
  const maxit = control.maxit ?? 25;
  const trend = input.trend;
  const p = G + (trend ? 1 : 0);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  const ylogy = new Float64Array(n);
  const a = new Float64Array(G);
  const tbar = new Float64Array(G);
  const zbar = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const yi = y[i]!;
    if (yi > 0) ylogy[i] = yi * Math.log(yi);
  }
  let coef = new Float64Array(p);
  let coefold: Float64Array | null = null;

  const etaDev = (c: Float64Array): number => {
    const beta = trend ? c[G]! : 0;
    let dev = 0;
    for (let i = 0; i < n; i++) {
      const h = trend ? c[group[i]!]! + beta * t[i]! : c[group[i]!]!;
      eta[i] = h;
      const ex = Math.exp(h);
      const floored = !(ex > DBL_EPSILON);
      const m = floored ? DBL_EPSILON : ex;
      mu[i] = m;
      const yi = y[i]!;
      const wi = prior[i]!;
      dev += yi > 0 ? wi * (ylogy[i]! - yi * (floored ? LOG_DBL_EPSILON : h) - yi + m) : wi * m;
    }
    return 2 * dev;
  };

  let devold: number;
  if (input.start) {
    coefold = Float64Array.from(input.start);
    devold = etaDev(coefold);
  } else {
    for (let i = 0; i < n; i++) {
      mu[i] = y[i]! + 0.1;
      eta[i] = Math.log(mu[i]!);
    }
    devold = poissonDeviance(y, mu, prior);
  }
  let dev = devold;
  let converged = false;
  let iter = 1;
  for (; iter <= maxit; iter++) {
    a.fill(0);
    tbar.fill(0);
    zbar.fill(0);
    for (let i = 0; i < n; i++) {
      const pw = prior[i]!;
      if (pw > 0) {
        const m = mu[i]!;
        const wi = pw * m;
        const zi = eta[i]! + (y[i]! - m) / m;
        w[i] = wi;
        z[i] = zi;
        const g = group[i]!;
        a[g] = a[g]! + wi;
        zbar[g] = zbar[g]! + wi * zi;
        if (trend) tbar[g] = tbar[g]! + wi * t[i]!;
      } else {
        w[i] = 0;
        z[i] = 0;
      }
    }
    for (let g = 0; g < G; g++) {
      const ag = a[g]!;
      if (ag > 0) {
        zbar[g] = zbar[g]! / ag;
        tbar[g] = tbar[g]! / ag;
      }
    }
    coef = new Float64Array(p);
    let beta = 0;
    if (trend) {
      let stt = 0;
      let stz = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const wi = w[i]!;
        if (wi === 0) continue;
        const g = group[i]!;
        const ti = t[i]!;
        const dt = ti - tbar[g]!;
        stt += wi * dt * dt;
        stz += wi * dt * (z[i]! - zbar[g]!);
        c += wi * ti * ti;
      }
      beta = stt > 1e-22 * c ? stz / stt : 0;
      coef[G] = beta;
    }
    for (let g = 0; g < G; g++) coef[g] = a[g]! > 0 ? zbar[g]! - beta * tbar[g]! : 0;
    dev = etaDev(coef);
    if (!Number.isFinite(dev)) {
      if (!coefold) throw new GlmError('no valid set of coefficients has been found: please supply starting values');
      let ii = 1;
      while (!Number.isFinite(dev)) {
        if (ii > maxit) throw new GlmError('inner loop 1; cannot correct step size');
        ii++;
        for (let j = 0; j < p; j++) coef[j] = (coef[j]! + coefold[j]!) / 2;
        dev = etaDev(coef);
      }
    }
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
    coefold = coef;
  }
  return buildGroupedFit(input, coef, w, mu, dev, Math.min(iter, maxit), converged, groupStats(input, w));
}
