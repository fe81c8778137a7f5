import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditLog } from './platform.table.js';
import type { Actor } from './actor.js';

const SECRET_KEYS = /password|secret|token|hash|apikey|api_key/i;

/** Removes anything secret-looking before it is stored in the trail. */
export function redact(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redact);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v);
  return out;
}

/** Only the fields that changed, on both sides, so the trail reads as a diff. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  if (!before || !after) return { before, after };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    // bookkeeping, not a change a person made (the version is bumped by every change: platform/concurrency.ts)
    if (k === 'updatedAt' || k === 'version') continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

type AuditActor = Actor | { kind: 'system'; workspaceId: string };

/** Written in the same transaction as the change it describes. */
export async function recordAudit(tx: Db, actor: AuditActor, e: AuditEntry) {
  await recordAudits(tx, actor, [e]);
}

/** Several entries by one actor (a bulk import), a few hundred rows per statement. */
export async function recordAudits(tx: Db, actor: AuditActor, entries: AuditEntry[]) {
  const rows = entries.map((e) => {
    const d = diff(e.before ?? null, e.after ?? null);
    return {
      workspaceId: actor.workspaceId,
      actorKind: actor.kind,
      actorId: actor.kind === 'staff' ? actor.userId : actor.kind === 'key_person' ? actor.keyPersonId : null,
      actorName: actor.kind === 'system' ? 'system' : actor.name,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      before: redact(d.before) as object | null,
      after: redact(d.after) as object | null,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditLog).values(rows.slice(i, i + 500));
}

export async function listAudit(
  db: Db,
  workspaceId: string,
  q: { entityType?: string; entityId?: string; actorId?: string; beforeId?: number; limit: number },
) {
  const where: SQL[] = [eq(auditLog.workspaceId, workspaceId)];
  if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.beforeId) where.push(lt(auditLog.id, q.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
}
