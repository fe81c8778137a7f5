import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export type MeetingRow = Item<Res<'/api/meetings'>['items']>;
export type MeetingDetail = Res<'/api/meetings/{id}'>;
export type ActionItem = Item<Res<'/api/meetings/action-items'>['items']>;
export type Summary = NonNullable<MeetingDetail['summary']>;
export type MeetingSettings = Res<'/api/meetings/settings'>;
export type MeetingSettingsBody = Body<'/api/meetings/settings', 'put'>;
export type ListParams = QueryOf<'/api/meetings'> & { scope: NonNullable<QueryOf<'/api/meetings'>['scope']> };
export type CreateMeetingBody = Body<'/api/meetings', 'post'>;
export type ActionItemPatch = Body<'/api/meetings/action-items/{id}', 'patch'>;
export type MeetingResponse = Body<'/api/meetings/{id}/respond', 'post'>['response'];
export type ActionItemStatus = NonNullable<QueryOf<'/api/meetings/action-items'>['status']>;

const id = (v: string) => ({ params: { path: { id: v } } });

export function useMeetings(p: ListParams, enabled = true) {
  return useQuery({
    queryKey: ['meetings', p],
    queryFn: () => call(client.GET('/api/meetings', { params: { query: p } })).then((r) => r.items),
    enabled,
  });
}
export function useMeeting(meetingId: string) {
  return useQuery({
    queryKey: ['meeting', meetingId],
    queryFn: () => call(client.GET('/api/meetings/{id}', id(meetingId))),
    // while the summary job runs, look again shortly
    refetchInterval: (q) => (q.state.data?.summaryStatus === 'pending' ? 1500 : false),
  });
}
export function useMyActionItems(status?: ActionItemStatus) {
  return useQuery({
    queryKey: ['meeting-actions', status ?? ''],
    queryFn: () => call(client.GET('/api/meetings/action-items', { params: { query: { status } } })).then((r) => r.items),
  });
}
export function useMeetingSettings(enabled: boolean) {
  return useQuery({ queryKey: ['meeting-settings'], queryFn: () => call(client.GET('/api/meetings/settings')), enabled });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['meetings'] });
    void qc.invalidateQueries({ queryKey: ['meeting'] });
    void qc.invalidateQueries({ queryKey: ['meeting-actions'] });
  };
}

export function useCreateMeeting() {
  const inv = useInvalidate();
  return useMutation({ mutationFn: (b: CreateMeetingBody) => call(client.POST('/api/meetings', { body: b })), onSuccess: inv });
}
export function useMeetingActions(meetingId: string) {
  const inv = useInvalidate();
  const path = id(meetingId);
  return {
    saveMinutes: useMutation({
      mutationFn: (b: { minutes: string; version?: number }) => call(client.PUT('/api/meetings/{id}/minutes', { ...path, body: b })),
      onSuccess: inv,
    }),
    respond: useMutation({
      mutationFn: (response: MeetingResponse) => call(client.POST('/api/meetings/{id}/respond', { ...path, body: { response } })),
      onSuccess: inv,
    }),
    cancel: useMutation({ mutationFn: () => call(client.POST('/api/meetings/{id}/cancel', path)), onSuccess: inv }),
    addAction: useMutation({
      mutationFn: (b: Body<'/api/meetings/{id}/action-items', 'post'>) => call(client.POST('/api/meetings/{id}/action-items', { ...path, body: b })),
      onSuccess: inv,
    }),
    capture: useMutation({
      mutationFn: (b: Body<'/api/meetings/{id}/opportunities', 'post'>) =>
        call(client.POST('/api/meetings/{id}/opportunities', { ...path, body: b })),
      onSuccess: inv,
    }),
  };
}
export function useUpdateActionItem() {
  const inv = useInvalidate();
  return useMutation({
    mutationFn: ({ id: itemId, ...b }: ActionItemPatch & { id: string }) =>
      call(client.PATCH('/api/meetings/action-items/{id}', { ...id(itemId), body: b })),
    onSuccess: inv,
  });
}
export function useSaveMeetingSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: MeetingSettingsBody) => call(client.PUT('/api/meetings/settings', { body: b })),
    onSuccess: (d) => qc.setQueryData(['meeting-settings'], d),
  });
}
export function useTestMail() {
  return useMutation({ mutationFn: () => call(client.POST('/api/meetings/settings/test-mail', { body: {} })) });
}
export function useTestLlm() {
  return useMutation({ mutationFn: () => call(client.POST('/api/meetings/settings/test-llm')) });
}

/** Presets offered in the form: every half month or monthly, bounded by a count (RFC 5545 RRULE). */
export function presetRule(preset: 'semimonthly' | 'monthly' | 'biweekly', count: number): string {
  if (preset === 'semimonthly') return `FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=${count}`;
  if (preset === 'biweekly') return `FREQ=WEEKLY;INTERVAL=2;COUNT=${count}`;
  return `FREQ=MONTHLY;COUNT=${count}`;
}
