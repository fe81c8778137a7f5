import { useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export { useTeams } from '../people/api';

export type Metrics = Res<'/api/accounts/{id}/relationship-metrics'>;
export type AssessmentBody = Body<'/api/accounts/{id}/relationship-assessments', 'post'>;
export type Metric = AssessmentBody['metric'];
export type Behaviour = Res<'/api/accounts/{id}/behaviour'>;
export type FactBody = Body<'/api/accounts/{id}/behaviour-facts', 'post'>;
export type Health = Res<'/api/accounts/{id}/health'>;
export type Board = Res<'/api/kpi/scorecards'>;
export type BoardQuery = QueryOf<'/api/kpi/scorecards'>;
export type Line = Item<Item<Board['items']>['lines']>;
export type Measure = QueryOf<'/api/kpi/scorecards/{id}/evidence'>['measure'];
export type Evidence = Res<'/api/kpi/scorecards/{id}/evidence'>;
export type Dashboard = Res<'/api/dashboards'>;
export type Point = Item<Dashboard['charts'][string]>;
export type Chart = QueryOf<'/api/dashboards/records'>['chart'];
export type ChartRecords = Res<'/api/dashboards/records'>;
export type DashFilter = QueryOf<'/api/dashboards'>;
export type HealthModels = Res<'/api/health/models'>;
export type HealthModelBody = Body<'/api/health/models', 'put'>;
export type KpiSettings = Res<'/api/kpi/settings'>;
export type KpiSettingsBody = Body<'/api/kpi/settings', 'put'>;

const id = (v: string) => ({ params: { path: { id: v } } });

export const useMetrics = (accountId: string) =>
  useQuery({ queryKey: ['rel-metrics', accountId], queryFn: () => call(client.GET('/api/accounts/{id}/relationship-metrics', id(accountId))) });
export const useBehaviour = (accountId: string) =>
  useQuery({ queryKey: ['behaviour', accountId], queryFn: () => call(client.GET('/api/accounts/{id}/behaviour', id(accountId))) });
export const useHealth = (accountId: string) =>
  useQuery({ queryKey: ['health', accountId], queryFn: () => call(client.GET('/api/accounts/{id}/health', id(accountId))) });
export const useBoard = (q: BoardQuery) =>
  useQuery({ queryKey: ['kpi-board', q], queryFn: () => call(client.GET('/api/kpi/scorecards', { params: { query: q } })) });
export const useEvidence = (userId: string | null, measure: Measure | null, q: DashFilter) =>
  useQuery({
    queryKey: ['kpi-evidence', userId, measure, q],
    enabled: !!userId && !!measure,
    queryFn: () => call(client.GET('/api/kpi/scorecards/{id}/evidence', { params: { path: { id: userId! }, query: { ...q, measure: measure! } } })),
  });
// the person changed something since the dashboards were last fetched: the next fetch takes a new snapshot
let wroteSince = false;
/** Called after every successful change made in the console (root.tsx's mutation cache). */
export function noteConsoleWrite() {
  wroteSince = true;
}

/**
 * The dashboards: a snapshot the server shares among the leads for up to a minute (`asOf`). A new one is asked for
 * by `refresh()`, and on the first fetch after the person changed something here — they see their own change.
 */
export function useDashboard(q: DashFilter) {
  const fresh = useRef(false);
  const query = useQuery({
    queryKey: ['dashboard', q],
    queryFn: () => {
      const query = fresh.current || wroteSince ? { ...q, fresh: 'true' as const } : q;
      fresh.current = false;
      wroteSince = false;
      return call(client.GET('/api/dashboards', { params: { query } }));
    },
  });
  const refresh = () => {
    fresh.current = true;
    return query.refetch();
  };
  return { ...query, refresh };
}
export const useChartRecords = (chart: Chart | null, key: string | null, q: DashFilter) =>
  useQuery({
    queryKey: ['dashboard-records', chart, key, q],
    enabled: !!chart && !!key,
    queryFn: () => call(client.GET('/api/dashboards/records', { params: { query: { ...q, chart: chart!, key: key! } } })),
  });
export const useHealthModels = () => useQuery({ queryKey: ['health-models'], queryFn: () => call(client.GET('/api/health/models')) });
export const useKpiSettings = () => useQuery({ queryKey: ['kpi-settings'], queryFn: () => call(client.GET('/api/kpi/settings')) });

/** A write that refreshes the account's metrics, behaviour and health. */
function useRelMutation<V, R>(accountId: string, fn: (v: V) => Promise<R>) {
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

export const useAssess = (accountId: string) =>
  useRelMutation(accountId, (v: AssessmentBody) => call(client.POST('/api/accounts/{id}/relationship-assessments', { ...id(accountId), body: v })));
export const useRecordFact = (accountId: string) =>
  useRelMutation(accountId, (v: FactBody) => call(client.POST('/api/accounts/{id}/behaviour-facts', { ...id(accountId), body: v })));
export const useRecomputeHealth = (accountId: string) =>
  useRelMutation(accountId, () => call(client.POST('/api/accounts/{id}/health/recompute', id(accountId))));

/** Saves the health weights of one scope; the settings page shows them again from the server. */
export function useSaveHealthModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: HealthModelBody) => call(client.PUT('/api/health/models', { body: v })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['health-models'] }),
  });
}

/** Saves KPI weights and targets; scorecards are scored again with them. */
export function useSaveKpiSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: KpiSettingsBody) => call(client.PUT('/api/kpi/settings', { body: v })),
    onSuccess: (r) => {
      qc.setQueryData(['kpi-settings'], r);
      void qc.invalidateQueries({ queryKey: ['kpi-board'] });
    },
  });
}
