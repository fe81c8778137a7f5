import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { eachRow } from '../../platform/bulk.js';
import { AppError, conflict, forbidden, invalid, notFound, unwrap } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { contractSla } from '../commerce/index.js';
import { dayOf } from '../../platform/time.js';
import { findAccount, isKeyTier, loadVisibleAccount, seesEveryAccount } from '../accounts/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { fileStamp, formatDateTime, isoMomentsInZone } from '../../platform/time.js';
import { type Download, type Format, spreadsheetDownload } from '../../platform/spreadsheet.js';
import { ticketSheet } from './export.domain.js';
import { captureOpportunity } from '../opportunities/index.js';
import { announce } from '../../platform/events.js';
import { SlaBreached, SlaWarned, TicketAssigned, TicketEscalated, TicketRated } from './tickets.events.js';
import { queueTicketReplyMail } from './email-reply.js';
import * as repo from './tickets.repo.js';
import type { StoredPause } from './tickets.table.js';
import {
  decideDispatch,
  dispatchTiers,
  kindNames,
  type Channel,
  type DispatchTier,
  type Seat,
  type Severity,
  type TicketKind,
  type Words,
} from './dispatch.domain.js';
import { clockAt, formatMinutes, scanDeadline, slaStateOf, type Calendar, type ClockKind, type Pause } from './sla.domain.js';
import {
  decideAttachment,
  decidePause,
  decideRating,
  decideReassign,
  decideReply,
  decideResolve,
  decideResume,
  decideTransition,
  keyMomentCause,
  openStatuses,
  type Status,
} from './tickets.domain.js';

const SYSTEM_NAME = '系统';
const words = (zh: string, en: string): Words => ({ 'zh-CN': zh, en });

type ActorRef = { actorKind: string; actorId: string | null; actorName: string };
function actorRef(actor: Actor): ActorRef {
  return actor.kind === 'staff'
    ? { actorKind: 'staff', actorId: actor.userId, actorName: actor.name }
    : { actorKind: 'key_person', actorId: actor.keyPersonId, actorName: actor.name };
}
/** Who a change is recorded as in the audit trail: a person, or the system (mail that came in). */
export type AuditActor = Actor | { kind: 'system'; workspaceId: string };
/** Who raised a ticket or wrote a message: staff, a key person, or a sender known only by address (email in). */
export type Requester =
  | { kind: 'staff'; userId: string; name: string }
  | { kind: 'key_person'; keyPersonId: string; name: string }
  | { kind: 'email'; email: string; name: string };
const requesterOf = (actor: Actor): Requester =>
  actor.kind === 'staff'
    ? { kind: 'staff', userId: actor.userId, name: actor.name }
    : { kind: 'key_person', keyPersonId: actor.keyPersonId, name: actor.name };
const requesterRef = (r: Requester): ActorRef => ({
  actorKind: r.kind,
  actorId: r.kind === 'staff' ? r.userId : r.kind === 'key_person' ? r.keyPersonId : null,
  actorName: r.name,
});

const toPauses = (p: StoredPause[]): Pause[] => p.map((x) => ({ from: new Date(x.from), to: x.to ? new Date(x.to) : null }));

/** Loads a ticket the actor may see, or 404: other workspaces, other portal accounts and other channels' accounts. */
/** With `expectedVersion` (If-Match / body version of a change): 412 if the ticket has moved on since. */
export async function loadVisibleTicket(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean; expectedVersion?: number } = {}) {
  const t = await repo.findTicket(db, actor.workspaceId, id, { forUpdate: opts.forUpdate });
  if (!t) throw notFound('ticket.noun');
  if (actor.kind === 'key_person' && t.accountId !== actor.accountId) throw notFound('ticket.noun');
  if (actor.kind === 'staff' && !seesEveryAccount(actor)) {
    try {
      await loadVisibleAccount(db, actor, t.accountId);
    } catch {
      throw notFound('ticket.noun');
    }
  }
  await assertFresh(db, actor.workspaceId, ticketEntity(id), t.version, opts.expectedVersion);
  return t;
}
const ticketEntity = (id: string) => ({ type: 'ticket', id, noun: 'ticket.noun' });

/** Recomputes the stored deadlines (what the breach scan reads) of the ticket's unfinished clocks. */
async function refreshClocks(tx: Db, t: repo.TicketRow, cal: Calendar) {
  const pauses = toPauses(t.pauses);
  for (const c of await repo.clocks(tx, t.workspaceId, t.id)) {
    if (c.breachedAt) continue;
    const d = scanDeadline(cal, { targetMinutes: c.targetMinutes, startedAt: c.startedAt, metAt: c.metAt, pauses, warnPct: t.policy.warnPct });
    if (+(d.dueAt ?? 0) !== +(c.dueAt ?? 0) || +(d.warnAt ?? 0) !== +(c.warnAt ?? 0))
      await repo.updateClock(tx, c.id, { dueAt: d.dueAt, warnAt: d.warnAt });
  }
}

export type CreateTicketInput = {
  accountId?: string;
  title: string;
  description: string;
  kind: TicketKind;
  severity: Severity;
  channel?: Channel;
  product?: string | null;
  contractNo?: string | null;
  major?: boolean;
};

/** Opens a ticket, dispatches it by the layered rules and starts its SLA clocks. */
export async function createTicket(db: Db, actor: Actor, input: CreateTicketInput, now = new Date()) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.create');
  const accountId = actor.kind === 'key_person' ? actor.accountId : input.accountId;
  if (!accountId) throw invalid('error.validation', { detail: 'accountId' }, [{ field: 'accountId', message: 'required' }]);
  const channel: Channel = actor.kind === 'key_person' ? 'portal' : (input.channel ?? 'staff');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    return openTicket(tx, actor, account, requesterOf(actor), input, channel, now);
  });
}

