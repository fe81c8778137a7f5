import { describe, expect, it } from 'vitest';
import { defaultWeights, measureScore, scorecard, validateWeights } from './scorecard.domain.js';

describe('scorecard arithmetic', () => {
  it('delivery engineer by hand', () => {
    // tasks 3/4 = 75 ×20 = 15; on-time 90/90 = 100 ×20 = 20; captured 6/3 → capped 100 ×20 = 20;
    // converted 0/1 = 0 ×10 = 0; uplift 2/3 = 66.7 → 67 ×15 = 10.05; mastery 40/80 = 50 ×15 = 7.5 → 72.55 → 72.6
    const r = scorecard(
      'delivery',
      { tasks_done: 3, tasks_on_time_pct: 90, opps_captured: 6, opps_converted: 0, relationship_uplift: 2, behaviour_mastery: 40 },
      defaultWeights,
    );
    expect(r.lines.map((l) => l.score)).toEqual([75, 100, 100, 0, 67, 50]);
    expect(r.lines.map((l) => l.points)).toEqual([15, 20, 20, 0, 10.05, 7.5]);
    expect(r.total).toBe(72.6);
  });
  it('after-sales: handling time is lower-is-better', () => {
    expect(measureScore('handling_hours', 16, 8)).toBe(50);
    expect(measureScore('handling_hours', 4, 8)).toBe(100);
    expect(measureScore('handling_hours', null, 8)).toBe(0);
    // solved 10/20 = 50 ×25 = 12.5; 16h → 50 ×15 = 7.5; csat 4.5/4.5 = 100 ×20 = 20; captured 3/3 ×20 = 20; uplift null 0; mastery 80/80 ×10 = 10 → 70
    const r = scorecard(
      'after_sales',
      { cases_solved: 10, handling_hours: 16, csat_avg: 4.5, opps_captured: 3, relationship_uplift: null, behaviour_mastery: 80 },
      defaultWeights,
    );
    expect(r.total).toBe(70);
  });
  it('sales: key-moment meetings and service-sourced wins', () => {
    // 2/4 = 50 ×40 = 20; 1/2 = 50 ×30 = 15; 750000/500000 capped 100 ×30 = 30 → 65
    expect(scorecard('sales', { key_moment_meetings: 2, service_sourced_wins: 1, service_sourced_won_yuan: 750000 }, defaultWeights).total).toBe(65);
  });
  it('negative uplift scores 0, not below', () => {
    expect(measureScore('relationship_uplift', -2, 3)).toBe(0);
  });
});

describe('weights validation', () => {
  it('each role adds up to 100 with known measures and positive targets', () => {
    expect(validateWeights(defaultWeights as never)).toMatchObject({ ok: true });
    expect(
      validateWeights({
        ...defaultWeights,
        sales: { key_moment_meetings: { weight: 50, target: 4 }, service_sourced_wins: { weight: 30, target: 2 } },
      } as never),
    ).toMatchObject({ ok: false, key: 'kpi.weights_sum', field: 'sales' });
    expect(validateWeights({ ...defaultWeights, sales: { key_moment_meetings: { weight: 100, target: 0 } } } as never)).toMatchObject({
      ok: false,
      key: 'kpi.target_positive',
    });
    expect(validateWeights({ ...defaultWeights, sales: { charm: { weight: 100, target: 1 } } } as never)).toMatchObject({
      ok: false,
      key: 'kpi.weight_unknown',
    });
    const { sales: _s, ...noSales } = defaultWeights;
    expect(validateWeights(noSales as never)).toMatchObject({ ok: false, key: 'kpi.role_missing' });
  });
});
