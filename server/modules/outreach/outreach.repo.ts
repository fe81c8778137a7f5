import crypto from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, ts, type Db } from '../../db/client.js';
import type { Channel, ConsentState } from './outreach.domain.js';
import {
  campaignRecipients,
  campaigns,
  outreachConsents,
  outreachMessages,
  outreachPeople,
  outreachSettings,
  outreachTouches,
} from './outreach.table.js';

/** An array parameter as a PostgreSQL array literal (ids and enum words: nothing to quote). */
const arr = (list: string[]) => `{${list.join(',')}}`;

export type CampaignRow = typeof campaigns.$inferSelect;
export type SettingsRow = typeof outreachSettings.$inferSelect;

// ---- settings: one row per workspace, made on first read (version 1) with its unsubscribe secret
export async function ensureSettings(db: Db, workspaceId: string): Promise<SettingsRow> {
  const [found] = await db.select().from(outreachSettings).where(eq(outreachSettings.workspaceId, workspaceId));
  if (found) return found;
  await db
    .insert(outreachSettings)
    .values({ workspaceId, unsubscribeSecret: crypto.randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(outreachSettings).where(eq(outreachSettings.workspaceId, workspaceId));
  return row;
}
export async function findSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(outreachSettings).where(eq(outreachSettings.workspaceId, workspaceId));
  return row;
}
/** The new version, or null when the stored one was not `expectedVersion` (someone saved in between). */
export async function saveSettings(
  db: Db,
  workspaceId: string,
  s: { capCount: number; capDays: number; quietStart: string | null; quietEnd: string | null; requireOptIn: boolean; attributionDays?: number },
  expectedVersion?: number,
) {
  const [row] = await db
    .update(outreachSettings)
    .set({ ...s, updatedAt: new Date(), version: sql`${outreachSettings.version} + 1` })
    .where(
      and(eq(outreachSettings.workspaceId, workspaceId), expectedVersion === undefined ? undefined : eq(outreachSettings.version, expectedVersion)),
    )
    .returning({ version: outreachSettings.version });
  return row?.version ?? null;
}

// ---- consents (append-only)
export async function insertConsent(db: Db, values: typeof outreachConsents.$inferInsert) {
  const [row] = await db.insert(outreachConsents).values(values).returning();
  return row;
}
export async function consentHistory(db: Db, workspaceId: string, contactId: string) {
  return db
    .select()
    .from(outreachConsents)
    .where(and(eq(outreachConsents.workspaceId, workspaceId), eq(outreachConsents.contactId, contactId)))
    .orderBy(desc(outreachConsents.at), desc(outreachConsents.id));
}
/** The latest consent row of each person on a channel. */
export async function currentConsents(db: Db, workspaceId: string, contactIds: string[], channel: Channel): Promise<Map<string, ConsentState>> {
  if (!contactIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([outreachConsents.contactId], {
      contactId: outreachConsents.contactId,
      granted: outreachConsents.granted,
      source: outreachConsents.source,
    })
    .from(outreachConsents)
    .where(and(eq(outreachConsents.workspaceId, workspaceId), eq(outreachConsents.channel, channel), inArray(outreachConsents.contactId, contactIds)))
    .orderBy(outreachConsents.contactId, desc(outreachConsents.at), desc(outreachConsents.id));
  return new Map(rows.map((r) => [r.contactId, { granted: r.granted, source: r.source }]));
}

// ---- touches
export async function touchCounts(db: Db, workspaceId: string, contactIds: string[], since: Date): Promise<Map<string, number>> {
  if (!contactIds.length) return new Map();
  const rows = await db
    .select({ contactId: outreachTouches.contactId, n: count() })
    .from(outreachTouches)
    .where(and(eq(outreachTouches.workspaceId, workspaceId), inArray(outreachTouches.contactId, contactIds), gte(outreachTouches.at, since)))
    .groupBy(outreachTouches.contactId);
  return new Map(rows.map((r) => [r.contactId, Number(r.n)]));
}
/**
 * Takes the person's lock row (inserted on first use): every check-and-record of a touch of this person
 * runs under it, so two campaigns sending at once see each other's touches. Call inside a transaction.
 */
export async function lockPerson(tx: Db, workspaceId: string, contactId: string) {
  await tx.insert(outreachPeople).values({ workspaceId, contactId }).onConflictDoNothing();
  await queryRows(tx, sql`select 1 from ${outreachPeople} where workspace_id = ${workspaceId} and contact_id = ${contactId} for update`);
}

// ---- campaigns
export async function insertCampaign(db: Db, values: typeof campaigns.$inferInsert) {
  const [row] = await db.insert(campaigns).values(values).returning();
  return row;
}
export async function findCampaign(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function listCampaigns(db: Db, workspaceId: string, status?: string) {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), status ? eq(campaigns.status, status) : undefined))
    .orderBy(desc(campaigns.createdAt))
    .limit(500);
}
export async function updateCampaign(db: Db, workspaceId: string, id: string, patch: Partial<typeof campaigns.$inferInsert>) {
  const [row] = await db
    .update(campaigns)
    .set({ ...patch, updatedAt: new Date(), version: sql`${campaigns.version} + 1` })
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)))
    .returning();
  return row;
}
/** Marks a campaign sent once no recipient is still planned. */
export async function finishIfDone(db: Db, campaignId: string) {
  await db.execute(sql`update ${campaigns} set status = 'sent', sent_at = now(), version = version + 1, updated_at = now()
    where id = ${campaignId} and status in ('scheduled','sending')
      and not exists (select 1 from ${campaignRecipients} where campaign_id = ${campaignId} and state = 'planned')`);
}

