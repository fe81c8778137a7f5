/**
 * SLA clocks in business hours (SPEC §2). Pure: a calendar (time zone, working days, working periods
 * such as 09:00–12:00 and 13:30–18:00 around lunch, holidays and make-up working days 调休), a start,
 * a target in business minutes and the pauses while waiting on the customer give a deadline, a
 * warning moment and a state. Local times are resolved with luxon in the calendar's zone, so days
 * with a daylight-saving change have the hours they really have.
 */
import { DateTime } from 'luxon';
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import type { Severity, DispatchTier } from './dispatch.domain.js';

export type Period = { start: string; end: string };
export type Calendar = {
  timezone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday */
  workingDays: number[];
  periods: Period[];
  /** YYYY-MM-DD days off (public holidays) */
  holidays: string[];
  /** YYYY-MM-DD weekend days that are working days (调休) */
  extraWorkdays: string[];
};
export type Pause = { from: Date; to: Date | null };

/** The calendar of a workspace that has not set one: weekdays 09:00–12:00 and 13:30–18:00 in its time zone. */
export const defaultCalendar = (timezone: string): Calendar => ({
  timezone,
  workingDays: [1, 2, 3, 4, 5],
  periods: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  holidays: [],
  extraWorkdays: [],
});

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function validateCalendar(c: Calendar): RuleResult<Calendar> {
  if (!DateTime.local().setZone(c.timezone).isValid) return fail('sla.calendar_zone', { zone: c.timezone }, 'timezone');
  if (!c.workingDays.length || c.workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return fail('sla.calendar_days', {}, 'workingDays');
  if (!c.periods.length) return fail('sla.calendar_periods', {}, 'periods');
  const sorted = [...c.periods].sort((a, b) => a.start.localeCompare(b.start));
  let last = -1;
  for (const p of sorted) {
    if (!HHMM.test(p.start) || !HHMM.test(p.end)) return fail('sla.calendar_periods', {}, 'periods');
    const s = minutesOf(p.start);
    const e = minutesOf(p.end);
    if (e <= s || s < last) return fail('sla.calendar_periods', {}, 'periods');
    last = e;
  }
  for (const d of [...c.holidays, ...c.extraWorkdays])
    if (!DateTime.fromISO(d).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return fail('sla.calendar_date', { date: d }, 'holidays');
  return ok({
    ...c,
    periods: sorted,
    workingDays: [...new Set(c.workingDays)].sort(),
    holidays: [...new Set(c.holidays)].sort(),
    extraWorkdays: [...new Set(c.extraWorkdays)].sort(),
  });
}

export function isWorkingDay(c: Calendar, isoDate: string, weekday: number): boolean {
  if (c.extraWorkdays.includes(isoDate)) return true;
  if (c.holidays.includes(isoDate)) return false;
  return c.workingDays.includes(weekday);
}

const MAX_DAYS = 3 * 366;

/**
 * One local day of a calendar: its working intervals [start, end) in epoch ms and where the next day starts.
 * Every clock on every ticket shown walks the same few weeks of the same calendar, and building a day takes
 * several time-zone conversions, so days are kept per calendar (by its content, as calendars are read afresh
 * per request) — bounded, and correct for any calendar since a different content is a different key.
 */
type Day = { intervals: [number, number][]; next: number };
const dayCache = new Map<string, Map<number, Day>>();
const DAY_CACHE_CALENDARS = 256;
const DAY_CACHE_DAYS = 4 * 366;

function daysOf(c: Calendar): Map<number, Day> {
  const key = JSON.stringify([c.timezone, c.workingDays, c.periods, c.holidays, c.extraWorkdays]);
  let days = dayCache.get(key);
  if (!days) {
    if (dayCache.size >= DAY_CACHE_CALENDARS) dayCache.delete(dayCache.keys().next().value as string);
    days = new Map();
    dayCache.set(key, days);
  }
  return days;
}

function dayAt(c: Calendar, days: Map<number, Day>, startMs: number): Day {
  let d = days.get(startMs);
  if (!d) {
    const day = DateTime.fromMillis(startMs, { zone: c.timezone });
    const intervals: [number, number][] = [];
    if (isWorkingDay(c, day.toISODate()!, day.weekday)) {
      for (const p of c.periods) {
        const s = at(c, day, p.start);
        const e = at(c, day, p.end);
        if (e > s) intervals.push([s, e]);
      }
    }
    d = { intervals, next: day.plus({ days: 1 }).startOf('day').toMillis() };
    if (days.size >= DAY_CACHE_DAYS) days.clear();
    days.set(startMs, d);
  }
  return d;
}

// The local midnight before a moment, per calendar, by the quarter hour the moment falls in: every zone's offset
// is a whole number of quarter hours, so a local midnight never falls inside one and the answer is the same for
// every moment of it (a ticket page's clocks asked luxon for it on every view: 5 % of the page's CPU).
const QUARTER_HOUR = 15 * 60_000;
const dayStarts = new WeakMap<Map<number, Day>, Map<number, number>>();
function dayStartOf(c: Calendar, days: Map<number, Day>, ms: number): number {
  let starts = dayStarts.get(days);
  if (!starts) {
    starts = new Map();
    dayStarts.set(days, starts);
  }
  const quarter = Math.floor(ms / QUARTER_HOUR);
  let start = starts.get(quarter);
  if (start === undefined) {
    start = DateTime.fromMillis(quarter * QUARTER_HOUR, { zone: c.timezone })
      .startOf('day')
      .toMillis();
    if (starts.size >= DAY_CACHE_DAYS * 96) starts.clear();
    starts.set(quarter, start);
  }
  return start;
}

/** The calendar-zone midnight at or before `ms` (what workingIntervals starts from). */
export function localMidnight(c: Calendar, ms: number): number {
  return dayStartOf(c, daysOf(c), ms);
}

/** Working intervals [start, end) in epoch ms, in order, from the day `fromMs` falls on. */
function* workingIntervals(c: Calendar, fromMs: number): Generator<[number, number]> {
  const days = daysOf(c);
  let start = dayStartOf(c, days, fromMs);
  for (let i = 0; i < MAX_DAYS; i++) {
    const d = dayAt(c, days, start);
    for (const [s, e] of d.intervals) if (e > fromMs) yield [Math.max(s, fromMs), e];
    start = d.next;
  }
}

function at(c: Calendar, day: DateTime, hhmm: string): number {
  if (hhmm === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) },
    { zone: c.timezone },
  ).toMillis();
}

