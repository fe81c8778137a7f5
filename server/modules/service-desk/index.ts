// The service desk's public face: tickets dispatched by tier and kind, SLA clocks in business hours,
// escalation, key moments and satisfaction (SPEC §2).
export { ticketsRoutes } from './tickets.routes.js';
export { emailInRoutes } from './email-in.routes.js';
export {
  createTicket,
  addMessage,
  pauseTicket,
  resumeTicket,
  resolveTicket,
  rateTicket,
  reassignTicket,
  markMajor,
  captureFromTicket,
  scanSla,
  loadVisibleTicket,
  myTicketQueue,
} from './tickets.service.js';
export type { SlaState } from './sla.domain.js';
export { putCalendar, putPolicies } from './sla.service.js';
export { dueClocks, claimOpenKeyMoment, loadCalendar as businessCalendar, ticketCountsByRequester } from './tickets.repo.js';
export { firstFreeSlot } from './sla.domain.js';
export * as dispatch from './dispatch.domain.js';
export * as sla from './sla.domain.js';
export { TicketRated, SlaBreached, SlaWarned, TicketAssigned, TicketEscalated } from './tickets.events.js';
export { SLA_SCAN_JOB, SLA_SCAN_SCHEDULE, slaScanHandler } from './sla-scan.job.js';
// email in: the support mailbox (IMAP poll job, inbound SMTP gateway) and staff replies by mail
export { EMAIL_POLL_JOB, EMAIL_POLL_SCHEDULE, emailPollHandler } from './email-in.job.js';
export { receiveEmail, pollMailboxes } from './email-in.service.js';
export { startInboundSmtp, type InboundGateway } from './email-in.gateway.js';
