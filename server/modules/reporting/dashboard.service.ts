import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import * as repo from './dashboard.repo.js';
import { charts, type Chart } from './dashboard.repo.js';
import { workspaceTimeZone } from '../people/index.js';
import { leaderboard, periodOf } from './scorecard.service.js';

export type DashboardQuery = { teamId?: string; industry?: string; from?: string; to?: string };

export async function getDashboard(db: Db, actor: Actor, q: DashboardQuery) {
  assertCan(actor, 'dashboards.read');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const period = periodOf(q, timeZone);
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
