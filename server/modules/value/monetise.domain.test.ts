import { describe, expect, it } from 'vitest';
import { evaluateFormula, yuanToFen } from './formula.domain.js';
import { defaultLibrary, dimensionKeys, stageKeys, unitKeys } from './library.data.js';
import {
  checkActualPeriod,
  checkIndicatorFormula,
  checkParamValues,
  checkTarget,
  checkUnit,
  monetiseItem,
  monetiseProject,
  moneyAt,
  promiseStatus,
  statusOf,
  type ItemInput,
} from './monetise.domain.js';

const lib = (key: string) => defaultLibrary.find((i) => i.key === key)!;

// A: on-site visits per month (seed 001's example: visits avoided × cost per on-site visit), customer's cost 380 yuan
const visits: ItemInput = {
  id: 'A',
  direction: 'down',
  formula: lib('onsite_visits').formula,
  params: lib('onsite_visits').params,
  paramValues: { visit_cost: 380 },
  baseline: 120,
  baselinePeriod: '2026-01',
  target: 80,
  actuals: [
    { period: '2026-03', value: 85 },
    { period: '2026-02', value: 100 },
    { period: '2026-04', value: 78 },
  ],
};
// B: first-time fix rate, up; 333 orders a month, a repeat visit costs 412.37 yuan
const fix: ItemInput = {
  id: 'B',
  direction: 'up',
  formula: lib('first_time_fix_rate').formula,
  params: lib('first_time_fix_rate').params,
  paramValues: { monthly_orders: 333, revisit_cost: 412.37 },
  baseline: 72.5,
  baselinePeriod: '2026-01',
  target: 85,
  actuals: [
    { period: '2026-02', value: 74.1 },
    { period: '2026-03', value: 80.05 },
  ],
};
// C: complaints per month, down, measured from March on, default complaint cost 800 yuan
const complaints: ItemInput = {
  id: 'C',
  direction: 'down',
  formula: lib('complaints').formula,
  params: lib('complaints').params,
  paramValues: {},
  baseline: 30,
  baselinePeriod: '2026-03',
  target: 18,
  actuals: [{ period: '2026-04', value: 24 }],
};

describe('monetisation of one indicator over several periods (hand-computed)', () => {
  it('visits avoided × cost per visit', () => {
    const r = monetiseItem(visits);
    // expected: (120 − 80) × 380 = 15,200 yuan a month
    expect(r.expectedPerPeriod).toEqual({ ok: true, minor: 1_520_000 });
    // Feb (120 − 100) × 380 = 7,600; Mar 35 × 380 = 13,300; Apr 42 × 380 = 15,960 yuan
    expect(r.periods.map((p) => [p.period, p.improvement, p.realised])).toEqual([
      ['2026-02', 20, { ok: true, minor: 760_000 }],
      ['2026-03', 35, { ok: true, minor: 1_330_000 }],
      ['2026-04', 42, { ok: true, minor: 1_596_000 }],
    ]);
    expect(r.realisedTotalMinor).toBe(3_686_000);
    expect(r.expectedToDateMinor).toBe(4_560_000);
    expect(r.status).toBe('reached');
    expect(r.progressPct).toBe(105);
  });

  it('percentages with fractional parameters, rounded to the fen once per period', () => {
    const r = monetiseItem(fix);
    // 12.5/100 × 333 × 412.37 = 17,164.90125 yuan → 1,716,490 fen
    expect(r.expectedPerPeriod).toEqual({ ok: true, minor: 1_716_490 });
    // Feb: 1.6/100 × 333 × 412.37 = 2,197.10736 → 219,711 fen; Mar: 7.55/100 × 333 × 412.37 = 10,367.600355 → 1,036,760 fen
    expect(r.periods.map((p) => p.realised)).toEqual([
      { ok: true, minor: 219_711 },
      { ok: true, minor: 1_036_760 },
    ]);
    expect(r.realisedTotalMinor).toBe(1_256_471);
    expect(r.status).toBe('improving');
    expect(r.progressPct).toBe(60); // 7.55 / 12.5 = 60.4 %
  });

  it('a period worse than the baseline loses money and is behind', () => {
    const r = monetiseItem({ ...visits, actuals: [{ period: '2026-02', value: 126 }] });
    expect(r.periods[0].realised).toEqual({ ok: true, minor: -228_000 }); // −6 × 380
    expect(r.status).toBe('behind');
  });

  it('reports a formula that divides by zero on customer parameters, and computes the rest', () => {
    const item: ItemInput = {
      ...visits,
      formula: 'improvement * visit_cost / share',
      params: [...visits.params, { name: 'share', label: { 'zh-CN': '比例', en: 'share' }, unit: '', default: 1 }],
      paramValues: { visit_cost: 380, share: 0 },
    };
    const r = monetiseItem(item);
    expect(r.expectedPerPeriod).toMatchObject({ ok: false, key: 'formula.division_by_zero' });
    expect(r.periods.every((p) => !p.realised.ok)).toBe(true);
    expect(r.realisedTotalMinor).toBe(0);
    expect(r.errors).toBe(4);
  });
});

