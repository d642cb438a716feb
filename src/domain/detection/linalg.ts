/**
 * Small dense linear algebra for least-squares problems with a handful of
 * columns (p ≤ ~15): Householder QR with R's "limited column pivoting"
 * (LINPACK `dqrdc2`, as used by `lm.fit`/`glm.fit`), so rank deficiency is
 * detected and aliased columns are moved to the end exactly where R moves them.
 *
 * Matrices are column-major `Float64Array`s: element (i, j) of an n × p matrix
 * is at `i + j * n`.
 */

export interface Qr {
  /** n × p, column-major: R on and above the diagonal, Householder vectors below. */
  readonly qr: Float64Array;
  /** Householder scalars τ for the first `rank` columns. */
  readonly tau: Float64Array;
  /** pivot[j] = original index of the column now in position j. */
  readonly pivot: Int32Array;
  readonly rank: number;
  readonly n: number;
  readonly p: number;
}

/**
 * Householder QR of the n × p column-major matrix `a` (overwritten).
 * A column whose norm, after removing the projections on the columns before it,
 * falls below `tol` times its original norm is treated as linearly dependent
 * and cycled to the end (dqrdc2's rule; glm.fit uses tol = 1e-11).
 */
export function householderQr(a: Float64Array, n: number, p: number, tol = 1e-11): Qr {
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) pivot[j] = j;
  const origNorm = new Float64Array(p);
  for (let j = 0; j < p; j++) origNorm[j] = colNorm(a, n, j, 0);
  const tau = new Float64Array(p);
  let lup = p; // columns [lup, p) are aliased
  let l = 0;
  const lim = Math.min(n, p);
  while (l < lim && l < lup) {
    let nrm = colNorm(a, n, l, l);
    // cycle negligible columns to the end
    while (l < lup && !(nrm >= origNorm[l]! * tol && nrm > 0)) {
      rotateColumnToEnd(a, n, p, l, pivot, origNorm);
      lup--;
      if (l >= lup) break;
      nrm = colNorm(a, n, l, l);
    }
    if (l >= lup) break;
    // Householder reflector for a[l:n, l]
    const off = l * n;
    const x0 = a[off + l]!;
    const beta = x0 >= 0 ? -nrm : nrm;
    const scale = 1 / (x0 - beta);
    for (let i = l + 1; i < n; i++) a[off + i] = a[off + i]! * scale;
    const t = (beta - x0) / beta;
    tau[l] = t;
    a[off + l] = beta;
    // apply H = I - t v v' (v[l] = 1) to the remaining columns
    for (let j = l + 1; j < p; j++) {
      const cj = j * n;
      let dot = a[cj + l]!;
      for (let i = l + 1; i < n; i++) dot += a[off + i]! * a[cj + i]!;
      dot *= t;
      a[cj + l] = a[cj + l]! - dot;
      for (let i = l + 1; i < n; i++) a[cj + i] = a[cj + i]! - dot * a[off + i]!;
    }
    l++;
  }
  return { qr: a, tau, pivot, rank: Math.min(l, lup), n, p };
}

