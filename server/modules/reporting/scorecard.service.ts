import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { forbidden, notFound, unwrap } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { dayOf } from '../../platform/time.js';
import { workspaceTimeZone } from '../people/index.js';
import { assessmentsOfAccounts, factsOfAccounts, metricsDomain } from '../relationships/index.js';
import { commerceDomain } from '../commerce/index.js';
import { businessCalendar } from '../service-desk/index.js';
import {
  kpiRoleOf,
  withDefaultRoles,
  measures,
  scorecard,
  validateWeights,
  type KpiRole,
  type KpiWeights,
  type Measure,
} from './scorecard.domain.js';
import * as repo from './scorecard.repo.js';
import type { EvidenceRow, Period } from './scorecard.repo.js';

export async function loadKpiSettings(db: Db, workspaceId: string) {
  const row = await repo.findKpiSettings(db, workspaceId);
  return { weights: withDefaultRoles(row?.weights), restrictPersonal: row?.restrictPersonal ?? false, version: row?.version ?? 0 };
}

export async function getKpiSettings(db: Db, actor: Actor) {
  assertCan(actor, 'kpi.read');
  return loadKpiSettings(db, actor.workspaceId);
}

export async function putKpiSettings(
  db: Db,
  actor: Actor,
  input: { weights: Record<string, Record<string, { weight: number; target: number }>>; restrictPersonal: boolean },
  expectedVersion?: number,
) {
  assertCan(actor, 'kpi.manage');
  const weights = unwrap(validateWeights(input.weights));
  // the trail names the workspace as the settings' id, so a stale save can say who saved last
  const entity = { type: 'kpi_settings', id: actor.workspaceId, noun: 'kpi_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await loadKpiSettings(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const version = await repo.saveKpiSettings(tx, actor.workspaceId, weights, input.restrictPersonal, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, {
      action: 'kpi.settings',
      entityType: 'kpi_settings',
      entityId: actor.workspaceId,
      before,
      after: { weights, restrictPersonal: input.restrictPersonal },
    });
    return { weights, restrictPersonal: input.restrictPersonal, version };
  });
}

/** Defaults to the current month (in the workspace's time zone); refuses a period that ends before it starts. */
export function periodOf(q: { from?: string; to?: string }, timeZone: string, now = new Date()): Period {
  const today = dayOf(now, timeZone);
  const from = q.from ?? `${today.slice(0, 7)}-01`;
  const to = q.to ?? today;
  return unwrap(metricsDomain.validatePeriod(from, to));
}

/** Which people's personal scorecards the actor may see (the workspace may restrict staff to their own teams). */
async function visiblePeople(db: Db, actor: StaffActor, f: { teamId?: string }) {
  const people = await repo.scoredPeople(db, actor.workspaceId, f);
  const { restrictPersonal, weights } = await loadKpiSettings(db, actor.workspaceId);
  if (!restrictPersonal || can(actor.role, 'kpi.read_all')) return { people, weights };
  const mine = await repo.teamsOfUser(db, actor.workspaceId, actor.userId);
  return { people: people.filter((p) => p.id === actor.userId || (p.team_ids ?? []).some((t) => mine.includes(t))), weights };
}

const upliftMetric: Partial<Record<Measure, metricsDomain.Metric>> = {
  closeness_uplift: 'closeness',
  solution_uplift: 'solution_acceptance',
  price_uplift: 'price_acceptance',
};

/** Fills in the numbers the SQL leaves to the domain: per-account uplifts and mastery, and what of each plan item was received. */
/** Rows by a key, in their order: one pass instead of a filter per key. */
function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

