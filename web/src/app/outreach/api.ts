// Precise outreach (issue 18): campaigns, their preview, recipients and sending; the workspace's rules; consents.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type CampaignRow = Item<Res<'/api/outreach/campaigns'>['items']>;
export type Campaign = Res<'/api/outreach/campaigns/{id}'>;
export type CampaignStatus = CampaignRow['status'];
export type CampaignInput = Body<'/api/outreach/campaigns', 'post'>;
export type CampaignPatch = Body<'/api/outreach/campaigns/{id}', 'patch'>;
export type Preview = Res<'/api/outreach/campaigns/{id}/preview'>;
export type ExcludeReason = NonNullable<Item<Preview['people']>['reason']>;
export type Recipients = Res<'/api/outreach/campaigns/{id}/recipients'>;
export type RecipientState = Item<Recipients['items']>['state'];
export type OutreachSettings = Res<'/api/outreach/settings'>;
export type OutreachSettingsBody = Body<'/api/outreach/settings', 'put'>;
export type Consents = Res<'/api/outreach/contacts/{id}/consents'>;
export type ConsentBody = Body<'/api/outreach/contacts/{id}/consents', 'post'>;

export const outreachKeys = {
  all: ['outreach'] as const,
  campaigns: (status?: CampaignStatus) => ['outreach', 'campaigns', status ?? 'all'] as const,
  campaign: (id: string) => ['outreach', 'campaign', id] as const,
  preview: (id: string, reason?: string, page = 1) => ['outreach', 'preview', id, reason ?? 'all', page] as const,
  recipients: (id: string, state?: string, page = 1) => ['outreach', 'recipients', id, state ?? 'all', page] as const,
  settings: ['outreach', 'settings'] as const,
  consents: (contactId: string) => ['outreach', 'consents', contactId] as const,
};
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export function useCampaigns(status?: CampaignStatus) {
  return useQuery({
    queryKey: outreachKeys.campaigns(status),
    queryFn: () => call(client.GET('/api/outreach/campaigns', { params: { query: status ? { status } : {} } })),
    select: (d) => d.items,
    // a campaign sending moves to 已发送 on its own: the list follows it
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.status === 'sending') ? 3000 : false),
  });
}

/** One campaign with its recipients counted by state and reason; refreshed while it sends. */
export function useCampaign(id: string | null) {
  return useQuery({
    queryKey: outreachKeys.campaign(id ?? ''),
    enabled: !!id,
    queryFn: () => call(client.GET('/api/outreach/campaigns/{id}', { params: { path: { id: id! } } })),
    refetchInterval: (q) => (q.state.data?.status === 'sending' || q.state.data?.status === 'scheduled' ? 3000 : false),
  });
}

/** Who the campaign would reach now and who not, and why (sends nothing). */
export function usePreview(id: string | null, reason?: ExcludeReason | 'included', page = 1) {
  return useQuery({
    queryKey: outreachKeys.preview(id ?? '', reason, page),
    enabled: !!id,
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        client.GET('/api/outreach/campaigns/{id}/preview', {
          params: { path: { id: id! }, query: { page, pageSize: 50, ...(reason ? { reason } : {}) } },
        }),
      ),
  });
}

export function useRecipients(id: string | null, state: RecipientState | undefined, page: number) {
  return useQuery({
    queryKey: outreachKeys.recipients(id ?? '', state, page),
    enabled: !!id,
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(
        client.GET('/api/outreach/campaigns/{id}/recipients', {
          params: { path: { id: id! }, query: { page, pageSize: 50, ...(state ? { state } : {}) } },
        }),
      ),
  });
}

export function useSaveCampaign(id?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: CampaignInput & { version?: number }) => {
      if (!id) return call(client.POST('/api/outreach/campaigns', { body: v }));
      const { channel: _fixed, ...patch } = v;
      return call(client.PATCH('/api/outreach/campaigns/{id}', { params: { path: { id } }, body: patch as CampaignPatch }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: outreachKeys.all }),
  });
}

/** Send (plans everyone and queues the batches) or cancel, from the version the person saw. */
export function useCampaignCommand() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, command, version }: { id: string; command: 'send' | 'cancel'; version: number }) =>
      command === 'send'
        ? call(client.POST('/api/outreach/campaigns/{id}/send', { params: { path: { id } }, headers: ifMatch(version) }))
        : call(client.POST('/api/outreach/campaigns/{id}/cancel', { params: { path: { id } }, headers: ifMatch(version) })),
    onSettled: () => qc.invalidateQueries({ queryKey: outreachKeys.all }),
  });
}

export function useOutreachSettings() {
  return useQuery({ queryKey: outreachKeys.settings, queryFn: () => call(client.GET('/api/outreach/settings')) });
}
export function useSaveOutreachSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: OutreachSettingsBody) => call(client.PUT('/api/outreach/settings', { body })),
    onSuccess: (d) => qc.setQueryData(outreachKeys.settings, d),
  });
}

export function useConsents(contactId: string | null) {
  return useQuery({
    queryKey: outreachKeys.consents(contactId ?? ''),
    enabled: !!contactId,
    queryFn: () => call(client.GET('/api/outreach/contacts/{id}/consents', { params: { path: { id: contactId! } } })),
  });
}
export function useRecordConsent(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsentBody) => call(client.POST('/api/outreach/contacts/{id}/consents', { params: { path: { id: contactId } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: outreachKeys.all }),
  });
}
