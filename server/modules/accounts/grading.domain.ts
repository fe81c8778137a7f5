/**
 * Grading (客户分级, seeds 002/003): a weighted model over four factors gives two axes —
 * current value and potential — and the axes give the tier:
 *   channel account → E; value ≥ high → A (strategic); potential ≥ high → C (major upside);
 *   value ≥ low → B (some contribution, limited upside); otherwise D.
 * Pure: takes the accounts and the model, returns decisions and the reasons for them.
 */
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import type { Tier } from './tiers.domain.js';

export { tiers, KEY_TIERS, type Tier } from './tiers.domain.js';

export const factors = ['credit', 'orderAmount', 'prospect', 'profit'] as const;
export type Factor = (typeof factors)[number];
export type Weights = Record<Factor, number>;

export type GradingModel = {
  valueWeights: Weights;
  potentialWeights: Weights;
  thresholds: { valueHigh: number; valueLow: number; potentialHigh: number };
};

export const defaultGradingModel: GradingModel = {
  valueWeights: { credit: 20, orderAmount: 40, prospect: 0, profit: 40 },
  potentialWeights: { credit: 10, orderAmount: 20, prospect: 70, profit: 0 },
  thresholds: { valueHigh: 70, valueLow: 40, potentialHigh: 60 },
};

export type GradingInput = {
  id: string;
  isChannel: boolean;
  /** share of invoices paid on time over the last 12 months, 0–100; null = no history */
  onTimePaymentPct: number | null;
  /** order amount over the last 1–2 years, minor units */
  orderAmountMinor: number;
  /** a person's judgement of development prospect, 1–5; null = not judged */
  prospect: number | null;
  /** gross margin in percent on what the account buys; null = unknown */
  profitMarginPct: number | null;
};

export type FactorScores = Record<Factor, number>;

export type GradingDetail = {
  rule: 'channel' | 'value_high' | 'potential_high' | 'value_low' | 'low';
  scores: FactorScores;
  value: number;
  potential: number;
  thresholds: GradingModel['thresholds'];
  assumed: Factor[];
};

export type GradingDecision = { id: string; tier: Tier; value: number; potential: number; detail: GradingDetail };

/** Weights are non-negative integers and each axis adds up to 100; thresholds are ordered. */
export function validateModel(m: GradingModel): RuleResult<GradingModel> {
  for (const [axis, w] of [
    ['valueWeights', m.valueWeights],
    ['potentialWeights', m.potentialWeights],
  ] as const) {
    const sum = factors.reduce((s, f) => s + w[f], 0);
    if (sum !== 100) return fail('grading.weights_sum', { axis, sum }, axis);
  }
  const t = m.thresholds;
  if (!(t.valueLow >= 0 && t.valueLow < t.valueHigh && t.valueHigh <= 100 && t.potentialHigh >= 0 && t.potentialHigh <= 100)) {
    return fail('grading.thresholds', {}, 'thresholds');
  }
  return ok(m);
}

/**
 * Share of the other accounts strictly below this value, 0–100 (a unique largest gets 100; ties
 * share the lower rank). A lone account has nobody to be ranked against: it gets the neutral 50,
 * as missing data does (100 graded a workspace's first, empty account A).
 * Ranking is how seed 002 grades order amount: "按照其下单量从大到小，进行排列".
 */
export function percentileRanks(values: number[]): number[] {
  const n = values.length;
  if (n === 1) return [50];
  const sorted = [...values].sort((a, b) => a - b);
  return values.map((v) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return Math.round((lo / (n - 1)) * 100);
  });
}

const weighted = (w: Weights, s: FactorScores) => Math.round(factors.reduce((sum, f) => sum + w[f] * s[f], 0) / 100);

/**
 * Grades a whole workspace at once: order amount and profit contribution are ranked among the
 * directly served accounts (channel accounts are E whatever their numbers, and do not skew ranks).
 */
export function gradeAll(inputs: GradingInput[], model: GradingModel): GradingDecision[] {
  const direct = inputs.filter((a) => !a.isChannel);
  const orderRanks = percentileRanks(direct.map((a) => a.orderAmountMinor));
  const profitRanks = percentileRanks(direct.map((a) => (a.orderAmountMinor * (a.profitMarginPct ?? 0)) / 100));
  const byId = new Map<string, { order: number; profit: number }>();
  for (const [i, a] of direct.entries()) byId.set(a.id, { order: orderRanks[i], profit: profitRanks[i] });

  return inputs.map((a) => {
    const assumed: Factor[] = [];
    const ranks = byId.get(a.id) ?? { order: 0, profit: 0 };
    if (a.onTimePaymentPct === null) assumed.push('credit');
    if (a.prospect === null) assumed.push('prospect');
    if (a.profitMarginPct === null) assumed.push('profit');
    const scores: FactorScores = {
      credit: a.onTimePaymentPct ?? 50,
      orderAmount: ranks.order,
      prospect: a.prospect === null ? 50 : (a.prospect - 1) * 25,
      profit: a.profitMarginPct === null ? 50 : ranks.profit,
    };
    const value = weighted(model.valueWeights, scores);
    const potential = weighted(model.potentialWeights, scores);
    const t = model.thresholds;
    let tier: Tier;
    let rule: GradingDetail['rule'];
    if (a.isChannel) [tier, rule] = ['E', 'channel'];
    else if (value >= t.valueHigh) [tier, rule] = ['A', 'value_high'];
    else if (potential >= t.potentialHigh) [tier, rule] = ['C', 'potential_high'];
    else if (value >= t.valueLow) [tier, rule] = ['B', 'value_low'];
    else [tier, rule] = ['D', 'low'];
    return { id: a.id, tier, value, potential, detail: { rule, scores, value, potential, thresholds: t, assumed } };
  });
}

