import type { JobHandler } from '../../platform/jobs.js';
import { scanSla } from './tickets.service.js';

export const SLA_SCAN_JOB = 'service-desk.sla-scan';
export const SLA_SCAN_SCHEDULE = { name: 'service-desk.sla-scan', kind: SLA_SCAN_JOB, everySeconds: 60 };

/**
 * The breach scan, every minute: records warnings and breaches and escalates each breach once.
 * "Now" is the moment the job was due (its run_at), so a runner driven by an injected clock
 * (`runner.runDue(now)`) scans at that clock's time.
 */
export function slaScanHandler(): JobHandler {
  return async (db, job) => {
    await scanSla(db, job.run_at ? new Date(job.run_at) : new Date());
  };
}
