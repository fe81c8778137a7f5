import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Body, Item, Res } from '../../api/types';

export type Demand = Item<Res<'/api/portal-admin/demands'>['items']>;
export type Thread = Res<'/api/portal-admin/demands/{id}'>;
export type Post = Item<Res<'/api/portal-admin/posts'>['items']>;
export type PostBody = Body<'/api/portal-admin/posts', 'post'>;
export type PostPatch = Body<'/api/portal-admin/posts/{id}', 'patch'>;
export type Activity = Res<'/api/accounts/{id}/portal-activity'>;
export type Milestone = Item<Res<'/api/accounts/{id}/milestones'>['items']>;

export const portalKeys = { all: ['portal-admin'] as const };

const id = (v: string) => ({ params: { path: { id: v } } });

export const useDemands = (accountId?: string) =>
  useQuery({
    queryKey: [...portalKeys.all, 'demands', accountId ?? ''],
    queryFn: async () => (await call(client.GET('/api/portal-admin/demands', { params: { query: { accountId } } }))).items,
  });
export const useThread = (demandId: string | null) =>
  useQuery({
    queryKey: [...portalKeys.all, 'demand', demandId],
    queryFn: () => call(client.GET('/api/portal-admin/demands/{id}', id(demandId!))),
    enabled: !!demandId,
  });
export const usePosts = () =>
  useQuery({ queryKey: [...portalKeys.all, 'posts'], queryFn: async () => (await call(client.GET('/api/portal-admin/posts'))).items });
export const useActivity = (accountId: string) =>
  useQuery({
    queryKey: [...portalKeys.all, 'activity', accountId],
    queryFn: () => call(client.GET('/api/accounts/{id}/portal-activity', id(accountId))),
  });
export const useMilestones = (accountId: string) =>
  useQuery({
    queryKey: [...portalKeys.all, 'milestones', accountId],
    queryFn: async () => (await call(client.GET('/api/accounts/{id}/milestones', id(accountId)))).items,
  });

/** Any change on the portal desk refreshes every portal view. */
function usePortalMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: portalKeys.all }) });
}

export const useAnswerDemand = (demandId: string) =>
  usePortalMutation((body: string) => call(client.POST('/api/portal-admin/demands/{id}/messages', { ...id(demandId), body: { body } })));
export const useCaptureDemand = (demandId: string) =>
  usePortalMutation(() => call(client.POST('/api/portal-admin/demands/{id}/capture', { ...id(demandId), body: {} })));
export const useCloseDemand = (demandId: string) =>
  usePortalMutation(() => call(client.PATCH('/api/portal-admin/demands/{id}', { ...id(demandId), body: { status: 'closed' } })));
export const useCreatePost = () => usePortalMutation((b: PostBody) => call(client.POST('/api/portal-admin/posts', { body: b })));
export const useUpdatePost = () =>
  usePortalMutation(({ id: postId, ...b }: PostPatch & { id: string }) =>
    call(client.PATCH('/api/portal-admin/posts/{id}', { ...id(postId), body: b })),
  );
export const useDeletePost = () => usePortalMutation((postId: string) => call(client.DELETE('/api/portal-admin/posts/{id}', id(postId))));
export const useInviteKeyPerson = () =>
  usePortalMutation((v: { contactId: string; email: string }) =>
    call(client.POST('/api/contacts/{id}/key-person-invite', { ...id(v.contactId), body: { email: v.email } })),
  );
/** Turns a key person's portal access off (they are signed out at once) or on again; the account's contacts show it too. */
export function useKeyPersonAccess() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; active: boolean }) => call(client.PATCH('/api/key-persons/{id}', { ...id(v.id), body: { active: v.active } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: portalKeys.all });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
}

/** Live portal events (SSE): every new need, reply or request refreshes what is on screen. */
export function usePortalEvents(onEvent?: (type: string, data: { accountId: string; demandId: string | null }) => void, accountId?: string) {
  const qc = useQueryClient();
  // the latest callback, without reconnecting the stream on every render
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    const es = new EventSource(`/api/portal-admin/events${accountId ? `?accountId=${accountId}` : ''}`);
    const handle = (type: string) => (e: MessageEvent) => {
      void qc.invalidateQueries({ queryKey: portalKeys.all });
      try {
        latest.current?.(type, JSON.parse(e.data));
      } catch {
        /* ignore a malformed event */
      }
    };
    const types = ['demand.created', 'demand.message', 'portal.request'];
    const hs = types.map((ty) => [ty, handle(ty)] as const);
    for (const [ty, h] of hs) es.addEventListener(ty, h);
    return () => es.close();
  }, [accountId, qc]);
}

