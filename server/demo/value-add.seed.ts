/**
 * The demo's value-add picture (SPEC §3): for the A and C accounts, focus tasks chosen with the customer,
 * free service products booked against the customer-operations budget, tasks at every status, and
 * opportunities they produced at various stages — including one "crying child" that takes a lot and
 * gives nothing back, so the input/output view has something to flag. Goes through the services.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { KEY_TIERS } from '../modules/accounts/index.js';
import { captureOpportunity, moveOpportunity, recordIncubation } from '../modules/opportunities/index.js';
import { bookServiceProduct, captureFromTask, ensureSetup, getBudget, setFocus, setOpeningSpent, updateTask } from '../modules/value-add/index.js';
import type { CoreTask } from '../modules/value-add/index.js';

const DAY = 86_400_000;

const PLANS: { focus: CoreTask[]; items: string[]; note: string }[] = [
  {
    focus: ['capture', 'incubate'],
    items: ['core.brainstorming', 'core.case_visit', 'core.project_review'],
    note: '客户明年规划二期扩容，先孵化需求',
  },
  { focus: ['closeness', 'solution'], items: ['core.value_operation', 'core.regular_meeting'], note: '上线后认可度一般，先把价值做出来' },
  { focus: ['price', 'closeness'], items: ['core.training_series', 'core.free_trial'], note: '续约在即，价格敏感' },
  {
    focus: ['incubate', 'capture', 'behaviour'],
    items: ['core.private_visit', 'core.optimisation_advice'],
    note: '新领导到任，先了解决策流程',
  },
  { focus: ['solution', 'price'], items: ['core.feature_recommendation', 'core.project_review'], note: '推动新模块落地' },
];
const OUTCOMES = [
  '客户业务负责人认可阶段成果，提出二期需求',
  '例会上客户主动介绍了明年的预算安排',
  '培训覆盖 42 名一线工程师，满意度 4.7/5',
  '参观标杆案例后，客户希望复制移动派工方案',
];
const OPPS = [
  { title: '二期：移动派工与备件模块扩容', product: '服务云·移动派工', wan: 120 },
  { title: 'IoT 远程运维平台试点', product: 'IoT 远程运维', wan: 80 },
  { title: '客户门户与知识库升级', product: '客户门户', wan: 45 },
  { title: '服务数据 BI 报表包', product: 'BI 报表', wan: 30 },
  { title: '全国服务商管理上线', product: '服务商管理', wan: 160 },
];

export async function seedValueAdd(tx: Db, o: { workspaceId: string; staff: StaffActor[]; now: number }) {
  await ensureSetup(tx, o.workspaceId);
  const byId = new Map(o.staff.map((s) => [s.userId, s]));
  const manager = o.staff.find((s) => s.role === 'manager')!;
  const accounts = await queryRows<{ id: string; name: string; tier: string; csm_id: string | null; sales_id: string | null; fiscal_year: number }>(
    tx,
    sql`select id, name, tier, csm_id, sales_id, fiscal_year from accounts where workspace_id = ${o.workspaceId} and tier in (${sql.join(
      KEY_TIERS.map((t) => sql`${t}`),
      sql`, `,
    )}) order by revenue_target_minor desc, name`,
  );
  const items = new Map(
    (await queryRows<{ id: string; code: string }>(tx, sql`select id, code from catalog_items where workspace_id = ${o.workspaceId}`)).map((r) => [
      r.code,
      r.id,
    ]),
  );
  const day = (offset: number) => new Date(o.now + offset * DAY + 8 * 3_600_000).toISOString().slice(0, 10);

  for (const [i, a] of accounts.entries()) {
    const csm = (a.csm_id && byId.get(a.csm_id)) || manager;
    const sales = (a.sales_id && byId.get(a.sales_id)) || manager;
    const plan = PLANS[i % PLANS.length];
    await setFocus(tx, csm, a.id, { tasks: plan.focus, note: plan.note });
    if (i >= 10) continue; // the last key accounts have a focus but nothing booked yet
    if (i % 3 === 0) {
      const b = await getBudget(tx, csm, a.id);
      if (b.budget) await setOpeningSpent(tx, manager, a.id, Math.round(b.budget.budgetMinor * 0.1));
    }
    const crying = i === 6 || i === 9; // heavy spend, nothing captured
    const codes = crying ? ['core.value_operation', 'core.special_budget', 'core.training_series'] : plan.items;
    const tasks: string[] = [];
    for (const code of codes) {
      const b = await getBudget(tx, csm, a.id);
      const cost = (
        await queryRows<{ c: string | number }>(tx, sql`select internal_cost_minor as c from catalog_items where id = ${items.get(code)!}`)
      )[0];
      if (!b.budget || b.budget.remainingMinor < Number(cost.c)) continue;
      const r = await bookServiceProduct(tx, csm, a.id, { catalogItemId: items.get(code)!, dueOn: day(-20 + tasks.length * 15) });
      tasks.push(r.task.id);
    }
    // the first task is done and evaluated; the second scheduled; the rest planned
    if (tasks[0]) {
      await updateTask(tx, csm, tasks[0], { status: 'scheduled', dueOn: day(-20) });
      await updateTask(tx, csm, tasks[0], { status: 'done', outcome: OUTCOMES[i % OUTCOMES.length] });
      await updateTask(tx, csm, tasks[0], { status: 'evaluated', metricsMoved: crying ? [] : i % 2 ? ['closeness', 'solution'] : ['closeness'] });
    }
    if (tasks[1]) await updateTask(tx, csm, tasks[1], { status: 'scheduled', dueOn: day(10 + i) });
    if (crying || !tasks[0]) continue;

    // opportunities produced, at different stages
    const spec = OPPS[i % OPPS.length];
    const opp = await captureFromTask(tx, csm, tasks[0], {
      title: spec.title,
      product: spec.product,
      amountMinor: spec.wan * 10_000_00,
      expectedCloseOn: day(60 + i * 7),
    });
    const stage = i % 5;
    if (stage >= 1) await moveOpportunity(tx, csm, opp.id, { to: 'incubating', note: '已约客户业务负责人做需求调研' });
    if (stage === 2 || stage === 3) await recordIncubation(tx, csm, opp.id, { success: true });
    if (stage === 3) await moveOpportunity(tx, sales, opp.id, { to: 'won', note: '合同已签署' });
    if (stage === 4) await recordIncubation(tx, csm, opp.id, { success: false, reason: '客户预算冻结，明年再议' });
    // and one heard on a visit
    if (i % 2 === 0) {
      await captureOpportunity(tx, sales, {
        accountId: a.id,
        title: `${OPPS[(i + 2) % OPPS.length].product} 需求（拜访获悉）`,
        sourceKind: 'visit',
        amountMinor: OPPS[(i + 2) % OPPS.length].wan * 5_000_00,
        product: OPPS[(i + 2) % OPPS.length].product,
      });
    }
  }
}