describe('monetisation of a project per period and in total (hand-computed)', () => {
  it('sums expected and realised per month, counting each indicator from the month after its baseline', () => {
    const p = monetiseProject([visits, fix, complaints]);
    // C: expected 12 × 800 = 9,600 yuan; Apr realised 6 × 800 = 4,800 yuan
    expect(p.items[2].expectedPerPeriod).toEqual({ ok: true, minor: 960_000 });
    expect(p.byPeriod).toEqual([
      { period: '2026-02', expectedMinor: 1_520_000 + 1_716_490, realisedMinor: 760_000 + 219_711, cumulativeRealisedMinor: 979_711 },
      { period: '2026-03', expectedMinor: 3_236_490, realisedMinor: 1_330_000 + 1_036_760, cumulativeRealisedMinor: 3_346_471 },
      { period: '2026-04', expectedMinor: 3_236_490 + 960_000, realisedMinor: 1_596_000 + 480_000, cumulativeRealisedMinor: 5_422_471 },
    ]);
    expect(p.realisedTotalMinor).toBe(5_422_471);
    expect(p.expectedPerPeriodMinor).toBe(1_520_000 + 1_716_490 + 960_000);
    expect(p.expectedToDateMinor).toBe(1_520_000 * 3 + 1_716_490 * 2 + 960_000);
    expect(p.errors).toBe(0);
    // the total is the sum of the lines shown
    expect(p.items.flatMap((i) => i.periods).reduce((s, l) => s + (l.realised.ok ? l.realised.minor : 0), 0)).toBe(p.realisedTotalMinor);
  });

  it('is empty and zero without indicators', () => {
    expect(monetiseProject([])).toEqual({
      items: [],
      byPeriod: [],
      expectedPerPeriodMinor: 0,
      expectedToDateMinor: 0,
      realisedTotalMinor: 0,
      errors: 0,
    });
  });
});

