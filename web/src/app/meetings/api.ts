import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../api';

export type MeetingRow = {
  id: string;
  accountId: string;
  accountName: string;
  accountTier: string;
  kind: 'key_moment' | 'periodic' | 'ad_hoc';
  cause: string;
  title: string;
  location: string | null;
  startsAt: string;
  endsAt: string;
  status: 'scheduled' | 'held' | 'cancelled';
  seriesId: string | null;
  organizerId: string;
  organizerName: string;
  summaryStatus: string;
  openActions: number;
};
export type ActionItem = {
  id: string;
  meetingId: string;
  meetingTitle: string;
  accountId: string;
  accountName: string;
  title: string;
  ownerId: string;
  ownerName: string;
  dueOn: string | null;
  dueAt: string | null;
  status: 'open' | 'done' | 'cancelled';
  source: string;
  overdueNotifiedAt: string | null;
  escalatedAt: string | null;
  escalatedToId: string | null;
  escalatedToName: string | null;
  completedAt: string | null;
};
export type Summary = {
  language: string;
  summary: string;
  decisions: string[];
  actionItems: { title: string; ownerId: string | null; ownerName: string | null; dueOn: string | null }[];
  source: 'offline' | 'llm';
  model?: string | null;
  error?: string | null;
};
export type MeetingDetail = Omit<MeetingRow, 'accountTier' | 'openActions'> & {
  agenda: string;
  sequence: number;
  rrule: string | null;
  ticketId: string | null;
  minutes: string | null;
  minutesUpdatedAt: string | null;
  summary: Summary | null;
  summarisedAt: string | null;
  attendees: { userId: string; name: string; role: string; response: string; respondedAt: string | null }[];
  actionItems: ActionItem[];
  can: { manage: boolean; minutes: boolean; respond: boolean; capture: boolean };
};
export type Notice = { id: string; kind: string; title: string; meetingId: string | null; actionItemId: string | null; readAt: string | null; createdAt: string };
export type MeetingSettings = {
  smtpHost: string | null;
  smtpPort: number | null;
  smtpSecure: boolean;
  smtpUser: string | null;
  smtpFrom: string | null;
  smtpPasswordSet: boolean;
  llmBaseUrl: string | null;
  llmModel: string | null;
  llmApiKeySet: boolean;
  meetingReminderMinutes: number;
  dueReminderHours: number;
  escalateAfterDays: number;
};
export type ListParams = { scope: 'mine' | 'account' | 'team' | 'all'; accountId?: string; teamId?: string; kind?: string; from?: string; to?: string };

export function useMeetings(p: ListParams, enabled = true) {
  return useQuery({ queryKey: ['meetings', p], queryFn: () => api.get<{ items: MeetingRow[] }>('/api/meetings', p as Query).then((r) => r.items), enabled });
}
export function useMeeting(id: string) {
  return useQuery({
    queryKey: ['meeting', id],
    queryFn: () => api.get<MeetingDetail>(`/api/meetings/${id}`),
    // while the summary job runs, look again shortly
    refetchInterval: (q) => (q.state.data?.summaryStatus === 'pending' ? 1500 : false),
  });
}
export function useMyActionItems(status?: string) {
  return useQuery({ queryKey: ['meeting-actions', status ?? ''], queryFn: () => api.get<{ items: ActionItem[] }>('/api/meetings/action-items', { status }).then((r) => r.items) });
}
export function useNotices() {
  return useQuery({ queryKey: ['meeting-notices'], queryFn: () => api.get<{ items: Notice[] }>('/api/meetings/notifications').then((r) => r.items) });
}
export function useMeetingSettings(enabled: boolean) {
  return useQuery({ queryKey: ['meeting-settings'], queryFn: () => api.get<MeetingSettings>('/api/meetings/settings'), enabled });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['meetings'] });
    void qc.invalidateQueries({ queryKey: ['meeting'] });
    void qc.invalidateQueries({ queryKey: ['meeting-actions'] });
    void qc.invalidateQueries({ queryKey: ['meeting-notices'] });
  };
}

export type CreateMeetingBody = {
  accountId: string;
  kind: string;
  cause: string;
  title: string;
  agenda?: string;
  location?: string | null;
  startsAt: string;
  endsAt: string;
  attendeeIds?: string[];
  rrule?: string | null;
};
export function useCreateMeeting() {
  const inv = useInvalidate();
  return useMutation({ mutationFn: (b: CreateMeetingBody) => api.post<{ id: string; seriesId: string | null; occurrences: number }>('/api/meetings', b), onSuccess: inv });
}
export function useMeetingActions(id: string) {
  const inv = useInvalidate();
  return {
    saveMinutes: useMutation({ mutationFn: (minutes: string) => api.put(`/api/meetings/${id}/minutes`, { minutes }), onSuccess: inv }),
    respond: useMutation({ mutationFn: (response: string) => api.post(`/api/meetings/${id}/respond`, { response }), onSuccess: inv }),
    cancel: useMutation({ mutationFn: () => api.post(`/api/meetings/${id}/cancel`), onSuccess: inv }),
    addAction: useMutation({ mutationFn: (b: { title: string; ownerId: string; dueOn?: string | null }) => api.post(`/api/meetings/${id}/action-items`, b), onSuccess: inv }),
    capture: useMutation({ mutationFn: (b: { title: string; amountMinor?: number }) => api.post<{ id: string }>(`/api/meetings/${id}/opportunities`, b), onSuccess: inv }),
  };
}
export function useUpdateActionItem() {
  const inv = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...b }: { id: string; status?: string; dueOn?: string | null; ownerId?: string }) => api.patch(`/api/meetings/action-items/${id}`, b), onSuccess: inv });
}
export function useMarkNoticesRead() {
  const inv = useInvalidate();
  return useMutation({ mutationFn: (ids: string[]) => api.post('/api/meetings/notifications/read', { ids }), onSuccess: inv });
}
export function useSaveMeetingSettings() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (b: Record<string, unknown>) => api.put<MeetingSettings>('/api/meetings/settings', b), onSuccess: (d) => qc.setQueryData(['meeting-settings'], d) });
}
export function useTestMail() {
  return useMutation({ mutationFn: () => api.post<{ ok: boolean; error: string | null }>('/api/meetings/settings/test-mail', {}) });
}
export function useTestLlm() {
  return useMutation({ mutationFn: () => api.post<{ ok: boolean; error: string | null; summary: string | null }>('/api/meetings/settings/test-llm') });
}

/** Presets offered in the form: every half month or monthly, bounded by a count (RFC 5545 RRULE). */
export function presetRule(preset: 'semimonthly' | 'monthly' | 'biweekly', count: number): string {
  if (preset === 'semimonthly') return `FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=${count}`;
  if (preset === 'biweekly') return `FREQ=WEEKLY;INTERVAL=2;COUNT=${count}`;
  return `FREQ=MONTHLY;COUNT=${count}`;
}
