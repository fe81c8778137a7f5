import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultGradingModel,
  effectiveTier,
  explainTier,
  factors,
  gradeAll,
  percentileRanks,
  validateModel,
  validateOverride,
  type GradingInput,
  type GradingModel,
  type Tier,
} from './grading.domain.js';

const input = (id: string, over: Partial<GradingInput> = {}): GradingInput => ({
  id,
  isChannel: false,
  onTimePaymentPct: 100,
  orderAmountMinor: 0,
  prospect: 3,
  profitMarginPct: 20,
  ...over,
});

describe('percentileRanks', () => {
  it('is empty for no accounts', () => {
    expect(percentileRanks([])).toEqual([]);
  });

  it('gives a lone account the neutral 50: there is nobody to rank it against', () => {
    expect(percentileRanks([0])).toEqual([50]);
    expect(percentileRanks([9_000_000])).toEqual([50]);
  });

  it('spreads distinct values from 0 (smallest) to 100 (largest), keeping input order', () => {
    expect(percentileRanks([10, 20, 30])).toEqual([0, 50, 100]);
    expect(percentileRanks([30, 10, 20])).toEqual([100, 0, 50]);
    expect(percentileRanks([1, 2, 3, 4, 5])).toEqual([0, 25, 50, 75, 100]);
  });

  it('gives tied values the same rank: the share of the others strictly below', () => {
    expect(percentileRanks([10, 20, 20, 40])).toEqual([0, 33, 33, 100]);
    expect(percentileRanks([7, 7])).toEqual([0, 0]);
    expect(percentileRanks([0, 0, 0, 5])).toEqual([0, 0, 0, 100]);
  });

  it('rounds to whole points', () => {
    // 1/6 = 16.67 → 17, 2/6 → 33, 4/6 → 67, 5/6 → 83
    expect(percentileRanks([0, 1, 2, 3, 4, 5, 6])).toEqual([0, 17, 33, 50, 67, 83, 100]);
  });

  it('handles negative values (a negative profit contribution ranks lowest)', () => {
    expect(percentileRanks([-50, 0, 50])).toEqual([0, 50, 100]);
  });
});

/**
 * A model where value = the order-amount rank and potential = the on-time payment share, so with
 * 101 accounts ordering 0…100 the rank of account k is exactly k and both axes can be set exactly.
 */
const axesModel: GradingModel = {
  valueWeights: { credit: 0, orderAmount: 100, prospect: 0, profit: 0 },
  potentialWeights: { credit: 100, orderAmount: 0, prospect: 0, profit: 0 },
  thresholds: { valueHigh: 70, valueLow: 40, potentialHigh: 60 },
};
function gradeAt(value: number, potential: number, model: GradingModel = axesModel) {
  const inputs = Array.from({ length: 101 }, (_, k) => input(`k${k}`, { orderAmountMinor: k * 1000, onTimePaymentPct: k === value ? potential : 0 }));
  const d = gradeAll(inputs, model).find((x) => x.id === `k${value}`)!;
  expect([d.value, d.potential]).toEqual([value, potential]);
  return d;
}

describe('tier boundaries (default thresholds: value ≥ 70 → A, potential ≥ 60 → C, value ≥ 40 → B, else D)', () => {
  it('value exactly 70 is A', () => {
    expect(gradeAt(70, 0)).toMatchObject({ tier: 'A', detail: { rule: 'value_high' } });
  });
  it('value 69 is not A', () => {
    expect(gradeAt(69, 0).tier).toBe('B');
  });
  it('value 100 with potential 100 is A: value is checked before potential', () => {
    expect(gradeAt(100, 100).tier).toBe('A');
  });
  it('potential exactly 60 under the value bar is C', () => {
    expect(gradeAt(69, 60)).toMatchObject({ tier: 'C', detail: { rule: 'potential_high' } });
    expect(gradeAt(0, 60).tier).toBe('C');
  });
  it('potential 59 is not C', () => {
    expect(gradeAt(69, 59).tier).toBe('B');
    expect(gradeAt(0, 59).tier).toBe('D');
  });
  it('value exactly 40 is B', () => {
    expect(gradeAt(40, 59)).toMatchObject({ tier: 'B', detail: { rule: 'value_low' } });
  });
  it('value 39 with low potential is D', () => {
    expect(gradeAt(39, 59)).toMatchObject({ tier: 'D', detail: { rule: 'low' } });
    expect(gradeAt(0, 0).tier).toBe('D');
  });
  it('follows the thresholds of the model it is given', () => {
    const m = { ...axesModel, thresholds: { valueHigh: 90, valueLow: 10, potentialHigh: 80 } };
    expect(gradeAt(89, 79, m).tier).toBe('B');
    expect(gradeAt(90, 0, m).tier).toBe('A');
    expect(gradeAt(50, 80, m).tier).toBe('C');
    expect(gradeAt(10, 0, m).tier).toBe('B');
    expect(gradeAt(9, 0, m).tier).toBe('D');
  });
});

