import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, forbidden, invalid, notFound, unwrap } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { can } from '../../platform/permissions.js';
import { keyPersonsOfAccount, loadVisibleAccount } from '../accounts/index.js';
import { publicUrl } from '../../platform/public-url.js';
import { announce, type EventData } from '../../platform/events.js';
import { MeetingHeld, MeetingNoticed } from './meetings.events.js';
import { captureOpportunity } from '../opportunities/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { buildIcs, type Invite } from './ics.domain.js';
import { checkLlmUrl } from './llm.client.js';
import { checkOutboundHost } from '../../platform/outbound.js';
import { operatorAllowHosts } from '../../platform/outbound-fetch.js';
import {
  checkActionMove,
  checkCause,
  checkSingleLine,
  checkTimes,
  keyMomentInvitees,
  normaliseText,
  type ActionStatus,
  type Cause,
  type MeetingKind,
} from './meetings.domain.js';
import * as repo from './meetings.repo.js';
import { actionItems } from './meetings.table.js';
import { checkRecurrence } from './recurrence.domain.js';
import { checkPolicy } from './supervision.domain.js';
import { MAIL_JOB, queueMail } from '../../platform/mail.js';

export { MAIL_JOB, queueMail };
export const SUMMARISE_JOB = 'meetings.summarise';
export type SystemActor = { kind: 'system'; workspaceId: string };

// ---------- helpers ----------

const supervises = (actor: StaffActor) => can(actor.role, 'meetings.supervise');

function single(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  return unwrap(checkSingleLine(value, field));
}

/** The instant a due date passes: the start of the next day in the workspace's time zone. */
export function dueAtOf(dueOn: string | null | undefined, timezone: string): Date | null {
  if (!dueOn) return null;
  const d = DateTime.fromISO(dueOn, { zone: timezone });
  if (!d.isValid) throw invalid('meeting.bad_date', {}, [{ field: 'dueOn', message: 'YYYY-MM-DD' }]);
  return d.plus({ days: 1 }).startOf('day').toJSDate();
}

/** Tells the notification centre who should hear of a meeting or action item (an event: delivered after commit). */
export async function notify(
  tx: Db,
  n: {
    workspaceId: string;
    accountId?: string | null;
    userIds: string[];
    kind: EventData<typeof MeetingNoticed>['kind'];
    title: string;
    meetingId?: string | null;
    actionItemId?: string | null;
    dedupe: string;
  },
) {
  const userIds = [...new Set(n.userIds)];
  if (!userIds.length) return;
  await announce(tx, n.workspaceId, MeetingNoticed, {
    accountId: n.accountId ?? null,
    kind: n.kind,
    userIds,
    title: n.title,
    meetingId: n.meetingId ?? null,
    actionItemId: n.actionItemId ?? null,
    dedupe: n.dedupe,
  });
}

/** Outbox: the mail is written with the change and sent by the job runner with retries. */
type Loc = 'zh-CN' | 'en';
const fmt = (d: Date, tz: string, loc: Loc) =>
  DateTime.fromJSDate(d, { zone: tz })
    .setLocale(loc === 'zh-CN' ? 'zh-CN' : 'en')
    .toFormat('yyyy-MM-dd HH:mm (ZZZZ)');
const words = {
  'zh-CN': {
    invite: '会议邀请',
    update: '会议变更',
    cancel: '会议取消',
    reminder: '会议提醒',
    when: '时间',
    where: '地点',
    agenda: '议程',
    account: '客户',
    due_soon: '行动项即将到期',
    overdue: '行动项已逾期',
    escalated: '行动项逾期升级',
    owner: '负责人',
    dueOn: '截止日期',
    organizer: '组织者',
    portal: '在客户门户查看',
    test: 'Keyward 测试邮件',
    testBody: '这是一封来自 Keyward 的测试邮件：SMTP 配置可用。',
  },
  en: {
    invite: 'Invitation',
    update: 'Updated',
    cancel: 'Cancelled',
    reminder: 'Reminder',
    when: 'When',
    where: 'Where',
    agenda: 'Agenda',
    account: 'Account',
    due_soon: 'Action item due soon',
    overdue: 'Action item overdue',
    escalated: 'Overdue action item escalated',
    owner: 'Owner',
    dueOn: 'Due',
    organizer: 'Organiser',
    portal: 'See it in the customer portal',
    test: 'Keyward test mail',
    testBody: 'This is a test mail from Keyward: the SMTP settings work.',
  },
} as const;

function meetingMail(
  loc: Loc,
  tz: string,
  kind: 'invite' | 'update' | 'cancel' | 'reminder',
  m: { title: string; startsAt: Date; endsAt: Date; location: string | null; agenda: string },
  accountName: string,
  rrule?: string | null,
) {
  const w = words[loc];
  const lines = [
    `${w.account}: ${accountName}`,
    `${w.when}: ${fmt(m.startsAt, tz, loc)} – ${fmt(m.endsAt, tz, loc)}${rrule ? ` (RRULE ${rrule})` : ''}`,
    ...(m.location ? [`${w.where}: ${m.location}`] : []),
    ...(m.agenda ? ['', `${w.agenda}:`, m.agenda] : []),
  ];
  return { subject: `[${w[kind]}] ${m.title}`, text: lines.join('\n') };
}

