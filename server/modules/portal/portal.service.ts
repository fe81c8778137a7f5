/**
 * Use cases of the customer portal. Key-person use cases are bound to the actor's one account (the
 * account id never comes from a request); staff use cases check the permission matrix and the
 * account's visibility. Business rules stay in their modules: this calls their services.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor, KeyPersonActor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import { translate, type Locale } from '../../platform/i18n.js';
import { endSessionsOf } from '../../platform/auth.service.js';
import { accounts, contacts, keyPersonLogins, loadVisibleAccount } from '../accounts/index.js';
import { emailTaken, users, workspaces } from '../people/index.js';
import { queueMail } from '../../platform/mail.js';
import { captureOpportunity } from '../opportunities/index.js';
import { listPortalCatalog, requestFromPortal } from '../value-add/index.js';
import { sanitizeRichText } from './content.domain.js';
import { publish } from './events.js';
import { INVITE_TTL_MS, RESET_TTL_MS, suggest, tokenUsable, type Signal } from './signals.domain.js';
import { keyPersonTokens, portalDemandMessages, portalDemands, portalMilestones, portalPosts, portalSignals } from './portal.table.js';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
type Clock = { now?: Date };
const RESET_THROTTLE_MS = 60_000;

// ---------------------------------------------------------------- invitations and resets

async function issueToken(tx: Db, kp: { id: string; workspaceId: string }, purpose: 'invite' | 'reset', now: Date) {
  const token = crypto.randomBytes(32).toString('base64url');
  // a new link replaces any earlier unused one of the same purpose
  await tx.update(keyPersonTokens).set({ usedAt: now }).where(and(eq(keyPersonTokens.keyPersonId, kp.id), eq(keyPersonTokens.purpose, purpose), sql`${keyPersonTokens.usedAt} is null`));
  await tx.insert(keyPersonTokens).values({ workspaceId: kp.workspaceId, keyPersonId: kp.id, purpose, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + (purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS)), createdAt: now });
  return token;
}

function linkMail(locale: Locale, purpose: 'invite' | 'reset', p: { name: string; email: string; account: string; workspace: string; url: string }) {
  const k = purpose === 'invite' ? 'portal.mail.invite' : 'portal.mail.reset';
  return { to: [{ name: p.name, email: p.email }], subject: translate(locale, `${k}.subject`, { workspace: p.workspace }), text: translate(locale, `${k}.text`, { name: p.name, account: p.account, workspace: p.workspace, url: p.url }) };
}

/** Invites a contact as a key person of their account: a login without a usable password and a one-time link by mail. */
export async function inviteKeyPerson(db: Db, actor: Actor, contactId: string, input: { email: string; locale?: Locale | null; publicUrl: string; now?: Date }) {
  assertCan(actor, 'key_persons.manage');
  const now = input.now ?? new Date();
  const email = input.email.trim();
  const placeholder = await hashPassword(crypto.randomBytes(32).toString('base64url'));
  return db.transaction(async (tx) => {
    const [c] = await tx.select().from(contacts).where(and(eq(contacts.workspaceId, actor.workspaceId), eq(contacts.id, contactId)));
    if (!c) throw notFound('contact.noun');
    const account = await loadVisibleAccount(tx, actor, c.accountId);
    let [kp] = await tx.select().from(keyPersonLogins).where(eq(keyPersonLogins.contactId, contactId));
    if (kp && kp.email.toLowerCase() !== email.toLowerCase()) throw conflict('keyperson.exists');
    if (!kp) {
      if (await emailTaken(tx, actor.workspaceId, email)) throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
      [kp] = await tx.insert(keyPersonLogins).values({ workspaceId: actor.workspaceId, accountId: account.id, contactId, email, passwordHash: placeholder, locale: input.locale ?? null }).returning();
      await tx.update(contacts).set({ isKeyPerson: true }).where(eq(contacts.id, contactId));
    }
    const token = await issueToken(tx, kp, 'invite', now);
    const [ws] = await tx.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, actor.workspaceId));
    const locale = (kp.locale as Locale | null) ?? input.locale ?? 'zh-CN';
    await queueMail(tx, actor.workspaceId, linkMail(locale, 'invite', { name: c.name, email, account: account.name, workspace: ws.name, url: `${input.publicUrl}/portal/accept?token=${token}` }));
    await recordAudit(tx, actor, { action: 'key_person.invite', entityType: 'key_person', entityId: kp.id, after: { email, accountId: account.id } });
    return { id: kp.id, email: kp.email, accountId: kp.accountId, contactId: kp.contactId, expiresAt: new Date(now.getTime() + INVITE_TTL_MS).toISOString() };
  });
}