describe('gradeAll with the default model (a worked example)', () => {
  // value = (20·credit + 40·order + 0·prospect + 40·profit) / 100
  // potential = (10·credit + 20·order + 70·prospect + 0·profit) / 100
  const a1 = input('a1', { orderAmountMinor: 300, profitMarginPct: 30, onTimePaymentPct: 100, prospect: 5 }); // profit 90
  const a2 = input('a2', { orderAmountMinor: 200, profitMarginPct: 10, onTimePaymentPct: 80, prospect: 3 }); // profit 20
  const a3 = input('a3', { orderAmountMinor: 100, profitMarginPct: 50, onTimePaymentPct: null, prospect: null }); // profit 50
  const ch = input('ch', { isChannel: true, orderAmountMinor: 1_000_000_000, profitMarginPct: 90, onTimePaymentPct: 100, prospect: 5 });
  const byId = (ds: ReturnType<typeof gradeAll>) => Object.fromEntries(ds.map((d) => [d.id, d]));

  it('ranks order amount and profit contribution among direct accounts', () => {
    const d = byId(gradeAll([a1, a2, a3], defaultGradingModel));
    expect(d.a1.detail.scores).toEqual({ credit: 100, orderAmount: 100, prospect: 100, profit: 100 });
    expect(d.a2.detail.scores).toEqual({ credit: 80, orderAmount: 50, prospect: 50, profit: 0 });
    expect(d.a3.detail.scores).toEqual({ credit: 50, orderAmount: 0, prospect: 50, profit: 50 });
  });

  it('computes value and potential and the tier from them', () => {
    const d = byId(gradeAll([a1, a2, a3], defaultGradingModel));
    expect(d.a1).toMatchObject({ tier: 'A', value: 100, potential: 100 });
    // value (1600 + 2000) / 100 = 36; potential (800 + 1000 + 3500) / 100 = 53
    expect(d.a2).toMatchObject({ tier: 'D', value: 36, potential: 53 });
    // value (1000 + 0 + 2000) / 100 = 30; potential (500 + 0 + 3500) / 100 = 40
    expect(d.a3).toMatchObject({ tier: 'D', value: 30, potential: 40 });
    expect(d.a2.detail.thresholds).toEqual(defaultGradingModel.thresholds);
  });

  it('returns one decision per input, in input order', () => {
    expect(gradeAll([a3, ch, a1, a2], defaultGradingModel).map((d) => d.id)).toEqual(['a3', 'ch', 'a1', 'a2']);
    expect(gradeAll([], defaultGradingModel)).toEqual([]);
  });

  it('a channel account is E whatever its numbers', () => {
    const d = byId(gradeAll([a1, a2, a3, ch], defaultGradingModel));
    expect(d.ch.tier).toBe('E');
    expect(d.ch.detail.rule).toBe('channel');
    const weak = gradeAll(
      [input('w', { isChannel: true, orderAmountMinor: 0, onTimePaymentPct: 0, prospect: 1, profitMarginPct: -100 })],
      defaultGradingModel,
    );
    expect(weak[0].tier).toBe('E');
  });

  it('channel accounts do not change the ranks of direct ones', () => {
    const without = byId(gradeAll([a1, a2, a3], defaultGradingModel));
    const withCh = byId(gradeAll([ch, a1, input('ch2', { isChannel: true, orderAmountMinor: 150 }), a2, a3], defaultGradingModel));
    for (const id of ['a1', 'a2', 'a3']) expect(withCh[id]).toEqual(without[id]);
  });

  it('assumes 50 for missing credit, prospect and margin, and lists what it assumed', () => {
    const [d] = gradeAll(
      [input('x', { onTimePaymentPct: null, prospect: null, profitMarginPct: null }), input('y', { orderAmountMinor: 10 })],
      defaultGradingModel,
    );
    expect(d.detail.assumed).toEqual(['credit', 'prospect', 'profit']);
    expect(d.detail.scores).toMatchObject({ credit: 50, prospect: 50, profit: 50 });
    const [, full] = gradeAll([input('x'), input('z')], defaultGradingModel);
    expect(full.detail.assumed).toEqual([]);
  });

  it('a brand-new workspace’s first account with no data at all is not graded strategic', () => {
    const [d] = gradeAll([input('first', { onTimePaymentPct: null, prospect: null, profitMarginPct: null })], defaultGradingModel);
    // every factor neutral: value 50, potential 50 → B
    expect(d).toMatchObject({ tier: 'B', value: 50, potential: 50 });
    expect(d.detail.scores).toEqual({ credit: 50, orderAmount: 50, prospect: 50, profit: 50 });
  });

  it('maps prospect 1–5 to 0, 25, 50, 75, 100', () => {
    const m: GradingModel = { ...defaultGradingModel, potentialWeights: { credit: 0, orderAmount: 0, prospect: 100, profit: 0 } };
    const ds = gradeAll(
      [1, 2, 3, 4, 5].map((p) => input(`p${p}`, { prospect: p })),
      m,
    );
    expect(ds.map((d) => d.detail.scores.prospect)).toEqual([0, 25, 50, 75, 100]);
    expect(ds.map((d) => d.potential)).toEqual([0, 25, 50, 75, 100]);
  });

  it('ranks profit contribution as order amount × margin, not margin alone', () => {
    // big order, thin margin (1 000 × 10% = 100) beats small order, fat margin (100 × 50% = 50)
    const ds = gradeAll(
      [input('big', { orderAmountMinor: 1000, profitMarginPct: 10 }), input('small', { orderAmountMinor: 100, profitMarginPct: 50 })],
      defaultGradingModel,
    );
    expect(ds.map((d) => d.detail.scores.profit)).toEqual([100, 0]);
  });

  it('ranks a negative margin below a zero one', () => {
    const ds = gradeAll(
      [input('loss', { orderAmountMinor: 100, profitMarginPct: -20 }), input('zero', { orderAmountMinor: 100, profitMarginPct: 0 })],
      defaultGradingModel,
    );
    expect(ds.map((d) => d.detail.scores.profit)).toEqual([0, 100]);
  });
});