describe('rules of baseline, target, actuals, units and parameters', () => {
  it('wants the target better than the baseline in the indicator’s direction', () => {
    expect(checkTarget('down', 120, 80).ok).toBe(true);
    expect(checkTarget('down', 120, 130)).toMatchObject({ ok: false, key: 'value.target_not_lower', field: 'target' });
    expect(checkTarget('down', 120, 120)).toMatchObject({ ok: false, field: 'target' });
    expect(checkTarget('up', 72.5, 85).ok).toBe(true);
    expect(checkTarget('up', 72.5, 70)).toMatchObject({ ok: false, key: 'value.target_not_higher', field: 'target' });
  });

  it('wants actuals after the baseline month', () => {
    expect(checkActualPeriod('2026-01', '2026-02').ok).toBe(true);
    expect(checkActualPeriod('2026-01', '2026-01')).toMatchObject({ ok: false, key: 'value.actual_before_baseline', field: 'period' });
    expect(checkActualPeriod('2026-01', '2025-12')).toMatchObject({ ok: false, key: 'value.actual_before_baseline' });
    expect(checkActualPeriod('2026-01', '2026-13')).toMatchObject({ ok: false, key: 'value.bad_period' });
  });

  it('wants matching units and known parameters', () => {
    expect(checkUnit('percent', 'percent').ok).toBe(true);
    expect(checkUnit('percent', undefined).ok).toBe(true);
    expect(checkUnit('percent', 'hour')).toMatchObject({ ok: false, key: 'value.unit_mismatch', field: 'unit' });
    expect(checkParamValues(visits.params, { visit_cost: 380 }).ok).toBe(true);
    expect(checkParamValues(visits.params, { visit_price: 380 })).toMatchObject({ ok: false, key: 'value.unknown_param', field: 'paramValues' });
    expect(checkParamValues(visits.params, { visit_cost: Number.NaN })).toMatchObject({ ok: false, key: 'value.bad_number' });
  });

  it('checks library formulas against their parameters', () => {
    expect(checkIndicatorFormula('improvement * visit_cost', visits.params).ok).toBe(true);
    expect(checkIndicatorFormula('improvement * visit_price', visits.params)).toMatchObject({
      ok: false,
      key: 'formula.unknown_name',
      field: 'formula',
    });
  });

  it('status against target', () => {
    expect(statusOf('down', 120, 80, null)).toBe('no_data');
    expect(statusOf('down', 120, 80, 80)).toBe('reached');
    expect(statusOf('down', 120, 80, 90)).toBe('improving');
    expect(statusOf('down', 120, 80, 120)).toBe('behind');
    expect(statusOf('up', 10, 20, 25)).toBe('reached');
  });
});

describe('the default library for after-sales service software', () => {
  it('covers nine stages × three dimensions with two or three indicators in every cell', () => {
    expect(stageKeys).toHaveLength(9);
    expect(dimensionKeys).toHaveLength(3);
    for (const s of stageKeys) {
      for (const d of dimensionKeys) {
        const n = defaultLibrary.filter((i) => i.stage === s && i.dimension === d).length;
        expect(n, `${s} × ${d}`).toBeGreaterThanOrEqual(2);
        expect(n, `${s} × ${d}`).toBeLessThanOrEqual(3);
      }
    }
    expect(new Set(defaultLibrary.map((i) => i.key)).size).toBe(defaultLibrary.length);
  });

  it('names every indicator in both languages, with a known unit and a direction', () => {
    for (const i of defaultLibrary) {
      expect(i.name['zh-CN'].trim(), i.key).not.toBe('');
      expect(i.name.en.trim(), i.key).not.toBe('');
      expect(unitKeys).toContain(i.unit);
      expect(['up', 'down']).toContain(i.direction);
      for (const p of i.params) expect(p.label['zh-CN'] && p.label.en, `${i.key}.${p.name}`).toBeTruthy();
    }
  });

  it('gives every indicator a formula that evaluates to positive money on its default parameters', () => {
    for (const i of defaultLibrary) {
      expect(checkIndicatorFormula(i.formula, i.params), i.key).toMatchObject({ ok: true });
      expect(i.params.length, i.key).toBeGreaterThanOrEqual(i.formula.trim() === 'improvement' ? 0 : 1);
      // a sample project: baseline 50, a 10 % better target
      const baseline = 50;
      const target = i.direction === 'down' ? 45 : 55;
      const m = moneyAt({ direction: i.direction, formula: i.formula, params: i.params, paramValues: {}, baseline, target }, target);
      expect(m.ok, i.key).toBe(true);
      if (m.ok) expect(m.minor, i.key).toBeGreaterThan(0);
      // and the same directly through the evaluator
      const vars = Object.fromEntries(i.params.map((p) => [p.name, p.default]));
      const r = evaluateFormula(i.formula, { ...vars, baseline, target, actual: target, improvement: 5 });
      expect(r.ok && yuanToFen(r.value), i.key).toBe(m.ok && m.minor);
    }
  });
});

describe('a paid expert service’s promised value', () => {
  it('is kept once its linked indicators realised at least the promise', () => {
    expect(promiseStatus(5_000_000, 0, 9_000_000)).toBe('unlinked');
    expect(promiseStatus(5_000_000, 1, 4_999_999)).toBe('open');
    expect(promiseStatus(5_000_000, 2, 5_000_000)).toBe('kept');
  });
});
