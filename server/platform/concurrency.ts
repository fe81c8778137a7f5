import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { AppError } from './errors.js';
import { DEFAULT_TIMEZONE, formatDateTime } from './time.js';

/**
 * Optimistic concurrency for editable records (issue 17): every such record carries an integer
 * `version`, bumped by each UPDATE of it in the same statement. Its GET/PATCH/PUT answers carry it in
 * the body and as `ETag: "<version>"`; an update names the version it was made from with
 * `If-Match: "<version>"` (or `version` in the body). Each module's repo does its own
 * `UPDATE … SET version = version + 1 WHERE … AND version = $expected`, so of two concurrent updates
 * from the same version exactly one passes; the other, and any update from an older version, gets
 * 412 naming who changed the record last and when (from the audit trail), and changes nothing.
 * This file only parses, compares and answers; it knows no module's tables.
 *
 * Commands on a record (POST /api/tickets/:id/assign, …/resolve) honour If-Match the same way but do not
 * require it (need = 'optional'): they are checked against the record's state by their own rules
 * (a resolved ticket cannot be resolved again), and the console may fire them from a list.
 *
 * An update WITHOUT a precondition:
 * - from the console (it sends `X-KW-Client: console`) is refused with 428 — the console always
 *   sends the ETag of what it showed (web/src/api/client.ts), so a missing one is a console bug that
 *   must not turn into a silent lost update;
 * - from any other API client it is allowed and applies last-writer-wins. Why: integrations that set a
 *   field blindly (a CRM sync setting an owner, a script retagging accounts) have nothing to lose to a
 *   concurrent edit of a different field they never read, and the routes kept that contract before the
 *   issue; the issue asks the precondition of the console. A client that wants protection sends
 *   If-Match and gets it. (Also in docs/concurrency.md.)
 */
export const CLIENT_HEADER = 'x-kw-client';

/** `"3"` — strong, per URL (the version of the one record the URL names). */
export const etagOf = (version: number) => `"${version}"`;

/** The version an If-Match names: `"3"`, `W/"3"` (a proxy may weaken it) or `3`; `*` means "any" (undefined). */
export function parseIfMatch(header: string | undefined): number | undefined | 'invalid' {
  if (header === undefined) return undefined;
  const v = header.trim();
  if (v === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(v);
  return m ? Number(m[1]) : 'invalid';
}

/**
 * The version an update was made from: If-Match, else `version` in the body; if both are given they
 * must agree. Undefined when neither is given and the caller is not the console (see above).
 */
export function expectedVersion(req: FastifyRequest, bodyVersion?: number, need: 'required' | 'optional' = 'required'): number | undefined {
  const raw = req.headers['if-match'];
  const fromHeader = parseIfMatch(Array.isArray(raw) ? raw[0] : raw);
  if (fromHeader === 'invalid') {
    throw new AppError('invalid', 'error.if_match', {}, [{ field: 'If-Match', message: 'error.if_match' }]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new AppError('invalid', 'error.if_match_differs', {}, [{ field: 'version', message: 'error.if_match_differs' }]);
  }
  const expected = fromHeader ?? bodyVersion;
  if (expected === undefined && need === 'required' && req.headers[CLIENT_HEADER] === 'console' && !req.headers['if-match']) {
    throw new AppError('precondition_required', 'error.precondition_required');
  }
  return expected;
}

/** Throws the 412 unless `current` is the version the update was made from (no expectation: passes). */
export async function assertFresh(db: Db, workspaceId: string, entity: StaleEntity, current: number, expected: number | undefined): Promise<void> {
  if (expected === undefined || expected === current) return;
  throw await staleError(db, workspaceId, entity);
}

/**
 * The versioned record as the audit trail names it: entity type and id, and its noun in the 412. `actions`
 * narrows the trail to the record's own changes where one entity (the workspace) is named by several
 * (the workspace settings are changed by `workspace.update` only, not by `sso.update` or a suspension).
 */
export type StaleEntity = { type: string; id: string; noun: string; actions?: string[] };

/**
 * The 412: who changed the record last and when, from the audit trail, in the workspace's zone
 * ("林晓燕 于 12-03 14:05 修改了该客户"). Without an audit entry, a plain "changed meanwhile".
 */
export async function staleError(db: Db, workspaceId: string, entity: StaleEntity): Promise<AppError> {
  const onlyActions = entity.actions?.length
    ? sql` and a.action in (${sql.join(
        entity.actions.map((a) => sql`${a}`),
        sql`, `,
      )})`
    : sql``;
  const [last] = await queryRows<{ actor_name: string; actor_kind: string; at: Date | string; timezone: string | null }>(
    db,
    sql`select a.actor_name, a.actor_kind, a.at, w.timezone
          from audit_log a left join workspaces w on w.id = a.workspace_id
         where a.workspace_id = ${workspaceId} and a.entity_type = ${entity.type} and a.entity_id = ${entity.id}${onlyActions}
         order by a.id desc limit 1`,
  );
  if (!last) return new AppError('precondition_failed', 'error.stale_unknown', { what: entity.noun });
  const when = formatDateTime(new Date(last.at), last.timezone ?? DEFAULT_TIMEZONE).slice(5);
  const who = last.actor_kind === 'system' ? 'actor.system' : last.actor_name;
  return new AppError('precondition_failed', 'error.stale_by', { who, when, what: entity.noun });
}

/** `ETag` on every GET/PATCH/PUT answer that is one versioned record (a top-level integer `version`). */
export function installEtags(app: FastifyInstance) {
  app.addHook('preSerialization', async (req, reply, payload: unknown) => {
    if (req.method !== 'GET' && req.method !== 'PATCH' && req.method !== 'PUT') return payload;
    if (reply.statusCode >= 300 || !payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
    const v = (payload as { version?: unknown }).version;
    if (Number.isInteger(v)) reply.header('etag', etagOf(v as number));
    return payload;
  });
}