/** Asks for a reset link. The answer is the same whether or not the address exists. */
export async function requestReset(db: Db, input: { email: string; publicUrl: string; now?: Date }) {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  await db.transaction(async (tx) => {
    // an address is unique per workspace: a key person of two vendors' portals gets a link for each
    const rows = await tx
      .select({ kp: keyPersonLogins, name: contacts.name, account: accounts.name, workspace: workspaces.name })
      .from(keyPersonLogins)
      .innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId))
      .innerJoin(accounts, eq(accounts.id, keyPersonLogins.accountId))
      .innerJoin(workspaces, eq(workspaces.id, keyPersonLogins.workspaceId))
      .where(and(sql`lower(${keyPersonLogins.email}) = ${email}`, eq(keyPersonLogins.active, true), eq(workspaces.status, 'active')));
    for (const row of rows) {
      // one mail a minute per address at most: a flood of requests sends nothing more (and answers the same)
      const recent = await queryRows(tx, sql`select 1 from key_person_tokens where key_person_id = ${row.kp.id} and purpose = 'reset' and used_at is null and created_at > ${new Date(now.getTime() - RESET_THROTTLE_MS).toISOString()}::timestamptz`);
      if (recent.length) continue;
      const token = await issueToken(tx, row.kp, 'reset', now);
      const locale = (row.kp.locale as Locale | null) ?? 'zh-CN';
      await queueMail(tx, row.kp.workspaceId, linkMail(locale, 'reset', { name: row.name, email: row.kp.email, account: row.account, workspace: row.workspace, url: `${input.publicUrl}/portal/reset?token=${token}` }));
      await recordAudit(tx, { kind: 'system', workspaceId: row.kp.workspaceId }, { action: 'key_person.reset_request', entityType: 'key_person', entityId: row.kp.id });
    }
  });
}

/** Sets a password through a one-time link (invitation or reset): once, before it expires. */
export async function redeemToken(db: Db, input: { token: string; password: string; purpose: 'invite' | 'reset'; now?: Date }) {
  const now = input.now ?? new Date();
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const hash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [t] = await tx.select().from(keyPersonTokens).where(and(eq(keyPersonTokens.tokenHash, sha256(input.token)), eq(keyPersonTokens.purpose, input.purpose))).for('update');
    const state = t ? tokenUsable(t, now) : 'missing';
    if (state !== 'ok') throw invalid(state === 'expired' ? 'portal.link_expired' : 'portal.link_invalid', {}, [{ field: 'token', message: state }]);
    // single use, even under a race: only the update that finds it unused wins
    const used = await tx.update(keyPersonTokens).set({ usedAt: now }).where(and(eq(keyPersonTokens.id, t!.id), sql`${keyPersonTokens.usedAt} is null`)).returning({ id: keyPersonTokens.id });
    if (!used.length) throw invalid('portal.link_invalid', {}, [{ field: 'token', message: 'used' }]);
    await tx.update(keyPersonLogins).set({ passwordHash: hash }).where(eq(keyPersonLogins.id, t!.keyPersonId));
    await endSessionsOf(tx, 'key_person', t!.keyPersonId);
    await recordAudit(tx, { kind: 'system', workspaceId: t!.workspaceId }, { action: `key_person.${input.purpose === 'invite' ? 'accept' : 'reset'}`, entityType: 'key_person', entityId: t!.keyPersonId });
  });
}

// ---------------------------------------------------------------- signals

