/**
 * The attacker used to audit a published table: integer interval reasoning over linear
 * equalities (each line of a table says members − total = 0). See `table.ts` for the
 * model of what a reader knows; this module only does the arithmetic.
 *
 * Three tools, from cheap to thorough:
 * 1. `propagate`: bounds propagation with a work-list. For Σ aᵢxᵢ + c = 0 each aⱼxⱼ lies
 *    in −(c + [min, max] of the other terms). This is "subtract the published cells from
 *    the published total", with intervals, chained across lines until nothing changes.
 * 2. `derivedConstraints`: Gauss–Jordan elimination over the hidden figures, so that
 *    equations that only appear when rows and columns are combined (e.g. a row total
 *    equal to the sum of two column totals when the other cells are zero) are visible to
 *    propagation too.
 * 3. `shave`: probing. Assume each value a target could take, propagate, and discard the
 *    values that lead to a contradiction.
 */

/** Σ coefs[i] · x[vars[i]] + constant = 0. */
export interface LinearConstraint {
  vars: number[];
  coefs: number[];
  constant: number;
}

export interface ConstraintSystem {
  constraints: LinearConstraint[];
  /** For each variable, the constraints that mention it. */
  varCons: number[][];
}

const EPS = 1e-7;
const INF = Number.POSITIVE_INFINITY;

function el<T>(a: readonly T[], i: number): T {
  const v = a[i];
  if (v === undefined) throw new Error(`internal: index ${i} out of range`);
  return v;
}

/** A line (members…, total) as Σ members − total = 0. */
export function lineConstraint(line: readonly number[]): LinearConstraint {
  return { vars: [...line], coefs: line.map((_, i) => (i === line.length - 1 ? -1 : 1)), constant: 0 };
}

/**
 * Build a system, folding variables already known exactly (lo = hi) into the constant so
 * that long equations over mostly published figures stay short.
 */
export function buildSystem(constraints: readonly LinearConstraint[], lo: readonly number[], hi: readonly number[]): ConstraintSystem {
  const out: LinearConstraint[] = [];
  const varCons: number[][] = Array.from({ length: lo.length }, () => []);
  for (const k of constraints) {
    const vars: number[] = [];
    const coefs: number[] = [];
    let constant = k.constant;
    k.vars.forEach((v, i) => {
      const a = el(k.coefs, i);
      if (el(lo, v) === el(hi, v)) constant += a * el(lo, v);
      else {
        vars.push(v);
        coefs.push(a);
      }
    });
    if (vars.length === 0) continue;
    const idx = out.length;
    out.push({ vars, coefs, constant });
    for (const v of vars) el(varCons, v).push(idx);
  }
  return { constraints: out, varCons };
}

function termMin(a: number, l: number, h: number): number {
  return a > 0 ? a * l : h === INF ? -INF : a * h;
}
function termMax(a: number, l: number, h: number): number {
  return a > 0 ? (h === INF ? INF : a * h) : a * l;
}

/**
 * Work-list bounds propagation. `start` lists the constraints to look at first (all when
 * omitted). Returns false on a contradiction. `budget` caps constraint evaluations; when
 * it runs out the bounds so far are still sound, just not as tight as they could be.
 */
export function propagate(
  sys: ConstraintSystem,
  lo: number[],
  hi: number[],
  start?: readonly number[],
  budget = 200_000 + 500 * sys.constraints.length,
): boolean {
  const n = sys.constraints.length;
  const inQueue = new Uint8Array(n);
  const queue: number[] = [];
  let head = 0;
  const push = (k: number) => {
    if (inQueue[k] === 1) return;
    inQueue[k] = 1;
    queue.push(k);
  };
  if (start) for (const k of start) push(k);
  else for (let k = 0; k < n; k++) push(k);
  let evaluations = 0;
  while (head < queue.length) {
    if (evaluations++ > budget) return true;
    const k = el(queue, head++);
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    inQueue[k] = 0;
    const c = el(sys.constraints, k);
    const len = c.vars.length;
    let minFinite = c.constant;
    let maxFinite = c.constant;
    let minInf = 0;
    let maxInf = 0;
    for (let i = 0; i < len; i++) {
      const v = el(c.vars, i);
      const a = el(c.coefs, i);
      const tMin = termMin(a, el(lo, v), el(hi, v));
      const tMax = termMax(a, el(lo, v), el(hi, v));
      if (tMin === -INF) minInf++;
      else minFinite += tMin;
      if (tMax === INF) maxInf++;
      else maxFinite += tMax;
    }
    if (minInf === 0 && minFinite > EPS) return false;
    if (maxInf === 0 && maxFinite < -EPS) return false;
    for (let i = 0; i < len; i++) {
      const v = el(c.vars, i);
      const a = el(c.coefs, i);
      const l = el(lo, v);
      const h = el(hi, v);
      const tMin = termMin(a, l, h);
      const tMax = termMax(a, l, h);
      const oMin = minInf - (tMin === -INF ? 1 : 0) > 0 ? -INF : minFinite - (tMin === -INF ? 0 : tMin);
      const oMax = maxInf - (tMax === INF ? 1 : 0) > 0 ? INF : maxFinite - (tMax === INF ? 0 : tMax);
      // a·x = −(others)  ⇒  a·x ∈ [−oMax, −oMin].
      let newLo = l;
      let newHi = h;
      if (a > 0) {
        if (oMax !== INF) newLo = Math.max(l, Math.ceil(-oMax / a - EPS));
        if (oMin !== -INF) newHi = Math.min(h, Math.floor(-oMin / a + EPS));
      } else {
        if (oMin !== -INF) newLo = Math.max(l, Math.ceil(-oMin / a - EPS));
        if (oMax !== INF) newHi = Math.min(h, Math.floor(-oMax / a + EPS));
      }
      if (newLo === l && newHi === h) continue;
      if (newLo > newHi) return false;
      lo[v] = newLo;
      hi[v] = newHi;
      const nMin = termMin(a, newLo, newHi);
      const nMax = termMax(a, newLo, newHi);
      if (tMin === -INF) minInf--;
      else minFinite -= tMin;
      if (nMin === -INF) minInf++;
      else minFinite += nMin;
      if (tMax === INF) maxInf--;
      else maxFinite -= tMax;
      if (nMax === INF) maxInf++;
      else maxFinite += nMax;
      for (const k2 of el(sys.varCons, v)) push(k2);
    }
  }
  return true;
}