async function inviteFor(
  db: Db,
  workspaceId: string,
  m: repo.MeetingRow,
  method: 'REQUEST' | 'CANCEL',
  opts: { uid?: string; sequence?: number; rrule?: string | null; startsAt?: Date; endsAt?: Date } = {},
) {
  const people = await repo.attendeesOf(db, workspaceId, m.id);
  const [organizer] = await repo.usersByIds(db, workspaceId, [m.organizerId]);
  // an occurrence of a series is addressed as the series' event at its original start
  const occurrence = !opts.uid && m.seriesId && m.recurrenceStart;
  const invite: Invite = {
    uid: opts.uid ?? (occurrence ? `${m.seriesId}@keyward` : `${m.id}@keyward`),
    recurrenceId: occurrence ? m.recurrenceStart : null,
    sequence: opts.sequence ?? m.sequence,
    method,
    title: m.title,
    description: m.agenda,
    location: m.location,
    startsAt: opts.startsAt ?? m.startsAt,
    endsAt: opts.endsAt ?? m.endsAt,
    rrule: opts.rrule ?? null,
    organizer: { name: organizer.name, email: organizer.email },
    attendees: people.map((p) => ({
      name: p.name,
      email: p.email,
      partstat: p.response === 'needs_action' ? 'NEEDS-ACTION' : (p.response.toUpperCase() as 'ACCEPTED'),
    })),
  };
  return { ics: buildIcs(invite), to: people.map((p) => ({ name: p.name, email: p.email })), userIds: people.map((p) => p.userId) };
}

async function assertAttendees(db: Db, workspaceId: string, ids: string[]) {
  const found = new Map((await repo.usersByIds(db, workspaceId, ids)).map((u) => [u.id, u]));
  ids.forEach((id, i) => {
    const u = found.get(id);
    if (!u?.active) throw invalid('meeting.attendee_unknown', {}, [{ field: `attendeeIds.${i}`, message: 'not a user of this workspace' }]);
  });
}

async function loadVisibleMeeting(db: Db, actor: StaffActor, id: string, opts: { forUpdate?: boolean } = {}) {
  const m = await repo.findMeeting(db, actor.workspaceId, id, opts);
  if (!m) throw notFound('meeting.noun');
  const account = await loadVisibleAccount(db, actor, m.accountId).catch(() => {
    throw notFound('meeting.noun');
  });
  return { m, account };
}

const isAttendee = repo.isAttendee;

// ---------- meetings ----------

export type CreateMeetingInput = {
  accountId: string;
  kind: MeetingKind;
  cause: string;
  title: string;
  agenda?: string;
  location?: string | null;
  startsAt: Date;
  endsAt: Date;
  attendeeIds?: string[];
  /** key persons of the account to invite (they get the ICS and see the meeting in the portal) */
  keyPersonIds?: string[];
  rrule?: string | null;
};

/** Creates a meeting (or a periodic series) and sends the invitations through the outbox. */
export async function createMeeting(db: Db, actor: Actor, input: CreateMeetingInput) {
  assertCan(actor, 'meetings.create');
  if (input.kind === 'periodic') assertCan(actor, 'meetings.periodic');
  const cause = unwrap(checkCause(input.kind, input.cause));
  const title = single(input.title, 'title')!;
  if (!title) throw invalid('meeting.title_required', {}, [{ field: 'title', message: 'required' }]);
  const location = single(input.location, 'location');
  const { startsAt, endsAt } = unwrap(checkTimes(input.startsAt, input.endsAt));
  const agenda = normaliseText(input.agenda ?? '');
  let occurrences = [startsAt];
  let rrule: string | null = null;
  if (input.kind === 'periodic') {
    if (!input.rrule) throw invalid('meeting.rrule_required', {}, [{ field: 'rrule', message: 'required' }]);
    const r = unwrap(checkRecurrence(input.rrule, startsAt));
    occurrences = r.occurrences;
    rrule = r.rule;
  } else if (input.rrule) throw invalid('meeting.rrule_only_periodic', {}, [{ field: 'rrule', message: 'only for periodic meetings' }]);
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, input.accountId);
    const extra = [...new Set(input.attendeeIds ?? [])];
    await assertAttendees(tx, actor.workspaceId, extra);
    const invitees = input.kind === 'key_moment' ? keyMomentInvitees(account, [...extra, actor.userId]) : [...new Set([actor.userId, ...extra])];
    const created = await insertMeetings(tx, actor, {
      accountId: account.id,
      accountName: account.name,
      kind: input.kind,
      cause,
      title,
      agenda,
      location,
      occurrences,
      durationMs: endsAt.getTime() - startsAt.getTime(),
      organizerId: actor.userId,
      invitees,
      rrule,
      keyMomentEventId: null,
      ticketId: null,
      guests: await resolveGuests(tx, actor.workspaceId, account.id, input.keyPersonIds ?? []),
    });
    return created;
  });
}

type InsertInput = {
  accountId: string;
  accountName: string;
  kind: MeetingKind;
  cause: Cause;
  title: string;
  agenda: string;
  location: string | null;
  occurrences: Date[];
  durationMs: number;
  organizerId: string;
  invitees: string[];
  rrule: string | null;
  keyMomentEventId: string | null;
  ticketId: string | null;
  /** key persons invited (checked to be the account's, active) */
  guests?: Guest[];
  /** what they read instead of the title */
  guestTitle?: string | null;
};

