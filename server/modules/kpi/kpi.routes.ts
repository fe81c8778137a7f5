import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, staff } from '../../platform/http.js';
import { charts } from './dashboard.repo.js';
import * as dash from './dashboard.service.js';
import * as health from './health.service.js';
import { kpiRoles, measures } from './scorecard.domain.js';
import * as cards from './scorecard.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Words = z.object({ 'zh-CN': z.string(), en: z.string() });
const Period = { from: Day.optional(), to: Day.optional() };
const measureNames = Object.keys(measures) as [keyof typeof measures, ...(keyof typeof measures)[]];

const Health = z.object({ accountId: z.string(), score: z.number(), band: z.string(), trend: z.string(), groups: z.record(z.string(), z.number().nullable()), reasons: z.array(Words), computedAt: z.date() });
const FollowUp = z.object({ id: z.string(), accountId: z.string(), ownerId: z.string().nullable(), reason: z.string(), detail: z.array(Words), score: z.number(), status: z.string(), createdAt: z.date(), closedAt: z.date().nullable() });
export const HealthModelBody = z.strictObject({
  scope: z.string().regex(/^(workspace|tier:[A-E]|stage:(handover|startup|adaptation|renewal|churn))$/, 'workspace, tier:A…E or stage:<stage>'),
  weights: z.record(z.string(), z.number()),
  amberBelow: z.number().int(),
  redBelow: z.number().int(),
});
const ModelOut = z.object({ scope: z.string(), weights: z.record(z.string(), z.number()), amberBelow: z.number(), redBelow: z.number() });
const KpiWeightsBody = z.record(z.string(), z.record(z.string(), z.strictObject({ weight: z.number(), target: z.number() })));
// what the settings answer: weight and target per measure per role (the web's settings page reads them)
const KpiSettingsOut = z.object({ weights: z.record(z.string(), z.record(z.string(), z.object({ weight: z.number(), target: z.number() }))), restrictPersonal: z.boolean() });
const Line = z.object({ measure: z.string(), kind: z.string(), value: z.number().nullable(), target: z.number(), weight: z.number(), score: z.number(), points: z.number() });
const PeriodOut = z.object({ from: z.string(), to: z.string() });
const Point = z.object({ key: z.string(), n: z.number(), amount: z.number(), days: z.number().nullable() });
const DashQuery = z.strictObject({ ...Period, teamId: z.uuid().optional(), industry: z.string().max(100).optional() });

