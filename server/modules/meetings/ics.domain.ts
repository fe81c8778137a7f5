/**
 * Calendar invites as iCalendar (RFC 5545) through the `ics` library, which escapes text and folds
 * long lines. On top of it we normalise every line break to an escaped "\n" (the library leaves a
 * lone CR as is) and strip control characters, so no value can start a new calendar line.
 */
import { createEvent, type EventAttributes } from 'ics';

export type InviteMethod = 'REQUEST' | 'CANCEL';
export type Invite = {
  uid: string;
  sequence: number;
  method: InviteMethod;
  title: string;
  description?: string | null;
  location?: string | null;
  startsAt: Date;
  endsAt: Date;
  rrule?: string | null;
  /** for one occurrence of a series: its original start (RECURRENCE-ID), with the series' UID */
  recurrenceId?: Date | null;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string; partstat?: 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' }[];
  url?: string | null;
};

/** One line: any CR/LF/other break becomes a space, control characters go. */
export function oneLine(s: string): string {
  return s
    .replace(/[\r\n\u0085\u2028\u2029\u000b\u000c]+/g, ' ')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '')
    .trim();
}
/** Many lines: breaks normalised to \n (the library writes them as the escaped "\n"). */
function manyLines(s: string): string {
  return s.replace(/\r\n?|[\u0085\u2028\u2029\u000b\u000c]/g, '\n').replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, '');
}
/** A display name inside a quoted parameter: no quotes (RFC 5545 cannot escape them there). */
const paramName = (s: string) => oneLine(s).replace(/"/g, "'");
const emailOk = (e: string) => /^[^\s<>"';:\\,]+@[^\s<>"';:\\,]+$/.test(e);

export function buildIcs(inv: Invite): string {
  const attrs: EventAttributes = {
    uid: oneLine(inv.uid),
    sequence: inv.sequence,
    method: inv.method,
    status: inv.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    title: oneLine(inv.title),
    description: inv.description ? manyLines(inv.description) : undefined,
    location: inv.location ? oneLine(inv.location) : undefined,
    start: inv.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: inv.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    productId: 'keyward/meetings',
    organizer: { name: paramName(inv.organizer.name), email: inv.organizer.email },
    attendees: inv.attendees
      .filter((a) => emailOk(a.email))
      .map((a) => ({
        name: paramName(a.name),
        email: a.email,
        rsvp: inv.method === 'REQUEST',
        partstat: a.partstat ?? 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      })),
    ...(inv.rrule ? { recurrenceRule: oneLine(inv.rrule) } : {}),
    ...(inv.url ? { url: oneLine(inv.url) } : {}),
    ...(inv.recurrenceId
      ? {
          recurrenceId: inv.recurrenceId
            .toISOString()
            .replace(/[-:]/g, '')
            .replace(/\.\d{3}/, ''),
        }
      : {}),
  };
  const { error, value } = createEvent(attrs);
  if (error || !value) throw new Error(`ics: ${error?.message ?? 'no output'}`);
  return value;
}
