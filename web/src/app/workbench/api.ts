import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

export type Words = { 'zh-CN': string; en: string };
export type SlaState = 'breached' | 'warning' | 'paused' | 'on_track' | 'none';
export type QueueTicket = {
  id: string;
  number: number;
  title: string;
  severity: string;
  priority: string;
  status: string;
  major: boolean;
  accountId: string;
  accountName: string;
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  teamName: string | null;
  createdAt: string;
  nextDueAt: string | null;
  slaState: SlaState;
};
export type WorkbenchActionItem = {
  id: string;
  title: string;
  meetingId: string;
  meetingTitle: string;
  accountId: string;
  accountName: string;
  dueOn: string | null;
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
};
export type Seat = 'owner' | 'sales' | 'delivery' | 'after_sales' | 'csm';
export type AtRiskAccount = {
  id: string;
  name: string;
  tier: string;
  stage: string;
  seats: Seat[];
  openFollowUps: number;
  overdueFollowUps: number;
  /** absent for roles that may not read health */
  health?: { score: number; band: 'green' | 'amber' | 'red'; trend: string; reasons: Words[] } | null;
};
export type FollowUp = { id: string; accountId: string; accountName: string; reason: string; createdAt: string; dueAt: string; overdue: boolean; score?: number; detail?: Words[] };
export type TodayMeeting = { id: string; title: string; kind: string; status: string; startsAt: string; endsAt: string; location: string | null; accountId: string; accountName: string; organizerName: string };
export type Workbench = {
  generatedAt: string;
  queue: { total: number; items: QueueTicket[] };
  actionItems: { total: number; overdue: number; items: WorkbenchActionItem[] };
  atRisk: { total: number; items: AtRiskAccount[] };
  followUps: { total: number; dueDays: number; items: FollowUp[] };
  meetingsToday: { date: string; timezone: string; total: number; items: TodayMeeting[] };
};

/** The signed-in staff member's workbench, refreshed every minute while open (SLA states move). */
export function useWorkbench() {
  return useQuery({ queryKey: ['workbench'], queryFn: () => api.get<Workbench>('/api/workbench'), refetchInterval: 60_000 });
}
