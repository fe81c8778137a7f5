/**
 * Use cases of the customer portal. Key-person use cases are bound to the actor's one account (the
 * account id never comes from a request); staff use cases check the permission matrix and the
 * account's visibility. Business rules stay in their modules: this calls their services.
 */
import crypto from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor, KeyPersonActor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import { translate, type Locale } from '../../platform/i18n.js';
import { endSessionsOf, signInEmailTaken } from '../../platform/auth.service.js';
import {
  activeKeyPersonsByEmail,
  addKeyPerson,
  findContact,
  keyPersonOfContact,
  loadVisibleAccount,
  setKeyPersonPassword,
} from '../accounts/index.js';
import { findWorkspace, usersByIds } from '../people/index.js';
import { queueMail } from '../../platform/mail.js';
import { captureOpportunity } from '../opportunities/index.js';
import { deliveryProgressOf } from '../commerce/index.js';
import { listPortalCatalog, requestFromPortal } from '../value-add/index.js';
import { sanitizeRichText } from './content.domain.js';
import { publish } from './events.js';
import { announce } from '../../platform/events.js';
import { PortalNeedMessaged, PortalNeedPosted } from './portal.events.js';

/** Who hears of a customer's need: the account's iron triangle and its CSM. */
const teamOf = (a: { csmId: string | null; salesId: string | null; deliveryId: string | null; afterSalesId: string | null }) => [
  ...new Set([a.csmId, a.salesId, a.deliveryId, a.afterSalesId].filter((x): x is string => !!x)),
];
import { INVITE_TTL_MS, RESET_TTL_MS, suggest, tokenUsable, type Signal } from './signals.domain.js';
import * as repo from './portal.repo.js';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
type Clock = { now?: Date };
const RESET_THROTTLE_MS = 60_000;

// ---------------------------------------------------------------- invitations and resets

async function issueToken(tx: Db, kp: { id: string; workspaceId: string }, purpose: 'invite' | 'reset', now: Date) {
  const token = crypto.randomBytes(32).toString('base64url');
  // a new link replaces any earlier unused one of the same purpose
  await repo.retireTokens(tx, kp.id, purpose, now);
  await repo.insertToken(tx, {
    workspaceId: kp.workspaceId,
    keyPersonId: kp.id,
    purpose,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + (purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS)),
    createdAt: now,
  });
  return token;
}

function linkMail(locale: Locale, purpose: 'invite' | 'reset', p: { name: string; email: string; account: string; workspace: string; url: string }) {
  const k = purpose === 'invite' ? 'portal.mail.invite' : 'portal.mail.reset';
  return {
    to: [{ name: p.name, email: p.email }],
    subject: translate(locale, `${k}.subject`, { workspace: p.workspace }),
    text: translate(locale, `${k}.text`, { name: p.name, account: p.account, workspace: p.workspace, url: p.url }),
  };
}

/** Invites a contact as a key person of their account: a login without a usable password and a one-time link by mail. */
export async function inviteKeyPerson(
  db: Db,
  actor: Actor,
  contactId: string,
  input: { email: string; locale?: Locale | null; publicUrl: string; now?: Date },
) {
  assertCan(actor, 'key_persons.manage');
  const now = input.now ?? new Date();
  const email = input.email.trim();
  const placeholder = await hashPassword(crypto.randomBytes(32).toString('base64url'));
  return db.transaction(async (tx) => {
    const c = await findContact(tx, actor.workspaceId, contactId);
    if (!c) throw notFound('contact.noun');
    const account = await loadVisibleAccount(tx, actor, c.accountId);
    let kp = await keyPersonOfContact(tx, contactId);
    if (kp && kp.email.toLowerCase() !== email.toLowerCase()) throw conflict('keyperson.exists');
    if (!kp) {
      if (await signInEmailTaken(tx, actor.workspaceId, email))
        throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
      kp = await addKeyPerson(tx, {
        workspaceId: actor.workspaceId,
        accountId: account.id,
        contactId,
        email,
        passwordHash: placeholder,
        locale: input.locale ?? null,
      });
    }
    const token = await issueToken(tx, kp, 'invite', now);
    const ws = (await findWorkspace(tx, actor.workspaceId))!;
    const locale = (kp.locale as Locale | null) ?? input.locale ?? 'zh-CN';
    await queueMail(
      tx,
      actor.workspaceId,
      linkMail(locale, 'invite', {
        name: c.name,
        email,
        account: account.name,
        workspace: ws.name,
        url: `${input.publicUrl}/portal/accept?token=${token}`,
      }),
    );
    await recordAudit(tx, actor, { action: 'key_person.invite', entityType: 'key_person', entityId: kp.id, after: { email, accountId: account.id } });
    return {
      id: kp.id,
      email: kp.email,
      accountId: kp.accountId,
      contactId: kp.contactId,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
    };
  });
}