/**
 * Equations that follow from combining lines: Gauss–Jordan elimination over the hidden
 * variables, each result row expressed back over every variable it involves (hidden,
 * rounded and exact), so a rounded figure keeps one interval however many lines it is
 * in. Lines without a hidden variable add nothing here (they stay in the system as they
 * are). The line matrix of a two-way table with margins is totally unimodular, so the
 * elimination stays in small integers and floating point is exact.
 */
export function derivedConstraints(lines: readonly (readonly number[])[], hidden: readonly boolean[]): LinearConstraint[] {
  const used = lines.filter((line) => line.some((v) => el(hidden, v)));
  const unknowns: number[] = [];
  const col = new Map<number, number>();
  for (const line of used) {
    for (const v of line) {
      if (el(hidden, v) && !col.has(v)) {
        col.set(v, unknowns.length);
        unknowns.push(v);
      }
    }
  }
  const nL = used.length;
  const nU = unknowns.length;
  if (nU === 0) return [];
  const A: Float64Array[] = used.map((line) => {
    const row = new Float64Array(nU);
    line.forEach((v, i) => {
      const j = col.get(v);
      if (j !== undefined) row[j] = i === line.length - 1 ? -1 : 1;
    });
    return row;
  });
  const M: Float64Array[] = used.map((_, i) => {
    const row = new Float64Array(nL);
    row[i] = 1;
    return row;
  });
  let rank = 0;
  for (let j = 0; j < nU && rank < nL; j++) {
    let p = -1;
    for (let r = rank; r < nL; r++) {
      if (Math.abs(el(A, r)[j] ?? 0) > EPS) {
        p = r;
        break;
      }
    }
    if (p < 0) continue;
    [A[rank], A[p]] = [el(A, p), el(A, rank)];
    [M[rank], M[p]] = [el(M, p), el(M, rank)];
    const pa = el(A, rank);
    const pm = el(M, rank);
    const piv = pa[j] ?? 1;
    if (piv !== 1) {
      for (let c = 0; c < nU; c++) pa[c] = (pa[c] ?? 0) / piv;
      for (let c = 0; c < nL; c++) pm[c] = (pm[c] ?? 0) / piv;
    }
    for (let r = 0; r < nL; r++) {
      if (r === rank) continue;
      const ra = el(A, r);
      const f = ra[j] ?? 0;
      if (Math.abs(f) <= EPS) continue;
      const rm = el(M, r);
      for (let c = 0; c < nU; c++) ra[c] = (ra[c] ?? 0) - f * (pa[c] ?? 0);
      for (let c = 0; c < nL; c++) rm[c] = (rm[c] ?? 0) - f * (pm[c] ?? 0);
    }
    rank++;
  }
  const out: LinearConstraint[] = [];
  for (let r = 0; r < rank; r++) {
    const mult = el(M, r);
    const acc = new Map<number, number>();
    for (let l = 0; l < nL; l++) {
      const f = mult[l] ?? 0;
      if (Math.abs(f) <= EPS) continue;
      const line = el(used, l);
      line.forEach((v, i) => acc.set(v, (acc.get(v) ?? 0) + f * (i === line.length - 1 ? -1 : 1)));
    }
    const vars: number[] = [];
    const coefs: number[] = [];
    for (const [v, a] of acc) {
      if (Math.abs(a) > EPS) {
        vars.push(v);
        coefs.push(Math.round(a * 1e6) / 1e6);
      }
    }
    if (vars.length > 0) out.push({ vars, coefs, constant: 0 });
  }
  return out;
}

/**
 * Tighten integer bounds lo/hi along lines (members…, total) until nothing changes.
 * Returns false if the bounds become contradictory.
 */
export function propagateBounds(lines: readonly (readonly number[])[], lo: number[], hi: number[]): boolean {
  return propagate(buildSystem(lines.map(lineConstraint), lo, hi), lo, hi);
}

/**
 * Probing: for each target, find the smallest and the largest value that does not lead
 * to a contradiction when assumed, narrow the target to them and propagate. Repeats
 * until nothing changes. Returns false if some target has no possible value.
 */
export function shave(sys: ConstraintSystem, lo: number[], hi: number[], targets: readonly number[]): boolean {
  const probe = (v: number, x: number): boolean => {
    const l2 = [...lo];
    const h2 = [...hi];
    l2[v] = x;
    h2[v] = x;
    return propagate(sys, l2, h2, el(sys.varCons, v), 20_000);
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const v of targets) {
      const l = el(lo, v);
      const h = el(hi, v);
      if (h === INF || l === h) continue;
      let first = l;
      while (first <= h && !probe(v, first)) first++;
      if (first > h) return false;
      let last = h;
      while (last > first && !probe(v, last)) last--;
      if (first !== l || last !== h) {
        lo[v] = first;
        hi[v] = last;
        if (!propagate(sys, lo, hi, el(sys.varCons, v))) return false;
        changed = true;
      }
    }
  }
  return true;
}
