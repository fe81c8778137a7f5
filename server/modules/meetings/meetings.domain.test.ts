import { describe, expect, it } from 'vitest';
import ical from 'node-ical';
import { checkRecurrence, presetRule, MAX_OCCURRENCES } from './recurrence.domain.js';
import { summariseOffline, extractDue, detectLanguage } from './summariser.domain.js';
import { dueNotices, meetingReminderDue, defaultPolicy, type ItemClock } from './supervision.domain.js';
import { buildIcs } from './ics.domain.js';
import { defaultCalendar, firstFreeSlot } from '../service-desk/sla.domain.js';
import { KEY_MOMENT_LEAD_MS, KEY_MOMENT_MINUTES } from './meetings.domain.js';
import { checkCause, checkSingleLine, checkTimes, keyMomentInvitees, keyMomentTitle, checkActionMove } from './meetings.domain.js';

const iso = (d: Date) => d.toISOString();

describe('recurrence (RFC 5545 RRULE)', () => {
  it('monthly from the 31st skips months without one (RFC 5545), and BYMONTHDAY=-1 lands on each month end', () => {
    const start = new Date('2026-01-31T02:00:00Z');
    const r = checkRecurrence('FREQ=MONTHLY;COUNT=4', start);
    expect(r.ok && r.value.occurrences.map(iso)).toEqual([
      '2026-01-31T02:00:00.000Z',
      '2026-03-31T02:00:00.000Z',
      '2026-05-31T02:00:00.000Z',
      '2026-07-31T02:00:00.000Z',
    ]);
    const last = checkRecurrence('FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4', start);
    expect(last.ok && last.value.occurrences.map(iso)).toEqual([
      '2026-01-31T02:00:00.000Z',
      '2026-02-28T02:00:00.000Z',
      '2026-03-31T02:00:00.000Z',
      '2026-04-30T02:00:00.000Z',
    ]);
  });
  it('every half month: the 1st and the 16th, across a month end and a leap February', () => {
    const r = checkRecurrence(presetRule('semimonthly', 5), new Date('2028-01-20T01:30:00Z'));
    expect(r.ok && r.value.occurrences.map(iso)).toEqual([
      '2028-02-01T01:30:00.000Z',
      '2028-02-16T01:30:00.000Z',
      '2028-03-01T01:30:00.000Z',
      '2028-03-16T01:30:00.000Z',
      '2028-04-01T01:30:00.000Z',
    ]);
  });
  it('UNTIL bounds a series; the year end is crossed', () => {
    const r = checkRecurrence('FREQ=MONTHLY;UNTIL=20270301T000000Z', new Date('2026-11-30T02:00:00Z'));
    expect(r.ok && r.value.occurrences.map(iso)).toEqual(['2026-11-30T02:00:00.000Z', '2026-12-30T02:00:00.000Z', '2027-01-30T02:00:00.000Z']);
  });
  it('refuses a rule that never ends, one with too many meetings, and garbage', () => {
    expect(checkRecurrence('FREQ=MONTHLY', new Date())).toMatchObject({ ok: false, key: 'meeting.rrule_unbounded', field: 'rrule' });
    expect(checkRecurrence(`FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}`, new Date())).toMatchObject({ ok: false, key: 'meeting.rrule_too_many' });
    expect(checkRecurrence('FREQ=DAILY;UNTIL=20991231T000000Z', new Date('2026-01-01T00:00:00Z'))).toMatchObject({
      ok: false,
      key: 'meeting.rrule_too_many',
    });
    expect(checkRecurrence('FREQ=MINUTELY;COUNT=3', new Date())).toMatchObject({ ok: false, key: 'meeting.rrule_invalid' });
    expect(checkRecurrence('FREQ=MONTHLY;COUNT=3\r\nATTENDEE:x', new Date())).toMatchObject({ ok: false, key: 'meeting.rrule_invalid' });
    expect(checkRecurrence('hello', new Date())).toMatchObject({ ok: false });
  });
});

const zhMinutes = `客户现状：华东电网二期项目上线后运行平稳，但报表模块响应偏慢。
会议决定：本季度优先解决报表性能问题，暂缓新功能开发。
王工负责在下周三前提交报表性能优化方案。
李娜跟进客户采购流程，截止12月15日确认预算。
客户提出希望增加移动端审批，后续评估。`;

const enMinutes = `The customer is happy with the rollout but reports slow dashboards.
We agreed to prioritise dashboard performance this quarter.
Action: Alice will send the performance plan by Friday.
Owner: Bob — confirm the renewal budget, due 2026-12-15.
The customer mentioned a possible merger next year.`;

