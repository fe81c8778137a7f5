import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, PreconditionReplies, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import * as health from './health.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Words = z.object({ 'zh-CN': z.string(), en: z.string() });

const Health = z.object({
  accountId: z.string(),
  score: z.number(),
  band: z.string(),
  trend: z.string(),
  groups: z.record(z.string(), z.number().nullable()),
  reasons: z.array(Words),
  computedAt: z.date(),
});
const FollowUp = z.object({
  id: z.string(),
  accountId: z.string(),
  ownerId: z.string().nullable(),
  reason: z.string(),
  detail: z.array(Words),
  score: z.number(),
  status: z.string(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
});
export const HealthModelBody = z.strictObject({
  scope: z.string().regex(/^(workspace|tier:[A-E]|stage:(handover|startup|adaptation|renewal|churn))$/, 'workspace, tier:A…E or stage:<stage>'),
  weights: z.record(z.string(), z.number()),
  amberBelow: z.number().int(),
  redBelow: z.number().int(),
  version: SettingsVersionIn.describe('the version of this scope’s model read (0: none saved for the scope); 412 if someone saved it since'),
});
const ModelOut = z.object({
  scope: z.string(),
  weights: z.record(z.string(), z.number()),
  amberBelow: z.number(),
  redBelow: z.number(),
  version: SettingsVersion,
});

export function kpiRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['health', 'kpi'];
    app.get(
      '/api/accounts/:id/health',
      {
        schema: {
          tags,
          summary: 'Account health: score, colour band, trend arrow, reasons, history and follow-ups',
          params: IdParam,
          response: {
            200: z.object({
              current: Health.extend({ workspaceId: z.string() }).nullable(),
              history: z.array(z.object({ score: z.number(), band: z.string(), cause: z.string(), computedAt: z.date() })),
              followUps: z.array(FollowUp.extend({ workspaceId: z.string(), closedById: z.string().nullable() })),
            }),
            ...errors,
          },
        },
      },
      async (req) => health.getAccountHealth(db, staff(req), req.params.id),
    );
    app.post(
      '/api/accounts/:id/health/recompute',
      { schema: { tags, summary: 'Recompute this account’s health now', params: IdParam, response: { 200: z.any(), ...errors } } },
      async (req) => health.recomputeAccountHealth(db, staff(req), req.params.id),
    );
    app.get(
      '/api/health/models',
      {
        schema: {
          tags,
          summary: 'Health weights: the default and the workspace’s (per tier or stage)',
          response: { 200: z.object({ default: ModelOut.omit({ scope: true, version: true }), models: z.array(ModelOut) }), ...errors },
        },
      },
      async (req) => health.getHealthModels(db, staff(req)),
    );
    app.put(
      '/api/health/models',
      {
        schema: {
          tags,
          summary: 'Set health weights (five groups adding up to 100) and colour bands for the workspace, a tier or a stage',
          description:
            'Send the version of the scope’s model read (GET /api/health/models; 0 for a scope without one) as If-Match or `version`: 412 if someone saved it since.',
          body: HealthModelBody,
          response: { 200: ModelOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return health.putHealthModel(db, staff(req), input, expectedVersion(req, version));
      },
    );
    app.get(
      '/api/follow-ups',
      {
        schema: {
          tags,
          summary: 'Follow-up tasks raised by health',
          querystring: z.strictObject({ mine: z.enum(['true', 'false']).optional(), status: z.enum(['open', 'done']).optional() }),
          response: { 200: z.object({ items: z.array(z.any()) }), ...errors },
        },
      },
      async (req) => ({ items: await health.listFollowUps(db, staff(req), { mine: req.query.mine === 'true', status: req.query.status }) }),
    );
    app.post(
      '/api/follow-ups/:id/done',
      { schema: { tags, summary: 'Close a follow-up', params: IdParam, response: { 200: z.any(), ...errors } } },
      async (req) => health.closeFollowUp(db, staff(req), req.params.id),
    );
  };
}
