import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  chinaHolidays2026,
  clockAt,
  defaultCalendar,
  defaultPolicies,
  formatMinutes,
  localMidnight,
  scanDeadline,
  slaStateOf,
  validateCalendar,
  validatePolicy,
  type Calendar,
} from './sla.domain.js';

/** Shanghai is UTC+8 all year. */
const sh = (local: string) => new Date(`${local}+08:00`);
const shanghai: Calendar = { ...defaultCalendar('Asia/Shanghai'), ...chinaHolidays2026 };
const plain = defaultCalendar('Asia/Shanghai');
const berlin: Calendar = {
  timezone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  periods: [{ start: '09:00', end: '17:00' }],
  holidays: [],
  extraWorkdays: [],
};
const always = (timezone: string): Calendar => ({
  timezone,
  workingDays: [1, 2, 3, 4, 5, 6, 7],
  periods: [{ start: '00:00', end: '24:00' }],
  holidays: [],
  extraWorkdays: [],
});
const H = 60;

describe('business hours in Asia/Shanghai (09:00–12:00, 13:30–18:00, Mon–Fri)', () => {
  it('counts within one morning', () => {
    expect(addBusinessMinutes(plain, sh('2026-11-17T09:00:00'), 90)).toEqual(sh('2026-11-17T10:30:00'));
  });
  it('skips the lunch break', () => {
    expect(addBusinessMinutes(plain, sh('2026-11-17T11:00:00'), 2 * H)).toEqual(sh('2026-11-17T14:30:00'));
    expect(addBusinessMinutes(plain, sh('2026-11-17T12:15:00'), 30)).toEqual(sh('2026-11-17T14:00:00'));
  });
  it('skips the night', () => {
    expect(addBusinessMinutes(plain, sh('2026-11-17T17:00:00'), 2 * H)).toEqual(sh('2026-11-18T10:00:00'));
    expect(addBusinessMinutes(plain, sh('2026-11-17T22:40:00'), 30)).toEqual(sh('2026-11-18T09:30:00'));
  });
  it('skips the weekend', () => {
    expect(addBusinessMinutes(plain, sh('2026-11-20T17:00:00'), 2 * H)).toEqual(sh('2026-11-23T10:00:00'));
    expect(addBusinessMinutes(plain, sh('2026-11-21T03:00:00'), 30)).toEqual(sh('2026-11-23T09:30:00'));
  });
  it('counts a full working day as 7.5 hours and a week as 37.5', () => {
    expect(businessMinutesBetween(plain, sh('2026-11-16T00:00:00'), sh('2026-11-17T00:00:00'))).toBe(7.5 * H);
    expect(businessMinutesBetween(plain, sh('2026-11-16T00:00:00'), sh('2026-11-23T00:00:00'))).toBe(37.5 * H);
    expect(addBusinessMinutes(plain, sh('2026-11-16T09:00:00'), 37.5 * H)).toEqual(sh('2026-11-20T18:00:00'));
  });
  it('skips the National Day holidays and works the make-up Saturday (调休)', () => {
    expect(addBusinessMinutes(shanghai, sh('2026-09-30T17:00:00'), 2 * H)).toEqual(sh('2026-10-08T10:00:00'));
    expect(addBusinessMinutes(shanghai, sh('2026-10-09T17:00:00'), 2 * H)).toEqual(sh('2026-10-10T10:00:00'));
    // without the holiday calendar the same request would be due on 1 October
    expect(addBusinessMinutes(plain, sh('2026-09-30T17:00:00'), 2 * H)).toEqual(sh('2026-10-01T10:00:00'));
  });
  it('goes through the Spring Festival: the Saturday before is worked, nine days off follow', () => {
    expect(addBusinessMinutes(shanghai, sh('2026-02-13T17:00:00'), 2 * H)).toEqual(sh('2026-02-14T10:00:00'));
    expect(addBusinessMinutes(shanghai, sh('2026-02-14T17:00:00'), 2 * H)).toEqual(sh('2026-02-24T10:00:00'));
    expect(businessMinutesBetween(shanghai, sh('2026-02-15T00:00:00'), sh('2026-02-24T00:00:00'))).toBe(0);
  });
  it('counts New Year 2026 off and the Sunday 4 January on', () => {
    expect(addBusinessMinutes(shanghai, sh('2025-12-31T17:30:00'), 60)).toEqual(sh('2026-01-04T09:30:00'));
  });
});

