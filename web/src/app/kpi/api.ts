import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';

export type Words = { 'zh-CN': string; en: string };
export type Metric = 'closeness' | 'solution_acceptance' | 'price_acceptance';
export type Assessment = { id: string; metric: Metric; score: number; evidence: string; assessedOn: string; assessorName: string; sourceKind: string };
export type Metrics = { from: string; to: string; items: Assessment[]; trend: ({ month: string } & Record<Metric, number | null>)[]; uplift: Record<Metric, number | null> };
export type Fact = { id: string; aspect: string; content: string; source: string; learnedOn: string; recordedByName: string };
export type Behaviour = { facts: Fact[]; aspects: { aspect: string; freshness: number; latest: Fact | null }[]; mastery: number; completeness: number; change90d: number };
export type Health = {
  current: { score: number; band: 'green' | 'amber' | 'red'; trend: 'up' | 'down' | 'flat' | 'new'; groups: Record<string, number | null>; reasons: Words[]; computedAt: string } | null;
  history: { score: number; band: string; computedAt: string }[];
  followUps: { id: string; reason: string; status: string; detail: Words[]; createdAt: string }[];
};
export type Line = { measure: string; kind: 'traditional' | 'growth'; value: number | null; target: number; weight: number; score: number; points: number };
export type Board = {
  period: { from: string; to: string };
  items: { rank: number; userId: string; name: string; role: string; kpiRole: string; teamIds: string[]; total: number; lines: Line[] }[];
  teams: { teamId: string; name: string; members: number; average: number | null }[];
};
export type Evidence = { value: number | null; items: { id: string; kind: string; label: string; accountId: string | null; accountName: string | null; at: string | null; num: number | null }[] };
export type Point = { key: string; n: number; amount: number; days: number | null };
export type Dashboard = {
  period: { from: string; to: string };
  charts: Record<'tier' | 'tier_move' | 'stage' | 'health' | 'budget' | 'pipeline' | 'sla', Point[]>;
  pipeline: { count: number; amountMinor: number; won: number; wonAmountMinor: number; conversionPct: number | null };
  sla: { met: number; breached: number; pct: number | null };
  budget: { budgetMinor: number; committedMinor: number; remainingMinor: number; accounts: number; outputMinor: number };
  atRisk: { id: string; name: string; tier: string; score: number; band: string; trend: string; reasons: Words[] }[];
  leaderboard: { rank: number; userId: string; name: string; role: string; total: number }[];
  industries: string[];
};
export type ChartRecords = { items: { id: string; kind: string; label: string; accountId: string; accountName: string; amountMinor: number | null; days: number | null }[] };
export type DashFilter = { from?: string; to?: string; teamId?: string; industry?: string };

export const useMetrics = (accountId: string) => useQuery({ queryKey: ['rel-metrics', accountId], queryFn: () => api.get<Metrics>(`/api/accounts/${accountId}/relationship-metrics`) });
export const useBehaviour = (accountId: string) => useQuery({ queryKey: ['behaviour', accountId], queryFn: () => api.get<Behaviour>(`/api/accounts/${accountId}/behaviour`) });
export const useHealth = (accountId: string) => useQuery({ queryKey: ['health', accountId], queryFn: () => api.get<Health>(`/api/accounts/${accountId}/health`) });
export const useBoard = (q: DashFilter & { role?: string }) => useQuery({ queryKey: ['kpi-board', q], queryFn: () => api.get<Board>('/api/kpi/scorecards', q) });
export const useEvidence = (userId: string | null, measure: string | null, q: DashFilter) =>
  useQuery({ queryKey: ['kpi-evidence', userId, measure, q], enabled: !!userId && !!measure, queryFn: () => api.get<Evidence>(`/api/kpi/scorecards/${userId}/evidence`, { ...q, measure: measure! }) });
export const useDashboard = (q: DashFilter) => useQuery({ queryKey: ['dashboard', q], queryFn: () => api.get<Dashboard>('/api/dashboards', q) });
export const useChartRecords = (chart: string | null, key: string | null, q: DashFilter) =>
  useQuery({ queryKey: ['dashboard-records', chart, key, q], enabled: !!chart && !!key, queryFn: () => api.get<ChartRecords>('/api/dashboards/records', { ...q, chart: chart!, key: key! }) });
export const useTeams = () => useQuery({ queryKey: ['teams'], queryFn: () => api.get<{ items: { id: string; name: string }[] }>('/api/teams') });

/** A write that refreshes the account's metrics, behaviour and health. */
export function useRelMutation<V>(accountId: string, fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['rel-metrics', accountId] });
      void qc.invalidateQueries({ queryKey: ['behaviour', accountId] });
      void qc.invalidateQueries({ queryKey: ['health', accountId] });
    },
  });
}
