/**
 * Live portal events for staff (server-sent events). An in-process bus: each instance pushes what
 * its own requests changed. Events carry ids only; a subscriber is scoped to its workspace and
 * re-checks account visibility per event. (Several instances would need PostgreSQL LISTEN/NOTIFY.)
 */
import { EventEmitter } from 'node:events';

export type PortalEvent = {
  workspaceId: string;
  accountId: string;
  type: 'demand.created' | 'demand.message' | 'portal.request';
  demandId?: string;
  at: string;
};

const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publish(e: PortalEvent) {
  bus.emit(e.workspaceId, e);
}

export function subscribe(workspaceId: string, fn: (e: PortalEvent) => void): () => void {
  bus.on(workspaceId, fn);
  return () => bus.off(workspaceId, fn);
}
