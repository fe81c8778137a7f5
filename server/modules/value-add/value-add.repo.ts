import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { accountNames } from '../accounts/index.js';
import { opportunitiesBySource } from '../opportunities/index.js';
import { userNames as namesOfUsers, usersByIds } from '../people/index.js';
import { accountBudgets, accountFocus, bookings, catalogItems, valueAddSettings, valueAddTasks } from './value-add.table.js';

// ---- settings and catalog

export async function insertSettingsIfMissing(db: Db, workspaceId: string) {
  return db.insert(valueAddSettings).values({ workspaceId }).onConflictDoNothing().returning();
}
export async function findSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(valueAddSettings).where(eq(valueAddSettings.workspaceId, workspaceId));
  return row;
}
/** Bumps `version`; with `expectedVersion` only if the row still is that version (else undefined: someone saved in between). */
export async function updateSettings(db: Db, workspaceId: string, values: Partial<typeof valueAddSettings.$inferInsert>, expectedVersion?: number) {
  const [row] = await db
    .update(valueAddSettings)
    .set({ ...values, updatedAt: new Date(), version: sql`${valueAddSettings.version} + 1` })
    .where(
      and(eq(valueAddSettings.workspaceId, workspaceId), expectedVersion === undefined ? undefined : eq(valueAddSettings.version, expectedVersion)),
    )
    .returning();
  return row;
}

export async function insertCatalogItems(db: Db, rows: (typeof catalogItems.$inferInsert)[]) {
  if (!rows.length) return [];
  return db.insert(catalogItems).values(rows).onConflictDoNothing().returning();
}
export async function listCatalog(db: Db, workspaceId: string, f: { menu?: string; activeOnly?: boolean } = {}) {
  const where: SQL[] = [eq(catalogItems.workspaceId, workspaceId)];
  if (f.menu) where.push(eq(catalogItems.menu, f.menu));
  if (f.activeOnly) where.push(eq(catalogItems.active, true));
  return db
    .select()
    .from(catalogItems)
    .where(and(...where))
    .orderBy(asc(catalogItems.menu), asc(catalogItems.position), asc(catalogItems.createdAt));
}
export async function findCatalogItem(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(catalogItems)
    .where(and(eq(catalogItems.workspaceId, workspaceId), eq(catalogItems.id, id)));
  return row;
}
export async function findCatalogItemByCode(db: Db, workspaceId: string, code: string) {
  const [row] = await db
    .select()
    .from(catalogItems)
    .where(and(eq(catalogItems.workspaceId, workspaceId), eq(catalogItems.code, code)));
  return row;
}
export async function nextPosition(db: Db, workspaceId: string, menu: string) {
  const [r] = await queryRows<{ p: number }>(
    db,
    sql`select coalesce(max(position), 0)::int + 1 as p from ${catalogItems} where workspace_id = ${workspaceId} and menu = ${menu}`,
  );
  return r.p;
}
export async function updateCatalogItem(db: Db, workspaceId: string, id: string, values: Partial<typeof catalogItems.$inferInsert>) {
  const [row] = await db
    .update(catalogItems)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(catalogItems.workspaceId, workspaceId), eq(catalogItems.id, id)))
    .returning();
  return row;
}

// ---- focus

export async function upsertFocus(db: Db, v: typeof accountFocus.$inferInsert) {
  const [row] = await db
    .insert(accountFocus)
    .values(v)
    .onConflictDoUpdate({
      target: [accountFocus.workspaceId, accountFocus.accountId, accountFocus.period],
      set: { tasks: v.tasks, note: v.note, chosenById: v.chosenById, updatedAt: new Date() },
    })
    .returning();
  return row;
}
export async function findFocus(db: Db, workspaceId: string, accountId: string, period?: string) {
  const where = [eq(accountFocus.workspaceId, workspaceId), eq(accountFocus.accountId, accountId)];
  if (period) where.push(eq(accountFocus.period, period));
  const [row] = await db
    .select()
    .from(accountFocus)
    .where(and(...where))
    .orderBy(desc(accountFocus.updatedAt))
    .limit(1);
  return row;
}
export async function listFocus(db: Db, workspaceId: string, accountId: string) {
  return db
    .select()
    .from(accountFocus)
    .where(and(eq(accountFocus.workspaceId, workspaceId), eq(accountFocus.accountId, accountId)))
    .orderBy(desc(accountFocus.period));
}