async function record(db: Db, actor: KeyPersonActor, s: { kind: 'view' | 'request' | 'discuss'; subjectType: string; subjectId?: string | null; label: string; tasks?: string[] }) {
  await db.insert(portalSignals).values({ workspaceId: actor.workspaceId, accountId: actor.accountId, keyPersonId: actor.keyPersonId, kind: s.kind, subjectType: s.subjectType, subjectId: s.subjectId ?? null, label: s.label.slice(0, 200), tasks: s.tasks ?? [] });
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
  const rows = ids.length ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(and(eq(users.workspaceId, actor.workspaceId), inArray(users.id, ids), eq(users.active, true))) : [];
  const byId = new Map(rows.map((u) => [u.id, u]));
  return {
    account: { id: account.id, name: account.name },
    team: seats.flatMap(([seat, id]) => (id && byId.get(id) ? [{ seat, name: byId.get(id)!.name, email: byId.get(id)!.email, initials: initialsOf(byId.get(id)!.name) }] : [])),
  };
}

export function initialsOf(name: string) {
  const n = name.trim();
  if (/^[\u4e00-\u9fff]/.test(n)) return n.slice(-2);
  return n.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase();
}

const postView = (p: typeof portalPosts.$inferSelect) => ({ id: p.id, kind: p.kind as 'news' | 'event' | 'product' | 'solution', title: p.title, summary: p.summary, hot: p.hot, eventOn: p.eventOn, publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null });

export async function listPublishedPosts(db: Db, actor: KeyPersonActor, kind?: string) {
  const where = [eq(portalPosts.workspaceId, actor.workspaceId), isNotNull(portalPosts.publishedAt)];
  if (kind) where.push(eq(portalPosts.kind, kind));
  const rows = await db.select().from(portalPosts).where(and(...where)).orderBy(desc(portalPosts.hot), desc(portalPosts.publishedAt)).limit(100);
  return rows.map(postView);
}

export async function getPublishedPost(db: Db, actor: KeyPersonActor, id: string) {
  const [p] = await db.select().from(portalPosts).where(and(eq(portalPosts.workspaceId, actor.workspaceId), eq(portalPosts.id, id), isNotNull(portalPosts.publishedAt)));
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
  publish({ workspaceId: actor.workspaceId, accountId: actor.accountId, type: 'portal.request', demandId: demandId ?? undefined, at: new Date().toISOString() });
  return { requested: true as const, item: { id: r.item.id, name: r.item.name, pricing: r.item.pricing }, demandId };
}

export async function listMilestonesFor(db: Db, actor: Actor, accountId: string) {
  await loadVisibleAccount(db, actor, accountId);
  const rows = await db.select().from(portalMilestones).where(and(eq(portalMilestones.workspaceId, actor.workspaceId), eq(portalMilestones.accountId, accountId))).orderBy(asc(portalMilestones.project), asc(portalMilestones.position), asc(portalMilestones.dueOn));
  return rows.map((m) => ({ id: m.id, project: m.project, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn, status: m.status as 'planned' | 'in_progress' | 'done' | 'delayed' }));
}

// ---- needs

type DemandRow = typeof portalDemands.$inferSelect;
const demandView = (d: DemandRow, staffView: boolean) => ({
  id: d.id,
  title: d.title,
  body: d.body,
  status: d.status as 'open' | 'answered' | 'closed',
  createdAt: d.createdAt.toISOString(),
  lastActivityAt: d.lastActivityAt.toISOString(),
  ...(staffView ? { accountId: d.accountId, opportunityId: d.opportunityId } : {}),
});

async function loadDemand(db: Db, actor: Actor, id: string) {
  const [d] = await db.select().from(portalDemands).where(and(eq(portalDemands.workspaceId, actor.workspaceId), eq(portalDemands.id, id)));
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
    await loadVisibleAccount(tx, actor, actor.accountId);
    const [d] = await tx.insert(portalDemands).values({ workspaceId: actor.workspaceId, accountId: actor.accountId, keyPersonId: actor.keyPersonId, title: input.title, body: input.body }).returning();
    await tx.insert(portalSignals).values({ workspaceId: actor.workspaceId, accountId: actor.accountId, keyPersonId: actor.keyPersonId, kind: 'discuss', subjectType: 'demand', subjectId: d.id, label: input.title.slice(0, 200), tasks: ['capture'] });
    await recordAudit(tx, actor, { action: 'portal.demand.create', entityType: 'portal_demand', entityId: d.id });
    return d;
  });
  if (!opts.silent) publish({ workspaceId: actor.workspaceId, accountId: actor.accountId, type: 'demand.created', demandId: d.id, at: new Date().toISOString() });
  return demandView(d, false);
}

