// The commercial record's scheduled work.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { refreshAllFigures } from './commerce.service.js';
import { scanRenewals } from './renewals.service.js';

export const COMMERCE_NIGHTLY_JOB = 'commerce.nightly';
export const COMMERCE_NIGHTLY_SCHEDULE = { name: 'commerce.nightly', kind: COMMERCE_NIGHTLY_JOB, everySeconds: 24 * 3600 };

/** Nightly, per workspace: the grading factors follow the moving windows; renewals coming into the window are raised. */
export function commerceNightlyHandler() {
  return async (db: Db) => {
    const wss = await queryRows<{ id: string }>(db, sql`select id from workspaces where status = 'active'`);
    for (const ws of wss) {
      await refreshAllFigures(db, ws.id);
      await scanRenewals(db, ws.id);
    }
  };
}
