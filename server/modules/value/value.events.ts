// What the value module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** One month's measured value of a value item was recorded or replaced. */
export const ValueActualRecorded = defineEvent('value.actual_recorded', z.object({ ...AccountRef, itemId: z.guid(), period: z.string() }));
