import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, staff } from '../../platform/http.js';
import { getWorkbench } from './workbench.service.js';

const errors = { 401: ErrorReply, 403: ErrorReply };
const Words = z.object({ 'zh-CN': z.string(), en: z.string() });

const QueueTicket = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  severity: z.string(),
  priority: z.string(),
  status: z.string(),
  major: z.boolean(),
  accountId: z.string(),
  accountName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  createdAt: z.date(),
  nextDueAt: z.date().nullable().describe('the nearest SLA deadline still running'),
  slaState: z.enum(['breached', 'warning', 'paused', 'on_track', 'none']),
  escalatedToMe: z.boolean().describe('an SLA breach of this ticket was escalated to me'),
});
const WorkbenchActionItem = z.object({
  id: z.string(),
  title: z.string(),
  meetingId: z.string(),
  meetingTitle: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  dueOn: z.string().nullable(),
  dueAt: z.date().nullable(),
  overdue: z.boolean(),
  escalatedAt: z.date().nullable(),
});
const AtRiskAccount = z.object({
  id: z.string(),
  name: z.string(),
  tier: z.string(),
  stage: z.string(),
  seats: z.array(z.enum(['owner', 'sales', 'delivery', 'after_sales', 'csm'])).describe('where the user sits: owner or a seat of the iron triangle'),
  openFollowUps: z.number(),
  overdueFollowUps: z.number(),
  health: z
    .object({ score: z.number(), band: z.string(), trend: z.string(), reasons: z.array(Words) })
    .nullable()
    .optional()
    .describe('absent for roles that may not read KPIs and health'),
});
const FollowUp = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  reason: z.string(),
  createdAt: z.date(),
  dueAt: z.date(),
  overdue: z.boolean(),
  score: z.number().optional().describe('absent for roles that may not read KPIs and health'),
  detail: z.array(Words).optional(),
});
const TodayMeeting = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  location: z.string().nullable(),
  accountId: z.string(),
  accountName: z.string(),
  organizerName: z.string(),
});
export const WorkbenchReply = z.object({
  generatedAt: z.date(),
  queue: z.object({ total: z.number(), items: z.array(QueueTicket) }),
  actionItems: z.object({ total: z.number(), overdue: z.number(), items: z.array(WorkbenchActionItem) }),
  atRisk: z.object({ total: z.number(), items: z.array(AtRiskAccount) }),
  followUps: z.object({
    total: z.number(),
    dueDays: z.number().describe('a follow-up is overdue this many days after it was raised'),
    items: z.array(FollowUp),
  }),
  meetingsToday: z.object({ date: z.string(), timezone: z.string(), total: z.number(), items: z.array(TodayMeeting) }),
});

export function workbenchRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/workbench',
      {
        schema: {
          tags: ['workbench'],
          summary: "工作台: my ticket queue (most urgent first), my open action items, my accounts at risk, my follow-ups and today's meetings",
          // no parameters: an unknown one is a 400 naming it, as on the list routes
          querystring: z.strictObject({}),
          response: { 200: WorkbenchReply, ...errors },
        },
      },
      async (req) => getWorkbench(db, staff(req)),
    );
  };
}
