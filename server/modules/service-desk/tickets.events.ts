// What the service desk announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** The customer rated a resolved ticket (a satisfaction response was stored). */
export const TicketRated = defineEvent('ticket.rated', z.object({ ...AccountRef, ticketId: z.guid(), score: z.number().int() }));
/** An SLA clock of a ticket passed its deadline (recorded once, by whichever scan claimed it). */
export const SlaBreached = defineEvent('sla.breached', z.object({ ...AccountRef, ticketId: z.guid(), clockId: z.guid() }));
/** A ticket got an owner: at creation by dispatch, or by reassignment (the notification centre tells the new owner). */
export const TicketAssigned = defineEvent(
  'ticket.assigned',
  z.object({ ...AccountRef, ticketId: z.guid(), number: z.number().int(), title: z.string(), ownerId: z.guid(), byUserId: z.guid().nullable() }),
);
/** An SLA clock of a ticket is close to its deadline (recorded once); `userIds` are the owner (or the team lead). */
export const SlaWarned = defineEvent(
  'sla.warned',
  z.object({
    ...AccountRef,
    ticketId: z.guid(),
    clockId: z.guid(),
    number: z.number().int(),
    title: z.string(),
    clock: z.string(),
    userIds: z.array(z.guid()),
  }),
);
/** A breach was escalated (once per clock) to these people: the owner's manager, the team lead, the CSM of a key account. */
export const TicketEscalated = defineEvent(
  'ticket.escalated',
  z.object({
    ...AccountRef,
    ticketId: z.guid(),
    clockId: z.guid(),
    number: z.number().int(),
    title: z.string(),
    clock: z.string(),
    accountName: z.string(),
    recipientIds: z.array(z.guid()),
  }),
);