describe('pauses while waiting on the customer', () => {
  const start = sh('2026-11-16T09:00:00');
  it('move the deadline by the business time they cover', () => {
    const pauses = [{ from: sh('2026-11-16T10:00:00'), to: sh('2026-11-17T10:00:00') }];
    expect(addBusinessMinutes(plain, start, 4 * H)).toEqual(sh('2026-11-16T14:30:00'));
    expect(addBusinessMinutes(plain, start, 4 * H, pauses)).toEqual(sh('2026-11-17T14:30:00'));
  });
  it('a pause outside business hours changes nothing', () => {
    const pauses = [{ from: sh('2026-11-16T18:30:00'), to: sh('2026-11-17T08:30:00') }];
    expect(addBusinessMinutes(plain, start, 8 * H, pauses)).toEqual(addBusinessMinutes(plain, start, 8 * H));
  });
  it('an open pause leaves the deadline unknown and the state paused', () => {
    const pauses = [{ from: sh('2026-11-16T10:00:00'), to: null }];
    expect(addBusinessMinutes(plain, start, 4 * H, pauses)).toBeNull();
    const v = clockAt(plain, { targetMinutes: 4 * H, startedAt: start, metAt: null, pauses, warnPct: 80 }, sh('2026-11-18T10:00:00'));
    expect(v.state).toBe('paused');
    expect(v.elapsedMinutes).toBe(60);
    expect(v.remainingMinutes).toBe(180);
    // shown deadline: as if resumed now (Wed 10:00 + 3 h)
    expect(v.dueAt).toEqual(sh('2026-11-18T14:30:00'));
    expect(scanDeadline(plain, { targetMinutes: 4 * H, startedAt: start, metAt: null, pauses, warnPct: 80 }).dueAt).toBeNull();
  });
  it('a pause that ended before the target was reached is scanned with the moved deadline', () => {
    const pauses = [{ from: sh('2026-11-16T10:00:00'), to: sh('2026-11-16T11:00:00') }];
    expect(scanDeadline(plain, { targetMinutes: 2 * H, startedAt: start, metAt: null, pauses, warnPct: 50 })).toEqual({
      dueAt: sh('2026-11-16T12:00:00'),
      warnAt: sh('2026-11-16T10:00:00'),
    });
  });
});

describe('clock states: running, paused, met, breached, warnings', () => {
  const c = { targetMinutes: 2 * H, startedAt: sh('2026-11-17T09:00:00'), metAt: null, pauses: [], warnPct: 80 };
  it('running, then warning at 80 %, then breached', () => {
    expect(clockAt(plain, c, sh('2026-11-17T10:00:00'))).toMatchObject({
      state: 'running',
      warning: false,
      elapsedMinutes: 60,
      remainingMinutes: 60,
    });
    expect(clockAt(plain, c, sh('2026-11-17T10:40:00'))).toMatchObject({ state: 'running', warning: true });
    expect(clockAt(plain, c, sh('2026-11-17T11:00:01')).state).toBe('breached');
    expect(clockAt(plain, c, sh('2026-11-17T10:40:00')).warnAt).toEqual(sh('2026-11-17T10:36:00'));
  });
  it('met in time stays met, met late is breached', () => {
    expect(clockAt(plain, { ...c, metAt: sh('2026-11-17T10:59:00') }, sh('2026-11-20T10:00:00')).state).toBe('met');
    expect(clockAt(plain, { ...c, metAt: sh('2026-11-17T11:30:00') }, sh('2026-11-20T10:00:00')).state).toBe('breached');
  });
  it('a night does not breach a clock running at 17:00', () => {
    expect(clockAt(plain, { ...c, startedAt: sh('2026-11-17T17:00:00') }, sh('2026-11-18T08:59:00'))).toMatchObject({
      state: 'running',
      elapsedMinutes: 60,
    });
  });
});

