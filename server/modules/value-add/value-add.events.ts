// What the value-add module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** A value-add task (one of the six core tasks on the service plan) was moved to done. */
export const TaskDone = defineEvent('task.done', z.object({ ...AccountRef, taskId: z.guid() }));
/** A booking did not fit the account's budget and waits for a manager's approval; `approverIds` may approve it. */
export const BookingAwaitingApproval = defineEvent(
  'booking.awaiting_approval',
  z.object({ ...AccountRef, bookingId: z.guid(), title: z.string(), accountName: z.string(), approverIds: z.array(z.guid()) }),
);