/** Subtracts the pauses from one interval; an open pause removes everything after its start. */
function minusPauses([s, e]: [number, number], pauses: Pause[]): [number, number][] {
  let parts: [number, number][] = [[s, e]];
  for (const p of pauses) {
    const ps = p.from.getTime();
    const pe = p.to ? p.to.getTime() : Infinity;
    parts = parts.flatMap(([a, b]): [number, number][] => {
      if (pe <= a || ps >= b) return [[a, b]];
      const out: [number, number][] = [];
      if (ps > a) out.push([a, ps]);
      if (pe < b) out.push([pe, b]);
      return out;
    });
  }
  return parts;
}

/**
 * The moment `minutes` business minutes after `start`, not counting pauses. Null while an open
 * pause stops the clock before the target is reached (the deadline is unknown until it resumes).
 */
export function addBusinessMinutes(c: Calendar, start: Date, minutes: number, pauses: Pause[] = []): Date | null {
  let remaining = Math.max(0, minutes) * 60_000;
  const t0 = start.getTime();
  if (remaining === 0) return new Date(t0);
  const openFrom = pauses.filter((p) => !p.to).reduce((m, p) => Math.min(m, p.from.getTime()), Infinity);
  for (const iv of workingIntervals(c, t0)) {
    if (iv[0] >= openFrom) return null;
    for (const [a, b] of minusPauses(iv, pauses)) {
      const len = b - a;
      if (remaining <= len) return new Date(a + remaining);
      remaining -= len;
    }
  }
  throw new Error('the calendar has no working time within three years');
}

