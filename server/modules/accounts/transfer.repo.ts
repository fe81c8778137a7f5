// Queries for import and export only; every query takes workspaceId.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import * as people from '../people/index.js';
import { accounts, contacts } from './accounts.table.js';

const CHUNK = 1000;
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** The exported fields of these accounts, with the owner's email and the partner's name, in the order of `ids`. */
export async function accountsForExport(db: Db, workspaceId: string, ids: string[]) {
  const rows = [];
  for (const part of chunks(ids)) {
    rows.push(
      ...(await db
        .select({
          id: accounts.id,
          name: accounts.name,
          industry: accounts.industry,
          region: accounts.region,
          tier: accounts.tier,
          stage: accounts.stage,
          ladder: accounts.ladder,
          toCStage: accounts.toCStage,
          channelPartnerId: accounts.channelPartnerId,
          ownerId: accounts.ownerId,
          revenueTargetMinor: accounts.revenueTargetMinor,
          fiscalYear: accounts.fiscalYear,
          orderAmountMinor: accounts.orderAmountMinor,
          onTimePaymentPct: accounts.onTimePaymentPct,
          prospect: accounts.prospect,
          profitMarginPct: accounts.profitMarginPct,
          products: accounts.products,
          tags: accounts.tags,
        })
        .from(accounts)
        .where(and(eq(accounts.workspaceId, workspaceId), inArray(accounts.id, part)))),
    );
  }
  // the owner's email and the partner's name are people's
  const emails = new Map((await people.usersOf(db, workspaceId)).map((u) => [u.id, u.email]));
  const partners = new Map((await people.partnersOf(db, workspaceId)).map((p) => [p.id, p.name]));
  const order = new Map(ids.map((id, i) => [id, i]));
  return rows
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map(({ channelPartnerId, ownerId, ...a }) => ({
      ...a,
      channelPartnerName: channelPartnerId ? (partners.get(channelPartnerId) ?? null) : null,
      ownerEmail: ownerId ? (emails.get(ownerId) ?? null) : null,
    }));
}

/** Contacts of these accounts with the account's name, ordered by account (as in `accountIds`) then creation. */
export async function contactsForExport(db: Db, workspaceId: string, accountIds: string[]) {
  const rows = [];
  for (const part of chunks(accountIds)) {
    rows.push(
      ...(await db
        .select({
          accountId: contacts.accountId,
          accountName: accounts.name,
          name: contacts.name,
          title: contacts.title,
          department: contacts.department,
          email: contacts.email,
          phone: contacts.phone,
          side: contacts.side,
          orgGroups: contacts.orgGroups,
          isKeyPerson: contacts.isKeyPerson,
          notes: contacts.notes,
        })
        .from(contacts)
        .innerJoin(accounts, and(eq(accounts.id, contacts.accountId), eq(accounts.workspaceId, contacts.workspaceId)))
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.accountId, part)))
        .orderBy(asc(contacts.createdAt), asc(contacts.id))),
    );
  }
  const order = new Map(accountIds.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.accountId)! - order.get(b.accountId)!); // stable: keeps creation order within an account
}

export async function workspaceUsers(db: Db, workspaceId: string) {
  return (await people.usersOf(db, workspaceId)).map((u) => ({ id: u.id, email: u.email, name: u.name, active: u.active }));
}

export async function workspacePartners(db: Db, workspaceId: string) {
  return people.partnersOf(db, workspaceId);
}

export async function accountNames(db: Db, workspaceId: string) {
  return db
    .select({ id: accounts.id, name: accounts.name, channelPartnerId: accounts.channelPartnerId })
    .from(accounts)
    .where(eq(accounts.workspaceId, workspaceId));
}

export async function contactKeys(db: Db, workspaceId: string) {
  return db.select({ accountId: contacts.accountId, name: contacts.name }).from(contacts).where(eq(contacts.workspaceId, workspaceId));
}

export async function insertContacts(db: Db, rows: (typeof contacts.$inferInsert)[]) {
  for (let i = 0; i < rows.length; i += 500) await db.insert(contacts).values(rows.slice(i, i + 500));
}
