import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, PreconditionReplies, QueryBool, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import { opportunityStages } from './opportunities.domain.js';
import * as svc from './pipeline.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['opportunities'];
const Money = z.number().int().min(0).max(9e15).describe('integer minor units (fen)');
const Stage = z.enum(opportunityStages);

export const Opportunity = z.object({
  id: z.string(),
  version: z.number().int().describe('optimistic concurrency: send it back as If-Match with a move (412 if stale)'),
  accountId: z.string(),
  accountName: z.string(),
  accountTier: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  sourceKind: z.string(),
  sourceId: z.string().nullable(),
  capturedById: z.string(),
  capturedByName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  amountMinor: z.number(),
  currency: z.string(),
  product: z.string().nullable(),
  stage: z.string(),
  allowedNext: z.array(z.string()),
  lostReason: z.string().nullable(),
  expectedCloseOn: z.string().nullable(),
  handedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const OpportunityDetail = Opportunity.extend({
  events: z.array(
    z.object({
      id: z.string(),
      fromStage: z.string().nullable(),
      toStage: z.string(),
      note: z.string().nullable(),
      actorName: z.string().nullable(),
      at: z.date(),
    }),
  ),
});
const CaptureBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).nullish(),
  sourceKind: z.enum(['visit', 'meeting', 'portal_demand', 'other']),
  amountMinor: Money.optional(),
  product: z.string().max(200).nullish(),
  expectedCloseOn: z.iso.date().nullish(),
});
const ListQuery = z.strictObject({
  accountId: z.uuid().optional(),
  stage: Stage.optional(),
  /** the ones I captured */
  mine: QueryBool.optional(),
  ownerId: z.uuid().optional(),
  sourceKind: z.enum(['ticket', 'meeting', 'value_add_task', 'portal_demand', 'visit', 'contract', 'other']).optional(),
  /** handed to sales with me as the owner */
  handedToMe: QueryBool.optional(),
});
const Webhook = z.object({
  url: z.string(),
  active: z.boolean(),
  secretHint: z.string(),
  updatedAt: z.date(),
  secret: z.string().nullable().optional(),
  version: SettingsVersion,
});

export function opportunitiesRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/opportunities',
      {
        schema: {
          tags,
          summary: 'Opportunities you can see (filter by account, stage, or the ones you captured)',
          querystring: ListQuery,
          response: { 200: z.object({ items: z.array(Opportunity) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listOpportunities(db, staff(req), req.query) }),
    );
    app.get(
      '/api/opportunities/board',
      {
        schema: {
          tags,
          summary:
            'The pipeline board: every stage with its cards, count and amount (filter by account, owner, source; mine = captured by me; handedToMe = handed to sales with me as owner)',
          querystring: ListQuery.omit({ stage: true }),
          response: {
            200: z.object({
              columns: z.array(z.object({ stage: z.string(), count: z.number(), amountMinor: z.number(), items: z.array(Opportunity) })),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.getBoard(db, staff(req), req.query),
    );
    app.get(
      '/api/opportunities/webhook',
      {
        schema: {
          tags,
          summary: 'The outgoing webhook for opportunities handed to sales (admin)',
          response: { 200: z.object({ webhook: Webhook.nullable() }), ...errors },
        },
      },
      async (req) => ({ webhook: await svc.getWebhook(db, staff(req)) }),
    );
    app.put(
      '/api/opportunities/webhook',
      {
        schema: {
          tags,
          summary:
            'Configure the webhook; internal targets are refused unless the operator allows the host (KW_OUTBOUND_ALLOW_HOSTS). The signing secret is returned once when created or rotated.',
          body: z.strictObject({
            url: z.string().max(2000),
            active: z.boolean().optional(),
            rotateSecret: z.boolean().optional(),
            version: SettingsVersionIn.describe(
              'the webhook’s version read (0: none configured); 412 if someone saved since; the console must send it (428)',
            ),
          }),
          response: { 200: z.object({ webhook: Webhook }), ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return { webhook: await svc.setWebhook(db, staff(req), input, expectedVersion(req, version)) };
      },
    );
    app.get(
      '/api/opportunities/webhook/deliveries',
      {
        schema: {
          tags,
          summary: 'The delivery log: every attempt with its outcome',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.number(),
                  deliveryId: z.string(),
                  event: z.string(),
                  opportunityId: z.string().nullable(),
                  url: z.string(),
                  attempt: z.number(),
                  outcome: z.string(),
                  statusCode: z.number().nullable(),
                  error: z.string().nullable(),
                  durationMs: z.number(),
                  at: z.date(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => ({ items: await svc.listDeliveries(db, staff(req)) }),
    );
    app.get(
      '/api/opportunities/:id',
      { schema: { tags, summary: 'One opportunity with its stage history', params: IdParam, response: { 200: OpportunityDetail, ...errors } } },
      async (req) => svc.getOpportunity(db, staff(req), req.params.id),
    );
    app.post(
      '/api/accounts/:id/opportunities',
      {
        schema: {
          tags,
          summary: 'Capture an opportunity heard on a visit, in a meeting or from a portal demand',
          params: IdParam,
          body: CaptureBody,
          response: { 201: OpportunityDetail, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.captureForAccount(db, staff(req), req.params.id, req.body)),
    );
    app.post(
      '/api/opportunities/:id/stage',
      {
        schema: {
          tags,
          summary: 'Move an opportunity one stage (lost needs a reason; won and lost after hand-over are for sales and managers)',
          params: IdParam,
          body: z.strictObject({ to: Stage, reason: z.string().max(1000).nullish(), note: z.string().max(2000).nullish() }),
          response: { 200: OpportunityDetail, ...errors },
        },
      },
      async (req) => svc.moveOpportunity(db, staff(req), req.params.id, req.body, expectedVersion(req, undefined, 'optional')),
    );
    app.post(
      '/api/opportunities/:id/incubation',
      {
        schema: {
          tags,
          summary: 'Record the incubation outcome: success hands it to sales automatically (and fires the webhook), failure loses it with a reason',
          params: IdParam,
          body: z.strictObject({ success: z.boolean(), reason: z.string().max(1000).nullish(), note: z.string().max(2000).nullish() }),
          response: { 200: OpportunityDetail, ...errors },
        },
      },
      async (req) => svc.recordIncubation(db, staff(req), req.params.id, req.body, expectedVersion(req, undefined, 'optional')),
    );
  };
}
