import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { dayOf } from '../../platform/time.js';
import { workspaceTimeZone } from '../people/index.js';
import { assessmentsOfAccounts, metricsDomain } from '../relationships/index.js';
import { rankInputOutput, type IoRow } from '../value-add/index.js';
import * as repo from './input-output.repo.js';

export async function getInputOutput(db: Db, actor: Actor, q: { fiscalYear?: number }) {
  assertCan(actor, 'value_add.read');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const fiscalYear = q.fiscalYear ?? Number(dayOf(new Date(), timeZone).slice(0, 4));
  const rows = await repo.inputOutputRows(db, actor.workspaceId, fiscalYear, actor, timeZone);
  const meta = new Map(rows.map((r) => [r.id, r]));
  const io: IoRow[] = rows.map((r) => ({
    accountId: r.id,
    spendMinor: Number(r.spend),
    capturedMinor: Number(r.captured),
    incubatedMinor: Number(r.incubated),
    wonMinor: Number(r.won),
  }));
  const ranked = rankInputOutput(io, actor.locale);
  // output also counts the uplift of the three relationship metrics over the fiscal year (SPEC §3)
  const assessments = await assessmentsOfAccounts(
    db,
    actor.workspaceId,
    rows.map((r) => r.id),
  );
  const from = `${fiscalYear}-01-01`;
  const to = `${fiscalYear}-12-31`;
  // grouped once: filtering the whole list per account was quadratic (10,000 accounts × 42,000 assessments ≈ 6–11 s)
  const byAccount = new Map<string, { accountId: string; metric: metricsDomain.Metric; score: number; assessedOn: string }[]>();
  for (const a of assessments) {
    const list = byAccount.get(a.accountId) ?? [];
    list.push({ ...a, metric: a.metric as metricsDomain.Metric });
    byAccount.set(a.accountId, list);
  }
  const upliftOf = (accountId: string) => {
    const list = byAccount.get(accountId) ?? [];
    const ups = metricsDomain.metrics.map((m) => metricsDomain.uplift(list, m, from, to)).filter((u): u is number => u !== null);
    return ups.length ? ups.reduce((sum, u) => sum + u, 0) : null;
  };
  return {
    fiscalYear,
    items: ranked.map((r) => ({
      ...r,
      accountName: meta.get(r.accountId)!.name,
      tier: meta.get(r.accountId)!.tier,
      relationshipUplift: upliftOf(r.accountId),
    })),
    totals: {
      spendMinor: io.reduce((s, r) => s + r.spendMinor, 0),
      capturedMinor: io.reduce((s, r) => s + r.capturedMinor, 0),
      wonMinor: io.reduce((s, r) => s + r.wonMinor, 0),
      flagged: ranked.filter((r) => r.flagged).length,
    },
  };
}
