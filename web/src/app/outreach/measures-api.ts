// Outreach measures (issue 18 point 4): the funnel, the five growth actions, and the people behind each number.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { QueryOf, Res } from '../../api/types';

export type CampaignMeasures = Res<'/api/outreach/campaigns/{id}/measures'>;
export type MeasuresOverview = Res<'/api/outreach/measures'>;
export type Counts = CampaignMeasures['totals'];
export type Growth = CampaignMeasures['growth'];
export type StageKey = CampaignMeasures['byStage'][number]['stage'];
export type MeasurePeople = Res<'/api/outreach/measures/people'>;
export type PeopleQuery = QueryOf<'/api/outreach/measures/people'>;
export type MetricKey = PeopleQuery['metric'];

export const funnelMetrics = [
  'planned',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'stage_moves',
  'purchases',
  'renewals',
  'payments',
  'referral_visits',
  'referrals',
] as const satisfies readonly (keyof Counts)[];
export const growthActions = ['acquire', 'activate', 'retain', 'convert', 'referral'] as const satisfies readonly (keyof Growth)[];
export const stageKeys: StageKey[] = ['contact', 'interest', 'purchase', 'repurchase', 'loyalty', 'none'];

/** What a drill-down asks for: a number of one campaign (or of the period), maybe of one stage. */
export type Drill = { metric: MetricKey; stage?: StageKey; campaignId?: string; reason?: PeopleQuery['reason'] };

const keys = {
  campaign: (id: string) => ['outreach', 'measures', 'campaign', id] as const,
  overview: (from?: string, to?: string) => ['outreach', 'measures', 'overview', from ?? '', to ?? ''] as const,
  people: (scope: string, d: Drill, page: number, from?: string, to?: string) =>
    ['outreach', 'measures', 'people', scope, d, page, from ?? '', to ?? ''] as const,
};

export function useCampaignMeasures(id: string | null) {
  return useQuery({
    queryKey: keys.campaign(id ?? ''),
    enabled: !!id,
    queryFn: () => call(client.GET('/api/outreach/campaigns/{id}/measures', { params: { path: { id: id! } } })),
  });
}

export function useMeasuresOverview(range: { from?: string; to?: string }) {
  return useQuery({
    queryKey: keys.overview(range.from, range.to),
    queryFn: () => call(client.GET('/api/outreach/measures', { params: { query: range } })),
    placeholderData: keepPreviousData,
  });
}

export const PEOPLE_PAGE = 20;
/** The people behind a number: of one campaign (`scope`), or of the period's campaigns. */
export function useMeasurePeople(drill: Drill | null, page: number, o: { scope?: string; from?: string; to?: string }) {
  return useQuery({
    queryKey: keys.people(o.scope ?? 'period', drill ?? { metric: 'sent' }, page, o.from, o.to),
    enabled: !!drill,
    placeholderData: keepPreviousData,
    queryFn: () => {
      const { metric, stage, campaignId, reason } = drill!;
      const common = { metric, page, pageSize: PEOPLE_PAGE, ...(stage ? { stage } : {}), ...(reason ? { reason } : {}) };
      return o.scope
        ? call(client.GET('/api/outreach/campaigns/{id}/measures/people', { params: { path: { id: o.scope }, query: common } }))
        : call(
            client.GET('/api/outreach/measures/people', {
              params: {
                query: { ...common, ...(campaignId ? { campaignId } : {}), ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) },
              },
            }),
          );
    },
  });
}
