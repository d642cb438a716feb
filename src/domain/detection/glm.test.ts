import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  anscombeResiduals,
  devianceResiduals,
  fitGlm,
  fitGroupedRows,
  fitGroupedTrendGlm,
  fitGroupedTrendGlmExact,
  expTable,
  GroupedRows,
  setRowConstants,
  GlmError,
  matrixFromRows,
  pearsonResiduals,
  predictLink,
} from './glm';

/**
 * Reference values computed with R 4.2.2 `glm()` (script kept in the comments of
 * each case; printed with sprintf("%.15g")).
 */

function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-8, abs = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(a, `index ${i}`).toBeNaN();
      continue;
    }
    expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(e)));
  }
}

function diag(m: Float64Array, p: number): number[] {
  return Array.from({ length: p }, (_, j) => m[j * p + j]!);
}

describe('fitGlm — Poisson (Dobson 1990, the example in ?glm)', () => {
  // counts <- c(18,17,15,20,10,20,25,13,12); outcome <- gl(3,1,9); treatment <- gl(3,3)
  // glm(counts ~ outcome + treatment, family = poisson())
  const counts = [18, 17, 15, 20, 10, 20, 25, 13, 12];
  const rows = counts.map((_, i) => {
    const outcome = i % 3;
    const treatment = Math.floor(i / 3);
    return [1, outcome === 1 ? 1 : 0, outcome === 2 ? 1 : 0, treatment === 1 ? 1 : 0, treatment === 2 ? 1 : 0];
  });
  const fit = fitGlm(matrixFromRows(rows), counts);

  it('matches coefficients, standard errors, deviance and iterations', () => {
    expectClose(fit.coefficients.slice(0, 3), [3.04452243772342, -0.454255272277595, -0.292987124681473]);
    expect(Math.abs(fit.coefficients[3]!)).toBeLessThan(1e-12);
    expect(Math.abs(fit.coefficients[4]!)).toBeLessThan(1e-12);
    expectClose(
      diag(fit.covScaled, 5).map(Math.sqrt),
      [0.170898651504024, 0.202170756683482, 0.192742343532216, 0.199999997948297, 0.199999998490874],
    );
    expectClose([fit.deviance], [5.12914107700114]);
    expect(fit.iterations).toBe(4);
    expect(fit.converged).toBe(true);
    expect(fit.dispersion).toBe(1);
    expect(fit.dfResidual).toBe(4);
  });

  it('matches leverages and z-test p-values', () => {
    expectClose(
      fit.hat,
      [
        0.613333326567793, 0.511111112244911, 0.542222221716558, 0.613333330286545, 0.511111116946782,
        0.542222226119219, 0.613333328188582, 0.511111114294185, 0.542222223635424,
      ],
    );
    expectClose(
      fit.tests.map((t) => t.pValue),
      [5.42676746190864e-71, 0.0246471146278089, 0.128486511787878, 0.999999999999995, 0.999999999999997],
      1e-6,
    );
  });

  it('residuals are consistent with the deviance and Pearson χ²', () => {
    const d = devianceResiduals(fit, counts);
    expect(d.reduce((s, v) => s + v * v, 0)).toBeCloseTo(fit.deviance, 10);
    const pr = pearsonResiduals(fit, counts);
    expect(pr.reduce((s, v) => s + v * v, 0)).toBeCloseTo(fit.pearsonChi2, 6);
  });
});

