// What the meetings module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** A meeting was held: its minutes were saved. */
export const MeetingHeld = defineEvent('meeting.held', z.object({ ...AccountRef, meetingId: z.guid() }));
