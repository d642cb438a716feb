import type { WriteWatcher } from './types';

/** The statements of one transaction that concern watchers, told once it has finished. */
export interface TxWatch {
  note(sql: string): void;
  finished(): void;
}

/**
 * The write watchers of one Db (see WriteWatcher in types.ts); both backends use it. A
 * statement or transaction that was already running when a watcher was added is told to
 * every watcher when it finishes (what it did before cannot be known any more).
 */
export class WriteWatchers {
  readonly #all = new Set<WriteWatcher>();
  /** Moves on at every add(). */
  #epoch = 0;

  add(watcher: WriteWatcher): () => void {
    this.#all.add(watcher);
    this.#epoch++;
    return () => {
      this.#all.delete(watcher);
    };
  }

  #match(sql: string, into: Set<WriteWatcher> | null): Set<WriteWatcher> | null {
    for (const w of this.#all) {
      if (!w.touches(sql)) continue;
      into ??= new Set();
      into.add(w);
    }
    return into;
  }

  #tell(hit: Set<WriteWatcher> | null, startEpoch: number): void {
    const all = startEpoch !== this.#epoch ? this.#all : hit;
    if (all) for (const w of [...all]) w.changed();
  }

  /** Runs one statement outside a transaction and then tells the watchers it concerns. */
  async around<T>(sql: string, run: () => Promise<T>): Promise<T> {
    const epoch = this.#epoch;
    const hit = this.#all.size === 0 ? null : this.#match(sql, null);
    try {
      return await run();
    } finally {
      this.#tell(hit, epoch);
    }
  }

  /** For one transaction (started now): note() each statement, finished() after COMMIT or ROLLBACK. */
  transaction(): TxWatch {
    const epoch = this.#epoch;
    let hit: Set<WriteWatcher> | null = null;
    return {
      note: (sql) => {
        if (this.#all.size > 0) hit = this.#match(sql, hit);
      },
      finished: () => {
        this.#tell(hit, epoch);
        hit = null;
      },
    };
  }
}