describe('a zone with daylight saving: Europe/Berlin across the March change', () => {
  it('a Friday-afternoon request is due on Monday in summer time', () => {
    // Fri 27 March 16:00 CET = 15:00Z; + 2 business hours = Mon 30 March 10:00 CEST = 08:00Z
    expect(addBusinessMinutes(berlin, new Date('2026-03-27T15:00:00Z'), 2 * H)).toEqual(new Date('2026-03-30T08:00:00Z'));
  });
  it('the business day keeps eight hours on both sides of the change', () => {
    expect(businessMinutesBetween(berlin, new Date('2026-03-26T00:00:00Z'), new Date('2026-03-27T00:00:00Z'))).toBe(8 * H);
    expect(businessMinutesBetween(berlin, new Date('2026-03-30T00:00:00Z'), new Date('2026-03-31T00:00:00Z'))).toBe(8 * H);
  });
  it('a round-the-clock calendar counts the 23-hour Sunday as 23 hours', () => {
    const c = always('Europe/Berlin');
    expect(businessMinutesBetween(c, new Date('2026-03-28T23:00:00Z'), new Date('2026-03-29T22:00:00Z'))).toBe(23 * H);
    // Sat 12:00 CET + 24 h = Sun 13:00 CEST: 24 real hours
    expect(addBusinessMinutes(c, new Date('2026-03-28T11:00:00Z'), 24 * H)).toEqual(new Date('2026-03-29T11:00:00Z'));
  });
  it('and the October change back (25-hour Sunday)', () => {
    const c = always('Europe/Berlin');
    expect(businessMinutesBetween(c, new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T23:00:00Z'))).toBe(25 * H);
    expect(addBusinessMinutes(berlin, new Date('2026-10-23T14:00:00Z'), 2 * H)).toEqual(new Date('2026-10-26T09:00:00Z'));
  });
});

describe('the local midnight, kept by the quarter hour', () => {
  it("equals luxon's start of day for any moment, in zones with half- and quarter-hour offsets and daylight saving", () => {
    const zones = ['Asia/Shanghai', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/New_York', 'Europe/Berlin', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }), (zone, ms) => {
        expect(localMidnight(always(zone), ms)).toBe(DateTime.fromMillis(ms, { zone }).startOf('day').toMillis());
      }),
      { numRuns: 3000 },
    );
    // the minutes around midnight itself, where a cached quarter would show a mistake
    for (const zone of zones)
      for (const day of ['2026-03-08', '2026-04-05', '2026-10-04', '2026-11-01', '2026-12-31']) {
        const midnight = DateTime.fromISO(`${day}T00:00`, { zone }).toMillis();
        for (const d of [-60_001, -1, 0, 1, 60_000, 14 * 60_000]) {
          const ms = midnight + d;
          expect(localMidnight(always(zone), ms), `${zone} ${day} ${d}`).toBe(DateTime.fromMillis(ms, { zone }).startOf('day').toMillis());
        }
      }
  });
});

