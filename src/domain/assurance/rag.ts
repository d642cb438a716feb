/**
 * RAG ratings of a self-audit item (domain.md §4; seed 002). The definitions are the
 * seed's own words. The seed also rates some items between two colours ("G / A", "A/G"):
 * Beacon keeps that as its own rating, "Green / Amber", rather than forcing a choice.
 * A rating is always shown with its word, never by colour alone.
 */
export const RAG_RATINGS = ['red', 'amber', 'green_amber', 'green'] as const;
export type RagRating = (typeof RAG_RATINGS)[number];

export interface RagDefinition {
  rating: RagRating;
  label: string;
  /** The seed's definition (seed 002, the key under section 4). */
  definition: string;
  /** nhsuk-tag modifier (colour is a second cue only; the label is the meaning). */
  tag: 'red' | 'orange' | 'yellow' | 'green';
  /** Order from worst (0) to best. */
  rank: number;
}

export const RAG_DEFINITIONS: Readonly<Record<RagRating, RagDefinition>> = Object.freeze({
  red: {
    rating: 'red',
    label: 'Red',
    definition: 'Not in place or not at standard required and significant needs/improvements identified',
    tag: 'red',
    rank: 0,
  },
  amber: {
    rating: 'amber',
    label: 'Amber',
    definition: 'Progress being made but further work/investment required to meet identified need/standard',
    tag: 'orange',
    rank: 1,
  },
  green_amber: {
    rating: 'green_amber',
    label: 'Green / Amber',
    definition: 'Between Green and Amber: in place in most respects, with further work identified (the seed rates some items "G / A")',
    tag: 'yellow',
    rank: 2,
  },
  green: {
    rating: 'green',
    label: 'Green',
    definition: 'Provision in place and/or good progress being made against assessed need and required standards',
    tag: 'green',
    rank: 3,
  },
});

export function isRagRating(v: unknown): v is RagRating {
  return typeof v === 'string' && (RAG_RATINGS as readonly string[]).includes(v);
}

/** Reads the seed's notation: R, A, G, "G / A", "G/A", "A/G" (case and spaces ignored). */
export function parseSeedRag(text: string): RagRating | null {
  const t = text.replace(/\s+/g, '').toUpperCase();
  if (t === 'R' || t === 'RED') return 'red';
  if (t === 'A' || t === 'AMBER') return 'amber';
  if (t === 'G' || t === 'GREEN') return 'green';
  if (t === 'G/A' || t === 'A/G') return 'green_amber';
  return null;
}

export type RatingChange = 'improved' | 'worsened' | 'unchanged' | 'newly_rated' | 'no_longer_rated' | 'not_rated';

/** How a rating moved from one round to the next. */
export function compareRatings(before: RagRating | null, after: RagRating | null): RatingChange {
  if (before === null && after === null) return 'not_rated';
  if (before === null) return 'newly_rated';
  if (after === null) return 'no_longer_rated';
  const d = RAG_DEFINITIONS[after].rank - RAG_DEFINITIONS[before].rank;
  return d > 0 ? 'improved' : d < 0 ? 'worsened' : 'unchanged';
}

/** Counts of each rating (and the unrated) over a list of items. */
export function ragCounts(ratings: readonly (RagRating | null)[]): Record<RagRating | 'not_rated', number> {
  const out: Record<RagRating | 'not_rated', number> = { red: 0, amber: 0, green_amber: 0, green: 0, not_rated: 0 };
  for (const r of ratings) out[r ?? 'not_rated'] += 1;
  return out;
}
