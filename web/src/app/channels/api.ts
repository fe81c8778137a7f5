import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type Robot = Item<Res<'/api/channels/robots'>['items']>;
export type RobotPlatform = Robot['platform'];
export type CreateRobotBody = Body<'/api/channels/robots', 'post'>;
export type UpdateRobotBody = Body<'/api/channels/robots/{id}', 'patch'>;
export type RobotTest = Res<'/api/channels/robots/{id}/test', 'post'>;

export const robotPlatforms: readonly RobotPlatform[] = ['wecom', 'dingtalk', 'feishu'];

const id = (v: string) => ({ params: { path: { id: v } } });
/** null: the workspace's robots; an id: that account's iron-triangle robots. */
const key = (accountId: string | null) => ['channels', 'robots', accountId ?? 'workspace'] as const;

export function useRobots(accountId: string | null, enabled = true) {
  return useQuery({
    queryKey: key(accountId),
    queryFn: () => (accountId ? call(client.GET('/api/accounts/{id}/robots', id(accountId))) : call(client.GET('/api/channels/robots'))),
    enabled,
  });
}

function useRobotMutation<V, R>(accountId: string | null, fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key(accountId) }) });
}

export const useCreateRobot = (accountId: string | null) =>
  useRobotMutation(accountId, (body: CreateRobotBody) =>
    accountId ? call(client.POST('/api/accounts/{id}/robots', { ...id(accountId), body })) : call(client.POST('/api/channels/robots', { body })),
  );

export const useUpdateRobot = (accountId: string | null) =>
  useRobotMutation(accountId, (v: { id: string; body: UpdateRobotBody }) =>
    call(client.PATCH('/api/channels/robots/{id}', { ...id(v.id), body: v.body })),
  );

export const useDeleteRobot = (accountId: string | null) =>
  useRobotMutation(accountId, (robotId: string) => call(client.DELETE('/api/channels/robots/{id}', id(robotId))));

/** Sends a test card now; answers whether it arrived, in words (the robot's last success/failure refreshes). */
export const useTestRobot = (accountId: string | null) =>
  useRobotMutation(accountId, (robotId: string) => call(client.POST('/api/channels/robots/{id}/test', id(robotId))));
