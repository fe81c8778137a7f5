import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { readDb } from '../../platform/reads.js';
import { ErrorReply, IdParam, PreconditionReplies, QueryBool, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import { charts } from './dashboard.repo.js';
import * as dash from './dashboard.service.js';
import * as io from './input-output.service.js';
import { kpiRoles, measures } from './scorecard.domain.js';
import * as cards from './scorecard.service.js';
import { searchKinds } from './search.repo.js';
import * as find from './search.service.js';
import * as renewals from './renewals.service.js';
import { timelineKinds } from './timeline.repo.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Words = z.object({ 'zh-CN': z.string(), en: z.string() });
const Period = { from: Day.optional(), to: Day.optional() };
const measureNames = Object.keys(measures) as [keyof typeof measures, ...(keyof typeof measures)[]];
const KpiWeightsBody = z.record(z.string(), z.record(z.string(), z.strictObject({ weight: z.number(), target: z.number() })));
const Line = z.object({
  measure: z.string(),
  kind: z.string(),
  value: z.number().nullable(),
  target: z.number(),
  weight: z.number(),
  score: z.number(),
  points: z.number(),
});
const PeriodOut = z.object({ from: z.string(), to: z.string() });
const Point = z.object({ key: z.string(), n: z.number(), amount: z.number(), days: z.number().nullable() });
const IoItem = z.object({
  accountId: z.string(),
  accountName: z.string(),
  tier: z.string(),
  spendMinor: z.number(),
  capturedMinor: z.number(),
  incubatedMinor: z.number(),
  wonMinor: z.number(),
  multiple: z.number().nullable(),
  /** sum of the three relationship metrics' uplift over the fiscal year (1–5 scale points); null without assessments */
  relationshipUplift: z.number().nullable(),
  rank: z.number(),
  flagged: z.boolean(),
  reason: z.string().nullable(),
});
const SearchKind = z.enum(searchKinds);
const TimelineKind = z.enum(timelineKinds);
const SearchHit = z.object({
  kind: SearchKind,
  id: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  status: z.string().nullable(),
  accountId: z.string(),
  accountName: z.string(),
  at: z.string().nullable(),
  number: z.number().nullable(),
  link: z.string(),
});
const TimelineItem = z.object({
  kind: TimelineKind,
  id: z.string(),
  at: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  status: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  amountMinor: z.number().nullable(),
  value: z.number().nullable(),
  number: z.number().nullable(),
  link: z.string(),
});
/** a query value given once or repeated (`kind=a&kind=b`) as a list */
const listOf = <T>(v: T | T[] | undefined): T[] | undefined => (v == null ? undefined : Array.isArray(v) ? v : [v]);
const DashQuery = z.strictObject({ ...Period, teamId: z.uuid().optional(), industry: z.string().max(100).optional() });

/** KPI settings and scorecards, the manager's dashboards (same paths as when they were kpi's) and value-add's input vs output ranking (same path as when it was value-add's). */
// what the settings answer: weight and target per measure per role (the web's settings page reads them)
const KpiSettingsOut = z.object({
  weights: z.record(z.string(), z.record(z.string(), z.object({ weight: z.number(), target: z.number() }))),
  restrictPersonal: z.boolean(),
  version: SettingsVersion,
});

export function reportingRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/renewals',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['commerce'],
          summary: 'The renewal board: contracts ending within 30 / 60 / 90 days with health, open tickets and the renewal opportunity beside each',
          querystring: z.strictObject({ within: z.coerce.number().int().min(1).max(365).optional() }),
          response: {
            200: z.object({
              today: z.string(),
              items: z.array(
                z.object({
                  contractId: z.string(),
                  number: z.string(),
                  title: z.string(),
                  endsOn: z.string(),
                  daysLeft: z.number(),
                  bucket: z.union([z.literal(30), z.literal(60), z.literal(90)]),
                  amountMinor: z.number(),
                  accountId: z.string(),
                  accountName: z.string(),
                  tier: z.string(),
                  stage: z.string(),
                  health: z.object({ score: z.number(), band: z.string() }).nullable(),
                  openTickets: z.number(),
                  opportunity: z.object({ id: z.string(), stage: z.string(), amountMinor: z.number() }).nullable(),
                  suggestStage: z.boolean().describe('the account is not in 续约期 yet: the board suggests the move'),
                  reason: z.string().nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => renewals.renewalBoard(readDb(req), staff(req), req.query),
    );
    const tags = ['health', 'kpi'];
    app.get(
      '/api/kpi/settings',
      {
        schema: {
          tags,
          summary: 'KPI weights and targets per role; whether personal scorecards are restricted to one’s teams',
          response: { 200: KpiSettingsOut, ...errors },
        },
      },
      async (req) => cards.getKpiSettings(db, staff(req)),
    );
    app.put(
      '/api/kpi/settings',
      {
        schema: {
          tags,
          summary: 'Set KPI weights (each role adds up to 100) and targets',
          description: 'Send the ETag of the settings read as If-Match (or its version in the body): 412 if someone saved them since.',
          body: z.strictObject({ weights: KpiWeightsBody, restrictPersonal: z.boolean(), version: SettingsVersionIn }),
          response: { 200: KpiSettingsOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return cards.putKpiSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );
    app.get(
      '/api/kpi/scorecards',
      {
        config: { reads: 'replica' },
        schema: {
          tags,
          summary: 'Scorecards per person and team for a period: the leaderboard',
          querystring: z.strictObject({ ...Period, teamId: z.uuid().optional(), role: z.enum(kpiRoles).optional() }),
          response: {
            200: z.object({
              period: PeriodOut,
              items: z.array(
                z.object({
                  rank: z.number(),
                  userId: z.string(),
                  name: z.string(),
                  role: z.string(),
                  kpiRole: z.string(),
                  teamIds: z.array(z.string()),
                  total: z.number(),
                  lines: z.array(Line),
                }),
              ),
              teams: z.array(z.object({ teamId: z.string(), name: z.string(), members: z.number(), average: z.number().nullable() })),
            }),
            ...errors,
          },
        },
      },
      async (req) => cards.leaderboard(readDb(req), staff(req), req.query),
    );
    app.get(
      '/api/kpi/scorecards/:id/evidence',
      {
        config: { reads: 'replica' },
        schema: {
          tags,
          summary: 'The records behind one number of a person’s scorecard',
          params: IdParam,
          querystring: z.strictObject({ ...Period, measure: z.enum(measureNames) }),
          response: {
            200: z.object({
              period: PeriodOut,
              measure: z.string(),
              value: z.number().nullable(),
              availableHours: z.number().nullable().describe('utilisation: the hours the business calendar offers in the period'),
              items: z.array(
                z.object({
                  id: z.string(),
                  kind: z.string(),
                  label: z.string(),
                  accountId: z.string().nullable(),
                  accountName: z.string().nullable(),
                  at: z.string().nullable(),
                  num: z.number().nullable(),
                  den: z.number().nullable().describe('for a rate over amounts: the amount it is of (num is the part received)'),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => cards.kpiEvidence(readDb(req), staff(req), req.params.id, req.query.measure, req.query),
    );

    app.get(
      '/api/dashboards',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['dashboards'],
          summary:
            'Manager dashboards: tiers and movement, stage funnel, at-risk, budget, service-sourced pipeline, SLA, collections and aging, renewals, utilisation, KPI leaderboard',
          querystring: DashQuery.extend({ fresh: QueryBool.optional() }),
          response: {
            200: z.object({
              /** when this snapshot was taken: it is shared for up to a minute, and `fresh=true` takes a new one */
              asOf: z.date(),
              period: PeriodOut,
              charts: z.record(z.string(), z.array(Point)),
              pipeline: z.object({
                count: z.number(),
                amountMinor: z.number(),
                won: z.number(),
                wonAmountMinor: z.number(),
                conversionPct: z.number().nullable(),
              }),
              sla: z.object({ met: z.number(), breached: z.number(), pct: z.number().nullable() }),
              budget: z.object({
                budgetMinor: z.number(),
                committedMinor: z.number(),
                remainingMinor: z.number(),
                accounts: z.number(),
                outputMinor: z.number(),
              }),
              collections: z.object({ dueMinor: z.number(), receivedMinor: z.number(), overdueMinor: z.number() }),
              utilisation: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string(), pct: z.number().nullable() })),
              atRisk: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  tier: z.string(),
                  score: z.number(),
                  band: z.string(),
                  trend: z.string(),
                  reasons: z.array(Words),
                }),
              ),
              leaderboard: z.array(z.object({ rank: z.number(), userId: z.string(), name: z.string(), role: z.string(), total: z.number() })),
              industries: z.array(z.string()),
            }),
            ...errors,
          },
        },
      },
      async (req) => {
        const { fresh, ...q } = req.query;
        return dash.getDashboard(readDb(req), staff(req), q, { fresh });
      },
    );
    app.get(
      '/api/dashboards/records',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['dashboards'],
          summary: 'The records behind one chart element',
          querystring: DashQuery.extend({ chart: z.enum(charts), key: z.string().min(1).max(50) }),
          response: {
            200: z.object({
              chart: z.string(),
              key: z.string(),
              period: PeriodOut,
              items: z.array(
                z.object({
                  id: z.string(),
                  kind: z.string(),
                  label: z.string(),
                  accountId: z.string(),
                  accountName: z.string(),
                  amountMinor: z.number().nullable(),
                  days: z.number().nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => {
        const { chart, key, ...q } = req.query;
        return dash.getChartRecords(readDb(req), staff(req), chart, key, q);
      },
    );
    app.get(
      '/api/search',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['search'],
          summary:
            'Global search over accounts, contacts, tickets, opportunities and meetings the caller may see: 3+ characters match any substring, 1–2 characters a prefix (accounts any substring); a ticket by its number',
          querystring: z.strictObject({
            q: z.string().trim().min(1).max(100),
            kind: z.union([SearchKind, z.array(SearchKind).max(searchKinds.length)]).optional(),
            limit: z.coerce.number().int().min(1).max(20).optional(),
            /** the search page's paging (one kind at a time): hits from this one on */
            offset: z.coerce.number().int().min(0).max(10_000).optional(),
          }),
          response: {
            200: z.object({
              q: z.string(),
              offset: z.number(),
              limit: z.number(),
              mode: z.enum(['substring', 'prefix']),
              groups: z.array(z.object({ kind: SearchKind, more: z.boolean(), items: z.array(SearchHit) })),
            }),
            ...errors,
          },
        },
      },
      async (req) =>
        find.globalSearch(readDb(req), staff(req), {
          q: req.query.q,
          kinds: listOf(req.query.kind),
          limit: req.query.limit,
          offset: req.query.offset,
        }),
    );
    app.get(
      '/api/accounts/:id/timeline',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['accounts'],
          summary:
            'Everything that happened to an account in one stream, newest first: tickets, meetings, bookings, opportunity moves, portal activity, stage / tier / ladder changes, value actuals',
          params: IdParam,
          querystring: z.strictObject({
            kind: z.union([TimelineKind, z.array(TimelineKind).max(timelineKinds.length)]).optional(),
            offset: z.coerce.number().int().min(0).max(10_000).optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
          }),
          response: {
            200: z.object({ items: z.array(TimelineItem), offset: z.number(), limit: z.number(), hasMore: z.boolean() }),
            ...errors,
          },
        },
      },
      async (req) =>
        find.accountTimeline(readDb(req), staff(req), req.params.id, {
          kinds: listOf(req.query.kind),
          offset: req.query.offset,
          limit: req.query.limit,
        }),
    );
    app.get(
      '/api/value-add/input-output',
      {
        config: { reads: 'replica' },
        schema: {
          tags: ['value-add'],
          summary: 'Input vs output per account: spend against opportunity output, ranked, high-spend-low-output flagged',
          querystring: z.strictObject({ fiscalYear: z.coerce.number().int().min(2000).max(2100).optional() }),
          response: {
            200: z.object({
              fiscalYear: z.number(),
              items: z.array(IoItem),
              totals: z.object({ spendMinor: z.number(), capturedMinor: z.number(), wonMinor: z.number(), flagged: z.number() }),
            }),
            ...errors,
          },
        },
      },
      async (req) => io.getInputOutput(readDb(req), staff(req), req.query),
    );
  };
}
