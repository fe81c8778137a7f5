import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';

export const coreTasks = ['capture', 'incubate', 'closeness', 'solution', 'price', 'behaviour'] as const;
export const metrics = ['closeness', 'solution', 'price', 'behaviour'] as const;
export const executorRoles = ['csm', 'expert', 'sales', 'delivery', 'after_sales', 'manager'] as const;

export type CatalogItem = {
  id: string;
  menu: 'core' | 'free_expert';
  code: string;
  position: number;
  nameZh: string;
  nameEn: string;
  description: string | null;
  processSteps: string[];
  executorRole: string;
  pricing: 'free' | 'paid';
  priceMinor: number;
  internalCostMinor: number;
  kpiCredit: number;
  tasks: string[];
  eligibleTiers: string[];
  active: boolean;
};
export type Settings = { budgetRatioBp: number; budgetRatioPercent: number; overflowPolicy: 'refuse' | 'approval' };
export type Budget = {
  eligible: boolean;
  tier: string;
  fiscalYear: number;
  currency: string;
  budget: { id: string; targetMinor: number; ratioBp: number; budgetMinor: number; extraMinor: number; openingSpentMinor: number; committedMinor: number; remainingMinor: number } | null;
};
export type Focus = { period: string; tasks: string[]; labels: string[]; note: string | null; chosenByName: string | null; updatedAt: string };
export type Recommendation = {
  itemId: string;
  rank: number;
  servedTasks: string[];
  fitsBudget: boolean;
  effectScore: number;
  reasons: string[];
  menu: string;
  nameZh: string;
  nameEn: string;
  pricing: string;
  priceMinor: number;
  internalCostMinor: number;
  executorRole: string;
  tasks: string[];
};
export type PlanTask = {
  id: string;
  catalogItemId: string;
  title: string;
  tasks: string[];
  ownerId: string | null;
  ownerName: string | null;
  dueOn: string | null;
  status: string;
  allowedNext: string[];
  outcome: string | null;
  metricsMoved: string[];
  booking: { id: string; status: string; kind: string; amountMinor: number } | null;
  opportunities: { id: string; title: string; stage: string; amountMinor: number }[];
};
export type BookingRow = {
  id: string;
  accountId: string;
  accountName: string;
  catalogItemId: string;
  itemName: string;
  taskId: string | null;
  kind: string;
  amountMinor: number;
  promisedValueMinor: number | null;
  status: string;
  requestedById: string;
  requestedByName: string;
  decidedByName: string | null;
  note: string | null;
  createdAt: string;
};
export type IoItem = {
  accountId: string;
  accountName: string;
  tier: string;
  spendMinor: number;
  capturedMinor: number;
  incubatedMinor: number;
  wonMinor: number;
  multiple: number | null;
  relationshipUplift: number | null;
  rank: number;
  flagged: boolean;
  reason: string | null;
};

export const vaKeys = {
  all: ['value-add'] as const,
  catalog: (includeRetired: boolean) => ['value-add', 'catalog', includeRetired] as const,
  settings: ['value-add', 'settings'] as const,
  account: (id: string) => ['value-add', 'account', id] as const,
  focus: (id: string) => ['value-add', 'account', id, 'focus'] as const,
  recs: (id: string) => ['value-add', 'account', id, 'recs'] as const,
  budget: (id: string) => ['value-add', 'account', id, 'budget'] as const,
  tasks: (id: string) => ['value-add', 'account', id, 'tasks'] as const,
  bookings: (q: { accountId?: string; status?: string }) => ['value-add', 'bookings', q] as const,
  io: (fy?: number) => ['value-add', 'io', fy] as const,
};

export const useCatalog = (includeRetired = false) =>
  useQuery({ queryKey: vaKeys.catalog(includeRetired), queryFn: () => api.get<{ items: CatalogItem[] }>('/api/value-add/catalog', { includeRetired: includeRetired || undefined }), select: (d) => d.items });
export const useSettings = () => useQuery({ queryKey: vaKeys.settings, queryFn: () => api.get<Settings>('/api/value-add/settings') });
export const useFocus = (id: string) => useQuery({ queryKey: vaKeys.focus(id), queryFn: () => api.get<{ current: Focus | null; history: Focus[] }>(`/api/accounts/${id}/value-add/focus`) });
export const useRecommendations = (id: string) =>
  useQuery({ queryKey: vaKeys.recs(id), queryFn: () => api.get<{ focus: string[]; remainingMinor: number | null; items: Recommendation[] }>(`/api/accounts/${id}/value-add/recommendations`) });
export const useBudget = (id: string) => useQuery({ queryKey: vaKeys.budget(id), queryFn: () => api.get<Budget>(`/api/accounts/${id}/value-add/budget`) });
export const usePlan = (id: string) => useQuery({ queryKey: vaKeys.tasks(id), queryFn: () => api.get<{ items: PlanTask[] }>(`/api/accounts/${id}/value-add/tasks`), select: (d) => d.items });
export const useBookings = (q: { accountId?: string; status?: string }) =>
  useQuery({ queryKey: vaKeys.bookings(q), queryFn: () => api.get<{ items: BookingRow[] }>('/api/value-add/bookings', q), select: (d) => d.items });
export const useInputOutput = (fiscalYear?: number) =>
  useQuery({
    queryKey: vaKeys.io(fiscalYear),
    queryFn: () => api.get<{ fiscalYear: number; items: IoItem[]; totals: { spendMinor: number; capturedMinor: number; wonMinor: number; flagged: number } }>('/api/value-add/input-output', { fiscalYear }),
  });

/** Any value-add change refreshes every value-add view (budget, plan, recommendations, queues) and the pipeline. */
export function useVaMutation<V, R = unknown>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: vaKeys.all });
      void qc.invalidateQueries({ queryKey: ['opportunities'] });
    },
  });
}
