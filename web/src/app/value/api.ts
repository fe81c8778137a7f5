import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client, fileUrl, upload } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type Library = Res<'/api/value/library'>;
export type Indicator = Item<Library['indicators']>;
export type Label = Indicator['name'];
export type Project = Res<'/api/accounts/{id}/value'>;
export type ProjectItem = Item<Project['items']>;
export type Status = ProjectItem['status'];
export type PeriodTotal = Item<Project['byPeriod']>;
export type ValuePromise = Item<Project['promises']>;
export type ItemBody = Body<'/api/accounts/{id}/value/items', 'post'>;
export type ItemPatch = Body<'/api/value/items/{id}', 'patch'>;
export type ActualBody = Body<'/api/value/items/{id}/actuals', 'post'>;
export type IndicatorBody = Body<'/api/value/library', 'post'>;

export const valueKeys = {
  all: ['value'] as const,
  library: ['value', 'library'] as const,
  project: (id: string) => ['value', 'project', id] as const,
};

const id = (v: string) => ({ params: { path: { id: v } } });

export const useLibrary = () => useQuery({ queryKey: valueKeys.library, queryFn: () => call(client.GET('/api/value/library')) });
export const useProject = (accountId: string) =>
  useQuery({ queryKey: valueKeys.project(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/value', id(accountId))) });

/** Every value change refreshes the value views (the project answers with itself; the library is shared). */
function useValueMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: valueKeys.all }) });
}

/** A new library indicator (no `indicatorId`), or a change to one (its key stays). */
export const useSaveIndicator = (indicatorId?: string) =>
  useValueMutation(({ key, ...body }: IndicatorBody) =>
    indicatorId
      ? call(client.PATCH('/api/value/library/{id}', { ...id(indicatorId), body }))
      : call(client.POST('/api/value/library', { body: { ...body, key } })),
  );
export const useAddItem = (accountId: string) =>
  useValueMutation((v: ItemBody) => call(client.POST('/api/accounts/{id}/value/items', { ...id(accountId), body: v })));
export const useUpdateItem = (itemId: string) =>
  useValueMutation((v: ItemPatch) => call(client.PATCH('/api/value/items/{id}', { ...id(itemId), body: v })));
export const useRemoveItem = () => useValueMutation((itemId: string) => call(client.DELETE('/api/value/items/{id}', id(itemId))));
export const useRecordActual = (itemId: string) =>
  useValueMutation((v: ActualBody) => call(client.POST('/api/value/items/{id}/actuals', { ...id(itemId), body: v })));
export const useImportActuals = (accountId: string) =>
  useValueMutation((file: File) => upload('/api/accounts/{id}/value/actuals/import', { path: { id: accountId } }, file));
export const useLinkPromise = () =>
  useValueMutation((v: { bookingId: string; itemIds: string[] }) =>
    call(client.PUT('/api/value/promises/{id}', { ...id(v.bookingId), body: { itemIds: v.itemIds } })),
  );

export const reportUrl = (accountId: string, kind: 'html' | 'pdf') =>
  fileUrl(kind === 'html' ? '/api/accounts/{id}/value/report.html' : '/api/accounts/{id}/value/report.pdf', { path: { id: accountId } });