/** Asks for a reset link. The answer is the same whether or not the address exists. */
export async function requestReset(db: Db, input: { email: string; publicUrl: string; now?: Date }) {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  await db.transaction(async (tx) => {
    // an address is unique per workspace: a key person of two vendors' portals gets a link for each
    for (const row of await activeKeyPersonsByEmail(tx, email)) {
      const ws = await findWorkspace(tx, row.kp.workspaceId);
      if (ws?.status !== 'active') continue;
      // one mail a minute per address at most: a flood of requests sends nothing more (and answers the same)
      if (await repo.recentResetExists(tx, row.kp.id, new Date(now.getTime() - RESET_THROTTLE_MS))) continue;
      const token = await issueToken(tx, row.kp, 'reset', now);
      const locale = (row.kp.locale as Locale | null) ?? 'zh-CN';
      await queueMail(
        tx,
        row.kp.workspaceId,
        linkMail(locale, 'reset', {
          name: row.name,
          email: row.kp.email,
          account: row.account,
          workspace: ws.name,
          url: `${input.publicUrl}/portal/reset?token=${token}`,
        }),
      );
      await recordAudit(
        tx,
        { kind: 'system', workspaceId: row.kp.workspaceId },
        { action: 'key_person.reset_request', entityType: 'key_person', entityId: row.kp.id },
      );
    }
  });
}

/** Sets a password through a one-time link (invitation or reset): once, before it expires. */
export async function redeemToken(db: Db, input: { token: string; password: string; purpose: 'invite' | 'reset'; now?: Date }) {
  const now = input.now ?? new Date();
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const hash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const t = await repo.findTokenForUpdate(tx, sha256(input.token), input.purpose);
    const state = t ? tokenUsable(t, now) : 'missing';
    if (state !== 'ok') throw invalid(state === 'expired' ? 'portal.link_expired' : 'portal.link_invalid', {}, [{ field: 'token', message: state }]);
    // single use, even under a race: only the update that finds it unused wins
    if (!(await repo.useToken(tx, t!.id, now))) throw invalid('portal.link_invalid', {}, [{ field: 'token', message: 'used' }]);
    await setKeyPersonPassword(tx, t!.keyPersonId, hash);
    await endSessionsOf(tx, 'key_person', t!.keyPersonId);
    await recordAudit(
      tx,
      { kind: 'system', workspaceId: t!.workspaceId },
      { action: `key_person.${input.purpose === 'invite' ? 'accept' : 'reset'}`, entityType: 'key_person', entityId: t!.keyPersonId },
    );
  });
}

// ---------------------------------------------------------------- signals

async function record(
  db: Db,
  actor: KeyPersonActor,
  s: { kind: 'view' | 'request' | 'discuss'; subjectType: string; subjectId?: string | null; label: string; tasks?: string[] },
) {
  await repo.insertSignal(db, {
    workspaceId: actor.workspaceId,
    accountId: actor.accountId,
    keyPersonId: actor.keyPersonId,
    kind: s.kind,
    subjectType: s.subjectType,
    subjectId: s.subjectId ?? null,
    label: s.label.slice(0, 200),
    tasks: s.tasks ?? [],
  });
}