export type Guest = { keyPersonId: string; name: string; email: string };

/** The account's active key persons by id; anything else is a 400 naming the entry. */
export async function resolveGuests(tx: Db, workspaceId: string, accountId: string, ids: string[]): Promise<Guest[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const kps = new Map((await keyPersonsOfAccount(tx, workspaceId, accountId)).map((k) => [k.id, k]));
  return unique.map((id, i) => {
    const k = kps.get(id);
    if (!k?.active) throw invalid('meeting.guest_unknown', {}, [{ field: `keyPersonIds.${i}`, message: 'not a key person of this account' }]);
    return { keyPersonId: k.id, name: k.name, email: k.email };
  });
}

/** The invitation, change or cancellation for the key persons: the customer's title, no internal agenda. */
async function mailGuests(
  tx: Db,
  workspaceId: string,
  m: repo.MeetingRow,
  guests: Guest[],
  method: 'REQUEST' | 'CANCEL',
  kind: 'invite' | 'update' | 'cancel',
  dedupe: string,
  opts: { uid?: string; rrule?: string | null } = {},
) {
  if (!guests.length) return;
  const ws = await repo.workspaceOf(tx, workspaceId);
  const [organizer] = await repo.usersByIds(tx, workspaceId, [m.organizerId]);
  const loc = (ws.defaultLocale === 'en' ? 'en' : 'zh-CN') as Loc;
  const title = m.guestTitle ?? m.title;
  const ics = buildIcs({
    uid: opts.uid ?? (m.seriesId && m.recurrenceStart ? `${m.seriesId}@keyward` : `${m.id}@keyward`),
    recurrenceId: !opts.uid && m.seriesId && m.recurrenceStart ? m.recurrenceStart : null,
    sequence: m.sequence,
    method,
    title,
    description: null,
    location: m.location,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    rrule: opts.rrule ?? null,
    organizer: { name: organizer.name, email: organizer.email },
    attendees: guests.map((g) => ({ name: g.name, email: g.email, partstat: 'NEEDS-ACTION' as const })),
    url: `${publicUrl()}/portal`,
  });
  const w = words[loc];
  const text = [
    `${w.when}: ${fmt(m.startsAt, ws.timezone, loc)} – ${fmt(m.endsAt, ws.timezone, loc)}`,
    ...(m.location ? [`${w.where}: ${m.location}`] : []),
    `${w.organizer}: ${organizer.name}`,
    '',
    `${w.portal}: ${publicUrl()}/portal`,
  ].join('\n');
  await queueMail(
    tx,
    workspaceId,
    { to: guests.map((g) => ({ name: g.name, email: g.email })), subject: `[${w[kind]}] ${title}`, text, ics: { method, content: ics } },
    `guests:${dedupe}`,
  );
}

/** Writes the meeting(s), attendees, in-app notices and one invitation mail (with ICS) in `tx`. */
export async function insertMeetings(tx: Db, actor: StaffActor | SystemActor, i: InsertInput) {
  const ws = await repo.workspaceOf(tx, actor.workspaceId);
  let seriesId: string | null = null;
  if (i.kind === 'periodic') {
    const s = await repo.insertSeries(tx, {
      workspaceId: actor.workspaceId,
      accountId: i.accountId,
      rrule: i.rrule!,
      firstStartsAt: i.occurrences[0],
      durationMinutes: Math.round(i.durationMs / 60_000),
      organizerId: i.organizerId,
    });
    seriesId = s.id;
  }
  const rows = await repo.insertMeetingRows(
    tx,
    i.occurrences.map((start) => ({
      workspaceId: actor.workspaceId,
      accountId: i.accountId,
      kind: i.kind,
      cause: i.cause,
      title: i.title,
      agenda: i.agenda,
      location: i.location,
      startsAt: start,
      endsAt: new Date(start.getTime() + i.durationMs),
      seriesId,
      recurrenceStart: seriesId ? start : null,
      keyMomentEventId: i.keyMomentEventId,
      ticketId: i.ticketId,
      organizerId: i.organizerId,
      guestTitle: i.guestTitle ?? null,
    })),
  );
  const invitees = [...new Set([i.organizerId, ...i.invitees])];
  await repo.insertAttendees(
    tx,
    rows.flatMap((m) =>
      invitees.map((userId) => ({
        workspaceId: actor.workspaceId,
        meetingId: m.id,
        userId,
        response: userId === i.organizerId ? 'accepted' : 'needs_action',
      })),
    ),
  );
  const first = rows[0];
  await notify(tx, {
    workspaceId: actor.workspaceId,
    accountId: i.accountId,
    userIds: invitees.filter((u) => u !== (actor.kind === 'staff' ? actor.userId : '')),
    kind: i.kind === 'key_moment' ? 'key_moment' : 'invited',
    title: i.title,
    meetingId: first.id,
    dedupe: `invited:${seriesId ?? first.id}`,
  });
  const inv = await inviteFor(tx, actor.workspaceId, first, 'REQUEST', seriesId ? { uid: `${seriesId}@keyward`, rrule: i.rrule } : {});
  const loc = (ws.defaultLocale === 'en' ? 'en' : 'zh-CN') as Loc;
  const text = meetingMail(loc, ws.timezone, 'invite', first, i.accountName, i.rrule);
  await queueMail(
    tx,
    actor.workspaceId,
    { to: inv.to, subject: text.subject, text: text.text, ics: { method: 'REQUEST', content: inv.ics } },
    `invite:${seriesId ?? first.id}:0`,
  );
  const guests = i.guests ?? [];
  await repo.insertGuests(
    tx,
    rows.flatMap((m) => guests.map((g) => ({ workspaceId: actor.workspaceId, meetingId: m.id, ...g }))),
  );
  await mailGuests(
    tx,
    actor.workspaceId,
    first,
    guests,
    'REQUEST',
    'invite',
    `invite:${seriesId ?? first.id}:0`,
    seriesId ? { uid: `${seriesId}@keyward`, rrule: i.rrule } : {},
  );
  await recordAudit(tx, actor, {
    action: 'meeting.create',
    entityType: 'meeting',
    entityId: first.id,
    after: {
      kind: i.kind,
      cause: i.cause,
      title: i.title,
      startsAt: first.startsAt,
      occurrences: rows.length,
      seriesId,
      invitees,
      guests: guests.map((g) => g.keyPersonId),
    },
  });
  return { id: first.id, seriesId, occurrences: rows.length };
}

