import type { Locale } from '../../platform/i18n.js';
import { coreTaskLabels, type CoreTask } from './tasks.domain.js';
import { formatMoney } from './budget.domain.js';

/**
 * Recommends catalog items for an account's focus tasks (SPEC §3): ranked first by how many focus tasks
 * an item serves, then by whether its cost fits the remaining budget, then by its past effect on
 * comparable accounts (same tier), then by lower cost. Each comes with the reason for its rank in words.
 */
export type Candidate = {
  id: string;
  name: string;
  tasks: CoreTask[];
  pricing: 'free' | 'paid';
  internalCostMinor: number;
  priceMinor: number;
};

/** What items did on comparable accounts: finished tasks, how many moved a metric, opportunity amount produced. */
export type PastEffect = { finished: number; movedMetric: number; opportunityMinor: number };

export type Recommendation = {
  itemId: string;
  rank: number;
  servedTasks: CoreTask[];
  fitsBudget: boolean;
  effectScore: number;
  reasons: string[];
};

/** 0..1: the share of finished tasks that moved a relationship metric, plus a bonus for opportunities produced. */
export function effectScore(e: PastEffect | undefined): number {
  if (!e || e.finished === 0) return 0;
  const moved = e.movedMetric / e.finished;
  const perTask = e.opportunityMinor / e.finished;
  const oppBonus = Math.min(1, perTask / 100_000_00); // 10万 of opportunity per task is full marks
  return Math.round((moved * 0.6 + oppBonus * 0.4) * 1000) / 1000;
}

const fmtMoney = formatMoney;

export function recommend(i: {
  focus: CoreTask[];
  candidates: Candidate[];
  remainingMinor: number | null;
  effects: Record<string, PastEffect>;
  locale: Locale;
}): Recommendation[] {
  const zh = i.locale === 'zh-CN';
  const scored = i.candidates
    .map((c) => {
      const servedTasks = i.focus.filter((t) => c.tasks.includes(t));
      const fitsBudget = c.pricing === 'paid' || (i.remainingMinor !== null && c.internalCostMinor <= i.remainingMinor);
      return { c, servedTasks, fitsBudget, effect: effectScore(i.effects[c.id]) };
    })
    .filter((x) => x.servedTasks.length > 0)
    .sort(
      (a, b) =>
        b.servedTasks.length - a.servedTasks.length ||
        Number(b.fitsBudget) - Number(a.fitsBudget) ||
        b.effect - a.effect ||
        a.c.internalCostMinor - b.c.internalCostMinor ||
        a.c.name.localeCompare(b.c.name),
    )
    // a service listed in two menus (a workspace set up before the shipped menus were merged) is recommended once, at its best rank
    .filter((x, n, all) => all.findIndex((y) => y.c.name === x.c.name) === n);
  return scored.map((x, idx) => {
    const labels = x.servedTasks.map((t) => coreTaskLabels[t][i.locale]);
    const reasons: string[] = [];
    reasons.push(
      zh
        ? `服务 ${x.servedTasks.length}/${i.focus.length} 项聚焦任务：${labels.join('、')}`
        : `Serves ${x.servedTasks.length} of ${i.focus.length} focus tasks: ${labels.join(', ')}`,
    );
    if (x.c.pricing === 'paid')
      reasons.push(
        zh
          ? `收费服务（${fmtMoney(x.c.priceMinor, i.locale)}），计收入，不占运营费用`
          : `Paid service (${fmtMoney(x.c.priceMinor, i.locale)}): earns revenue, draws no budget`,
      );
    else if (i.remainingMinor === null)
      reasons.push(
        zh
          ? `内部结算 ${fmtMoney(x.c.internalCostMinor, i.locale)}；该客户不是 A/C 类，没有运营费用`
          : `Internal cost ${fmtMoney(x.c.internalCostMinor, i.locale)}; not an A/C account, so no budget`,
      );
    else if (x.fitsBudget)
      reasons.push(
        zh
          ? `内部结算 ${fmtMoney(x.c.internalCostMinor, i.locale)}，剩余预算 ${fmtMoney(i.remainingMinor, i.locale)} 够用`
          : `Internal cost ${fmtMoney(x.c.internalCostMinor, i.locale)} fits the remaining ${fmtMoney(i.remainingMinor, i.locale)}`,
      );
    else
      reasons.push(
        zh
          ? `内部结算 ${fmtMoney(x.c.internalCostMinor, i.locale)}，超出剩余预算 ${fmtMoney(i.remainingMinor, i.locale)}`
          : `Internal cost ${fmtMoney(x.c.internalCostMinor, i.locale)} exceeds the remaining ${fmtMoney(i.remainingMinor, i.locale)}`,
      );
    const e = i.effects[x.c.id];
    if (e && e.finished > 0) {
      reasons.push(
        zh
          ? `同级客户做过 ${e.finished} 次，${e.movedMetric} 次提升了关系指标，带来商机 ${fmtMoney(e.opportunityMinor, i.locale)}`
          : `Done ${e.finished} times on comparable accounts: ${e.movedMetric} moved a relationship metric, ${fmtMoney(e.opportunityMinor, i.locale)} of opportunities`,
      );
    } else reasons.push(zh ? '同级客户尚无效果记录' : 'No past effect recorded on comparable accounts yet');
    return { itemId: x.c.id, rank: idx + 1, servedTasks: x.servedTasks, fitsBudget: x.fitsBudget, effectScore: x.effect, reasons };
  });
}