/**
 * The first slot of `minutes` that starts at or after `from` on a step boundary (:00, :30 … in the
 * calendar's zone), lies inside one working period of a working day, and overlaps none of `busy`.
 * Meetings proposed by the system use it: never at night, on a weekend or on a holiday.
 */
export function firstFreeSlot(
  c: Calendar,
  from: Date,
  minutes: number,
  busy: { start: Date; end: Date }[] = [],
  stepMinutes = 30,
): { startsAt: Date; endsAt: Date } {
  const len = minutes * 60_000;
  const step = stepMinutes * 60_000;
  const taken = busy.map((b) => [b.start.getTime(), b.end.getTime()] as const).sort((x, y) => x[0] - y[0]);
  // step boundaries counted from the local midnight, so :00 and :30 hold in any zone offset
  const align = (ms: number) => {
    const midnight = DateTime.fromMillis(ms, { zone: c.timezone }).startOf('day').toMillis();
    return midnight + Math.ceil((ms - midnight) / step) * step;
  };
  for (const [a, b] of workingIntervals(c, from.getTime())) {
    let start = align(Math.max(a, from.getTime()));
    while (start + len <= b) {
      const clash = taken.find(([s, e]) => s < start + len && e > start);
      if (!clash) return { startsAt: new Date(start), endsAt: new Date(start + len) };
      start = align(clash[1]);
    }
  }
  throw new Error('the calendar has no free working time within three years');
}

/** Business minutes (fractional) between two moments, not counting pauses. */
export function businessMinutesBetween(c: Calendar, from: Date, to: Date, pauses: Pause[] = []): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let ms = 0;
  for (const iv of workingIntervals(c, a)) {
    if (iv[0] >= b) break;
    for (const [x, y] of minusPauses([iv[0], Math.min(iv[1], b)], pauses)) if (y > x) ms += y - x;
    if (iv[1] >= b) break;
  }
  return ms / 60_000;
}

export type ClockKind = 'first_response' | 'next_response' | 'resolution';
export type ClockState = 'running' | 'paused' | 'met' | 'breached';
export type ClockView = {
  state: ClockState;
  /** the deadline; while paused, the deadline if the clock resumed now */
  dueAt: Date | null;
  warnAt: Date | null;
  warning: boolean;
  elapsedMinutes: number;
  remainingMinutes: number;
};

export type ClockInput = { targetMinutes: number; startedAt: Date; metAt: Date | null; pauses: Pause[]; warnPct: number };

/** The clock as of `now`: deadline, warning moment, state and the business minutes used and left. */
export function clockAt(c: Calendar, clock: ClockInput, now: Date): ClockView {
  const end = clock.metAt ?? now;
  const pauses = clock.pauses
    .filter((p) => p.from.getTime() < end.getTime())
    .map((p) => ({ from: p.from, to: p.to && p.to.getTime() < end.getTime() ? p.to : null }));
  const paused = !clock.metAt && pauses.some((p) => !p.to);
  // projected pauses: an open pause counts as ending now (for the deadline shown while paused)
  const projected = pauses.map((p) => ({ from: p.from, to: p.to ?? end }));
  const dueAt = addBusinessMinutes(c, clock.startedAt, clock.targetMinutes, projected);
  const warnAt = addBusinessMinutes(c, clock.startedAt, Math.floor((clock.targetMinutes * clock.warnPct) / 100), projected);
  const elapsedMinutes = businessMinutesBetween(c, clock.startedAt, end, projected);
  const remainingMinutes = Math.max(0, clock.targetMinutes - elapsedMinutes);
  let state: ClockState;
  if (clock.metAt) state = dueAt && clock.metAt.getTime() <= dueAt.getTime() ? 'met' : 'breached';
  else if (dueAt && now.getTime() > dueAt.getTime()) state = 'breached';
  else state = paused ? 'paused' : 'running';
  const warning = state === 'running' && !!warnAt && now.getTime() >= warnAt.getTime();
  return { state, dueAt, warnAt, warning, elapsedMinutes, remainingMinutes };
}

