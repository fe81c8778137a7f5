import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Item, QueryOf, Res } from '../../api/types';

export type SearchAnswer = Res<'/api/search'>;
export type SearchGroup = Item<SearchAnswer['groups']>;
export type SearchHit = Item<SearchGroup['items']>;
export type SearchKind = SearchGroup['kind'];
export type TimelineItem = Item<Res<'/api/accounts/{id}/timeline'>['items']>;
export type TimelineKind = TimelineItem['kind'];
type TimelineQuery = QueryOf<'/api/accounts/{id}/timeline'>;

export const timelineKinds: TimelineKind[] = ['ticket', 'meeting', 'booking', 'opportunity', 'portal', 'stage', 'tier', 'ladder', 'value'];

/** The global search: the query as typed (the palette debounces it); nothing is asked for an empty query. */
export function useSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['search', term],
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: ({ signal }) => call(client.GET('/api/search', { params: { query: { q: term } }, signal })),
  });
}

/** The search page: one kind, a page of `size` hits from `page` (1-based); the answer's `more` says whether a next page exists. */
export function useSearchPage(q: string, kind: SearchKind | undefined, page: number, size: number) {
  const term = q.trim();
  return useQuery({
    queryKey: ['search', 'page', term, kind ?? 'all', page, size],
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      call(
        client.GET('/api/search', {
          params: { query: { q: term, kind, limit: size, offset: (page - 1) * size } },
          signal,
        }),
      ),
  });
}

const PAGE = 30;

/** One account's timeline, newest first, a page at a time, filtered by kind (none = all). */
export function useTimeline(accountId: string, kinds: TimelineKind[]) {
  const query: Omit<TimelineQuery, 'offset'> = { kind: kinds.length ? kinds : undefined, limit: PAGE };
  return useInfiniteQuery({
    queryKey: ['timeline', accountId, query],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      call(client.GET('/api/accounts/{id}/timeline', { params: { path: { id: accountId }, query: { ...query, offset: pageParam } } })),
    getNextPageParam: (last) => (last.hasMore ? last.offset + last.limit : undefined),
  });
}