// ---- the audience assessed in SQL (preview at any size): the same rules as reasonBeforeCap + capAllows
export type AssessParams = {
  workspaceId: string;
  channel: Channel;
  requireOptIn: boolean;
  capCount: number;
  capSince: Date;
  own: { count: number; since: Date } | null;
};
/**
 * Every person of `audience` (a query with id, name, email, account_name, has_portal) with the reason they
 * would not be reached now, or null: the latest consent on the channel, the address the channel needs, then
 * the touches in the workspace's window and the campaign's own. One statement, whatever the audience size.
 */
export function assessedQuery(audience: SQL, p: AssessParams): SQL {
  const since = p.own && p.own.since < p.capSince ? p.own.since : p.capSince;
  const noAddress = p.channel === 'email' ? sql`coalesce(btrim(a.email), '') = ''` : sql`not a.has_portal`;
  const ownCap = p.own ? sql`coalesce(t.n_own, 0) >= ${p.own.count}` : sql`false`;
  return sql`select a.id, a.name, a.email, a.account_name,
      case
        when c.granted = false then 'unsubscribed'
        when ${noAddress} then 'no_address'
        when ${p.requireOptIn} and c.granted is not true then 'no_consent'
        when coalesce(t.n_ws, 0) >= ${p.capCount} then 'cap_reached'
        when ${ownCap} then 'cap_reached'
      end as reason
    from (${audience}) a
    left join ${outreachConsents} c on c.workspace_id = ${p.workspaceId} and c.contact_id = a.id and c.channel = ${p.channel}
      -- the latest row only (as a join the planner may hash it for a large audience, or probe it for a small one)
      and not exists (
        select 1 from ${outreachConsents} n
        where n.workspace_id = ${p.workspaceId} and n.contact_id = c.contact_id and n.channel = c.channel and (n.at, n.id) > (c.at, c.id)
      )
    left join (
      select ot.contact_id,
        count(*) filter (where ot.at >= ${ts(p.capSince)}) as n_ws,
        count(*) filter (where ot.at >= ${ts(p.own?.since ?? p.capSince)}) as n_own
      from ${outreachTouches} ot
      where ot.workspace_id = ${p.workspaceId} and ot.at >= ${ts(since)}
      group by ot.contact_id
    ) t on t.contact_id = a.id`;
}
export async function assessedCounts(db: Db, assessed: SQL): Promise<{ reason: string | null; n: number }[]> {
  const rows = await queryRows<{ reason: string | null; n: string | number }>(
    db,
    sql`select reason, count(*) as n from (${assessed}) x group by reason`,
  );
  return rows.map((r) => ({ reason: r.reason, n: Number(r.n) }));
}
/** A page of the assessed people, filtered by reason ('included' = reached), in contact order. */
export async function assessedPage(db: Db, assessed: SQL, o: { reason?: string; limit: number; offset: number }) {
  const filter = o.reason === undefined ? sql`true` : o.reason === 'included' ? sql`reason is null` : sql`reason = ${o.reason}`;
  return queryRows<{ id: string; name: string; email: string | null; account_name: string; reason: string | null }>(
    db,
    sql`select * from (${assessed}) x where ${filter} order by id limit ${o.limit} offset ${o.offset}`,
  );
}

