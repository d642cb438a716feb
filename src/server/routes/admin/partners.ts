import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createPartnerToken, LdisError, listPartnerTokens, revokePartnerToken } from '../../../data/ldis';
import { createPartnerOrganisation, listPartnerOrganisations, partnerOrganisationKnown } from '../../../data/ldis/organisations';
import { errorResponses, HttpProblem } from '../../problem';
import { tokenCreated, tokenParams, tokenRecord } from '../ldis/schemas';

const partnerId = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,99}$/, 'lower-case letters, digits and . _ : - only (for example west-midlands-police)');
const organisation = z.object({
  id: z.string(),
  name: z.string(),
  registered: z.boolean().describe('False for an id in use (tokens, accounts) that was never registered'),
  created_by: z.string().nullable(),
  created_at: z.string().nullable(),
  users: z.number().int(),
  active_tokens: z.number().int(),
  revoked_tokens: z.number().int(),
});

/** LdisError → problem (400 invalid, 404 not found, 409 conflict). */
function asProblem(err: unknown): never {
  if (err instanceof LdisError) throw new HttpProblem(err.kind === 'invalid' ? 400 : err.kind === 'not_found' ? 404 : 409, err.message, err.errors);
  throw err;
}

/**
 * Partner organisations and their API tokens, for administrators (issue 8 §6). The tokens
 * are the LDIS partner tokens (src/data/ldis/tokens.ts): the same functions serve the LDIS
 * coordinator's page (/api/ldis/tokens); here they are grouped by organisation.
 */
export async function adminPartnerRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/admin/partners',
    {
      config: { policy: 'admin.partners.read' },
      schema: {
        summary: 'Partner organisations with their API tokens (created, last used, revoked; hashes are never shown)',
        tags: ['admin'],
        response: { 200: z.object({ organisations: z.array(organisation), tokens: z.array(tokenRecord) }), ...errorResponses },
      },
    },
    async (req) =>
      req.ctx.run('admin.partners.read', { type: 'partner_organisations' }, async (db) => ({
        organisations: await listPartnerOrganisations(db),
        tokens: await listPartnerTokens(db),
      })),
  );

  app.post(
    '/api/admin/partners',
    {
      config: { policy: 'admin.partners.write' },
      schema: {
        summary: 'Register a partner organisation (its id is what its tokens and submitters’ scope carry)',
        tags: ['admin'],
        body: z.strictObject({ id: partnerId, name: z.string().trim().min(1, 'enter the organisation’s name').max(200).refine((s) => !/[<>]/.test(s), 'no < or > characters') }),
        response: { 201: organisation, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const by = req.ctx.principal?.username ?? 'unknown';
      const made = await req.ctx.run('admin.partners.write', { type: 'partner_organisation', id: req.body.id }, (db) =>
        createPartnerOrganisation(db, { id: req.body.id, name: req.body.name, createdBy: by }).catch(asProblem), { change: 'create' });
      return reply.code(201).send(made);
    },
  );

  app.post(
    '/api/admin/partners/:partner/tokens',
    {
      config: { policy: 'admin.partners.write' },
      schema: {
        summary: 'Create an API token for a partner organisation; the token is in this response only (send it as Authorization: Bearer <token>)',
        tags: ['admin'],
        params: z.object({ partner: partnerId }),
        body: z.strictObject({ label: z.string().trim().min(1, 'say what the token is for').max(200) }),
        response: { 201: tokenCreated, ...errorResponses },
      },
    },
    async (req, reply) => {
      const by = req.ctx.principal?.username ?? 'unknown';
      const partner = req.params.partner;
      const r = await req.ctx.run('admin.partners.write', { type: 'ldis_token', id: partner }, async (db) => {
        if (!(await partnerOrganisationKnown(db, partner))) throw new HttpProblem(404, 'No such partner organisation: register it first');
        return createPartnerToken(db, { partner, label: req.body.label, createdBy: by }).catch(asProblem);
      }, { change: 'token_create' });
      return reply.code(201).send(r);
    },
  );

  app.post(
    '/api/admin/partner-tokens/:id/revoke',
    {
      config: { policy: 'admin.partners.write' },
      schema: {
        summary: 'Revoke a partner API token (it stops working at once; the record is kept)',
        tags: ['admin'],
        params: tokenParams,
        body: z.strictObject({}).optional(),
        response: { 200: tokenRecord, ...errorResponses, 409: errorResponses[400] },
      },
    },
    async (req) => {
      const by = req.ctx.principal?.username ?? 'unknown';
      return req.ctx.run('admin.partners.write', { type: 'ldis_token', id: req.params.id }, (db) => revokePartnerToken(db, { id: req.params.id, revokedBy: by }).catch(asProblem), {
        change: 'token_revoke',
      });
    },
  );
}