const zh = {
  title: '客户门户',
  needs: '客户需求',
  content: '门户内容',
  live: '实时',
  newNeed: '客户关键人刚刚提出了新需求',
  newReply: '客户回复了需求',
  none: '暂无',
  answer: '回复客户',
  send: '发送',
  capture: '转为商机',
  captured: '已转为商机',
  close: '关闭需求',
  status: { open: '待回复', answered: '已回复', closed: '已关闭' },
  kind: { news: '新闻', event: '活动', product: '热门产品', solution: '方案介绍' },
  publish: '发布内容',
  titleF: '标题',
  summary: '摘要',
  body: '正文（支持 HTML：保存时过滤脚本）',
  hot: '热门',
  published: '已发布',
  draft: '草稿',
  unpublish: '撤下',
  republish: '发布',
  del: '删除',
  keyPersons: '客户关键人',
  invite: '邀请关键人',
  inviteSent: '邀请邮件已排队发送（链接 7 天内有效，仅可使用一次）',
  contact: '联系人',
  email: '邮箱',
  lastSeen: '最近活跃',
  activity: '门户行为',
  views: '浏览',
  requests: '申请',
  discussions: '讨论',
  suggestions: '建议（附原因）',
  recent: '最近行为',
  milestones: '交付里程碑',
  project: '项目',
  milestone: '里程碑',
  due: '计划日期',
  add: '添加',
  ms: { planned: '计划中', in_progress: '进行中', done: '已完成', delayed: '延期' },
  milestonesFrom: '客户看到的交付进展来自交付项目的里程碑，在',
  milestonesWhere: '合同与交付中维护',
  sig: { view: '浏览', request: '申请', discuss: '讨论' },
  sug: { opportunity: '建议商机', service_product: '建议服务产品' },
  openNeeds: '打开需求处理',
};
const en: typeof zh = {
  title: 'Customer portal',
  needs: 'Customer needs',
  content: 'Portal content',
  live: 'Live',
  newNeed: 'A key person has just posted a new need',
  newReply: 'A customer replied',
  none: 'Nothing yet',
  answer: 'Answer the customer',
  send: 'Send',
  capture: 'Capture as opportunity',
  captured: 'Captured as opportunity',
  close: 'Close need',
  status: { open: 'Awaiting reply', answered: 'Answered', closed: 'Closed' },
  kind: { news: 'News', event: 'Event', product: 'Hot product', solution: 'Solution' },
  publish: 'Publish content',
  titleF: 'Title',
  summary: 'Summary',
  body: 'Body (HTML allowed; scripts are removed on save)',
  hot: 'Hot',
  published: 'Published',
  draft: 'Draft',
  unpublish: 'Unpublish',
  republish: 'Publish',
  del: 'Delete',
  keyPersons: 'Key persons',
  invite: 'Invite a key person',
  inviteSent: 'Invitation mail queued (link valid 7 days, single use)',
  contact: 'Contact',
  email: 'Email',
  lastSeen: 'Last active',
  activity: 'Portal activity',
  views: 'Views',
  requests: 'Requests',
  discussions: 'Discussions',
  suggestions: 'Suggestions (with reasons)',
  recent: 'Recent activity',
  milestones: 'Delivery milestones',
  project: 'Project',
  milestone: 'Milestone',
  due: 'Due',
  add: 'Add',
  ms: { planned: 'Planned', in_progress: 'In progress', done: 'Done', delayed: 'Delayed' },
  milestonesFrom: 'The delivery progress key persons see is the milestones of the delivery projects, kept under',
  milestonesWhere: 'Contracts & delivery',
  sig: { view: 'viewed', request: 'requested', discuss: 'discussed' },
  sug: { opportunity: 'Suggested opportunity', service_product: 'Suggested service product' },
  openNeeds: 'Open the needs desk',
};

/** The portal screens' words, following the console's language. */
export function useWords() {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? en : zh;
}