describe('fitGlm — quasi-Poisson with offset and prior weights', () => {
  // y <- c(2,3,6,7,8,9,10,12,15,20,0,4); x <- 1:12
  // pop <- c(100,120,130,150,160,150,170,180,200,210,90,110)
  // wt <- c(1,1,2,1,0.5,1,1,2,1,1,1,0.7)
  // m2 <- glm(y ~ x, family = quasipoisson(), offset = log(pop), weights = wt)
  const y = [2, 3, 6, 7, 8, 9, 10, 12, 15, 20, 0, 4];
  const pop = [100, 120, 130, 150, 160, 150, 170, 180, 200, 210, 90, 110];
  const wt = [1, 1, 2, 1, 0.5, 1, 1, 2, 1, 1, 1, 0.7];
  const x = matrixFromRows(y.map((_, i) => [1, i + 1]));
  const fit = fitGlm(x, y, { family: 'quasipoisson', offset: pop.map(Math.log), weights: wt });

  it('matches R', () => {
    expectClose(fit.coefficients, [-3.32308895618881, 0.0625153675674256]);
    expectClose(diag(fit.covScaled, 2).map(Math.sqrt), [0.283641814619804, 0.0366454141439172]);
    expectClose([fit.dispersion], [1.30927235970413]);
    expectClose([fit.deviance], [19.918773134307]);
    expect(fit.iterations).toBe(5);
    expectClose(
      fit.hat,
      [
        0.183513388202244, 0.177741535248335, 0.30240724084278, 0.133914823565187, 0.0547015008856485,
        0.0827510682398826, 0.0874161336060948, 0.212951706090612, 0.161292677020402, 0.24881010992397,
        0.158010675688831, 0.196489140686014,
      ],
    );
    expectClose(
      fit.tests.map((t) => t.pValue),
      [3.6588571053147e-7, 0.118827528293661],
      1e-7,
    );
  });

  it('predicts on the link scale with a standard error (predict.glm)', () => {
    const pr = predictLink(fit, [1, 13], Math.log(150));
    expectClose([pr.fit, pr.seFit], [2.50024611628398, 0.241208417441919]);
  });

  it('computes surveillance’s standardised Anscombe residuals', () => {
    // surveillance:::anscombe.residuals(m2, 1.7)
    expectClose(
      anscombeResiduals(y, fit.fitted, fit.hat, 1.7),
      [
        -0.878532755162456, -0.783822835961919, 0.133113028335685, 0.0180777521650028, 0.0328956050049037,
        0.316269409227419, 0.131557023349374, 0.337701965432593, 0.536843837210616, 1.29740267184055,
        -3.18464184821579, -1.44996965471955,
      ],
      1e-7,
    );
  });
});

describe('fitGlm — edge cases', () => {
  it('reports aliased coefficients as R does (NA) for a rank-deficient design', () => {
    // x1 <- 1:6; x2 <- 2 * x1; y3 <- c(1,3,2,5,4,7); glm(y3 ~ x1 + x2, family = poisson())
    const y = [1, 3, 2, 5, 4, 7];
    const fit = fitGlm(matrixFromRows(y.map((_, i) => [1, i + 1, 2 * (i + 1)])), y);
    expect(fit.rank).toBe(2);
    expect(fit.aliased).toEqual([false, false, true]);
    expectClose(fit.coefficients, [0.141833074516205, 0.295297308546449, Number.NaN]);
    expectClose(diag(fit.covScaled, 3).map(Math.sqrt), [0.620182178501848, 0.13486798010896, Number.NaN]);
    expectClose([fit.deviance], [1.44459465181563]);
  });

  it('follows R’s iterations when a factor level has only zeros', () => {
    // y4 <- c(0,0,0,0,3,5,4,6,2,1,2,3); g4 <- factor(rep(1:3, each = 4)); t4 <- 1:12
    // glm(y4 ~ t4 + g4, family = quasipoisson())   # 19 iterations, fitted ≈ 4e-10 in level 1
    const y = [0, 0, 0, 0, 3, 5, 4, 6, 2, 1, 2, 3];
    const rows = y.map((_, i) => {
      const g = Math.floor(i / 4);
      return [1, i + 1, g === 1 ? 1 : 0, g === 2 ? 1 : 0];
    });
    const fit = fitGlm(matrixFromRows(rows), y, { family: 'quasipoisson' });
    expect(fit.iterations).toBe(19);
    expect(fit.converged).toBe(true);
    expectClose(
      fit.fitted,
      [
        4.22464992008723e-10, 5.09043617923731e-10, 6.13365390861855e-10, 7.39066534694253e-10, 3.32949555296997,
        4.0118317356573, 4.83400371592937, 5.82466899544336, 1.47977580131999, 1.7830363269588, 2.14844609596861,
        2.58874177575261,
      ],
      1e-6,
    );
    expectClose([fit.dispersion, fit.deviance], [0.12844131125503, 1.06413307364707], 1e-6);
  });

  it('rejects negative responses and mismatched lengths', () => {
    const x = matrixFromRows([[1], [1]]);
    expect(() => fitGlm(x, [1, -1])).toThrow(GlmError);
    expect(() => fitGlm(x, [1])).toThrow(GlmError);
    expect(() => fitGlm(x, [1, 2], { weights: [1] })).toThrow(GlmError);
  });

  it('leaves rows with zero prior weight out of the fit', () => {
    const y = [3, 5, 4, 100];
    const a = fitGlm(matrixFromRows([[1], [1], [1], [1]]), y, { weights: [1, 1, 1, 0] });
    expect(Math.exp(a.coefficients[0]!)).toBeCloseTo(4, 10);
    expect(a.dfResidual).toBe(2);
    expect(a.hat[3]).toBe(0);
  });
});

