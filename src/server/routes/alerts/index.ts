import type { FastifyInstance } from 'fastify';

/** The alerts API (see src/server/access/policies/alerts.ts for who may do what). */
export async function alertsRoutes(fastify: FastifyInstance): Promise<void> {
  void fastify;
}