export async function listDemands(db: Db, actor: Actor, f: { accountId?: string; status?: string } = {}) {
  const where = [eq(portalDemands.workspaceId, actor.workspaceId)];
  if (actor.kind === 'key_person') where.push(eq(portalDemands.accountId, actor.accountId));
  else {
    assertCan(actor, 'portal.read');
    if (f.accountId) {
      await loadVisibleAccount(db, actor, f.accountId);
      where.push(eq(portalDemands.accountId, f.accountId));
    } else if (actor.role === 'channel_implementer') where.push(sql`${portalDemands.accountId} in (select id from accounts where channel_partner_id = ${actor.channelPartnerId})`);
  }
  if (f.status) where.push(eq(portalDemands.status, f.status));
  const rows = await db
    .select({ d: portalDemands, accountName: accounts.name, by: contacts.name, messages: sql<number>`(select count(*)::int from portal_demand_messages m where m.demand_id = ${portalDemands.id})` })
    .from(portalDemands)
    .innerJoin(accounts, eq(accounts.id, portalDemands.accountId))
    .innerJoin(keyPersonLogins, eq(keyPersonLogins.id, portalDemands.keyPersonId))
    .innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId))
    .where(and(...where))
    .orderBy(desc(portalDemands.lastActivityAt))
    .limit(200);
  return rows.map((r) => ({ ...demandView(r.d, actor.kind === 'staff'), by: r.by, messages: Number(r.messages), ...(actor.kind === 'staff' ? { accountName: r.accountName } : {}) }));
}

export async function getDemand(db: Db, actor: Actor, id: string) {
  if (actor.kind === 'staff') assertCan(actor, 'portal.read');
  const d = await loadDemand(db, actor, id);
  const [by] = await db.select({ name: contacts.name }).from(keyPersonLogins).innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId)).where(eq(keyPersonLogins.id, d.keyPersonId));
  const msgs = await db.select().from(portalDemandMessages).where(eq(portalDemandMessages.demandId, d.id)).orderBy(asc(portalDemandMessages.createdAt), asc(portalDemandMessages.id));
  return {
    ...demandView(d, actor.kind === 'staff'),
    by: by?.name ?? '',
    messages: msgs.map((m) => ({ id: m.id, authorKind: m.authorKind as 'key_person' | 'staff', authorName: m.authorName, body: m.body, createdAt: m.createdAt.toISOString() })),
  };
}

export async function addDemandMessage(db: Db, actor: Actor, id: string, body: string) {
  if (actor.kind === 'staff') assertCan(actor, 'portal.answer');
  const m = await db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    if (d.status === 'closed') throw conflict('portal.demand_closed');
    const [m] = await tx
      .insert(portalDemandMessages)
      .values({
        workspaceId: actor.workspaceId,
        demandId: d.id,
        authorKind: actor.kind,
        authorKeyPersonId: actor.kind === 'key_person' ? actor.keyPersonId : null,
        authorUserId: actor.kind === 'staff' ? actor.userId : null,
        authorName: actor.name,
        body,
      })
      .returning();
    await tx.update(portalDemands).set({ lastActivityAt: m.createdAt, status: actor.kind === 'staff' ? 'answered' : 'open' }).where(eq(portalDemands.id, d.id));
    if (actor.kind === 'key_person') await tx.insert(portalSignals).values({ workspaceId: actor.workspaceId, accountId: d.accountId, keyPersonId: actor.keyPersonId, kind: 'discuss', subjectType: 'demand', subjectId: d.id, label: d.title.slice(0, 200), tasks: ['capture'] });
    return { m, accountId: d.accountId };
  });
  publish({ workspaceId: actor.workspaceId, accountId: m.accountId, type: 'demand.message', demandId: id, at: new Date().toISOString() });
  return { id: m.m.id, authorKind: m.m.authorKind as 'key_person' | 'staff', authorName: m.m.authorName, body: m.m.body, createdAt: m.m.createdAt.toISOString() };
}

export async function setDemandStatus(db: Db, actor: Actor, id: string, status: 'open' | 'answered' | 'closed') {
  assertCan(actor, 'portal.answer');
  return db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    const [after] = await tx.update(portalDemands).set({ status }).where(eq(portalDemands.id, d.id)).returning();
    await recordAudit(tx, actor, { action: 'portal.demand.status', entityType: 'portal_demand', entityId: d.id, before: { status: d.status }, after: { status } });
    return demandView(after, true);
  });
}

