// Time is the workspace's (ARCHITECTURE rule 13): periods, business days and dates a person reads are
// computed in the workspace's time zone (`workspaces.timezone`). This is the one zone literal: the
// default of that column, for new workspaces and for a workspace that cannot be found.
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** The calendar day (YYYY-MM-DD) of `now` in the time zone. */
export function dayOf(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
