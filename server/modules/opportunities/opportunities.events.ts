// What the opportunities module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** An opportunity captured in service was handed to sales; `ownerId` is the salesperson who now has it. */
export const OpportunityHandedOver = defineEvent(
  'opportunity.handed_over',
  z.object({ ...AccountRef, opportunityId: z.guid(), title: z.string(), accountName: z.string(), ownerId: z.guid().nullable(), byUserId: z.guid() }),
);
