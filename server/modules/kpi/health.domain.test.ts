import { describe, expect, it } from 'vitest';
import {
  computeHealth,
  decideFollowUp,
  defaultModel,
  FOLLOW_UP_DUE_DAYS,
  followUpDueAt,
  groupScores,
  overdueCutoff,
  pickModel,
  trendOf,
  validateModel,
  type HealthInputs,
} from './health.domain.js';

const base: HealthInputs = {
  relationshipScores: [4, 3, 2],
  breaches90d: 2,
  openCritical: 1,
  csatAvg: null,
  meetingsHeld90d: 2,
  portalActions90d: 2,
  valueRealisedMinor: 30_000_00,
  valueExpectedMinor: 50_000_00,
  onTimePaymentPct: 90,
};

describe('health arithmetic', () => {
  it('group scores by hand', () => {
    // relationship: (75 + 50 + 25) / 3 = 50; tickets: 100 − 30 − 20 = 50; engagement: 50 + 10 = 60; value: 60%; payment 90
    expect(groupScores(base)).toEqual({ relationship: 50, tickets: 50, engagement: 60, value: 60, payment: 90 });
  });
  it('weighted score 30/25/15/15/15 → 58.5 → 59, amber', () => {
    // 30·50 + 25·50 + 15·60 + 15·60 + 15·90 = 1500 + 1250 + 900 + 900 + 1350 = 5900 / 100 = 59
    const r = computeHealth(base, defaultModel, 65);
    expect(r.score).toBe(59);
    expect(r.band).toBe('amber');
    expect(r.trend).toBe('down');
    expect(r.reasons.map((x) => x.en)).toContain('2 SLA breach(es) in 90 days');
  });
  it('groups without data are left out and the rest re-weighted', () => {
    // relationship null, value null: tickets 100 (25), engagement 100 (15), payment 40 (15) → (2500+1500+600)/55 = 83.6 → 84
    const r = computeHealth(
      {
        ...base,
        relationshipScores: [null, null, null],
        breaches90d: 0,
        openCritical: 0,
        meetingsHeld90d: 4,
        valueExpectedMinor: 0,
        onTimePaymentPct: 40,
      },
      defaultModel,
      null,
    );
    expect(r.groups.relationship).toBeNull();
    expect(r.score).toBe(84);
    expect(r.band).toBe('green');
    expect(r.trend).toBe('new');
  });
  it('csat blends into ticket health 3:1; breaches floor at 0', () => {
    // tickets 100 − 0 → 100·3 + (4.2−1)·25 = 300 + 80 = 380 / 4 = 95
    expect(groupScores({ ...base, breaches90d: 0, openCritical: 0, csatAvg: 4.2 }).tickets).toBe(95);
    expect(groupScores({ ...base, breaches90d: 9, openCritical: 0 }).tickets).toBe(0);
  });
  it('red below 50', () => {
    const r = computeHealth(
      { ...base, relationshipScores: [1, 1, 1], breaches90d: 7, meetingsHeld90d: 0, portalActions90d: 0, valueRealisedMinor: 0 },
      defaultModel,
      59,
    );
    // 30·0 + 25·0 + 15·0 + 15·0 + 15·90 = 1350 / 100 = 13.5 → 14
    expect(r.score).toBe(14);
    expect(r.band).toBe('red');
  });
  it('trend: ±3 points', () => {
    expect(trendOf(60, 57)).toBe('up');
    expect(trendOf(60, 58)).toBe('flat');
    expect(trendOf(55, 58)).toBe('down');
  });
});

describe('model validation', () => {
  it('weights must add up to 100, each whole 0–100; bands ordered', () => {
    expect(
      validateModel({ weights: { relationship: 30, tickets: 25, engagement: 15, value: 15, payment: 10 }, amberBelow: 70, redBelow: 50 }),
    ).toMatchObject({ ok: false, key: 'kpi.weights_sum', params: { sum: 95 } });
    expect(validateModel({ weights: { relationship: 30, tickets: 25, engagement: 15, value: 15 }, amberBelow: 70, redBelow: 50 })).toMatchObject({
      ok: false,
      field: 'weights.payment',
    });
    expect(
      validateModel({ weights: { relationship: 30.5, tickets: 24.5, engagement: 15, value: 15, payment: 15 }, amberBelow: 70, redBelow: 50 }),
    ).toMatchObject({ ok: false, field: 'weights.relationship' });
    expect(validateModel({ weights: { ...defaultModel.weights, mood: 0 }, amberBelow: 70, redBelow: 50 })).toMatchObject({
      ok: false,
      key: 'kpi.weight_unknown',
    });
    expect(validateModel({ weights: defaultModel.weights, amberBelow: 50, redBelow: 60 })).toMatchObject({ ok: false, key: 'kpi.bands' });
    expect(validateModel({ weights: defaultModel.weights, amberBelow: 70, redBelow: 50 })).toMatchObject({ ok: true });
  });
  it('stage beats tier beats workspace beats default', () => {
    const m = (r: number) => ({ ...defaultModel, redBelow: r });
    const models = [
      { scope: 'workspace', model: m(10) },
      { scope: 'tier:A', model: m(20) },
      { scope: 'stage:renewal', model: m(30) },
    ];
    expect(pickModel(models, 'A', 'renewal').redBelow).toBe(30);
    expect(pickModel(models, 'A', 'startup').redBelow).toBe(20);
    expect(pickModel(models, 'B', 'startup').redBelow).toBe(10);
    expect(pickModel([], 'B', 'startup')).toBe(defaultModel);
  });
});

describe('follow-ups', () => {
  it('raised on crossing into a worse band, not again while one for the same reason is open', () => {
    expect(decideFollowUp('green', 'amber', [])).toEqual({ reason: 'health_amber' });
    expect(decideFollowUp(null, 'red', [])).toEqual({ reason: 'health_red' });
    expect(decideFollowUp('amber', 'red', ['health_amber'])).toEqual({ reason: 'health_red' });
    expect(decideFollowUp('amber', 'red', ['health_red'])).toBeNull();
    expect(decideFollowUp('red', 'red', [])).toBeNull();
    expect(decideFollowUp('red', 'amber', [])).toBeNull();
    expect(decideFollowUp('amber', 'green', [])).toBeNull();
  });
});

describe('follow-up due rule', () => {
  it('a follow-up is due FOLLOW_UP_DUE_DAYS after it was raised, and the cutoff agrees at the boundary', () => {
    const raised = new Date('2026-11-01T08:00:00Z');
    const due = followUpDueAt(raised);
    expect(due.getTime() - raised.getTime()).toBe(FOLLOW_UP_DUE_DAYS * 86_400_000);
    // exactly at the due instant: overdue both ways (the list's flag and the at-risk query's cutoff)
    expect(overdueCutoff(due).getTime()).toBe(raised.getTime());
    expect(overdueCutoff(new Date(due.getTime() - 1)).getTime()).toBeLessThan(raised.getTime());
  });
});
