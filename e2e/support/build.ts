import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_SRC = join(REPO_ROOT, 'src/web');
const WEB_DIST = join(REPO_ROOT, 'dist/web');
const WEB_DIST_INDEX = join(WEB_DIST, 'index.html');
const LOCK = join(REPO_ROOT, 'dist/.web-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const fresh = (): boolean => existsSync(WEB_DIST_INDEX) && statSync(WEB_DIST_INDEX).mtimeMs >= newestMtime(WEB_SRC);

/** mkdir is atomic: the one process that creates the lock directory builds; the rest wait. */
async function withBuildLock(work: () => Promise<void>): Promise<void> {
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * The server serves the built web app from dist/web: build it once if it is missing or
 * older than the source (a stale build would test yesterday's pages). Test runs in
 * parallel take turns (a lock), and a build is written beside dist/web and swapped in
 * whole, so a server never serves half a build.
 */
export async function ensureWebBuild(): Promise<void> {
  if (fresh()) return;
  await withBuildLock(async () => {
    if (fresh()) return;
    const next = join(REPO_ROOT, `dist/web.next-${process.pid}`);
    const old = join(REPO_ROOT, `dist/web.old-${process.pid}`);
    await run(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn', '--outDir', next, '--emptyOutDir'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(next, WEB_DIST);
    rmSync(old, { recursive: true, force: true });
  });
}
