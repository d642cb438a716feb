import type { FastifyInstance } from 'fastify';

/** The admin API (see src/server/access/policies/admin.ts for who may do what). */
export async function adminRoutes(fastify: FastifyInstance): Promise<void> {
  void fastify;
}
