// Precise outreach (issue 18): campaigns.
import { useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Item, Res } from '../../api/types';

export type CampaignRow = Item<Res<'/api/outreach/campaigns'>['items']>;
export type CampaignStatus = CampaignRow['status'];
export type Preview = Res<'/api/outreach/campaigns/{id}/preview'>;
export type ExcludeReason = NonNullable<Item<Preview['people']>['reason']>;

export const outreachKeys = {
  all: ['outreach'] as const,
  campaigns: (status?: CampaignStatus) => ['outreach', 'campaigns', status ?? 'all'] as const,
  preview: (id: string, reason?: string) => ['outreach', 'preview', id, reason ?? 'all'] as const,
};

export function useCampaigns(status?: CampaignStatus) {
  return useQuery({
    queryKey: outreachKeys.campaigns(status),
    queryFn: () => call(client.GET('/api/outreach/campaigns', { params: { query: status ? { status } : {} } })),
    select: (d) => d.items,
  });
}

/** Who the campaign would reach now and who not, and why (sends nothing). */
export function usePreview(id: string | null, reason?: ExcludeReason | 'included') {
  return useQuery({
    queryKey: outreachKeys.preview(id ?? '', reason),
    enabled: !!id,
    queryFn: () =>
      call(
        client.GET('/api/outreach/campaigns/{id}/preview', {
          params: { path: { id: id! }, query: { page: 1, pageSize: 100, ...(reason ? { reason } : {}) } },
        }),
      ),
  });
}
