// What the meetings module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** A meeting was held: its minutes were saved. */
export const MeetingHeld = defineEvent('meeting.held', z.object({ ...AccountRef, meetingId: z.guid() }));
/**
 * Somebody should hear of a meeting or an action item (the notification centre words and delivers it).
 * `kind` is the meetings module's own: invited | key_moment | updated | cancelled | reminder |
 * assigned | due_soon | overdue | escalated; `dedupe` names the happening so a redelivery is one notice.
 */
export const MeetingNoticed = defineEvent(
  'meeting.noticed',
  z.object({
    accountId: z.guid().nullable(),
    kind: z.enum(['invited', 'key_moment', 'updated', 'cancelled', 'reminder', 'assigned', 'due_soon', 'overdue', 'escalated']),
    userIds: z.array(z.guid()),
    title: z.string(),
    meetingId: z.guid().nullable(),
    actionItemId: z.guid().nullable(),
    dedupe: z.string().min(1),
  }),
);