// ---- recipients
/**
 * Plans every person of the audience in one statement, numbered into send batches of `batchSize` in
 * contact order; answers how many were planned and how many batches that makes.
 */
export async function planRecipients(db: Db, workspaceId: string, campaignId: string, audience: SQL, batchSize: number) {
  const [row] = await queryRows<{ n: string | number; batches: string | number | null }>(
    db,
    sql`with planned as (
      insert into ${campaignRecipients} (workspace_id, campaign_id, contact_id, batch)
      select ${workspaceId}, ${campaignId}, a.id, ((row_number() over (order by a.id)) - 1) / ${batchSize}
      from (${audience}) a
      on conflict do nothing
      returning batch
    ) select count(*) as n, max(batch) + 1 as batches from planned`,
  );
  return { planned: Number(row.n), batches: Number(row.batches ?? 0) };
}
/** Locks a batch's recipients that are still planned (contact order) and answers their ids. */
export async function lockPlannedBatch(tx: Db, workspaceId: string, campaignId: string, batch: number, contactIds?: string[]) {
  const rows = await tx
    .select({ contactId: campaignRecipients.contactId })
    .from(campaignRecipients)
    .where(
      and(
        eq(campaignRecipients.workspaceId, workspaceId),
        eq(campaignRecipients.campaignId, campaignId),
        contactIds ? inArray(campaignRecipients.contactId, contactIds) : eq(campaignRecipients.batch, batch),
        eq(campaignRecipients.state, 'planned'),
      ),
    )
    .orderBy(asc(campaignRecipients.contactId))
    .for('update');
  return rows.map((r) => r.contactId);
}
/**
 * Takes the lock rows of several people at once, always in contact order: two batches of two campaigns
 * lock their common people in the same order, so neither can hold one the other waits for while waiting.
 */
