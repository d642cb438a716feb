import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import Papa from 'papaparse';
import { z } from 'zod';
import { qualityFindings } from '../../../data/quality';
import { getImport, getImportProblemsCsv, listImports, tableCounts } from '../../../data/summary';
import { errorResponses, HttpProblem } from '../../problem';
import { importRunSchema, problemRowSchema, qualityFindingSchema, tableCountSchema } from './schemas';
import { importRoutes } from './imports';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export async function dataRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/data/summary',
    {
      config: { policy: 'data.summary' },
      schema: {
        summary: 'Rows per dataset table and the latest import',
        tags: ['data'],
        response: { 200: z.object({ tables: z.array(tableCountSchema), lastImport: importRunSchema.nullable() }), ...errorResponses },
      },
    },
    async (req) =>
      req.ctx.run('data.summary', { type: 'dataset' }, async (db) => ({
        tables: await tableCounts(db),
        lastImport: (await listImports(db, 1))[0] ?? null,
      })),
  );

  app.get(
    '/api/data/quality',
    {
      config: { policy: 'data.quality' },
      schema: {
        summary: 'Data-quality findings (counts)',
        tags: ['data'],
        response: { 200: z.object({ findings: z.array(qualityFindingSchema) }), ...errorResponses },
      },
    },
    async (req) => req.ctx.run('data.quality', { type: 'dataset' }, async (db) => ({ findings: await qualityFindings(db) })),
  );

  app.get(
    '/api/data/imports',
    {
      config: { policy: 'data.imports.read' },
      schema: { summary: 'Recent imports', tags: ['data'], response: { 200: z.object({ imports: z.array(importRunSchema) }), ...errorResponses } },
    },
    async (req) => req.ctx.run('data.imports.read', { type: 'import' }, async (db) => ({ imports: await listImports(db) })),
  );

  app.get(
    '/api/data/imports/:id',
    {
      config: { policy: 'data.imports.read' },
      schema: {
        summary: 'One import with its first 1,000 problems',
        tags: ['data'],
        params: idParams,
        response: { 200: z.object({ import: importRunSchema, problems: z.array(problemRowSchema) }), ...errorResponses },
      },
    },
    async (req) =>
      req.ctx.run('data.imports.read', { type: 'import', id: req.params.id }, async (db) => {
        const run = await getImport(db, req.params.id);
        if (!run) throw new HttpProblem(404, 'No such import');
        const csv = (await getImportProblemsCsv(db, req.params.id)) ?? '';
        const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true, preview: 1000 });
        const problems = parsed.data.map((r) => ({
          file: r.file ?? '',
          line: r.line ? Number(r.line) : null,
          column: r.column ?? '',
          value: r.value ?? '',
          expected: r.expected ?? '',
          message: r.message ?? r.reason ?? '',
          severity: r.severity ?? 'error',
        }));
        return { import: run, problems };
      }),
  );

  app.get(
    '/api/data/imports/:id/problems.csv',
    {
      config: { policy: 'data.imports.problems' },
      schema: { summary: 'The problems of an import as CSV', tags: ['data'], params: idParams, produces: ['text/csv'] },
    },
    async (req, reply) => {
      const csv = await req.ctx.run('data.imports.problems', { type: 'import', id: req.params.id }, (db) => getImportProblemsCsv(db, req.params.id));
      if (csv === null) throw new HttpProblem(404, 'No such import');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${req.params.id}-problems.csv"`)
        .send(csv);
    },
  );

  await app.register(importRoutes);
}
