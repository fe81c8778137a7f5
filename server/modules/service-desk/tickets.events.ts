// What the service desk announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** The customer rated a resolved ticket (a satisfaction response was stored). */
export const TicketRated = defineEvent('ticket.rated', z.object({ ...AccountRef, ticketId: z.guid(), score: z.number().int() }));
/** An SLA clock of a ticket passed its deadline (recorded once, by whichever scan claimed it). */
export const SlaBreached = defineEvent('sla.breached', z.object({ ...AccountRef, ticketId: z.guid(), clockId: z.guid() }));
