/**
 * Events between modules (ARCHITECTURE rule 11): a module announces what happened to an account in
 * the transaction of the change, through the outbox (`jobs`); modules that react subscribe. Nobody
 * calls into the module that reacts, so the import graph has no cycle.
 *
 * Delivery is two steps, both jobs with the runner's retries:
 *   `event`          one row per announcement; its handler fans out to the subscribers of that type
 *                    (one `event.deliver` job each, deduplicated per event and subscriber);
 *   `event.deliver`  one subscriber, one event: the payload is parsed with the event's zod schema
 *                    and handed to the subscriber; a failure retries that subscriber alone.
 * An event written in a transaction that rolls back is never delivered (its row is rolled back too).
 * Subscribers are collected where the app's jobs are (server/jobs.ts), not registered globally.
 */
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { enqueue, type JobHandler } from './jobs.js';

export const EVENT_JOB = 'event';
export const DELIVER_JOB = 'event.deliver';

/** What an event is: its name (`<subject>.<what happened>`) and the zod schema of its data. */
export type EventType<N extends string = string, S extends z.ZodType = z.ZodType> = { readonly type: N; readonly schema: S };
export type EventData<E extends EventType> = z.infer<E['schema']>;

export function defineEvent<N extends string, S extends z.ZodType>(type: N, schema: S): EventType<N, S> {
  return { type, schema };
}

/** Every event is about an account of a workspace; most say which account. */
export const AccountRef = { accountId: z.guid() };

/** Writes the event to the outbox in the caller's transaction (so it exists exactly when the change does). */
export async function announce<E extends EventType>(tx: Db, workspaceId: string, event: E, data: EventData<E>) {
  await enqueue(tx, { kind: EVENT_JOB, workspaceId, payload: { type: event.type, data: event.schema.parse(data) } });
}

export type Delivered<E extends EventType> = { workspaceId: string; eventId: number; data: EventData<E> };
export type Subscription = {
  /** unique; names the delivery job, so a subscriber that fails is retried alone */
  name: string;
  event: EventType;
  handle: (db: Db, e: Delivered<EventType>) => Promise<void>;
};

export function subscribe<E extends EventType>(name: string, event: E, handle: (db: Db, e: Delivered<E>) => Promise<void>): Subscription {
  return { name, event, handle: handle as Subscription['handle'] };
}

const Envelope = z.object({ type: z.string().min(1), data: z.unknown() });
// node-postgres hands bigint ids over as strings (PGlite as numbers): the event's id is read as a number either way
const Delivery = Envelope.extend({ subscriber: z.string().min(1), eventId: z.coerce.number().int() });

/** The two job handlers that deliver events to these subscribers. */
export function eventJobHandlers(subscriptions: readonly Subscription[]): Record<string, JobHandler> {
  const byName = new Map<string, Subscription>();
  for (const s of subscriptions) {
    if (byName.has(s.name)) throw new Error(`two subscribers are named ${s.name}`);
    byName.set(s.name, s);
  }
  return {
    [EVENT_JOB]: async (db, job) => {
      const e = Envelope.parse(job.payload);
      const targets = subscriptions.filter((s) => s.event.type === e.type);
      if (!targets.length) return;
      // due when the event was: a runner delivers in the same pass that fanned out
      const runAt = job.run_at ? new Date(job.run_at) : undefined;
      await db.transaction(async (tx) => {
        for (const s of targets) {
          await enqueue(tx, {
            kind: DELIVER_JOB,
            workspaceId: job.workspace_id,
            payload: { ...e, subscriber: s.name, eventId: Number(job.id) },
            runAt,
            dedupeKey: `event:${job.id}:${s.name}`,
          });
        }
      });
    },
    [DELIVER_JOB]: async (db, job) => {
      const d = Delivery.parse(job.payload);
      const s = byName.get(d.subscriber);
      if (!s) throw new Error(`no subscriber named ${d.subscriber}`);
      if (s.event.type !== d.type) throw new Error(`subscriber ${d.subscriber} does not take ${d.type}`);
      if (!job.workspace_id) throw new Error(`event ${d.eventId} has no workspace`);
      await s.handle(db, { workspaceId: job.workspace_id, eventId: d.eventId, data: s.event.schema.parse(d.data) });
    },
  };
}
