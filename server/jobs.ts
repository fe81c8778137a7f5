// Which job kinds exist and which module handles them; main.ts starts the runner with these.
import { sql } from 'drizzle-orm';
import type { Db } from './db/client.js';
import { queryRows } from './db/client.js';
import type { JobHandler } from './platform/jobs.js';
import { ensureSchedule } from './platform/jobs.js';
import { recomputeGrading } from './modules/accounts/index.js';

export const jobHandlers: Record<string, JobHandler> = {
  /** nightly regrade of every workspace (tiers also regrade on demand and when inputs change) */
  'grading.recompute-all': async (db) => {
    const wss = await queryRows<{ id: string }>(db, sql`select id from workspaces`);
    for (const ws of wss) await db.transaction((tx) => recomputeGrading(tx, { kind: 'system', workspaceId: ws.id }));
  },
};

export async function ensureSchedules(db: Db) {
  await ensureSchedule(db, { name: 'grading.nightly', kind: 'grading.recompute-all', everySeconds: 24 * 3600 });
}
