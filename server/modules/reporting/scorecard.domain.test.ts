import { describe, expect, it } from 'vitest';
import { defaultWeights, measureScore, scorecard, validateWeights } from './scorecard.domain.js';

describe('scorecard arithmetic', () => {
  it('delivery engineer by hand: the seed’s traditional four plus the growth measures, each uplift on its own', () => {
    // UT 60/75 = 80 ×15 = 12; quality 90/90 ×10 = 10; milestones 45/90 = 50 ×10 = 5; collections 95/95 ×10 = 10;
    // captured 6/3 → capped 100 ×10 = 10; amount 150k/300k = 50 ×5 = 2.5; incubated 0/1 ×10 = 0;
    // closeness 1/1 ×5 = 5; solution 0.5/1 = 50 ×5 = 2.5; price (no assessment) 0; mastery 40/80 = 50 ×15 = 7.5 → 64.5
    const r = scorecard(
      'delivery',
      {
        ut_pct: 60,
        quality_pct: 90,
        milestones_on_time_pct: 45,
        collections_pct: 95,
        opps_captured: 6,
        opps_amount_yuan: 150000,
        opps_incubated: 0,
        closeness_uplift: 1,
        solution_uplift: 0.5,
        price_uplift: null,
        behaviour_mastery: 40,
      },
      defaultWeights,
    );
    expect(r.lines.map((l) => l.score)).toEqual([80, 100, 50, 100, 100, 50, 0, 100, 50, 0, 50]);
    expect(r.lines.map((l) => l.points)).toEqual([12, 10, 5, 10, 10, 2.5, 0, 5, 2.5, 0, 7.5]);
    expect(r.lines.filter((l) => l.kind === 'traditional').map((l) => l.measure)).toEqual([
      'ut_pct',
      'quality_pct',
      'milestones_on_time_pct',
      'collections_pct',
    ]);
    expect(r.total).toBe(64.5);
  });
  it('after-sales: handling time is lower-is-better', () => {
    expect(measureScore('handling_hours', 16, 8)).toBe(50);
    expect(measureScore('handling_hours', 4, 8)).toBe(100);
    expect(measureScore('handling_hours', null, 8)).toBe(0);
    // solved 10/20 = 50 ×20 = 10; 16h → 50 ×10 = 5; csat 4.5/4.5 ×15 = 15; captured 3/3 ×15 = 15; amount none 0;
    // incubated 1/1 ×10 = 10; uplifts none 0; mastery 80/80 ×10 = 10 → 65
    const r = scorecard(
      'after_sales',
      { cases_solved: 10, handling_hours: 16, csat_avg: 4.5, opps_captured: 3, opps_incubated: 1, closeness_uplift: null, behaviour_mastery: 80 },
      defaultWeights,
    );
    expect(r.total).toBe(65);
  });
  it('CSMs and experts have scorecards of their own', () => {
    // csm: collections 95 ×15 = 15; captured 3 ×15 = 15; incubated 1 ×15 = 15; the rest 0 → 45
    expect(scorecard('csm', { collections_pct: 95, opps_captured: 3, opps_incubated: 1 }, defaultWeights).total).toBe(45);
    // expert: solved 10/10 ×25 = 25; tasks 3/3 ×15 = 15 → 40
    expect(scorecard('expert', { cases_solved: 10, tasks_done: 3 }, defaultWeights).total).toBe(40);
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
