import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client, upload } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export type TicketQuery = QueryOf<'/api/tickets'>;
export type Queue = NonNullable<TicketQuery['queue']>;
export type TicketPage = Res<'/api/tickets'>;
export type TicketRow = Item<TicketPage['items']>;
export type QueueCounts = TicketPage['counts'];
export type Ticket = Res<'/api/tickets/{id}'>;
export type Clock = Item<Ticket['clocks']>;
export type AccountService = Res<'/api/accounts/{id}/service'>;
export type SlaSettings = Res<'/api/settings/sla'>;
export type Calendar = Body<'/api/settings/sla/calendar', 'put'>;
export type Policy = Item<SlaSettings['policies']>;
export type PolicyBody = Item<Body<'/api/settings/sla/policies', 'put'>['policies']>;
export type PoliciesBody = Body<'/api/settings/sla/policies', 'put'>;
export type DispatchRule = Item<Res<'/api/service-desk/dispatch-rules'>['items']>;
export type CsatBy = NonNullable<QueryOf<'/api/service-desk/csat'>['by']>;
export type NewTicket = Body<'/api/tickets', 'post'>;

/** What can be done to a ticket from its page, each with the body its endpoint takes. */
export type TicketAction =
  | { do: 'pause'; body: Body<'/api/tickets/{id}/pause', 'post'> }
  | { do: 'resume' }
  | { do: 'resolve'; body: Body<'/api/tickets/{id}/resolve', 'post'> }
  | { do: 'close' }
  | { do: 'assign'; body: Body<'/api/tickets/{id}/assign', 'post'> }
  | { do: 'major'; body: Body<'/api/tickets/{id}/major', 'post'> }
  | { do: 'opportunity'; body: Body<'/api/tickets/{id}/opportunity', 'post'> }
  | { do: 'csat'; body: Body<'/api/tickets/{id}/csat', 'post'> }
  | { do: 'messages'; body: Body<'/api/tickets/{id}/messages', 'post'> }
  | { do: 'attach'; file: File; visibility: 'public' | 'internal' };

export const sdKeys = {
  all: ['tickets'] as const,
  list: (q: TicketQuery) => ['tickets', 'list', q] as const,
  one: (id: string) => ['tickets', 'one', id] as const,
  account: (id: string) => ['tickets', 'account', id] as const,
};

const id = (v: string) => ({ params: { path: { id: v } } });

