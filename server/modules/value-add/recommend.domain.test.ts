import { describe, expect, it } from 'vitest';
import { effectScore, recommend, type Candidate } from './recommend.domain.js';
import { decideFocus, decideTaskMove } from './plan.domain.js';
import { rankInputOutput } from './input-output.domain.js';

const c = (id: string, tasks: Candidate['tasks'], cost: number, pricing: 'free' | 'paid' = 'free'): Candidate => ({
  id,
  name: id,
  tasks,
  pricing,
  internalCostMinor: cost,
  priceMinor: pricing === 'paid' ? 1000 : 0,
});

describe('recommend', () => {
  const candidates = [
    c('meeting', ['capture', 'closeness'], 5_000_00),
    c('review', ['incubate', 'capture', 'solution'], 40_000_00),
    c('brainstorm', ['incubate'], 30_000_00),
    c('visit', ['behaviour'], 5_000_00),
    c('case', ['incubate', 'capture'], 30_000_00),
  ];
  it('ranks by focus tasks served, then budget fit, then past effect, then cost — and drops items serving none', () => {
    const r = recommend({ focus: ['incubate', 'capture'], candidates, remainingMinor: 35_000_00, effects: {}, locale: 'en' });
    expect(r.map((x) => x.itemId)).toEqual(['case', 'review', 'meeting', 'brainstorm']);
    expect(r.map((x) => x.rank)).toEqual([1, 2, 3, 4]);
    expect(r[0]).toMatchObject({ servedTasks: ['incubate', 'capture'], fitsBudget: true });
    expect(r[1].fitsBudget).toBe(false); // review serves 2 but costs 40,000 > 35,000
    expect(r[1].reasons[1]).toBe('Internal cost CNY 40,000.00 exceeds the remaining CNY 35,000.00');
  });
  it('past effect on comparable accounts breaks ties between equal items', () => {
    const twins = [c('x', ['incubate'], 10_00), c('y', ['incubate'], 10_00)];
    const r = recommend({
      focus: ['incubate'],
      candidates: twins,
      remainingMinor: 1_000_00,
      effects: { y: { finished: 4, movedMetric: 3, opportunityMinor: 200_000_00 } },
      locale: 'zh-CN',
    });
    expect(r.map((x) => x.itemId)).toEqual(['y', 'x']);
    expect(r[0].reasons[2]).toBe('同级客户做过 4 次，3 次提升了关系指标，带来商机 ¥200,000.00');
    expect(r[1].reasons[2]).toBe('同级客户尚无效果记录');
    expect(r[0].reasons[0]).toBe('服务 1/1 项聚焦任务：孵化商机');
  });
  it('recommends a service listed in two menus once, at its best rank', () => {
    const both = [
      { ...c('core.brainstorming', ['incubate'], 30_000_00), name: '头脑风暴' },
      { ...c('free_expert.brainstorming', ['incubate', 'capture'], 30_000_00), name: '头脑风暴' },
      c('case', ['incubate'], 10_000_00),
    ];
    const r = recommend({ focus: ['incubate', 'capture'], candidates: both, remainingMinor: 100_000_00, effects: {}, locale: 'zh-CN' });
    expect(r.map((x) => x.itemId)).toEqual(['free_expert.brainstorming', 'case']);
    expect(r.map((x) => x.rank)).toEqual([1, 2]);
  });
  it('says when the account has no budget and when an item is paid', () => {
    const r = recommend({
      focus: ['capture'],
      candidates: [c('p', ['capture'], 0, 'paid'), c('f', ['capture'], 10)],
      remainingMinor: null,
      effects: {},
      locale: 'en',
    });
    expect(r[0].itemId).toBe('p');
    expect(r[0].reasons[1]).toMatch(/^Paid service/);
    expect(r[1].reasons[1]).toMatch(/not an A\/C account/);
  });
  it('effect score rewards moved metrics and opportunities, capped at 1', () => {
    expect(effectScore(undefined)).toBe(0);
    expect(effectScore({ finished: 2, movedMetric: 2, opportunityMinor: 1e12 })).toBe(1);
    expect(effectScore({ finished: 2, movedMetric: 1, opportunityMinor: 0 })).toBe(0.3);
  });
});

