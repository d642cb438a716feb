/**
 * Distribution (issue 7 item 4): who receives which copy, and when a failed delivery is
 * tried again.
 *
 * - Each distribution list has one audience tier; a copy goes only to the members of the
 *   lists of its tier, and nobody outside a list ever receives anything: recipients are
 *   computed from the lists, never typed in at sending time.
 * - One person on two lists of the same tier receives one e-mail; a person on lists of two
 *   tiers receives the copy of each tier they are listed for.
 * - A failed delivery is retried with exponential backoff (default 1 min, 4 min, 16 min,
 *   64 min, then every 4 h) up to `maxAttempts` (default 6); after that it stays failed
 *   and is shown as such until someone retries it by hand.
 */
import type { Tier } from './tiers';

export interface DistributionMember {
  email: string;
  name: string;
}

export interface DistributionList {
  id: number;
  name: string;
  tier: Tier;
  members: readonly DistributionMember[];
}

export interface Recipient {
  email: string;
  name: string;
  tier: Tier;
  /** The first list (lowest id) that names them for this tier. */
  listId: number;
}

const EMAIL_RE = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/** A plain e-mail address (no display name, no comments): the only form a list accepts. */
export function isEmailAddress(s: string): boolean {
  return s.length <= 254 && EMAIL_RE.test(s);
}

export function normaliseEmail(s: string): string {
  return s.trim().toLowerCase();
}

/**
 * Everyone who should receive a copy: members of the lists of the given tiers (all tiers
 * when omitted), one entry per address and tier, in a stable order.
 */
export function resolveRecipients(lists: readonly DistributionList[], tiers?: readonly Tier[]): Recipient[] {
  const out = new Map<string, Recipient>();
  for (const list of [...lists].sort((a, b) => a.id - b.id)) {
    if (tiers && !tiers.includes(list.tier)) continue;
    for (const m of list.members) {
      const email = normaliseEmail(m.email);
      if (!isEmailAddress(email)) continue;
      const key = `${list.tier}\u0000${email}`;
      if (!out.has(key)) out.set(key, { email, name: m.name.trim(), tier: list.tier, listId: list.id });
    }
  }
  return [...out.values()].sort((a, b) => (a.tier === b.tier ? a.email.localeCompare(b.email) : a.tier.localeCompare(b.tier)));
}

export interface RetryPolicy {
  /** Delay before the second attempt, in seconds. */
  firstDelaySeconds: number;
  /** Each further delay is this many times the one before. */
  factor: number;
  /** Longest delay between attempts, in seconds. */
  maxDelaySeconds: number;
  /** Attempts in all (the first included) before a delivery is given up as failed. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  firstDelaySeconds: 60,
  factor: 4,
  maxDelaySeconds: 4 * 3600,
  maxAttempts: 6,
});

/**
 * Seconds to wait after the given failed attempt (1 = the first), or null when no attempt
 * is left.
 */
export function retryDelaySeconds(failedAttempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | null {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError('failedAttempts must be a whole number ≥ 1');
  if (failedAttempts >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * policy.factor ** (failedAttempts - 1));
}

export type DeliveryStatus = 'pending' | 'sent' | 'retrying' | 'failed';

export const DELIVERY_STATUS_LABELS: Readonly<Record<DeliveryStatus, string>> = Object.freeze({
  pending: 'Waiting to send',
  sent: 'Sent',
  retrying: 'Failed, will retry',
  failed: 'Failed',
});

/** The state after an attempt. */
export function afterAttempt(
  ok: boolean,
  attempts: number,
  now: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): { status: DeliveryStatus; nextAttemptAt: number | null } {
  if (ok) return { status: 'sent', nextAttemptAt: null };
  const delay = retryDelaySeconds(attempts, policy);
  return delay === null ? { status: 'failed', nextAttemptAt: null } : { status: 'retrying', nextAttemptAt: now + delay * 1000 };
}