/**
 * Opens a ticket on an account already checked (by the caller): the one path every ticket takes, whoever
 * raised it — dispatch, SLA clocks, history, key moment, audit. `by` is recorded in the audit trail.
 */
export async function openTicket(
  tx: Db,
  by: AuditActor,
  account: Awaited<ReturnType<typeof loadVisibleAccount>>,
  requester: Requester,
  input: Omit<CreateTicketInput, 'accountId' | 'channel'>,
  channel: Channel,
  now = new Date(),
) {
  const actor = { workspaceId: by.workspaceId };
  const accountId = account.id;
  {
    const tier = account.tier as DispatchTier;
    if (!dispatchTiers.includes(tier)) throw invalid('ticket.account_tier');
    const loads = await repo.openLoads(tx, actor.workspaceId);
    const seatIds = [account.csmId, account.deliveryId, account.afterSalesId, account.salesId].filter((x): x is string => !!x);
    // one after another: a transaction is one connection (pg warns about, and pg 9 refuses, overlapping queries on it)
    const people = await repo.usersByIds(tx, actor.workspaceId, seatIds);
    const teamsInfo = await repo.teamsWithMembers(tx, actor.workspaceId, loads);
    const implementers = await repo.partnerImplementers(tx, actor.workspaceId, account.channelPartnerId, loads);
    const cal = await repo.calendarOf(tx, actor.workspaceId);
    // the SLA a contract in force buys (seed 003) applies over the account's tier; dispatch still follows the tier
    const bought = await contractSla(tx, actor.workspaceId, accountId, dayOf(now, cal.timezone));
    const slaTier = (bought && dispatchTiers.includes(bought.tier as DispatchTier) ? bought.tier : tier) as DispatchTier;
    const policy = await repo.policyOf(tx, actor.workspaceId, slaTier, input.severity);
    const seat = (id: string | null) => {
      const u = id ? people.find((p) => p.id === id) : undefined;
      return u ? { id: u.id, name: u.name, skills: u.skills, active: u.active, openTickets: loads.get(u.id) ?? 0 } : null;
    };
    const seats: Record<Seat, ReturnType<typeof seat>> = {
      csmId: seat(account.csmId),
      deliveryId: seat(account.deliveryId),
      afterSalesId: seat(account.afterSalesId),
      salesId: seat(account.salesId),
    };
    const d = decideDispatch({
      tier,
      kind: input.kind,
      severity: input.severity,
      channel,
      product: input.product,
      account: { name: account.name, industry: account.industry, seats },
      teams: teamsInfo,
      implementers,
    });
    const ticket = await repo.insertTicket(tx, {
      workspaceId: actor.workspaceId,
      accountId,
      title: input.title,
      description: input.description,
      kind: input.kind,
      severity: input.severity,
      channel,
      product: input.product ?? null,
      contractNo: input.contractNo ?? null,
      requesterKind: requester.kind,
      requesterUserId: requester.kind === 'staff' ? requester.userId : null,
      requesterKeyPersonId: requester.kind === 'key_person' ? requester.keyPersonId : null,
      requesterEmail: requester.kind === 'email' ? requester.email : null,
      requesterName: requester.name,
      status: 'open',
      ownerId: d.ownerId,
      teamId: d.teamId,
      accountableId: d.accountableId,
      tierAtCreation: tier,
      priority: d.priority,
      dispatchRule: d.ruleId,
      dispatchReason:
        bought && slaTier !== tier
          ? {
              'zh-CN': `${d.reason['zh-CN']}；SLA 按合同 ${bought.number} 购买的 ${slaTier} 级执行`,
              en: `${d.reason.en}; SLA as bought by contract ${bought.number}: tier ${slaTier}`,
            }
          : d.reason,
      policy: { tier: slaTier, severity: input.severity, ...policy },
      major: !!input.major,
      lastPublicFrom: 'customer',
      createdAt: now,
      updatedAt: now,
    });
    const who = requesterRef(requester);
    await repo.insertHistory(tx, [
      {
        workspaceId: actor.workspaceId,
        ticketId: ticket.id,
        kind: 'created',
        toStatus: 'open',
        reason: words(`${who.actorName} 通过${channelWords[channel]['zh-CN']}提交`, `${who.actorName} raised it by ${channelWords[channel].en}`),
        ...who,
        at: now,
      },
      ...d.steps.map((s, i) => ({
        workspaceId: actor.workspaceId,
        ticketId: ticket.id,
        kind: 'assigned',
        fromOwnerId: i === 0 ? null : d.steps[i - 1].ownerId,
        toOwnerId: s.ownerId,
        reason: s.reason,
        actorKind: 'system',
        actorId: null,
        actorName: SYSTEM_NAME,
        at: now,
      })),
    ]);
    const pauses: Pause[] = [];
    const startClock = (kind: ClockKind, targetMinutes: number) => {
      const s = scanDeadline(cal, { targetMinutes, startedAt: now, metAt: null, pauses, warnPct: policy.warnPct });
      return { workspaceId: actor.workspaceId, ticketId: ticket.id, kind, targetMinutes, startedAt: now, dueAt: s.dueAt, warnAt: s.warnAt };
    };
    await repo.insertClocks(tx, [startClock('first_response', policy.firstResponseMinutes), startClock('resolution', policy.resolutionMinutes)]);
    await recordKeyMoment(tx, who, ticket, now);
    const byUserId = by.kind === 'staff' ? by.userId : null;
    if (ticket.ownerId && byUserId !== ticket.ownerId)
      await announce(tx, ticket.workspaceId, TicketAssigned, {
        accountId,
        ticketId: ticket.id,
        number: ticket.number,
        title: ticket.title,
        ownerId: ticket.ownerId,
        byUserId,
      });
    await recordAudit(tx, by, {
      action: 'ticket.create',
      entityType: 'ticket',
      entityId: ticket.id,
      after: { ...ticket, dispatchReason: d.reason['zh-CN'] },
    });
    return ticket;
  }
}

