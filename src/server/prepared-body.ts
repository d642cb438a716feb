/**
 * Response bodies made once and sent many times (the MAT tracker: the organisation-wide
 * 24-month answer is about 6 MB of JSON at national scale, the same for every request
 * until the data change). The body is kept encoded as UTF-8 and gzip-compressed, so a
 * request costs neither serialising nor encoding nor compressing: it picks the form the
 * client accepts (browsers always accept gzip) and writes bytes. Compressing happens once,
 * on libuv's thread pool, when the body is made.
 */
import { promisify } from 'node:util';
import { gzip as gzipCb, constants } from 'node:zlib';
import Negotiator from 'negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

const gzip = promisify(gzipCb);

export interface PreparedBody {
  /** The body as UTF-8 bytes. */
  identity: Buffer;
  /** The same bytes gzip-compressed. */
  gzip: Buffer;
  etag: string;
  contentType: string;
}

/** Encodes and compresses a body once (level 6: about a tenth of the size for tracker JSON). */
export async function prepareBody(text: string, etag: string, contentType = 'application/json; charset=utf-8'): Promise<PreparedBody> {
  const identity = Buffer.from(text, 'utf8');
  return { identity, gzip: await gzip(identity, { level: constants.Z_DEFAULT_COMPRESSION }), etag, contentType };
}

/** Whether the request accepts gzip (Accept-Encoding, with its q-values honoured). */
export function acceptsGzip(req: FastifyRequest): boolean {
  return new Negotiator({ headers: { 'accept-encoding': req.headers['accept-encoding'] } }).encoding(['gzip', 'identity']) === 'gzip';
}

/**
 * Sends a prepared body: 304 when the client holds it (If-None-Match), else the gzip or
 * plain bytes. `cacheControl` is sent as given (private data: never a shared cache).
 */
export function sendPrepared(req: FastifyRequest, reply: FastifyReply, body: PreparedBody, cacheControl = 'private, no-cache'): FastifyReply {
  void reply.header('cache-control', cacheControl).header('etag', body.etag).header('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === body.etag) return reply.code(304).send();
  void reply.type(body.contentType);
  if (acceptsGzip(req)) return reply.header('content-encoding', 'gzip').send(body.gzip);
  return reply.send(body.identity);
}