// ---- budget: the conditional updates are the race guard on PostgreSQL

export async function insertBudgetIfMissing(db: Db, v: typeof accountBudgets.$inferInsert) {
  await db.insert(accountBudgets).values(v).onConflictDoNothing();
}
export async function findBudget(db: Db, workspaceId: string, accountId: string, fiscalYear: number, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(accountBudgets)
    .where(and(eq(accountBudgets.workspaceId, workspaceId), eq(accountBudgets.accountId, accountId), eq(accountBudgets.fiscalYear, fiscalYear)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function findBudgetById(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(accountBudgets)
    .where(and(eq(accountBudgets.workspaceId, workspaceId), eq(accountBudgets.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
/** Rebases a budget on a new target × ratio, never below what is committed (one atomic statement). */
export async function rebaseBudget(db: Db, workspaceId: string, id: string, v: { targetMinor: number; ratioBp: number; budgetMinor: number }) {
  const [row] = await db
    .update(accountBudgets)
    .set({
      targetMinor: v.targetMinor,
      ratioBp: v.ratioBp,
      budgetMinor: sql`greatest(${v.budgetMinor}::bigint, ${accountBudgets.committedMinor} - ${accountBudgets.extraMinor})`,
      updatedAt: new Date(),
    })
    .where(and(eq(accountBudgets.workspaceId, workspaceId), eq(accountBudgets.id, id)))
    .returning();
  return row;
}
/** Draws `amount` only if it still fits: the WHERE is re-checked under the row lock, so concurrent draws never overspend. */
export async function drawBudget(db: Db, workspaceId: string, id: string, amount: number) {
  const [row] = await db
    .update(accountBudgets)
    .set({ committedMinor: sql`${accountBudgets.committedMinor} + ${amount}::bigint`, updatedAt: new Date() })
    .where(
      and(
        eq(accountBudgets.workspaceId, workspaceId),
        eq(accountBudgets.id, id),
        sql`${accountBudgets.budgetMinor} + ${accountBudgets.extraMinor} - ${accountBudgets.committedMinor} >= ${amount}::bigint`,
      ),
    )
    .returning();
  return row;
}
export async function returnBudget(db: Db, workspaceId: string, id: string, amount: number) {
  const [row] = await db
    .update(accountBudgets)
    .set({ committedMinor: sql`${accountBudgets.committedMinor} - ${amount}::bigint`, updatedAt: new Date() })
    .where(and(eq(accountBudgets.workspaceId, workspaceId), eq(accountBudgets.id, id)))
    .returning();
  return row;
}
export async function grantAndDraw(db: Db, workspaceId: string, id: string, extra: number, amount: number) {
  const [row] = await db
    .update(accountBudgets)
    .set({
      extraMinor: sql`${accountBudgets.extraMinor} + ${extra}::bigint`,
      committedMinor: sql`${accountBudgets.committedMinor} + ${amount}::bigint`,
      updatedAt: new Date(),
    })
    .where(and(eq(accountBudgets.workspaceId, workspaceId), eq(accountBudgets.id, id)))
    .returning();
  return row;
}
export async function setOpeningSpent(db: Db, workspaceId: string, id: string, amount: number) {
  const [row] = await db
    .update(accountBudgets)
    .set({
      committedMinor: sql`${accountBudgets.committedMinor} - ${accountBudgets.openingSpentMinor} + ${amount}::bigint`,
      openingSpentMinor: amount,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(accountBudgets.workspaceId, workspaceId),
        eq(accountBudgets.id, id),
        sql`${accountBudgets.budgetMinor} + ${accountBudgets.extraMinor} - (${accountBudgets.committedMinor} - ${accountBudgets.openingSpentMinor} + ${amount}::bigint) >= 0`,
      ),
    )
    .returning();
  return row;
}

// ---- bookings and tasks

export async function insertBooking(db: Db, v: typeof bookings.$inferInsert) {
  const [row] = await db.insert(bookings).values(v).returning();
  return row;
}
export async function findBooking(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(bookings)
    .where(and(eq(bookings.workspaceId, workspaceId), eq(bookings.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
/** Every change of a booking bumps its version; with `expectedVersion` only if it still is that version (else undefined). */
export async function updateBooking(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof bookings.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(bookings)
    .set({ ...values, version: sql`${bookings.version} + 1` })
    .where(
      and(
        eq(bookings.workspaceId, workspaceId),
        eq(bookings.id, id),
        expectedVersion === undefined ? undefined : eq(bookings.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function listBookings(db: Db, workspaceId: string, f: { accountId?: string; status?: string; accountIds?: string[] }) {
  const where: SQL[] = [sql`b.workspace_id = ${workspaceId}`];
  if (f.accountId) where.push(sql`b.account_id = ${f.accountId}`);
  if (f.status) where.push(sql`b.status = ${f.status}`);
  const rows = await queryRows<{
    id: string;
    account_id: string;
    catalog_item_id: string;
    item_name_zh: string;
    item_name_en: string;
    task_id: string | null;
    fiscal_year: number;
    kind: string;
    amount_minor: string | number;
    promised_value_minor: string | number | null;
    status: string;
    requested_by_id: string;
    decided_by_id: string | null;
    decided_at: Date | null;
    note: string | null;
    created_at: Date;
    version: number;
  }>(
    db,
    sql`select b.id, b.account_id, b.catalog_item_id, c.name_zh as item_name_zh, c.name_en as item_name_en, b.task_id, b.fiscal_year, b.kind,
               b.amount_minor, b.promised_value_minor, b.status, b.requested_by_id, b.decided_by_id, b.decided_at, b.note, b.created_at, b.version
        from value_add_bookings b join catalog_items c on c.id = b.catalog_item_id and c.workspace_id = b.workspace_id
        where ${sql.join(where, sql` and `)} order by b.created_at desc limit 500`,
  );
  // account and people names are their modules': one batched read each
  const accounts = await accountNames(
    db,
    workspaceId,
    rows.map((b) => b.account_id),
  );
  const names = await namesOfUsers(
    db,
    workspaceId,
    rows.flatMap((b) => [b.requested_by_id, b.decided_by_id]),
  );
  return rows
    .filter((b) => accounts.has(b.account_id) && names.has(b.requested_by_id))
    .map(({ decided_by_id, ...b }) => ({
      ...b,
      account_name: accounts.get(b.account_id)!,
      requested_by_name: names.get(b.requested_by_id)!,
      decided_by_name: decided_by_id ? (names.get(decided_by_id) ?? null) : null,
    }));
}

export async function insertTask(db: Db, v: typeof valueAddTasks.$inferInsert) {
  const [row] = await db.insert(valueAddTasks).values(v).returning();
  return row;
}
export async function findTask(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(valueAddTasks)
    .where(and(eq(valueAddTasks.workspaceId, workspaceId), eq(valueAddTasks.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function updateTask(db: Db, workspaceId: string, id: string, values: Partial<typeof valueAddTasks.$inferInsert>) {
  const [row] = await db
    .update(valueAddTasks)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(valueAddTasks.workspaceId, workspaceId), eq(valueAddTasks.id, id)))
    .returning();
  return row;
}
export async function listTasks(db: Db, workspaceId: string, accountId: string) {
  const rows = await queryRows<{
    id: string;
    catalog_item_id: string;
    title: string;
    tasks: string[];
    owner_id: string | null;
    due_on: string | null;
    status: string;
    outcome: string | null;
    metrics_moved: string[];
    created_at: Date;
    updated_at: Date;
    booking_id: string | null;
    booking_status: string | null;
    booking_kind: string | null;
    booking_amount_minor: string | number | null;
    booking_version: number | null;
  }>(
    db,
    sql`select t.id, t.catalog_item_id, t.title, t.tasks, t.owner_id, t.due_on, t.status, t.outcome, t.metrics_moved, t.created_at, t.updated_at,
               b.id as booking_id, b.status as booking_status, b.kind as booking_kind, b.amount_minor as booking_amount_minor,
               b.version as booking_version
        from value_add_tasks t
        left join lateral (select * from value_add_bookings b where b.task_id = t.id and b.workspace_id = t.workspace_id order by b.created_at desc limit 1) b on true
        where t.workspace_id = ${workspaceId} and t.account_id = ${accountId}
        order by case t.status when 'cancelled' then 1 else 0 end, coalesce(t.due_on, '9999'), t.created_at`,
  );
  // owners are people's, the opportunities a task produced are the opportunities module's
  const owners = await namesOfUsers(
    db,
    workspaceId,
    rows.map((t) => t.owner_id),
  );
  const opps = await opportunitiesBySource(
    db,
    workspaceId,
    'value_add_task',
    rows.map((t) => t.id),
  );
  return rows.map(({ owner_id, due_on, ...t }) => ({
    ...t,
    owner_id,
    owner_name: owner_id ? (owners.get(owner_id) ?? null) : null,
    due_on,
    opportunities: opps.get(t.id) ?? null,
  }));
}

/** What each catalog item did on other accounts of the same tier: finished tasks, metrics moved, opportunity amount. */
export async function pastEffects(db: Db, workspaceId: string, tier: string, excludeAccountId: string) {
  return queryRows<{ catalog_item_id: string; finished: number; moved: number; opp: string | number }>(
    db,
    sql`select t.catalog_item_id, count(*)::int as finished, count(*) filter (where cardinality(t.metrics_moved) > 0)::int as moved,
               coalesce(sum((select coalesce(sum(o.amount_minor), 0) from opportunities o where o.workspace_id = t.workspace_id and o.source_kind = 'value_add_task' and o.source_id = t.id)), 0) as opp
        from value_add_tasks t join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
        where t.workspace_id = ${workspaceId} and a.tier = ${tier} and t.account_id <> ${excludeAccountId} and t.status in ('done', 'evaluated')
        group by t.catalog_item_id`,
  );
}

export async function userNames(db: Db, workspaceId: string, ids: string[]) {
  return (await usersByIds(db, workspaceId, ids)).map((u) => ({ id: u.id, name: u.name, role: u.role, active: u.active }));
}

/** Paid services booked for the account with a promised value, oldest first (the value module links indicators to them). */
export async function paidBookingsWithPromise(db: Db, workspaceId: string, accountId: string) {
  return db
    .select({
      bookingId: bookings.id,
      serviceZh: catalogItems.nameZh,
      serviceEn: catalogItems.nameEn,
      promisedValueMinor: bookings.promisedValueMinor,
      bookedAt: bookings.createdAt,
    })
    .from(bookings)
    .innerJoin(catalogItems, and(eq(catalogItems.id, bookings.catalogItemId), eq(catalogItems.workspaceId, bookings.workspaceId)))
    .where(
      and(
        eq(bookings.workspaceId, workspaceId),
        eq(bookings.accountId, accountId),
        eq(bookings.kind, 'paid'),
        eq(bookings.status, 'booked'),
        isNotNull(bookings.promisedValueMinor),
      ),
    )
    .orderBy(asc(bookings.createdAt));
}

/** Live bookings (booked or awaiting approval) of one catalog item for one account since `since` (the duplicate check). */
export async function bookingsOfItemSince(db: Db, workspaceId: string, accountId: string, catalogItemId: string, since: Date) {
  return db
    .select({
      id: bookings.id,
      status: bookings.status,
      amountMinor: bookings.amountMinor,
      createdAt: bookings.createdAt,
      requestedById: bookings.requestedById,
    })
    .from(bookings)
    .where(
      and(
        eq(bookings.workspaceId, workspaceId),
        eq(bookings.accountId, accountId),
        eq(bookings.catalogItemId, catalogItemId),
        sql`${bookings.status} in ('booked','pending_approval')`,
        sql`${bookings.createdAt} >= ${since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(bookings.createdAt));
}
