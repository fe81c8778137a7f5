import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE, fileStamp, formatDate, formatDateTime, isoMomentsInZone } from './time.js';

describe('the one time formatter (the workspace zone, never ISO or UTC)', () => {
  // 2026-11-27 17:29 in Shanghai is still the 27th in UTC; 2026-11-27 23:30 UTC is already the 28th there
  const afternoon = new Date('2026-11-27T09:29:00.000Z');
  const lateUtc = new Date('2026-11-27T23:30:00.000Z');
  it('formats date and time in the zone given', () => {
    expect(formatDateTime(afternoon, DEFAULT_TIMEZONE)).toBe('2026-11-27 17:29');
    expect(formatDateTime(afternoon, 'Europe/Berlin')).toBe('2026-11-27 10:29');
    expect(formatDateTime(new Date('2026-11-27T16:05:00.000Z'), DEFAULT_TIMEZONE)).toBe('2026-11-28 00:05');
  });
  it("names files by the workspace's day, not the UTC one", () => {
    expect(fileStamp(lateUtc, DEFAULT_TIMEZONE)).toBe('20261128');
    expect(formatDate(lateUtc, DEFAULT_TIMEZONE)).toBe('2026-11-28');
    expect(fileStamp(lateUtc, 'UTC')).toBe('20261127');
  });
  it('rewrites the ISO moments of text stored before times were worded', () => {
    expect(isoMomentsInZone('首次响应超时（截止 2026-11-27T09:29:00.000Z）', DEFAULT_TIMEZONE)).toBe('首次响应超时（截止 2026-11-27 17:29）');
    expect(isoMomentsInZone('due 2026-11-27T09:29:00Z and 2026-11-28', 'UTC')).toBe('due 2026-11-27 09:29 and 2026-11-28');
  });
});
