import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryRows, ts } from '../db/client.js';
import { jobs, schedules } from './platform.table.js';

export type JobRow = {
  id: number;
  workspace_id: string | null;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  run_at?: string | Date;
};
export type JobHandler = (db: Db, job: JobRow) => Promise<void>;

/**
 * Thrown by a handler that must not run now but later, at `runAt` (a rate limit of the receiving
 * platform, say): the job is queued again for then. `countsAsAttempt: false` (the default) gives the
 * attempt back, for a wait the job itself chose (its own send budget is spent); true keeps it, for a
 * refusal by the other side, so a receiver that never stops refusing still ends at max_attempts.
 */
export class RescheduleJob extends Error {
  constructor(
    readonly runAt: Date,
    readonly reason: string,
    readonly countsAsAttempt = false,
  ) {
    super(reason);
  }
}

export type NewJob = { kind: string; workspaceId?: string | null; payload?: unknown; runAt?: Date; dedupeKey?: string };

/** Enqueue a job (or outbox message) — call it with the transaction of the change that causes it. */
export async function enqueue(db: Db, job: NewJob) {
  await enqueueMany(db, [job]);
}

/** Several jobs in one statement (e.g. the outbox mails of a send batch); a dedupe key already queued is skipped. */
export async function enqueueMany(db: Db, list: NewJob[]) {
  if (!list.length) return;
  await db
    .insert(jobs)
    .values(
      list.map((job) => ({
        kind: job.kind,
        workspaceId: job.workspaceId ?? null,
        payload: job.payload ?? {},
        runAt: job.runAt ?? new Date(),
        dedupeKey: job.dedupeKey,
      })),
    )
    .onConflictDoNothing();
}

/**
 * `count` jobs of one kind in one statement, whatever the count (a campaign to a million people queues
 * 10,000): job i gets `payload` plus `{ [indexKey]: i }` and the dedupe key `${dedupePrefix}:${i}`.
 */
export async function enqueueSeries(
  db: Db,
  s: { kind: string; workspaceId: string; payload: Record<string, unknown>; indexKey: string; count: number; runAt: Date; dedupePrefix: string },
) {
  if (s.count <= 0) return;
  await db.execute(sql`insert into ${jobs} (kind, workspace_id, payload, run_at, dedupe_key)
    select ${s.kind}, ${s.workspaceId}, ${JSON.stringify(s.payload)}::jsonb || jsonb_build_object(${s.indexKey}::text, g),
      ${ts(s.runAt)}, ${`${s.dedupePrefix}:`} || g
    from generate_series(0, ${s.count - 1}::int) g
    on conflict (dedupe_key) do nothing`);
}

export async function ensureSchedule(db: Db, s: { name: string; kind: string; everySeconds: number; firstRunAt?: Date }) {
  await db
    .insert(schedules)
    .values({ name: s.name, kind: s.kind, everySeconds: s.everySeconds, nextRunAt: s.firstRunAt ?? new Date() })
    .onConflictDoUpdate({ target: schedules.name, set: { kind: s.kind, everySeconds: s.everySeconds } });
}

/**
 * Claims due schedules and jobs with FOR UPDATE SKIP LOCKED, so several instances on one
 * PostgreSQL share the work and never run the same job twice. A job that fails is retried
 * with backoff until max_attempts; a crashed worker's job is reclaimed when its lock expires.
 */
