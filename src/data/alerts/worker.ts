/**
 * Sends due deliveries in the background: every `checkSeconds` (default 30) it sends the
 * deliveries whose retry time has come. One pass at a time; the timer never keeps the
 * process alive. Wire it beside the other schedulers where the server starts
 * (`new DeliveryWorker(db, log).start()`, and `await worker.stop()` on shutdown).
 */
import type { Db } from '../db';
import { processDeliveries, type ProcessResult } from './distribution';
import { mailerFromEnv } from './mailer';

export interface WorkerLog {
  info(msg: string): void;
  error(msg: string): void;
}

export class DeliveryWorker {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<ProcessResult | null> | null = null;
  #stopped = false;
  readonly #db: Db;
  readonly #log: WorkerLog;
  readonly #checkMs: number;

  constructor(db: Db, log: WorkerLog, options: { checkSeconds?: number } = {}) {
    this.#db = db;
    this.#log = log;
    this.#checkMs = (options.checkSeconds ?? 30) * 1000;
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => void this.tick(), this.#checkMs);
    this.#timer.unref();
  }

  /** One pass (also for tests). */
  async tick(): Promise<ProcessResult | null> {
    if (this.#running || this.#stopped) return null;
    this.#running = (async () => {
      try {
        const { mailer, retry } = mailerFromEnv();
        const r = await processDeliveries(this.#db, { mailer, retry, now: Date.now() });
        if (r.attempted > 0) this.#log.info(`alert deliveries: ${r.sent} sent, ${r.failed} failed`);
        return r;
      } catch (err) {
        this.#log.error(`alert deliveries: ${err instanceof Error ? err.name : 'error'}`);
        return null;
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
