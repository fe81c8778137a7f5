import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export const stages = ['captured', 'incubating', 'handed_to_sales', 'won', 'lost'] as const;

export type Column = Item<Res<'/api/opportunities/board'>['columns']>;
export type Opportunity = Item<Column['items']>;
export type OpportunityDetail = Res<'/api/opportunities/{id}'>;
export type Webhook = NonNullable<Res<'/api/opportunities/webhook'>['webhook']>;
export type WebhookBody = Body<'/api/opportunities/webhook', 'put'>;
export type CaptureBody = Body<'/api/accounts/{id}/opportunities', 'post'>;
export type StageMoveBody = Body<'/api/opportunities/{id}/stage', 'post'>;
export type IncubationBody = Body<'/api/opportunities/{id}/incubation', 'post'>;

export const oppKeys = {
  all: ['opportunities'] as const,
  board: (q: BoardQuery) => ['opportunities', 'board', q] as const,
  one: (id: string) => ['opportunities', 'one', id] as const,
  webhook: ['opportunities', 'webhook'] as const,
  deliveries: ['opportunities', 'deliveries'] as const,
};

const id = (v: string) => ({ params: { path: { id: v } } });

export type SourceKind = NonNullable<QueryOf<'/api/opportunities/board'>['sourceKind']>;
export type BoardQuery = { mine?: boolean; accountId?: string; ownerId?: string; sourceKind?: SourceKind; handedToMe?: boolean };
export const useBoard = (q: BoardQuery) =>
  useQuery({
    queryKey: oppKeys.board(q),
    queryFn: () =>
      call(
        client.GET('/api/opportunities/board', {
          params: {
            query: {
              mine: q.mine ? 'true' : undefined,
              handedToMe: q.handedToMe ? 'true' : undefined,
              accountId: q.accountId,
              ownerId: q.ownerId,
              sourceKind: q.sourceKind,
            },
          },
        }),
      ),
    select: (d) => d.columns,
    placeholderData: keepPreviousData,
  });
export const useOpportunity = (oppId: string | null) =>
  useQuery({ queryKey: oppKeys.one(oppId ?? ''), queryFn: () => call(client.GET('/api/opportunities/{id}', id(oppId!))), enabled: !!oppId });
export const useWebhook = (enabled: boolean) =>
  useQuery({ queryKey: oppKeys.webhook, queryFn: () => call(client.GET('/api/opportunities/webhook')), enabled });
export const useWebhookDeliveries = () =>
  useQuery({ queryKey: oppKeys.deliveries, queryFn: () => call(client.GET('/api/opportunities/webhook/deliveries')) });

/** Any opportunity change refreshes the pipeline and the value-add views that count opportunities. */
function useOppMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: oppKeys.all });
      void qc.invalidateQueries({ queryKey: ['value-add'] });
    },
  });
}

/** Captures an opportunity on an account (a visit, a meeting, a portal demand), or from a value-add task. */
export const useCapture = (target: { accountId?: string; taskId?: string }) =>
  useOppMutation(({ sourceKind, ...body }: CaptureBody) =>
    target.taskId
      ? call(client.POST('/api/value-add/tasks/{id}/opportunities', { ...id(target.taskId), body }))
      : call(client.POST('/api/accounts/{id}/opportunities', { ...id(target.accountId!), body: { ...body, sourceKind } })),
  );
export const useMoveOpportunity = (oppId: string | null) =>
  useOppMutation((v: StageMoveBody) => call(client.POST('/api/opportunities/{id}/stage', { ...id(oppId!), body: v })));
/** A move from the board (drag and drop): the opportunity is named per call. */
export const useMoveFromBoard = () =>
  useOppMutation((v: { id: string; body: StageMoveBody }) => call(client.POST('/api/opportunities/{id}/stage', { ...id(v.id), body: v.body })));
export const useIncubation = (oppId: string | null) =>
  useOppMutation((v: IncubationBody) => call(client.POST('/api/opportunities/{id}/incubation', { ...id(oppId!), body: v })));
export const useSaveWebhook = () => useOppMutation((v: WebhookBody) => call(client.PUT('/api/opportunities/webhook', { body: v })));