const channelWords: Record<Channel, Words> = {
  portal: words('客户门户', 'the portal'),
  phone: words('电话', 'phone'),
  email: words('邮件', 'email'),
  meeting: words('会议', 'a meeting'),
  staff: words('内部录入', 'staff entry'),
};

async function recordKeyMoment(tx: Db, who: ActorRef, t: repo.TicketRow, now: Date) {
  const cause = keyMomentCause(t.kind, t.major);
  if (!cause) return;
  const row = await repo.insertKeyMoment(tx, {
    workspaceId: t.workspaceId,
    accountId: t.accountId,
    ticketId: t.id,
    cause,
    note: t.title,
    createdAt: now,
  });
  if (row)
    await repo.insertHistory(tx, [
      {
        workspaceId: t.workspaceId,
        ticketId: t.id,
        kind: 'key_moment',
        reason:
          cause === 'complaint'
            ? words(
                '投诉：已记录关键时点事件，将召开关键时点会议并邀请销售参加',
                'Complaint: key-moment event recorded; a key-moment meeting with sales follows',
              )
            : words(
                '重大问题：已记录关键时点事件，将召开关键时点会议并邀请销售参加',
                'Major issue: key-moment event recorded; a key-moment meeting with sales follows',
              ),
        ...who,
        at: now,
      },
    ]);
}

// ---- reading

function clockViews(t: repo.TicketRow, clocks: repo.ClockRow[], cal: Calendar, now: Date, locale: Locale) {
  const pauses = toPauses(t.pauses);
  return clocks.map((c) => {
    const v = clockAt(cal, { targetMinutes: c.targetMinutes, startedAt: c.startedAt, metAt: c.metAt, pauses, warnPct: t.policy.warnPct }, now);
    const state = c.breachedAt ? 'breached' : v.state;
    return {
      id: c.id,
      kind: c.kind as ClockKind,
      targetMinutes: c.targetMinutes,
      target: formatMinutes(locale, c.targetMinutes),
      startedAt: c.startedAt,
      dueAt: v.dueAt,
      warnAt: v.warnAt,
      metAt: c.metAt,
      breachedAt: c.breachedAt,
      state,
      warning: state === 'running' && v.warning,
      elapsedMinutes: Math.round(v.elapsedMinutes),
      remainingMinutes: Math.round(v.remainingMinutes),
      remaining: formatMinutes(locale, v.remainingMinutes),
    };
  });
}

export async function getTicket(db: Db, actor: Actor, id: string, now = new Date()) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.read');
  const portal = actor.kind === 'key_person';
  // the ticket and everything its page shows in one statement; who may see it is decided before anything is used
  const parts = await repo.ticketPage(db, actor.workspaceId, id, portal);
  const t = parts?.ticket;
  if (!parts || !t || (actor.kind === 'key_person' && t.accountId !== actor.accountId)) throw notFound('ticket.noun');
  let account = { name: parts.accountName };
  if (actor.kind === 'staff' && !seesEveryAccount(actor)) {
    try {
      account = await loadVisibleAccount(db, actor, t.accountId);
    } catch {
      throw notFound('ticket.noun');
    }
  }
  if (account.name === null) throw notFound('ticket.noun');
  const [cal, names] = await Promise.all([
    repo.calendarOf(db, actor.workspaceId),
    repo.usersByIds(
      db,
      actor.workspaceId,
      [t.ownerId, t.accountableId].filter((x): x is string => !!x),
    ),
  ]);
  const { messages: msgs, attachments: files, clocks, csat } = parts;
  const name = (uid: string | null) => (uid ? (names.find((n) => n.id === uid)?.name ?? null) : null);
  const base = {
    id: t.id,
    number: t.number,
    title: t.title,
    description: t.description,
    kind: t.kind,
    severity: t.severity,
    priority: t.priority,
    channel: t.channel,
    product: t.product,
    contractNo: t.contractNo,
    status: t.status,
    major: t.major,
    accountId: t.accountId,
    accountName: account.name,
    requesterKind: t.requesterKind,
    requesterName: t.requesterName,
    ownerId: t.ownerId,
    ownerName: name(t.ownerId),
    accountableId: t.accountableId,
    accountableName: name(t.accountableId),
    resolution: t.resolution,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    clocks: clockViews(t, clocks, cal, now, actor.locale),
    messages: msgs.map((m) => ({
      id: m.id,
      visibility: m.visibility,
      authorKind: m.authorKind,
      authorName: m.authorName,
      body: m.body,
      createdAt: m.createdAt,
    })),
    attachments: files,
    csat: csat ? { score: csat.score, comment: csat.comment, byName: csat.byName, at: csat.at } : null,
    canRate: !csat && (t.status === 'resolved' || t.status === 'closed'),
  };
  if (portal) return base;
  const { history: hist, escalations } = parts;
  // the ticket's key moments are of its account, visible (loadVisibleAccount above)
  const moments = parts.moments.map(({ id: mid, accountId, ...k }) => ({ id: mid, accountId, accountName: account.name, ...k }));
  const opps = parts.opportunities;
  const [teamRow, timeZone] = await Promise.all([
    t.teamId
      ? repo.teamsWithMembers(db, actor.workspaceId, new Map()).then((ts) => ts.find((x) => x.id === t.teamId) ?? null)
      : Promise.resolve(null),
    workspaceTimeZone(db, actor.workspaceId),
  ]);
  const pauses = t.pauses;
  return {
    ...base,
    version: t.version,
    tier: t.tierAtCreation,
    teamId: t.teamId,
    teamName: teamRow?.name ?? null,
    teamMembers: teamRow ? teamRow.members.filter((m) => m.active).map((m) => ({ id: m.id, name: m.name })) : [],
    dispatchRule: t.dispatchRule,
    dispatchReason: t.dispatchReason[actor.locale],
    policy: t.policy,
    pauses: pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null })),
    lastPublicFrom: t.lastPublicFrom,
    allowedNext:
      openStatuses.includes(t.status as Status) || t.status === 'resolved'
        ? (['in_progress', 'waiting_customer', 'resolved', 'closed'] as Status[]).filter(
            (s) => decideTransition(t.status as Status, s, actor.locale).ok,
          )
        : [],
    history: hist.map((h) => ({
      id: h.id,
      kind: h.kind,
      fromOwnerId: h.fromOwnerId,
      toOwnerId: h.toOwnerId,
      fromStatus: h.fromStatus,
      toStatus: h.toStatus,
      // history written before times were worded carries ISO strings: read them in the workspace's zone
      reason: h.reason ? isoMomentsInZone(h.reason[actor.locale], timeZone) : null,
      actorKind: h.actorKind,
      actorName: h.actorName,
      at: h.at,
    })),
    escalations,
    opportunities: opps,
    keyMoments: moments,
  };
}

