// The notification centre listens to what the other modules announce (server/platform/events.ts) and turns
// each happening that needs a person into notices for the people it concerns.
import { subscribe } from '../../platform/events.js';
import { MeetingNoticed } from '../meetings/index.js';
import { OpportunityHandedOver } from '../opportunities/index.js';
import { PortalNeedMessaged, PortalNeedPosted } from '../portal/index.js';
import { SlaWarned, TicketAssigned, TicketEscalated } from '../service-desk/index.js';
import { BookingAwaitingApproval } from '../value-add/index.js';
import type { NoticeKind } from './notifications.domain.js';
import { deliverNotice } from './notifications.service.js';

const meetingKinds: Record<string, NoticeKind> = {
  invited: 'meeting_invited',
  key_moment: 'key_moment',
  updated: 'meeting_updated',
  cancelled: 'meeting_cancelled',
  reminder: 'meeting_reminder',
  assigned: 'action_assigned',
  due_soon: 'action_due_soon',
  overdue: 'action_overdue',
  escalated: 'action_escalated',
};

export const notificationSubscriptions = [
  subscribe('notify.on.ticket.assigned', TicketAssigned, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'ticket_assigned',
      userIds: [e.data.ownerId].filter((id) => id !== e.data.byUserId),
      title: e.data.title,
      params: { number: e.data.number },
      recordType: 'ticket',
      recordId: e.data.ticketId,
      accountId: e.data.accountId,
      dedupe: `ticket.assigned:${e.eventId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.sla.warned', SlaWarned, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'sla_warning',
      userIds: e.data.userIds,
      title: e.data.title,
      params: { number: e.data.number, clock: e.data.clock },
      recordType: 'ticket',
      recordId: e.data.ticketId,
      accountId: e.data.accountId,
      dedupe: `sla.warned:${e.data.clockId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.ticket.escalated', TicketEscalated, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'sla_breached',
      userIds: e.data.recipientIds,
      title: e.data.title,
      params: { number: e.data.number, clock: e.data.clock, accountName: e.data.accountName },
      recordType: 'ticket',
      recordId: e.data.ticketId,
      accountId: e.data.accountId,
      dedupe: `ticket.escalated:${e.data.clockId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.meeting.noticed', MeetingNoticed, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: meetingKinds[e.data.kind],
      userIds: e.data.userIds,
      title: e.data.title,
      recordType: e.data.actionItemId ? 'action_item' : 'meeting',
      recordId: (e.data.actionItemId ?? e.data.meetingId)!,
      accountId: e.data.accountId,
      dedupe: `meeting:${e.data.dedupe}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.portal.need_posted', PortalNeedPosted, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'portal_need',
      userIds: e.data.userIds,
      title: e.data.title,
      params: { accountName: e.data.accountName },
      recordType: 'demand',
      recordId: e.data.demandId,
      accountId: e.data.accountId,
      dedupe: `portal.need:${e.data.demandId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.portal.need_messaged', PortalNeedMessaged, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'portal_message',
      userIds: e.data.userIds,
      title: e.data.title,
      params: { accountName: e.data.accountName },
      recordType: 'demand',
      recordId: e.data.demandId,
      accountId: e.data.accountId,
      dedupe: `portal.message:${e.data.messageId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.booking.awaiting_approval', BookingAwaitingApproval, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'booking_pending',
      userIds: e.data.approverIds,
      title: e.data.title,
      params: { accountName: e.data.accountName },
      recordType: 'booking',
      recordId: e.data.bookingId,
      accountId: e.data.accountId,
      dedupe: `booking.pending:${e.data.bookingId}`,
    }).then(() => {}),
  ),
  subscribe('notify.on.opportunity.handed_over', OpportunityHandedOver, (db, e) =>
    deliverNotice(db, e.workspaceId, {
      kind: 'opportunity_handed',
      userIds: e.data.ownerId ? [e.data.ownerId] : [],
      title: e.data.title,
      params: { accountName: e.data.accountName },
      recordType: 'opportunity',
      recordId: e.data.opportunityId,
      accountId: e.data.accountId,
      dedupe: `opportunity.handed:${e.eventId}`,
    }).then(() => {}),
  ),
];
