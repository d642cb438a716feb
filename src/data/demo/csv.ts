/**
 * Streaming CSV output for the generator: one buffered write stream per dataset file,
 * written in batches with backpressure (a batch waits for `drain` when the stream's
 * buffer is full), so memory stays bounded whatever the dataset size.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

/** The dataset v1 files the generator writes, with every column it fills (dataset.md). */
export const COLUMNS = {
  services: ['service_id', 'name', 'organisation', 'local_authority', 'region'],
  people: ['person_id', 'service_id', 'date_of_birth', 'sex', 'nhs_number', 'postcode', 'injecting_status', 'housing', 'lives_alone', 'consent'],
  episodes: ['episode_id', 'person_id', 'start_date', 'end_date', 'exit_reason'],
  prescriptions: [
    'prescription_id', 'person_id', 'medication', 'dose_mg', 'start_date', 'end_date',
    'supervised', 'pickup', 'reduction_plan', 'planned_end_date', 'prescriber',
  ],
  top: [
    'top_id', 'person_id', 'date', 'stage', 'opiate_days', 'crack_days', 'cocaine_days', 'amphetamine_days',
    'cannabis_days', 'other_days', 'alcohol_days', 'alcohol_units', 'tobacco_per_day', 'injecting_days', 'sharing',
    'shoplifting_days', 'selling_days', 'theft', 'assault', 'psych_health', 'phys_health', 'quality_of_life',
    'paid_work_days', 'education_days', 'acute_housing', 'eviction_risk',
  ],
  drug_tests: ['test_id', 'person_id', 'date', 'substance', 'result', 'sample'],
  risk_events: ['event_id', 'person_id', 'date', 'type', 'detail'],
  naloxone: ['supply_id', 'date', 'product', 'person_id', 'recipient', 'reason', 'local_authority'],
  sc_reviews: ['review_id', 'person_id', 'date', 'decision', 'diverted', 'vulnerable', 'regular_on_top', 'other_risk', 'rationale', 'next_review_date'],
  incidents: [
    'report_id', 'received_at', 'source', 'event_date', 'event_type', 'local_authority', 'age', 'sex', 'postcode',
    'hmo', 'street_sleeping', 'class_a_user', 'in_treatment', 'route', 'naloxone_doses', 'synthetic_opioid_suspected',
    'forensic_nitazene', 'tox_tested_nitazene', 'tox_nitazene_present', 'tox_n_desethyl_isotonitazene', 'substances',
    'outcome', 'location_type', 'notes', 'exercise',
  ],
} as const satisfies Record<string, readonly string[]>;

export type FileKey = keyof typeof COLUMNS;
export const FILE_KEYS = Object.keys(COLUMNS) as FileKey[];

/** Quote a free-text field when it needs it (RFC 4180). Codes and numbers never do. */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** Y/N for a boolean, empty for unknown. */
export function yn(value: boolean | null | undefined): string {
  return value === null || value === undefined ? '' : value ? 'Y' : 'N';
}

/** Lines waiting to be written, per file. */
export type Batch = Record<FileKey, string[]>;

export function emptyBatch(): Batch {
  const batch = {} as Batch;
  for (const key of FILE_KEYS) batch[key] = [];
  return batch;
}

/** One write stream per file; `counts` are data rows written (header excluded). */
export class DatasetWriter {
  readonly counts: Record<FileKey, number>;
  private readonly streams: Record<FileKey, WriteStream>;
  private failure: Error | null = null;

  constructor(readonly dir: string) {
    this.counts = {} as Record<FileKey, number>;
    this.streams = {} as Record<FileKey, WriteStream>;
    for (const key of FILE_KEYS) {
      const stream = createWriteStream(join(dir, `${key}.csv`), { encoding: 'utf8', highWaterMark: 1 << 20 });
      stream.on('error', (err: Error) => {
        this.failure ??= err;
      });
      stream.write(`${COLUMNS[key].join(',')}\n`);
      this.streams[key] = stream;
      this.counts[key] = 0;
    }
  }

  /** Write and empty a batch, waiting for each stream that asks for backpressure. */
  async flush(batch: Batch): Promise<void> {
    for (const key of FILE_KEYS) {
      const lines = batch[key];
      if (lines.length === 0) continue;
      this.counts[key] += lines.length;
      const chunk = `${lines.join('\n')}\n`;
      lines.length = 0;
      const stream = this.streams[key];
      if (!stream.write(chunk)) await this.drain(stream);
    }
    if (this.failure) throw this.failure;
  }

  private async drain(stream: WriteStream): Promise<void> {
    if (this.failure) throw this.failure;
    // `once` rejects if the stream emits 'error' while we wait.
    await once(stream, 'drain');
  }

  /** Finish every file; resolves when all are closed on disk. */
  async close(): Promise<void> {
    await Promise.all(
      FILE_KEYS.map(
        (key) =>
          new Promise<void>((resolve, reject) => {
            const stream = this.streams[key];
            if (stream.destroyed) {
              if (this.failure) reject(this.failure);
              else resolve();
              return;
            }
            stream.once('error', reject);
            stream.end(() => resolve());
          }),
      ),
    );
    if (this.failure) throw this.failure;
  }

  /** Abandon the files after an error (best effort). */
  destroy(): void {
    for (const key of FILE_KEYS) this.streams[key].destroy();
  }
}
