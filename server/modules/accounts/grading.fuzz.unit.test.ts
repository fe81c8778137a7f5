// Property tests of grading (SPEC §1, seeds 002/003): for any population and any valid model the
// scores stay in range, the tier follows the thresholds, the same input gives the same tier in any
// order, and a better factor never gives a lower tier (D < B < C < A).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  effectiveTier,
  factors,
  gradeAll,
  percentileRanks,
  tiers,
  validateModel,
  type GradingInput,
  type GradingModel,
  type Weights,
} from './grading.domain.js';

/** Four non-negative integers adding up to 100. */
const weights: fc.Arbitrary<Weights> = fc
  .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
  .map((cuts) => {
    const [a, b, c] = [...cuts].sort((x, y) => x - y);
    return { credit: a, orderAmount: b - a, prospect: c - b, profit: 100 - c };
  });

const model: fc.Arbitrary<GradingModel> = fc
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

const account = (id: string): fc.Arbitrary<GradingInput> =>
  fc.record({
    id: fc.constant(id),
    isChannel: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    onTimePaymentPct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    orderAmountMinor: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1e12 })),
    prospect: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    profitMarginPct: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
  });

const population = fc.integer({ min: 1, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => account(`a${k}`))));

const rank = { D: 0, B: 1, C: 2, A: 3, E: -1 } as const;

describe('grading: properties', () => {
  it('scores are within 0–100 and the tier follows the thresholds; channel accounts are always E', () => {
    fc.assert(
      fc.property(population, model, (accounts, m) => {
        expect(validateModel(m).ok).toBe(true);
        const out = gradeAll(accounts, m);
        expect(out.map((d) => d.id)).toEqual(accounts.map((a) => a.id));
        const inRange = (x: number) => Number.isInteger(x) && x >= 0 && x <= 100;
        const t = m.thresholds;
        const bad = out.filter((d, k) => {
          const want = accounts[k].isChannel
            ? 'E'
            : d.value >= t.valueHigh
              ? 'A'
              : d.potential >= t.potentialHigh
                ? 'C'
                : d.value >= t.valueLow
                  ? 'B'
                  : 'D';
          return (
            !factors.every((f) => d.detail.scores[f] >= 0 && d.detail.scores[f] <= 100) ||
            !inRange(d.value) ||
            !inRange(d.potential) ||
            !tiers.includes(d.tier) ||
            d.tier !== want
          );
        });
        expect(bad).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the same accounts give the same tiers in any order', () => {
    fc.assert(
      fc.property(population, model, fc.integer({ min: 1, max: 1e6 }), (accounts, m, seed) => {
        const byId = (xs: ReturnType<typeof gradeAll>) => Object.fromEntries(xs.map((d) => [d.id, [d.tier, d.value, d.potential]]));
        const a = byId(gradeAll(accounts, m));
        const order = accounts
          .map((x, k) => ({ x, key: (k * 7919 + seed) % 104729 }))
          .sort((p, q) => p.key - q.key)
          .map((p) => p.x);
        expect(byId(gradeAll(order, m))).toEqual(a);
        expect(byId(gradeAll(structuredClone(accounts), m))).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('better credit, a better prospect or a larger order never lowers the account’s own tier (D < B < C < A)', () => {
    fc.assert(
      fc.property(
        population,
        model,
        fc.nat(),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 1e11 }),
        (accounts, m, pick, credit, prospect, more) => {
          const k = pick % accounts.length;
          const a = accounts[k];
          const before = gradeAll(accounts, m)[k];
          const tryWith = (changed: GradingInput) => {
            const after = gradeAll(
              accounts.map((x, j) => (j === k ? changed : x)),
              m,
            )[k];
            expect(rank[after.tier], `${before.tier} → ${after.tier}`).toBeGreaterThanOrEqual(rank[before.tier]);
            expect(after.value).toBeGreaterThanOrEqual(before.value);
            expect(after.potential).toBeGreaterThanOrEqual(before.potential);
          };
          if (a.onTimePaymentPct !== null && credit >= a.onTimePaymentPct) tryWith({ ...a, onTimePaymentPct: credit });
          if (a.prospect !== null && prospect >= a.prospect) tryWith({ ...a, prospect });
          // more orders raise the order rank, and the profit rank too when the margin is not negative
          if (a.profitMarginPct === null || a.profitMarginPct >= 0) tryWith({ ...a, orderAmountMinor: a.orderAmountMinor + more });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('percentile ranks are 0–100, order-preserving, and equal for equal values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e12 }), { minLength: 1, maxLength: 40 }), (xs) => {
        const r = percentileRanks(xs);
        expect(r).toHaveLength(xs.length);
        const wrong: string[] = [];
        for (let i = 0; i < xs.length; i++) {
          if (!(r[i] >= 0 && r[i] <= 100)) wrong.push(`range ${i}`);
          for (let j = 0; j < xs.length; j++) {
            if (xs[i] < xs[j] && r[i] > r[j]) wrong.push(`order ${i} ${j}`);
            if (xs[i] === xs[j] && r[i] !== r[j]) wrong.push(`tie ${i} ${j}`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('models: weights adding up to anything but 100 are refused; an override never makes a channel account other than E', () => {
    fc.assert(
      fc.property(
        weights,
        fc.constantFrom(...factors),
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom(...tiers),
        fc.option(fc.constantFrom(...tiers), { nil: null }),
        (w, f, delta, modelTier, override) => {
          const good: GradingModel = { valueWeights: w, potentialWeights: w, thresholds: { valueHigh: 70, valueLow: 40, potentialHigh: 60 } };
          expect(validateModel(good).ok).toBe(true);
          expect(validateModel({ ...good, valueWeights: { ...w, [f]: w[f] + delta } }).ok).toBe(false);
          const eff = effectiveTier(modelTier, override);
          expect(eff).toBe(modelTier === 'E' ? 'E' : (override ?? modelTier));
        },
      ),
      { numRuns: 200 },
    );
  });
});
