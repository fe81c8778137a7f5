import type { JobHandler } from '../../platform/jobs.js';
import { pollMailboxes } from './email-in.service.js';

export const EMAIL_POLL_JOB = 'service-desk.email-poll';
export const EMAIL_POLL_SCHEDULE = { name: 'service-desk.email-poll', kind: EMAIL_POLL_JOB, everySeconds: 60 };

/** Every minute: each enabled support mailbox with IMAP is read (unseen mail → tickets, replies, triage). */
export function emailPollHandler(): JobHandler {
  return async (db) => {
    await pollMailboxes(db);
  };
}