describe('validateModel', () => {
  it('accepts the default model', () => {
    expect(validateModel(defaultGradingModel)).toEqual({ ok: true, value: defaultGradingModel });
  });

  it('names the value axis when its weights do not add up to 100', () => {
    const m = { ...defaultGradingModel, valueWeights: { credit: 20, orderAmount: 40, prospect: 0, profit: 39 } };
    expect(validateModel(m)).toEqual({ ok: false, key: 'grading.weights_sum', params: { axis: 'valueWeights', sum: 99 }, field: 'valueWeights' });
  });

  it('names the potential axis when its weights do not add up to 100', () => {
    const m = { ...defaultGradingModel, potentialWeights: { credit: 10, orderAmount: 20, prospect: 70, profit: 1 } };
    expect(validateModel(m)).toEqual({
      ok: false,
      key: 'grading.weights_sum',
      params: { axis: 'potentialWeights', sum: 101 },
      field: 'potentialWeights',
    });
  });

  it('refuses all-zero weights', () => {
    const m = { ...defaultGradingModel, valueWeights: { credit: 0, orderAmount: 0, prospect: 0, profit: 0 } };
    expect(validateModel(m)).toMatchObject({ ok: false, params: { axis: 'valueWeights', sum: 0 } });
  });

  it.each([
    ['low equal to high', { valueHigh: 50, valueLow: 50, potentialHigh: 60 }],
    ['low above high', { valueHigh: 40, valueLow: 70, potentialHigh: 60 }],
    ['high above 100', { valueHigh: 101, valueLow: 40, potentialHigh: 60 }],
    ['negative low', { valueHigh: 70, valueLow: -1, potentialHigh: 60 }],
    ['potential above 100', { valueHigh: 70, valueLow: 40, potentialHigh: 101 }],
    ['negative potential', { valueHigh: 70, valueLow: 40, potentialHigh: -1 }],
  ])('refuses thresholds out of order: %s', (_name, thresholds) => {
    expect(validateModel({ ...defaultGradingModel, thresholds })).toEqual({ ok: false, key: 'grading.thresholds', params: {}, field: 'thresholds' });
  });

  it('accepts the extreme ordered thresholds', () => {
    expect(validateModel({ ...defaultGradingModel, thresholds: { valueHigh: 100, valueLow: 0, potentialHigh: 0 } }).ok).toBe(true);
    expect(validateModel({ ...defaultGradingModel, thresholds: { valueHigh: 1, valueLow: 0, potentialHigh: 100 } }).ok).toBe(true);
  });
});

