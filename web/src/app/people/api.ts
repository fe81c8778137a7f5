import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type User = Item<Res<'/api/users'>['items']>;
export type Team = Item<Res<'/api/teams'>['items']>;
export type ChannelPartner = Item<Res<'/api/channel-partners'>['items']>;
export type NewUser = Body<'/api/users', 'post'>;
export type Invitation = Body<'/api/users/invite', 'post'>;
export type UserPatch = Body<'/api/users/{id}', 'patch'>;
export type NewTeam = Body<'/api/teams', 'post'>;
export type TeamPatch = Body<'/api/teams/{id}', 'patch'>;
export type PartnerInput = Body<'/api/channel-partners', 'post'>;

const id = (v: string) => ({ params: { path: { id: v } } });

export function useUsers(enabled = true) {
  return useQuery({ queryKey: ['users'], queryFn: () => call(client.GET('/api/users')), select: (d) => d.items, staleTime: 60_000, enabled });
}
export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => call(client.GET('/api/teams')), select: (d) => d.items });
}
export function usePartners() {
  return useQuery({
    queryKey: ['channel-partners'],
    queryFn: () => call(client.GET('/api/channel-partners')),
    select: (d) => d.items,
    staleTime: 60_000,
  });
}

/** A write on one of the people lists; the list is fresh again when the mutation settles as done. */
function usePeopleMutation<V, R>(key: string, fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: [key] }) });
}

export const useCreateUser = () => usePeopleMutation('users', (v: NewUser) => call(client.POST('/api/users', { body: v })));
export const usePatchUser = () =>
  usePeopleMutation('users', ({ id: userId, ...v }: UserPatch & { id: string }) => call(client.PATCH('/api/users/{id}', { ...id(userId), body: v })));

/** Invite a colleague: the account exists at once, an invitation mail is queued; `invited` until they choose a password. */
export const useInviteUser = () => usePeopleMutation('users', (v: Invitation) => call(client.POST('/api/users/invite', { body: v })));
/** A new invitation mail; the earlier link stops working (409 once accepted). */
export const useResendInvite = () => usePeopleMutation('users', (userId: string) => call(client.POST('/api/users/{id}/invite', id(userId))));

/** A new team (no `teamId`), or a change to one (its kind stays). */
export const useSaveTeam = (teamId?: string) =>
  usePeopleMutation('teams', (v: NewTeam) =>
    teamId
      ? call(client.PATCH('/api/teams/{id}', { ...id(teamId), body: { name: v.name, industry: v.industry ?? null, leadId: v.leadId ?? null } }))
      : call(client.POST('/api/teams', { body: v })),
  );
export const useSetTeamMembers = (teamId: string | undefined) =>
  usePeopleMutation('teams', (userIds: string[]) => call(client.PUT('/api/teams/{id}/members', { ...id(teamId!), body: { userIds } })));

export const useSavePartner = (partnerId?: string) =>
  usePeopleMutation('channel-partners', (v: PartnerInput) =>
    partnerId
      ? call(client.PATCH('/api/channel-partners/{id}', { ...id(partnerId), body: v }))
      : call(client.POST('/api/channel-partners', { body: v })),
  );
