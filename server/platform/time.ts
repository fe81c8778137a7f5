// Time is the workspace's (ARCHITECTURE rule 13): periods, business days and dates a person reads are
// computed in the workspace's time zone (`workspaces.timezone`). This is the one zone literal: the
// default of that column, for new workspaces and for a workspace that cannot be found.
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

// An Intl.DateTimeFormat costs ~0.1 ms to make and nothing to reuse: one per zone (a write's dayOf calls were a
// twentieth of its server CPU — issue 17, point 4)
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const minuteFormats = new Map<string, Intl.DateTimeFormat>();
function formatOf(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let f = cache.get(timeZone);
  if (!f) {
    f = make(); // an unknown zone throws here, as before, and is not kept
    if (cache.size >= 1000) cache.clear();
    cache.set(timeZone, f);
  }
  return f;
}

/** The calendar day (YYYY-MM-DD) of `now` in the time zone. */
export function dayOf(now: Date, timeZone: string): string {
  return formatOf(
    dayFormats,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(now);
}

function parts(at: Date, timeZone: string) {
  const p = formatOf(
    minuteFormats,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(at);
  const v = (t: Intl.DateTimeFormatPartTypes) => p.find((x) => x.type === t)?.value ?? '';
  return { y: v('year'), m: v('month'), d: v('day'), hh: v('hour'), mm: v('minute') };
}

/**
 * The one time formatter for what a person reads from the server (history text, mails, reports, file
 * names): `YYYY-MM-DD HH:mm` in the workspace's zone — never an ISO string or a UTC time.
 */
export function formatDateTime(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.y}-${p.m}-${p.d} ${p.hh}:${p.mm}`;
}

/** `YYYY-MM-DD` of a moment in the workspace's zone (the same as `dayOf`). */
export const formatDate = (at: Date, timeZone: string): string => dayOf(at, timeZone);

/** A file name's date stamp (`YYYYMMDD`), the workspace's day (never the UTC one). */
export function fileStamp(at: Date, timeZone: string): string {
  return dayOf(at, timeZone).replace(/-/g, '');
}

const ISO_MOMENT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** Text stored before times were worded (history written with ISO strings): each ISO moment read in the zone. */
export function isoMomentsInZone(text: string, timeZone: string): string {
  return text.replace(ISO_MOMENT, (iso) => {
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : formatDateTime(at, timeZone);
  });
}
