/**
 * Live portal events for staff (server-sent events) over the platform's live bus (server/platform/live.ts):
 * in-process on PGlite, NOTIFY/LISTEN across instances on PostgreSQL. Events carry ids only; a subscriber
 * is scoped to its workspace and re-checks account visibility per event.
 */
import type { Db } from '../../db/client.js';
import { type LiveMessage, publishLive, subscribeLive } from '../../platform/live.js';

export type PortalEvent = Omit<Extract<LiveMessage, { topic: 'portal' }>, 'topic'>;

export async function publish(db: Db, e: PortalEvent) {
  await publishLive(db, { topic: 'portal', ...e });
}

export function subscribe(workspaceId: string, fn: (e: PortalEvent) => void): () => void {
  return subscribeLive(workspaceId, (m) => {
    if (m.topic === 'portal') fn(m);
  });
}
