import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

export type Demand = { id: string; title: string; body: string; status: 'open' | 'answered' | 'closed'; createdAt: string; lastActivityAt: string; by: string; messages: number; accountId: string; accountName: string; opportunityId: string | null };
export type Thread = Omit<Demand, 'messages' | 'accountName'> & { messages: { id: string; authorKind: 'key_person' | 'staff'; authorName: string; body: string; createdAt: string }[] };
export type Post = { id: string; kind: 'news' | 'event' | 'product' | 'solution'; title: string; summary: string | null; hot: boolean; eventOn: string | null; publishedAt: string | null; bodyHtml: string; tasks: string[]; published: boolean };
export type Activity = {
  counts: { view: number; request: number; discuss: number };
  keyPersons: { id: string; name: string; email: string; active: boolean; lastSeen: string | null }[];
  recent: { id: string; kind: 'view' | 'request' | 'discuss'; subjectType: string; label: string; by: string; at: string }[];
  needs: Demand[];
  suggestions: { kind: 'opportunity' | 'service_product'; subjectType: string; subjectId: string | null; label: string; reason: string }[];
};
export type Milestone = { id: string; project: string; title: string; dueOn: string | null; doneOn: string | null; status: 'planned' | 'in_progress' | 'done' | 'delayed' };

export const portalKeys = { all: ['portal-admin'] as const };

export const useDemands = (accountId?: string) =>
  useQuery({ queryKey: [...portalKeys.all, 'demands', accountId ?? ''], queryFn: async () => (await api.get<{ items: Demand[] }>('/api/portal-admin/demands', { accountId })).items });
export const useThread = (id: string | null) =>
  useQuery({ queryKey: [...portalKeys.all, 'demand', id], queryFn: () => api.get<Thread>(`/api/portal-admin/demands/${id}`), enabled: !!id });
export const usePosts = () => useQuery({ queryKey: [...portalKeys.all, 'posts'], queryFn: async () => (await api.get<{ items: Post[] }>('/api/portal-admin/posts')).items });
export const useActivity = (accountId: string) => useQuery({ queryKey: [...portalKeys.all, 'activity', accountId], queryFn: () => api.get<Activity>(`/api/accounts/${accountId}/portal-activity`) });
export const useMilestones = (accountId: string) =>
  useQuery({ queryKey: [...portalKeys.all, 'milestones', accountId], queryFn: async () => (await api.get<{ items: Milestone[] }>(`/api/accounts/${accountId}/milestones`)).items });

export function usePortalMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: portalKeys.all }) });
}

/** Live portal events (SSE): every new need, reply or request refreshes what is on screen. */
export function usePortalEvents(onEvent?: (type: string, data: { accountId: string; demandId: string | null }) => void, accountId?: string) {
  const qc = useQueryClient();
  useEffect(() => {
    const es = new EventSource(`/api/portal-admin/events${accountId ? `?accountId=${accountId}` : ''}`);
    const handle = (type: string) => (e: MessageEvent) => {
      void qc.invalidateQueries({ queryKey: portalKeys.all });
      try {
        onEvent?.(type, JSON.parse(e.data));
      } catch {
        /* ignore a malformed event */
      }
    };
    const types = ['demand.created', 'demand.message', 'portal.request'];
    const hs = types.map((ty) => [ty, handle(ty)] as const);
    for (const [ty, h] of hs) es.addEventListener(ty, h);
    return () => es.close();
  }, [accountId]); // eslint-disable-line react-hooks/exhaustive-deps
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
  sig: { view: 'viewed', request: 'requested', discuss: 'discussed' },
  sug: { opportunity: 'Suggested opportunity', service_product: 'Suggested service product' },
  openNeeds: 'Open the needs desk',
};

/** The portal screens' words, following the console's language. */
export function useWords() {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? en : zh;
}
