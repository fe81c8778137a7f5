/**
 * Periodic meetings (定期会议): an RFC 5545 RRULE, bounded. A rule must end (COUNT or UNTIL) and
 * may not produce more than MAX_OCCURRENCES meetings, so a series never grows without limit.
 * Pure: the start is passed in; times are UTC instants (the workspace's wall clock is applied by
 * the caller when it picks the first start).
 */
import * as rruleNs from 'rrule';
import { fail, ok, type RuleResult } from '../../platform/errors.js';

// rrule ships CommonJS and ESM builds; Node's ESM loader exposes it under `default`, bundlers by name
type RRuleLib = typeof import('rrule');
const lib: RRuleLib = (rruleNs as unknown as { RRule?: unknown }).RRule
  ? (rruleNs as unknown as RRuleLib)
  : (rruleNs as unknown as { default: RRuleLib }).default;
const { RRule, rrulestr } = lib;

export const MAX_OCCURRENCES = 60;
const ALLOWED_FREQ = new Set([RRule.DAILY, RRule.WEEKLY, RRule.MONTHLY, RRule.YEARLY]);

/** The presets the console offers: every half month (1st and 16th) and monthly. */
export function presetRule(preset: 'semimonthly' | 'monthly' | 'biweekly', count: number): string {
  if (preset === 'semimonthly') return `FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=${count}`;
  if (preset === 'biweekly') return `FREQ=WEEKLY;INTERVAL=2;COUNT=${count}`;
  return `FREQ=MONTHLY;COUNT=${count}`;
}

export type CheckedRule = { rule: string; occurrences: Date[] };

/** Validates a rule (without DTSTART; only the RRULE value) and expands it from `start`. */
export function checkRecurrence(rule: string, start: Date): RuleResult<CheckedRule> {
  const raw = rule.trim().replace(/^RRULE:/i, '');
  if (!raw || /[\r\n]/.test(raw) || !/^[A-Z0-9=;,+\-:]+$/i.test(raw)) return fail('meeting.rrule_invalid', {}, 'rrule');
  if (/(^|;)DTSTART/i.test(raw)) return fail('meeting.rrule_invalid', {}, 'rrule');
  let opts: ReturnType<typeof RRule.parseString>;
  try {
    opts = RRule.parseString(raw);
  } catch {
    return fail('meeting.rrule_invalid', {}, 'rrule');
  }
  if (opts.freq === undefined || !ALLOWED_FREQ.has(opts.freq)) return fail('meeting.rrule_invalid', {}, 'rrule');
  if (!opts.count && !opts.until) return fail('meeting.rrule_unbounded', { max: MAX_OCCURRENCES }, 'rrule');
  if (opts.count && opts.count > MAX_OCCURRENCES) return fail('meeting.rrule_too_many', { max: MAX_OCCURRENCES }, 'rrule');
  let occurrences: Date[];
  try {
    const r = new RRule({ ...opts, dtstart: start });
    occurrences = r.all((_d, i) => i < MAX_OCCURRENCES + 1);
  } catch {
    return fail('meeting.rrule_invalid', {}, 'rrule');
  }
  if (occurrences.length > MAX_OCCURRENCES) return fail('meeting.rrule_too_many', { max: MAX_OCCURRENCES }, 'rrule');
  if (occurrences.length === 0) return fail('meeting.rrule_empty', {}, 'rrule');
  return ok({ rule: new RRule(opts).toString().replace(/^RRULE:/, ''), occurrences });
}

/** Expands a checked rule (helper for tests and previews). */
export function expand(rule: string, start: Date): Date[] {
  const r = checkRecurrence(rule, start);
  return r.ok ? r.value.occurrences : [];
}

export { rrulestr };