describe('validateOverride', () => {
  const base = { modelTier: 'D' as Tier, isChannel: false, tier: 'C' as Tier, reason: '集团战略项目' };

  it('accepts a different tier with a reason', () => {
    expect(validateOverride(base)).toEqual({ ok: true, value: 'C' });
  });
  it('requires a reason (blank counts as none)', () => {
    expect(validateOverride({ ...base, reason: '' })).toEqual({ ok: false, key: 'tier.override_reason', params: {}, field: 'reason' });
    expect(validateOverride({ ...base, reason: '  \n ' })).toMatchObject({ ok: false, key: 'tier.override_reason', field: 'reason' });
  });
  it('refuses to override a channel account', () => {
    expect(validateOverride({ ...base, modelTier: 'E', isChannel: true, tier: 'A' })).toEqual({
      ok: false,
      key: 'tier.channel_e',
      params: {},
      field: 'tier',
    });
  });
  it('refuses E for a direct account', () => {
    expect(validateOverride({ ...base, tier: 'E' })).toMatchObject({ ok: false, key: 'tier.channel_e', field: 'tier' });
  });
  it('refuses the tier the model already gives', () => {
    expect(validateOverride({ ...base, modelTier: 'C', tier: 'C' })).toEqual({
      ok: false,
      key: 'tier.override_same',
      params: { tier: 'C' },
      field: 'tier',
    });
  });
});

describe('effectiveTier', () => {
  it('is the model tier without an override', () => {
    expect(effectiveTier('B', null)).toBe('B');
  });
  it('is the override when there is one', () => {
    expect(effectiveTier('D', 'A')).toBe('A');
  });
  it('stays E for channel accounts whatever the override', () => {
    expect(effectiveTier('E', 'A')).toBe('E');
    expect(effectiveTier('E', null)).toBe('E');
  });
});

describe('explainTier', () => {
  const [a1, a2, a3] = gradeAll(
    [
      input('a1', { orderAmountMinor: 300, profitMarginPct: 30, onTimePaymentPct: 100, prospect: 5 }),
      input('a2', { orderAmountMinor: 200, profitMarginPct: 10, onTimePaymentPct: 80, prospect: 3 }),
      input('a3', { orderAmountMinor: 100, profitMarginPct: 50, onTimePaymentPct: null, prospect: null }),
    ],
    defaultGradingModel,
  );

  it('states the value against the high bar for A, in zh-CN and en', () => {
    expect(explainTier('zh-CN', a1.detail, 'A')).toContain('当前价值 100 ≥ 70');
    expect(explainTier('zh-CN', a1.detail, 'A')).toMatch(/^A 类·战略客户：/);
    expect(explainTier('en', a1.detail, 'A')).toContain('current value 100 ≥ 70');
  });

  it('states both axes under their bars for D, with the factor scores', () => {
    const zh = explainTier('zh-CN', a2.detail, 'D');
    expect(zh).toContain('当前价值 36 < 40，潜力 53 < 60');
    expect(zh).toContain('因子得分：信用（近12个月按时付款） 80，下单金额排名 50，发展前景 50，利润贡献排名 0。');
    const en = explainTier('en', a2.detail, 'D');
    expect(en).toContain('current value 36 < 40 and potential 53 < 60');
    expect(en).toContain('Factor scores: credit (on-time payment, 12 months) 80, order amount rank 50, prospect 50, profit contribution rank 0.');
  });

  it('lists the factors assumed neutral', () => {
    expect(explainTier('zh-CN', a3.detail, 'D')).toContain('缺少数据按中性值估计：信用（近12个月按时付款）、发展前景。');
    expect(explainTier('en', a3.detail, 'D')).toContain('Missing data assumed neutral: credit (on-time payment, 12 months), prospect.');
    expect(explainTier('en', a1.detail, 'A')).not.toContain('assumed');
  });

  it('explains C and B with the numbers', () => {
    const c = gradeAt(69, 60);
    expect(explainTier('en', c.detail, 'C')).toContain('current value 69 < 70, but potential 60 ≥ 60');
    expect(explainTier('zh-CN', c.detail, 'C')).toContain('当前价值 69 < 70，但潜力 60 ≥ 60');
    const b = gradeAt(40, 59);
    expect(explainTier('en', b.detail, 'B')).toContain('current value 40 is between 40 and 70, potential 59 < 60');
    expect(explainTier('zh-CN', b.detail, 'B')).toContain('当前价值 40 在 40–70 之间，潜力 59 < 60');
  });

  it('explains a channel account', () => {
    const [e] = gradeAll([input('e', { isChannel: true })], defaultGradingModel);
    expect(explainTier('zh-CN', e.detail, 'E')).toContain('由渠道商报备并服务的客户，固定为 E 类');
    expect(explainTier('en', e.detail, 'E')).toContain('served through a channel partner, so always E');
  });

  it('gives the override, its reason and the model tier', () => {
    const zh = explainTier('zh-CN', a2.detail, 'C', { tier: 'C', reason: '集团战略项目' });
    expect(zh).toContain('经理手工调整为 C 类·有重大提升潜力，原因：集团战略项目。模型结果为 D 类。');
    const en = explainTier('en', a2.detail, 'C', { tier: 'C', reason: 'group strategy' });
    expect(en).toContain('Overridden by a manager to C · major upside, because: group strategy. The model says D.');
    expect(en).toContain('Factor scores:');
  });
});