async function withDomainNumbers(db: Db, ws: string, measure: Measure, rows: EvidenceRow[], p: Period) {
  if (measure === 'collections_pct') {
    const rec = await repo.collectionsRecords(db, ws, [...new Set(rows.map((r) => r.account_id!))]);
    const byItem = new Map(commerceDomain.allocate(rec.items, rec.payments).map((a) => [a.id, a]));
    return rows.map((r) => {
      const a = byItem.get(r.id);
      const received = a ? a.receipts.filter((x) => x.on <= p.to).reduce((s, x) => s + x.amountMinor, 0) : 0;
      return { ...r, num: received / 100, den: (a?.amountMinor ?? 0) / 100 };
    });
  }
  if (measure !== 'relationship_uplift' && measure !== 'behaviour_mastery' && !upliftMetric[measure]) return rows;
  const accountIds = [...new Set(rows.map((r) => r.account_id!))];
  if (measure !== 'behaviour_mastery') {
    const all = groupBy(await assessmentsOfAccounts(db, ws, accountIds), (a) => a.accountId);
    const which = upliftMetric[measure] ? [upliftMetric[measure]!] : metricsDomain.metrics;
    return rows.map((r) => {
      const list = (all.get(r.account_id!) ?? []).map((a) => ({
        metric: a.metric as metricsDomain.Metric,
        score: a.score,
        assessedOn: a.assessedOn,
      }));
      const ups = which.map((m) => metricsDomain.uplift(list, m, p.from, p.to)).filter((x): x is number => x !== null);
      return { ...r, num: ups.length ? ups.reduce((s, x) => s + x, 0) : null };
    });
  }
  const facts = groupBy(await factsOfAccounts(db, ws, accountIds), (f) => f.accountId);
  return rows.map((r) => ({
    ...r,
    num: metricsDomain.mastery(
      (facts.get(r.account_id!) ?? []).map((f) => ({ aspect: f.aspect as metricsDomain.Aspect, learnedOn: f.learnedOn })),
      p.to,
    ).mastery,
  }));
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const sumOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
/**
 * The number a measure shows, from its rows (so the drill-down always adds up to it). `availableHours`: the hours
 * the workspace's business calendar offers in the period (utilisation's denominator).
 */
export function aggregate(measure: Measure, rows: EvidenceRow[], ctx: { availableHours?: number } = {}): number | null {
  const nums = rows.map((r) => r.num).filter((x): x is number => x !== null);
  switch (measure) {
    case 'tasks_on_time_pct':
    case 'quality_pct':
    case 'milestones_on_time_pct':
      return rows.length ? Math.round((100 * sumOf(nums)) / rows.length) : null;
    case 'ut_pct':
      return commerceDomain.utilisationPct(sumOf(nums), ctx.availableHours ?? 0);
    case 'collections_pct': {
      const den = sumOf(rows.map((r) => r.den ?? 0));
      return den > 0 ? Math.round((100 * sumOf(nums)) / den) : null;
    }
    case 'handling_hours':
      return nums.length ? round1(sumOf(nums) / nums.length) : null;
    case 'csat_avg':
      return nums.length ? Math.round((100 * sumOf(nums)) / nums.length) / 100 : null;
    case 'behaviour_mastery':
      return nums.length ? Math.round(sumOf(nums) / nums.length) : null;
    case 'relationship_uplift':
    case 'closeness_uplift':
    case 'solution_uplift':
    case 'price_uplift':
      return nums.length ? round1(sumOf(nums)) : null;
    case 'opps_amount_yuan':
    case 'opps_incubated_yuan':
    case 'service_sourced_won_yuan':
      return Math.round(sumOf(nums) * 100) / 100;
    default:
      return rows.length;
  }
}

/** The hours a person could have worked in the period: the workspace's business calendar (holidays and 调休 included). */
async function availableHoursOf(db: Db, ws: string, p: Period) {
  return commerceDomain.availableHours(await businessCalendar(db, ws), p.from, p.to);
}

function measuresOf(weights: KpiWeights): Measure[] {
  return [...new Set(Object.values(weights).flatMap((w) => Object.keys(w) as Measure[]))];
}

export async function leaderboard(db: Db, actor: Actor, q: { from?: string; to?: string; teamId?: string; role?: KpiRole }) {
  assertCan(actor, 'kpi.read');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const period = periodOf(q, timeZone);
  const { people, weights } = await visiblePeople(db, actor, { teamId: q.teamId });
  const scored = people.map((p) => ({ ...p, kpiRole: kpiRoleOf(p.role)! })).filter((p) => !q.role || p.kpiRole === q.role);
  const ids = scored.map((p) => p.id);
  const values = new Map<string, Partial<Record<Measure, number | null>>>();
  const availableHours = await availableHoursOf(db, actor.workspaceId, period);
  for (const m of measuresOf(weights)) {
    const rows = await withDomainNumbers(db, actor.workspaceId, m, await repo.evidence(db, actor.workspaceId, m, period, ids, timeZone), period);
    // each person's rows, grouped once (not every row scanned once per person)
    const byUser = groupBy(rows, (r) => r.user_id);
    for (const p of scored) {
      const v = values.get(p.id) ?? {};
      v[m] = aggregate(m, byUser.get(p.id) ?? [], { availableHours });
      values.set(p.id, v);
    }
  }
  const items = scored
    .map((p) => {
      const card = scorecard(p.kpiRole, values.get(p.id) ?? {}, weights);
      return { userId: p.id, name: p.name, role: p.role, kpiRole: p.kpiRole, teamIds: p.team_ids ?? [], total: card.total, lines: card.lines };
    })
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const teams = (await repo.teamNames(db, actor.workspaceId))
    .map((t) => {
      const members = items.filter((i) => i.teamIds.includes(t.id));
      return {
        teamId: t.id,
        name: t.name,
        members: members.length,
        average: members.length ? round1(members.reduce((s, m) => s + m.total, 0) / members.length) : null,
      };
    })
    .filter((t) => t.members > 0);
  return { period, items: items.map((i, n) => ({ rank: n + 1, ...i })), teams };
}

/** The records behind one number of one person's scorecard. */
export async function kpiEvidence(db: Db, actor: Actor, userId: string, measure: Measure, q: { from?: string; to?: string }) {
  assertCan(actor, 'kpi.read');
  if (!(measure in measures)) throw notFound('kpi.measure.noun');
  const timeZone = await workspaceTimeZone(db, actor.workspaceId);
  const period = periodOf(q, timeZone);
  const all = await repo.scoredPeople(db, actor.workspaceId, {});
  if (!all.some((p) => p.id === userId)) throw notFound('kpi.person.noun');
  const { people } = await visiblePeople(db, actor, {});
  if (!people.some((p) => p.id === userId)) throw forbidden();
  const rows = await withDomainNumbers(
    db,
    actor.workspaceId,
    measure,
    await repo.evidence(db, actor.workspaceId, measure, period, [userId], timeZone),
    period,
  );
  const availableHours = measure === 'ut_pct' ? await availableHoursOf(db, actor.workspaceId, period) : undefined;
  return {
    period,
    measure,
    value: aggregate(measure, rows, { availableHours }),
    availableHours: availableHours ?? null,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      label: r.label,
      accountId: r.account_id,
      accountName: r.account_name,
      at: r.at,
      num: r.num,
      den: r.den ?? null,
    })),
  };
}