export type ListQuery = {
  queue: repo.Queue;
  accountId?: string;
  status?: string[];
  severity?: string[];
  ownerId?: string;
  tier?: string[];
  q?: string;
  page: number;
  pageSize: number;
};

export async function listTickets(db: Db, actor: Actor, q: ListQuery, now = new Date()) {
  assertCan(actor, 'tickets.read');
  const teamIds = await repo.teamIdsOf(db, actor.workspaceId, actor.userId);
  if (q.accountId) await loadVisibleAccount(db, actor, q.accountId);
  // a queue's own count is its total when nothing narrows it: one statement fewer on the screen engineers live on
  const counted = q.queue !== 'all' && !q.accountId && !q.status?.length && !q.severity?.length && !q.ownerId && !q.tier?.length && !q.q;
  const [{ items, total }, counts] = await Promise.all([
    repo.listTickets(db, actor.workspaceId, {
      ...q,
      userId: actor.userId,
      teamIds,
      visibleTo: actor,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
      now,
      withTotal: !counted,
    }),
    repo.queueCounts(db, actor.workspaceId, actor.userId, teamIds, now, actor),
  ]);
  return { items, total: counted ? counts[q.queue as keyof typeof counts] : total, page: q.page, pageSize: q.pageSize, counts };
}

export async function listPortalTickets(db: Db, actor: Actor) {
  if (actor.kind !== 'key_person') throw forbidden();
  return repo.accountTickets(db, actor.workspaceId, actor.accountId, true);
}

/** The account 360's service tab: its tickets and SLA compliance. */
export async function accountService(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'tickets.read');
  await loadVisibleAccount(db, actor, accountId);
  const [items, comp, csat, moments] = await Promise.all([
    repo.accountTickets(db, actor.workspaceId, accountId),
    repo.compliance(db, actor.workspaceId, accountId),
    repo.csatReport(db, actor.workspaceId, 'account', accountId),
    repo.keyMoments(db, actor.workspaceId, { accountId, limit: 20 }),
  ]);
  const met = comp.reduce((s, c) => s + c.met, 0);
  const breached = comp.reduce((s, c) => s + c.breached, 0);
  return {
    tickets: items,
    open: items.filter((i) => openStatuses.includes(i.status as Status)).length,
    compliance: {
      byKind: comp.map((c) => ({ ...c, pct: c.met + c.breached ? Math.round((100 * c.met) / (c.met + c.breached)) : null })),
      met,
      breached,
      pct: met + breached ? Math.round((100 * met) / (met + breached)) : null,
    },
    csat: csat[0] ? { responses: csat[0].responses, average: csat[0].average } : { responses: 0, average: null },
    keyMoments: moments,
  };
}

// ---- working a ticket

async function touch(tx: Db, actor: AuditActor, before: repo.TicketRow, patch: Partial<repo.TicketRow>, now: Date, action: string) {
  // compare-and-set on the version read: a change that slipped in between (PGlite, or a caller without
  // a row lock) makes this one a 412 instead of overwriting it
  const after = await repo.updateTicket(tx, actor.workspaceId, before.id, patch, now, before.version);
  if (!after) throw await staleError(tx, actor.workspaceId, ticketEntity(before.id));
  await recordAudit(tx, actor, { action, entityType: 'ticket', entityId: before.id, before: pick(before, patch), after: pick(after, patch) });
  return after;
}
const pick = (row: Record<string, unknown>, patch: Record<string, unknown>) => Object.fromEntries(Object.keys(patch).map((k) => [k, row[k]]));

function statusHistory(t: repo.TicketRow, to: Status, actor: Actor | ActorRef, now: Date, reason?: Words) {
  return {
    workspaceId: t.workspaceId,
    ticketId: t.id,
    kind: 'status',
    fromStatus: t.status,
    toStatus: to,
    reason: reason ?? null,
    ...('actorKind' in actor ? actor : actorRef(actor)),
    at: now,
  };
}

export async function addMessage(db: Db, actor: Actor, id: string, input: { body: string; visibility: 'public' | 'internal' }, now = new Date()) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true });
    const visibility = actor.kind === 'key_person' ? 'public' : input.visibility;
    const msg = await appendMessage(tx, actor, t, requesterOf(actor), visibility, input.body, now);
    // a public staff answer on a ticket with a mail thread goes out by mail, in the thread (email-reply.ts)
    if (actor.kind === 'staff' && visibility === 'public')
      await queueTicketReplyMail(tx, t, { id: msg.id, body: input.body, authorName: actor.name });
    return msg;
  });
}