/** The tier an account has: a manager's override wins over the model, except that channel accounts are always E. */
export function effectiveTier(modelTier: Tier, override: Tier | null): Tier {
  if (modelTier === 'E') return 'E';
  return override ?? modelTier;
}

export function validateOverride(input: { modelTier: Tier; isChannel: boolean; tier: Tier; reason: string }): RuleResult<Tier> {
  if (!input.reason.trim()) return fail('tier.override_reason', {}, 'reason');
  if (input.isChannel || input.tier === 'E') return fail('tier.channel_e', {}, 'tier');
  if (input.tier === input.modelTier) return fail('tier.override_same', { tier: input.tier }, 'tier');
  return ok(input.tier);
}

const factorNames = {
  'zh-CN': { credit: '信用（近12个月按时付款）', orderAmount: '下单金额排名', prospect: '发展前景', profit: '利润贡献排名' },
  en: { credit: 'credit (on-time payment, 12 months)', orderAmount: 'order amount rank', prospect: 'prospect', profit: 'profit contribution rank' },
} as const;

const tierNames = {
  'zh-CN': { A: 'A 类·战略客户', B: 'B 类·有一定贡献、提升空间有限', C: 'C 类·有重大提升潜力', D: 'D 类·贡献和潜力都较低', E: 'E 类·渠道客户' },
  en: {
    A: 'A · strategic',
    B: 'B · some contribution, limited upside',
    C: 'C · major upside',
    D: 'D · low contribution and potential',
    E: 'E · channel account',
  },
} as const;

/** The reason for a tier, in words. */
export function explainTier(locale: 'zh-CN' | 'en', d: GradingDetail, tier: Tier, override?: { tier: Tier; reason: string } | null): string {
  const zh = locale === 'zh-CN';
  const t = d.thresholds;
  const parts: string[] = [];
  if (override) {
    parts.push(
      zh
        ? `经理手工调整为 ${tierNames[locale][override.tier]}，原因：${override.reason}。模型结果为 ${d.rule === 'channel' ? 'E' : ruleTier(d.rule)} 类。`
        : `Overridden by a manager to ${tierNames[locale][override.tier]}, because: ${override.reason}. The model says ${d.rule === 'channel' ? 'E' : ruleTier(d.rule)}.`,
    );
  } else {
    parts.push(zh ? `${tierNames[locale][tier]}：` : `${tierNames[locale][tier]}: `);
  }
  const rule = {
    channel: zh ? '由渠道商报备并服务的客户，固定为 E 类。' : 'served through a channel partner, so always E.',
    value_high: zh ? `当前价值 ${d.value} ≥ ${t.valueHigh}。` : `current value ${d.value} ≥ ${t.valueHigh}.`,
    potential_high: zh
      ? `当前价值 ${d.value} < ${t.valueHigh}，但潜力 ${d.potential} ≥ ${t.potentialHigh}。`
      : `current value ${d.value} < ${t.valueHigh}, but potential ${d.potential} ≥ ${t.potentialHigh}.`,
    value_low: zh
      ? `当前价值 ${d.value} 在 ${t.valueLow}–${t.valueHigh} 之间，潜力 ${d.potential} < ${t.potentialHigh}。`
      : `current value ${d.value} is between ${t.valueLow} and ${t.valueHigh}, potential ${d.potential} < ${t.potentialHigh}.`,
    low: zh
      ? `当前价值 ${d.value} < ${t.valueLow}，潜力 ${d.potential} < ${t.potentialHigh}。`
      : `current value ${d.value} < ${t.valueLow} and potential ${d.potential} < ${t.potentialHigh}.`,
  }[d.rule];
  if (!override) parts.push(rule);
  const names = factorNames[locale];
  const scoreText = factors.map((f) => `${names[f]} ${d.scores[f]}`).join(zh ? '，' : ', ');
  parts.push(zh ? `因子得分：${scoreText}。` : ` Factor scores: ${scoreText}.`);
  if (d.assumed.length) {
    const list = d.assumed.map((f) => names[f]).join(zh ? '、' : ', ');
    parts.push(zh ? `缺少数据按中性值估计：${list}。` : ` Missing data assumed neutral: ${list}.`);
  }
  return parts.join('');
}

function ruleTier(rule: GradingDetail['rule']): Tier {
  return ({ channel: 'E', value_high: 'A', potential_high: 'C', value_low: 'B', low: 'D' } as const)[rule];
}
