import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';

export type Label = { 'zh-CN': string; en: string };
export type ParamDef = { name: string; label: Label; unit: string; default: number };
export type Indicator = {
  id: string;
  solutionType: string;
  key: string;
  stage: string;
  dimension: string;
  name: Label;
  unit: string;
  direction: 'up' | 'down';
  formula: string;
  params: ParamDef[];
  sort: number;
  active: boolean;
};
export type Keyed = { key: string; label: Label };
export type Library = { solutionTypes: Keyed[]; stages: Keyed[]; dimensions: Keyed[]; units: Keyed[]; indicators: Indicator[] };
export type Status = 'no_data' | 'behind' | 'improving' | 'reached';
export type Actual = { id: string; period: string; value: number; improvement: number; realisedMinor: number | null; error: string | null; source: string; note: string | null };
export type ProjectItem = {
  id: string;
  indicatorId: string;
  key: string;
  stage: string;
  dimension: string;
  name: Label;
  unit: string;
  direction: 'up' | 'down';
  formula: string;
  params: (ParamDef & { value: number })[];
  baseline: number;
  baselinePeriod: string;
  target: number;
  internalNote: string | null;
  status: Status;
  progressPct: number | null;
  latest: number | null;
  expectedPerPeriodMinor: number | null;
  expectedError: string | null;
  expectedToDateMinor: number;
  realisedTotalMinor: number;
  actuals: Actual[];
};
export type PeriodTotal = { period: string; expectedMinor: number; realisedMinor: number; cumulativeRealisedMinor: number };
export type ValuePromise = { bookingId: string; service: Label; bookedAt: string; promisedValueMinor: number; itemIds: string[]; realisedMinor: number; status: 'unlinked' | 'open' | 'kept' };
export type Project = {
  account: { id: string; name: string; currency: string };
  items: ProjectItem[];
  promises: ValuePromise[];
  byPeriod: PeriodTotal[];
  totals: { expectedPerPeriodMinor: number; expectedToDateMinor: number; realisedTotalMinor: number; errors: number };
};
export type ItemBody = { indicatorId: string; baseline: number; baselinePeriod: string; target: number; paramValues?: Record<string, number>; internalNote?: string | null };
export type IndicatorBody = Omit<Indicator, 'id' | 'solutionType' | 'sort' | 'active' | 'key'> & { key?: string; active?: boolean };

export const valueKeys = {
  all: ['value'] as const,
  library: ['value', 'library'] as const,
  project: (id: string) => ['value', 'project', id] as const,
};

export const useLibrary = () => useQuery({ queryKey: valueKeys.library, queryFn: () => api.get<Library>('/api/value/library') });
export const useProject = (accountId: string) => useQuery({ queryKey: valueKeys.project(accountId), queryFn: () => api.get<Project>(`/api/accounts/${accountId}/value`) });

/** Every value change refreshes the value views (the project answers with itself; the library is shared). */
export function useValueMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: valueKeys.all }) });
}

export const reportUrl = (accountId: string, kind: 'html' | 'pdf') => `/api/accounts/${accountId}/value/report.${kind}`;
export { api };
