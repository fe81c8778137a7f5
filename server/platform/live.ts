/**
 * Live updates pushed to open screens (server-sent events): the portal's feed of needs and the bell.
 * Messages carry ids only; each stream re-checks who may see what.
 *
 * On PGlite (one process) an in-process emitter is the whole bus. On PostgreSQL several instances may
 * serve one workspace, so a message is sent with NOTIFY (in the caller's transaction: it goes out only
 * if the change commits) and every instance LISTENs on one connection and hands it to its own screens.
 */
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';

export const LIVE_CHANNEL = 'keyward_live';

export type LiveMessage =
  | {
      topic: 'portal';
      workspaceId: string;
      accountId: string;
      type: 'demand.created' | 'demand.message' | 'portal.request';
      demandId?: string;
      at: string;
    }
  | { topic: 'notice'; workspaceId: string; userIds: string[]; at: string }
  /** sessions ended or principals changed: every instance drops them from its session cache (auth.service.ts) */
  | {
      topic: 'sessions';
      workspaceId: string;
      scope: { idHash: string } | { kind: 'staff' | 'key_person'; principalId: string } | { workspaceId: string };
      at: string;
    }
  /** the workspace's own settings (zone, language) changed: caches of them drop it */
  | { topic: 'workspace'; workspaceId: string; at: string }
  /** its teams or their members changed: the staff directory cache drops it (a user's change comes as `sessions`) */
  | { topic: 'directory'; workspaceId: string; at: string };

export type Invalidation = Extract<LiveMessage, { topic: 'sessions' | 'workspace' | 'directory' }>;

/**
 * Tells every cache of every instance to drop what `m` names: handed to this instance's listeners at once and
 * sent with NOTIFY in `db`'s transaction (delivered after the commit — which also corrects a read that refilled
 * a cache between this call and the commit). Always a NOTIFY, unlike `publishLive`: the caller may be a process
 * without a listener of its own (the operator's command) while servers listen; on PGlite nobody else listens.
 * Listeners must be idempotent: on PostgreSQL this instance hears it twice.
 */
export async function announceInvalidation(db: Db, m: Invalidation): Promise<void> {
  local.emit(ALL, m);
  await db.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(m)})`);
}

const local = new EventEmitter();
local.setMaxListeners(0);
/** every message, whichever workspace (the session cache listens here) */
const ALL = Symbol('all workspaces');
/** how many PostgreSQL listeners this process runs: while any, messages travel through NOTIFY */
let listeners = 0;

/** Sends a message to every instance's open screens. */
export async function publishLive(db: Db, m: LiveMessage): Promise<void> {
  if (listeners > 0) {
    await db.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(m)})`);
    return;
  }
  local.emit(m.workspaceId, m);
  local.emit(ALL, m);
}

/** Listens to one workspace's messages on this instance; returns the unsubscribe. */
export function subscribeLive(workspaceId: string, fn: (m: LiveMessage) => void): () => void {
  local.on(workspaceId, fn);
  return () => local.off(workspaceId, fn);
}

/** Listens to every workspace's messages on this instance (process-wide, for caches); returns the unsubscribe. */
export function subscribeAllLive(fn: (m: LiveMessage) => void): () => void {
  local.on(ALL, fn);
  return () => local.off(ALL, fn);
}

/**
 * On PostgreSQL: LISTEN on one connection of the database for as long as the app runs, reconnecting
 * when the connection is lost. Returns the stop. PGlite keeps the in-process path.
 */
export async function startLiveListener(database: Database, log: (msg: string) => void = () => {}): Promise<() => Promise<void>> {
  if (!database.listen) return async () => {};
  const stop = await database.listen(LIVE_CHANNEL, (payload) => {
    try {
      const m = JSON.parse(payload) as LiveMessage;
      if (m && typeof m.workspaceId === 'string') {
        local.emit(m.workspaceId, m);
        local.emit(ALL, m);
      }
    } catch {
      log('live: a message that is not JSON was ignored');
    }
  });
  listeners++;
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    listeners--;
    await stop();
  };
}
