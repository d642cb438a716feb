import { warmTrackerCache } from '../../../data/mat/cache';
import { defaultMonth } from '../mat/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { DATASET, exportDataset, importDataset, tableForName } from '../../../data/dataset';
import { getImport } from '../../../data/summary';
import { getImportRejects, setImportProgress, storeImportRejects } from '../../../data/importRuns';
import type { AccessContext } from '../../access/context';
import { datasetExportMasks } from '../../access/fields';
import { errorResponses, HttpProblem } from '../../problem';
import { importRunSchema } from './schemas';

/** Dataset file names the upload accepts: `<table>.csv` or one `.xlsx` workbook (no paths). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,120}$/;

function checkUploadName(name: string): 'csv' | 'xlsx' {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new HttpProblem(400, `The file name "${name.slice(0, 80)}" is not allowed: use plain names such as people.csv or dataset.xlsx`);
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv')) {
    if (!tableForName(lower)) {
      throw new HttpProblem(400, `"${name}" is not a dataset file: CSV files must be named ${DATASET.map((f) => `${f.table}.csv`).join(', ')}`);
    }
    return 'csv';
  }
  throw new HttpProblem(400, `"${name}" is neither a .csv nor an .xlsx file`);
}

/** Import and export need an organisation-wide scope: the files are not split by service. */
async function requireWholeOrganisation(ctx: AccessContext): Promise<void> {
  if ((await ctx.visibleServiceIds()) !== null) {
    throw new HttpProblem(403, 'Importing and exporting the whole dataset needs an organisation-wide scope');
  }
}

const PROGRESS_EVERY_MS = 500;