/**
 * Adds a message to a ticket the caller has loaded for update, with what a reply does to the status and the
 * SLA clocks (a staff answer meets the response clock; a customer's reply resumes a pause or reopens).
 * Throws a conflict when the ticket takes no reply (closed).
 */
export async function appendMessage(
  tx: Db,
  actor: AuditActor,
  t: repo.TicketRow,
  author: Requester,
  visibility: 'public' | 'internal',
  body: string,
  now = new Date(),
) {
  const id = t.id;
  const who = requesterRef(author);
  {
    const by = author.kind === 'staff' ? 'staff' : 'customer';
    const effect = unwrap(decideReply(t.status as Status, by, visibility), 'conflict');
    const msg = await repo.insertMessage(tx, {
      workspaceId: actor.workspaceId,
      ticketId: id,
      visibility,
      authorKind: author.kind,
      authorId: who.actorId,
      authorName: author.name,
      body,
      createdAt: now,
    });
    if (visibility === 'internal') return msg;
    const patch: Partial<repo.TicketRow> = { lastPublicFrom: by };
    let pauses = t.pauses;
    const hist: Parameters<typeof repo.insertHistory>[1] = [];
    if (effect.status !== t.status) {
      patch.status = effect.status;
      hist.push(
        statusHistory(
          t,
          effect.status,
          who,
          now,
          effect.resume
            ? words('客户已回复，SLA 计时恢复', 'The customer replied; SLA clocks resume')
            : effect.reopen
              ? words('客户回复，工单重新打开', 'The customer replied; the ticket is reopened')
              : undefined,
        ),
      );
    }
    if (effect.resume) {
      pauses = pauses.map((p) => (p.to ? p : { ...p, to: now.toISOString() }));
      patch.pauses = pauses;
      hist.push({
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'resumed',
        reason: words('客户回复，恢复计时', 'Customer replied: clocks resume'),
        ...who,
        at: now,
      });
    }
    const clocks = await repo.clocks(tx, actor.workspaceId, id);
    if (effect.meetsResponse) {
      if (!t.firstRespondedAt) patch.firstRespondedAt = now;
      for (const c of clocks)
        if (!c.metAt && (c.kind === 'first_response' || c.kind === 'next_response'))
          await repo.updateClock(tx, c.id, { metAt: now, dueAt: null, warnAt: null });
    }
    if (effect.reopen) {
      patch.resolvedAt = null;
      patch.resolution = null;
      for (const c of clocks) if (c.kind === 'resolution') await repo.updateClock(tx, c.id, { metAt: null });
    }
    if (effect.startsNextResponse && (t.firstRespondedAt || effect.reopen) && !clocks.some((c) => c.kind === 'next_response' && !c.metAt)) {
      await repo.insertClocks(tx, [
        { workspaceId: actor.workspaceId, ticketId: id, kind: 'next_response', targetMinutes: t.policy.nextResponseMinutes, startedAt: now },
      ]);
    }
    await repo.insertHistory(tx, hist);
    const after = await touch(tx, actor, t, patch, now, visibility === 'public' ? 'ticket.reply' : 'ticket.note');
    await refreshClocks(tx, after, await repo.calendarOf(tx, actor.workspaceId));
    return msg;
  }
}

export async function pauseTicket(db: Db, actor: Actor, id: string, input: { reason: string }, now = new Date(), expectedVersion?: number) {
  assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    unwrap(decidePause({ status: t.status as Status, lastPublicFrom: t.lastPublicFrom as 'staff' | 'customer' | null }), 'conflict');
    const pauses = [...t.pauses, { from: now.toISOString(), to: null }];
    await repo.insertHistory(tx, [
      statusHistory(t, 'waiting_customer', actor, now),
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'paused',
        reason: words(`等待客户：${input.reason}`, `Waiting on the customer: ${input.reason}`),
        ...actorRef(actor),
        at: now,
      },
    ]);
    const after = await touch(tx, actor, t, { status: 'waiting_customer', pauses }, now, 'ticket.pause');
    await refreshClocks(tx, after, await repo.calendarOf(tx, actor.workspaceId));
    return after;
  });
}

export async function resumeTicket(db: Db, actor: Actor, id: string, now = new Date(), expectedVersion?: number) {
  assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    unwrap(decideResume({ status: t.status as Status }), 'conflict');
    const pauses = t.pauses.map((p) => (p.to ? p : { ...p, to: now.toISOString() }));
    await repo.insertHistory(tx, [
      statusHistory(t, 'in_progress', actor, now),
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'resumed',
        reason: words('手动恢复计时', 'Clocks resumed by hand'),
        ...actorRef(actor),
        at: now,
      },
    ]);
    const after = await touch(tx, actor, t, { status: 'in_progress', pauses }, now, 'ticket.resume');
    await refreshClocks(tx, after, await repo.calendarOf(tx, actor.workspaceId));
    return after;
  });
}

export async function resolveTicket(db: Db, actor: Actor, id: string, input: { resolution: string }, now = new Date(), expectedVersion?: number) {
  assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    unwrap(decideResolve(t.status as Status, input.resolution), 'conflict');
    const pauses = t.pauses.map((p) => (p.to ? p : { ...p, to: now.toISOString() }));
    // the resolution is our public answer: it meets every running clock
    for (const c of await repo.clocks(tx, actor.workspaceId, id))
      if (!c.metAt) await repo.updateClock(tx, c.id, { metAt: now, dueAt: null, warnAt: null });
    const resolutionMsg = await repo.insertMessage(tx, {
      workspaceId: actor.workspaceId,
      ticketId: id,
      visibility: 'public',
      authorKind: 'staff',
      authorId: actor.userId,
      authorName: actor.name,
      body: input.resolution,
      createdAt: now,
    });
    await queueTicketReplyMail(tx, t, { id: resolutionMsg.id, body: input.resolution, authorName: actor.name });
    await repo.insertHistory(tx, [statusHistory(t, 'resolved', actor, now, words(`已解决：${input.resolution}`, `Resolved: ${input.resolution}`))]);
    return touch(
      tx,
      actor,
      t,
      {
        status: 'resolved',
        resolution: input.resolution,
        resolvedAt: now,
        pauses,
        lastPublicFrom: 'staff',
        firstRespondedAt: t.firstRespondedAt ?? now,
      },
      now,
      'ticket.resolve',
    );
  });
}

