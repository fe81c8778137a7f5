import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';
import { ME_KEY } from '../session';

export type Workspace = Res<'/api/settings/workspace'>;
export type WorkspacePatch = Body<'/api/settings/workspace', 'patch'>;
export type GradingModel = Res<'/api/settings/grading'>;
export type Weights = GradingModel['valueWeights'];
export type Regrade = Res<'/api/grading/recompute', 'post'>;
export type AuditItem = Item<Res<'/api/audit'>['items']>;
export type SsoSettings = Res<'/api/settings/sso'>;
export type SsoSettingsBody = Body<'/api/settings/sso', 'put'>;

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => call(client.GET('/api/settings/workspace')) });
}

export function useSaveWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: WorkspacePatch) => call(client.PATCH('/api/settings/workspace', { body: v })),
    onSuccess: (w) => {
      qc.setQueryData(['workspace'], w);
      void qc.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}

/** Single sign-on of my workspace (admins); the secret never comes back, only whether one is set. */
export function useSsoSettings(enabled = true) {
  return useQuery({ queryKey: ['settings', 'sso'], queryFn: () => call(client.GET('/api/settings/sso')), enabled });
}

export function useSaveSsoSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: SsoSettingsBody) => call(client.PUT('/api/settings/sso', { body: v })),
    onSuccess: (r) => qc.setQueryData(['settings', 'sso'], r),
  });
}

export function useGradingModel() {
  return useQuery({ queryKey: ['grading'], queryFn: () => call(client.GET('/api/settings/grading')) });
}

/** Saving the model regrades every account; so does a plain recompute. Both answer how many changed. */
export function useSaveGrading() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: Body<'/api/settings/grading', 'put'>) => call(client.PUT('/api/settings/grading', { body: v })),
    onSuccess: async (r) => {
      qc.setQueryData(['grading'], { ...r.model, version: r.version });
      await qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
}
export function useRecomputeGrading() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call(client.POST('/api/grading/recompute')),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['accounts'] }),
  });
}

const AUDIT_PAGE = 50;

/** The audit trail, newest first, a page at a time. */
export function useAudit(entityType: string | undefined, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['audit', entityType],
    enabled,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => call(client.GET('/api/audit', { params: { query: { limit: AUDIT_PAGE, beforeId: pageParam, entityType } } })),
    getNextPageParam: (last) => last.nextBeforeId ?? undefined,
  });
}
