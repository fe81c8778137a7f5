// Precise outreach (issue 18): campaigns.
import { useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Item, Res } from '../../api/types';

export type CampaignRow = Item<Res<'/api/outreach/campaigns'>['items']>;
export type CampaignStatus = CampaignRow['status'];

export const outreachKeys = {
  all: ['outreach'] as const,
  campaigns: (status?: CampaignStatus) => ['outreach', 'campaigns', status ?? 'all'] as const,
};

export function useCampaigns(status?: CampaignStatus) {
  return useQuery({
    queryKey: outreachKeys.campaigns(status),
    queryFn: () => call(client.GET('/api/outreach/campaigns', { params: { query: status ? { status } : {} } })),
    select: (d) => d.items,
  });
}