export type UpdateMeetingInput = {
  title?: string;
  agenda?: string;
  location?: string | null;
  startsAt?: Date;
  endsAt?: Date;
  keyPersonIds?: string[];
};

const meetingEntity = (id: string) => ({ type: 'meeting', id, noun: 'meeting.noun' });
/** Compare-and-set on the version read: a change that slipped in between makes this one a 412. */
async function casMeeting(tx: Db, actor: StaffActor, m: { id: string; version: number }, patch: Parameters<typeof repo.updateMeetingRow>[3]) {
  const after = await repo.updateMeetingRow(tx, actor.workspaceId, m.id, patch, m.version);
  if (!after) throw await staleError(tx, actor.workspaceId, meetingEntity(m.id));
  return after;
}

export async function updateMeeting(db: Db, actor: Actor, id: string, input: UpdateMeetingInput, expectedVersion?: number) {
  assertCan(actor, 'meetings.read');
  const title = input.title !== undefined ? single(input.title, 'title') : undefined;
  if (title === '') throw invalid('meeting.title_required', {}, [{ field: 'title', message: 'required' }]);
  const location = input.location !== undefined ? single(input.location, 'location') : undefined;
  return db.transaction(async (tx) => {
    const { m, account } = await loadVisibleMeeting(tx, actor, id, { forUpdate: true });
    if (m.organizerId !== actor.userId && !supervises(actor)) throw forbidden();
    await assertFresh(tx, actor.workspaceId, meetingEntity(m.id), m.version, expectedVersion);
    if (m.status === 'cancelled') throw new AppError('conflict', 'meeting.cancelled');
    const startsAt = input.startsAt ?? m.startsAt;
    const endsAt = input.endsAt ?? (input.startsAt ? new Date(input.startsAt.getTime() + (m.endsAt.getTime() - m.startsAt.getTime())) : m.endsAt);
    unwrap(checkTimes(startsAt, endsAt));
    const timeChanged = startsAt.getTime() !== m.startsAt.getTime() || endsAt.getTime() !== m.endsAt.getTime();
    const after = await casMeeting(tx, actor, m, {
      title: title ?? m.title,
      agenda: input.agenda !== undefined ? normaliseText(input.agenda) : m.agenda,
      location: location !== undefined ? location : m.location,
      startsAt,
      endsAt,
      sequence: m.sequence + 1,
      ...(timeChanged ? { reminderSentAt: null } : {}),
      updatedAt: new Date(),
    });
    const ws = await repo.workspaceOf(tx, actor.workspaceId);
    const loc = (ws.defaultLocale === 'en' ? 'en' : 'zh-CN') as Loc;
    const inv = await inviteFor(tx, actor.workspaceId, after, 'REQUEST');
    const text = meetingMail(loc, ws.timezone, 'update', after, account.name);
    await queueMail(
      tx,
      actor.workspaceId,
      { to: inv.to, subject: text.subject, text: text.text, ics: { method: 'REQUEST', content: inv.ics } },
      `update:${m.id}:${after.sequence}`,
    );
    // key persons: the ones kept or added get the change, the ones taken off a cancellation
    const before = await repo.guestsOf(tx, actor.workspaceId, m.id);
    const wanted = input.keyPersonIds ? await resolveGuests(tx, actor.workspaceId, m.accountId, input.keyPersonIds) : before;
    const removed = before.filter((g) => !wanted.some((w) => w.keyPersonId === g.keyPersonId));
    await repo.removeGuests(
      tx,
      actor.workspaceId,
      m.id,
      removed.map((g) => g.keyPersonId),
    );
    await repo.insertGuests(
      tx,
      wanted.map((g) => ({ workspaceId: actor.workspaceId, meetingId: m.id, ...g })),
    );
    await mailGuests(tx, actor.workspaceId, after, wanted, 'REQUEST', 'update', `update:${m.id}:${after.sequence}`);
    await mailGuests(tx, actor.workspaceId, after, removed, 'CANCEL', 'cancel', `uninvite:${m.id}:${after.sequence}`);
    await notify(tx, {
      workspaceId: actor.workspaceId,
      accountId: m.accountId,
      userIds: inv.userIds.filter((u) => u !== actor.userId),
      kind: 'updated',
      title: after.title,
      meetingId: m.id,
      dedupe: `updated:${m.id}:${after.sequence}`,
    });
    await recordAudit(tx, actor, {
      action: 'meeting.update',
      entityType: 'meeting',
      entityId: m.id,
      before: { title: m.title, startsAt: m.startsAt, endsAt: m.endsAt, location: m.location },
      after: { title: after.title, startsAt: after.startsAt, endsAt: after.endsAt, location: after.location },
    });
    return after;
  });
}

