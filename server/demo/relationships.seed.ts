/**
 * Demo relationship metrics and behaviour profiles: monthly assessments over six months for the A and C
 * accounts (closeness, solution and price acceptance rising — the uplift the value-add track is for),
 * a few for B, behaviour facts of varying age; then health computed at three moments so trends show.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';

import { recomputeHealth } from '../modules/kpi/index.js';
import { captureOpportunity } from '../modules/opportunities/index.js';
import type { StaffActor } from '../platform/actor.js';
import { behaviourFacts, relationshipAssessments } from '../db/schema.js';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

const evidence = {
  closeness: [
    'CIO 主动邀请参加年度规划会',
    '私下拜访，客户分享了内部组织调整',
    '客户关键人参加我方用户大会',
    '季度例会上客户提出深度合作意向',
    '关键人推荐了其他部门的负责人',
  ],
  solution_acceptance: ['方案评审会通过，客户认可架构', '试点上线后业务部门反馈良好', '客户把我方方案写进年度 IT 规划', '客户要求扩展到第二个工厂'],
  price_acceptance: ['续约报价未被压价', '客户接受增值服务单独收费', '采购部认可报价构成', '价格谈判中客户主动提出年框'],
};
const facts = {
  budget_cycle: ['每年 9–10 月编制次年 IT 预算，11 月董事会审批', '预算按季度释放，Q4 有追加窗口'],
  decision_process: ['CIO 拍板，采购部走比价流程，50 万以上需总经理签字', '业务部门提需求，信息中心立项评审'],
  procurement_habits: ['偏好年框合同，单一来源需要特批', '倾向分期付款，验收后付 70%'],
  key_person_preferences: ['IT 总监重视数据与案例，不喜欢空谈', '采购经理看重响应速度，习惯微信沟通'],
} as const;
const sources = ['private_visit', 'meeting', 'portal'] as const;

export async function seedRelationships(tx: Db, o: { workspaceId: string; now: number; staff: StaffActor[] }) {
  const accs = await queryRows<{
    id: string;
    tier: string;
    sales_id: string | null;
    delivery_id: string | null;
    csm_id: string | null;
    after_sales_id: string | null;
  }>(
    tx,
    sql`select id, tier, sales_id, delivery_id, csm_id, after_sales_id from accounts where workspace_id = ${o.workspaceId} and tier in ('A','B','C') order by name`,
  );
  const rows: (typeof relationshipAssessments.$inferInsert)[] = [];
  const frows: (typeof behaviourFacts.$inferInsert)[] = [];
  accs.forEach((a, i) => {
    const assessors = [a.csm_id, a.sales_id, a.delivery_id, a.after_sales_id].filter((x): x is string => !!x);
    if (!assessors.length) return;
    const months = a.tier === 'B' ? 2 : 6;
    const start = a.tier === 'A' ? 2 : a.tier === 'C' ? 1 : 2;
    (['closeness', 'solution_acceptance', 'price_acceptance'] as const).forEach((metric, k) => {
      for (let m = months - 1; m >= 0; m--) {
        // rises by one point every two months for A/C (three for price), capped at 5; one C account slips at the end
        const step = Math.floor((months - 1 - m) / (metric === 'price_acceptance' ? 3 : 2));
        let score = Math.min(5, start + step + ((i + k) % 2));
        if (a.tier === 'C' && i % 8 === 0 && m === 0) score = Math.max(1, score - 2);
        rows.push({
          workspaceId: o.workspaceId,
          accountId: a.id,
          metric,
          score,
          evidence: evidence[metric][(i + m) % evidence[metric].length],
          assessorId: assessors[(m + k) % assessors.length],
          assessedOn: day(o.now - (m * 30 + 3 + ((i + k) % 7)) * DAY),
          sourceKind: m % 2 ? 'meeting' : 'visit',
        });
      }
    });
    const aspects = Object.keys(facts) as (keyof typeof facts)[];
    const known = a.tier === 'B' ? 2 : a.tier === 'C' ? 3 + (i % 2) : 4;
    aspects.slice(0, known).forEach((aspect, k) => {
      const age = a.tier === 'A' ? 10 + k * 25 + (i % 3) * 10 : 40 + k * 60 + (i % 4) * 30;
      frows.push({
        workspaceId: o.workspaceId,
        accountId: a.id,
        aspect,
        content: facts[aspect][(i + k) % 2],
        source: sources[(i + k) % 3],
        learnedOn: day(o.now - age * DAY),
        recordedById: assessors[k % assessors.length],
      });
    });
  });
  if (rows.length) await tx.insert(relationshipAssessments).values(rows);
  if (frows.length) await tx.insert(behaviourFacts).values(frows);
  // the growth KPIs of delivery and after-sales engineers: opportunities they heard on site visits
  const byId = new Map(o.staff.map((s) => [s.userId, s]));
  const heard = ['数据中台二期', '备件管理模块', '移动巡检 App', '年度驻场运维'];
  for (const [i, a] of accs.filter((x) => x.tier !== 'B').entries()) {
    const who = byId.get((i % 2 ? a.after_sales_id : a.delivery_id) ?? '');
    if (!who || (who.role !== 'delivery' && who.role !== 'after_sales')) continue;
    await captureOpportunity(tx, who, {
      accountId: a.id,
      title: `${heard[i % heard.length]}（现场获悉）`,
      sourceKind: 'visit',
      amountMinor: (20 + (i % 5) * 10) * 10_000_00,
      product: heard[i % heard.length],
    });
  }
  // health as it was two months and one month ago, and now: a trend line, arrows and follow-ups
  for (const back of [60, 30, 0])
    await recomputeHealth(tx, o.workspaceId, { now: new Date(o.now - back * DAY), cause: back ? 'history' : 'nightly' });
  return { assessments: rows.length, facts: frows.length };
}
