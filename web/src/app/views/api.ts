import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type ViewPage = 'accounts' | 'tickets';
export type SavedView = Item<Res<'/api/saved-views'>['items']>;
export type SaveViewBody = Body<'/api/saved-views', 'post'>;
/** The answer of every bulk action: each row done or refused, with the reason in words. */
export type BulkResult = Res<'/api/accounts/bulk/tag', 'post'>;

const key = (page: ViewPage) => ['saved-views', page] as const;

export function useSavedViews(page: ViewPage) {
  return useQuery({
    queryKey: key(page),
    queryFn: () => call(client.GET('/api/saved-views', { params: { query: { page } } })),
    select: (d) => d.items,
  });
}

export function useSaveView(page: ViewPage) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: Omit<SaveViewBody, 'page'>) => call(client.POST('/api/saved-views', { body: { ...v, page } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(page) }),
  });
}

export function useDeleteView(page: ViewPage) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(client.DELETE('/api/saved-views/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(page) }),
  });
}
