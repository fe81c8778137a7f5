import { describe, expect, it } from 'vitest';
import {
  channelsFor,
  defaultChannels,
  headline,
  linkOf,
  noticeKinds,
  sendAfterQuietHours,
  urgentKinds,
  validQuietHours,
} from './notifications.domain.js';

const at = (iso: string) => new Date(iso);
const SH = 'Asia/Shanghai';

describe('quiet hours (in the workspace time zone)', () => {
  it('a window across midnight holds a notice until it ends, before and after midnight', () => {
    const q = { start: '22:00', end: '07:30' };
    // 23:10 Shanghai → 07:30 the next morning
    expect(sendAfterQuietHours(at('2026-12-03T15:10:00Z'), SH, q)).toEqual(at('2026-12-03T23:30:00Z'));
    // 02:00 Shanghai → 07:30 that morning
    expect(sendAfterQuietHours(at('2026-12-03T18:00:00Z'), SH, q)).toEqual(at('2026-12-03T23:30:00Z'));
    // 12:00 Shanghai → at once
    expect(sendAfterQuietHours(at('2026-12-04T04:00:00Z'), SH, q)).toEqual(at('2026-12-04T04:00:00Z'));
    // exactly at the end: no longer quiet
    expect(sendAfterQuietHours(at('2026-12-03T23:30:00Z'), SH, q)).toEqual(at('2026-12-03T23:30:00Z'));
  });
  it('a window within one day, in another zone, and none at all', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(sendAfterQuietHours(at('2026-12-03T11:15:00Z'), 'Europe/Berlin', lunch)).toEqual(at('2026-12-03T12:30:00Z'));
    expect(sendAfterQuietHours(at('2026-12-03T11:15:00Z'), SH, { start: null, end: null })).toEqual(at('2026-12-03T11:15:00Z'));
  });
  it('accepts only both ends, well formed and different', () => {
    expect(validQuietHours(null, null)).toBe(true);
    expect(validQuietHours('22:00', null)).toBe(false);
    expect(validQuietHours('24:00', '07:00')).toBe(false);
    expect(validQuietHours('07:00', '07:00')).toBe(false);
    expect(validQuietHours('22:00', '07:00')).toBe(true);
  });
});

describe('kinds, channels, links and words', () => {
  it('every kind has defaults, a link and words in both languages; only breaches and key moments are urgent', () => {
    expect([...urgentKinds].sort()).toEqual(['key_moment', 'sla_breached']);
    for (const k of noticeKinds) {
      expect(defaultChannels[k].inApp).toBe(true);
      for (const loc of ['zh-CN', 'en'] as const) expect(headline(k, '标题', { number: 7, accountName: '华东重工' }, loc)).toContain('标题');
    }
  });
  it('a saved choice overrides the default of its kind only', () => {
    const saved = { portal_need: { inApp: false, email: false, im: true } };
    expect(channelsFor('portal_need', saved)).toEqual({ inApp: false, email: false, im: true });
    expect(channelsFor('sla_breached', saved)).toEqual(defaultChannels.sla_breached);
  });
  it('links open the record in the console', () => {
    expect(linkOf({ recordType: 'ticket', recordId: 't1', accountId: 'a1' })).toBe('/service-desk/tickets/t1');
    expect(linkOf({ recordType: 'booking', recordId: 'b1', accountId: 'a1' })).toBe('/accounts/a1?tab=valueAdd');
    expect(linkOf({ recordType: 'opportunity', recordId: 'o1', accountId: 'a1' })).toBe('/opportunities?open=o1');
    expect(headline('sla_breached', '生产线停机', { number: 9, accountName: '华东重工' }, 'zh-CN')).toBe(
      'SLA 超时已升级给你：#9 生产线停机（华东重工）',
    );
  });
});
