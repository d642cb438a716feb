/**
 * Disclosure-control policy (domain.md §5, issue 7 item 5).
 *
 * One policy object drives every shared figure: reports, alert copies, commissioner
 * exports, PIN charts. Every number is configuration with a documented default.
 *
 * Defaults and the choices behind them:
 * - Counts 1–7 are *primary-suppressed* and shown as "*".
 * - Other counts are rounded to the nearest 5 for sub-national figures (half-up; for an
 *   odd base no count is ever exactly half-way). National figures are exact unless
 *   `roundNational` is set.
 * - **Zero is shown as 0 and is not treated as disclosive by default.** Beacon's shared
 *   tables count events (overdoses, deaths, submissions) by area, period and type. A zero
 *   says that no event was reported, which is not a fact about any identifiable person.
 *   A zero *can* be disclosive in tables of people cross-classified by an attribute
 *   ("all 6 people in this hostel tested positive": the zero beside the 6 reveals the
 *   attribute of every member of the row). Such tables should set `suppressZeros: true`,
 *   which treats 0 like a count in the suppressed range.
 * - Secondary suppression is on: a hidden cell must not be recoverable from the row or
 *   column totals (see `table.ts`).
 * - `minUncertainty` 1: an attacker's narrowest possible interval for a hidden count must
 *   contain at least two values (hi − lo ≥ 1). Raise it to demand wider protection.
 */

export type Geography = 'national' | 'sub-national';

export interface DisclosurePolicy {
  /** Smallest count that is primary-suppressed (default 1). */
  suppressFrom: number;
  /** Largest count that is primary-suppressed (default 7). */
  suppressTo: number;
  /** Treat zero as disclosive (suppress it like a small count). Default false. */
  suppressZeros: boolean;
  /** Round published counts to a multiple of this base (default 5; 1 = no rounding). */
  roundingBase: number;
  /** Round national figures too (default false: only sub-national figures are rounded). */
  roundNational: boolean;
  /** Apply secondary suppression in tables with totals (default true). */
  secondarySuppression: boolean;
  /**
   * Required width of an attacker's interval for a primary-suppressed count:
   * hi − lo ≥ minUncertainty (default 1, i.e. never known exactly).
   */
  minUncertainty: number;
  /** Symbol shown for a suppressed count (default "*"). */
  symbol: string;
}

export const DEFAULT_DISCLOSURE_POLICY: Readonly<DisclosurePolicy> = Object.freeze({
  suppressFrom: 1,
  suppressTo: 7,
  suppressZeros: false,
  roundingBase: 5,
  roundNational: false,
  secondarySuppression: true,
  minUncertainty: 1,
  symbol: '*',
});

/** Options that belong to one call rather than to the policy. */
export interface ProtectOptions {
  /** Default 'sub-national' (the safer choice: figures are rounded). */
  geography?: Geography;
}

/**
 * Merge a partial policy with the defaults and validate it. Throws RangeError on a policy
 * that could publish a misleading or disclosive figure.
 */
export function resolvePolicy(partial: Partial<DisclosurePolicy> = {}): DisclosurePolicy {
  const p: DisclosurePolicy = { ...DEFAULT_DISCLOSURE_POLICY, ...partial };
  const ints: Array<[string, number]> = [
    ['suppressFrom', p.suppressFrom],
    ['suppressTo', p.suppressTo],
    ['roundingBase', p.roundingBase],
    ['minUncertainty', p.minUncertainty],
  ];
  for (const [name, v] of ints) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  if (p.suppressFrom < 1) throw new RangeError('suppressFrom must be at least 1 (use suppressZeros for zero)');
  if (p.suppressTo < p.suppressFrom - 1) throw new RangeError('suppressTo must be ≥ suppressFrom − 1');
  if (p.roundingBase < 1) throw new RangeError('roundingBase must be at least 1');
  // The smallest count that is published must not round to 0 (it would look like a true
  // zero) nor to a value inside the suppressed range.
  const smallest = p.suppressTo + 1;
  if (p.roundingBase > 1 && roundHalfUp(smallest, p.roundingBase) <= p.suppressTo) {
    throw new RangeError(
      `roundingBase ${p.roundingBase} would publish the count ${smallest} as ${roundHalfUp(smallest, p.roundingBase)}`,
    );
  }
  if (p.suppressTo >= p.suppressFrom || p.suppressZeros) {
    // A hidden count's prior range is [0 or suppressFrom, suppressTo]; no amount of extra
    // suppression can make an attacker less certain than that.
    const widest = p.suppressTo - (p.suppressZeros ? 0 : p.suppressFrom);
    if (p.minUncertainty > widest) {
      throw new RangeError(`minUncertainty ${p.minUncertainty} exceeds the width of the suppressed range (${widest})`);
    }
  }
  if (p.symbol.length === 0 || /\d/.test(p.symbol)) throw new RangeError('symbol must be non-empty and contain no digit');
  return p;
}

/** Round a non-negative integer to the nearest multiple of `base`, halves up. */
export function roundHalfUp(n: number, base: number): number {
  if (base <= 1) return n;
  return base * Math.floor(n / base + 0.5);
}

/** Whether figures at this geography are rounded under the policy. */
export function roundsAt(policy: DisclosurePolicy, geography: Geography): boolean {
  return policy.roundingBase > 1 && (geography === 'sub-national' || policy.roundNational);
}

/**
 * Every true count that a published rounded value `r` can stand for, given that a shown
 * count is never in the suppressed range: [max(suppressTo+1, ⌈r − base/2⌉), ⌈r + base/2⌉ − 1].
 * For base 5 this is r − 2 … r + 2.
 */
export function roundedInterval(r: number, policy: DisclosurePolicy): [number, number] {
  const b = policy.roundingBase;
  const lo = Math.max(policy.suppressTo + 1, Math.ceil(r - b / 2));
  const hi = Math.ceil(r + b / 2) - 1;
  return [lo, hi];
}

/** The footnote to print under any protected figure or table. */
export function disclosureNote(policy: DisclosurePolicy, geography: Geography = 'sub-national'): string {
  const parts: string[] = [];
  const range =
    policy.suppressTo >= policy.suppressFrom
      ? policy.suppressFrom === policy.suppressTo
        ? `${policy.suppressFrom}`
        : `${policy.suppressFrom} to ${policy.suppressTo}`
      : null;
  if (range !== null || policy.suppressZeros) {
    const what = [policy.suppressZeros ? '0' : null, range].filter((x) => x !== null).join(' or ');
    parts.push(
      `${policy.symbol} = a count of ${what}${policy.secondarySuppression ? ', or a figure hidden so that another cannot be worked out' : ''}`,
    );
  }
  if (roundsAt(policy, geography)) {
    parts.push(`other figures are rounded to the nearest ${policy.roundingBase}, so totals may not add up`);
  }
  return parts.length === 0 ? '' : `${parts.join('; ')}.`;
}