export async function lockPeople(tx: Db, workspaceId: string, contactIds: string[]) {
  if (!contactIds.length) return;
  const sorted = [...contactIds].sort();
  await tx
    .insert(outreachPeople)
    .values(sorted.map((contactId) => ({ workspaceId, contactId })))
    .onConflictDoNothing();
  await queryRows(
    tx,
    sql`select 1 from ${outreachPeople} where workspace_id = ${workspaceId} and contact_id = any(${arr(sorted)}::uuid[])
      order by contact_id for update`,
  );
}
/** The decided recipients of a batch, set-based: the touches, the states, the people's last touch. */
export async function recordDecisions(
  tx: Db,
  p: { workspaceId: string; campaignId: string; channel: Channel; at: Date; sent: string[]; excluded: { contactId: string; reason: string }[] },
) {
  if (p.sent.length) {
    await tx
      .insert(outreachTouches)
      .values(p.sent.map((contactId) => ({ workspaceId: p.workspaceId, contactId, campaignId: p.campaignId, channel: p.channel, at: p.at })))
      .onConflictDoNothing();
    await tx
      .update(outreachPeople)
      .set({ lastTouchAt: p.at })
      .where(and(eq(outreachPeople.workspaceId, p.workspaceId), inArray(outreachPeople.contactId, p.sent)));
    await tx
      .update(campaignRecipients)
      .set({ state: 'sent', reason: null, sentAt: p.at, updatedAt: p.at })
      .where(
        and(
          eq(campaignRecipients.workspaceId, p.workspaceId),
          eq(campaignRecipients.campaignId, p.campaignId),
          inArray(campaignRecipients.contactId, p.sent),
        ),
      );
  }
  if (p.excluded.length) {
    await tx.execute(sql`update ${campaignRecipients} r set state = 'excluded', reason = d.reason, updated_at = now()
      from unnest(${arr(p.excluded.map((e) => e.contactId))}::uuid[], ${arr(p.excluded.map((e) => e.reason))}::text[]) as d(contact_id, reason)
      where r.workspace_id = ${p.workspaceId} and r.campaign_id = ${p.campaignId} and r.contact_id = d.contact_id`);
  }
}
/** The people's own time zones, where set (their quiet hours are read in it; the others' in the workspace's). */
export async function personZones(db: Db, workspaceId: string, contactIds: string[]): Promise<Map<string, string>> {
  if (!contactIds.length) return new Map();
  const rows = await db
    .select({ contactId: outreachPeople.contactId, zone: outreachPeople.timeZone })
    .from(outreachPeople)
    .where(and(eq(outreachPeople.workspaceId, workspaceId), inArray(outreachPeople.contactId, contactIds), isNotNull(outreachPeople.timeZone)));
  return new Map(rows.map((r) => [r.contactId, r.zone!]));
}
export async function insertMessages(tx: Db, rows: (typeof outreachMessages.$inferInsert)[]) {
  if (rows.length) await tx.insert(outreachMessages).values(rows).onConflictDoNothing();
}
export async function inbox(db: Db, workspaceId: string, contactId: string) {
  return db
    .select()
    .from(outreachMessages)
    .where(and(eq(outreachMessages.workspaceId, workspaceId), eq(outreachMessages.contactId, contactId)))
    .orderBy(desc(outreachMessages.createdAt))
    .limit(100);
}
export async function markRead(db: Db, workspaceId: string, contactId: string, id: string) {
  const rows = await db
    .update(outreachMessages)
    .set({ readAt: sql`coalesce(${outreachMessages.readAt}, now())` })
    .where(and(eq(outreachMessages.workspaceId, workspaceId), eq(outreachMessages.contactId, contactId), eq(outreachMessages.id, id)))
    .returning({ id: outreachMessages.id });
  return rows.length > 0;
}

export async function cancelPlanned(db: Db, campaignId: string) {
  await db.execute(sql`update ${campaignRecipients} set state = 'excluded', reason = 'cancelled', updated_at = now()
    where campaign_id = ${campaignId} and state = 'planned'`);
}
export async function campaignStatus(tx: Db, campaignId: string) {
  const [row] = await tx.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId));
  return row?.status;
}
export async function recipientCounts(db: Db, campaignId: string) {
  return db
    .select({ state: campaignRecipients.state, reason: campaignRecipients.reason, n: count() })
    .from(campaignRecipients)
    .where(eq(campaignRecipients.campaignId, campaignId))
    .groupBy(campaignRecipients.state, campaignRecipients.reason);
}
export async function listRecipients(db: Db, workspaceId: string, campaignId: string, o: { state?: string; limit: number; offset: number }) {
  const where = and(
    eq(campaignRecipients.workspaceId, workspaceId),
    eq(campaignRecipients.campaignId, campaignId),
    o.state ? eq(campaignRecipients.state, o.state) : undefined,
  );
  const [rows, [{ n }]] = await Promise.all([
    db.select().from(campaignRecipients).where(where).orderBy(asc(campaignRecipients.contactId)).limit(o.limit).offset(o.offset),
    db.select({ n: count() }).from(campaignRecipients).where(where),
  ]);
  return { rows, total: Number(n) };
}
export { ts };
