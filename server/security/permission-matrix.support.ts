// Support for the generated permission-matrix test (not shipped code): raw requests with or without a
// session, multipart bodies, and a fingerprint of every table to prove refused requests change nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { multipartBody } from '../test/fixtures.js';

export type Session = { cookie: string; csrf: string; label: string };
export type Multipart = { multipart: { filename: string; contentType: string; content: string } };
export type Reply = { status: number; body: string };

export const isMultipart = (b: unknown): b is Multipart => !!b && typeof b === 'object' && 'multipart' in (b as object);

function encode(body: unknown): { headers: Record<string, string>; payload?: string | Buffer } {
  if (body === undefined) return { headers: {} };
  if (isMultipart(body)) {
    const m = multipartBody({ name: body.multipart.filename, type: body.multipart.contentType, data: body.multipart.content });
    return { headers: { 'content-type': m.contentType }, payload: m.payload };
  }
  return { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

/** One request through inject(): the session's cookie and CSRF token when given, none otherwise. */
export async function send(app: FastifyInstance, who: Session | null, method: string, url: string, body?: unknown): Promise<Reply> {
  const { headers, payload } = encode(body);
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { 'accept-language': 'en', ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}), ...headers },
    payload,
  });
  return { status: res.statusCode, body: res.body };
}

/** For a route that streams (server-sent events): a real HTTP request, closed as soon as the status is known. */
export async function sendStreaming(app: FastifyInstance, who: Session | null, url: string): Promise<Reply> {
  let address = app.server.address() as AddressInfo | null;
  if (!address) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    address = app.server.address() as AddressInfo;
  }
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: address!.port, path: url, headers: { 'accept-language': 'en', ...(who ? { cookie: who.cookie } : {}) } },
      (res) => {
        const status = res.statusCode ?? 0;
        if ((res.headers['content-type'] ?? '').includes('event-stream')) {
          // the stream never ends by itself: take the first chunk and hang up
          res.once('data', (chunk: Buffer) => {
            req.destroy();
            resolve({ status, body: chunk.toString('utf8') });
          });
          return;
        }
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => resolve({ status, body }));
      },
    );
    req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
  });
}

/** Tables whose rows a refused request may legitimately touch (session bookkeeping, throttling, the audit trail). */
export const SKIP_TABLES = ['sessions', 'login_throttle', 'audit_log', '__drizzle_migrations'] as const;
