import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';

export const stages = ['captured', 'incubating', 'handed_to_sales', 'won', 'lost'] as const;

export type Opportunity = {
  id: string;
  accountId: string;
  accountName: string;
  accountTier: string;
  title: string;
  description: string | null;
  sourceKind: string;
  capturedByName: string;
  ownerName: string | null;
  amountMinor: number;
  currency: string;
  product: string | null;
  stage: string;
  allowedNext: string[];
  lostReason: string | null;
  expectedCloseOn: string | null;
  handedAt: string | null;
  createdAt: string;
};
export type OpportunityDetail = Opportunity & { events: { id: string; fromStage: string | null; toStage: string; note: string | null; actorName: string | null; at: string }[] };
export type Column = { stage: string; count: number; amountMinor: number; items: Opportunity[] };
export type Webhook = { url: string; allowHosts: string[]; active: boolean; secretHint: string; secret?: string | null };

export const oppKeys = {
  all: ['opportunities'] as const,
  board: (q: { mine?: boolean; accountId?: string }) => ['opportunities', 'board', q] as const,
  one: (id: string) => ['opportunities', 'one', id] as const,
  webhook: ['opportunities', 'webhook'] as const,
};

export const useBoard = (q: { mine?: boolean; accountId?: string }) =>
  useQuery({ queryKey: oppKeys.board(q), queryFn: () => api.get<{ columns: Column[] }>('/api/opportunities/board', { mine: q.mine || undefined, accountId: q.accountId }), select: (d) => d.columns });
export const useOpportunity = (id: string | null) =>
  useQuery({ queryKey: oppKeys.one(id ?? ''), queryFn: () => api.get<OpportunityDetail>(`/api/opportunities/${id}`), enabled: !!id });
export const useWebhook = (enabled: boolean) => useQuery({ queryKey: oppKeys.webhook, queryFn: () => api.get<{ webhook: Webhook | null }>('/api/opportunities/webhook'), enabled });

export function useOppMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: oppKeys.all });
      void qc.invalidateQueries({ queryKey: ['value-add'] });
    },
  });
}