describe('fitGroupedTrendGlm — the Farrington design in closed form', () => {
  // set.seed(3); n <- 60; t5 <- 0:(n-1); g5 <- factor(rep(1:4, length.out = n))
  // y5 <- rpois(n, exp(1 + 0.01*t5 + c(0,0.3,-0.2,0.5)[as.integer(g5)])); w5 <- runif(n, 0.5, 1.5)
  // m5 <- glm(y5 ~ 1 + t5 + g5, family = quasipoisson(), weights = w5)
  const y = [
    1, 5, 2, 4, 3, 4, 1, 4, 3, 5, 2, 5, 3, 4, 4, 7, 1, 5, 5, 4, 2, 1, 1, 3, 2, 6, 3, 9, 4, 6, 2, 5, 2, 5, 2, 5, 6, 3, 3,
    4, 3, 7, 2, 7, 4, 4, 1, 4, 3, 8, 2, 5, 7, 13, 6, 12, 4, 4, 2, 6,
  ];
  const w = [
    1.31610606028698, 0.557612992823124, 1.30282924952917, 0.604387835366651, 1.26660601864569, 0.804810566361994,
    1.2692874209024, 1.04065572633408, 0.862370532238856, 0.592556916177273, 1.25975525518879, 1.26081994688138,
    1.4032608452253, 1.46628278610297, 1.01525662280619, 1.04948067385703, 0.663719896925613, 0.664596953662112,
    1.28633277746849, 1.25111341965385, 1.28421470429748, 1.15435491455719, 0.87810439732857, 0.508566967444494,
    1.45532955368981, 1.3386161478702, 0.713424937566742, 0.994713556254283, 1.13624425628223, 1.42109139310196,
    0.511744040763006, 0.767402917146683, 0.935572101734579, 1.32946709473617, 1.37094403849915, 0.751068959478289,
    0.824358248384669, 0.806237811921164, 0.684282035101205, 1.17997739952989, 1.26633767364547, 1.18213222711347,
    0.709130792180076, 1.21194376097992, 1.10529818548821, 0.840559205040336, 0.541170320939273, 0.901752509409562,
    0.579059645533562, 0.812552650459111, 0.825075935805216, 0.578366457251832, 0.650219770614058, 0.652425069594756,
    1.41342360107228, 1.20225289906375, 1.32054832205176, 1.16556309070438, 0.716185113880783, 0.963062402792275,
  ];
  const t = y.map((_, i) => i);
  const group = y.map((_, i) => i % 4);
  const fit = fitGroupedTrendGlm({ y, group, groups: 4, t, trend: true, weights: w });

  it('matches R’s fit of 1 + t + factor (coefficients reparametrised)', () => {
    // R: (Intercept) 0.797042132402716, t5 0.0114057137546547, g52..g54 0.486750516460448 -0.136948650701058 0.592143604918694
    const c = fit.coefficients;
    expectClose(
      [c[0]!, c[4]!, c[1]! - c[0]!, c[2]! - c[0]!, c[3]! - c[0]!],
      [0.797042132402716, 0.0114057137546547, 0.486750516460448, -0.136948650701058, 0.592143604918694],
    );
    expectClose([fit.dispersion, fit.deviance], [0.746716678245754, 41.0097704111373]);
    expect(fit.iterations).toBe(4);
    expect(fit.dfResidual).toBe(55);
  });

  it('matches R’s leverages and prediction standard error', () => {
    const h = fit.hat();
    expectClose([h[0]!, h[1]!, h[2]!, h[54]!, h[59]!], [0.0961410048862252, 0.0553636097228782, 0.0968355953642758, 0.165594618331473, 0.154768244141146]);
    const pr = fit.predict(3, 65);
    expectClose([pr.eta, Math.sqrt(pr.varUnscaled * fit.dispersion)], [2.13055713137397, 0.136823103195434]);
  });

  it('agrees with the dense solver on the same model', () => {
    const rows = y.map((_, i) => [1, i, group[i] === 1 ? 1 : 0, group[i] === 2 ? 1 : 0, group[i] === 3 ? 1 : 0]);
    const dense = fitGlm(matrixFromRows(rows), y, { family: 'quasipoisson', weights: w });
    expectClose(fit.fitted, Array.from(dense.fitted), 1e-10);
    expectClose(fit.hat(), Array.from(dense.hat), 1e-9);
    expectClose([fit.trendVarianceUnscaled()], [dense.covUnscaled[1 * 5 + 1]!], 1e-9);
    expect(fit.iterations).toBe(dense.iterations);
  });

  it('fits without trend (group means)', () => {
    const f = fitGroupedTrendGlm({ y: [1, 2, 3, 10, 20, 30], group: [0, 0, 0, 1, 1, 1], groups: 2, t: [], trend: false });
    expect(Math.exp(f.coefficients[0]!)).toBeCloseTo(2, 8);
    expect(Math.exp(f.coefficients[1]!)).toBeCloseTo(20, 8);
    expect(f.hasTrend).toBe(false);
    expect(f.predict(1, 0).varUnscaled).toBeCloseTo(1 / 60, 6);
  });
});

