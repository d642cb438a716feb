import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import { openDb, type Db } from '../data/db';
import { migrate } from '../data/migrate';
import { markInterruptedImports } from '../data/dataset';
import { buildApp } from './app';
import { secretBoxFor } from './auth/secret-box';
import { sealClearTotpSecrets } from '../data/accounts';
import { ensureFirstAdministrator } from './bootstrap';
import { ensureDemo } from './demo';
import { WarningScheduler } from '../data/warning/scheduler';
import { DeliveryWorker } from '../data/alerts';
import { warmTrackerCache } from '../data/mat/cache';
import { defaultMonth } from './routes/mat/common';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface Running {
  app: FastifyInstance;
  db: Db;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  demo: boolean;
  /** Where messages for the operator go (the console in the CLI). */
  say: (line: string) => void;
}

/**
 * Opens the database, applies migrations, loads the demo data on a first demo start (or
 * creates the first administrator on a real install) and serves the API and web app.
 */
export async function startServer({ config, demo, say }: StartOptions): Promise<Running> {
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(db);
    if (applied.length) say(`Database ready (${db.description}); applied ${applied.length} migration(s).`);
    else say(`Database ready (${db.description}).`);
    // TOTP secrets are kept encrypted under a key outside the database; any still in clear
    // (from before) are encrypted now, and a key that does not open them stops start-up.
    const secrets = secretBoxFor(config).ready();
    const sealed = await sealClearTotpSecrets(db, secrets);
    if (sealed) say(`Encrypted ${sealed} second-factor secret(s) that were stored in clear.`);
    const interrupted = await markInterruptedImports(db);
    if (interrupted) say(`${interrupted} import(s) were interrupted before they finished (nothing of them was written); marked as failed.`);
    if (demo) {
      const loaded = await ensureDemo(db, { say, secrets });
      if (loaded.accounts.length) {
        say(`Demo accounts (demo data only): ${loaded.accounts.join(', ')} — password "${loaded.password}".`);
      }
    } else {
      const admin = await ensureFirstAdministrator(db);
      if (admin) {
        say('');
        say('First start: an administrator account was created. Sign in once with these and change the password:');
        say(`  username: ${admin.username}`);
        say(`  password: ${admin.password}`);
        say('This password is shown only now and is not stored anywhere in plain text.');
        say('');
      }
    }
    const webRoot = existsSync(DEFAULT_WEB_ROOT) ? DEFAULT_WEB_ROOT : null;
    if (!webRoot) say('The web app is not built (run `npm run build:web`); serving the API only.');
    const app = await buildApp({ db, config, webRoot, secrets });
    await app.listen({ port: config.port, host: config.host });
    // Early-warning detection after new data and on a schedule (settings: warning.schedule).
    const warningScheduler = new WarningScheduler(db, { info: (m) => app.log.info(m), error: (m) => app.log.error(m) });
    warningScheduler.start();
    // Alert and PIN-report e-mails that failed are retried with backoff.
    const deliveryWorker = new DeliveryWorker(db, { info: (m) => app.log.info(m), error: (m) => app.log.error(m) });
    deliveryWorker.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
    // The MAT tracker pages open at once when their figures are ready before anyone asks.
    void warmTrackerCache(db, defaultMonth()).catch((err: unknown) => app.log.warn({ err: { name: err instanceof Error ? err.name : 'error' } }, 'MAT tracker warm-up failed'));
    return {
      app,
      db,
      url,
      async close() {
        await warningScheduler.stop();
        await deliveryWorker.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