export async function importRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/data/imports',
    {
      config: { policy: 'data.import' },
      schema: {
        summary: 'Upload a dataset (CSV files named like the dataset files, or one XLSX workbook) and import it',
        description: 'multipart/form-data: one or more `file` parts, optional fields `dryRun` and `skipInvalid` (true/false). Answers 202 at once; poll GET /api/data/imports/{id}.',
        tags: ['data'],
        consumes: ['multipart/form-data'],
        response: { 202: z.object({ import: importRunSchema }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await requireWholeOrganisation(req.ctx);
      const dir = await mkdtemp(join(tmpdir(), 'beacon-upload-'));
      let cleanup = true;
      try {
        const flags = { dryRun: false, skipInvalid: false };
        const names: string[] = [];
        const kinds = new Set<'csv' | 'xlsx'>();
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            if (part.fieldname === 'dryRun' || part.fieldname === 'skipInvalid') flags[part.fieldname] = String(part.value) === 'true';
            continue;
          }
          const name = part.filename;
          kinds.add(checkUploadName(name));
          if (names.some((n) => n.toLowerCase() === name.toLowerCase())) throw new HttpProblem(400, `"${name}" was uploaded twice`);
          names.push(name);
          await pipeline(part.file, createWriteStream(join(dir, name), { mode: 0o600 }));
          if (part.file.truncated) throw new HttpProblem(413, `"${name}" is larger than the upload limit`);
        }
        if (names.length === 0) throw new HttpProblem(400, 'Choose at least one file to import');
        if (kinds.has('xlsx') && names.length > 1) throw new HttpProblem(400, 'Upload one XLSX workbook on its own, or CSV files');
        const source = kinds.has('xlsx') ? join(dir, names[0] ?? '') : dir;
        const sourceName = names.length === 1 ? (names[0] ?? '') : `${names.length} CSV files (${names.join(', ')})`;
        const principal = req.ctx.principal;
        const ctx = req.ctx;

        // Start the import; answer as soon as its run is recorded, then keep going.
        const started = await ctx.run(
          'data.import',
          { type: 'dataset', id: sourceName },
          async (db) => {
            let resolveId!: (id: number) => void;
            let rejectId!: (e: unknown) => void;
            const idKnown = new Promise<number>((res, rej) => {
              resolveId = res;
              rejectId = rej;
            });
            let id: number | null = null;
            let lastProgress = 0;
            const done = importDataset(db, source, {
              dryRun: flags.dryRun,
              skipInvalid: flags.skipInvalid,
              sourceName,
              userId: principal?.userId ?? null,
              username: principal?.username ?? null,
              onRecorded: (importId) => {
                id = importId;
                resolveId(importId);
              },
              onProgress: (e) => {
                const now = Date.now();
                if (id === null || now - lastProgress < PROGRESS_EVERY_MS) return;
                lastProgress = now;
                void setImportProgress(db, id, { ...e }).catch(() => undefined);
              },
            })
              .then(async (result) => {
                if (result.importId !== null && result.rejected.length) await storeImportRejects(db, result.importId, result.rejected);
                await ctx.audit({
                  action: 'data.import',
                  resource: { type: 'import', id: result.importId },
                  outcome: result.status === 'failed' ? 'failed' : 'allowed',
                  detail: { status: result.status, rowsRead: result.rowsRead, rowsWritten: result.rowsWritten, problems: result.problemCount },
                });
                if (result.importId === null) rejectId(new Error('import was not recorded'));
                // New data: recompute the MAT tracker now rather than on the next page view.
                if (result.status === 'succeeded' && !flags.dryRun) void warmTrackerCache(db, defaultMonth()).catch(() => undefined);
              })
              .catch((err: unknown) => {
                rejectId(err);
                fastify.log.error({ err: { name: err instanceof Error ? err.name : 'error' } }, 'import failed');
              })
              .finally(() => rm(dir, { recursive: true, force: true }));
            void done;
            const importId = await idKnown;
            const run = await getImport(db, importId);
            if (!run) throw new HttpProblem(500, 'The import was not recorded');
            return run;
          },
          { dryRun: flags.dryRun, skipInvalid: flags.skipInvalid, files: names.length },
        );
        cleanup = false;
        return reply.code(202).send({ import: started });
      } finally {
        if (cleanup) await rm(dir, { recursive: true, force: true });
      }
    },
  );

  const rejectsParams = z.object({ id: z.coerce.number().int().positive(), file: z.string().regex(/^[a-z_]+\.csv$/) });
  app.get(
    '/api/data/imports/:id/rejected/:file',
    {
      config: { policy: 'data.imports.problems' },
      schema: { summary: 'Rows rejected by a skip-invalid import, with the reason, as CSV', tags: ['data'], params: rejectsParams, produces: ['text/csv'] },
    },
    async (req, reply) => {
      const csv = await req.ctx.run('data.imports.problems', { type: 'import', id: req.params.id }, (db) => getImportRejects(db, req.params.id, req.params.file));
      if (csv === null) throw new HttpProblem(404, 'No rejected rows for that file');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${req.params.id}-${req.params.file.replace(/\.csv$/, '')}-rejected.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/api/data/export.xlsx',
    {
      config: { policy: 'data.export' },
      schema: { summary: 'The whole dataset as one XLSX workbook (v1 format)', tags: ['data'], produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
    },
    async (req, reply) => {
      await requireWholeOrganisation(req.ctx);
      const dir = await mkdtemp(join(tmpdir(), 'beacon-export-'));
      const file = join(dir, 'beacon-dataset.xlsx');
      try {
        // Fields the role does not need are masked in the file, and the audit says which.
        const { masks, masked } = datasetExportMasks(req.ctx.principal);
        await req.ctx.run('data.export', { type: 'dataset', id: 'xlsx' }, (db) => exportDataset(db, file, { masks }), { masked });
        const size = (await stat(file)).size;
        const stream = createReadStream(file);
        stream.on('close', () => void rm(dir, { recursive: true, force: true }));
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-length', size)
          .header('content-disposition', `attachment; filename="beacon-dataset-${day}.xlsx"`)
          .send(stream);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    },
  );

  app.get(
    '/api/data/export/:table',
    {
      config: { policy: 'data.export' },
      schema: {
        summary: 'One dataset file as CSV (v1 format)',
        tags: ['data'],
        params: z.object({ table: z.string().regex(/^[a-z_]+\.csv$/, 'a dataset file name such as people.csv') }),
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const table = tableForName(req.params.table.slice(0, -4));
      if (!table) throw new HttpProblem(404, `No dataset file called ${req.params.table}`);
      await requireWholeOrganisation(req.ctx);
      const dir = await mkdtemp(join(tmpdir(), 'beacon-export-'));
      try {
        const { masks, masked } = datasetExportMasks(req.ctx.principal);
        await req.ctx.run('data.export', { type: 'dataset', id: req.params.table }, (db) => exportDataset(db, dir, { tables: [table], masks }), {
          masked: masked.filter((m) => m.startsWith(`${table}.`)),
        });
        const stream = createReadStream(join(dir, req.params.table));
        stream.on('close', () => void rm(dir, { recursive: true, force: true }));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${req.params.table}"`)
          .send(stream);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    },
  );

}
