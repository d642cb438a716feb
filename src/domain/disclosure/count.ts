/**
 * Protection of a single count (primary suppression and rounding only). A count that is
 * published next to others that add up to a published total needs `protectTable` instead.
 */
import {
  DEFAULT_DISCLOSURE_POLICY,
  roundHalfUp,
  roundsAt,
  type DisclosurePolicy,
  type Geography,
  type ProtectOptions,
} from './policy';

/**
 * How a published figure was produced. The status is for Beacon's own screens (the panel
 * sees why a figure is hidden); a shared copy prints `display` only, so a reader cannot
 * tell a primary from a secondary suppression.
 */
export type CellStatus = 'shown' | 'rounded' | 'primary-suppressed' | 'secondary-suppressed';

export interface PublishedCell {
  /** The published number (rounded where rounding applies); null when suppressed. */
  value: number | null;
  /** What to print: the number, or the policy's symbol. */
  display: string;
  status: CellStatus;
}

export function assertCount(n: number, what = 'count'): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${String(n)}`);
}

/** Whether a true count falls in the primary-suppression range of the policy. */
export function isPrimarySensitive(n: number, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): boolean {
  if (n === 0) return policy.suppressZeros;
  return n >= policy.suppressFrom && n <= policy.suppressTo;
}

export function suppressedCell(policy: DisclosurePolicy, secondary = false): PublishedCell {
  return { value: null, display: policy.symbol, status: secondary ? 'secondary-suppressed' : 'primary-suppressed' };
}

/** Publish a count that is not suppressed: rounded for sub-national figures, zero exact. */
export function publishUnsuppressed(n: number, policy: DisclosurePolicy, geography: Geography): PublishedCell {
  if (n !== 0 && roundsAt(policy, geography)) {
    const v = roundHalfUp(n, policy.roundingBase);
    return { value: v, display: String(v), status: 'rounded' };
  }
  return { value: n, display: String(n), status: 'shown' };
}

/**
 * Protect one count on its own: suppress it if it is in the sensitive range, otherwise
 * round it (sub-national) or show it exactly (national, or zero).
 */
export function protectCount(
  n: number,
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
  options: ProtectOptions = {},
): PublishedCell {
  assertCount(n);
  if (isPrimarySensitive(n, policy)) return suppressedCell(policy);
  return publishUnsuppressed(n, policy, options.geography ?? 'sub-national');
}
