// Delivers the events between modules that are due (and nothing else), as the job runner would.
import type { Db } from '../db/client.js';
import { jobHandlers } from '../jobs.js';
import { DELIVER_JOB, EVENT_JOB } from '../platform/events.js';
import { createJobRunner } from '../platform/jobs.js';

/** Runs the `event` fan-out and `event.deliver` jobs due at `now` until none is left; returns how many ran. */
export async function deliverEvents(db: Db, now = new Date()): Promise<number> {
  const runner = createJobRunner(db, jobHandlers, { only: [EVENT_JOB, DELIVER_JOB] });
  let total = 0;
  for (let n = await runner.runDue(now); n > 0; n = await runner.runDue(now)) total += n;
  return total;
}
