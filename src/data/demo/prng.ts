/**
 * A small seeded pseudo-random number generator for the synthetic data generator.
 *
 * xoshiro128** (Blackman & Vigna) on four 32-bit words, seeded through splitmix32. It is
 * fast in plain JavaScript (32-bit integer arithmetic with `Math.imul` and `>>> 0`), has a
 * period of 2^128 − 1 and passes the usual statistical batteries, which is more than the
 * generator needs. `Math.random` is never used: the same seed must give byte-identical
 * output on every machine and Node version.
 *
 * Each person gets an independent stream derived from (seed, stream name, index) with
 * {@link streamSeed}, so a person's records depend only on the seed and their index — not
 * on how many random numbers earlier people consumed. That keeps output stable when one
 * part of the model changes and would let the work be split across workers.
 */

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return [next, z >>> 0];
}

/** FNV-1a hash of a string to 32 bits (for naming streams). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit seed for stream `name`, item `index`, under the master `seed`. */
export function streamSeed(seed: number, name: string, index = 0): number {
  let [state, a] = splitmix32((seed ^ hashString(name)) | 0);
  [state, a] = splitmix32((state ^ a ^ Math.imul(index + 1, 0x85ebca6b)) | 0);
  const [, b] = splitmix32((state ^ Math.imul(index, 0xc2b2ae35)) | 0);
  return (a ^ b) >>> 0;
}

/** Cumulative weight table for fast repeated weighted choices. */
export interface WeightTable<T> {
  readonly items: readonly T[];
  readonly cumulative: Float64Array;
  readonly total: number;
}

/** Build a {@link WeightTable} from `[item, weight]` pairs (weights ≥ 0, not all 0). */
export function weightTable<T>(pairs: ReadonlyArray<readonly [T, number]>): WeightTable<T> {
  const cumulative = new Float64Array(pairs.length);
  let total = 0;
  pairs.forEach(([, w], i) => {
    if (!(w >= 0)) throw new RangeError(`weight must be ≥ 0 (got ${w})`);
    total += w;
    cumulative[i] = total;
  });
  if (!(total > 0)) throw new RangeError('weights must not all be 0');
  return { items: pairs.map(([item]) => item), cumulative, total };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let s = seed | 0;
    let out: number;
    [s, out] = splitmix32(s);
    this.a = out | 0;
    [s, out] = splitmix32(s);
    this.b = out | 0;
    [s, out] = splitmix32(s);
    this.c = out | 0;
    [, out] = splitmix32(s);
    this.d = out | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // the all-zero state is a fixed point
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty array');
    return item;
  }

  /** A weighted choice from a prepared table. */
  weighted<T>(table: WeightTable<T>): T {
    const x = this.float() * table.total;
    const cum = table.cumulative;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < (cum[mid] ?? 0)) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo] as T;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Normal with mean and standard deviation, clamped to [lo, hi]. */
  normalClamped(mean: number, sd: number, lo: number, hi: number): number {
    return Math.min(hi, Math.max(lo, mean + sd * this.normal()));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Poisson count (Knuth's method; fine for the small means used here, λ ≲ 30). */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