describe('fitGroupedTrendGlm fast path (per-group sums) against the row-by-row IRLS', () => {
  const dataset = fc.record({
    groups: fc.integer({ min: 1, max: 10 }),
    n: fc.integer({ min: 12, max: 260 }),
    level: fc.double({ min: -1, max: 5, noNaN: true }),
    slope: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
    trend: fc.boolean(),
    weighted: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  });

  it('gives the same fits (iterations, fitted values, dispersion, leverages, predictions)', () => {
    fc.assert(
      fc.property(dataset, ({ groups, n, level, slope, trend, weighted, seed }) => {
        let state = seed;
        const u = (): number => {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          return state / 2 ** 31;
        };
        const t = Array.from({ length: n }, (_, i) => i + 3);
        const group = t.map((_, i) => Math.floor((i * groups) / n));
        const y: number[] = t.map((ti, i): number => {
          const mu = Math.exp(level + slope * ti + 0.3 * group[i]!);
          let k = 0;
          let p = Math.exp(-Math.min(mu, 600));
          let c = p;
          const r = u();
          while (r > c && k < 5000) {
            k++;
            p *= mu / k;
            c += p;
          }
          return k;
        });
        if (!y.some((v) => v > 0)) y[0] = 1;
        const input = {
          y,
          group,
          groups,
          t,
          trend,
          ...(weighted ? { weights: y.map(() => 0.3 + u()) } : {}),
        };
        const fast = fitGroupedTrendGlm(input);
        const exact = fitGroupedTrendGlmExact(input);
        expect(fast.converged).toBe(exact.converged);
        if (!exact.converged) return;
        expect(fast.iterations).toBe(exact.iterations);
        expectClose(fast.fitted, Array.from(exact.fitted), 1e-7, 1e-9);
        expectClose([fast.dispersion, fast.deviance], [exact.dispersion, exact.deviance], 1e-7, 1e-9);
        expectClose(fast.hat(), Array.from(exact.hat()), 1e-6, 1e-9);
        const g = groups - 1;
        expectClose([fast.predict(g, n + 5).eta], [exact.predict(g, n + 5).eta], 1e-7, 1e-7);
      }),
      { numRuns: 200 },
    );
  });

  it('falls back to the row-by-row path for non-integer times', () => {
    const input = { y: [1, 2, 3, 4, 5, 6], group: [0, 0, 0, 1, 1, 1], groups: 2, t: [0.5, 1, 2, 3, 4, 5], trend: true };
    const a = fitGroupedTrendGlm(input);
    const b = fitGroupedTrendGlmExact(input);
    expect(Array.from(a.fitted)).toEqual(Array.from(b.fitted));
  });
});