export function kpiRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['health', 'kpi'];
    app.get('/api/accounts/:id/health', { schema: { tags, summary: 'Account health: score, colour band, trend arrow, reasons, history and follow-ups', params: IdParam, response: { 200: z.object({ current: Health.extend({ workspaceId: z.string() }).nullable(), history: z.array(z.object({ score: z.number(), band: z.string(), cause: z.string(), computedAt: z.date() })), followUps: z.array(FollowUp.extend({ workspaceId: z.string(), closedById: z.string().nullable() })) }), ...errors } } }, async (req) => health.getAccountHealth(db, staff(req), req.params.id));
    app.post('/api/accounts/:id/health/recompute', { schema: { tags, summary: 'Recompute this account’s health now', params: IdParam, response: { 200: z.any(), ...errors } } }, async (req) => health.recomputeAccountHealth(db, staff(req), req.params.id));
    app.get('/api/health/models', { schema: { tags, summary: 'Health weights: the default and the workspace’s (per tier or stage)', response: { 200: z.object({ default: ModelOut.omit({ scope: true }), models: z.array(ModelOut) }), ...errors } } }, async (req) => health.getHealthModels(db, staff(req)));
    app.put('/api/health/models', { schema: { tags, summary: 'Set health weights (five groups adding up to 100) and colour bands for the workspace, a tier or a stage', body: HealthModelBody, response: { 200: ModelOut, ...errors } } }, async (req) => health.putHealthModel(db, staff(req), req.body));
    app.get('/api/follow-ups', { schema: { tags, summary: 'Follow-up tasks raised by health', querystring: z.strictObject({ mine: z.enum(['true', 'false']).optional(), status: z.enum(['open', 'done']).optional() }), response: { 200: z.object({ items: z.array(z.any()) }), ...errors } } }, async (req) => ({ items: await health.listFollowUps(db, staff(req), { mine: req.query.mine === 'true', status: req.query.status }) }));
    app.post('/api/follow-ups/:id/done', { schema: { tags, summary: 'Close a follow-up', params: IdParam, response: { 200: z.any(), ...errors } } }, async (req) => health.closeFollowUp(db, staff(req), req.params.id));

    app.get('/api/kpi/settings', { schema: { tags, summary: 'KPI weights and targets per role; whether personal scorecards are restricted to one’s teams', response: { 200: KpiSettingsOut, ...errors } } }, async (req) => cards.getKpiSettings(db, staff(req)));
    app.put('/api/kpi/settings', { schema: { tags, summary: 'Set KPI weights (each role adds up to 100) and targets', body: z.strictObject({ weights: KpiWeightsBody, restrictPersonal: z.boolean() }), response: { 200: KpiSettingsOut, ...errors } } }, async (req) => cards.putKpiSettings(db, staff(req), req.body));
    app.get('/api/kpi/scorecards', { schema: { tags, summary: 'Scorecards per person and team for a period: the leaderboard', querystring: z.strictObject({ ...Period, teamId: z.uuid().optional(), role: z.enum(kpiRoles).optional() }), response: { 200: z.object({ period: PeriodOut, items: z.array(z.object({ rank: z.number(), userId: z.string(), name: z.string(), role: z.string(), kpiRole: z.string(), teamIds: z.array(z.string()), total: z.number(), lines: z.array(Line) })), teams: z.array(z.object({ teamId: z.string(), name: z.string(), members: z.number(), average: z.number().nullable() })) }), ...errors } } }, async (req) => cards.leaderboard(db, staff(req), req.query));
    app.get('/api/kpi/scorecards/:id/evidence', { schema: { tags, summary: 'The records behind one number of a person’s scorecard', params: IdParam, querystring: z.strictObject({ ...Period, measure: z.enum(measureNames) }), response: { 200: z.object({ period: PeriodOut, measure: z.string(), value: z.number().nullable(), items: z.array(z.object({ id: z.string(), kind: z.string(), label: z.string(), accountId: z.string().nullable(), accountName: z.string().nullable(), at: z.string().nullable(), num: z.number().nullable() })) }), ...errors } } }, async (req) => cards.kpiEvidence(db, staff(req), req.params.id, req.query.measure, req.query));

    app.get('/api/dashboards', { schema: { tags: ['dashboards'], summary: 'Manager dashboards: tiers and movement, stage funnel, at-risk, budget, service-sourced pipeline, SLA, KPI leaderboard', querystring: DashQuery, response: { 200: z.object({ period: PeriodOut, charts: z.record(z.string(), z.array(Point)), pipeline: z.object({ count: z.number(), amountMinor: z.number(), won: z.number(), wonAmountMinor: z.number(), conversionPct: z.number().nullable() }), sla: z.object({ met: z.number(), breached: z.number(), pct: z.number().nullable() }), budget: z.object({ budgetMinor: z.number(), committedMinor: z.number(), remainingMinor: z.number(), accounts: z.number(), outputMinor: z.number() }), atRisk: z.array(z.object({ id: z.string(), name: z.string(), tier: z.string(), score: z.number(), band: z.string(), trend: z.string(), reasons: z.array(Words) })), leaderboard: z.array(z.object({ rank: z.number(), userId: z.string(), name: z.string(), role: z.string(), total: z.number() })), industries: z.array(z.string()) }), ...errors } } }, async (req) => dash.getDashboard(db, staff(req), req.query));
    app.get('/api/dashboards/records', { schema: { tags: ['dashboards'], summary: 'The records behind one chart element', querystring: DashQuery.extend({ chart: z.enum(charts), key: z.string().min(1).max(50) }), response: { 200: z.object({ chart: z.string(), key: z.string(), period: PeriodOut, items: z.array(z.object({ id: z.string(), kind: z.string(), label: z.string(), accountId: z.string(), accountName: z.string(), amountMinor: z.number().nullable(), days: z.number().nullable() })) }), ...errors } } }, async (req) => {
      const { chart, key, ...q } = req.query;
      return dash.getChartRecords(db, staff(req), chart, key, q);
    });
  };
}