describe('property: every decision follows the thresholds', () => {
  /** four non-negative integers adding up to 100 */
  const weights = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([x, y, z]) => {
    const [p, q, r] = [x, y, z].sort((u, v) => u - v);
    return { credit: p, orderAmount: q - p, prospect: r - q, profit: 100 - r };
  });
  const model = fc
    .record({
      valueWeights: weights,
      potentialWeights: weights,
      low: fc.integer({ min: 0, max: 99 }),
      span: fc.integer({ min: 1, max: 100 }),
      potentialHigh: fc.integer({ min: 0, max: 100 }),
    })
    .map(({ valueWeights, potentialWeights, low, span, potentialHigh }) => ({
      valueWeights,
      potentialWeights,
      thresholds: { valueLow: low, valueHigh: Math.min(100, low + span), potentialHigh },
    }));
  const account = fc.record({
    isChannel: fc.boolean(),
    onTimePaymentPct: fc.option(fc.integer({ min: 0, max: 100 })),
    orderAmountMinor: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.maxSafeNat()),
    prospect: fc.option(fc.integer({ min: 1, max: 5 })),
    profitMarginPct: fc.option(fc.integer({ min: -100, max: 100 })),
  });

  it('channel ⇒ E; otherwise the tier is the one value, potential and thresholds give', () => {
    fc.assert(
      fc.property(fc.array(account, { minLength: 1, maxLength: 40 }), model, (accs, m) => {
        expect(validateModel(m).ok).toBe(true);
        const inputs = accs.map((a, i) => ({ id: `a${i}`, ...a }));
        const ds = gradeAll(inputs, m);
        expect(ds).toHaveLength(inputs.length);
        const t = m.thresholds;
        ds.forEach((d, i) => {
          for (const f of factors) {
            expect(Number.isInteger(d.detail.scores[f])).toBe(true);
            expect(d.detail.scores[f]).toBeGreaterThanOrEqual(0);
            expect(d.detail.scores[f]).toBeLessThanOrEqual(100);
          }
          expect(d.value).toBeGreaterThanOrEqual(0);
          expect(d.value).toBeLessThanOrEqual(100);
          expect(d.potential).toBeGreaterThanOrEqual(0);
          expect(d.potential).toBeLessThanOrEqual(100);
          const expected: Tier = inputs[i].isChannel
            ? 'E'
            : d.value >= t.valueHigh
              ? 'A'
              : d.potential >= t.potentialHigh
                ? 'C'
                : d.value >= t.valueLow
                  ? 'B'
                  : 'D';
          expect(d.tier).toBe(expected);
          if (d.tier === 'E') expect(inputs[i].isChannel).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('dropping the channel accounts changes nothing for the direct ones', () => {
    fc.assert(
      fc.property(fc.array(account, { minLength: 1, maxLength: 30 }), model, (accs, m) => {
        const inputs = accs.map((a, i) => ({ id: `a${i}`, ...a }));
        const all = gradeAll(inputs, m).filter((d) => !inputs.find((x) => x.id === d.id)!.isChannel);
        const direct = gradeAll(
          inputs.filter((a) => !a.isChannel),
          m,
        );
        expect(all).toEqual(direct);
      }),
      { numRuns: 200 },
    );
  });
});
