import crypto from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { queryRows, ts, type Db } from '../../db/client.js';
import type { Channel, ConsentState } from './outreach.domain.js';
import { campaignRecipients, campaigns, outreachConsents, outreachPeople, outreachSettings, outreachTouches } from './outreach.table.js';

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
export async function insertTouch(tx: Db, values: typeof outreachTouches.$inferInsert) {
  await tx.insert(outreachTouches).values(values).onConflictDoNothing();
  await tx
    .update(outreachPeople)
    .set({ lastTouchAt: values.at ?? new Date() })
    .where(and(eq(outreachPeople.workspaceId, values.workspaceId), eq(outreachPeople.contactId, values.contactId)));
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

// ---- recipients
export async function insertRecipients(db: Db, workspaceId: string, campaignId: string, contactIds: string[]) {
  for (let i = 0; i < contactIds.length; i += 1000) {
    const part = contactIds.slice(i, i + 1000);
    await db
      .insert(campaignRecipients)
      .values(part.map((contactId) => ({ workspaceId, campaignId, contactId })))
      .onConflictDoNothing();
  }
}
export async function lockRecipient(tx: Db, campaignId: string, contactId: string) {
  const [row] = await tx
    .select()
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.contactId, contactId)))
    .for('update');
  return row;
}
export async function setRecipient(
  tx: Db,
  campaignId: string,
  contactId: string,
  s: { state: 'sent' | 'excluded'; reason: string | null; sentAt?: Date },
) {
  await tx
    .update(campaignRecipients)
    .set({ state: s.state, reason: s.reason, sentAt: s.sentAt ?? null, updatedAt: new Date() })
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.contactId, contactId)));
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
