/**
 * Count triggers: "N events in T days" (or hours) over dated events, for rare,
 * severe events such as deaths, and ODMAP-style spikes ("3 overdoses in 24 hours").
 *
 * Semantics
 * - A window of length T contains the events with time in (end − T, end]; so
 *   "3 in 7 days" fires for events on 1, 4 and 7 January (dates only) but not on
 *   1, 4 and 8 January: the events must fall within T of each other.
 * - `alignment: "sliding"` (default) considers every window ending at an event;
 *   `"calendar"` uses fixed windows [origin + kT, origin + (k+1)T), e.g. calendar
 *   days or ISO weeks (origin = a Monday).
 * - An event's `weight` (default 1) is the number of events it stands for (one
 *   report of three casualties).
 * - Dates `YYYY-MM-DD` are midnight UTC; date-times must carry `Z` or an offset
 *   (`2024-05-01T23:10:00+01:00`) or are read as UTC.
 * - Overlapping firing windows are merged into one episode; each episode says
 *   when it first fired (the event that brought the count to N), its span, the
 *   largest count seen in one window and the events involved.
 *
 * Pure: no I/O.
 */

export interface DatedEvent {
  id?: string;
  /** ISO date or date-time */
  at: string;
  /** events this record stands for (default 1) */
  weight?: number;
}

export interface CountTrigger {
  id?: string;
  /** N: fires when a window holds at least this many events */
  threshold: number;
  /** T: window length; days and hours add up */
  window: { days?: number; hours?: number };
  alignment?: 'sliding' | 'calendar';
  /** calendar alignment origin (ISO date or date-time); default 1970-01-05 (a Monday), midnight UTC */
  origin?: string;
}

export interface TriggerEpisode {
  /** the time of the event that first brought a window to N */
  firedAt: string;
  /** start of the first firing window (exclusive for sliding windows) */
  windowStart: string;
  /** end of the last firing window */
  windowEnd: string;
  /** the largest number of events in one window of the episode */
  peakCount: number;
  /** all events in the episode's firing windows */
  eventIds: string[];
}

export interface TriggerResult {
  triggerId?: string;
  fired: boolean;
  episodes: TriggerEpisode[];
  /** when `asOf` is given: events in the window ending at asOf, and whether that window fires */
  current?: { count: number; firing: boolean; windowStart: string; windowEnd: string };
}

export class TriggerInputError extends Error {
  override name = 'TriggerInputError';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

export function parseInstant(s: string): number {
  let ms: number;
  if (DATE.test(s)) ms = Date.parse(`${s}T00:00:00Z`);
  else if (DATETIME.test(s)) ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s : `${s}Z`);
  else throw new TriggerInputError(`not an ISO date or date-time: ${JSON.stringify(s)}`);
  if (Number.isNaN(ms)) throw new TriggerInputError(`invalid date: ${s}`);
  return ms;
}

function windowMs(t: CountTrigger): number {
  const ms = ((t.window.days ?? 0) * 24 + (t.window.hours ?? 0)) * 3_600_000;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new TriggerInputError('trigger window must be positive');
  return ms;
}

interface Ev {
  id: string;
  t: number;
  w: number;
}