export const PAGES = ['home', 'solutions', 'catalog', 'delivery', 'value', 'tickets', 'needs'] as const;
export async function recordPageView(db: Db, actor: KeyPersonActor, page: (typeof PAGES)[number]) {
  await record(db, actor, { kind: 'view', subjectType: 'page', label: page });
}

// ---------------------------------------------------------------- the community (key persons)

export async function getTeam(db: Db, actor: KeyPersonActor) {
  const account = await loadVisibleAccount(db, actor, actor.accountId);
  const seats = [
    ['sales', account.salesId],
    ['delivery', account.deliveryId],
    ['after_sales', account.afterSalesId],
    ['csm', account.csmId],
  ] as const;
  const ids = seats.map(([, id]) => id).filter((x): x is string => !!x);
  const rows = (await usersByIds(db, actor.workspaceId, ids)).filter((u) => u.active);
  const byId = new Map(rows.map((u) => [u.id, u]));
  return {
    account: { id: account.id, name: account.name },
    team: seats.flatMap(([seat, id]) =>
      id && byId.get(id) ? [{ seat, name: byId.get(id)!.name, email: byId.get(id)!.email, initials: initialsOf(byId.get(id)!.name) }] : [],
    ),
  };
}

export function initialsOf(name: string) {
  const n = name.trim();
  if (/^[\u4e00-\u9fff]/.test(n)) return n.slice(-2);
  return n
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

const postView = (p: repo.PostRow) => ({
  id: p.id,
  kind: p.kind as 'news' | 'event' | 'product' | 'solution',
  title: p.title,
  summary: p.summary,
  hot: p.hot,
  eventOn: p.eventOn,
  publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
});

export async function listPublishedPosts(db: Db, actor: KeyPersonActor, kind?: string) {
  const rows = await repo.listPostRows(db, actor.workspaceId, { publishedOnly: true, kind });
  return rows.map(postView);
}

export async function getPublishedPost(db: Db, actor: KeyPersonActor, id: string) {
  const p = await repo.findPost(db, actor.workspaceId, id, { publishedOnly: true });
  if (!p) throw notFound('portal.post.noun');
  await record(db, actor, { kind: 'view', subjectType: 'post', subjectId: p.id, label: p.title, tasks: p.tasks });
  // sanitised on save; sanitised again on the way out in case the allow-list tightened since
  return { ...postView(p), bodyHtml: sanitizeRichText(p.bodyHtml) };
}

export async function portalCatalog(db: Db, actor: KeyPersonActor) {
  return listPortalCatalog(db, actor);
}

export async function requestItem(db: Db, actor: KeyPersonActor, catalogItemId: string, note: string | null) {
  const r = await requestFromPortal(db, actor, catalogItemId);
  await record(db, actor, { kind: 'request', subjectType: 'catalog_item', subjectId: r.item.id, label: r.item.name, tasks: r.item.tasks });
  let demandId: string | null = null;
  if (note?.trim()) {
    // the note becomes a need the iron triangle can discuss
    demandId = (await postDemand(db, actor, { title: `${r.item.name}`, body: note }, { silent: true })).id;
  }
  await publish(db, {
    workspaceId: actor.workspaceId,
    accountId: actor.accountId,
    type: 'portal.request',
    demandId: demandId ?? undefined,
    at: new Date().toISOString(),
  });
  return { requested: true as const, item: { id: r.item.id, name: r.item.name, pricing: r.item.pricing }, demandId };
}

/**
 * 交付进展: the milestones of the account's delivery projects (commerce module), in the customer's words —
 * reached, in progress (the next one of a project), planned or delayed; nothing internal (hours, acceptance defects).
 */
export async function listMilestonesFor(db: Db, actor: Actor, accountId: string) {
  await loadVisibleAccount(db, actor, accountId);
  return deliveryProgressOf(db, actor.workspaceId, accountId);
}

// ---- needs

const demandView = (d: repo.DemandRow, staffView: boolean) => ({
  id: d.id,
  title: d.title,
  body: d.body,
  status: d.status as 'open' | 'answered' | 'closed',
  createdAt: d.createdAt.toISOString(),
  lastActivityAt: d.lastActivityAt.toISOString(),
  ...(staffView ? { accountId: d.accountId, opportunityId: d.opportunityId } : {}),
});

async function loadDemand(db: Db, actor: Actor, id: string) {
  const d = await repo.findDemand(db, actor.workspaceId, id);
  if (!d) throw notFound('portal.demand.noun');
  if (actor.kind === 'key_person' && d.accountId !== actor.accountId) throw notFound('portal.demand.noun');
  if (actor.kind === 'staff') {
    try {
      await loadVisibleAccount(db, actor, d.accountId);
    } catch {
      throw notFound('portal.demand.noun');
    }
  }
  return d;
}

export async function postDemand(db: Db, actor: KeyPersonActor, input: { title: string; body: string }, opts: { silent?: boolean } = {}) {
  const d = await db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, actor.accountId);
    const d = await repo.insertDemand(tx, {
      workspaceId: actor.workspaceId,
      accountId: actor.accountId,
      keyPersonId: actor.keyPersonId,
      title: input.title,
      body: input.body,
    });
    await repo.insertSignal(tx, {
      workspaceId: actor.workspaceId,
      accountId: actor.accountId,
      keyPersonId: actor.keyPersonId,
      kind: 'discuss',
      subjectType: 'demand',
      subjectId: d.id,
      label: input.title.slice(0, 200),
      tasks: ['capture'],
    });
    await recordAudit(tx, actor, { action: 'portal.demand.create', entityType: 'portal_demand', entityId: d.id });
    await announce(tx, actor.workspaceId, PortalNeedPosted, {
      accountId: account.id,
      demandId: d.id,
      title: d.title,
      accountName: account.name,
      userIds: teamOf(account),
    });
    return d;
  });
  if (!opts.silent)
    await publish(db, {
      workspaceId: actor.workspaceId,
      accountId: actor.accountId,
      type: 'demand.created',
      demandId: d.id,
      at: new Date().toISOString(),
    });
  return demandView(d, false);
}

