import type { FastifyInstance } from 'fastify';

/** The warning API (see src/server/access/policies/warning.ts for who may do what). */
export async function warningRoutes(fastify: FastifyInstance): Promise<void> {
  void fastify;
}
