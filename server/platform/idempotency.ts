import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';
import { audienceOf } from './http.js';
import { idempotencyKeys } from './platform.table.js';

/**
 * Idempotency keys, the Stripe convention: a POST by a signed-in actor may carry `Idempotency-Key`
 * (1–255 visible ASCII characters). The first request claims the key (a row 'in_flight', written with
 * INSERT … ON CONFLICT before the handler runs, so two concurrent requests cannot both claim it); a 2xx
 * answer is stored with it; the same request again answers the stored response with
 * `Idempotent-Replayed: true` and runs nothing. The same key with another request (body, path or route)
 * is a 422; while the first is still running, a 409. Any other answer (4xx, 5xx) releases the key, so a
 * corrected request may use it again. Keys are scoped to (workspace, actor) and live 24 hours.
 *
 * Multipart uploads take no part (their body is read by the handler, so it cannot be compared first):
 * for them the header is accepted and ignored.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const IDEMPOTENCY_TTL_HOURS = 24;
export const IDEMPOTENCY_CLEANUP_JOB = 'idempotency.cleanup';
export const IDEMPOTENCY_CLEANUP_SCHEDULE = { name: 'idempotency.cleanup.hourly', kind: IDEMPOTENCY_CLEANUP_JOB, everySeconds: 3600 };

const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
/** response headers a replay repeats */
const KEPT_HEADERS = ['content-type', 'location'] as const;

type Scope = { workspaceId: string; actorKind: string; actorId: string; key: string };
type Pending = Scope & { route: string; requestHash: string };
type Claim = { scope: Scope; settled: boolean };

const pendingOf = new WeakMap<FastifyRequest, Pending>();
const claimOf = new WeakMap<FastifyRequest, Claim>();

const actorIdOf = (a: Actor) => (a.kind === 'staff' ? a.userId : a.keyPersonId);
const expired = sql.raw(`now() - interval '${IDEMPOTENCY_TTL_HOURS} hours'`);

function isMultipart(req: FastifyRequest) {
  return String(req.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('multipart/');
}

/** What makes two requests "the same": method, route, path with query, and the JSON body as sent. */
function requestHash(req: FastifyRequest): string {
  return createHash('sha256')
    .update(`${req.method} ${req.url}\n`)
    .update(req.body === undefined ? '' : JSON.stringify(req.body))
    .digest('hex');
}

type Row = {
  route: string;
  request_hash: string;
  state: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
};

/**
 * Claims the key for this request, or finds who holds it. An expired row (older than the TTL) is taken
 * over in the same statement, so it never blocks a key.
 */
async function claim(db: Db, p: Pending, attempt = 0): Promise<{ claimed: true } | { claimed: false; row: Row }> {
  const t = idempotencyKeys;
  const claimed = await queryRows(
    db,
    sql`insert into ${t} (workspace_id, actor_kind, actor_id, key, route, request_hash, state)
        values (${p.workspaceId}, ${p.actorKind}, ${p.actorId}, ${p.key}, ${p.route}, ${p.requestHash}, 'in_flight')
        on conflict (workspace_id, actor_kind, actor_id, key) do update
          set route = excluded.route, request_hash = excluded.request_hash, state = 'in_flight',
              response_status = null, response_headers = null, response_body = null, created_at = now()
          where ${t}.created_at < ${expired}
        returning 1 as ok`,
  );
  if (claimed.length) return { claimed: true };
  const [row] = await queryRows<Row>(
    db,
    sql`select route, request_hash, state, response_status, response_headers, response_body from ${t}
        where workspace_id = ${p.workspaceId} and actor_kind = ${p.actorKind} and actor_id = ${p.actorId} and key = ${p.key}`,
  );
  // released between the two statements (the holder failed): try once more
  if (!row && attempt < 3) return claim(db, p, attempt + 1);
  if (!row) throw new AppError('conflict', 'error.idempotency_in_flight');
  return { claimed: false, row };
}

function scopeWhere(s: Scope) {
  return sql`workspace_id = ${s.workspaceId} and actor_kind = ${s.actorKind} and actor_id = ${s.actorId} and key = ${s.key}`;
}

async function release(db: Db, s: Scope) {
  await db.execute(sql`delete from ${idempotencyKeys} where ${scopeWhere(s)} and state = 'in_flight'`);
}

function payloadText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload === null || payload === undefined) return '';
  return null; // a stream: not kept
}

/** Installs the hooks once for every route; requests without the header are untouched. */
export function installIdempotency(app: FastifyInstance, db: Db) {
  // before the schema runs: the header is checked and the body as sent is hashed (validation may add defaults)
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST') return;
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? null : raw;
    if (key === null || !VALID_KEY.test(key)) {
      throw new AppError('invalid', 'error.idempotency_key_format', { header: 'Idempotency-Key' }, [
        { field: 'Idempotency-Key', message: 'error.idempotency_key_format' },
      ]);
    }
    const a = req.actor;
    if (!a || audienceOf(req.routeOptions.url, req.routeOptions.config) === 'public' || isMultipart(req)) return;
    pendingOf.set(req, {
      workspaceId: a.workspaceId,
      actorKind: a.kind,
      actorId: actorIdOf(a),
      key,
      route: `${req.method} ${req.routeOptions.url}`,
      requestHash: requestHash(req),
    });
  });

  // after validation (a 400 leaves the key free): claim, or answer from what is stored
  app.addHook('preHandler', async (req, reply) => {
    const p = pendingOf.get(req);
    if (!p) return;
    const r = await claim(db, p);
    if (r.claimed) {
      claimOf.set(req, { scope: p, settled: false });
      return;
    }
    const row = r.row;
    if (row.route !== p.route || row.request_hash !== p.requestHash) throw new AppError('unprocessable', 'error.idempotency_mismatch');
    if (row.state !== 'done') throw new AppError('conflict', 'error.idempotency_in_flight');
    for (const [name, value] of Object.entries(row.response_headers ?? {})) reply.header(name, value);
    reply.header(REPLAYED_HEADER, 'true');
    return reply.status(row.response_status ?? 200).send(row.response_body ?? '');
  });

  // once handled: keep a 2xx answer, release the key otherwise
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const c = claimOf.get(req);
    if (!c || c.settled) return payload;
    c.settled = true;
    const status = reply.statusCode;
    const body = payloadText(payload);
    try {
      if (status >= 200 && status < 300 && body !== null) {
        const headers: Record<string, string> = {};
        for (const h of KEPT_HEADERS) {
          const v = reply.getHeader(h);
          if (v !== undefined) headers[h] = String(v);
        }
        await db.execute(
          sql`update ${idempotencyKeys} set state = 'done', response_status = ${status}, response_headers = ${JSON.stringify(headers)}::jsonb, response_body = ${body}
              where ${scopeWhere(c.scope)} and state = 'in_flight'`,
        );
      } else {
        await release(db, c.scope);
      }
    } catch (err) {
      // the key stays claimed (409 until it expires) rather than risk running the request twice
      req.log.error({ err }, 'could not record the idempotency key');
    }
    return payload;
  });

  // a request that never reached onSend (its answer failed to send): release the claim
  app.addHook('onResponse', async (req) => {
    const c = claimOf.get(req);
    if (!c || c.settled) return;
    c.settled = true;
    await release(db, c.scope).catch((err) => req.log.error({ err }, 'could not release the idempotency key'));
  });
}

/** The scheduled cleanup: keys older than the TTL are gone. */
export async function cleanupIdempotencyKeys(db: Db): Promise<void> {
  await db.execute(sql`delete from ${idempotencyKeys} where created_at < ${expired}`);
}