function colNorm(a: Float64Array, n: number, j: number, from: number): number {
  // scaled to avoid overflow/underflow, as LINPACK dnrm2 does
  let scale = 0;
  let ssq = 1;
  const off = j * n;
  for (let i = from; i < n; i++) {
    const v = a[off + i]!;
    if (v !== 0) {
      const av = Math.abs(v);
      if (scale < av) {
        ssq = 1 + ssq * (scale / av) * (scale / av);
        scale = av;
      } else {
        ssq += (av / scale) * (av / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

function rotateColumnToEnd(a: Float64Array, n: number, p: number, l: number, pivot: Int32Array, norms: Float64Array): void {
  const col = a.slice(l * n, (l + 1) * n);
  a.copyWithin(l * n, (l + 1) * n, p * n);
  a.set(col, (p - 1) * n);
  const pv = pivot[l]!;
  const nv = norms[l]!;
  for (let j = l; j < p - 1; j++) {
    pivot[j] = pivot[j + 1]!;
    norms[j] = norms[j + 1]!;
  }
  pivot[p - 1] = pv;
  norms[p - 1] = nv;
}

/** Applies Q' to y in place (y has length n). */
export function applyQt(f: Qr, y: Float64Array): void {
  const { qr, tau, n, rank } = f;
  for (let l = 0; l < rank; l++) {
    const off = l * n;
    let dot = y[l]!;
    for (let i = l + 1; i < n; i++) dot += qr[off + i]! * y[i]!;
    dot *= tau[l]!;
    y[l] = y[l]! - dot;
    for (let i = l + 1; i < n; i++) y[i] = y[i]! - dot * qr[off + i]!;
  }
}

/**
 * Least-squares coefficients in the ORIGINAL column order; aliased columns get
 * 0 (use `aliasedColumns` to tell them apart). `y` is not modified.
 */
export function qrCoefficients(f: Qr, y: ArrayLike<number>): Float64Array {
  const { qr, n, p, rank, pivot } = f;
  const qty = Float64Array.from(y as ArrayLike<number>);
  applyQt(f, qty);
  const b = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = qty[i]!;
    for (let j = i + 1; j < rank; j++) s -= qr[i + j * n]! * b[j]!;
    b[i] = s / qr[i + i * n]!;
  }
  const out = new Float64Array(p);
  for (let j = 0; j < rank; j++) out[pivot[j]!] = b[j]!;
  return out;
}

/** aliased[j] is true when original column j was found linearly dependent. */
export function aliasedColumns(f: Qr): boolean[] {
  const out = new Array<boolean>(f.p).fill(false);
  for (let j = f.rank; j < f.p; j++) out[f.pivot[j]!] = true;
  return out;
}

/**
 * (R'R)⁻¹ = (X'X)⁻¹ in the original column order as a p × p row-major matrix;
 * rows and columns of aliased coefficients are NaN (R's `summary.glm` drops them).
 */
export function qrUnscaledCovariance(f: Qr): Float64Array {
  const { qr, n, p, rank, pivot } = f;
  // Rinv: upper-triangular inverse of R[0:rank, 0:rank]
  const rinv = new Float64Array(rank * rank); // row-major
  for (let j = 0; j < rank; j++) {
    rinv[j * rank + j] = 1 / qr[j + j * n]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += qr[i + k * n]! * rinv[k * rank + j]!;
      rinv[i * rank + j] = -s / qr[i + i * n]!;
    }
  }
  const out = new Float64Array(p * p).fill(Number.NaN);
  for (let a = 0; a < rank; a++) {
    for (let b = a; b < rank; b++) {
      let s = 0;
      for (let k = b; k < rank; k++) s += rinv[a * rank + k]! * rinv[b * rank + k]!;
      const ia = pivot[a]!;
      const ib = pivot[b]!;
      out[ia * p + ib] = s;
      out[ib * p + ia] = s;
    }
  }
  return out;
}

/** Diagonal of the hat matrix Q₁Q₁' (leverages of the rows of the factorised matrix). */
export function qrHatDiagonal(f: Qr): Float64Array {
  const { qr, tau, n, rank } = f;
  const hat = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < rank; j++) {
    e.fill(0);
    e[j] = 1;
    // Q e_j = H_0 H_1 … H_{rank-1} e_j: apply in reverse order
    for (let l = rank - 1; l >= 0; l--) {
      const off = l * n;
      let dot = e[l]!;
      for (let i = l + 1; i < n; i++) dot += qr[off + i]! * e[i]!;
      if (dot === 0) continue;
      dot *= tau[l]!;
      e[l] = e[l]! - dot;
      for (let i = l + 1; i < n; i++) e[i] = e[i]! - dot * qr[off + i]!;
    }
    for (let i = 0; i < n; i++) hat[i] = hat[i]! + e[i]! * e[i]!;
  }
  return hat;
}