export function createJobRunner(
  db: Db,
  handlers: Record<string, JobHandler>,
  /** `only`: claim just these kinds and tick no schedules (a runner for part of the work, e.g. tests that deliver events) */
  opts: {
    pollMs?: number;
    lockSeconds?: number;
    log?: (o: object, m: string) => void;
    only?: string[];
    /**
     * A pause after each job, from how long it took (ms): background work that leaves the machine to the people
     * using it part of the time (campaign sends: `KW_SEND_DUTY`). A stop ends the pause at once.
     */
    pauseAfter?: (jobMs: number) => number;
  } = {},
) {
  const worker = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const lockSeconds = opts.lockSeconds ?? 300;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    ms > 0 && !stopped
      ? new Promise<void>((resolve) => {
          const t = setTimeout(done, ms);
          function done() {
            clearTimeout(t);
            wake = null;
            resolve();
          }
          wake = done;
        })
      : Promise.resolve();

  async function tickSchedules(now: Date) {
    await db.transaction(async (tx) => {
      const due = await queryRows<{ name: string; kind: string; every_seconds: number }>(
        tx,
        sql`select name, kind, every_seconds from ${schedules} where next_run_at <= ${ts(now)} for update skip locked`,
      );
      for (const s of due) {
        await tx.execute(
          sql`update ${schedules} set next_run_at = ${ts(new Date(now.getTime() + s.every_seconds * 1000))}, last_run_at = ${ts(now)} where name = ${s.name}`,
        );
        await enqueue(tx, { kind: s.kind, payload: { schedule: s.name }, runAt: now });
      }
    });
  }

  const only = opts.only
    ? sql`and kind = any(array[${sql.join(
        opts.only.map((k) => sql`${k}`),
        sql`, `,
      )}]::text[])`
    : sql``;
  async function claim(now: Date): Promise<JobRow | null> {
    const rows = await queryRows<JobRow>(
      db,
      sql`update ${jobs} set status = 'running', attempts = attempts + 1, locked_by = ${worker},
            locked_until = ${ts(new Date(now.getTime() + lockSeconds * 1000))}
          where id = (select id from ${jobs}
                      where ((status = 'queued' and run_at <= ${ts(now)}) or (status = 'running' and locked_until < ${ts(now)})) ${only}
                      order by run_at, id limit 1 for update skip locked)
          returning id, workspace_id, kind, payload, attempts, max_attempts, run_at`,
    );
    return rows[0] ?? null;
  }

  /** Runs every due job once; returns how many ran. Tests call this directly with a fixed clock. */
  async function runDue(now = new Date(), limit = 100): Promise<number> {
    if (!opts.only) await tickSchedules(now);
    let n = 0;
    // stop() waits for the tick in progress: finish the job at hand, claim no more (a batch of 100 could outlast the shutdown grace)
    for (; n < limit && !stopped; n++) {
      const job = await claim(now);
      if (!job) break;
      const started = performance.now();
      try {
        await runOne(job, now);
      } finally {
        if (opts.pauseAfter) await pause(opts.pauseAfter(performance.now() - started));
      }
    }
    return n;
  }

  /** One claimed job: its handler, then done, rescheduled, or failed with backoff. */
  async function runOne(job: JobRow, now: Date) {
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(db, job);
      await db.execute(sql`update ${jobs} set status = 'done', finished_at = now(), locked_until = null, last_error = null where id = ${job.id}`);
    } catch (err) {
      if (err instanceof RescheduleJob && !(err.countsAsAttempt && job.attempts >= job.max_attempts)) {
        await db.execute(sql`update ${jobs} set status = 'queued', locked_until = null, last_error = ${err.reason.slice(0, 2000)},
          run_at = ${ts(err.runAt)}, attempts = attempts - ${err.countsAsAttempt ? 0 : 1} where id = ${job.id}`);
        opts.log?.({ job: job.id, kind: job.kind, runAt: err.runAt.toISOString(), reason: err.reason }, 'job rescheduled');
        return;
      }
      const failed = job.attempts >= job.max_attempts;
      const backoff = Math.min(3600, 2 ** job.attempts * 15);
      await db.execute(sql`update ${jobs} set status = ${failed ? 'failed' : 'queued'}, locked_until = null,
        last_error = ${String((err as Error).message).slice(0, 2000)}, run_at = ${ts(new Date(now.getTime() + backoff * 1000))},
        finished_at = ${failed ? ts(now) : null} where id = ${job.id}`);
      opts.log?.({ job: job.id, kind: job.kind, err: (err as Error).message }, 'job failed');
    }
  }

  return {
    worker,
    runDue,
    start() {
      const loop = async () => {
        if (stopped) return;
        running = runDue().then(
          () => undefined,
          (err) => opts.log?.({ err: (err as Error).message }, 'job runner tick failed'),
        );
        await running;
        running = null;
        if (!stopped) timer = setTimeout(loop, opts.pollMs ?? 2000);
      };
      timer = setTimeout(loop, 200);
    },
    async stop() {
      stopped = true;
      wake?.();
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