export async function listDemands(db: Db, actor: Actor, f: { accountId?: string; status?: string } = {}) {
  if (actor.kind === 'staff') {
    assertCan(actor, 'portal.read');
    if (f.accountId) await loadVisibleAccount(db, actor, f.accountId);
  }
  const rows = await repo.listDemandRows(db, actor, { accountId: f.accountId, status: f.status });
  return rows.map((r) => ({
    ...demandView(r.d, actor.kind === 'staff'),
    by: r.by,
    messages: Number(r.messages),
    ...(actor.kind === 'staff' ? { accountName: r.accountName } : {}),
  }));
}

export async function getDemand(db: Db, actor: Actor, id: string) {
  if (actor.kind === 'staff') assertCan(actor, 'portal.read');
  const d = await loadDemand(db, actor, id);
  const by = await repo.keyPersonName(db, d.workspaceId, d.keyPersonId);
  const msgs = await repo.messagesOf(db, d.workspaceId, d.id);
  return {
    ...demandView(d, actor.kind === 'staff'),
    by: by ?? '',
    messages: msgs.map((m) => ({
      id: m.id,
      authorKind: m.authorKind as 'key_person' | 'staff',
      authorName: m.authorName,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
  };
}

export async function addDemandMessage(db: Db, actor: Actor, id: string, body: string) {
  if (actor.kind === 'staff') assertCan(actor, 'portal.answer');
  const m = await db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    if (d.status === 'closed') throw conflict('portal.demand_closed');
    const m = await repo.insertMessage(tx, {
      workspaceId: actor.workspaceId,
      demandId: d.id,
      authorKind: actor.kind,
      authorKeyPersonId: actor.kind === 'key_person' ? actor.keyPersonId : null,
      authorUserId: actor.kind === 'staff' ? actor.userId : null,
      authorName: actor.name,
      body,
    });
    await repo.updateDemand(tx, d.workspaceId, d.id, { lastActivityAt: m.createdAt, status: actor.kind === 'staff' ? 'answered' : 'open' });
    if (actor.kind === 'key_person') {
      await repo.insertSignal(tx, {
        workspaceId: actor.workspaceId,
        accountId: d.accountId,
        keyPersonId: actor.keyPersonId,
        kind: 'discuss',
        subjectType: 'demand',
        subjectId: d.id,
        label: d.title.slice(0, 200),
        tasks: ['capture'],
      });
      const account = await loadVisibleAccount(tx, actor, d.accountId);
      await announce(tx, actor.workspaceId, PortalNeedMessaged, {
        accountId: account.id,
        demandId: d.id,
        messageId: m.id,
        title: d.title,
        accountName: account.name,
        userIds: teamOf(account),
      });
    }
    return { m, accountId: d.accountId };
  });
  await publish(db, { workspaceId: actor.workspaceId, accountId: m.accountId, type: 'demand.message', demandId: id, at: new Date().toISOString() });
  return {
    id: m.m.id,
    authorKind: m.m.authorKind as 'key_person' | 'staff',
    authorName: m.m.authorName,
    body: m.m.body,
    createdAt: m.m.createdAt.toISOString(),
  };
}

export async function setDemandStatus(db: Db, actor: Actor, id: string, status: 'open' | 'answered' | 'closed') {
  assertCan(actor, 'portal.answer');
  return db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    const after = await repo.updateDemand(tx, d.workspaceId, d.id, { status });
    await recordAudit(tx, actor, {
      action: 'portal.demand.status',
      entityType: 'portal_demand',
      entityId: d.id,
      before: { status: d.status },
      after: { status },
    });
    return demandView(after, true);
  });
}