describe('fitGroupedRows (rows in group order, sums by runs of consecutive times)', () => {
  // Farrington-like rows: each group is a few runs of consecutive weeks
  const dataset = fc.record({
    groups: fc.integer({ min: 1, max: 10 }),
    years: fc.integer({ min: 2, max: 5 }),
    runLength: fc.integer({ min: 1, max: 9 }),
    level: fc.double({ min: -1, max: 5, noNaN: true }),
    slope: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
    outliers: fc.integer({ min: 0, max: 6 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  });

  function build(groups: number, years: number, runLength: number, level: number, slope: number, seed: number) {
    let state = seed;
    const u = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const n = groups * years * runLength;
    const rows = new GroupedRows(n, groups);
    rows.reserve(n, groups);
    let k = 0;
    for (let g = 0; g < groups; g++) {
      rows.start[g] = k;
      for (let yr = 0; yr < years; yr++) {
        for (let j = 0; j < runLength; j++) {
          const t = yr * 52 + g * runLength + j;
          const mu = Math.exp(level + slope * t + 0.2 * g);
          const y = Math.floor(mu * (0.5 + u()) + u());
          rows.y[k] = y;
          rows.group[k] = g;
          rows.t[k] = t;
          rows.tf[k] = t;
          setRowConstants(y, k, rows.c1, rows.c2, rows.z0);
          k++;
        }
      }
    }
    rows.start[groups] = k;
    rows.n = n;
    rows.groups = groups;
    rows.tmax = (years - 1) * 52 + groups * runLength - 1;
    if (!rows.y.subarray(0, n).some((v) => v > 0)) {
      rows.y[0] = 1;
      setRowConstants(1, 0, rows.c1, rows.c2, rows.z0);
    }
    return { rows, n, u };
  }

  it('agrees with the row-by-row IRLS without weights', () => {
    fc.assert(
      fc.property(dataset, ({ groups, years, runLength, level, slope, seed }) => {
        const { rows, n } = build(groups, years, runLength, level, slope, seed);
        const fit = fitGroupedRows(rows, null, true);
        const exact = fitGroupedTrendGlmExact({
          y: rows.y.subarray(0, n),
          group: rows.group.subarray(0, n),
          groups,
          t: rows.t.subarray(0, n),
          trend: true,
        });
        expect(fit.converged).toBe(exact.converged);
        if (!exact.converged) return;
        expect(fit.iterations).toBe(exact.iterations);
        expectClose(fit.fitted, Array.from(exact.fitted), 1e-9, 1e-12);
        expectClose([fit.dispersion], [exact.dispersion], 1e-9, 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it('with a common weight and a few exceptions, agrees with the sums row by row', () => {
    fc.assert(
      fc.property(dataset, ({ groups, years, runLength, level, slope, outliers, seed }) => {
        const { rows, n, u } = build(groups, years, runLength, level, slope, seed);
        const common = 0.8 + 0.4 * u();
        const w = new Float64Array(n).fill(common);
        for (let o = 0; o < outliers; o++) w[Math.floor(u() * n)] = common * (0.05 + 0.5 * u());
        const byRuns = fitGroupedRows(rows, w, true, {}, undefined, common);
        const rowByRow = fitGroupedRows(rows, w, true);
        expect(byRuns.converged).toBe(rowByRow.converged);
        if (!rowByRow.converged) return;
        expect(byRuns.iterations).toBe(rowByRow.iterations);
        expectClose(byRuns.coefficients, Array.from(rowByRow.coefficients), 1e-11, 1e-13);
        expectClose([byRuns.dispersion], [rowByRow.dispersion], 1e-11, 1e-13);
      }),
      { numRuns: 150 },
    );
  });
});

describe('expTable (exp(βt) tabulated for the fast path and the Anscombe residuals)', () => {
  it('agrees with Math.exp to a few ulps (relative to |βt|, the rounding of the argument), also past 4,096 weeks', () => {
    for (const beta of [0, 1e-6, -0.013, 0.02, -0.25, 0.7]) {
      const tmax = 5000;
      const out = new Float64Array(tmax + 1);
      expTable(beta, tmax, out);
      let worst = 0;
      for (let t = 0; t <= tmax; t++) {
        const want = Math.exp(beta * t);
        if (want > 1e-300 && want < 1e300) worst = Math.max(worst, Math.abs(out[t]! - want) / want / (1 + Math.abs(beta * t)));
      }
      expect(worst).toBeLessThan(1e-14);
    }
  });

  it('rejects a non-integer or negative tmax', () => {
    expect(() => expTable(0.1, -1, new Float64Array(1))).toThrow(RangeError);
    expect(() => expTable(0.1, 2.5, new Float64Array(3))).toThrow(RangeError);
  });
});
