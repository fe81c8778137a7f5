import { useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Item, Res } from '../../api/types';

export type Workbench = Res<'/api/workbench'>;
export type QueueTicket = Item<Workbench['queue']['items']>;
export type SlaState = QueueTicket['slaState'];
export type WorkbenchActionItem = Item<Workbench['actionItems']['items']>;
export type AtRiskAccount = Item<Workbench['atRisk']['items']>;
export type Seat = Item<AtRiskAccount['seats']>;
export type Words = Item<NonNullable<AtRiskAccount['health']>['reasons']>;
export type FollowUp = Item<Workbench['followUps']['items']>;
export type TodayMeeting = Item<Workbench['meetingsToday']['items']>;

/** The signed-in staff member's workbench, refreshed every minute while open (SLA states move). */
export function useWorkbench() {
  return useQuery({ queryKey: ['workbench'], queryFn: () => call(client.GET('/api/workbench')), refetchInterval: 60_000 });
}
