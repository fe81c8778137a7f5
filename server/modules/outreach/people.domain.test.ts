import { describe, expect, it } from 'vitest';
import { isValidTimeZone, normaliseTag, planRules, ruleMatches, stageMoveAllowed, type Metric, type Rule } from './people.domain.js';

const now = new Date('2026-12-04T10:00:00Z');
const rule = (over: Partial<Rule>): Rule => ({
  id: 'r1',
  kind: 'portal_views',
  minCount: 3,
  days: 30,
  tag: '活跃',
  stage: null,
  enabled: true,
  ...over,
});
const metrics = (byRule: Record<string, Record<string, Metric>>) => new Map(Object.entries(byRule).map(([r, m]) => [r, new Map(Object.entries(m))]));

describe('stage moves', () => {
  it('staff move any way (and clear), imports and rules only forward', () => {
    expect(stageMoveAllowed('purchase', 'contact', 'staff')).toBe(true);
    expect(stageMoveAllowed('purchase', null, 'staff')).toBe(true);
    expect(stageMoveAllowed(null, 'interest', 'rule')).toBe(true);
    expect(stageMoveAllowed('interest', 'repurchase', 'import')).toBe(true);
    expect(stageMoveAllowed('repurchase', 'purchase', 'rule')).toBe(false);
    expect(stageMoveAllowed('repurchase', 'purchase', 'import')).toBe(false);
    expect(stageMoveAllowed('purchase', null, 'import')).toBe(false);
    expect(stageMoveAllowed('purchase', 'purchase', 'staff')).toBe(false);
  });
});

describe('tags and zones', () => {
  it('normalises a tag, refuses empty and too long ones', () => {
    expect(normaliseTag('  高 价值  客户 ')).toBe('高 价值 客户');
    expect(normaliseTag('   ')).toBeNull();
    expect(normaliseTag('x'.repeat(51))).toBeNull();
  });
  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('rule evaluation', () => {
  it('matches at the threshold, not below', () => {
    expect(ruleMatches({ minCount: 3 }, { count: 3, last: null })).toBe(true);
    expect(ruleMatches({ minCount: 3 }, { count: 2, last: null })).toBe(false);
    expect(ruleMatches({ minCount: 1 }, undefined)).toBe(false);
  });

  it('sets the tag with its evidence, removes a held tag that no longer matches, keeps one that does', () => {
    const last = new Date('2026-12-01T08:00:00Z');
    const plan = planRules(
      [rule({})],
      metrics({ r1: { a: { count: 5, last }, b: { count: 1, last } } }),
      [
        { contactId: 'a', ruleId: 'r1', tag: '活跃' },
        { contactId: 'b', ruleId: 'r1', tag: '活跃' },
      ],
      now,
    );
    expect(plan.set).toEqual([
      {
        contactId: 'a',
        ruleId: 'r1',
        tag: '活跃',
        evidence: {
          kind: 'portal_views',
          count: 5,
          minCount: 3,
          days: 30,
          since: '2026-11-04T10:00:00.000Z',
          lastAt: '2026-12-01T08:00:00.000Z',
          evaluatedAt: now.toISOString(),
        },
      },
    ]);
    expect(plan.remove).toEqual([{ contactId: 'b', ruleId: 'r1', tag: '活跃' }]);
  });

  it('a disabled rule or a changed tag removes what the rule set before', () => {
    const m = metrics({ r1: { a: { count: 9, last: null } } });
    expect(planRules([rule({ enabled: false })], m, [{ contactId: 'a', ruleId: 'r1', tag: '活跃' }], now).remove).toHaveLength(1);
    const renamed = planRules([rule({ tag: '常客' })], m, [{ contactId: 'a', ruleId: 'r1', tag: '活跃' }], now);
    expect(renamed.remove).toEqual([{ contactId: 'a', ruleId: 'r1', tag: '活跃' }]);
    expect(renamed.set.map((s) => s.tag)).toEqual(['常客']);
  });

  it('moves to the furthest stage of the matching rules (first purchase → purchase, second → repurchase)', () => {
    const rules = [
      rule({ id: 'once', kind: 'purchases', minCount: 1, days: 3650, tag: '已购', stage: 'purchase' }),
      rule({ id: 'twice', kind: 'purchases', minCount: 2, days: 3650, tag: '复购', stage: 'repurchase' }),
    ];
    const counts = { a: { count: 1, last: null }, b: { count: 2, last: null } };
    const plan = planRules(rules, metrics({ once: counts, twice: counts }), [], now);
    expect(plan.stages.get('a')).toEqual({ stage: 'purchase', ruleId: 'once' });
    expect(plan.stages.get('b')).toEqual({ stage: 'repurchase', ruleId: 'twice' });
    expect(plan.set.filter((s) => s.contactId === 'b').map((s) => s.tag)).toEqual(['已购', '复购']);
  });
});
