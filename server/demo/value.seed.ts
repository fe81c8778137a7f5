/**
 * The demo's business value picture (SPEC §7, seed 001): four A/C accounts — the one whose key persons
 * log in to the portal first — each with three indicators chosen with the customer, a baseline seven
 * months ago, a target, the customer's own parameter values and monthly actuals moving toward the
 * target. Goes through the services, so every figure is what the product computes.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { KEY_TIERS } from '../modules/accounts/index.js';
import { addItem, ensureLibrary, recordActual } from '../modules/value/index.js';

type Pick = { key: string; baseline: number; target: number; params?: Record<string, number>; decimals: number };

const PROJECTS: { months: number; pace: number; picks: Pick[] }[] = [
  {
    months: 6,
    pace: 1.05,
    picks: [
      { key: 'onsite_visits', baseline: 120, target: 80, params: { visit_cost: 380 }, decimals: 0 },
      { key: 'first_time_fix_rate', baseline: 72.5, target: 85, params: { monthly_orders: 900, revisit_cost: 420 }, decimals: 1 },
      { key: 'mttr_hours', baseline: 6.5, target: 4.5, params: { monthly_orders: 900, downtime_cost_per_hour: 260 }, decimals: 1 },
    ],
  },
  {
    months: 6,
    pace: 0.8,
    picks: [
      { key: 'remote_resolution_rate', baseline: 18, target: 35, params: { monthly_orders: 650, visit_cost: 320 }, decimals: 1 },
      { key: 'complaints', baseline: 30, target: 15, params: { complaint_cost: 900 }, decimals: 0 },
      { key: 'settlement_days', baseline: 45, target: 30, params: { monthly_billing: 1_800_000 }, decimals: 0 },
    ],
  },
  {
    months: 5,
    pace: 0.9,
    picks: [
      { key: 'self_service_rate', baseline: 12, target: 30, params: { monthly_requests: 3200 }, decimals: 1 },
      { key: 'parts_lead_days', baseline: 3.5, target: 2, params: { monthly_parts_orders: 420 }, decimals: 1 },
      { key: 'csat', baseline: 4.1, target: 4.6, params: { active_customers: 350, monthly_spend: 2600 }, decimals: 2 },
    ],
  },
  {
    months: 2,
    pace: 0.5,
    picks: [
      { key: 'auto_dispatch_rate', baseline: 20, target: 60, decimals: 0 },
      { key: 'repeat_fault_rate', baseline: 8, target: 5, params: { monthly_orders: 500 }, decimals: 1 },
      { key: 'contract_renewal_rate', baseline: 70, target: 90, params: { contracts_due: 24, avg_contract_value: 96_000 }, decimals: 0 },
    ],
  },
];

const month = (d: Date, back: number) => {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));
  return `${x.getUTCFullYear()}-${String(x.getUTCMonth() + 1).padStart(2, '0')}`;
};

export async function seedValue(tx: Db, o: { workspaceId: string; staff: StaffActor[]; now: number; portalAccountIds: string[] }) {
  await ensureLibrary(tx, o.workspaceId);
  const manager = o.staff.find((s) => s.role === 'manager')!;
  const byId = new Map(o.staff.map((s) => [s.userId, s]));
  const rows = await queryRows<{ id: string; tier: string; csm_id: string | null }>(
    tx,
    sql`select id, tier, csm_id from accounts where workspace_id = ${o.workspaceId} and tier in (${sql.join(
      KEY_TIERS.map((t) => sql`${t}`),
      sql`, `,
    )}) order by revenue_target_minor desc, name`,
  );
  const ordered = [...rows.filter((r) => o.portalAccountIds.includes(r.id)), ...rows.filter((r) => !o.portalAccountIds.includes(r.id))].slice(
    0,
    PROJECTS.length,
  );
  const indicators = new Map(
    (await queryRows<{ id: string; key: string }>(tx, sql`select id, key from value_indicators where workspace_id = ${o.workspaceId}`)).map((r) => [
      r.key,
      r.id,
    ]),
  );
  const now = new Date(o.now);
  for (const [i, a] of ordered.entries()) {
    const p = PROJECTS[i];
    const csm = (a.csm_id && byId.get(a.csm_id)) || manager;
    const baselinePeriod = month(now, p.months + 1);
    for (const [k, pick] of p.picks.entries()) {
      const itemId = await addItem(tx, csm, a.id, {
        indicatorId: indicators.get(pick.key)!,
        baseline: pick.baseline,
        baselinePeriod,
        target: pick.target,
        paramValues: pick.params ?? {},
        internalNote: k === 0 ? '与客户业务运营指标监控组共同确认的口径' : null,
      });
      for (let m = 1; m <= p.months; m++) {
        // steady progress toward the target at the project's pace, with a small deterministic wobble
        const share = Math.min(1.1, (m / p.months) * p.pace) + (((m * 7 + k * 3 + i) % 5) - 2) * 0.02;
        const value = Number((pick.baseline + (pick.target - pick.baseline) * share).toFixed(pick.decimals));
        await recordActual(tx, csm, itemId, { period: month(now, p.months + 1 - m), value, note: m === p.months ? '月度运营例会确认' : null });
      }
    }
  }
}