describe('offline summariser', () => {
  const people = [
    { id: 'u-wang', name: '王工' },
    { id: 'u-li', name: '李娜' },
  ];
  it('Chinese minutes: decisions, and action items with owner and due date (meeting on Wed 2026-11-25)', () => {
    const s = summariseOffline(zhMinutes, new Date('2026-11-25T00:00:00Z'), people);
    expect(s.language).toBe('zh');
    expect(s.decisions).toEqual(['会议决定：本季度优先解决报表性能问题，暂缓新功能开发']);
    expect(s.actionItems).toEqual([
      { title: '王工负责在下周三前提交报表性能优化方案', ownerId: 'u-wang', ownerName: '王工', dueOn: '2026-12-02' },
      { title: '李娜跟进客户采购流程，截止12月15日确认预算', ownerId: 'u-li', ownerName: '李娜', dueOn: '2026-12-15' },
    ]);
    expect(s.summary.length).toBeGreaterThan(0);
    expect(zhMinutes).toContain(s.summary.split('。')[0]);
  });
  it('English minutes: decisions and action items (meeting on Wed 2026-11-25)', () => {
    const s = summariseOffline(enMinutes, new Date('2026-11-25T00:00:00Z'), [{ id: 'u-a', name: 'Alice' }]);
    expect(s.language).toBe('en');
    expect(s.decisions).toEqual(['We agreed to prioritise dashboard performance this quarter']);
    expect(s.actionItems).toEqual([
      { title: 'Alice will send the performance plan by Friday', ownerId: 'u-a', ownerName: 'Alice', dueOn: '2026-11-27' },
      { title: 'Owner: Bob — confirm the renewal budget, due 2026-12-15', ownerId: null, ownerName: 'Bob', dueOn: '2026-12-15' },
    ]);
  });
  it('relative dates and language detection', () => {
    const wed = new Date('2026-11-25T00:00:00Z');
    expect(extractDue('下周一前完成', wed)).toBe('2026-11-30');
    expect(extractDue('下周跟进', wed)).toBe('2026-12-02');
    expect(extractDue('3天内回复', wed)).toBe('2026-11-28');
    expect(extractDue('1月5日前', wed)).toBe('2027-01-05');
    expect(extractDue('next Monday', wed)).toBe('2026-11-30');
    expect(extractDue('no date here', wed)).toBeNull();
    expect(detectLanguage('会议纪要 with some English')).toBe('zh');
    expect(detectLanguage('Minutes of the meeting')).toBe('en');
  });
});

describe('reminders and escalation (injected clock)', () => {
  const policy = { ...defaultPolicy, meetingReminderMinutes: 30, dueReminderHours: 24, escalateAfterDays: 2 };
  const due = new Date('2026-12-02T16:00:00Z');
  it('each notice fires when due and only once as the clock advances', () => {
    let item: ItemClock = { status: 'open', dueAt: due, dueRemindedAt: null, overdueNotifiedAt: null, escalatedAt: null };
    const fired: [string, string][] = [];
    // walk the clock in 1-hour steps from 3 days before to 4 days after
    for (let t = due.getTime() - 72 * 3_600_000; t <= due.getTime() + 96 * 3_600_000; t += 3_600_000) {
      const now = new Date(t);
      for (const n of dueNotices(item, now, policy)) {
        fired.push([n, now.toISOString()]);
        item = { ...item, ...(n === 'due_soon' ? { dueRemindedAt: now } : n === 'overdue' ? { overdueNotifiedAt: now } : { escalatedAt: now }) };
      }
    }
    expect(fired).toEqual([
      ['due_soon', '2026-12-01T16:00:00.000Z'],
      ['overdue', '2026-12-02T16:00:00.000Z'],
      ['escalate', '2026-12-04T16:00:00.000Z'],
    ]);
  });
  it('one millisecond early is not due; done items are never chased; a late scan catches up without a stale reminder', () => {
    const item: ItemClock = { status: 'open', dueAt: due, dueRemindedAt: null, overdueNotifiedAt: null, escalatedAt: null };
    expect(dueNotices(item, new Date(due.getTime() - 24 * 3_600_000 - 1), policy)).toEqual([]);
    expect(dueNotices(item, new Date(due.getTime() - 1), policy)).toEqual(['due_soon']);
    expect(dueNotices({ ...item, status: 'done' }, new Date(due.getTime() + 10 * 86_400_000), policy)).toEqual([]);
    expect(dueNotices(item, new Date(due.getTime() + 3 * 86_400_000), policy)).toEqual(['overdue', 'escalate']);
  });
  it('a meeting reminder is due from 30 minutes before the start until it starts, once', () => {
    const m = { status: 'scheduled', startsAt: new Date('2026-12-01T02:00:00Z'), reminderSentAt: null };
    expect(meetingReminderDue(m, new Date('2026-12-01T01:29:59Z'), policy)).toBe(false);
    expect(meetingReminderDue(m, new Date('2026-12-01T01:30:00Z'), policy)).toBe(true);
    expect(meetingReminderDue({ ...m, reminderSentAt: new Date() }, new Date('2026-12-01T01:45:00Z'), policy)).toBe(false);
    expect(meetingReminderDue(m, new Date('2026-12-01T02:00:00Z'), policy)).toBe(false);
    expect(meetingReminderDue({ ...m, status: 'cancelled' }, new Date('2026-12-01T01:45:00Z'), policy)).toBe(false);
  });
});

