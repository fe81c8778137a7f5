import { describe, expect, it } from 'vitest';
import {
  allowedNextStages,
  daysInStage,
  decideLadderMove,
  decideStageMove,
  ladderLevels,
  stages,
  type LadderLevel,
  type Stage,
} from './lifecycle.domain.js';

const legal = new Set<string>([
  'handover>startup',
  'startup>adaptation',
  'adaptation>renewal',
  'renewal>adaptation', // a renewed account starts a new adaptation cycle
  'handover>churn',
  'startup>churn',
  'adaptation>churn',
  'renewal>churn',
  'churn>handover', // won back
]);
const pairs = stages.flatMap((from) => stages.map((to) => [from, to] as [Stage, Stage]));

describe('stage moves: all 5 × 5 pairs', () => {
  it('covers 25 pairs, 9 of them legal', () => {
    expect(pairs).toHaveLength(25);
    expect(pairs.filter(([f, t]) => legal.has(`${f}>${t}`))).toHaveLength(9);
  });

  it.each(pairs)('%s → %s', (from, to) => {
    const r = decideStageMove(from, to, 'en');
    if (legal.has(`${from}>${to}`)) expect(r).toEqual({ ok: true, value: to });
    else if (from === to) expect(r).toMatchObject({ ok: false, key: 'stage.same', field: 'to' });
    else expect(r).toMatchObject({ ok: false, key: 'stage.illegal', field: 'to' });
  });

  it('allowedNextStages lists exactly the legal moves', () => {
    for (const from of stages) expect(new Set(allowedNextStages(from))).toEqual(new Set(stages.filter((to) => legal.has(`${from}>${to}`))));
  });

  it('any live stage can churn; churn cannot go anywhere but back to handover', () => {
    for (const s of ['handover', 'startup', 'adaptation', 'renewal'] as const) expect(decideStageMove(s, 'churn').ok).toBe(true);
    expect(allowedNextStages('churn')).toEqual(['handover']);
    expect(decideStageMove('churn', 'renewal').ok).toBe(false);
  });

  it('a win-back starts again at handover', () => {
    expect(decideStageMove('churn', 'handover')).toEqual({ ok: true, value: 'handover' });
  });

  it('renewal starts a new adaptation cycle and cannot jump back to startup', () => {
    expect(decideStageMove('renewal', 'adaptation').ok).toBe(true);
    expect(decideStageMove('renewal', 'startup').ok).toBe(false);
  });

  it('moves forward one stage at a time', () => {
    expect(decideStageMove('handover', 'adaptation').ok).toBe(false);
    expect(decideStageMove('startup', 'renewal').ok).toBe(false);
    expect(decideStageMove('adaptation', 'startup').ok).toBe(false);
  });

  it('names the stages and the allowed next ones in the caller’s language', () => {
    expect(decideStageMove('handover', 'renewal', 'zh-CN')).toEqual({
      ok: false,
      key: 'stage.illegal',
      params: { from: '交接期', to: '续约期', allowed: '启动期、流失期' },
      field: 'to',
    });
    expect(decideStageMove('handover', 'renewal', 'en')).toMatchObject({ params: { from: 'handover', to: 'renewal', allowed: 'startup, churn' } });
    expect(decideStageMove('renewal', 'renewal', 'zh-CN')).toEqual({ ok: false, key: 'stage.same', params: { stage: '续约期' }, field: 'to' });
  });
});

describe('daysInStage', () => {
  const entered = new Date('2026-01-10T08:00:00Z');
  const at = (ms: number) => new Date(entered.getTime() + ms);
  const H = 3_600_000;

  it('is 0 on the day of the move', () => {
    expect(daysInStage(entered, entered)).toBe(0);
    expect(daysInStage(entered, at(24 * H - 1))).toBe(0);
  });
  it('counts whole days', () => {
    expect(daysInStage(entered, at(24 * H))).toBe(1);
    expect(daysInStage(entered, at(10 * 24 * H + 5 * H))).toBe(10);
    expect(daysInStage(entered, new Date('2027-01-10T08:00:00Z'))).toBe(365);
  });
  it('is never negative (a clock a little behind)', () => {
    expect(daysInStage(entered, at(-5 * H))).toBe(0);
  });
});

describe('relationship ladder', () => {
  const idx = (l: LadderLevel) => ladderLevels.indexOf(l);
  const all = ladderLevels.flatMap((from) => ladderLevels.map((to) => [from, to] as [LadderLevel, LadderLevel]));

  it.each(all)('%s → %s without a reason', (from, to) => {
    const r = decideLadderMove(from, to, undefined, 'en');
    if (idx(to) === idx(from) + 1) expect(r).toEqual({ ok: true, value: to });
    else if (to === from) expect(r).toMatchObject({ ok: false, key: 'ladder.same', field: 'to' });
    else if (idx(to) > idx(from)) expect(r).toMatchObject({ ok: false, key: 'ladder.skip', field: 'to' });
    else expect(r).toEqual({ ok: false, key: 'ladder.reason_required', params: {}, field: 'reason' });
  });

  it.each(all)('%s → %s with a reason', (from, to) => {
    const r = decideLadderMove(from, to, '客户换帅，新领导不认可', 'en');
    if (idx(to) === idx(from) + 1 || idx(to) < idx(from)) expect(r).toEqual({ ok: true, value: to });
    else expect(r.ok).toBe(false); // a reason does not allow a skip or a no-op
  });

  it('climbs one step at a time and names the next step', () => {
    expect(decideLadderMove('participant', 'key_supplier', undefined, 'zh-CN')).toEqual({
      ok: false,
      key: 'ladder.skip',
      params: { next: '供应商' },
      field: 'to',
    });
    expect(decideLadderMove('supplier', 'strategic_partner', 'we are friends', 'en')).toMatchObject({
      key: 'ladder.skip',
      params: { next: 'key supplier' },
    });
  });

  it('falls any depth, with a reason that is not blank', () => {
    expect(decideLadderMove('strategic_partner', 'participant', '丢标', 'zh-CN')).toEqual({ ok: true, value: 'participant' });
    expect(decideLadderMove('strategic_partner', 'participant', '   ', 'zh-CN')).toMatchObject({ ok: false, key: 'ladder.reason_required' });
    expect(decideLadderMove('key_supplier', 'supplier', '', 'zh-CN')).toMatchObject({ ok: false, key: 'ladder.reason_required' });
  });

  it('says the level it is already on', () => {
    expect(decideLadderMove('supplier', 'supplier', 'x', 'zh-CN')).toEqual({
      ok: false,
      key: 'ladder.same',
      params: { level: '供应商' },
      field: 'to',
    });
  });
});
