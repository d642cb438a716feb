import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { existsSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import type { Db } from '../data/db';
import { resolveSessionUser } from '../data/accounts';
import { AccessContext, AccessDenied } from './access/context';
import { isAction, POLICIES, type Action } from './access/policy';
import { isRole, type Principal } from './access/roles';
import { HttpProblem, problem } from './problem';
import { loggerOptions, type LogStream } from './logging';
import { registerRoutes } from './routes';
import { bearerPrincipal, bearerToken } from './routes/ldis/bearer';
import { VERSION } from '../version';
import { secretBoxFor, type SecretBox } from './auth/secret-box';
import './types';

export const SESSION_COOKIE = 'beacon_session';

/** An API route and the access-layer action it performs (listed for the authorisation-matrix test). */
export interface ApiRoute {
  method: string;
  url: string;
  policy: Action;
}

export interface AppOptions {
  db: Db;
  config: Config;
  /** Folder of the built web app (dist/web); null to serve the API only. */
  webRoot?: string | null;
  /** Fastify logger on or off (tests switch it off). */
  logger?: boolean;
  /** Send log lines here instead of stdout (the log-scan test). */
  logStream?: LogStream;
  /** The key for secrets kept encrypted in the database; default from the configuration (secretBoxFor). */
  secrets?: SecretBox;
}

async function principalFor(db: Db, config: Config, req: FastifyRequest): Promise<{ principal: Principal | null; csrf: string | null }> {
  // A partner system's API token (LDIS): no cookie session, so no CSRF token either.
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== null) return { principal: await bearerPrincipal(db, bearer), csrf: null };
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return { principal: null, csrf: null };
  const session = await resolveSessionUser(db, token, config.session.idleMinutes);
  if (!session) return { principal: null, csrf: null };
  const { user } = session;
  if (!user.active || !isRole(user.role)) return { principal: null, csrf: null };
  return {
    principal: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      scope: { type: user.scope_type, id: user.scope_id },
      via: 'session',
    },
    csrf: session.csrfToken,
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, config } = options;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config.logLevel, options.logStream),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  app.decorate('beaconConfig', config);
  app.decorate('secrets', options.secrets ?? secretBoxFor(config));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every /api route must declare its access-layer action: a route without one stops start-up.
  const apiRoutes: ApiRoute[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const policy = route.config?.policy;
    if (!isAction(policy)) {
      throw new Error(`Route ${route.method} ${route.url} declares no access policy (config.policy)`);
    }
    for (const method of [route.method].flat()) if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, policy });
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only when the request came over TLS (added below); plain-HTTP localhost must keep working.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // API answers are not kept by browsers or proxies unless a route says otherwise (the
    // aggregate MAT tracker revalidates with an ETag: "private, no-cache").
    if (req.url.startsWith('/api') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes, files: 20, fields: 10, fieldSize: 1024, parts: 40 },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Beacon API',
        version: VERSION,
        description:
          'Beacon: MAT analytics, overdose risk, early warning (LDIS) and partnership assurance. Every route runs through one access layer (role and scope) and is audited. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  // Build the access context for every request before anything else runs.
  app.decorateRequest('ctx', null as unknown as AccessContext);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req) => {
    const { principal, csrf } = req.url.startsWith('/api') ? await principalFor(db, config, req) : { principal: null, csrf: null };
    req.ctx = new AccessContext(db, principal, { ip: req.ip ?? null, requestId: String(req.id) });
    req.csrfToken = csrf;
  });
  // Enforce the route's policy before the body is even parsed (an unauthorised caller's
  // upload is never read), then CSRF on writes.
  app.addHook('preParsing', async (req, _reply, payload) => {
    const policy = req.routeOptions.config?.policy;
    if (!req.url.startsWith('/api')) return payload;
    if (!isAction(policy)) throw new HttpProblem(404, 'Not found');
    // A refusal names the person record asked for (when the route is about one), so the
    // Caldicott guardian can search the audit by person; otherwise the route.
    const personId = (req.params as Record<string, unknown> | undefined)?.personId;
    const route = req.routeOptions.url ?? null;
    await req.ctx.authorize(policy, typeof personId === 'string' ? { type: 'person', id: personId } : { type: 'route', id: route }, { route });
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    // Public actions (sign-in, second-factor enrolment) use no session authority, so a stale
    // session cookie must not block them; every other write needs the session's CSRF token.
    if (unsafe && req.ctx.principal?.via === 'session' && POLICIES[policy].roles !== 'anyone') {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !req.csrfToken || !sameToken(sent, req.csrfToken)) {
        await req.ctx.audit({ action: policy, outcome: 'denied', detail: { why: 'csrf' } });
        throw new HttpProblem(403, 'Missing or invalid CSRF token');
      }
    }
    return payload;
  });

  app.setErrorHandler(async (err, req, reply) => {
    if (err instanceof AccessDenied) {
      if (err.status === 404) return reply.code(404).type('application/problem+json').send(problem(404, err.message));
      return reply.code(err.status).type('application/problem+json').send(problem(err.status, err.status === 401 ? 'Not signed in' : 'Forbidden', err.message));
    }
    if (err instanceof HttpProblem) {
      return reply.code(err.status).type('application/problem+json').send(problem(err.status, err.message, undefined, err.errors));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        field: [err.validationContext ?? '', ...String(v.instancePath).split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply.code(400).type('application/problem+json').send(problem(400, 'The request is not valid', 'See errors for each field.', errors));
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      // Fastify's own client errors (bad JSON, too large, unsupported type): say what, never how.
      return reply.code(e.statusCode).type('application/problem+json').send(problem(e.statusCode, clientErrorTitle(e.statusCode, e.code)));
    }
    req.log.error({ err: { name: err instanceof Error ? err.name : 'error', code: e.code } }, 'request failed');
    return reply.code(500).type('application/problem+json').send(problem(500, 'Something went wrong', `Reference ${String(req.id)}`));
  });

  await registerRoutes(app);
  app.get('/api/openapi.json', { config: { policy: 'public.openapi' }, schema: { hide: true } }, async () => app.swagger());

  const webRoot = options.webRoot;
  if (webRoot && existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api') && !/\.[a-z0-9]+$/i.test(req.url.split('?')[0] ?? '')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.code(404).type('application/problem+json').send(problem(404, 'Not found'));
    });
  } else {
    app.setNotFoundHandler((_req, reply) => reply.code(404).type('application/problem+json').send(problem(404, 'Not found')));
  }
  return app;
}

function clientErrorTitle(status: number, code: string | undefined): string {
  if (status === 413 || code === 'FST_REQ_FILE_TOO_LARGE') return 'The upload is too large';
  if (status === 415) return 'Unsupported content type';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is not valid JSON';
  return 'The request could not be processed';
}
