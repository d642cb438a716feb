import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { VERSION } from '../../../version';

export async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/health',
    {
      config: { policy: 'public.health' },
      schema: {
        summary: 'Service health',
        tags: ['platform'],
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']), version: z.string() }) },
      },
    },
    async (req) => {
      const database = await req.ctx.run('public.health', undefined, async (db) => {
        await db.query('SELECT 1');
        return db.kind;
      });
      return { status: 'ok' as const, database, version: VERSION };
    },
  );
}
