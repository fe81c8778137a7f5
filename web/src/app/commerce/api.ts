// The commercial record (issue 16): contracts, payment plans and payments, delivery projects, time, renewals.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type ContractList = Res<'/api/accounts/{id}/contracts'>;
export type ContractRow = Item<ContractList['items']>;
export type ContractDetail = Res<'/api/contracts/{id}'>;
export type PlanItemRow = Item<ContractDetail['planItems']>;
export type ProjectView = Item<ContractDetail['projects']>;
export type RenewalRow = Item<Res<'/api/renewals'>['items']>;
export type ContractBody = Body<'/api/accounts/{id}/contracts', 'post'>;
export type PlanItemBody = Body<'/api/contracts/{id}/plan-items', 'post'>;
export type PaymentBody = Body<'/api/contracts/{id}/payments', 'post'>;
export type ProjectPatch = Body<'/api/projects/{id}', 'patch'>;
export type MilestoneBody = Body<'/api/projects/{id}/milestones', 'post'>;
export type TimeBody = Body<'/api/projects/{id}/time-entries', 'post'>;

const id = (v: string) => ({ params: { path: { id: v } } });

export const commerceKeys = {
  all: ['commerce'] as const,
  contracts: (accountId: string) => ['commerce', 'contracts', accountId] as const,
  contract: (contractId: string) => ['commerce', 'contract', contractId] as const,
  renewals: (within: number) => ['commerce', 'renewals', within] as const,
  time: (from: string, to: string) => ['commerce', 'time', from, to] as const,
  projects: ['commerce', 'projects'] as const,
};

export function useContracts(accountId: string) {
  return useQuery({ queryKey: commerceKeys.contracts(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/contracts', id(accountId))) });
}

export function useContract(contractId: string | null) {
  return useQuery({
    queryKey: commerceKeys.contract(contractId ?? ''),
    queryFn: () => call(client.GET('/api/contracts/{id}', id(contractId!))),
    enabled: !!contractId,
  });
}

export function useRenewals(within: number) {
  return useQuery({ queryKey: commerceKeys.renewals(within), queryFn: () => call(client.GET('/api/renewals', { params: { query: { within } } })) });
}

export function useOpenProjects() {
  return useQuery({ queryKey: commerceKeys.projects, queryFn: () => call(client.GET('/api/projects')), select: (d) => d.items });
}

export function useMyTime(from: string, to: string) {
  return useQuery({
    queryKey: commerceKeys.time(from, to),
    queryFn: () => call(client.GET('/api/time-entries', { params: { query: { from, to } } })),
    select: (d) => d.items,
  });
}

/** A change to the commercial record: every commerce view, and the accounts (grading factors and tiers move with it). */
function useCommerceMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: commerceKeys.all });
      await qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
}

export const useCreateContract = (accountId: string) =>
  useCommerceMutation((v: ContractBody) => call(client.POST('/api/accounts/{id}/contracts', { ...id(accountId), body: v })));
export const useAddPlanItem = (contractId: string) =>
  useCommerceMutation((v: PlanItemBody) => call(client.POST('/api/contracts/{id}/plan-items', { ...id(contractId), body: v })));
export const useRecordPayment = (contractId: string) =>
  useCommerceMutation((v: PaymentBody) => call(client.POST('/api/contracts/{id}/payments', { ...id(contractId), body: v })));
export const useDeletePayment = () => useCommerceMutation((paymentId: string) => call(client.DELETE('/api/payments/{id}', id(paymentId))));
export const useCreateProject = (contractId: string) =>
  useCommerceMutation((v: { name: string; managerId?: string | null }) =>
    call(client.POST('/api/contracts/{id}/projects', { ...id(contractId), body: v })),
  );
export const useUpdateProject = () =>
  useCommerceMutation((v: { projectId: string; body: ProjectPatch }) =>
    call(client.PATCH('/api/projects/{id}', { ...id(v.projectId), body: v.body })),
  );
export const useAddMilestone = () =>
  useCommerceMutation((v: { projectId: string; body: MilestoneBody }) =>
    call(client.POST('/api/projects/{id}/milestones', { ...id(v.projectId), body: v.body })),
  );
export const useReachMilestone = () =>
  useCommerceMutation((v: { milestoneId: string; actualOn: string | null }) =>
    call(client.PATCH('/api/project-milestones/{id}', { ...id(v.milestoneId), body: { actualOn: v.actualOn } })),
  );
export const useBookTime = () =>
  useCommerceMutation((v: { projectId: string; body: TimeBody }) =>
    call(client.POST('/api/projects/{id}/time-entries', { ...id(v.projectId), body: v.body })),
  );
export type TimePatch = Body<'/api/time-entries/{id}', 'patch'>;
export const useUpdateTime = () =>
  useCommerceMutation((v: { entryId: string; body: TimePatch }) => call(client.PATCH('/api/time-entries/{id}', { ...id(v.entryId), body: v.body })));
export const useDeleteTime = () => useCommerceMutation((entryId: string) => call(client.DELETE('/api/time-entries/{id}', id(entryId))));
export const useClearOverride = (accountId: string) =>
  useCommerceMutation((factor: 'onTimePaymentPct' | 'orderAmountMinor' | 'profitMarginPct') =>
    call(client.DELETE('/api/accounts/{id}/grading-overrides/{factor}', { params: { path: { id: accountId, factor } } })),
  );

export function useCustomisationCover(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['commerce', 'cover', accountId],
    queryFn: () => call(client.GET('/api/accounts/{id}/customisation-cover', id(accountId))),
    enabled,
  });
}

/** The renewal board's suggestion taken: the account moves to 续约期 (the stage rules still apply on the server). */
export const useMoveToRenewal = () =>
  useCommerceMutation((accountId: string) => call(client.POST('/api/accounts/{id}/stage', { ...id(accountId), body: { to: 'renewal' } })));
