// Key persons (客户关键人): contacts of an account with a portal login. The accounts module owns them; the
// portal module reads and invites them through these functions (exported from index.ts).
import { and, asc, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts, contacts, keyPersonLogins } from './accounts.table.js';

export type KeyPersonRow = typeof keyPersonLogins.$inferSelect;

/** The key-person login of the contact, if any. */
export async function keyPersonOfContact(db: Db, contactId: string): Promise<KeyPersonRow | undefined> {
  const [kp] = await db.select().from(keyPersonLogins).where(eq(keyPersonLogins.contactId, contactId));
  return kp;
}

/** A key-person login for the contact, who is marked a key person. */
export async function addKeyPerson(db: Db, values: typeof keyPersonLogins.$inferInsert): Promise<KeyPersonRow> {
  const [kp] = await db.insert(keyPersonLogins).values(values).returning();
  await db
    .update(contacts)
    .set({ isKeyPerson: true })
    .where(and(eq(contacts.workspaceId, values.workspaceId), eq(contacts.id, values.contactId)));
  return kp;
}

/** The active key person with that address (any workspace: sign-in is by address), with their name and account's name. */
/** Active key persons with this address: one per workspace at most (an address is unique per workspace). */
export async function activeKeyPersonsByEmail(db: Db, email: string) {
  return db
    .select({ kp: keyPersonLogins, name: contacts.name, account: accounts.name })
    .from(keyPersonLogins)
    .innerJoin(contacts, and(eq(contacts.id, keyPersonLogins.contactId), eq(contacts.workspaceId, keyPersonLogins.workspaceId)))
    .innerJoin(accounts, and(eq(accounts.id, keyPersonLogins.accountId), eq(accounts.workspaceId, keyPersonLogins.workspaceId)))
    .where(and(sql`lower(${keyPersonLogins.email}) = ${email.toLowerCase()}`, eq(keyPersonLogins.active, true)));
}

export async function setKeyPersonPassword(db: Db, keyPersonId: string, passwordHash: string) {
  await db.update(keyPersonLogins).set({ passwordHash }).where(eq(keyPersonLogins.id, keyPersonId));
}

/** The names (their contact's) of key persons by id, in one workspace. */
export async function keyPersonNames(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: keyPersonLogins.id, name: contacts.name })
    .from(keyPersonLogins)
    .innerJoin(contacts, and(eq(contacts.id, keyPersonLogins.contactId), eq(contacts.workspaceId, keyPersonLogins.workspaceId)))
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), inArray(keyPersonLogins.id, unique)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The key persons of an account: id, name, address, active. */
export async function keyPersonsOfAccount(db: Db, workspaceId: string, accountId: string) {
  return db
    .select({ id: keyPersonLogins.id, name: contacts.name, email: keyPersonLogins.email, active: keyPersonLogins.active })
    .from(keyPersonLogins)
    .innerJoin(contacts, and(eq(contacts.id, keyPersonLogins.contactId), eq(contacts.workspaceId, keyPersonLogins.workspaceId)))
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), eq(keyPersonLogins.accountId, accountId)))
    .orderBy(asc(keyPersonLogins.createdAt));
}

/** Account names and tiers by id (for lists of other modules' records about accounts). */
export async function accountSummaries(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, { name: string; tier: string }>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: accounts.id, name: accounts.name, tier: accounts.tier })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), inArray(accounts.id, unique)));
  return new Map(rows.map((r) => [r.id, { name: r.name, tier: r.tier }]));
}

/**
 * An account's name and tier as columns of another module's list (issue 17, point 4): looked up by the row's
 * account id within the workspace in the list's own statement, instead of a second read through
 * `accountSummaries`. Null when the account is not in the workspace: the list leaves such a row out, as it did
 * when the id was missing from the map. The accounts module still writes all SQL that reads its table.
 */
export function accountSummaryColumns(
  workspaceId: string,
  accountId: SQLWrapper,
): { accountName: SQL<string | null>; accountTier: SQL<string | null> } {
  const one = (col: 'name' | 'tier') =>
    sql<string | null>`(select ${sql.raw(`a.${col}`)} from accounts a where a.workspace_id = ${workspaceId} and a.id = ${accountId})`;
  return { accountName: one('name'), accountTier: one('tier') };
}

/** Account names by id. */
export async function accountNames(db: Db, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  return new Map([...(await accountSummaries(db, workspaceId, ids))].map(([id, a]) => [id, a.name]));
}

/**
 * Who writes from this address in the workspace (email in): every live contact with it, or whose active
 * key-person login has it, with their account and login. An address may be a contact on two accounts.
 */
export async function sendersByEmail(db: Db, workspaceId: string, email: string) {
  const e = email.trim().toLowerCase();
  return db
    .select({ contactId: contacts.id, accountId: contacts.accountId, name: contacts.name, keyPersonId: keyPersonLogins.id })
    .from(contacts)
    .leftJoin(keyPersonLogins, and(eq(keyPersonLogins.contactId, contacts.id), eq(keyPersonLogins.active, true)))
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        isNull(contacts.archivedAt),
        or(sql`lower(${contacts.email}) = ${e}`, sql`lower(${keyPersonLogins.email}) = ${e}`),
      ),
    )
    .limit(20);
}
