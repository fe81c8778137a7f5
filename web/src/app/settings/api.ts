import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

export type Workspace = { id: string; name: string; slug: string; timezone: string; currency: string; defaultLocale: string; customerModel: string };
export type Weights = { credit: number; orderAmount: number; prospect: number; profit: number };
export type GradingModel = { valueWeights: Weights; potentialWeights: Weights; thresholds: { valueHigh: number; valueLow: number; potentialHigh: number } };
export type AuditItem = {
  id: number;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  at: string;
};

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => api.get<Workspace>('/api/settings/workspace') });
}

export function useGradingModel() {
  return useQuery({ queryKey: ['grading'], queryFn: () => api.get<GradingModel>('/api/settings/grading') });
}