describe('properties (fast-check)', () => {
  const when = fc.date({ min: new Date('2025-12-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true });
  const cal = fc.constantFrom(shanghai, plain, berlin, always('Europe/Berlin'), always('America/New_York'));
  const closedPauses = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 * 24 * 60 }), fc.integer({ min: 1, max: 5 * 24 * 60 })), { maxLength: 3 });

  it('no deadline precedes creation, with or without pauses', () => {
    fc.assert(
      fc.property(cal, when, fc.integer({ min: 0, max: 6000 }), closedPauses, (c, start, m, ps) => {
        const pauses = ps.map(([off, len]) => ({
          from: new Date(start.getTime() + off * 60_000),
          to: new Date(start.getTime() + (off + len) * 60_000),
        }));
        const due = addBusinessMinutes(c, start, m, pauses)!;
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(due.getTime()).toBeGreaterThanOrEqual(addBusinessMinutes(c, start, m)!.getTime());
      }),
    );
  });

  it('a paused clock never advances', () => {
    fc.assert(
      fc.property(
        cal,
        when,
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        fc.integer({ min: 1, max: 30 * 24 * 60 }),
        (c, start, target, pauseAfter, t1, dt) => {
          const from = new Date(start.getTime() + pauseAfter * 60_000);
          const clock = { targetMinutes: target, startedAt: start, metAt: null, pauses: [{ from, to: null }], warnPct: 80 };
          const a = clockAt(c, clock, new Date(from.getTime() + t1 * 60_000));
          const b = clockAt(c, clock, new Date(from.getTime() + (t1 + dt) * 60_000));
          expect(b.elapsedMinutes).toBe(a.elapsedMinutes);
          expect(b.remainingMinutes).toBe(a.remainingMinutes);
          if (a.state === 'paused') expect(b.state).toBe('paused');
        },
      ),
    );
  });

  it('counting back the business minutes to a deadline gives the target', () => {
    fc.assert(
      fc.property(cal, when, fc.integer({ min: 0, max: 6000 }), (c, start, m) => {
        const due = addBusinessMinutes(c, start, m)!;
        expect(businessMinutesBetween(c, start, due)).toBeCloseTo(m, 6);
      }),
    );
  });

  it('more minutes never give an earlier deadline', () => {
    fc.assert(
      fc.property(cal, when, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), (c, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(c, start, lo)!.getTime()).toBeLessThanOrEqual(addBusinessMinutes(c, start, hi)!.getTime());
      }),
    );
  });

  it('a round-the-clock calendar adds real minutes in any zone, daylight saving or not', () => {
    fc.assert(
      fc.property(fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Shanghai'), when, fc.integer({ min: 0, max: 10_000 }), (z, start, m) => {
        expect(addBusinessMinutes(always(z), start, m)!.getTime() - start.getTime()).toBe(m * 60_000);
      }),
    );
  });
});

describe('calendars and policies', () => {
  it('refuses a calendar without working time, with overlapping periods or an unknown zone', () => {
    expect(validateCalendar({ ...plain, workingDays: [] }).ok).toBe(false);
    expect(
      validateCalendar({
        ...plain,
        periods: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      }).ok,
    ).toBe(false);
    expect(validateCalendar({ ...plain, periods: [{ start: '18:00', end: '09:00' }] }).ok).toBe(false);
    expect(validateCalendar({ ...plain, timezone: 'Mars/Olympus' }).ok).toBe(false);
    expect(validateCalendar({ ...plain, holidays: ['2026-13-01'] }).ok).toBe(false);
    expect(validateCalendar(shanghai).ok).toBe(true);
  });
  it('has a default policy for every tier and severity; key accounts are served faster', () => {
    const p = defaultPolicies();
    expect(p).toHaveLength(20);
    const a = p.find((x) => x.tier === 'A' && x.severity === 'high')!;
    const d = p.find((x) => x.tier === 'D' && x.severity === 'high')!;
    expect(a.firstResponseMinutes).toBeLessThan(d.firstResponseMinutes);
    for (const x of p) expect(validatePolicy(x).ok).toBe(true);
    expect(validatePolicy({ firstResponseMinutes: 600, nextResponseMinutes: 60, resolutionMinutes: 120, warnPct: 80 }).ok).toBe(false);
    expect(validatePolicy({ firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 120, warnPct: 100 }).ok).toBe(false);
  });
  it('writes durations in words', () => {
    expect(formatMinutes('zh-CN', 150)).toBe('2 小时 30 分');
    expect(formatMinutes('en', 60)).toBe('1 h');
    expect(formatMinutes('en', 0)).toBe('0 min');
  });
});

describe('slaStateOf', () => {
  it('breached before warning before paused before on track; none without a running clock', () => {
    const base = { breached: false, warning: false, status: 'open', nextDueAt: null as Date | null };
    expect(slaStateOf({ ...base, breached: true, warning: true, status: 'waiting_customer' })).toBe('breached');
    expect(slaStateOf({ ...base, warning: true, status: 'waiting_customer' })).toBe('warning');
    expect(slaStateOf({ ...base, status: 'waiting_customer', nextDueAt: new Date() })).toBe('paused');
    expect(slaStateOf({ ...base, nextDueAt: new Date() })).toBe('on_track');
    expect(slaStateOf(base)).toBe('none');
  });
});