export async function cancelMeeting(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'meetings.read');
  return db.transaction(async (tx) => {
    const { m, account } = await loadVisibleMeeting(tx, actor, id, { forUpdate: true });
    if (m.organizerId !== actor.userId && !supervises(actor)) throw forbidden();
    await assertFresh(tx, actor.workspaceId, meetingEntity(m.id), m.version, expectedVersion);
    if (m.status !== 'scheduled') throw new AppError('conflict', 'meeting.not_scheduled');
    const after = await casMeeting(tx, actor, m, { status: 'cancelled', sequence: m.sequence + 1, updatedAt: new Date() });
    const ws = await repo.workspaceOf(tx, actor.workspaceId);
    const loc = (ws.defaultLocale === 'en' ? 'en' : 'zh-CN') as Loc;
    const inv = await inviteFor(tx, actor.workspaceId, after, 'CANCEL');
    const text = meetingMail(loc, ws.timezone, 'cancel', after, account.name);
    await queueMail(
      tx,
      actor.workspaceId,
      { to: inv.to, subject: text.subject, text: text.text, ics: { method: 'CANCEL', content: inv.ics } },
      `cancel:${m.id}`,
    );
    await mailGuests(tx, actor.workspaceId, after, await repo.guestsOf(tx, actor.workspaceId, m.id), 'CANCEL', 'cancel', `cancel:${m.id}`);
    await notify(tx, {
      workspaceId: actor.workspaceId,
      accountId: m.accountId,
      userIds: inv.userIds.filter((u) => u !== actor.userId),
      kind: 'cancelled',
      title: m.title,
      meetingId: m.id,
      dedupe: `cancelled:${m.id}`,
    });
    await recordAudit(tx, actor, {
      action: 'meeting.cancel',
      entityType: 'meeting',
      entityId: m.id,
      before: { status: m.status },
      after: { status: 'cancelled' },
    });
    return after;
  });
}

export async function respond(db: Db, actor: Actor, id: string, response: 'accepted' | 'declined' | 'tentative') {
  assertCan(actor, 'meetings.read');
  return db.transaction(async (tx) => {
    const { m } = await loadVisibleMeeting(tx, actor, id);
    const row = await repo.setResponse(tx, m.workspaceId, m.id, actor.userId, response);
    if (!row) throw new AppError('forbidden', 'meeting.not_invited');
    await recordAudit(tx, actor, { action: 'meeting.respond', entityType: 'meeting', entityId: m.id, after: { response } });
    return { response };
  });
}

/** Saves the minutes at once; the summary is made afterwards by a job (never waits on the LLM). */
export async function saveMinutes(db: Db, actor: Actor, id: string, minutesRaw: string, expectedVersion?: number) {
  assertCan(actor, 'meetings.read');
  const minutes = normaliseText(minutesRaw);
  return db.transaction(async (tx) => {
    const { m } = await loadVisibleMeeting(tx, actor, id, { forUpdate: true });
    if (m.organizerId !== actor.userId && !supervises(actor) && !(await isAttendee(tx, m.id, actor.userId))) throw forbidden();
    await assertFresh(tx, actor.workspaceId, meetingEntity(m.id), m.version, expectedVersion);
    if (m.status === 'cancelled') throw new AppError('conflict', 'meeting.cancelled');
    const now = new Date();
    // notes written before the start (preparation) keep the meeting scheduled; it is held once it has begun
    const held = now >= m.startsAt;
    const after = await casMeeting(tx, actor, m, {
      minutes,
      minutesUpdatedAt: now,
      minutesById: actor.userId,
      summaryStatus: minutes.trim() ? 'pending' : 'none',
      status: held ? 'held' : m.status,
      updatedAt: now,
    });
    if (minutes.trim())
      await enqueue(tx, { kind: SUMMARISE_JOB, workspaceId: actor.workspaceId, payload: { meetingId: m.id, version: now.toISOString() } });
    await recordAudit(tx, actor, { action: 'meeting.minutes', entityType: 'meeting', entityId: m.id, after: { chars: minutes.length } });
    if (held) await announce(tx, actor.workspaceId, MeetingHeld, { accountId: m.accountId, meetingId: m.id });
    return after;
  });
}

// ---------- reading ----------

export type ListInput = {
  scope: 'mine' | 'account' | 'team' | 'all';
  accountId?: string;
  teamId?: string;
  from?: Date;
  to?: Date;
  kind?: MeetingKind;
};

