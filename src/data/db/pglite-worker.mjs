// @ts-check
// Runs PGlite (PostgreSQL compiled to WebAssembly) off the main thread, so that a long
// query never blocks the HTTP server's event loop. Plain JS so it loads without a
// TypeScript loader in every runner (tsx, vitest, node). Messages: see pglite.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-worker must run as a worker thread');
const port = parentPort;

const int = (/** @type {string} */ v) => Number(v);
const parsers = {
  20: int,
  1700: int,
  1082: (/** @type {string} */ v) => v,
  1114: (/** @type {string} */ v) => new Date(`${v.replace(' ', 'T')}Z`).toISOString(),
  1184: (/** @type {string} */ v) => new Date(v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString(),
};

/** @type {PGlite} */
let db;
try {
  const loadDataDir = workerData.templateFile ? new Blob([readFileSync(workerData.templateFile)]) : undefined;
  db = await PGlite.create(workerData.dataDir ?? undefined, { parsers, relaxedDurability: false, loadDataDir });
  port.postMessage({ id: 0, ok: true });
} catch (err) {
  port.postMessage({ id: 0, ok: false, error: serialise(err) });
  process.exit(1);
}

/** @param {unknown} err */
function serialise(err) {
  const e = /** @type {Record<string, unknown>} */ (err ?? {});
  return {
    message: String(e.message ?? err),
    code: typeof e.code === 'string' ? e.code : undefined,
    detail: typeof e.detail === 'string' ? e.detail : undefined,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
  };
}

/** Channels LISTENed on (once each: the main thread hands notifications to its listeners). */
const listening = new Set();

port.on('message', async (msg) => {
  try {
    switch (msg.type) {
      case 'query': {
        const res = await db.query(msg.sql, msg.params ?? []);
        port.postMessage({ id: msg.id, ok: true, rows: res.rows });
        break;
      }
      case 'exec': {
        await db.exec(msg.sql);
        port.postMessage({ id: msg.id, ok: true });
        break;
      }
      case 'copyFrom': {
        const res = await db.query(msg.sql, [], { blob: new Blob([msg.data]) });
        port.postMessage({ id: msg.id, ok: true, count: res.affectedRows ?? 0 });
        break;
      }
      case 'copyTo': {
        const res = await db.query(msg.sql);
        const text = res.blob ? await res.blob.text() : '';
        port.postMessage({ id: msg.id, ok: true, text });
        break;
      }
      case 'listen': {
        for (const channel of msg.channels) {
          if (listening.has(channel)) continue;
          // PGlite calls back (as microtasks) while it reads the results of the statement
          // that committed, so a notification is posted before that statement's reply.
          await db.listen(channel, (/** @type {string} */ payload) => port.postMessage({ id: -1, ok: true, notify: { channel, payload } }));
          listening.add(channel);
        }
        port.postMessage({ id: msg.id, ok: true });
        break;
      }
      case 'dump': {
        const blob = await db.dumpDataDir('none');
        port.postMessage({ id: msg.id, ok: true, data: new Uint8Array(await blob.arrayBuffer()) });
        break;
      }
      case 'close': {
        await db.close();
        port.postMessage({ id: msg.id, ok: true });
        break;
      }
      default:
        port.postMessage({ id: msg.id, ok: false, error: { message: `unknown message ${msg.type}` } });
    }
  } catch (err) {
    port.postMessage({ id: msg.id, ok: false, error: serialise(err) });
  }
});