export async function closeTicket(db: Db, actor: Actor, id: string, now = new Date(), expectedVersion?: number) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    unwrap(decideTransition(t.status as Status, 'closed', actor.locale), 'conflict');
    await repo.insertHistory(tx, [statusHistory(t, 'closed', actor, now)]);
    return touch(tx, actor, t, { status: 'closed', closedAt: now }, now, 'ticket.close');
  });
}

export async function reassignTicket(
  db: Db,
  actor: Actor,
  id: string,
  input: { ownerId: string; teamId?: string | null; reason: string },
  now = new Date(),
  expectedVersion?: number,
) {
  assertCan(actor, 'tickets.assign');
  if (!input.reason.trim()) throw invalid('ticket.reason_required', {}, [{ field: 'reason', message: 'required' }]);
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    const account = await loadVisibleAccount(tx, actor, t.accountId);
    const actorTeams = await repo.teamIdsOf(tx, actor.workspaceId, actor.userId);
    const [target] = await repo.usersByIds(tx, actor.workspaceId, [input.ownerId]);
    const implementers = await repo.partnerImplementers(tx, actor.workspaceId, account.channelPartnerId, new Map());
    const targetTeams = target ? await repo.teamIdsOf(tx, actor.workspaceId, target.id) : [];
    const targetTeamId = input.teamId === undefined ? t.teamId : input.teamId;
    if (targetTeamId && !(await repo.teamsWithMembers(tx, actor.workspaceId, new Map())).some((x) => x.id === targetTeamId))
      throw invalid('ticket.assignee_outside_team', {}, [{ field: 'teamId', message: 'unknown team' }]);
    const decision = decideReassign({
      actor: { id: actor.userId, role: actor.role, teamIds: actorTeams },
      ticket: { ownerId: t.ownerId, teamId: t.teamId, accountableId: t.accountableId, status: t.status as Status },
      targetTeamId,
      target: target ? { id: target.id, active: target.active, teamIds: targetTeams } : null,
      accountPeople: [account.csmId, account.deliveryId, account.afterSalesId, account.salesId, ...implementers.map((i) => i.id)].filter(
        (x): x is string => !!x,
      ),
    });
    if (!decision.ok)
      throw new AppError(
        decision.key === 'ticket.reassign_forbidden' || decision.key === 'ticket.team_change_forbidden'
          ? 'forbidden'
          : decision.key === 'ticket.reassign_status'
            ? 'conflict'
            : 'invalid',
        decision.key,
        decision.params ?? {},
        decision.field ? [{ field: decision.field, message: decision.key }] : [],
      );
    await repo.insertHistory(tx, [
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'assigned',
        fromOwnerId: t.ownerId,
        toOwnerId: target!.id,
        reason: words(`转派给 ${target!.name}：${input.reason}`, `Reassigned to ${target!.name}: ${input.reason}`),
        ...actorRef(actor),
        at: now,
      },
    ]);
    if (decision.value.ownerId && decision.value.ownerId !== t.ownerId && decision.value.ownerId !== actor.userId)
      await announce(tx, t.workspaceId, TicketAssigned, {
        accountId: t.accountId,
        ticketId: t.id,
        number: t.number,
        title: t.title,
        ownerId: decision.value.ownerId,
        byUserId: actor.userId,
      });
    return touch(tx, actor, t, { ownerId: decision.value.ownerId, teamId: decision.value.teamId }, now, 'ticket.reassign');
  });
}

export async function markMajor(db: Db, actor: Actor, id: string, input: { reason: string }, now = new Date(), expectedVersion?: number) {
  assertCan(actor, 'tickets.major');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true, expectedVersion });
    if (t.major) throw conflict('ticket.already_major');
    await repo.insertHistory(tx, [
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'major',
        reason: words(`标记为重大问题：${input.reason}`, `Marked as a major issue: ${input.reason}`),
        ...actorRef(actor),
        at: now,
      },
    ]);
    const after = await touch(tx, actor, t, { major: true }, now, 'ticket.major');
    await recordKeyMoment(tx, actorRef(actor), after, now);
    return after;
  });
}

/** "The service process is the sales process": one action records an opportunity credited to whoever captured it. */
export async function captureFromTicket(
  db: Db,
  actor: Actor,
  id: string,
  input: { title: string; description?: string | null; amountMinor?: number; product?: string | null },
  now = new Date(),
) {
  assertCan(actor, 'opportunities.capture');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id);
    const opp = await captureOpportunity(tx, actor, {
      accountId: t.accountId,
      title: input.title,
      description: input.description ?? null,
      sourceKind: 'ticket',
      sourceId: t.id,
      amountMinor: input.amountMinor,
      product: input.product ?? t.product,
    });
    await repo.insertHistory(tx, [
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'opportunity',
        reason: words(`${actor.name} 捕捉商机：${input.title}`, `${actor.name} captured an opportunity: ${input.title}`),
        ...actorRef(actor),
        at: now,
      },
    ]);
    return opp;
  });
}

