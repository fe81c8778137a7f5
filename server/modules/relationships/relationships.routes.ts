import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, staff } from '../../platform/http.js';
import { aspects, behaviourSources, metrics } from './metrics.domain.js';
import * as svc from './relationships.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const AssessmentBody = z.strictObject({
  metric: z.enum(metrics),
  score: z.number().int().min(1).max(5),
  evidence: z.string().trim().min(1).max(2000),
  assessedOn: Day.optional(),
  sourceKind: z.enum(['manual', 'meeting', 'visit', 'portal']).optional(),
  sourceId: z.uuid().nullable().optional(),
});
export const FactBody = z.strictObject({
  aspect: z.enum(aspects),
  content: z.string().trim().min(1).max(2000),
  source: z.enum(behaviourSources),
  learnedOn: Day.optional(),
});

const Assessment = z.object({
  id: z.string(),
  metric: z.string(),
  score: z.number(),
  evidence: z.string(),
  assessedOn: z.string(),
  assessorId: z.string(),
  assessorName: z.string(),
  sourceKind: z.string(),
  sourceId: z.string().nullable(),
  createdAt: z.date(),
});
const Score = z.number().nullable();
const Metrics = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(Assessment),
  trend: z.array(z.object({ month: z.string(), closeness: Score, solution_acceptance: Score, price_acceptance: Score })),
  uplift: z.object({ closeness: Score, solution_acceptance: Score, price_acceptance: Score }),
});
const Fact = z.object({
  id: z.string(),
  aspect: z.string(),
  content: z.string(),
  source: z.string(),
  learnedOn: z.string(),
  recordedById: z.string(),
  recordedByName: z.string(),
  createdAt: z.date(),
});
const Behaviour = z.object({
  facts: z.array(Fact),
  aspects: z.array(z.object({ aspect: z.string(), freshness: z.number(), latest: Fact.nullable() })),
  mastery: z.number(),
  completeness: z.number(),
  change90d: z.number(),
});

export function relationshipsRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['relationships'];
    app.get(
      '/api/accounts/:id/relationship-metrics',
      {
        schema: {
          tags,
          summary: 'Closeness, solution and price acceptance: assessments, monthly trend, uplift over a period',
          params: IdParam,
          querystring: z.strictObject({ from: Day.optional(), to: Day.optional() }),
          response: { 200: Metrics, ...errors },
        },
      },
      async (req) => svc.getMetrics(db, staff(req), req.params.id, req.query),
    );
    app.post(
      '/api/accounts/:id/relationship-assessments',
      {
        schema: {
          tags,
          summary: 'Record an assessment (1–5) with its evidence; recomputes health',
          params: IdParam,
          body: AssessmentBody,
          response: { 201: Assessment.omit({ assessorName: true }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createAssessment(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/accounts/:id/behaviour',
      {
        schema: {
          tags,
          summary: 'Behaviour-pattern profile with mastery (completeness × freshness) and its change over 90 days',
          params: IdParam,
          response: { 200: Behaviour, ...errors },
        },
      },
      async (req) => svc.getBehaviour(db, staff(req), req.params.id),
    );
    app.post(
      '/api/accounts/:id/behaviour-facts',
      {
        schema: {
          tags,
          summary: 'Record what was learned about budget cycle, decision process, procurement habits or key persons',
          params: IdParam,
          body: FactBody,
          response: { 201: Fact.omit({ recordedByName: true }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.addBehaviourFact(db, staff(req), req.params.id, req.body)),
    );
  };
}