describe('ICS invites', () => {
  const base = {
    uid: 'm-1@keyward',
    sequence: 0,
    method: 'REQUEST' as const,
    title: '关键时点会议：华东电网·客户投诉',
    description: '议程：\n1. 复盘投诉\n2. 制定整改计划',
    location: '3号会议室, 北京',
    startsAt: new Date('2026-12-01T02:00:00Z'),
    endsAt: new Date('2026-12-01T03:00:00Z'),
    organizer: { name: '张经理', email: 'manager@demo.keyward.cn' },
    attendees: [
      { name: '李销售', email: 'sales@demo.keyward.cn' },
      { name: 'Wang "After-sales"', email: 'aftersales@demo.keyward.cn' },
    ],
  };
  it('is parsed back by an independent parser (node-ical) with the same fields', () => {
    const text = buildIcs({ ...base, rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=4' });
    expect(text).toContain('METHOD:REQUEST');
    // long lines are folded (the library folds at 75 characters; continuation lines start with a tab)
    expect(text.split('\r\n').every((l) => [...l].length <= 75)).toBe(true);
    expect(text).toMatch(/\r\n\t/);
    const parsed = ical.sync.parseICS(text);
    const ev = Object.values(parsed).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(ev.uid).toBe('m-1@keyward');
    expect(ev.summary).toBe(base.title);
    expect(ev.description).toBe(base.description);
    expect(ev.location).toBe(base.location);
    expect(new Date(ev.start).toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(new Date(ev.end).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    const attendees = ([] as unknown[]).concat(ev.attendee as unknown as unknown[]).map((a) => String((a as { val: string }).val).toLowerCase());
    expect(attendees).toEqual(['mailto:sales@demo.keyward.cn', 'mailto:aftersales@demo.keyward.cn']);
    expect(ev.rrule?.all().map(iso)).toEqual([
      '2026-12-01T02:00:00.000Z',
      '2026-12-16T02:00:00.000Z',
      '2027-01-01T02:00:00.000Z',
      '2027-01-16T02:00:00.000Z',
    ]);
  });
  it('an update raises the sequence; a cancellation says CANCEL', () => {
    const text = buildIcs({ ...base, method: 'CANCEL', sequence: 2 });
    expect(text).toContain('METHOD:CANCEL');
    const ev = Object.values(ical.sync.parseICS(text)).find((c) => c.type === 'VEVENT') as ical.VEvent & { sequence: string };
    expect(ev.status).toBe('CANCELLED');
    expect(String(ev.sequence)).toBe('2');
  });
  it('one occurrence of a series is cancelled by the series UID and its RECURRENCE-ID', () => {
    const text = buildIcs({ ...base, uid: 's-1@keyward', method: 'CANCEL', sequence: 1, recurrenceId: new Date('2026-12-16T02:00:00Z') });
    expect(text).toContain('RECURRENCE-ID:20261216T020000Z');
    const ev = Object.values(ical.sync.parseICS(text)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(ev.uid).toBe('s-1@keyward');
    expect(new Date(ev.recurrenceid as unknown as Date).toISOString()).toBe('2026-12-16T02:00:00.000Z');
  });
  it('no value can inject a calendar line: CR, LF or a lone CR become text', () => {
    const text = buildIcs({
      ...base,
      title: 'x\r\nATTENDEE:mailto:evil@x.cn',
      description: 'a\rBEGIN:VEVENT\nEND:VCALENDAR',
      location: 'r\nORGANIZER:mailto:evil@x.cn',
    });
    const lines = text.split('\r\n');
    expect(lines.filter((l) => l.startsWith('BEGIN:VEVENT'))).toHaveLength(1);
    expect(lines.filter((l) => /^ATTENDEE/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^ORGANIZER/.test(l))).toHaveLength(1);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const ev = Object.values(ical.sync.parseICS(text)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(ev.summary).toBe('x ATTENDEE:mailto:evil@x.cn');
    expect(Object.values(ical.sync.parseICS(text)).filter((c) => c.type === 'VEVENT')).toHaveLength(1);
  });
});

describe('meeting rules', () => {
  it('refuses CR/LF in single-line fields and a meeting ending before it starts', () => {
    expect(checkSingleLine('周例会\r\nBcc: x@y', 'title')).toMatchObject({ ok: false, key: 'meeting.line_break', field: 'title' });
    expect(checkSingleLine('a\u2028b', 'title')).toMatchObject({ ok: false });
    expect(checkSingleLine(' 周例会 ', 'title')).toEqual({ ok: true, value: '周例会' });
    expect(checkTimes(new Date('2026-12-01T03:00:00Z'), new Date('2026-12-01T02:00:00Z'))).toMatchObject({
      ok: false,
      key: 'meeting.ends_before_start',
      field: 'endsAt',
    });
    expect(checkTimes(new Date('2026-12-01T03:00:00Z'), new Date('2026-12-01T03:00:00Z'))).toMatchObject({ ok: false });
    expect(checkTimes(new Date('2026-12-01T02:00:00Z'), new Date('2026-12-01T03:00:00Z')).ok).toBe(true);
  });
  it('key moments invite the whole iron triangle, sales included, once each', () => {
    expect(keyMomentInvitees({ salesId: 's', deliveryId: 'd', afterSalesId: 'a', csmId: null }, ['s', 'm'])).toEqual(['s', 'd', 'a', 'm']);
    expect(checkCause('key_moment', 'sow_review').ok).toBe(true);
    expect(checkCause('ad_hoc', 'complaint')).toMatchObject({ ok: false, field: 'cause' });
    expect(keyMomentTitle('zh-CN', 'complaint', '华东电网', '报表\r\n慢')).toBe('关键时点会议：华东电网·客户投诉（报表 慢）');
    expect(checkActionMove('done', 'cancelled')).toMatchObject({ ok: false });
    expect(checkActionMove('done', 'open').ok).toBe(true);
  });
});

describe('a key-moment meeting fits the business calendar', () => {
  const cal = { ...defaultCalendar('Asia/Shanghai'), holidays: ['2027-01-01'] };
  const at = (iso: string) => new Date(iso);
  it('a complaint at 00:51 is met at 09:00 that working day, not at 03:00', () => {
    // Thursday 2026-12-03 00:51 in Shanghai = 2026-12-02 16:51 UTC; two hours' lead still falls at night
    const from = new Date(at('2026-12-02T16:51:00Z').getTime() + KEY_MOMENT_LEAD_MS);
    expect(firstFreeSlot(cal, from, KEY_MOMENT_MINUTES)).toEqual({ startsAt: at('2026-12-03T01:00:00Z'), endsAt: at('2026-12-03T02:00:00Z') });
  });
  it('skips the lunch break, weekends and holidays, and steps past busy people', () => {
    // 11:10 Friday: 11:30–12:30 would cross lunch → 13:30
    expect(firstFreeSlot(cal, at('2026-12-04T03:10:00Z'), 60).startsAt).toEqual(at('2026-12-04T05:30:00Z'));
    // 17:30 Friday → Monday 09:00
    expect(firstFreeSlot(cal, at('2026-12-04T09:30:00Z'), 60).startsAt).toEqual(at('2026-12-07T01:00:00Z'));
    // New Year's Eve evening → the holiday is skipped (and the weekend after it) → Monday 4 January 09:00
    expect(firstFreeSlot(cal, at('2026-12-31T12:00:00Z'), 60).startsAt).toEqual(at('2027-01-04T01:00:00Z'));
    // somebody is busy 09:00–10:15 → 10:30
    const busy = [{ start: at('2026-12-03T01:00:00Z'), end: at('2026-12-03T02:15:00Z') }];
    expect(firstFreeSlot(cal, at('2026-12-02T16:51:00Z'), 60, busy).startsAt).toEqual(at('2026-12-03T02:30:00Z'));
  });
  it('keeps the half-hour grid in a zone with a half-hour offset', () => {
    const india = defaultCalendar('Asia/Kolkata');
    // 09:05 local (03:35 UTC) → 09:30 local = 04:00 UTC
    expect(firstFreeSlot(india, at('2026-12-03T03:35:00Z'), 60).startsAt).toEqual(at('2026-12-03T04:00:00Z'));
  });
});
