/**
 * Scheduled detection inside the server: every `checkSeconds` it compares a fingerprint
 * of the data (reports, supplies, imported counts, imports, linkage, settings) with the
 * one the last successful run saw, and runs when they differ (after an import or a new
 * report) or when the last run is older than `intervalMinutes`. One check at a time; the
 * timer never keeps the process alive. Settings: `warning.schedule`.
 */
import type { Db } from '../db';
import { DEFAULT_SCHEDULE, loadWarningSettings, type ScheduleSettings } from './config';
import { lastSucceededRun } from './queries';
import { dataFingerprint, runDetection, type RunSummary } from './run';

export interface SchedulerLog {
  info(msg: string): void;
  error(msg: string): void;
}

/** What the check decides (pure, for tests). */
export function dueReason(
  schedule: ScheduleSettings,
  last: { fingerprint: string | null; started_at: string } | null,
  fingerprint: string,
  now: number,
): 'data_change' | 'schedule' | null {
  if (!schedule.enabled) return null;
  if (!last || last.fingerprint !== fingerprint) return 'data_change';
  if (now - Date.parse(last.started_at) >= schedule.intervalMinutes * 60_000) return 'schedule';
  return null;
}

export class WarningScheduler {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<RunSummary | null> | null = null;
  #stopped = false;
  readonly #db: Db;
  readonly #log: SchedulerLog;
  readonly #firstDelayMs: number;

  constructor(db: Db, log: SchedulerLog, options: { firstDelayMs?: number } = {}) {
    this.#db = db;
    this.#log = log;
    this.#firstDelayMs = options.firstDelayMs ?? 2_000;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(this.#firstDelayMs);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), ms);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    let next = DEFAULT_SCHEDULE.checkSeconds;
    try {
      const settings = await loadWarningSettings(this.#db);
      next = settings.schedule.checkSeconds;
      await this.checkNow(settings.schedule);
    } catch (err) {
      this.#log.error(`early-warning check failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'error'}`);
    }
    this.#schedule(next * 1000);
  }

  /** Runs detection now if it is due. Returns the run, or null when nothing was due. */
  async checkNow(schedule?: ScheduleSettings): Promise<RunSummary | null> {
    if (this.#running) return this.#running;
    const work = (async () => {
      const s = schedule ?? (await loadWarningSettings(this.#db)).schedule;
      const [last, fingerprint] = await Promise.all([lastSucceededRun(this.#db), dataFingerprint(this.#db)]);
      const why = dueReason(s, last, fingerprint, Date.now());
      if (!why || this.#stopped) return null;
      const r = await runDetection(this.#db, { trigger: why, by: 'system:scheduler' });
      this.#log.info(`early-warning run ${r.runId} (${why}): ${r.seriesComputed} of ${r.seriesTotal} series computed, ${r.alarmsNew} new alarm(s), ${r.durationMs} ms`);
      return r;
    })();
    this.#running = work;
    try {
      return await work;
    } finally {
      this.#running = null;
    }
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#running) await this.#running.catch(() => null);
  }
}