export async function rateTicket(db: Db, actor: Actor, id: string, input: { score: number; comment?: string | null }, now = new Date()) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.work');
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true });
    const existing = await repo.csatOf(tx, actor.workspaceId, id);
    const score = unwrap(
      decideRating(t.status as Status, !!existing, input.score),
      existing || (t.status !== 'resolved' && t.status !== 'closed') ? 'conflict' : 'invalid',
    );
    const row = await repo.insertCsat(tx, {
      workspaceId: actor.workspaceId,
      ticketId: id,
      accountId: t.accountId,
      ownerId: t.ownerId,
      teamId: t.teamId,
      score,
      comment: input.comment ?? null,
      byKind: actor.kind,
      byName: actor.name,
      at: now,
    });
    if (!row) throw conflict('csat.already');
    await announce(tx, actor.workspaceId, TicketRated, { accountId: t.accountId, ticketId: id, score });
    await repo.insertHistory(tx, [
      {
        workspaceId: t.workspaceId,
        ticketId: id,
        kind: 'rated',
        reason: words(
          `满意度 ${score} 分${input.comment ? `：${input.comment}` : ''}`,
          `Satisfaction ${score}/5${input.comment ? `: ${input.comment}` : ''}`,
        ),
        ...actorRef(actor),
        at: now,
      },
    ]);
    if (t.status === 'resolved') {
      await repo.insertHistory(tx, [statusHistory(t, 'closed', actor, now, words('客户评价后关闭', 'Closed after the rating'))]);
      await touch(tx, actor, t, { status: 'closed', closedAt: now }, now, 'ticket.rate');
    } else await recordAudit(tx, actor, { action: 'ticket.rate', entityType: 'ticket', entityId: id, after: { score } });
    return row;
  });
}

// ---- attachments

export async function addAttachment(
  db: Db,
  actor: Actor,
  id: string,
  file: { fileName: string; contentType: string; data: Buffer; visibility: 'public' | 'internal' },
  now = new Date(),
) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.work');
  const meta = unwrap(
    decideAttachment({ fileName: file.fileName, contentType: file.contentType, size: file.data.length, head: file.data.subarray(0, 512) }),
  );
  return db.transaction(async (tx) => {
    const t = await loadVisibleTicket(tx, actor, id, { forUpdate: true });
    if (t.status === 'closed') throw conflict('ticket.closed');
    const row = await repo.insertAttachment(tx, {
      workspaceId: actor.workspaceId,
      ticketId: id,
      visibility: actor.kind === 'key_person' ? 'public' : file.visibility,
      fileName: meta.fileName,
      contentType: meta.contentType,
      sizeBytes: file.data.length,
      data: file.data,
      uploadedByKind: actor.kind,
      uploadedById: actor.kind === 'staff' ? actor.userId : actor.keyPersonId,
      uploadedByName: actor.name,
      createdAt: now,
    });
    await recordAudit(tx, actor, {
      action: 'ticket.attach',
      entityType: 'ticket',
      entityId: id,
      after: { fileName: row.fileName, sizeBytes: row.sizeBytes, contentType: row.contentType },
    });
    return row;
  });
}

export async function getAttachment(db: Db, actor: Actor, ticketId: string, id: string) {
  if (actor.kind === 'staff') assertCan(actor, 'tickets.read');
  await loadVisibleTicket(db, actor, ticketId);
  const a = await repo.findAttachment(db, actor.workspaceId, ticketId, id);
  if (!a || (actor.kind === 'key_person' && a.visibility !== 'public')) throw notFound('attachment.noun');
  return { fileName: a.fileName, contentType: a.contentType, data: Buffer.from(a.data) };
}

// ---- reports

export async function csatReport(db: Db, actor: Actor, by: 'account' | 'team' | 'owner') {
  assertCan(actor, 'tickets.read');
  return repo.csatReport(db, actor.workspaceId, by, undefined, actor);
}

export async function listKeyMoments(db: Db, actor: Actor, q: { accountId?: string }) {
  assertCan(actor, 'tickets.read');
  if (q.accountId) await loadVisibleAccount(db, actor, q.accountId);
  return repo.keyMoments(db, actor.workspaceId, { ...q, visibleTo: actor });
}

// ---- the scheduled scan: warnings and breaches, each recorded (and escalated) once

/** The history's words for a clock close to or past its deadline, the deadline in the workspace's zone. */
async function deadlineWords(db: Db, workspaceId: string, kind: ClockKind, dueAt: Date | null, what: 'warned' | 'breached') {
  const due = dueAt ? formatDateTime(dueAt, await workspaceTimeZone(db, workspaceId)) : '—';
  return what === 'warned'
    ? words(`${clockWords[kind]['zh-CN']}即将超时（截止 ${due}）`, `${clockWords[kind].en} is close to its deadline (${due})`)
    : words(`${clockWords[kind]['zh-CN']}超时（截止 ${due}）`, `${clockWords[kind].en} breached (due ${due})`);
}