export function useTickets(q: TicketQuery) {
  return useQuery({
    queryKey: sdKeys.list(q),
    queryFn: () => call(client.GET('/api/tickets', { params: { query: q } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

export function useTicket(ticketId: string) {
  return useQuery({ queryKey: sdKeys.one(ticketId), queryFn: () => call(client.GET('/api/tickets/{id}', id(ticketId))), refetchInterval: 60_000 });
}

export function useAccountService(accountId: string) {
  return useQuery({ queryKey: sdKeys.account(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/service', id(accountId))) });
}

export function useSlaSettings() {
  return useQuery({ queryKey: ['sla-settings'], queryFn: () => call(client.GET('/api/settings/sla')) });
}

export function useDispatchRules() {
  return useQuery({
    queryKey: ['dispatch-rules'],
    queryFn: () => call(client.GET('/api/service-desk/dispatch-rules')),
    select: (d) => d.items,
    staleTime: 5 * 60_000,
  });
}

export function useCsatReport(by: CsatBy) {
  return useQuery({
    queryKey: ['csat', by],
    queryFn: () => call(client.GET('/api/service-desk/csat', { params: { query: { by } } })),
    select: (d) => d.items,
  });
}

function runAction(ticketId: string, a: TicketAction): Promise<unknown> {
  const path = id(ticketId);
  switch (a.do) {
    case 'pause':
      return call(client.POST('/api/tickets/{id}/pause', { ...path, body: a.body }));
    case 'resume':
      return call(client.POST('/api/tickets/{id}/resume', path));
    case 'resolve':
      return call(client.POST('/api/tickets/{id}/resolve', { ...path, body: a.body }));
    case 'close':
      return call(client.POST('/api/tickets/{id}/close', path));
    case 'assign':
      return call(client.POST('/api/tickets/{id}/assign', { ...path, body: a.body }));
    case 'major':
      return call(client.POST('/api/tickets/{id}/major', { ...path, body: a.body }));
    case 'opportunity':
      return call(client.POST('/api/tickets/{id}/opportunity', { ...path, body: a.body }));
    case 'csat':
      return call(client.POST('/api/tickets/{id}/csat', { ...path, body: a.body }));
    case 'messages':
      return call(client.POST('/api/tickets/{id}/messages', { ...path, body: a.body }));
    case 'attach':
      return upload('/api/tickets/{id}/attachments', { path: { id: ticketId }, query: { visibility: a.visibility } }, a.file);
  }
}

/** Any write on a ticket: refreshes the ticket, the queues and the account's service tab. */
export function useTicketAction(ticketId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: TicketAction) => runAction(ticketId, a),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sdKeys.all });
      void qc.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewTicket) => call(client.POST('/api/tickets', { body })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sdKeys.all });
    },
  });
}

export function useSaveSla() {
  const qc = useQueryClient();
  return {
    calendar: useMutation({
      mutationFn: (c: Calendar) => call(client.PUT('/api/settings/sla/calendar', { body: c })),
      onSuccess: () => qc.invalidateQueries({ queryKey: ['sla-settings'] }),
    }),
    policies: useMutation({
      mutationFn: (body: PoliciesBody) => call(client.PUT('/api/settings/sla/policies', { body })),
      onSuccess: () => qc.invalidateQueries({ queryKey: ['sla-settings'] }),
    }),
  };
}

// ---- email in: the support mailbox (admins) and the triage queue

export type MailboxSettings = Res<'/api/settings/email-in'>;
export type MailboxBody = Body<'/api/settings/email-in', 'put'>;
export type InboundQuery = QueryOf<'/api/email-in/inbound'>;
export type InboundStatus = NonNullable<InboundQuery['status']>;
export type InboundMail = Item<Res<'/api/email-in/inbound'>['items']>;
export type TriageToTicket = Body<'/api/email-in/inbound/{id}/ticket', 'post'>;

export function useMailboxSettings(enabled = true) {
  return useQuery({ queryKey: ['settings', 'email-in'], queryFn: () => call(client.GET('/api/settings/email-in')), enabled });
}

export function useSaveMailboxSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: MailboxBody) => call(client.PUT('/api/settings/email-in', { body: b })),
    onSuccess: (r) => qc.setQueryData(['settings', 'email-in'], r),
  });
}

export function useTestMailbox() {
  return useMutation({ mutationFn: () => call(client.POST('/api/settings/email-in/test')) });
}

export function useInbound(q: InboundQuery, enabled = true) {
  return useQuery({
    queryKey: ['email-in', 'inbound', q],
    queryFn: () => call(client.GET('/api/email-in/inbound', { params: { query: q } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
    enabled,
  });
}

export function useTriageToTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; body: TriageToTicket }) => call(client.POST('/api/email-in/inbound/{id}/ticket', { ...id(v.id), body: v.body })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['email-in'] });
      void qc.invalidateQueries({ queryKey: sdKeys.all });
    },
  });
}

export function useDismissInbound() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (mailId: string) => call(client.POST('/api/email-in/inbound/{id}/dismiss', id(mailId))),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['email-in'] }),
  });
}

export type SlaPreviewBody = Body<'/api/service-desk/sla/preview', 'post'>;
export type SlaPreview = Res<'/api/service-desk/sla/preview', 'post'>;

/** The SLA preview (设置 › SLA): the deadlines a ticket opened then would get, by the tickets' own engine; nothing is stored. */
export const useSlaPreview = () =>
  useMutation({ mutationFn: (b: SlaPreviewBody) => call(client.POST('/api/service-desk/sla/preview', { body: b })) });

export type BulkAssignBody = Body<'/api/tickets/bulk/assign', 'post'>;
/** Reassign a selection: each ticket by the one-by-one rules, done or refused with the reason; the queues refresh either way. */
export function useBulkAssign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: BulkAssignBody) => call(client.POST('/api/tickets/bulk/assign', { body: v })),
    onSettled: () => qc.invalidateQueries({ queryKey: sdKeys.all }),
  });
}
