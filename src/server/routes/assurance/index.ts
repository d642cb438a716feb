import type { FastifyInstance } from 'fastify';

/** The assurance API (see src/server/access/policies/assurance.ts for who may do what). */
export async function assuranceRoutes(fastify: FastifyInstance): Promise<void> {
  void fastify;
}