/** The iron triangle turns a need into an opportunity (captured by them, source: portal demand). */
export async function captureFromDemand(db: Db, actor: Actor, id: string, input: { title?: string; amountMinor?: number }) {
  assertCan(actor, 'opportunities.capture');
  return db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    if (d.opportunityId) throw conflict('portal.already_captured');
    const o = await captureOpportunity(tx, actor, {
      accountId: d.accountId,
      title: input.title ?? d.title,
      description: d.body,
      sourceKind: 'portal_demand',
      sourceId: d.id,
      amountMinor: input.amountMinor,
    });
    await repo.updateDemand(tx, d.workspaceId, d.id, { opportunityId: o.id });
    return { opportunityId: o.id };
  });
}

// ---------------------------------------------------------------- staff: content

export type PostInput = {
  kind: 'news' | 'event' | 'product' | 'solution';
  title: string;
  summary?: string | null;
  bodyHtml?: string;
  hot?: boolean;
  tasks?: string[];
  eventOn?: string | null;
  published?: boolean;
};

export async function listPosts(db: Db, actor: Actor) {
  assertCan(actor, 'portal.read');
  const rows = await repo.listPostRows(db, actor.workspaceId);
  return rows.map((p) => ({ ...postView(p), bodyHtml: sanitizeRichText(p.bodyHtml), tasks: p.tasks, published: !!p.publishedAt }));
}

export async function createPost(db: Db, actor: Actor, input: PostInput & Clock) {
  assertCan(actor, 'portal.publish');
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const p = await repo.insertPost(tx, {
      workspaceId: actor.workspaceId,
      kind: input.kind,
      title: input.title,
      summary: input.summary ?? null,
      bodyHtml: sanitizeRichText(input.bodyHtml ?? ''),
      hot: input.hot ?? false,
      tasks: input.tasks ?? [],
      eventOn: input.eventOn ?? null,
      publishedAt: input.published === false ? null : now,
      createdById: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'portal.post.create',
      entityType: 'portal_post',
      entityId: p.id,
      after: { kind: p.kind, title: p.title },
    });
    return { ...postView(p), bodyHtml: p.bodyHtml, tasks: p.tasks, published: !!p.publishedAt };
  });
}