export async function listMeetings(db: Db, actor: Actor, q: ListInput) {
  assertCan(actor, 'meetings.read');
  if (q.accountId) await loadVisibleAccount(db, actor, q.accountId);
  if (q.scope === 'account' && !q.accountId) throw invalid('meeting.account_required', {}, [{ field: 'accountId', message: 'required' }]);
  if (q.scope === 'team' && !q.teamId) throw invalid('meeting.team_required', {}, [{ field: 'teamId', message: 'required' }]);
  return repo.listMeetings(db, actor.workspaceId, {
    accountId: q.accountId,
    userId: q.scope === 'mine' ? actor.userId : undefined,
    teamId: q.scope === 'team' ? q.teamId : undefined,
    from: q.from,
    to: q.to,
    kind: q.kind,
    visibleTo: actor,
  });
}

export async function getMeeting(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'meetings.read');
  const { m, account } = await loadVisibleMeeting(db, actor, id);
  const attendees = await repo.attendeesOf(db, actor.workspaceId, m.id);
  const guests = await repo.guestsOf(db, actor.workspaceId, m.id);
  const items = await repo.actionItemsOf(db, actor.workspaceId, [eq(actionItems.meetingId, m.id)]);
  const [organizer] = await repo.usersByIds(db, actor.workspaceId, [m.organizerId]);
  const series = m.seriesId ? await repo.seriesOf(db, actor.workspaceId, m.seriesId) : null;
  const attending = attendees.some((a) => a.userId === actor.userId);
  const manage = m.organizerId === actor.userId || supervises(actor);
  return {
    id: m.id,
    version: m.version,
    accountId: m.accountId,
    accountName: account.name,
    kind: m.kind,
    cause: m.cause,
    title: m.title,
    agenda: m.agenda,
    location: m.location,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    status: m.status,
    sequence: m.sequence,
    seriesId: m.seriesId,
    rrule: series?.rrule ?? null,
    ticketId: m.ticketId,
    keyMomentEventId: m.keyMomentEventId,
    organizerId: m.organizerId,
    organizerName: organizer?.name ?? '',
    minutes: m.minutes,
    minutesUpdatedAt: m.minutesUpdatedAt,
    summaryStatus: m.summaryStatus,
    summary: m.summary ?? null,
    summarisedAt: m.summarisedAt,
    attendees: attendees.map((a) => ({ userId: a.userId, name: a.name, role: a.role, response: a.response, respondedAt: a.respondedAt })),
    guests: guests.map((g) => ({ keyPersonId: g.keyPersonId, name: g.name })),
    guestTitle: m.guestTitle,
    actionItems: items,
    can: { manage, minutes: manage || attending, respond: attending, capture: can(actor.role, 'opportunities.capture') },
  };
}

// ---------- action items ----------

export async function createActionItem(db: Db, actor: Actor, meetingId: string, input: { title: string; ownerId: string; dueOn?: string | null }) {
  assertCan(actor, 'meetings.read');
  const title = single(input.title, 'title')!;
  if (!title) throw invalid('meeting.title_required', {}, [{ field: 'title', message: 'required' }]);
  return db.transaction(async (tx) => {
    const { m } = await loadVisibleMeeting(tx, actor, meetingId);
    if (m.organizerId !== actor.userId && !supervises(actor) && !(await isAttendee(tx, m.id, actor.userId))) throw forbidden();
    const [owner] = await repo.usersByIds(tx, actor.workspaceId, [input.ownerId]);
    if (!owner?.active) throw invalid('meeting.owner_unknown', {}, [{ field: 'ownerId', message: 'not a user of this workspace' }]);
    const ws = await repo.workspaceOf(tx, actor.workspaceId);
    const [row] = await repo.insertActionItems(tx, [
      {
        workspaceId: actor.workspaceId,
        meetingId: m.id,
        accountId: m.accountId,
        title,
        ownerId: owner.id,
        dueOn: input.dueOn ?? null,
        dueAt: dueAtOf(input.dueOn, ws.timezone),
        source: 'manual',
      },
    ]);
    if (owner.id !== actor.userId)
      await notify(tx, {
        workspaceId: actor.workspaceId,
        accountId: m.accountId,
        userIds: [owner.id],
        kind: 'assigned',
        title,
        meetingId: m.id,
        actionItemId: row.id,
        dedupe: `assigned:${row.id}`,
      });
    await recordAudit(tx, actor, { action: 'action_item.create', entityType: 'action_item', entityId: row.id, after: row });
    return row;
  });
}

