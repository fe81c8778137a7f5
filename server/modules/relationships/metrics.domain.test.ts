import { describe, expect, it } from 'vitest';
import { freshness, mastery, monthlyTrend, scoreAsOf, uplift, validateAssessment, validatePeriod, type Assessment } from './metrics.domain.js';

const list: Assessment[] = [
  { metric: 'closeness', score: 2, assessedOn: '2026-01-10' },
  { metric: 'closeness', score: 3, assessedOn: '2026-03-05' },
  { metric: 'closeness', score: 4, assessedOn: '2026-05-20' },
  { metric: 'price_acceptance', score: 3, assessedOn: '2026-04-01' },
  { metric: 'price_acceptance', score: 2, assessedOn: '2026-04-30' },
];

describe('assessments', () => {
  it('refuses scores outside 1–5, missing evidence, bad or future dates', () => {
    expect(validateAssessment({ score: 6, evidence: 'x', assessedOn: '2026-01-01' }, '2026-06-01')).toMatchObject({ ok: false, field: 'score' });
    expect(validateAssessment({ score: 0, evidence: 'x', assessedOn: '2026-01-01' }, '2026-06-01')).toMatchObject({ ok: false, field: 'score' });
    expect(validateAssessment({ score: 2.5, evidence: 'x', assessedOn: '2026-01-01' }, '2026-06-01')).toMatchObject({ ok: false, field: 'score' });
    expect(validateAssessment({ score: 3, evidence: '  ', assessedOn: '2026-01-01' }, '2026-06-01')).toMatchObject({ ok: false, field: 'evidence' });
    expect(validateAssessment({ score: 3, evidence: 'x', assessedOn: '2026-02-30' }, '2026-06-01')).toMatchObject({ ok: false, field: 'assessedOn' });
    expect(validateAssessment({ score: 3, evidence: 'x', assessedOn: '2026-06-02' }, '2026-06-01')).toMatchObject({ ok: false, field: 'assessedOn' });
    expect(validateAssessment({ score: 5, evidence: 'x', assessedOn: '2026-06-01' }, '2026-06-01')).toEqual({ ok: true, value: true });
  });
  it('refuses a period that ends before it starts', () => {
    expect(validatePeriod('2026-04-01', '2026-03-31')).toMatchObject({ ok: false, key: 'kpi.period_reversed', field: 'to' });
    expect(validatePeriod('2026-04-01', '2026-04-01')).toMatchObject({ ok: true });
  });
  it('takes the latest score on or before a date', () => {
    expect(scoreAsOf(list, 'closeness', '2026-01-09')).toBeNull();
    expect(scoreAsOf(list, 'closeness', '2026-03-05')).toBe(3);
    expect(scoreAsOf(list, 'closeness', '2026-12-31')).toBe(4);
  });
  it('uplift: end of period minus the score before it (or the first inside)', () => {
    // Q2: before = 3 (03-05), end = 4 → +1
    expect(uplift(list, 'closeness', '2026-04-01', '2026-06-30')).toBe(1);
    // H1: before none → first inside 2, end 4 → +2
    expect(uplift(list, 'closeness', '2026-01-01', '2026-06-30')).toBe(2);
    // April price: first inside 3, end 2 → −1
    expect(uplift(list, 'price_acceptance', '2026-04-01', '2026-04-30')).toBe(-1);
    expect(uplift(list, 'solution_acceptance', '2026-01-01', '2026-12-31')).toBeNull();
  });
  it('monthly trend carries the last score forward', () => {
    expect(monthlyTrend(list, ['2026-01', '2026-02', '2026-04'])).toEqual([
      { month: '2026-01', closeness: 2, solution_acceptance: null, price_acceptance: null },
      { month: '2026-02', closeness: 2, solution_acceptance: null, price_acceptance: null },
      { month: '2026-04', closeness: 3, solution_acceptance: null, price_acceptance: 2 },
    ]);
  });
});

describe('behaviour mastery', () => {
  it('freshness is 1 up to 90 days, then linear to 0 at 360', () => {
    expect(freshness('2026-01-01', '2026-04-01')).toBe(1); // 90 days
    expect(freshness('2026-01-01', '2026-07-01')).toBeCloseTo((360 - 181) / 270, 10);
    expect(freshness('2025-01-01', '2026-01-01')).toBe(0);
  });
  it('mastery = mean freshness of the four aspects; completeness = share known', () => {
    // budget fresh (1), decision 225 days old → (360−225)/270 = 0.5, procurement & preferences unknown
    const r = mastery(
      [
        { aspect: 'budget_cycle', learnedOn: '2026-05-01' },
        { aspect: 'budget_cycle', learnedOn: '2025-01-01' },
        { aspect: 'decision_process', learnedOn: '2025-11-17' },
      ],
      '2026-06-30',
    );
    expect(r.perAspect.decision_process).toBe(0.5);
    expect(r.mastery).toBe(38); // (1 + 0.5) / 4 = 37.5 → 38
    expect(r.completeness).toBe(50);
    expect(mastery([], '2026-06-30')).toMatchObject({ mastery: 0, completeness: 0 });
  });
});
