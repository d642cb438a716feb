import type { FastifyInstance } from 'fastify';

/** The person API (see src/server/access/policies/person.ts for who may do what). */
export async function personRoutes(fastify: FastifyInstance): Promise<void> {
  void fastify;
}