export async function updateActionItem(
  db: Db,
  actor: Actor,
  id: string,
  input: { status?: ActionStatus; ownerId?: string; dueOn?: string | null; title?: string },
) {
  assertCan(actor, 'meetings.read');
  const title = input.title !== undefined ? single(input.title, 'title') : undefined;
  return db.transaction(async (tx) => {
    const item = await repo.findActionItemForUpdate(tx, actor.workspaceId, id);
    if (!item) throw notFound('action.noun');
    const { m } = await loadVisibleMeeting(tx, actor, item.meetingId);
    if (item.ownerId !== actor.userId && m.organizerId !== actor.userId && !supervises(actor)) throw forbidden();
    const status = input.status ? unwrap(checkActionMove(item.status as ActionStatus, input.status)) : (item.status as ActionStatus);
    if (input.ownerId) {
      const [owner] = await repo.usersByIds(tx, actor.workspaceId, [input.ownerId]);
      if (!owner?.active) throw invalid('meeting.owner_unknown', {}, [{ field: 'ownerId', message: 'not a user of this workspace' }]);
    }
    const ws = await repo.workspaceOf(tx, actor.workspaceId);
    const dueChanged = input.dueOn !== undefined && input.dueOn !== item.dueOn;
    const after = await repo.updateActionItemRow(tx, item.workspaceId, item.id, {
      status,
      title: title || item.title,
      ownerId: input.ownerId ?? item.ownerId,
      ...(dueChanged
        ? {
            dueOn: input.dueOn ?? null,
            dueAt: dueAtOf(input.dueOn, ws.timezone),
            dueRemindedAt: null,
            overdueNotifiedAt: null,
            escalatedAt: null,
            escalatedToId: null,
          }
        : {}),
      completedAt: status === 'done' ? (item.completedAt ?? new Date()) : null,
      updatedAt: new Date(),
    });
    await recordAudit(tx, actor, { action: 'action_item.update', entityType: 'action_item', entityId: item.id, before: item, after });
    return after;
  });
}

export async function myActionItems(db: Db, actor: Actor, q: { status?: ActionStatus; all?: boolean }) {
  assertCan(actor, 'meetings.read');
  const where = [];
  if (!(q.all && supervises(actor))) where.push(eq(actionItems.ownerId, actor.userId));
  if (q.status) where.push(eq(actionItems.status, q.status));
  return repo.actionItemsOf(db, actor.workspaceId, where);
}

/** An opportunity heard in the meeting, credited to whoever captures it (SPEC §5). */
export async function captureFromMeeting(
  db: Db,
  actor: Actor,
  meetingId: string,
  input: { title: string; description?: string | null; amountMinor?: number },
) {
  assertCan(actor, 'opportunities.capture');
  return db.transaction(async (tx) => {
    const { m } = await loadVisibleMeeting(tx, actor, meetingId);
    const o = await captureOpportunity(tx, actor, {
      accountId: m.accountId,
      title: input.title,
      description: input.description ?? null,
      amountMinor: input.amountMinor,
      sourceKind: 'meeting',
      sourceId: m.id,
    });
    return { id: o.id, title: o.title, stage: o.stage };
  });
}
// Relationship-metric assessments from meeting outcomes: the relationships module's `recordAssessment(tx, actor,
// accountId, { metric, score, evidence, sourceKind: 'meeting', sourceId })` takes this transaction (it is also
// reachable over HTTP with sourceKind 'meeting'); holding a meeting already announces meeting.held (account health reacts).

// ---------- settings ----------

export type SettingsInput = {
  smtpHost?: string | null;
  smtpPort?: number | null;
  smtpSecure?: boolean;
  smtpUser?: string | null;
  smtpPassword?: string | null;
  smtpFrom?: string | null;
  llmBaseUrl?: string | null;
  llmModel?: string | null;
  llmApiKey?: string | null;
  meetingReminderMinutes?: number;
  dueReminderHours?: number;
  escalateAfterDays?: number;
};

export function publicSettings(s: repo.SettingsRow | null, workspaceId: string) {
  return {
    workspaceId,
    smtpHost: s?.smtpHost ?? null,
    smtpPort: s?.smtpPort ?? null,
    smtpSecure: s?.smtpSecure ?? false,
    smtpUser: s?.smtpUser ?? null,
    smtpFrom: s?.smtpFrom ?? null,
    smtpPasswordSet: !!s?.smtpPassword,
    llmBaseUrl: s?.llmBaseUrl ?? null,
    llmModel: s?.llmModel ?? null,
    llmApiKeySet: !!s?.llmApiKey,
    meetingReminderMinutes: s?.meetingReminderMinutes ?? 30,
    dueReminderHours: s?.dueReminderHours ?? 24,
    escalateAfterDays: s?.escalateAfterDays ?? 2,
    updatedAt: s?.updatedAt ?? null,
    version: s?.version ?? 0,
  };
}

export async function getSettings(db: Db, actor: Actor) {
  assertCan(actor, 'meetings.settings');
  return publicSettings(await repo.getSettings(db, actor.workspaceId), actor.workspaceId);
}

