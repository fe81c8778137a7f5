// Support for the generated permission-matrix test (not shipped code): raw requests with or without a
// session, multipart bodies, and a fingerprint of every table to prove refused requests change nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';

export type Session = { cookie: string; csrf: string; label: string };
export type Multipart = { multipart: { filename: string; contentType: string; content: string } };
export type Reply = { status: number; body: string };

const BOUNDARY = '----kwPermissionMatrix';

export const isMultipart = (b: unknown): b is Multipart => !!b && typeof b === 'object' && 'multipart' in (b as object);

function encode(body: unknown): { headers: Record<string, string>; payload?: string | Buffer } {
  if (body === undefined) return { headers: {} };
  if (isMultipart(body)) {
    const m = body.multipart;
    const payload = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${m.filename}"\r\nContent-Type: ${m.contentType}\r\n\r\n${m.content}\r\n--${BOUNDARY}--\r\n`,
      'utf8',
    );
    return { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, payload };
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
    const req = http.get({ host: '127.0.0.1', port: address!.port, path: url, headers: { 'accept-language': 'en', ...(who ? { cookie: who.cookie } : {}) } }, (res) => {
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
    });
    req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
  });
}

/** Tables whose rows a refused request may legitimately touch (session bookkeeping, throttling, the audit trail). */
const SKIP_TABLES = new Set(['sessions', 'login_throttle', 'audit_log', '__drizzle_migrations']);

/** A statement returning, per table, its row count and an md5 of all its rows in primary-key order. */
export async function fingerprintQuery(db: Db): Promise<string> {
  const rows = await queryRows<{ table_name: string; pk: string | null }>(
    db,
    sql`select t.table_name,
          (select string_agg(quote_ident(k.column_name), ', ' order by k.ordinal_position)
             from information_schema.table_constraints c
             join information_schema.key_column_usage k on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
            where c.table_schema = 'public' and c.table_name = t.table_name and c.constraint_type = 'PRIMARY KEY') as pk
        from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
       order by t.table_name`,
  );
  const parts = rows
    .filter((r) => !SKIP_TABLES.has(r.table_name))
    .map((r) => {
      const order = r.pk ? r.pk.split(', ').map((c) => `x.${c}`).join(', ') : 'x::text';
      return `select '${r.table_name}' as t, count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by ${order})), '') as h from ${JSON.stringify(r.table_name)} x`;
    });
  return parts.join('\nunion all\n');
}

export async function fingerprint(db: Db, query: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ t: string; n: number; h: string }>(db, sql.raw(query));
  return new Map(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** The tables whose fingerprint differs. */
export function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}
