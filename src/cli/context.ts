import { userInfo } from 'node:os';
import { loadConfig, type Config } from '../config';
import { openDb, type Db } from '../data/db';
import { migrate } from '../data/migrate';
import { AccessContext } from '../server/access/context';

export interface CliSession {
  config: Config;
  db: Db;
  ctx: AccessContext;
  close(): Promise<void>;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Opens the configured database (migrated) and an access context for the operator: the
 * CLI goes through the same access layer and audit log as the web app.
 */
export async function openCli(options: { migrate?: boolean } = {}): Promise<CliSession> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (options.migrate !== false) await migrate(db);
  return { config, db, ctx: AccessContext.forCli(db, osUser()), close: () => db.close() };
}

/** Prints a failure as one readable message and sets the exit code; no stack trace unless BEACON_DEBUG is set. */
export function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`beacon: ${message}`);
  if (process.env.BEACON_DEBUG && err instanceof Error) console.error(err.stack);
  process.exitCode = 1;
}