/** Admins only. Secrets: omitted = keep, null or "" = clear, text = replace. They are never returned. */
export async function putSettings(db: Db, actor: Actor, input: SettingsInput, expectedVersion?: number) {
  assertCan(actor, 'meetings.settings');
  for (const f of ['smtpHost', 'smtpUser', 'smtpFrom', 'llmModel', 'smtpPassword', 'llmApiKey'] as const) {
    const v = input[f];
    if (typeof v === 'string') unwrap(checkSingleLine(v, f));
  }
  // the SMTP host passes the same guard as every outbound target: loopback, private and link-local
  // addresses only when the operator allows the host (checked again on every connection, after DNS)
  if (typeof input.smtpHost === 'string' && input.smtpHost.trim()) {
    const h = checkOutboundHost(input.smtpHost, operatorAllowHosts());
    if (!h.ok)
      throw invalid(h.key === 'webhook.blocked_address' ? 'meeting.smtp_blocked' : 'meeting.smtp_bad_host', h.params, [
        { field: 'smtpHost', message: h.key === 'webhook.blocked_address' ? 'meeting.smtp_blocked' : 'meeting.smtp_bad_host' },
      ]);
  }
  let llmBaseUrl = input.llmBaseUrl;
  if (typeof llmBaseUrl === 'string' && llmBaseUrl.trim()) llmBaseUrl = unwrap(checkLlmUrl(llmBaseUrl.trim()));
  else if (llmBaseUrl === '') llmBaseUrl = null;
  const entity = { type: 'meeting_settings', id: actor.workspaceId, noun: 'meeting_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.getSettings(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before?.version ?? 0, expectedVersion);
    const merged = {
      smtpHost: input.smtpHost !== undefined ? input.smtpHost?.trim() || null : (before?.smtpHost ?? null),
      smtpPort: input.smtpPort !== undefined ? input.smtpPort : (before?.smtpPort ?? null),
      smtpSecure: input.smtpSecure ?? before?.smtpSecure ?? false,
      smtpUser: input.smtpUser !== undefined ? input.smtpUser || null : (before?.smtpUser ?? null),
      smtpPassword: input.smtpPassword !== undefined ? input.smtpPassword || null : (before?.smtpPassword ?? null),
      smtpFrom: input.smtpFrom !== undefined ? input.smtpFrom?.trim() || null : (before?.smtpFrom ?? null),
      llmBaseUrl: llmBaseUrl !== undefined ? llmBaseUrl : (before?.llmBaseUrl ?? null),
      llmModel: input.llmModel !== undefined ? input.llmModel?.trim() || null : (before?.llmModel ?? null),
      llmApiKey: input.llmApiKey !== undefined ? input.llmApiKey || null : (before?.llmApiKey ?? null),
      meetingReminderMinutes: input.meetingReminderMinutes ?? before?.meetingReminderMinutes ?? 30,
      dueReminderHours: input.dueReminderHours ?? before?.dueReminderHours ?? 24,
      escalateAfterDays: input.escalateAfterDays ?? before?.escalateAfterDays ?? 2,
    };
    const p = checkPolicy(merged);
    if (!p.ok) throw invalid('meeting.bad_policy', { field: p.field }, [{ field: p.field, message: 'out of range' }]);
    if (merged.smtpHost && (!merged.smtpPort || !merged.smtpFrom)) {
      const field = !merged.smtpPort ? 'smtpPort' : 'smtpFrom';
      throw invalid('meeting.smtp_incomplete', { field }, [{ field, message: 'required with smtpHost' }]);
    }
    if (merged.llmBaseUrl && !merged.llmModel)
      throw invalid('meeting.llm_incomplete', {}, [{ field: 'llmModel', message: 'required with llmBaseUrl' }]);
    const after = await repo.upsertSettings(tx, actor.workspaceId, merged, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, {
      action: 'meetings.settings',
      entityType: 'meeting_settings',
      entityId: actor.workspaceId,
      before: before ? publicSettings(before, actor.workspaceId) : null,
      after: publicSettings(after, actor.workspaceId),
    });
    return publicSettings(after, actor.workspaceId);
  });
}

export { words as mailWords, meetingMail, inviteFor };
export type { Loc };

// ---------- the workbench's reads ----------

/** The user's meetings (organised or invited) that start on today's date in the workspace's time zone, cancelled ones left out. */
export async function myMeetingsToday(db: Db, actor: Actor, now = new Date()) {
  assertCan(actor, 'meetings.read');
  const timezone = await workspaceTimeZone(db, actor.workspaceId);
  const day = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const from = day.toJSDate();
  const to = new Date(day.plus({ days: 1 }).toMillis() - 1);
  const items = await listMeetings(db, actor, { scope: 'mine', from, to });
  return { date: day.toISODate()!, timezone, items: items.filter((m) => m.status !== 'cancelled') };
}

/** The user's open action items, the soonest due first, each saying whether it is overdue. */
export async function myOpenActionItems(db: Db, actor: Actor, now = new Date()) {
  const items = await myActionItems(db, actor, { status: 'open' });
  return items.map((i) => ({ ...i, overdue: !!i.dueAt && i.dueAt.getTime() <= now.getTime() }));
}

// ---------- the portal: the meetings a key person is invited to

/** Upcoming (and today's) meetings of the signed-in key person: when, where, who organises; never the agenda or minutes. */
export async function portalMeetings(db: Db, actor: Actor, now = new Date()) {
  if (actor.kind !== 'key_person') throw forbidden();
  const since = new Date(now.getTime() - 12 * 3_600_000);
  const rows = await repo.meetingsOfGuest(db, actor.workspaceId, actor.keyPersonId, since);
  const organizers = new Map((await repo.usersByIds(db, actor.workspaceId, [...new Set(rows.map((r) => r.organizerId))])).map((u) => [u.id, u.name]));
  const ws = await repo.workspaceOf(db, actor.workspaceId);
  const items = rows.map((r) => ({
    id: r.id,
    title: r.guestTitle ?? r.title,
    location: r.location,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: r.status as 'scheduled' | 'held' | 'cancelled',
    organizerName: organizers.get(r.organizerId) ?? '',
  }));
  return { timezone: ws.timezone, items };
}
