import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client, upload } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export type AccountPage = Res<'/api/accounts'>;
export type AccountSummary = Item<AccountPage['items']>;
export type AccountListQuery = QueryOf<'/api/accounts'>;
export type Account360 = Res<'/api/accounts/{id}'>;
export type Contact = Item<Account360['contacts']>;
export type RelationshipLink = Item<Account360['links']>;
export type Segment = Item<Res<'/api/segments'>['items']>;

export type AccountInput = Body<'/api/accounts', 'post'>;
export type ContactInput = Body<'/api/accounts/{id}/contacts', 'post'>;
export type TierOverrideBody = Body<'/api/accounts/{id}/tier-override', 'post'>;
export type StageMoveBody = Body<'/api/accounts/{id}/stage', 'post'>;
export type LadderMoveBody = Body<'/api/accounts/{id}/ladder', 'post'>;
export type TeamBody = Body<'/api/accounts/{id}/team', 'put'>;
export type LinkBody = Body<'/api/accounts/{id}/links', 'post'>;
export type KeyPersonLoginBody = Body<'/api/contacts/{id}/key-person-login', 'post'>;
export type ExportQuery = QueryOf<'/api/accounts/export'>;
export type SegmentInput = Body<'/api/segments', 'post'>;

export const accountKeys = {
  all: ['accounts'] as const,
  list: (q: AccountListQuery) => ['accounts', 'list', q] as const,
  one: (id: string) => ['accounts', 'one', id] as const,
};

const id = (v: string) => ({ params: { path: { id: v } } });

export function useAccounts(q: AccountListQuery) {
  return useQuery({
    queryKey: accountKeys.list(q),
    queryFn: () => call(client.GET('/api/accounts', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function useAccount(accountId: string, enabled = true) {
  return useQuery({ queryKey: accountKeys.one(accountId), queryFn: () => call(client.GET('/api/accounts/{id}', id(accountId))), enabled });
}

export function useTags() {
  return useQuery({ queryKey: ['tags'], queryFn: () => call(client.GET('/api/tags')), select: (d) => d.items, staleTime: 60_000 });
}

export function useFacets() {
  return useQuery({ queryKey: ['account-facets'], queryFn: () => call(client.GET('/api/accounts/facets')), staleTime: 60_000 });
}

export function useSegments() {
  return useQuery({ queryKey: ['segments'], queryFn: () => call(client.GET('/api/segments')), select: (d) => d.items });
}

/** A new segment (no `segmentId`) or a change to one; account lists filtered by it change too. */
export function useSaveSegment(segmentId?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: SegmentInput) =>
      segmentId ? call(client.PATCH('/api/segments/{id}', { ...id(segmentId), body: v })) : call(client.POST('/api/segments', { body: v })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['segments'] });
      await qc.invalidateQueries({ queryKey: accountKeys.all });
    },
  });
}

export function useDeleteSegment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (segmentId: string) => call(client.DELETE('/api/segments/{id}', id(segmentId))),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['segments'] }),
  });
}

/** A change to an account (or its contacts and links): refreshes its 360, the lists and the audit trail afterwards. */
function useAccountMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: accountKeys.all });
      void qc.invalidateQueries({ queryKey: ['audit'] });
      void qc.invalidateQueries({ queryKey: ['tags'] });
    },
  });
}

/** New account (no `accountId`) or a change to an existing one's details. */
export function useSaveAccount(accountId?: string) {
  return useAccountMutation((v: AccountInput & { version?: number }) =>
    accountId ? call(client.PATCH('/api/accounts/{id}', { ...id(accountId), body: v })) : call(client.POST('/api/accounts', { body: v })),
  );
}

export const useTierOverride = (accountId: string) =>
  useAccountMutation((v: TierOverrideBody) => call(client.POST('/api/accounts/{id}/tier-override', { ...id(accountId), body: v })));
export const useClearTierOverride = (accountId: string) =>
  useAccountMutation(() => call(client.DELETE('/api/accounts/{id}/tier-override', id(accountId))));
export const useMoveStage = (accountId: string) =>
  useAccountMutation((v: StageMoveBody) => call(client.POST('/api/accounts/{id}/stage', { ...id(accountId), body: v })));
export const useMoveLadder = (accountId: string) =>
  useAccountMutation((v: LadderMoveBody) => call(client.POST('/api/accounts/{id}/ladder', { ...id(accountId), body: v })));
export const useSaveTeam = (accountId: string) =>
  useAccountMutation((v: TeamBody) => call(client.PUT('/api/accounts/{id}/team', { ...id(accountId), body: v })));

/** Adds a contact to the account, or changes `contactId`. */
export const useSaveContact = (accountId: string, contactId?: string) =>
  useAccountMutation((v: ContactInput & { version?: number }) =>
    contactId
      ? call(client.PATCH('/api/contacts/{id}', { ...id(contactId), body: v }))
      : call(client.POST('/api/accounts/{id}/contacts', { ...id(accountId), body: v })),
  );
export const useDeleteContact = () => useAccountMutation((contactId: string) => call(client.DELETE('/api/contacts/{id}', id(contactId))));
export const useAddLink = (accountId: string) =>
  useAccountMutation((v: LinkBody) => call(client.POST('/api/accounts/{id}/links', { ...id(accountId), body: v })));
export const useDeleteLink = () => useAccountMutation((linkId: string) => call(client.DELETE('/api/links/{id}', id(linkId))));
export const useKeyPersonLogin = (contactId: string | undefined) =>
  useAccountMutation((v: KeyPersonLoginBody) => call(client.POST('/api/contacts/{id}/key-person-login', { ...id(contactId!), body: v })));

/** CSV/XLSX import of accounts or contacts (all or nothing); refreshes the lists afterwards. */
export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: 'accounts' | 'contacts'; file: File }) =>
      upload(kind === 'accounts' ? '/api/accounts/import' : '/api/contacts/import', {}, file),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export type BulkStageBody = Body<'/api/accounts/bulk/stage', 'post'>;
export type BulkTagBody = Body<'/api/accounts/bulk/tag', 'post'>;
/** Bulk actions on a selection: each row done or refused (with the reason); the lists refresh either way. */
export const useBulkStage = () => useAccountMutation((v: BulkStageBody) => call(client.POST('/api/accounts/bulk/stage', { body: v })));
export const useBulkTag = () => useAccountMutation((v: BulkTagBody) => call(client.POST('/api/accounts/bulk/tag', { body: v })));
