import { describe, expect, it } from 'vitest';
import { normaliseTag, segmentToFilter } from './segments.domain.js';

describe('segmentToFilter', () => {
  it('no conditions is no filter', () => {
    expect(segmentToFilter([])).toEqual({});
  });

  it('one condition per field becomes that field’s allowed values, duplicates dropped', () => {
    expect(
      segmentToFilter([
        { field: 'tier', values: ['A', 'C', 'A'] },
        { field: 'stage', values: ['renewal'] },
        { field: 'tag', values: ['高潜', '制造'] },
        { field: 'channel', values: ['direct'] },
      ]),
    ).toEqual({ tier: ['A', 'C'], stage: ['renewal'], tag: ['高潜', '制造'], channel: ['direct'] });
  });

  it('a repeated field narrows to the values both allow', () => {
    expect(
      segmentToFilter([
        { field: 'tier', values: ['A', 'B', 'C'] },
        { field: 'tier', values: ['C', 'D', 'A'] },
      ]),
    ).toEqual({ tier: ['A', 'C'] });
    expect(
      segmentToFilter([
        { field: 'region', values: ['华南', '华东', '华北'] },
        { field: 'region', values: ['华东', '华北'] },
        { field: 'region', values: ['华北'] },
      ]),
    ).toEqual({ region: ['华北'] });
  });

  it('conditions that cannot both hold fold to an empty list (matches nothing), not to no filter', () => {
    const f = segmentToFilter([
      { field: 'tier', values: ['A'] },
      { field: 'tier', values: ['B'] },
    ]);
    expect(f).toEqual({ tier: [] });
  });

  it('does not change the conditions it is given', () => {
    const rules = [
      { field: 'ladder' as const, values: ['supplier', 'key_supplier'] },
      { field: 'ladder' as const, values: ['supplier'] },
    ];
    segmentToFilter(rules);
    expect(rules[0].values).toEqual(['supplier', 'key_supplier']);
  });
});

describe('normaliseTag', () => {
  it('trims and collapses inner whitespace', () => {
    expect(normaliseTag('  重点   客户 \t ')).toBe('重点 客户');
  });
  it('keeps at most 40 characters', () => {
    expect(normaliseTag('x'.repeat(50))).toHaveLength(40);
  });
  it('blank becomes empty', () => {
    expect(normaliseTag('   ')).toBe('');
  });
});
