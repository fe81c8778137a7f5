import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client, isStale } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export const coreTasks = ['capture', 'incubate', 'closeness', 'solution', 'price', 'behaviour'] as const;
export const metrics = ['closeness', 'solution', 'price', 'behaviour'] as const;
export const executorRoles = ['csm', 'expert', 'sales', 'delivery', 'after_sales', 'manager'] as const;

export type CatalogItem = Item<Res<'/api/value-add/catalog'>['items']>;
export type CatalogInput = Body<'/api/value-add/catalog', 'post'>;
export type Settings = Res<'/api/value-add/settings'>;
export type SettingsBody = Body<'/api/value-add/settings', 'put'>;
export type Budget = Res<'/api/accounts/{id}/value-add/budget'>;
export type FocusAnswer = Res<'/api/accounts/{id}/value-add/focus'>;
export type Recommendation = Item<Res<'/api/accounts/{id}/value-add/recommendations'>['items']>;
export type PlanTask = Item<Res<'/api/accounts/{id}/value-add/tasks'>['items']>;
export type TaskPatch = Body<'/api/value-add/tasks/{id}', 'patch'>;
export type BookingBody = Body<'/api/accounts/{id}/value-add/bookings', 'post'>;
export type BookingRow = Item<Res<'/api/value-add/bookings'>['items']>;
export type BookingQuery = QueryOf<'/api/value-add/bookings'>;
export type InputOutput = Res<'/api/value-add/input-output'>;
export type IoItem = Item<InputOutput['items']>;

export const vaKeys = {
  all: ['value-add'] as const,
  catalog: (includeRetired: boolean) => ['value-add', 'catalog', includeRetired] as const,
  settings: ['value-add', 'settings'] as const,
  account: (id: string) => ['value-add', 'account', id] as const,
  focus: (id: string) => ['value-add', 'account', id, 'focus'] as const,
  recs: (id: string) => ['value-add', 'account', id, 'recs'] as const,
  budget: (id: string) => ['value-add', 'account', id, 'budget'] as const,
  tasks: (id: string) => ['value-add', 'account', id, 'tasks'] as const,
  bookings: (q: BookingQuery) => ['value-add', 'bookings', q] as const,
  io: (fy?: number) => ['value-add', 'io', fy] as const,
};

const id = (v: string) => ({ params: { path: { id: v } } });

export const useCatalog = (includeRetired = false) =>
  useQuery({
    queryKey: vaKeys.catalog(includeRetired),
    queryFn: () => call(client.GET('/api/value-add/catalog', { params: { query: { includeRetired: includeRetired ? 'true' : undefined } } })),
    select: (d) => d.items,
  });
export const useSettings = () => useQuery({ queryKey: vaKeys.settings, queryFn: () => call(client.GET('/api/value-add/settings')) });
export const useFocus = (accountId: string) =>
  useQuery({ queryKey: vaKeys.focus(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/value-add/focus', id(accountId))) });
export const useRecommendations = (accountId: string) =>
  useQuery({ queryKey: vaKeys.recs(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/value-add/recommendations', id(accountId))) });
export const useBudget = (accountId: string) =>
  useQuery({ queryKey: vaKeys.budget(accountId), queryFn: () => call(client.GET('/api/accounts/{id}/value-add/budget', id(accountId))) });
export const usePlan = (accountId: string) =>
  useQuery({
    queryKey: vaKeys.tasks(accountId),
    queryFn: () => call(client.GET('/api/accounts/{id}/value-add/tasks', id(accountId))),
    select: (d) => d.items,
  });
export const useBookings = (q: BookingQuery) =>
  useQuery({
    queryKey: vaKeys.bookings(q),
    queryFn: () => call(client.GET('/api/value-add/bookings', { params: { query: q } })),
    select: (d) => d.items,
  });
export type BookingPreview = Res<'/api/accounts/{id}/value-add/bookings/preview'>;
/** What booking an item would do before the money is spent: cost, remaining before/after, approval, this quarter's duplicates. */
export const useBookingPreview = (accountId: string, catalogItemId: string | null) =>
  useQuery({
    queryKey: [...vaKeys.account(accountId), 'booking-preview', catalogItemId] as const,
    enabled: !!catalogItemId,
    queryFn: () =>
      call(
        client.GET('/api/accounts/{id}/value-add/bookings/preview', {
          params: { path: { id: accountId }, query: { catalogItemId: catalogItemId! } },
        }),
      ),
  });
export const useInputOutput = (fiscalYear?: number) =>
  useQuery({
    queryKey: vaKeys.io(fiscalYear),
    queryFn: () => call(client.GET('/api/value-add/input-output', { params: { query: { fiscalYear } } })),
  });

/** Any value-add change refreshes every value-add view (budget, plan, recommendations, queues) and the pipeline. */
function useVaMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: vaKeys.all });
      void qc.invalidateQueries({ queryKey: ['opportunities'] });
    },
    // someone changed it since it was shown (412): show what it is now
    onError: (e) => {
      if (isStale(e)) void qc.invalidateQueries({ queryKey: vaKeys.all });
    },
  });
}

/** A new catalog item (no `itemId`; its menu is fixed then), or a change to one. */
export const useSaveCatalogItem = (itemId?: string) =>
  useVaMutation(({ menu, ...body }: CatalogInput) =>
    itemId
      ? call(client.PATCH('/api/value-add/catalog/{id}', { ...id(itemId), body }))
      : call(client.POST('/api/value-add/catalog', { body: { ...body, menu } })),
  );
export const useSaveSettings = () => useVaMutation((v: SettingsBody) => call(client.PUT('/api/value-add/settings', { body: v })));
export const useSaveFocus = (accountId: string) =>
  useVaMutation((v: { tasks: string[]; note: string }) =>
    call(client.PUT('/api/accounts/{id}/value-add/focus', { ...id(accountId), body: { tasks: v.tasks, note: v.note || null } })),
  );
export const useSaveOpeningSpent = (accountId: string) =>
  useVaMutation((amountMinor: number) =>
    call(client.PUT('/api/accounts/{id}/value-add/budget/opening', { ...id(accountId), body: { amountMinor } })),
  );
export const useBook = (accountId: string) =>
  useVaMutation((v: BookingBody) => call(client.POST('/api/accounts/{id}/value-add/bookings', { ...id(accountId), body: v })));
/** A decision on a booking names the version it was made on (the list's): 412 if someone decided or cancelled it since. */
type BookingRef = { id: string; version: number };
const ifMatch = (b: BookingRef) => ({ ...id(b.id), headers: { 'if-match': `"${b.version}"` } });
export const useApproveBooking = () => useVaMutation((b: BookingRef) => call(client.POST('/api/value-add/bookings/{id}/approve', ifMatch(b))));
export const useRejectBooking = () =>
  useVaMutation((v: BookingRef & { reason: string }) =>
    call(client.POST('/api/value-add/bookings/{id}/reject', { ...ifMatch(v), body: { reason: v.reason } })),
  );
export const useCancelBooking = () => useVaMutation((b: BookingRef) => call(client.POST('/api/value-add/bookings/{id}/cancel', ifMatch(b))));
export const useMoveTask = () =>
  useVaMutation((v: { id: string; body: TaskPatch }) => call(client.PATCH('/api/value-add/tasks/{id}', { ...id(v.id), body: v.body })));