describe('service plan rules', () => {
  it('walks planned → scheduled → done → evaluated with a date, an outcome and metrics', () => {
    expect(decideTaskMove({ from: 'planned', to: 'scheduled', dueOn: '2026-12-01', outcome: null, metricsMoved: [] }).ok).toBe(true);
    expect(decideTaskMove({ from: 'planned', to: 'scheduled', dueOn: null, outcome: null, metricsMoved: [] })).toMatchObject({
      ok: false,
      field: 'dueOn',
    });
    expect(decideTaskMove({ from: 'scheduled', to: 'done', dueOn: null, outcome: ' ', metricsMoved: [] })).toMatchObject({
      ok: false,
      field: 'outcome',
    });
    expect(decideTaskMove({ from: 'done', to: 'evaluated', dueOn: null, outcome: '客户认可', metricsMoved: ['price', 'closeness'] })).toEqual({
      ok: true,
      value: { metricsMoved: ['closeness', 'price'] },
    });
    expect(decideTaskMove({ from: 'done', to: 'evaluated', dueOn: null, outcome: 'x', metricsMoved: ['capture'] })).toMatchObject({
      ok: false,
      field: 'metricsMoved',
    });
    expect(decideTaskMove({ from: 'planned', to: 'done', dueOn: null, outcome: 'x', metricsMoved: [] })).toMatchObject({
      ok: false,
      key: 'task.illegal_move',
    });
    expect(decideTaskMove({ from: 'evaluated', to: 'cancelled', dueOn: null, outcome: 'x', metricsMoved: [] })).toMatchObject({
      ok: false,
      key: 'task.illegal_move',
    });
  });
  it('focus is one or more of the six tasks for a year, half, quarter or month', () => {
    expect(decideFocus(['price', 'capture', 'price'], '2026-H2')).toEqual({ ok: true, value: { tasks: ['capture', 'price'], period: '2026-H2' } });
    expect(decideFocus([], '2026')).toMatchObject({ ok: false, key: 'focus.empty' });
    expect(decideFocus(['sell'], '2026')).toMatchObject({ ok: false, key: 'focus.bad_task' });
    expect(decideFocus(['capture'], '2026-13')).toMatchObject({ ok: false, key: 'focus.bad_period' });
    expect(decideFocus(['capture'], '2026-Q4').ok).toBe(true);
  });
});

describe('input vs output', () => {
  const row = (accountId: string, spend: number, captured: number) => ({
    accountId,
    spendMinor: spend,
    capturedMinor: captured,
    incubatedMinor: 0,
    wonMinor: 0,
  });
  it('ranks by output multiple and flags high spend with low output', () => {
    const r = rankInputOutput(
      [row('quiet', 0, 500), row('crying', 100_000, 10_000), row('star', 50_000, 1_000_000), row('ok', 100_000, 800_000), row('dry', 120_000, 0)],
      'en',
    );
    expect(r.map((x) => x.accountId)).toEqual(['star', 'ok', 'crying', 'dry', 'quiet']);
    expect(r.map((x) => x.multiple)).toEqual([20, 8, 0.1, 0, null]);
    expect(r.filter((x) => x.flagged).map((x) => x.accountId)).toEqual(['crying', 'dry']);
    expect(r.find((x) => x.accountId === 'dry')!.reason).toBe('Spend at or above the median, but no opportunity output at all');
    expect(r.find((x) => x.accountId === 'crying')!.reason).toMatch(/below half the median 4\.0?4?/);
    expect(r.find((x) => x.accountId === 'star')!.flagged).toBe(false); // low spend is never flagged
  });
  it('handles an empty workspace', () => {
    expect(rankInputOutput([], 'zh-CN')).toEqual([]);
  });
});
