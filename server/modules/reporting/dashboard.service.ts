import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { can } from '../../platform/permissions.js';
import { subscribeAllLive } from '../../platform/live.js';
import { snapshotCache } from '../../platform/snapshots.js';
import * as repo from './dashboard.repo.js';
import { charts, type Chart } from './dashboard.repo.js';
import { workspaceTimeZone } from '../people/index.js';
import { leaderboard, periodOf } from './scorecard.service.js';

export type DashboardQuery = { teamId?: string; industry?: string; from?: string; to?: string };

/**
 * How old a dashboard may be when it is shown again: it says when it was taken, its refresh takes a new one, and the
 * console asks for a new one after the person changed something (web/src/app/kpi/api.ts). ~40 statements and ~25 ms
 * of server CPU each: under load a fifth of the console's server CPU came from them.
 */
export const DASHBOARD_MAX_AGE_MS = 60_000;
const snapshots = snapshotCache<Awaited<ReturnType<typeof computeDashboard>>>({ maxAgeMs: DASHBOARD_MAX_AGE_MS });
subscribeAllLive((m) => {
  if (m.topic === 'workspace') snapshots.forget(`${m.workspaceId}|`);
});

/** The dashboards, as a snapshot of at most DASHBOARD_MAX_AGE_MS shared by the workspace's leads on this instance (`asOf`); `fresh` takes a new one. */
export async function getDashboard(db: Db, actor: Actor, q: DashboardQuery, o: { fresh?: boolean } = {}) {
  assertCan(actor, 'dashboards.read');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const period = periodOf(q, timeZone);
  // what the snapshot depends on: the filters as resolved, and whose scorecards the leaderboard may show
  const sees = can(actor.role, 'kpi.read_all') ? 'all' : actor.userId;
  const key = [actor.workspaceId, timeZone, period.from, period.to, q.teamId ?? '', q.industry ?? '', sees].join('|');
  const snap = await snapshots.get(key, () => computeDashboard(db, actor, q, timeZone, period), { fresh: o.fresh });
  return { ...snap.value, asOf: snap.at };
}

async function computeDashboard(db: Db, actor: Actor, q: DashboardQuery, timeZone: string, period: ReturnType<typeof periodOf>) {
  const f = { workspaceId: actor.workspaceId, timeZone, teamId: q.teamId, industry: q.industry, ...period };
  // independent reads on the pool (never a transaction here): side by side, not ~30 queries one after another
  const [counts, budget, collections, board, atRisk, industries] = await Promise.all([
    Promise.all(charts.map((c) => repo.chartCounts(db, c, f))),
    repo.budgetTotals(db, f),
    repo.collectionsTotals(db, f),
    leaderboard(db, actor, { ...period, teamId: q.teamId }),
    repo.atRisk(db, f),
    repo.industries(db, actor.workspaceId),
  ]);
  const out = Object.fromEntries(charts.map((c, i) => [c, counts[i]])) as Record<Chart, repo.ChartPoint[]>;
  const won = out.pipeline.find((p) => p.key === 'won');
  const captured = out.pipeline.reduce((s, p) => s + p.n, 0);
  const met = out.sla.find((p) => p.key === 'met')?.n ?? 0;
  const breached = out.sla.find((p) => p.key === 'breached')?.n ?? 0;
  return {
    period,
    charts: out,
    pipeline: {
      count: captured,
      amountMinor: out.pipeline.reduce((s, p) => s + p.amount, 0),
      won: won?.n ?? 0,
      wonAmountMinor: won?.amount ?? 0,
      conversionPct: captured ? Math.round((100 * (won?.n ?? 0)) / captured) : null,
    },
    sla: { met, breached, pct: met + breached ? Math.round((100 * met) / (met + breached)) : null },
    budget: { ...budget, outputMinor: won?.amount ?? 0 },
    collections,
    // utilisation (UT) of everyone scored on it: booked hours over the hours the business calendar offers in the period
    utilisation: board.items
      .map((i) => ({ userId: i.userId, name: i.name, role: i.role, pct: i.lines.find((l) => l.measure === 'ut_pct')?.value ?? null }))
      .filter((u) => u.pct !== null),
    atRisk,
    leaderboard: board.items.slice(0, 10).map((i) => ({ rank: i.rank, userId: i.userId, name: i.name, role: i.role, total: i.total })),
    industries,
  };
}

export async function getChartRecords(db: Db, actor: Actor, chart: Chart, key: string, q: DashboardQuery) {
  assertCan(actor, 'dashboards.read');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const period = periodOf(q, timeZone);
  const rows = await repo.chartRecords(db, chart, key, {
    workspaceId: actor.workspaceId,
    timeZone,
    teamId: q.teamId,
    industry: q.industry,
    ...period,
  });
  return {
    chart,
    key,
    period,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: r.label,
      accountId: r.account_id,
      accountName: r.account_name,
      amountMinor: r.amount === null ? null : Number(r.amount),
      days: r.days,
    })),
  };
}
