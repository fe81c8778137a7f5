import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, staff } from '../../platform/http.js';
import { growthActions, metrics, stageKeys } from './measures.domain.js';
import { excludeReasons } from './outreach.domain.js';
import * as svc from './measures.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const tags = ['outreach'];
const Metric = z.enum(metrics);
const Action = z.enum(growthActions);
const Stage = z.enum(stageKeys);

const n = () => z.number().int();
const Counts = z.object({
  planned: n(),
  sent: n(),
  excluded: n(),
  excludedBy: z.record(z.string(), n()).describe('excluded recipients by reason'),
  delivered: n(),
  opened: n().describe('people who opened (each once)'),
  clicked: n().describe('people who clicked (each once)'),
  stage_moves: n().describe('attributed forward moves of the to-C stage'),
  purchases: n().describe('attributed new contracts'),
  renewals: n().describe('attributed renewal contracts'),
  payments: n().describe('attributed payments received'),
  referral_visits: n(),
  referrals: n(),
});
const Growth = z.object({ acquire: n(), activate: n(), retain: n(), convert: n(), referral: n() });
const ByStage = z.array(z.object({ stage: Stage, counts: Counts, growth: Growth })).describe("per to-C stage of the recipients' accounts when sent");
const Range = {
  from: z.iso.datetime({ offset: true }).optional().describe('campaigns that sent mail from (default: 90 days before `to`)'),
  to: z.iso.datetime({ offset: true }).optional().describe('… to (default: now)'),
};
const PeopleQuery = {
  metric: z.union([Metric, Action]).describe('a funnel number or a growth action'),
  stage: Stage.optional(),
  reason: z.enum(excludeReasons).optional().describe('excluded: only this reason'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
const People = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      metric: Metric,
      contactId: z.string().nullable().describe('null: a referred person (not a contact yet)'),
      name: z.string().nullable(),
      accountName: z.string().nullable().describe('a referred person: the company given'),
      campaignId: z.string().nullable(),
      campaignName: z.string().nullable(),
      stage: Stage,
      at: z.string().describe('when it happened (ISO)'),
      reason: z.enum(excludeReasons).nullable(),
      stageReached: z.string().nullable(),
      referredBy: z.string().nullable(),
    }),
  ),
});

export function measuresRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/outreach/campaigns/:id/measures',
      {
        schema: {
          tags,
          summary: "A campaign's funnel (planned → referrals), its growth actions, and both per to-C stage",
          description:
            'Stage moves, purchases, renewals and payments are attributed to the last mail to a person of the account at most attributionDays days before (docs/outreach.md, Measures).',
          params: IdParam,
          response: {
            200: z.object({
              campaign: z.object({ id: z.string(), name: z.string(), status: z.string(), sentAt: z.string().nullable() }),
              attributionDays: z.number().int(),
              totals: Counts,
              growth: Growth,
              byStage: ByStage,
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.campaignMeasures(db, staff(req), req.params.id),
    );
    app.get(
      '/api/outreach/campaigns/:id/measures/people',
      {
        schema: {
          tags,
          summary: "The people behind one of a campaign's numbers (newest first)",
          params: IdParam,
          querystring: z.strictObject(PeopleQuery),
          response: { 200: People, ...errors },
        },
      },
      async (req) => svc.measurePeople(db, staff(req), { ...req.query, scope: req.params.id }),
    );
    app.get(
      '/api/outreach/measures',
      {
        schema: {
          tags,
          summary: 'The five growth actions and the funnel per campaign and per to-C stage, for campaigns that sent mail in a period',
          querystring: z.strictObject(Range),
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              attributionDays: z.number().int(),
              totals: Counts,
              growth: Growth,
              campaigns: z.array(z.object({ id: z.string(), name: z.string(), sentAt: z.string().nullable(), counts: Counts, growth: Growth })),
              byStage: ByStage,
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.measuresOverview(db, staff(req), req.query),
    );
    app.get(
      '/api/outreach/measures/people',
      {
        schema: {
          tags,
          summary: 'The people behind one number of the period (a campaign, a stage, a metric or growth action)',
          querystring: z.strictObject({ ...PeopleQuery, ...Range, campaignId: z.uuid().optional() }),
          response: { 200: People, ...errors },
        },
      },
      async (req) => svc.measurePeople(db, staff(req), req.query),
    );
  };
}
