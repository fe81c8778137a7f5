// Queues a health recompute; kpi's own subscribers call it when another module announces a change to an input of health.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jobs } from '../../platform/platform.table.js';

export const HEALTH_JOB = 'health.recompute';
export const HEALTH_ALL_JOB = 'health.recompute-all';
export const HEALTH_SCHEDULE = { name: 'health.nightly', kind: HEALTH_ALL_JOB, everySeconds: 24 * 3600 };

/**
 * Queues a health recompute for the account through the outbox, unless one is already queued and
 * not yet started (several changes in a burst → one recompute). The platform's dedupe key is unique
 * for ever, so the coalescing is on the queued job instead; a rare double under a race is harmless.
 */
export async function requestHealthRecompute(tx: Db, workspaceId: string, accountId: string) {
  await tx.execute(sql`insert into ${jobs} (kind, workspace_id, payload, run_at)
    select ${HEALTH_JOB}, ${workspaceId}::uuid, ${JSON.stringify({ accountId })}::jsonb, now()
    where not exists (select 1 from ${jobs} where kind = ${HEALTH_JOB} and status = 'queued' and payload->>'accountId' = ${accountId})`);
}