/** The iron triangle turns a need into an opportunity (captured by them, source: portal demand). */
export async function captureFromDemand(db: Db, actor: Actor, id: string, input: { title?: string; amountMinor?: number }) {
  assertCan(actor, 'opportunities.capture');
  return db.transaction(async (tx) => {
    const d = await loadDemand(tx, actor, id);
    if (d.opportunityId) throw conflict('portal.already_captured');
    const o = await captureOpportunity(tx, actor, { accountId: d.accountId, title: input.title ?? d.title, description: d.body, sourceKind: 'portal_demand', sourceId: d.id, amountMinor: input.amountMinor });
    await tx.update(portalDemands).set({ opportunityId: o.id }).where(eq(portalDemands.id, d.id));
    return { opportunityId: o.id };
  });
}

// ---------------------------------------------------------------- staff: content and milestones

export type PostInput = { kind: 'news' | 'event' | 'product' | 'solution'; title: string; summary?: string | null; bodyHtml?: string; hot?: boolean; tasks?: string[]; eventOn?: string | null; published?: boolean };

export async function listPosts(db: Db, actor: Actor) {
  assertCan(actor, 'portal.read');
  const rows = await db.select().from(portalPosts).where(eq(portalPosts.workspaceId, actor.workspaceId)).orderBy(desc(portalPosts.updatedAt));
  return rows.map((p) => ({ ...postView(p), bodyHtml: sanitizeRichText(p.bodyHtml), tasks: p.tasks, published: !!p.publishedAt }));
}

export async function createPost(db: Db, actor: Actor, input: PostInput & Clock) {
  assertCan(actor, 'portal.publish');
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [p] = await tx
      .insert(portalPosts)
      .values({ workspaceId: actor.workspaceId, kind: input.kind, title: input.title, summary: input.summary ?? null, bodyHtml: sanitizeRichText(input.bodyHtml ?? ''), hot: input.hot ?? false, tasks: input.tasks ?? [], eventOn: input.eventOn ?? null, publishedAt: input.published === false ? null : now, createdById: actor.userId })
      .returning();
    await recordAudit(tx, actor, { action: 'portal.post.create', entityType: 'portal_post', entityId: p.id, after: { kind: p.kind, title: p.title } });
    return { ...postView(p), bodyHtml: p.bodyHtml, tasks: p.tasks, published: !!p.publishedAt };
  });
}

export async function updatePost(db: Db, actor: Actor, id: string, patch: Partial<PostInput>) {
  assertCan(actor, 'portal.publish');
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(portalPosts).where(and(eq(portalPosts.workspaceId, actor.workspaceId), eq(portalPosts.id, id)));
    if (!before) throw notFound('portal.post.noun');
    const { published, bodyHtml, ...rest } = patch;
    const [p] = await tx
      .update(portalPosts)
      .set({ ...rest, ...(bodyHtml !== undefined ? { bodyHtml: sanitizeRichText(bodyHtml) } : {}), ...(published !== undefined ? { publishedAt: published ? (before.publishedAt ?? new Date()) : null } : {}), updatedAt: new Date() })
      .where(eq(portalPosts.id, id))
      .returning();
    await recordAudit(tx, actor, { action: 'portal.post.update', entityType: 'portal_post', entityId: id, before: { title: before.title }, after: { title: p.title } });
    return { ...postView(p), bodyHtml: p.bodyHtml, tasks: p.tasks, published: !!p.publishedAt };
  });
}

export async function deletePost(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'portal.publish');
  await db.transaction(async (tx) => {
    const r = await tx.delete(portalPosts).where(and(eq(portalPosts.workspaceId, actor.workspaceId), eq(portalPosts.id, id))).returning({ id: portalPosts.id, title: portalPosts.title });
    if (!r.length) throw notFound('portal.post.noun');
    await recordAudit(tx, actor, { action: 'portal.post.delete', entityType: 'portal_post', entityId: id, before: r[0] });
  });
}

export type MilestoneInput = { project: string; title: string; dueOn?: string | null; doneOn?: string | null; status?: 'planned' | 'in_progress' | 'done' | 'delayed'; position?: number };

