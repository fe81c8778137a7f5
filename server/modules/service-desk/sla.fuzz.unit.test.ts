// Property tests of SLA clocks (SPEC §2): on any valid business calendar the deadline is never
// before the start, the warning lies between start and deadline, holidays and pauses never bring a
// deadline forward, and an open clock is breached exactly when now is past its deadline.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessMinutes, businessMinutesBetween, clockAt, scanDeadline, validateCalendar, type Calendar, type Pause } from './sla.domain.js';

const MIN = 60_000;
const hhmm = (m: number) => (m === 24 * 60 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** A valid calendar: a zone (with and without daylight saving), 1–7 working days, 1–3 ordered periods, some holidays. */
const calendar: fc.Arbitrary<Calendar> = fc
  .record({
    timezone: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Sydney'),
    workingDays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    cuts: fc.uniqueArray(
      fc.integer({ min: 0, max: 48 }).map((h) => h * 30),
      { minLength: 2, maxLength: 6 },
    ),
    holidays: fc.uniqueArray(
      fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map(day),
      { maxLength: 15 },
    ),
    extraWorkdays: fc.uniqueArray(
      fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map(day),
      { maxLength: 3 },
    ),
  })
  .map(({ cuts, ...c }) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const periods = [];
    for (let k = 0; k + 1 < sorted.length; k += 2) periods.push({ start: hhmm(sorted[k]), end: hhmm(sorted[k + 1]) });
    const r = validateCalendar({ ...c, periods });
    if (!r.ok) throw new Error(`generated an invalid calendar: ${r.key}`);
    return r.value;
  })
  // at least 10 business hours a week, so a case stays a few weeks of calendar at most (keeps the suite fast)
  .filter(
    (c) =>
      c.workingDays.length *
        c.periods.reduce(
          (s, p) => s + (Number(p.end.slice(0, 2)) * 60 + Number(p.end.slice(3)) - Number(p.start.slice(0, 2)) * 60 - Number(p.start.slice(3))),
          0,
        ) >=
      600,
  );

const when = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-10-31T00:00:00Z'), noInvalidDate: true });
const target = fc.integer({ min: 1, max: 1200 });
/** Closed pauses as (offset from start, length) in minutes. */
const pausesFrom = (start: Date, ps: [number, number][]): Pause[] =>
  ps.map(([o, l]) => ({ from: new Date(start.getTime() + o * MIN), to: new Date(start.getTime() + (o + l) * MIN) }));
const closedPauses = fc.array(fc.tuple(fc.integer({ min: 0, max: 10 * 24 * 60 }), fc.integer({ min: 1, max: 3 * 24 * 60 })), { maxLength: 3 });

