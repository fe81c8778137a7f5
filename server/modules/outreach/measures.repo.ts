import { and, asc, count, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaignRecipients, campaigns, outreachClicks, outreachReferrals, outreachReferralVisits, outreachTracking } from './outreach.table.js';

export type TrackingRow = typeof outreachTracking.$inferSelect;

// ---- tracking of one mail
export async function insertTracking(tx: Db, rows: (typeof outreachTracking.$inferInsert)[]) {
  if (rows.length) await tx.insert(outreachTracking).values(rows).onConflictDoNothing();
}
const one = (workspaceId: string, campaignId: string, contactId: string) =>
  and(eq(outreachTracking.workspaceId, workspaceId), eq(outreachTracking.campaignId, campaignId), eq(outreachTracking.contactId, contactId));

export async function findTracking(db: Db, workspaceId: string, campaignId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(outreachTracking)
    .where(one(workspaceId, campaignId, contactId));
  return row;
}
/** First and last open and the count; false when no mail of that campaign went to that person. */
export async function markOpened(db: Db, workspaceId: string, campaignId: string, contactId: string, at: Date) {
  const rows = await db
    .update(outreachTracking)
    .set({
      openCount: sql`${outreachTracking.openCount} + 1`,
      openedFirstAt: sql`coalesce(${outreachTracking.openedFirstAt}, ${at.toISOString()}::timestamptz)`,
      openedLastAt: at,
    })
    .where(one(workspaceId, campaignId, contactId))
    .returning({ n: outreachTracking.openCount });
  return rows.length > 0;
}
export async function markClicked(tx: Db, workspaceId: string, campaignId: string, contactId: string, linkIndex: number, at: Date) {
  await tx
    .update(outreachTracking)
    .set({
      clickCount: sql`${outreachTracking.clickCount} + 1`,
      clickedFirstAt: sql`coalesce(${outreachTracking.clickedFirstAt}, ${at.toISOString()}::timestamptz)`,
      clickedLastAt: at,
    })
    .where(one(workspaceId, campaignId, contactId));
  await tx.insert(outreachClicks).values({ workspaceId, campaignId, contactId, linkIndex, at });
}
/** The first hand-over to the mail server counts (a retried mail job changes nothing). */
export async function markDelivered(db: Db, workspaceId: string, campaignId: string, contactId: string, at: Date) {
  await db
    .update(outreachTracking)
    .set({ deliveredAt: sql`coalesce(${outreachTracking.deliveredAt}, ${at.toISOString()}::timestamptz)` })
    .where(one(workspaceId, campaignId, contactId));
}
export async function clicksOf(db: Db, workspaceId: string, campaignId: string) {
  return db
    .select()
    .from(outreachClicks)
    .where(and(eq(outreachClicks.workspaceId, workspaceId), eq(outreachClicks.campaignId, campaignId)))
    .orderBy(asc(outreachClicks.at));
}

// ---- referrals
export async function insertVisit(db: Db, values: typeof outreachReferralVisits.$inferInsert) {
  await db.insert(outreachReferralVisits).values(values);
}
export async function insertReferral(db: Db, values: typeof outreachReferrals.$inferInsert) {
  const [row] = await db.insert(outreachReferrals).values(values).returning();
  return row;
}
/** How many referrals one person's link brought since `since` (the form's rate limit). */
export async function referralsSince(db: Db, workspaceId: string, referrerContactId: string, since: Date) {
  const [{ n }] = await db
    .select({ n: count() })
    .from(outreachReferrals)
    .where(
      and(
        eq(outreachReferrals.workspaceId, workspaceId),
        eq(outreachReferrals.referrerContactId, referrerContactId),
        gte(outreachReferrals.at, since),
      ),
    );
  return Number(n);
}

// ---- what the measures read
export async function campaignsByIds(db: Db, workspaceId: string, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({ id: campaigns.id, name: campaigns.name, sentAt: campaigns.sentAt, createdAt: campaigns.createdAt })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), inArray(campaigns.id, ids)));
}
/** Campaigns that sent a mail in [from, to]. */
export async function campaignsSentIn(db: Db, workspaceId: string, from: Date, to: Date) {
  const rows = await db
    .selectDistinct({ id: outreachTracking.campaignId })
    .from(outreachTracking)
    .where(and(eq(outreachTracking.workspaceId, workspaceId), gte(outreachTracking.sentAt, from), lte(outreachTracking.sentAt, to)));
  return rows.map((r) => r.id);
}
export async function recipientsOf(db: Db, workspaceId: string, campaignIds: string[]) {
  if (!campaignIds.length) return [];
  return db
    .select({
      campaignId: campaignRecipients.campaignId,
      contactId: campaignRecipients.contactId,
      state: campaignRecipients.state,
      reason: campaignRecipients.reason,
      updatedAt: campaignRecipients.updatedAt,
    })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), inArray(campaignRecipients.campaignId, campaignIds)));
}
export async function trackingOf(db: Db, workspaceId: string, campaignIds: string[]) {
  if (!campaignIds.length) return [];
  return db
    .select()
    .from(outreachTracking)
    .where(and(eq(outreachTracking.workspaceId, workspaceId), inArray(outreachTracking.campaignId, campaignIds)));
}
/** Every mail to a person of these accounts sent in [from, to], whatever the campaign (the candidates of last touch). */
export async function touchesOfAccounts(db: Db, workspaceId: string, accountIds: string[], from: Date, to: Date) {
  if (!accountIds.length) return [];
  return db
    .select({
      campaignId: outreachTracking.campaignId,
      contactId: outreachTracking.contactId,
      accountId: outreachTracking.accountId,
      at: outreachTracking.sentAt,
      toCStage: outreachTracking.toCStage,
    })
    .from(outreachTracking)
    .where(
      and(
        eq(outreachTracking.workspaceId, workspaceId),
        inArray(outreachTracking.accountId, [...new Set(accountIds)]),
        gte(outreachTracking.sentAt, from),
        lte(outreachTracking.sentAt, to),
      ),
    );
}
export async function visitsOf(db: Db, workspaceId: string, campaignIds: string[]) {
  if (!campaignIds.length) return [];
  return db
    .select()
    .from(outreachReferralVisits)
    .where(and(eq(outreachReferralVisits.workspaceId, workspaceId), inArray(outreachReferralVisits.campaignId, campaignIds)));
}
export async function referralsOf(db: Db, workspaceId: string, campaignIds: string[]) {
  if (!campaignIds.length) return [];
  return db
    .select()
    .from(outreachReferrals)
    .where(and(eq(outreachReferrals.workspaceId, workspaceId), inArray(outreachReferrals.campaignId, campaignIds)));
}
