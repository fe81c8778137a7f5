import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export type Locale = 'zh-CN' | 'en';

const symbols: Record<string, string> = { CNY: '¥' };

function group(n: string): string {
  return n.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Money is integer minor units (fen). zh: `¥1,234,567.00`; en: `CNY 1,234,567.00`.
 * Exact integer arithmetic: no floats touch the amount.
 */
export function formatMoney(minor: number | null | undefined, locale: Locale, currency = 'CNY'): string {
  if (minor === null || minor === undefined || Number.isNaN(minor)) return '—';
  const neg = minor < 0;
  const abs = BigInt(Math.abs(Math.trunc(minor)));
  const major = group((abs / 100n).toString());
  const cents = (abs % 100n).toString().padStart(2, '0');
  const amount = `${major}.${cents}`;
  const prefix = locale === 'zh-CN' && symbols[currency] ? symbols[currency] : `${currency} `;
  return `${neg ? '-' : ''}${prefix}${amount}`;
}

/** Yuan as typed in a form (up to 2 decimals) → minor units, without float drift. */
export function toMinor(major: number | string | null | undefined): number {
  if (major === null || major === undefined || major === '') return 0;
  const s = String(major).trim();
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?/.exec(s);
  if (!m) return 0;
  const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

export function fromMinor(minor: number | null | undefined): number {
  if (!minor) return 0;
  return minor / 100;
}

/**
 * Times on screen are the workspace's (UX: "time in the workspace's zone"), never the browser's: the
 * zone comes with the session (`/api/auth/me` → `workspace.timezone`) and is set here when it loads.
 * Until then (the sign-in page) the browser's zone stands in.
 */
let workspaceZone: string | null = null;

export function setWorkspaceZone(zone: string | null | undefined) {
  workspaceZone = zone || null;
}

/** A moment in the workspace's zone (a dayjs for comparisons and pickers). */
export function inZone(iso: string | Date | dayjs.Dayjs): dayjs.Dayjs {
  return workspaceZone ? dayjs(iso).tz(workspaceZone) : dayjs(iso);
}

// ---- pickers: antd's DatePicker shows and edits its value's own digits in the browser's zone. A picker
// value here is a "wall clock": a dayjs whose digits are the workspace's local time, whatever the browser's
// zone; it becomes a UTC moment only on the way to the server (fromPicker). Calendar days (YYYY-MM-DD) have
// no zone and go to the server as they are (pickerDay).
const WALL = 'YYYY-MM-DDTHH:mm:ss.SSS';

/** A moment (ISO / Date) as a picker value: the workspace's wall clock at that moment. */
export function toPicker(iso: string | Date | dayjs.Dayjs): dayjs.Dayjs {
  return dayjs(inZone(iso).format(WALL));
}

/** Now as a picker value (the workspace's today and time, for defaults). */
export const pickerNow = (): dayjs.Dayjs => toPicker(new Date());

/** A picked wall-clock time, read in the workspace's zone → the UTC moment (ISO) the server stores. */
export function fromPicker(d: dayjs.Dayjs): string {
  const wall = d.format(WALL);
  return workspaceZone ? dayjs.tz(wall, workspaceZone).toISOString() : dayjs(wall).toISOString();
}

/** A picked calendar day as `YYYY-MM-DD`: a day is the same day in every zone. */
export const pickerDay = (d: dayjs.Dayjs): string => d.format('YYYY-MM-DD');

/** Any pattern (`MM-DD HH:mm`, `HH:mm`) in the workspace's zone. */
export function formatIn(iso: string | Date | null | undefined, pattern: string): string {
  if (!iso) return '—';
  return inZone(iso).format(pattern);
}

/**
 * A date as `YYYY-MM-DD`. A plain calendar day (`2026-11-27`, a due date) is shown as it is; a moment
 * is shown as its day in the workspace's zone.
 */
export function formatDate(iso: string | Date | null | undefined): string {
  if (!iso) return '—';
  if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return formatIn(iso, 'YYYY-MM-DD');
}

export function formatDateTime(iso: string | Date | null | undefined): string {
  return formatIn(iso, 'YYYY-MM-DD HH:mm');
}