/**
 * The deadline to store for the breach scan: null while paused or met (nothing to scan), else the
 * deadline with every closed pause accounted for.
 */
export function scanDeadline(c: Calendar, clock: ClockInput): { dueAt: Date | null; warnAt: Date | null } {
  if (clock.metAt || clock.pauses.some((p) => !p.to)) return { dueAt: null, warnAt: null };
  return {
    dueAt: addBusinessMinutes(c, clock.startedAt, clock.targetMinutes, clock.pauses),
    warnAt: addBusinessMinutes(c, clock.startedAt, Math.floor((clock.targetMinutes * clock.warnPct) / 100), clock.pauses),
  };
}

// ---- policies: tier × severity

export type Targets = { firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number; warnPct: number };
export type PolicyRow = Targets & { tier: DispatchTier; severity: Severity };

const H = 60;
/** Defaults when a workspace has not set its own: key accounts are served fastest, channel accounts by the partner first. */
const baseTargets: Record<Severity, [number, number, number]> = {
  critical: [0.5 * H, 2 * H, 8 * H],
  high: [1 * H, 4 * H, 16 * H],
  medium: [4 * H, 8 * H, 40 * H],
  low: [8 * H, 16 * H, 80 * H],
};
const tierFactor: Record<DispatchTier, number> = { A: 1, C: 1, B: 2, D: 2, E: 2 };

export function defaultPolicies(): PolicyRow[] {
  const rows: PolicyRow[] = [];
  for (const tier of ['A', 'B', 'C', 'D', 'E'] as const)
    for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
      const [f, n, r] = baseTargets[severity].map((m) => Math.round(m * tierFactor[tier]));
      rows.push({ tier, severity, firstResponseMinutes: f, nextResponseMinutes: n, resolutionMinutes: r, warnPct: 80 });
    }
  return rows;
}

export function validatePolicy(p: Targets): RuleResult<Targets> {
  if (p.firstResponseMinutes > p.resolutionMinutes) return fail('sla.policy_order', {}, 'firstResponseMinutes');
  if (p.nextResponseMinutes > p.resolutionMinutes) return fail('sla.policy_order', {}, 'nextResponseMinutes');
  if (p.warnPct < 1 || p.warnPct > 99) return fail('sla.policy_warn', {}, 'warnPct');
  return ok(p);
}

/** Business minutes in words: "2 小时 30 分" / "2 h 30 min". */
export function formatMinutes(locale: 'zh-CN' | 'en', m: number): string {
  const total = Math.round(m);
  const h = Math.floor(total / 60);
  const min = total % 60;
  if (locale === 'en') return [h ? `${h} h` : '', min || !h ? `${min} min` : ''].filter(Boolean).join(' ');
  return [h ? `${h} 小时` : '', min || !h ? `${min} 分` : ''].filter(Boolean).join(' ');
}

/** China's 2026 public holidays and make-up working days (国务院办公厅 2026 年部分节假日安排). */
export const chinaHolidays2026 = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  extraWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** How a ticket stands against its SLA, for queues: the worst first. */
export type SlaState = 'breached' | 'warning' | 'paused' | 'on_track' | 'none';

export function slaStateOf(t: { breached: boolean; warning: boolean; status: string; nextDueAt: Date | null }): SlaState {
  if (t.breached) return 'breached';
  if (t.warning) return 'warning';
  if (t.status === 'waiting_customer') return 'paused';
  return t.nextDueAt ? 'on_track' : 'none';
}
