/**
 * Distribution functions used by detection. Quantiles come from @stdlib
 * (negative binomial, Poisson, normal); the Student t and normal tail
 * probabilities needed for coefficient tests are computed here from the
 * regularised incomplete beta and gamma functions (continued fractions as in
 * Numerical Recipes §6.2–6.4), accurate to ~1e-13 — ample for comparing a
 * p-value with a threshold.
 */
import nbinomQuantile from '@stdlib/stats-base-dists-negative-binomial-quantile';
import poissonQuantile from '@stdlib/stats-base-dists-poisson-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Standard normal quantile (R's `qnorm(p)`). */
export function qnorm(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** Poisson quantile (R's `qpois(p, lambda)`); λ = 0 is the point mass at 0. */
export function qpois(p: number, lambda: number): number {
  if (lambda === 0) return 0;
  const x = quickPoissonQuantile(p, lambda);
  return x >= 0 ? x : poissonQuantile(p, lambda);
}

/**
 * Negative binomial quantile in R's (size, prob) parametrisation
 * (`qnbinom(p, size, prob)`: mean = size (1 − prob) / prob); size = 0 is the
 * point mass at 0, as in R.
 */
export function qnbinom(p: number, size: number, prob: number): number {
  if (size === 0) return 0;
  const x = quickNbinomQuantile(p, size, prob);
  return x >= 0 ? x : nbinomQuantile(p, size, prob);
}

/*
 * Quick quantiles. @stdlib's discrete quantiles return the smallest x ≥ 0 whose
 * distribution function (incomplete beta / gamma, accurate to ~1e-14) reaches p,
 * searching from a Cornish–Fisher guess; each step costs microseconds. The
 * functions below sum the probability function by its recursion from x = 0
 * instead (relative error below 4·10⁻¹⁶ per term, so below ~1e-11 after the
 * 20,000 terms allowed) and give an answer only when F(x − 1) and F(x) are both
 * further than QUICK_MARGIN from p: then the library's F, within 1e-13 of the
 * true one, crosses p at the same x, and its search returns the same x. Otherwise
 * (and for unusual arguments) they return −1 and the library decides; also for
 * x = 0, which the library sometimes gives as −0.
 */
const QUICK_MARGIN = 1e-7;
const QUICK_TERMS = 20_000;
const QUICK_MIN_P0 = 1e-250;

/** `qnbinom(p, size, prob)` by summation, or −1 when the library must decide. */
export function quickNbinomQuantile(p: number, size: number, prob: number): number {
  if (!(p >= 0.5 && p < 1 && size > 0 && size < 1e15 && prob > 0 && prob < 1)) return -1;
  let f = Math.pow(prob, size); // P(X = 0)
  if (!(f > QUICK_MIN_P0)) return -1;
  const q = 1 - prob;
  let before = 0; // F(x − 1)
  let cdf = f; // F(x)
  let x = 0;
  while (cdf < p) {
    if (++x > QUICK_TERMS) return -1;
    f *= ((x - 1 + size) / x) * q;
    before = cdf;
    cdf += f;
  }
  return x > 0 && cdf >= p + QUICK_MARGIN && before <= p - QUICK_MARGIN ? x : -1;
}

/** `qpois(p, lambda)` by summation, or −1 when the library must decide. */
export function quickPoissonQuantile(p: number, lambda: number): number {
  if (!(p >= 0.5 && p < 1 && lambda > 0)) return -1;
  let f = Math.exp(-lambda); // P(X = 0)
  if (!(f > QUICK_MIN_P0)) return -1;
  let before = 0;
  let cdf = f;
  let x = 0;
  while (cdf < p) {
    if (++x > QUICK_TERMS) return -1;
    f *= lambda / x;
    before = cdf;
    cdf += f;
  }
  return x > 0 && cdf >= p + QUICK_MARGIN && before <= p - QUICK_MARGIN ? x : -1;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const xx = x - 1;
  let a = LANCZOS[0]!;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

const FPMIN = 1e-300;
const EPS = 1e-15;

function betacf(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lbt) * betacf(a, b, x)) / a;
  return 1 - (Math.exp(lbt) * betacf(b, a, 1 - x)) / b;
}

/** Student t distribution function P(T ≤ t) with `df` degrees of freedom (R's `pt`). */
export function pt(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/** Regularised upper incomplete gamma Q(a, x). */
export function incompleteGammaUpper(a: number, x: number): number {
  if (x <= 0) return 1;
  const lg = lgamma(a);
  if (x < a + 1) {
    // series for P
    let ap = a;
    let sum = 1 / a;
    let del = sum;
    for (let n = 0; n < 10_000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lg);
  }
  // continued fraction for Q (modified Lentz)
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lg) * h;
}

/** Standard normal upper tail P(Z > z) (R's `pnorm(z, lower.tail = FALSE)`). */
export function pnormUpper(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z >= 0) return 0.5 * incompleteGammaUpper(0.5, (z * z) / 2);
  return 1 - 0.5 * incompleteGammaUpper(0.5, (z * z) / 2);
}