export async function createMilestone(db: Db, actor: Actor, accountId: string, input: MilestoneInput) {
  assertCan(actor, 'portal.publish');
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId);
    const [m] = await tx.insert(portalMilestones).values({ ...input, workspaceId: actor.workspaceId, accountId }).returning();
    await recordAudit(tx, actor, { action: 'portal.milestone.create', entityType: 'portal_milestone', entityId: m.id, after: m });
    return { id: m.id, project: m.project, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn, status: m.status as MilestoneInput['status'] & string };
  });
}

export async function updateMilestone(db: Db, actor: Actor, id: string, patch: Partial<MilestoneInput>) {
  assertCan(actor, 'portal.publish');
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(portalMilestones).where(and(eq(portalMilestones.workspaceId, actor.workspaceId), eq(portalMilestones.id, id)));
    if (!before) throw notFound('portal.milestone.noun');
    await loadVisibleAccount(tx, actor, before.accountId);
    const [m] = await tx.update(portalMilestones).set({ ...patch, updatedAt: new Date() }).where(eq(portalMilestones.id, id)).returning();
    await recordAudit(tx, actor, { action: 'portal.milestone.update', entityType: 'portal_milestone', entityId: id, before, after: m });
    return { id: m.id, project: m.project, title: m.title, dueOn: m.dueOn, doneOn: m.doneOn, status: m.status as MilestoneInput['status'] & string };
  });
}

// ---------------------------------------------------------------- staff: the 360's 门户 tab

export async function getPortalActivity(db: Db, actor: Actor, accountId: string, now = new Date()) {
  assertCan(actor, 'portal.read');
  await loadVisibleAccount(db, actor, accountId);
  const rows = await db
    .select({ s: portalSignals, by: contacts.name })
    .from(portalSignals)
    .innerJoin(keyPersonLogins, eq(keyPersonLogins.id, portalSignals.keyPersonId))
    .innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId))
    .where(and(eq(portalSignals.workspaceId, actor.workspaceId), eq(portalSignals.accountId, accountId)))
    .orderBy(desc(portalSignals.createdAt))
    .limit(300);
  const needs = await listDemands(db, actor, { accountId });
  const keyPersons = await db
    .select({ id: keyPersonLogins.id, name: contacts.name, email: keyPersonLogins.email, active: keyPersonLogins.active, lastSeen: sql<string | null>`(select max(created_at) from portal_signals s where s.key_person_id = ${keyPersonLogins.id})` })
    .from(keyPersonLogins)
    .innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId))
    .where(and(eq(keyPersonLogins.workspaceId, actor.workspaceId), eq(keyPersonLogins.accountId, accountId)));
  const signals: Signal[] = rows.map((r) => ({ kind: r.s.kind as Signal['kind'], subjectType: r.s.subjectType, subjectId: r.s.subjectId, label: r.s.label, tasks: r.s.tasks, keyPersonId: r.s.keyPersonId, createdAt: r.s.createdAt }));
  const suggestions = suggest(
    signals,
    needs.filter((n) => n.status !== 'closed').map((n) => ({ id: n.id, title: n.title, messages: n.messages, hasOpportunity: !!(n as { opportunityId?: string | null }).opportunityId, by: n.by })),
    now,
  ).map((s) => ({ ...s, label: s.kind === 'service_product' && s.task ? translate(actor.locale, `task.${s.task}`) : s.label, reason: translate(actor.locale, s.reasonKey, { ...s.params, ...(s.task && s.kind === 'service_product' ? { task: `task.${s.task}` } : {}) }) }));
  const counts = { view: 0, request: 0, discuss: 0 };
  for (const s of signals) counts[s.kind]++;
  return {
    counts,
    keyPersons: keyPersons.map((k) => ({ ...k, lastSeen: k.lastSeen ? new Date(k.lastSeen).toISOString() : null })),
    recent: rows.slice(0, 50).map((r) => ({ id: r.s.id, kind: r.s.kind as Signal['kind'], subjectType: r.s.subjectType, subjectId: r.s.subjectId, label: r.s.subjectType === 'page' ? translate(actor.locale, `portal.page.${r.s.label}`) : r.s.label, by: r.by, at: r.s.createdAt.toISOString() })),
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