describe('SLA: properties', () => {
  it('due ≥ start; the warning is between start and due; counting back gives the target', () => {
    fc.assert(
      fc.property(calendar, when, target, fc.integer({ min: 1, max: 99 }), closedPauses, (c, start, m, warnPct, ps) => {
        const pauses = pausesFrom(start, ps);
        const { dueAt, warnAt } = scanDeadline(c, { targetMinutes: m, startedAt: start, metAt: null, pauses, warnPct });
        expect(dueAt).not.toBeNull();
        expect(warnAt).not.toBeNull();
        expect(dueAt!.getTime()).toBeGreaterThan(start.getTime());
        expect(warnAt!.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(warnAt!.getTime()).toBeLessThanOrEqual(dueAt!.getTime());
        expect(businessMinutesBetween(c, start, dueAt!, pauses)).toBeCloseTo(m, 6);
      }),
      { numRuns: 50 },
    );
  }, 30_000);

  it('holidays, fewer working days and pauses never make a deadline earlier', () => {
    fc.assert(
      fc.property(
        calendar,
        when,
        target,
        fc.uniqueArray(fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map(day), {
          minLength: 1,
          maxLength: 10,
        }),
        closedPauses,
        (c, start, m, more, ps) => {
          const due = addBusinessMinutes(c, start, m)!;
          const withHolidays = validateCalendar({ ...c, holidays: [...c.holidays, ...more] });
          if (withHolidays.ok) expect(addBusinessMinutes(withHolidays.value, start, m)!.getTime()).toBeGreaterThanOrEqual(due.getTime());
          if (c.workingDays.length > 1) {
            const fewer = validateCalendar({ ...c, workingDays: c.workingDays.slice(1) });
            if (fewer.ok) expect(addBusinessMinutes(fewer.value, start, m)!.getTime()).toBeGreaterThanOrEqual(due.getTime());
          }
          expect(addBusinessMinutes(c, start, m, pausesFrom(start, ps))!.getTime()).toBeGreaterThanOrEqual(due.getTime());
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('an open clock is breached exactly when now is past its deadline; met iff answered by the deadline', () => {
    fc.assert(
      fc.property(
        calendar,
        when,
        target,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.integer({ min: 1, max: 99 }),
        (c, start, m, after, warnPct) => {
          const now = new Date(start.getTime() + after * MIN);
          const open = clockAt(c, { targetMinutes: m, startedAt: start, metAt: null, pauses: [], warnPct }, now);
          expect(open.dueAt).not.toBeNull();
          expect(open.state === 'breached').toBe(now.getTime() > open.dueAt!.getTime());
          if (open.state !== 'breached') expect(open.state).toBe('running');
          expect(open.warning).toBe(open.state === 'running' && now.getTime() >= open.warnAt!.getTime());
          expect(open.remainingMinutes).toBeGreaterThanOrEqual(0);
          expect(open.remainingMinutes).toBeCloseTo(Math.max(0, m - open.elapsedMinutes), 6);
          const met = clockAt(
            c,
            { targetMinutes: m, startedAt: start, metAt: now, pauses: [], warnPct },
            new Date(now.getTime() + 7 * 24 * 60 * MIN),
          );
          expect(met.state).toBe(now.getTime() <= met.dueAt!.getTime() ? 'met' : 'breached');
        },
      ),
      { numRuns: 50 },
    );
  }, 30_000);

  it('time only moves forward: elapsed minutes never shrink and a breach stays a breach', () => {
    fc.assert(
      fc.property(
        calendar,
        when,
        target,
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        (c, start, m, a, b) => {
          const [t1, t2] = [Math.min(a, b), Math.max(a, b)].map((x) => new Date(start.getTime() + x * MIN));
          const clock = { targetMinutes: m, startedAt: start, metAt: null, pauses: [], warnPct: 80 };
          const v1 = clockAt(c, clock, t1);
          const v2 = clockAt(c, clock, t2);
          expect(v2.elapsedMinutes).toBeGreaterThanOrEqual(v1.elapsedMinutes - 1e-9);
          if (v1.state === 'breached') expect(v2.state).toBe('breached');
          expect(v2.dueAt!.getTime()).toBe(v1.dueAt!.getTime());
        },
      ),
      { numRuns: 50 },
    );
  }, 30_000);

  it('while paused the clock does not run, and the projected deadline only moves later', () => {
    fc.assert(
      fc.property(
        calendar,
        when,
        target,
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        fc.integer({ min: 1, max: 5 * 24 * 60 }),
        (c, start, m, pauseAt, waited) => {
          const from = new Date(start.getTime() + pauseAt * MIN);
          const clock = { targetMinutes: m, startedAt: start, metAt: null, pauses: [{ from, to: null }], warnPct: 80 };
          const atPause = clockAt(c, clock, from);
          const later = clockAt(c, clock, new Date(from.getTime() + waited * MIN));
          expect(later.elapsedMinutes).toBeCloseTo(atPause.elapsedMinutes, 6);
          if (atPause.dueAt!.getTime() > from.getTime()) {
            expect(later.state).toBe('paused');
            expect(later.dueAt!.getTime()).toBeGreaterThanOrEqual(atPause.dueAt!.getTime());
          }
          expect(scanDeadline(c, clock)).toEqual({ dueAt: null, warnAt: null });
        },
      ),
      { numRuns: 50 },
    );
  }, 30_000);
});
