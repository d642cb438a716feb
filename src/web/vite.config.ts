import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The Beacon web app. `npm run build:web` writes it to dist/web, which the server serves;
 * `npm run dev:web` serves it with hot reload and proxies /api to a server on port 3000.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      // nhsuk-frontend's Sass refers to its icons through $nhsuk-images-path; point that at
      // the package so Vite bundles the few it needs (no requests outside our own origin).
      '@nhsuk-images': here('../../node_modules/nhsuk-frontend/dist/nhsuk/assets/images'),
    },
  },
  css: {
    preprocessorOptions: {
      scss: {
        // nhsuk-frontend still uses a few Sass features that are deprecated upstream;
        // the warnings are theirs, not ours.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'if-function'],
      },
    },
  },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    // Everything is served from our own origin under a strict CSP: no inline assets.
    assetsInlineLimit: 0,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Compiling nhsuk-frontend's Sass takes a few seconds; that is expected, not a warning.
      checks: { bundlerTimings: false },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
