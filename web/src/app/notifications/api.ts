import { useEffect } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export type Notice = Item<Res<'/api/notifications'>['items']>;
export type NoticeKind = Notice['kind'];
export type Preferences = Res<'/api/notifications/preferences'>;
export type PreferencesBody = Body<'/api/notifications/preferences', 'put'>;
type ListQuery = QueryOf<'/api/notifications'>;

export const noticeKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: (q: Omit<ListQuery, 'before'>) => ['notifications', 'list', q] as const,
  prefs: ['notifications', 'preferences'] as const,
};
const PAGE = 30;

/** My notices, newest first, a page at a time (`before` = the last one's time). */
export function useNotices(q: { unread?: boolean; kind?: NoticeKind[] }, pageSize = PAGE) {
  const query: Omit<ListQuery, 'before'> = { unread: q.unread ? 'true' : undefined, kind: q.kind?.length ? q.kind : undefined, limit: pageSize };
  return useInfiniteQuery({
    queryKey: noticeKeys.list(query),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => call(client.GET('/api/notifications', { params: { query: { ...query, before: pageParam } } })),
    getNextPageParam: (last) => (last.items.length < pageSize ? undefined : last.items[last.items.length - 1]?.createdAt),
  });
}

/** The bell's unread count, kept live by the server's stream (which also refreshes open lists). */
export function useUnreadCount() {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: noticeKeys.unread,
    queryFn: () => call(client.GET('/api/notifications/unread-count')).then((r) => r.unread),
  });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/notifications/stream');
    const onUnread = (e: MessageEvent) => {
      try {
        const { unread } = JSON.parse(e.data) as { unread: number };
        if (qc.getQueryData(noticeKeys.unread) !== unread) {
          qc.setQueryData(noticeKeys.unread, unread);
          void qc.invalidateQueries({ queryKey: [...noticeKeys.all, 'list'] });
        }
      } catch {
        /* ignore a malformed event */
      }
    };
    es.addEventListener('unread', onUnread);
    return () => es.close();
  }, [qc]);
  return q;
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (what: { ids: string[] } | { all: true }) => call(client.POST('/api/notifications/read', { body: what })),
    onSuccess: (r) => {
      qc.setQueryData(noticeKeys.unread, r.unread);
      void qc.invalidateQueries({ queryKey: [...noticeKeys.all, 'list'] });
    },
  });
}

export function usePreferences() {
  return useQuery({ queryKey: noticeKeys.prefs, queryFn: () => call(client.GET('/api/notifications/preferences')) });
}

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferencesBody) => call(client.PUT('/api/notifications/preferences', { body })),
    onSuccess: (r) => qc.setQueryData(noticeKeys.prefs, r),
  });
}
