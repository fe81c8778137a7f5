import type { SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { usersByIds } from '../people/index.js';
import * as repo from './opportunities.repo.js';
import { unwrap } from '../../platform/errors.js';
import { checkAmount } from './opportunities.domain.js';

export type OpportunitySource = 'ticket' | 'meeting' | 'value_add_task' | 'portal_demand' | 'visit' | 'contract' | 'other';

export type CaptureOpportunityInput = {
  accountId: string;
  title: string;
  description?: string | null;
  sourceKind: OpportunitySource;
  sourceId?: string | null;
  amountMinor?: number;
  product?: string | null;
  expectedCloseOn?: string | null;
};

/**
 * Records an opportunity heard in service, credited to whoever captured it (SPEC §3: the service
 * process is the sales process). Every capability captures through this one use case; pass the
 * caller's transaction so the capture commits with the ticket/meeting/task change that caused it.
 */
export async function captureOpportunity(db: Db, actor: Actor, input: CaptureOpportunityInput) {
  assertCan(actor, 'opportunities.capture');
  unwrap(checkAmount(input.amountMinor));
  // inside a caller's transaction this becomes a savepoint
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, input.accountId);
    const row = await repo.insertOpportunity(tx, { ...input, workspaceId: actor.workspaceId, capturedById: actor.userId });
    await repo.insertEvent(tx, {
      workspaceId: actor.workspaceId,
      opportunityId: row.id,
      fromStage: null,
      toStage: 'captured',
      actorId: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'opportunity.capture', entityType: 'opportunity', entityId: row.id, after: row });
    return row;
  });
}

/**
 * The opportunities captured from one source (e.g. a ticket), oldest first, with who captured each — for the
 * source's own page, read inside that page's statement: `column` is a JSON column to select, `read` turns what it
 * returned into the list.
 */
export function opportunitiesFromSourceColumn(workspaceId: string, sourceKind: OpportunitySource, sourceId: SQLWrapper) {
  return {
    column: repo.fromSourceJson(workspaceId, sourceKind, sourceId),
    read: (db: Db, json: unknown) => withCapturer(db, workspaceId, repo.fromSourceRows(json)),
  };
}

async function withCapturer(db: Db, workspaceId: string, rows: repo.SourceOpportunityRow[]) {
  const names = new Map((await usersByIds(db, workspaceId, [...new Set(rows.map((r) => r.capturedById))])).map((u) => [u.id, u.name]));
  return rows.filter((r) => names.has(r.capturedById)).map((r) => ({ ...r, capturedByName: names.get(r.capturedById)! }));
}

/** The opportunities captured from each of these sources (e.g. value-add tasks): id, title, stage, amount, by source id. */
export async function opportunitiesBySource(db: Db, workspaceId: string, sourceKind: OpportunitySource, sourceIds: string[]) {
  const out = new Map<string, { id: string; title: string; stage: string; amountMinor: number }[]>();
  for (const o of await repo.fromSources(db, workspaceId, sourceKind, sourceIds)) {
    if (!o.sourceId) continue;
    out.set(o.sourceId, [...(out.get(o.sourceId) ?? []), { id: o.id, title: o.title, stage: o.stage, amountMinor: Number(o.amountMinor) }]);
  }
  return out;
}