export async function updatePost(db: Db, actor: Actor, id: string, patch: Partial<PostInput>) {
  assertCan(actor, 'portal.publish');
  return db.transaction(async (tx) => {
    const before = await repo.findPost(tx, actor.workspaceId, id);
    if (!before) throw notFound('portal.post.noun');
    const { published, bodyHtml, ...rest } = patch;
    const p = await repo.updatePostRow(tx, actor.workspaceId, id, {
      ...rest,
      ...(bodyHtml !== undefined ? { bodyHtml: sanitizeRichText(bodyHtml) } : {}),
      ...(published !== undefined ? { publishedAt: published ? (before.publishedAt ?? new Date()) : null } : {}),
      updatedAt: new Date(),
    });
    await recordAudit(tx, actor, {
      action: 'portal.post.update',
      entityType: 'portal_post',
      entityId: id,
      before: { title: before.title },
      after: { title: p.title },
    });
    return { ...postView(p), bodyHtml: p.bodyHtml, tasks: p.tasks, published: !!p.publishedAt };
  });
}

export async function deletePost(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'portal.publish');
  await db.transaction(async (tx) => {
    const r = await repo.deletePostRow(tx, actor.workspaceId, id);
    if (!r) throw notFound('portal.post.noun');
    await recordAudit(tx, actor, { action: 'portal.post.delete', entityType: 'portal_post', entityId: id, before: r });
  });
}

// ---------------------------------------------------------------- staff: the 360's 门户 tab

export async function getPortalActivity(db: Db, actor: Actor, accountId: string, now = new Date()) {
  assertCan(actor, 'portal.read');
  await loadVisibleAccount(db, actor, accountId);
  const rows = await repo.signalsOf(db, actor.workspaceId, accountId, 300);
  const needs = await listDemands(db, actor, { accountId });
  const keyPersons = await repo.keyPersonsOf(db, actor.workspaceId, accountId);
  const signals: Signal[] = rows.map((r) => ({
    kind: r.s.kind as Signal['kind'],
    subjectType: r.s.subjectType,
    subjectId: r.s.subjectId,
    label: r.s.label,
    tasks: r.s.tasks,
    keyPersonId: r.s.keyPersonId,
    createdAt: r.s.createdAt,
  }));
  const suggestions = suggest(
    signals,
    needs
      .filter((n) => n.status !== 'closed')
      .map((n) => ({
        id: n.id,
        title: n.title,
        messages: n.messages,
        hasOpportunity: !!(n as { opportunityId?: string | null }).opportunityId,
        by: n.by,
      })),
    now,
  ).map((s) => ({
    ...s,
    label: s.kind === 'service_product' && s.task ? translate(actor.locale, `task.${s.task}`) : s.label,
    reason: translate(actor.locale, s.reasonKey, { ...s.params, ...(s.task && s.kind === 'service_product' ? { task: `task.${s.task}` } : {}) }),
  }));
  const counts = { view: 0, request: 0, discuss: 0 };
  for (const s of signals) counts[s.kind]++;
  return {
    counts,
    keyPersons: keyPersons.map((k) => ({ ...k, lastSeen: k.lastSeen ? new Date(k.lastSeen).toISOString() : null })),
    recent: rows.slice(0, 50).map((r) => ({
      id: r.s.id,
      kind: r.s.kind as Signal['kind'],
      subjectType: r.s.subjectType,
      subjectId: r.s.subjectId,
      label: r.s.subjectType === 'page' ? translate(actor.locale, `portal.page.${r.s.label}`) : r.s.label,
      by: r.by,
      at: r.s.createdAt.toISOString(),
    })),
    needs,
    suggestions,
  };
}

/** Staff SSE: may this staff member see events of that account? */
export async function canSeeAccount(db: Db, actor: StaffActor, accountId: string) {
  try {
    await loadVisibleAccount(db, actor, accountId);
    return true;
  } catch {
    return false;
  }
}
