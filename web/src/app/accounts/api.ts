import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../api';

export type AccountSummary = {
  id: string;
  name: string;
  industry: string;
  region: string;
  tier: string;
  stage: string;
  toCStage?: string | null;
  ladder: string;
  ownerId: string | null;
  ownerName: string | null;
  channelPartnerId: string | null;
  channelPartnerName: string | null;
  revenueTargetMinor: number;
  currency: string;
  tags: string[];
  valueScore: number;
  potentialScore: number;
  tierOverridden?: boolean;
  updatedAt: string;
};

export type AccountPage = { items: AccountSummary[]; total: number; page: number; pageSize: number };

export type Person = { id: string; name: string } | null;

export type TierHistoryItem = {
  fromTier: string | null;
  toTier: string;
  source: string;
  reason: string | null;
  valueScore: number | null;
  potentialScore: number | null;
  at: string;
  actorName: string | null;
};
export type StageTransition = { fromStage: string | null; toStage: string; note: string | null; at: string; actorName: string | null };
export type LadderChange = { fromLevel: string | null; toLevel: string; reason: string | null; at: string; actorName: string | null };

export type Contact = {
  id: string;
  accountId: string;
  name: string;
  title: string | null;
  department: string | null;
  email: string | null;
  phone: string | null;
  side: string;
  orgGroups: string[];
  isKeyPerson: boolean;
  notes: string | null;
  hasPortalLogin?: boolean;
};

export type RelationshipLink = {
  id: string;
  userId: string;
  userName: string;
  ourSide: string;
  contactId: string;
  contactName: string;
  theirSide: string;
  strength: number;
  lastContactAt: string | null;
  note: string | null;
};

export type Account360 = AccountSummary & {
  fiscalYear: number;
  products: string[];
  contracts: { no: string; title: string; signedOn?: string; amountMinor?: number }[];
  onTimePaymentPct: number | null;
  orderAmountMinor: number;
  prospect: number | null;
  profitMarginPct: number | null;
  modelTier: string;
  tierOverride: string | null;
  tierOverrideReason: string | null;
  salesId: string | null;
  deliveryId: string | null;
  afterSalesId: string | null;
  csmId: string | null;
  owner: Person;
  channelPartner: Person;
  tierExplanation: string;
  tierHistory: TierHistoryItem[];
  stageTimeline: StageTransition[];
  daysInStage: number;
  allowedNextStages: string[];
  ladderHistory: LadderChange[];
  team: { sales: Person; delivery: Person; afterSales: Person; csm: Person };
  teamGaps: string[];
  contacts: Contact[];
  links: RelationshipLink[];
  relationshipGaps: string[];
};

export type AccountInput = {
  name: string;
  industry: string;
  region: string;
  channelPartnerId?: string | null;
  ownerId?: string | null;
  revenueTargetMinor?: number;
  fiscalYear?: number;
  products?: string[];
  tags?: string[];
  onTimePaymentPct?: number | null;
  orderAmountMinor?: number;
  prospect?: number | null;
  profitMarginPct?: number | null;
};

export type ContactInput = {
  name: string;
  title?: string | null;
  department?: string | null;
  email?: string | null;
  phone?: string | null;
  side?: string;
  orgGroups?: string[];
  isKeyPerson?: boolean;
  notes?: string | null;
};

export type Segment = { id: string; name: string; description: string | null; rules: { field: string; values: string[] }[]; createdAt?: string };

export type AccountListQuery = {
  tier?: string[];
  stage?: string[];
  industry?: string;
  ownerId?: string;
  tag?: string;
  segmentId?: string;
  q?: string;
  sort?: string;
  order?: string;
  page?: number;
  pageSize?: number;
};

export const accountKeys = {
  all: ['accounts'] as const,
  list: (q: AccountListQuery) => ['accounts', 'list', q] as const,
  one: (id: string) => ['accounts', 'one', id] as const,
};

export function useAccounts(q: AccountListQuery) {
  return useQuery({
    queryKey: accountKeys.list(q),
    queryFn: () => api.get<AccountPage>('/api/accounts', q as Query),
    placeholderData: keepPreviousData,
  });
}

export function useAccount(id: string) {
  return useQuery({ queryKey: accountKeys.one(id), queryFn: () => api.get<Account360>(`/api/accounts/${id}`) });
}

export function useTags() {
  return useQuery({ queryKey: ['tags'], queryFn: () => api.get<string[] | { items: string[] }>('/api/tags'), select: (d) => (Array.isArray(d) ? d : d.items), staleTime: 60_000 });
}

export function useFacets() {
  return useQuery({ queryKey: ['account-facets'], queryFn: () => api.get<{ industries: string[]; regions: string[] }>('/api/accounts/facets'), staleTime: 60_000 });
}

export function useSegments() {
  return useQuery({
    queryKey: ['segments'],
    queryFn: () => api.get<Segment[] | { items: Segment[] }>('/api/segments'),
    select: (d) => (Array.isArray(d) ? d : d.items),
  });
}

/** A change to an account (or its contacts and links): refreshes its 360, the lists and the audit trail afterwards. */
export function useAccountMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: accountKeys.all });
      void qc.invalidateQueries({ queryKey: ['audit'] });
      void qc.invalidateQueries({ queryKey: ['tags'] });
    },
  });
}

export function useCreateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: AccountInput) => api.post<{ id: string }>('/api/accounts', v),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
}