export async function scanSla(db: Db, now: Date) {
  let warned = 0;
  let breached = 0;
  let escalated = 0;
  // in batches until nothing is left (a backlog after downtime is cleared in one run, bounded)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const batch = await repo.warnClocks(db, now, BATCH);
    for (const w of batch) {
      await db.transaction(async (tx) => {
        const c = await repo.claimWarning(tx, w.id, now);
        if (!c) return;
        warned++;
        const t = await repo.findTicket(tx, c.workspaceId, c.ticketId);
        if (t) {
          let userIds = t.ownerId ? [t.ownerId] : [];
          if (!userIds.length && t.teamId) {
            const team = (await repo.teamsWithMembers(tx, t.workspaceId, new Map())).find((x) => x.id === t.teamId);
            userIds = team?.leadId ? [team.leadId] : [];
          }
          await announce(tx, t.workspaceId, SlaWarned, {
            accountId: t.accountId,
            ticketId: t.id,
            clockId: c.id,
            number: t.number,
            title: t.title,
            clock: c.kind,
            userIds,
          });
        }
        await repo.insertHistory(tx, [
          {
            workspaceId: c.workspaceId,
            ticketId: c.ticketId,
            kind: 'warned',
            reason: await deadlineWords(tx, c.workspaceId, c.kind as ClockKind, c.dueAt, 'warned'),
            actorKind: 'system',
            actorId: null,
            actorName: SYSTEM_NAME,
            at: now,
          },
        ]);
      });
    }
    if (batch.length < BATCH) break;
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const batch = await repo.dueClocks(db, now, BATCH);
    for (const d of batch) {
      await db.transaction(async (tx) => {
        // claim the breach: only one scan (of however many instances) records it
        const c = await repo.claimBreach(tx, d.id, now);
        if (!c) return;
        breached++;
        const t = (await repo.findTicket(tx, c.workspaceId, c.ticketId))!;
        await announce(tx, t.workspaceId, SlaBreached, { accountId: t.accountId, ticketId: t.id, clockId: c.id });
        const recipients = new Map<string, string>();
        const [owner] = t.ownerId ? await repo.usersByIds(tx, t.workspaceId, [t.ownerId]) : [];
        if (owner?.managerId) recipients.set(owner.managerId, 'manager');
        if (!owner && t.teamId) {
          const team = (await repo.teamsWithMembers(tx, t.workspaceId, new Map())).find((x) => x.id === t.teamId);
          if (team?.leadId) recipients.set(team.leadId, 'team_lead');
        }
        if (isKeyTier(t.tierAtCreation) && t.accountableId && !recipients.has(t.accountableId)) recipients.set(t.accountableId, 'csm');
        const rows = await repo.insertEscalations(
          tx,
          [...recipients].map(([recipientId, recipientRole]) => ({
            workspaceId: t.workspaceId,
            ticketId: t.id,
            clockId: c.id,
            recipientId,
            recipientRole,
            at: now,
          })),
        );
        escalated += rows.length;
        const names = await repo.usersByIds(tx, t.workspaceId, [...recipients.keys()]);
        const list = names.map((n) => n.name).join('、');
        if (rows.length) {
          // the notification centre tells them (bell, mail, the account's IM group), once per breached clock
          const account = await findAccount(tx, t.workspaceId, t.accountId);
          await announce(tx, t.workspaceId, TicketEscalated, {
            accountId: t.accountId,
            ticketId: t.id,
            clockId: c.id,
            number: t.number,
            title: t.title,
            clock: c.kind,
            accountName: account?.name ?? '',
            recipientIds: rows.map((r) => r.recipientId),
          });
        }
        await repo.insertHistory(tx, [
          {
            workspaceId: t.workspaceId,
            ticketId: t.id,
            kind: 'breached',
            reason: await deadlineWords(tx, t.workspaceId, c.kind as ClockKind, c.dueAt, 'breached'),
            actorKind: 'system',
            actorId: null,
            actorName: SYSTEM_NAME,
            at: now,
          },
          ...(rows.length
            ? [
                {
                  workspaceId: t.workspaceId,
                  ticketId: t.id,
                  kind: 'escalated',
                  reason: words(`已升级给：${list}`, `Escalated to: ${list}`),
                  actorKind: 'system',
                  actorId: null,
                  actorName: SYSTEM_NAME,
                  at: now,
                },
              ]
            : []),
        ]);
      });
    }
    if (batch.length < BATCH) break;
  }
  return { warned, breached, escalated };
}

const BATCH = 500;
const MAX_ROUNDS = 40;

const clockWords: Record<ClockKind, Words> = {
  first_response: words('首次响应', 'First response'),
  next_response: words('再次响应', 'Next response'),
  resolution: words('解决', 'Resolution'),
};

export { kindNames };
export type { StaffActor };

/** The signed-in user's ticket queue for the workbench: mine or my teams', most urgent first, with the total. */
export async function myTicketQueue(db: Db, actor: Actor, q: { limit?: number } = {}, now = new Date()) {
  assertCan(actor, 'tickets.read');
  const teamIds = await repo.teamIdsOf(db, actor.workspaceId, actor.userId);
  const { items, total } = await repo.workQueue(db, actor.workspaceId, {
    userId: actor.userId,
    teamIds,
    visibleTo: actor,
    limit: q.limit ?? 10,
    now,
  });
  return {
    total,
    items: items.map((i) => ({
      ...i,
      slaState: slaStateOf(i),
    })),
  };
}

/** Reassigns each selected ticket as `reassignTicket` would (same rules), one transaction per ticket. */
export async function bulkReassign(
  db: Db,
  actor: Actor,
  input: { ids: string[]; ownerId: string; teamId?: string | null; reason: string },
  now = new Date(),
) {
  assertCan(actor, 'tickets.assign');
  if (!input.reason.trim()) throw invalid('ticket.reason_required', {}, [{ field: 'reason', message: 'required' }]);
  const { ids, ...one } = input;
  return eachRow(ids, actor.locale, (id) => reassignTicket(db, actor, id, one, now));
}

/**
 * The ticked rows of the service desk as CSV or XLSX: only tickets the user may see (others are left
 * out, as on the list), newest first, labels in the user's language, times and the file's date in the
 * workspace's zone.
 */
export async function exportTickets(db: Db, actor: Actor, input: { ids: string[]; format: Format }, now = new Date()): Promise<Download> {
  assertCan(actor, 'tickets.read');
  const { items } = await repo.listTickets(db, actor.workspaceId, {
    queue: 'all',
    ids: input.ids,
    visibleTo: actor,
    limit: input.ids.length,
    offset: 0,
    now,
  });
  const zone = await workspaceTimeZone(db, actor.workspaceId);
  const sheet = ticketSheet(items, actor.locale, zone);
  return spreadsheetDownload({
    base: 'tickets',
    sheet: actor.locale === 'en' ? 'Tickets' : '工单',
    format: input.format,
    ...sheet,
    day: fileStamp(now, zone),
  });
}
