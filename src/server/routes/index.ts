import type { FastifyInstance } from 'fastify';
import { healthRoutes } from './health';
import { authRoutes } from './auth';
import { dataRoutes } from './data';
import { matRoutes } from './mat';
import { riskRoutes } from './risk';
import { ldisRoutes } from './ldis';
import { personRoutes } from './person';
import { warningRoutes } from './warning';
import { alertsRoutes } from './alerts';
import { adminRoutes } from './admin';
import { assuranceRoutes } from './assurance';

/** Every API resource, one folder each (routes + schemas + tests). */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(dataRoutes);
  await app.register(matRoutes);
  await app.register(riskRoutes);
  await app.register(ldisRoutes);
  await app.register(personRoutes);
  await app.register(warningRoutes);
  await app.register(alertsRoutes);
  await app.register(adminRoutes);
  await app.register(assuranceRoutes);
}
