import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../api';

export type Queue = 'mine' | 'team' | 'breaching' | 'breached' | 'unassigned' | 'all';
export type TicketRow = {
  id: string;
  number: number;
  title: string;
  kind: string;
  severity: string;
  priority: string;
  channel: string;
  status: string;
  major: boolean;
  accountId: string;
  accountName: string;
  tier: string;
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamName: string | null;
  requesterName: string;
  createdAt: string;
  updatedAt: string;
  nextDueAt: string | null;
  breached: boolean;
  warning: boolean;
};
export type QueueCounts = Record<Exclude<Queue, 'all'>, number>;
export type TicketPage = { items: TicketRow[]; total: number; page: number; pageSize: number; counts: QueueCounts };

export type Clock = {
  id: string;
  kind: string;
  targetMinutes: number;
  target: string;
  startedAt: string;
  dueAt: string | null;
  warnAt: string | null;
  metAt: string | null;
  breachedAt: string | null;
  state: 'running' | 'paused' | 'met' | 'breached';
  warning: boolean;
  elapsedMinutes: number;
  remainingMinutes: number;
  remaining: string;
};
export type Message = { id: string; visibility: 'public' | 'internal'; authorKind: string; authorName: string; body: string; createdAt: string };
export type Attachment = { id: string; visibility: string; fileName: string; contentType: string; sizeBytes: number; uploadedByName: string; createdAt: string };
export type KeyMoment = { id: string; accountId: string; accountName: string; ticketId: string; ticketNumber: number; ticketTitle: string; cause: string; note: string | null; status: string; createdAt: string };
export type Ticket = {
  id: string;
  number: number;
  title: string;
  description: string;
  kind: string;
  severity: string;
  priority: string;
  channel: string;
  product: string | null;
  contractNo: string | null;
  status: string;
  major: boolean;
  accountId: string;
  accountName: string;
  requesterKind: string;
  requesterName: string;
  ownerId: string | null;
  ownerName: string | null;
  accountableId: string | null;
  accountableName: string | null;
  resolution: string | null;
  createdAt: string;
  resolvedAt: string | null;
  clocks: Clock[];
  messages: Message[];
  attachments: Attachment[];
  csat: { score: number; comment: string | null; byName: string; at: string } | null;
  canRate: boolean;
  tier: string;
  teamId: string | null;
  teamName: string | null;
  teamMembers: { id: string; name: string }[];
  dispatchReason: string;
  policy: { tier: string; severity: string; firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number; warnPct: number };
  pauses: { from: string; to: string | null }[];
  lastPublicFrom: string | null;
  allowedNext: string[];
  history: { id: number; kind: string; fromOwnerId: string | null; toOwnerId: string | null; fromStatus: string | null; toStatus: string | null; reason: string | null; actorKind: string; actorName: string; at: string }[];
  escalations: { id: string; recipientName: string; recipientRole: string; at: string }[];
  opportunities: { id: string; title: string; stage: string; capturedByName: string; createdAt: string }[];
  keyMoments: KeyMoment[];
};
export type AccountService = {
  tickets: { id: string; number: number; title: string; kind: string; severity: string; priority: string; status: string; major: boolean; ownerName: string | null; createdAt: string; resolvedAt: string | null; breached: boolean; requesterName: string }[];
  open: number;
  compliance: { byKind: { kind: string; met: number; breached: number; pct: number | null }[]; met: number; breached: number; pct: number | null };
  csat: { responses: number; average: number | null };
  keyMoments: KeyMoment[];
};
export type Calendar = { name: string; timezone: string; workingDays: number[]; periods: { start: string; end: string }[]; holidays: string[]; extraWorkdays: string[]; isDefault?: boolean };
export type Policy = { tier: string; severity: string; firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number; warnPct: number; isDefault: boolean };
export type DispatchRule = { id: string; tiers: string[]; kind: string; kindName: string; csmOwns: boolean; basis: string; target: string; note: string };

export const sdKeys = {
  all: ['tickets'] as const,
  list: (q: Query) => ['tickets', 'list', q] as const,
  one: (id: string) => ['tickets', 'one', id] as const,
  account: (id: string) => ['tickets', 'account', id] as const,
};

export function useTickets(q: { queue: Queue; page: number; pageSize: number; q?: string }) {
  return useQuery({ queryKey: sdKeys.list(q), queryFn: () => api.get<TicketPage>('/api/tickets', q), placeholderData: keepPreviousData, refetchInterval: 60_000 });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: sdKeys.one(id), queryFn: () => api.get<Ticket>(`/api/tickets/${id}`), refetchInterval: 60_000 });
}

export function useAccountService(accountId: string) {
  return useQuery({ queryKey: sdKeys.account(accountId), queryFn: () => api.get<AccountService>(`/api/accounts/${accountId}/service`) });
}

export function useSlaSettings() {
  return useQuery({ queryKey: ['sla-settings'], queryFn: () => api.get<{ calendar: Calendar; policies: Policy[] }>('/api/settings/sla') });
}

export function useDispatchRules() {
  return useQuery({ queryKey: ['dispatch-rules'], queryFn: () => api.get<{ items: DispatchRule[] }>('/api/service-desk/dispatch-rules'), select: (d) => d.items, staleTime: 5 * 60_000 });
}

export function useCsatReport(by: 'account' | 'team' | 'owner') {
  return useQuery({ queryKey: ['csat', by], queryFn: () => api.get<{ items: { id: string | null; name: string | null; responses: number; average: number; satisfied: number }[] }>('/api/service-desk/csat', { by }), select: (d) => d.items });
}

/** Any write on a ticket: refreshes the ticket, the queues and the account's service tab. */
export function useTicketAction<I>(id: string, fn: (input: I) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sdKeys.all });
      void qc.invalidateQueries({ queryKey: ['audit'] });
      void id;
    },
  });
}

export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ id: string; number: number; dispatchReason: { 'zh-CN': string; en: string } }>('/api/tickets', body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: sdKeys.all });
    },
  });
}

export function useSaveSla() {
  const qc = useQueryClient();
  return {
    calendar: useMutation({ mutationFn: (c: Calendar) => api.put('/api/settings/sla/calendar', c), onSuccess: () => qc.invalidateQueries({ queryKey: ['sla-settings'] }) }),
    policies: useMutation({ mutationFn: (p: Omit<Policy, 'isDefault'>[]) => api.put('/api/settings/sla/policies', { policies: p }), onSuccess: () => qc.invalidateQueries({ queryKey: ['sla-settings'] }) }),
  };
}
