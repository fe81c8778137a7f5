// People and portraits (issue 18 point 1): the people list, a person's portrait, tags, stage, import and tag rules.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client, fileUrl, upload } from '../../api/client';
import type { Body, Item, QueryOf, Res } from '../../api/types';

export type PeopleQuery = QueryOf<'/api/outreach/people'>;
export type PersonRow = Item<Res<'/api/outreach/people'>['items']>;
export type Portrait = Res<'/api/outreach/people/{contactId}'>;
export type PersonTag = Item<Portrait['tags']>;
export type StageMove = Item<Portrait['stageHistory']>;
export type ToCStage = NonNullable<Portrait['stage']>;
export type TagRule = Item<Res<'/api/outreach/tag-rules'>['items']>;
export type RuleKind = TagRule['kind'];
export type RuleInput = Body<'/api/outreach/tag-rules', 'post'>;

export const toCStages: ToCStage[] = ['contact', 'interest', 'purchase', 'repurchase', 'loyalty'];
export const ruleKinds: RuleKind[] = ['portal_views', 'portal_requests', 'tickets', 'purchases'];

export const peopleKeys = {
  all: ['outreach', 'people'] as const,
  list: (q: PeopleQuery) => ['outreach', 'people', 'list', q] as const,
  tags: ['outreach', 'people', 'tags'] as const,
  portrait: (id: string) => ['outreach', 'people', 'portrait', id] as const,
  rules: ['outreach', 'tag-rules'] as const,
};

export function usePeople(q: PeopleQuery) {
  return useQuery({
    queryKey: peopleKeys.list(q),
    queryFn: () => call(client.GET('/api/outreach/people', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export function usePersonTags() {
  return useQuery({
    queryKey: peopleKeys.tags,
    queryFn: () => call(client.GET('/api/outreach/person-tags')),
    select: (d) => d.items,
  });
}

export function usePortrait(contactId: string) {
  return useQuery({
    queryKey: peopleKeys.portrait(contactId),
    queryFn: () => call(client.GET('/api/outreach/people/{contactId}', { params: { path: { contactId } } })),
  });
}

/** A change to people: the lists, the portraits and the tag choices refresh. */
function usePeopleMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: peopleKeys.all });
      void qc.invalidateQueries({ queryKey: peopleKeys.rules });
    },
  });
}

export function useSaveProfile(contactId: string) {
  return usePeopleMutation((body: Body<'/api/outreach/people/{contactId}', 'put'>) =>
    call(client.PUT('/api/outreach/people/{contactId}', { params: { path: { contactId } }, body })),
  );
}

export function useAddTag(contactId: string) {
  return usePeopleMutation((body: { tag: string; note?: string | null }) =>
    call(client.POST('/api/outreach/people/{contactId}/tags', { params: { path: { contactId } }, body })),
  );
}

export function useRemoveTag(contactId: string) {
  return usePeopleMutation((q: { tag: string; source: 'manual' | 'import' }) =>
    call(client.DELETE('/api/outreach/people/{contactId}/tags', { params: { path: { contactId }, query: q } })),
  );
}

export const peopleTemplateUrl = (format: 'xlsx' | 'csv') => fileUrl('/api/outreach/people-import/template', { query: { format } });

export function useImportPeople() {
  return usePeopleMutation((file: File) => upload('/api/outreach/people-import', {}, file));
}

export function useTagRules() {
  return useQuery({
    queryKey: peopleKeys.rules,
    queryFn: () => call(client.GET('/api/outreach/tag-rules')),
    select: (d) => d.items,
  });
}

export function useSaveRule() {
  return usePeopleMutation(({ id, version, ...body }: RuleInput & { id?: string; version?: number }) =>
    id
      ? call(client.PUT('/api/outreach/tag-rules/{id}', { params: { path: { id } }, body: { ...body, version } }))
      : call(client.POST('/api/outreach/tag-rules', { body })),
  );
}

export function useDeleteRule() {
  return usePeopleMutation(({ id, version }: { id: string; version: number }) =>
    call(client.DELETE('/api/outreach/tag-rules/{id}', { params: { path: { id } }, headers: { 'if-match': `"${version}"` } })),
  );
}

export function useRunRules() {
  return usePeopleMutation(() => call(client.POST('/api/outreach/tag-rules/run')));
}
