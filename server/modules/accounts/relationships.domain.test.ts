import { describe, expect, it } from 'vitest';
import type { Tier } from './grading.domain.js';
import { describeGap, relationshipGaps, STALE_DAYS, type MapLink, type OurSide, type TheirSide } from './relationships.domain.js';

const now = new Date('2026-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const link = (ourSide: OurSide, theirSide: TheirSide, over: Partial<MapLink> = {}): MapLink => ({
  ourSide,
  theirSide,
  strength: 3,
  lastContactAt: daysAgo(10),
  userName: `our-${ourSide}`,
  contactName: `their-${theirSide}`,
  ...over,
});

/** Every side of ours and theirs covered, strong, recent, with an executive-to-executive link. */
const full: MapLink[] = [
  link('executive', 'executive'),
  link('sales', 'business_head'),
  link('service', 'operations_it'),
  link('delivery', 'operations_it'),
];

describe('relationship gaps of key accounts (A and C)', () => {
  it.each(['A', 'C'] as Tier[])('a fully covered %s account has no gaps', (tier) => {
    expect(relationshipGaps(tier, full, now)).toEqual([]);
  });

  it.each(['A', 'B', 'C', 'D', 'E'] as Tier[])('a %s account with no links at all has only the no-links gap', (tier) => {
    expect(relationshipGaps(tier, [], now)).toEqual([{ kind: 'no_links' }]);
  });

  it('wants an executive-to-executive link even when both executive sides are linked to someone', () => {
    const links = [
      link('executive', 'business_head'),
      link('sales', 'executive'),
      link('service', 'operations_it'),
      link('delivery', 'operations_it'),
    ];
    expect(relationshipGaps('A', links, now)).toEqual([{ kind: 'no_executive_link' }]);
  });

  it('names each of our sides with nobody linked', () => {
    const links = [link('executive', 'executive'), link('sales', 'business_head'), link('sales', 'operations_it')];
    expect(relationshipGaps('C', links, now)).toEqual([
      { kind: 'missing_our_side', side: 'service' },
      { kind: 'missing_our_side', side: 'delivery' },
    ]);
  });

  it('names each of their sides nobody is linked to (not "other")', () => {
    const links = [link('executive', 'executive'), link('sales', 'executive'), link('service', 'other'), link('delivery', 'other')];
    expect(relationshipGaps('A', links, now)).toEqual([
      { kind: 'missing_their_side', side: 'business_head' },
      { kind: 'missing_their_side', side: 'operations_it' },
    ]);
  });

  it('flags a side whose links are all weak (strength ≤ 2), but not one with a strength-3 link', () => {
    const weakSales = full.map((l) => (l.ourSide === 'sales' ? { ...l, strength: 2 } : l));
    expect(relationshipGaps('A', [...weakSales, link('sales', 'executive', { strength: 1 })], now)).toEqual([{ kind: 'weak_only', side: 'sales' }]);
    expect(relationshipGaps('A', [...weakSales, link('sales', 'executive', { strength: 3 })], now)).toEqual([]);
  });

  it('gives the whole picture in a fixed order: executive, our sides, their sides, stale links', () => {
    const links = [link('sales', 'business_head', { strength: 1, lastContactAt: daysAgo(120) })];
    expect(relationshipGaps('A', links, now)).toEqual([
      { kind: 'no_executive_link' },
      { kind: 'weak_only', side: 'sales' },
      { kind: 'missing_our_side', side: 'service' },
      { kind: 'missing_our_side', side: 'delivery' },
      { kind: 'missing_our_side', side: 'executive' },
      { kind: 'missing_their_side', side: 'operations_it' },
      { kind: 'missing_their_side', side: 'executive' },
      { kind: 'stale', userName: 'our-sales', contactName: 'their-business_head', days: 120 },
    ]);
  });
});

describe('stale links (more than 90 days without contact)', () => {
  it('is 90 days', () => {
    expect(STALE_DAYS).toBe(90);
  });
  it('flags 91 days, not 90', () => {
    const at91 = full.map((l, i) => (i === 1 ? { ...l, lastContactAt: daysAgo(91) } : l));
    expect(relationshipGaps('A', at91, now)).toEqual([{ kind: 'stale', userName: 'our-sales', contactName: 'their-business_head', days: 91 }]);
    const at90 = full.map((l, i) => (i === 1 ? { ...l, lastContactAt: daysAgo(90) } : l));
    expect(relationshipGaps('A', at90, now)).toEqual([]);
  });
  it('counts whole days (90 days and 23 hours is still 90)', () => {
    const links = [link('sales', 'other', { lastContactAt: new Date(daysAgo(90).getTime() - 23 * 3_600_000) })];
    expect(relationshipGaps('B', links, now)).toEqual([]);
  });
  it('does not flag a link without a recorded contact', () => {
    expect(
      relationshipGaps(
        'A',
        full.map((l) => ({ ...l, lastContactAt: null })),
        now,
      ),
    ).toEqual([]);
  });
  it('applies to every tier', () => {
    for (const tier of ['B', 'D', 'E'] as Tier[]) {
      expect(relationshipGaps(tier, [link('sales', 'business_head', { lastContactAt: daysAgo(200) })], now)).toEqual([
        { kind: 'stale', userName: 'our-sales', contactName: 'their-business_head', days: 200 },
      ]);
    }
  });
});

describe('B, D and E accounts', () => {
  it.each(['B', 'D', 'E'] as Tier[])('a %s account with one weak, recent link has none of the key-account gaps', (tier) => {
    expect(relationshipGaps(tier, [link('sales', 'other', { strength: 1 })], now)).toEqual([]);
  });
});

describe('describeGap', () => {
  it('words each gap in zh-CN and en', () => {
    expect(describeGap('zh-CN', { kind: 'no_executive_link' })).toBe('重点客户缺少高层对高层的关系。');
    expect(describeGap('en', { kind: 'no_executive_link' })).toBe('Key account without an executive-to-executive link.');
    expect(describeGap('zh-CN', { kind: 'missing_our_side', side: 'delivery' })).toBe('我方交付与客户没有任何关系连线。');
    expect(describeGap('en', { kind: 'missing_their_side', side: 'operations_it' })).toBe('No link to their operations/IT.');
    expect(describeGap('zh-CN', { kind: 'weak_only', side: 'sales' })).toBe('我方销售的关系都较弱（强度 ≤ 2）。');
    expect(describeGap('zh-CN', { kind: 'stale', userName: '王伟', contactName: '李总', days: 120 })).toBe('王伟 与 李总 已 120 天未联系。');
    expect(describeGap('en', { kind: 'stale', userName: 'Wang', contactName: 'Li', days: 120 })).toBe(
      'Wang has not been in touch with Li for 120 days.',
    );
    expect(describeGap('en', { kind: 'no_links' })).toBe('No relationship links yet.');
  });
});