function prepare(events: readonly DatedEvent[]): Ev[] {
  return events
    .map((e, i) => {
      const w = e.weight ?? 1;
      if (!(w >= 0) || !Number.isFinite(w)) throw new TriggerInputError(`event weight must be ≥ 0: ${String(e.weight)}`);
      return { id: e.id ?? String(i), t: parseInstant(e.at), w };
    })
    .sort((a, b) => a.t - b.t);
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Evaluates one count trigger over a set of events. */
export function evaluateCountTrigger(
  events: readonly DatedEvent[],
  trigger: CountTrigger,
  options: { asOf?: string } = {},
): TriggerResult {
  if (!(trigger.threshold > 0)) throw new TriggerInputError('trigger threshold must be > 0');
  const T = windowMs(trigger);
  const evs = prepare(events);
  const episodes: TriggerEpisode[] = [];
  const result: TriggerResult = { fired: false, episodes };
  if (trigger.id !== undefined) result.triggerId = trigger.id;

  if ((trigger.alignment ?? 'sliding') === 'sliding') {
    let lo = 0;
    let sum = 0;
    let open: { ep: TriggerEpisode; lastEnd: number; ids: Set<string> } | null = null;
    for (let hi = 0; hi < evs.length; hi++) {
      const e = evs[hi]!;
      sum += e.w;
      // include every event at the same instant before judging the window
      if (hi + 1 < evs.length && evs[hi + 1]!.t === e.t) continue;
      while (evs[lo]!.t <= e.t - T) sum -= evs[lo++]!.w;
      if (sum >= trigger.threshold) {
        if (open && evs[lo]!.t <= open.lastEnd) {
          // overlaps the current episode
          for (let j = lo; j <= hi; j++) open.ids.add(evs[j]!.id);
          open.lastEnd = e.t;
          open.ep.windowEnd = iso(e.t);
          open.ep.peakCount = Math.max(open.ep.peakCount, sum);
        } else {
          if (open) open.ep.eventIds = [...open.ids];
          const ids = new Set<string>();
          for (let j = lo; j <= hi; j++) ids.add(evs[j]!.id);
          const ep: TriggerEpisode = {
            firedAt: iso(e.t),
            windowStart: iso(e.t - T),
            windowEnd: iso(e.t),
            peakCount: sum,
            eventIds: [],
          };
          episodes.push(ep);
          open = { ep, lastEnd: e.t, ids };
        }
      }
    }
    if (open) open.ep.eventIds = [...open.ids];
  } else {
    const origin = trigger.origin !== undefined ? parseInstant(trigger.origin) : Date.UTC(1970, 0, 5);
    let i = 0;
    let prev: TriggerEpisode | null = null;
    let prevBucket = Number.NaN;
    while (i < evs.length) {
      const bucket = Math.floor((evs[i]!.t - origin) / T);
      const start = origin + bucket * T;
      let sum = 0;
      let firedAt = Number.NaN;
      const ids: string[] = [];
      while (i < evs.length && evs[i]!.t < start + T) {
        sum += evs[i]!.w;
        ids.push(evs[i]!.id);
        if (Number.isNaN(firedAt) && sum >= trigger.threshold) firedAt = evs[i]!.t;
        i++;
      }
      if (sum >= trigger.threshold) {
        if (prev && prevBucket === bucket - 1) {
          prev.windowEnd = iso(start + T);
          prev.peakCount = Math.max(prev.peakCount, sum);
          prev.eventIds.push(...ids);
        } else {
          prev = { firedAt: iso(firedAt), windowStart: iso(start), windowEnd: iso(start + T), peakCount: sum, eventIds: ids };
          episodes.push(prev);
        }
        prevBucket = bucket;
      }
    }
  }
  result.fired = episodes.length > 0;

  if (options.asOf !== undefined) {
    const end = parseInstant(options.asOf);
    let start: number;
    let stop: number;
    if ((trigger.alignment ?? 'sliding') === 'sliding') {
      start = end - T;
      stop = end;
    } else {
      const origin = trigger.origin !== undefined ? parseInstant(trigger.origin) : Date.UTC(1970, 0, 5);
      start = origin + Math.floor((end - origin) / T) * T;
      stop = end;
    }
    let count = 0;
    for (const e of evs) {
      const inside = (trigger.alignment ?? 'sliding') === 'sliding' ? e.t > start && e.t <= stop : e.t >= start && e.t <= stop;
      if (inside) count += e.w;
    }
    result.current = { count, firing: count >= trigger.threshold, windowStart: iso(start), windowEnd: iso(stop) };
  }
  return result;
}

/** Evaluates several triggers over the same events. */
export function evaluateCountTriggers(
  events: readonly DatedEvent[],
  triggers: readonly CountTrigger[],
  options: { asOf?: string } = {},
): TriggerResult[] {
  return triggers.map((t) => evaluateCountTrigger(events, t, options));
}
