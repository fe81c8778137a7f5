import { and, arrayOverlaps, asc, count, desc, eq, ilike, inArray, isNull, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, ts, type Db } from '../../db/client.js';
import { pageTotal, totalOver } from '../../db/paging.js';
import { fromJson, jsonObject, rowsOf } from '../../db/json-rows.js';
import * as people from '../people/index.js';
import {
  accounts,
  computedFactors,
  contacts,
  gradingModels,
  keyPersonLogins,
  ladderHistory,
  relationshipLinks,
  segments,
  stageTransitions,
  tierHistory,
} from './accounts.table.js';
import type { ComputedFactors } from './accounts.table.js';
import type { Actor } from '../../platform/actor.js';
import { accountVisibility } from './visibility.js';
import { segmentToFilter, type AccountFilter, type SegmentCondition } from './segments.domain.js';
import { defaultGradingModel, type GradingModel } from './grading.domain.js';

export type AccountRow = typeof accounts.$inferSelect;
export const sortColumns = {
  name: accounts.name,
  tier: accounts.tier,
  stage: accounts.stage,
  revenueTarget: accounts.revenueTargetMinor,
  updatedAt: accounts.updatedAt,
  valueScore: accounts.valueScore,
} as const;
export type SortKey = keyof typeof sortColumns;

/**
 * A list of allowed values narrows; an absent list does not. An empty list matches nothing: it is
 * what a segment folds to when two of its conditions cannot both hold.
 */
function filterWhere(workspaceId: string, filters: AccountFilter[]): SQL {
  const where: (SQL | undefined)[] = [eq(accounts.workspaceId, workspaceId)];
  const none = sql`false`;
  for (const f of filters) {
    if (f.tier) where.push(f.tier.length ? inArray(accounts.tier, f.tier) : none);
    if (f.stage) where.push(f.stage.length ? inArray(accounts.stage, f.stage) : none);
    if (f.toCStage) where.push(f.toCStage.length ? inArray(accounts.toCStage, f.toCStage) : none);
    if (f.ladder) where.push(f.ladder.length ? inArray(accounts.ladder, f.ladder) : none);
    if (f.industry) where.push(f.industry.length ? inArray(accounts.industry, f.industry) : none);
    if (f.region) where.push(f.region.length ? inArray(accounts.region, f.region) : none);
    if (f.ids) where.push(f.ids.length ? inArray(accounts.id, f.ids) : none);
    if (f.tag) where.push(f.tag.length ? arrayOverlaps(accounts.tags, f.tag) : none);
    if (f.channel?.length === 0) where.push(none);
    if (f.channel?.length === 1) where.push(f.channel[0] === 'channel' ? isNotNull(accounts.channelPartnerId) : isNull(accounts.channelPartnerId));
    if (f.ownerId) where.push(eq(accounts.ownerId, f.ownerId));
    if (f.channelPartnerId) where.push(eq(accounts.channelPartnerId, f.channelPartnerId));
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(ilike(accounts.name, like), ilike(accounts.industry, like), ilike(accounts.region, like)));
    }
  }
  return and(...where)!;
}

export async function listAccounts(
  db: Db,
  workspaceId: string,
  filters: AccountFilter[],
  opts: { sort: SortKey; order: 'asc' | 'desc'; limit: number; offset: number },
) {
  const where = filterWhere(workspaceId, filters);
  const col = sortColumns[opts.sort];
  const page = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      industry: accounts.industry,
      region: accounts.region,
      tier: accounts.tier,
      stage: accounts.stage,
      toCStage: accounts.toCStage,
      ladder: accounts.ladder,
      ownerId: accounts.ownerId,
      channelPartnerId: accounts.channelPartnerId,
      revenueTargetMinor: accounts.revenueTargetMinor,
      currency: accounts.currency,
      tags: accounts.tags,
      valueScore: accounts.valueScore,
      potentialScore: accounts.potentialScore,
      tierOverridden: sql<boolean>`${accounts.tierOverride} is not null`,
      updatedAt: accounts.updatedAt,
      total: totalOver(),
    })
    .from(accounts)
    .where(where)
    .orderBy(opts.order === 'asc' ? asc(col) : desc(col), asc(accounts.id))
    .limit(opts.limit)
    .offset(opts.offset);
  const { rows: items, total } = await pageTotal(
    page,
    opts.offset,
    async () => (await db.select({ total: count() }).from(accounts).where(where))[0].total,
  );
  // owner and partner names are people's: one batched read each for the page
  const owners = await people.userNames(
    db,
    workspaceId,
    items.map((a) => a.ownerId),
  );
  const partners = await people.partnerNames(
    db,
    workspaceId,
    items.map((a) => a.channelPartnerId),
  );
  return {
    items: items.map(({ ownerId, channelPartnerId, revenueTargetMinor, ...a }) => ({
      ...a,
      ownerId,
      ownerName: ownerId ? (owners.get(ownerId) ?? null) : null,
      channelPartnerId,
      channelPartnerName: channelPartnerId ? (partners.get(channelPartnerId) ?? null) : null,
      revenueTargetMinor,
    })),
    total,
  };
}

export async function findAccount(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const rows = await queryRows(
    db,
    sql`select * from accounts where workspace_id = ${workspaceId} and id = ${id}${opts.forUpdate ? sql` for update` : sql``}`,
  );
  return rowsOf(accounts, rows)[0];
}

export async function findAccountByName(db: Db, workspaceId: string, name: string) {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.name, name)));
  return row;
}

export async function insertAccount(db: Db, values: typeof accounts.$inferInsert) {
  const [row] = await db.insert(accounts).values(values).returning();
  return row;
}

/** Many accounts in one statement (the caller keeps it to a few hundred rows). */
export async function insertAccounts(db: Db, values: (typeof accounts.$inferInsert)[]) {
  return values.length ? db.insert(accounts).values(values).returning() : [];
}

/**
 * Every change bumps `version`; with `expectedVersion` the row is changed only if it still is that
 * version (undefined back when it is not: two updates from the same version cannot both pass).
 */
export async function updateAccount(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof accounts.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(accounts)
    .set({ ...values, version: sql`${accounts.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(accounts.workspaceId, workspaceId),
        eq(accounts.id, id),
        expectedVersion === undefined ? undefined : eq(accounts.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function gradingInputs(db: Db, workspaceId: string) {
  return db
    .select({
      id: accounts.id,
      channelPartnerId: accounts.channelPartnerId,
      onTimePaymentPct: accounts.onTimePaymentPct,
      orderAmountMinor: accounts.orderAmountMinor,
      prospect: accounts.prospect,
      profitMarginPct: accounts.profitMarginPct,
      tier: accounts.tier,
      modelTier: accounts.modelTier,
      tierOverride: accounts.tierOverride,
      gradedAt: accounts.gradedAt,
    })
    .from(accounts)
    .where(eq(accounts.workspaceId, workspaceId))
    .orderBy(asc(accounts.id));
}

export async function loadGradingModel(db: Db, workspaceId: string): Promise<GradingModel> {
  return (await loadGradingModelVersioned(db, workspaceId)).model;
}

/** The model and its version (0 while the workspace is on the default model). */
export async function loadGradingModelVersioned(db: Db, workspaceId: string): Promise<{ model: GradingModel; version: number }> {
  const [row] = await db.select().from(gradingModels).where(eq(gradingModels.workspaceId, workspaceId));
  return row ? { model: row.model as GradingModel, version: row.version } : { model: defaultGradingModel, version: 0 };
}

/**
 * Saves and bumps the version; with `expectedVersion` only if the stored model still is that version
 * (0 = none stored yet). Returns the new version, or null when it was not (someone saved in between).
 */
export async function saveGradingModel(db: Db, workspaceId: string, model: GradingModel, userId: string, expectedVersion?: number) {
  const [row] = await db
    .insert(gradingModels)
    .values({ workspaceId, model, updatedBy: userId })
    .onConflictDoUpdate({
      target: gradingModels.workspaceId,
      set: { model, updatedBy: userId, updatedAt: new Date(), version: sql`${gradingModels.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(gradingModels.version, expectedVersion) }),
    })
    .returning({ version: gradingModels.version });
  return row?.version ?? null;
}

export async function insertTierHistory(db: Db, rows: (typeof tierHistory.$inferInsert)[]) {
  if (rows.length) await db.insert(tierHistory).values(rows);
}

type HistoryRow<T> = T & { at: Date; actorId: string | null };
type ContactRow = typeof contacts.$inferSelect;
type LinkRow = {
  id: string;
  userId: string;
  ourSide: string;
  contactId: string;
  contactName: string;
  theirSide: string;
  strength: number;
  lastContactAt: Date | null;
  note: string | null;
};
/**
 * What the account 360 reads of the account's own records — the row, its tier, stage and ladder history, its live
 * contacts (with their portal login) and its relationship map — in one statement (issue 17, point 4: it was six,
 * then four). JSON carries the times as text: they are dates again when read back. Undefined when the workspace has
 * no such account; who may see it is the caller's to decide before it shows anything.
 */
export async function account360Parts(db: Db, workspaceId: string, accountId: string) {
  const [r] = await queryRows<{
    account: Record<string, unknown> | null;
    tiers: HistoryRow<{
      fromTier: string | null;
      toTier: string;
      source: string;
      reason: string | null;
      valueScore: number | null;
      potentialScore: number | null;
    }>[];
    stages: HistoryRow<{ fromStage: string | null; toStage: string; note: string | null }>[];
    ladder: HistoryRow<{ fromLevel: string | null; toLevel: string; reason: string | null }>[];
    contacts: { c: ContactRow; hasLogin: boolean; keyPersonId: string | null; keyPersonActive: boolean | null }[];
    links: LinkRow[];
  }>(
    db,
    sql`select
      (select row_to_json(a) from accounts a where a.workspace_id = ${workspaceId} and a.id = ${accountId}) as account,
      coalesce((select json_agg(json_build_object('fromTier', h.from_tier, 'toTier', h.to_tier, 'source', h.source, 'reason', h.reason,
                 'valueScore', h.value_score, 'potentialScore', h.potential_score, 'at', h.at, 'actorId', h.actor_id) order by h.at desc)
                from tier_history h where h.workspace_id = ${workspaceId} and h.account_id = ${accountId}), '[]') as tiers,
      coalesce((select json_agg(json_build_object('fromStage', s.from_stage, 'toStage', s.to_stage, 'note', s.note, 'at', s.at, 'actorId', s.actor_id) order by s.at)
                from stage_transitions s where s.workspace_id = ${workspaceId} and s.account_id = ${accountId}), '[]') as stages,
      coalesce((select json_agg(json_build_object('fromLevel', l.from_level, 'toLevel', l.to_level, 'reason', l.reason, 'at', l.at, 'actorId', l.actor_id) order by l.at)
                from ladder_history l where l.workspace_id = ${workspaceId} and l.account_id = ${accountId}), '[]') as ladder,
      coalesce((select json_agg(json_build_object('c', ${jsonObject(contacts, 'c')}, 'hasLogin', k.id is not null, 'keyPersonId', k.id, 'keyPersonActive', k.active)
                  order by c.created_at, c.id)
                from contacts c left join key_person_logins k on k.contact_id = c.id and k.workspace_id = c.workspace_id
                where c.workspace_id = ${workspaceId} and c.account_id = ${accountId} and c.archived_at is null), '[]') as contacts,
      coalesce((select json_agg(json_build_object('id', l.id, 'userId', l.user_id, 'ourSide', l.our_side, 'contactId', l.contact_id, 'contactName', c.name,
                 'theirSide', c.side, 'strength', l.strength, 'lastContactAt', l.last_contact_at, 'note', l.note) order by l.created_at)
                from relationship_links l join contacts c on c.id = l.contact_id and c.workspace_id = l.workspace_id
                where l.workspace_id = ${workspaceId} and l.account_id = ${accountId}), '[]') as links`,
  );
  if (!r.account) return undefined;
  const dated = <T extends { at: Date }>(rows: T[]) => rows.map((h) => ({ ...h, at: new Date(h.at) }));
  const [tiers, stagesRows, ladderRows] = [dated(r.tiers), dated(r.stages), dated(r.ladder)];
  const contactRows = fromJson(
    contacts,
    r.contacts.map((x) => x.c),
  ).map((c, i) => ({ ...r.contacts[i], c }));
  const linkRows = r.links.map((l) => ({ ...l, lastContactAt: l.lastContactAt ? new Date(l.lastContactAt) : null }));
  const names = await people.userNames(
    db,
    workspaceId,
    [...tiers, ...stagesRows, ...ladderRows, ...linkRows.map((l) => ({ actorId: l.userId }))].map((h) => h.actorId),
  );
  const named = <T extends { actorId: string | null }>(rows: T[]) =>
    rows.map(({ actorId, ...h }) => ({ ...h, actorName: actorId ? (names.get(actorId) ?? null) : null }));
  return {
    account: rowsOf(accounts, [r.account])[0],
    tiers: named(tiers),
    stages: named(stagesRows),
    ladder: named(ladderRows),
    contacts: contactRows,
    // a link to a user no longer in the directory is left out
    links: linkRows.filter((l) => names.has(l.userId)).map(({ id, userId, ...l }) => ({ id, userId, userName: names.get(userId)!, ...l })),
  };
}

export async function insertStageTransition(db: Db, row: typeof stageTransitions.$inferInsert | (typeof stageTransitions.$inferInsert)[]) {
  const rows = Array.isArray(row) ? row : [row];
  if (rows.length) await db.insert(stageTransitions).values(rows);
}
export async function insertLadderHistory(db: Db, row: typeof ladderHistory.$inferInsert | (typeof ladderHistory.$inferInsert)[]) {
  const rows = Array.isArray(row) ? row : [row];
  if (rows.length) await db.insert(ladderHistory).values(rows);
}

export const usersByIds = people.usersByIds;

// contacts
export async function findContact(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
  return row;
}
export async function insertContact(db: Db, values: typeof contacts.$inferInsert) {
  const [row] = await db.insert(contacts).values(values).returning();
  return row;
}
/** Bumps `version`; with `expectedVersion` only if it still is that version (else undefined). */
export async function updateContact(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof contacts.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(contacts)
    .set({ ...values, version: sql`${contacts.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(contacts.workspaceId, workspaceId),
        eq(contacts.id, id),
        expectedVersion === undefined ? undefined : eq(contacts.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function deleteContact(db: Db, workspaceId: string, id: string) {
  await db.delete(keyPersonLogins).where(and(eq(keyPersonLogins.workspaceId, workspaceId), eq(keyPersonLogins.contactId, id)));
  await db.delete(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, id)));
}

export async function keyPersonLoginOf(db: Db, workspaceId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(keyPersonLogins)
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), eq(keyPersonLogins.contactId, contactId)));
  return row;
}
export async function findKeyPersonLogin(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(keyPersonLogins)
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), eq(keyPersonLogins.id, id)));
  return row;
}
export async function setKeyPersonActive(db: Db, workspaceId: string, id: string, active: boolean) {
  await db
    .update(keyPersonLogins)
    .set({ active })
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), eq(keyPersonLogins.id, id)));
}

// relationship links
export async function findLink(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(relationshipLinks)
    .where(and(eq(relationshipLinks.workspaceId, workspaceId), eq(relationshipLinks.id, id)));
  return row;
}
export async function findLinkPair(db: Db, userId: string, contactId: string) {
  const [row] = await db
    .select({ id: relationshipLinks.id })
    .from(relationshipLinks)
    .where(and(eq(relationshipLinks.userId, userId), eq(relationshipLinks.contactId, contactId)));
  return row;
}
export async function insertLink(db: Db, values: typeof relationshipLinks.$inferInsert) {
  const [row] = await db.insert(relationshipLinks).values(values).returning();
  return row;
}
export async function updateLink(db: Db, workspaceId: string, id: string, values: Partial<typeof relationshipLinks.$inferInsert>) {
  const [row] = await db
    .update(relationshipLinks)
    .set(values)
    .where(and(eq(relationshipLinks.workspaceId, workspaceId), eq(relationshipLinks.id, id)))
    .returning();
  return row;
}
export async function deleteLink(db: Db, workspaceId: string, id: string) {
  await db.delete(relationshipLinks).where(and(eq(relationshipLinks.workspaceId, workspaceId), eq(relationshipLinks.id, id)));
}

// segments
export async function listSegments(db: Db, workspaceId: string) {
  return db.select().from(segments).where(eq(segments.workspaceId, workspaceId)).orderBy(asc(segments.name));
}
export async function findSegment(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)));
  return row;
}

export async function distinctTags(db: Db, workspaceId: string, filters: AccountFilter[] = []) {
  const rows = await queryRows<{ tag: string }>(
    db,
    sql`select distinct unnest(${accounts.tags}) as tag from ${accounts} where ${filterWhere(workspaceId, filters)} order by 1`,
  );
  return rows.map((x) => x.tag);
}

export async function distinctFacets(db: Db, workspaceId: string, filters: AccountFilter[] = []) {
  const where = filterWhere(workspaceId, filters);
  const [industries, regions] = await Promise.all([
    db.selectDistinct({ v: accounts.industry }).from(accounts).where(where).orderBy(asc(accounts.industry)),
    db.selectDistinct({ v: accounts.region }).from(accounts).where(where).orderBy(asc(accounts.region)),
  ]);
  return { industries: industries.map((r) => r.v), regions: regions.map((r) => r.v) };
}

export async function teamGapRows(db: Db, workspaceId: string, filters: AccountFilter[]) {
  return db
    .select({
      id: accounts.id,
      name: accounts.name,
      tier: accounts.tier,
      salesId: accounts.salesId,
      deliveryId: accounts.deliveryId,
      afterSalesId: accounts.afterSalesId,
      csmId: accounts.csmId,
    })
    .from(accounts)
    .where(filterWhere(workspaceId, filters))
    .orderBy(asc(accounts.tier), asc(accounts.name));
}

export async function findKeyPersonLoginByContact(db: Db, contactId: string) {
  const [row] = await db.select({ id: keyPersonLogins.id }).from(keyPersonLogins).where(eq(keyPersonLogins.contactId, contactId));
  return row;
}
export async function insertKeyPersonLogin(db: Db, values: typeof keyPersonLogins.$inferInsert) {
  const [row] = await db
    .insert(keyPersonLogins)
    .values(values)
    .returning({ id: keyPersonLogins.id, email: keyPersonLogins.email, accountId: keyPersonLogins.accountId, contactId: keyPersonLogins.contactId });
  return row;
}

/** Writes the grading of many accounts in one statement (tier, model tier, scores, detail; an override kept or cleared). */
export async function applyGrading(
  db: Db,
  workspaceId: string,
  rows: { id: string; tier: string; modelTier: string; override: string | null; value: number; potential: number; detail: unknown }[],
  now: Date,
) {
  if (!rows.length) return;
  const values = sql.join(
    rows.map(
      (u) => sql`(${u.id}::uuid, ${u.tier}, ${u.modelTier}, ${u.override}, ${u.value}::int, ${u.potential}::int, ${JSON.stringify(u.detail)}::jsonb)`,
    ),
    sql`, `,
  );
  await db.execute(sql`
    update ${accounts} as a set
      tier = v.tier, model_tier = v.model_tier, value_score = v.value, potential_score = v.potential,
      grading_detail = v.detail, graded_at = ${ts(now)},
      tier_override = v.override,
      tier_override_reason = case when v.override is null then null else a.tier_override_reason end
    from (values ${values}) as v(id, tier, model_tier, override, value, potential, detail)
    where a.id = v.id and a.workspace_id = ${workspaceId}`);
}

/** Inserts the segment unless its name is taken (then undefined). */
export async function insertSegment(db: Db, values: typeof segments.$inferInsert) {
  const [row] = await db.insert(segments).values(values).onConflictDoNothing().returning();
  return row;
}
export async function updateSegmentRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof segments.$inferInsert>) {
  const [row] = await db
    .update(segments)
    .set(patch)
    .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)))
    .returning();
  return row;
}
export async function deleteSegmentRow(db: Db, workspaceId: string, id: string) {
  await db.delete(segments).where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, id)));
}

/** How many accounts each workspace has (the operator's workspace list). */
export async function accountCountsByWorkspace(db: Db): Promise<Map<string, number>> {
  const rows = await db.select({ workspaceId: accounts.workspaceId, n: count() }).from(accounts).groupBy(accounts.workspaceId);
  return new Map(rows.map((r) => [r.workspaceId, Number(r.n)]));
}

/** Stores the computed grading factors of accounts and, where nobody overrode a factor by hand, makes it the one grading uses. */
export async function applyComputedFactors(db: Db, workspaceId: string, rows: ({ accountId: string } & ComputedFactors)[]) {
  if (!rows.length) return;
  const ids = rows.map((r) => r.accountId);
  const current = await db
    .select({ id: accounts.id, overrides: accounts.gradingOverrides })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), inArray(accounts.id, ids)));
  const overridesOf = new Map(current.map((c) => [c.id, c.overrides ?? {}]));
  for (const r of rows) {
    const o = overridesOf.get(r.accountId);
    if (!o) continue;
    const { accountId, ...computed } = r;
    const set: Partial<typeof accounts.$inferInsert> = { gradingComputed: computed };
    for (const f of computedFactors) if (!o[f]) (set as Record<string, unknown>)[f] = computed[f];
    await db
      .update(accounts)
      .set(set)
      .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.id, accountId)));
  }
}

/**
 * The people a campaign reaches (outreach): the live contacts of the accounts a segment's conditions select
 * (none given: no account), together with the contacts named by id; the workspace's only, ordered by id.
 */
/**
 * The same audience as a query to use inside another statement (set-based planning and counting at any size):
 * columns id, name, email, account_name and has_portal (an active portal login).
 */
export function audienceQuery(
  db: Db,
  workspaceId: string,
  a: { conditions: { field: string; values: string[] }[]; contactIds: string[] },
  /** a further condition on the contact's id (the outreach module's person tags and stages); alone, it selects from every contact */
  narrow?: (contactId: typeof contacts.id) => SQL,
): SQL {
  const bySegment = a.conditions.length ? filterWhere(workspaceId, [segmentToFilter(a.conditions as SegmentCondition[])]) : sql`false`;
  const byId = a.contactIds.length ? inArray(contacts.id, a.contactIds) : sql`false`;
  const base = narrow && !a.conditions.length && !a.contactIds.length ? sql`true` : or(bySegment, byId);
  return db
    .select({
      id: sql<string>`${contacts.id}`.as('id'),
      name: sql<string>`${contacts.name}`.as('name'),
      email: sql<string | null>`${contacts.email}`.as('email'),
      accountName: sql<string>`${accounts.name}`.as('account_name'),
      hasPortal: sql<boolean>`exists (select 1 from ${keyPersonLogins} where ${keyPersonLogins.workspaceId} = ${workspaceId}
        and ${keyPersonLogins.contactId} = ${contacts.id} and ${keyPersonLogins.active})`.as('has_portal'),
    })
    .from(contacts)
    .innerJoin(accounts, and(eq(accounts.workspaceId, workspaceId), eq(accounts.id, contacts.accountId)))
    .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.archivedAt), base, narrow?.(contacts.id)))
    .getSQL();
}

export async function audienceContacts(
  db: Db,
  workspaceId: string,
  a: { conditions: { field: string; values: string[] }[]; contactIds: string[] },
  /** a further condition on the contact's id (the outreach module's person tags and stages); alone, it selects from every contact */
  narrow?: (contactId: typeof contacts.id) => SQL,
): Promise<{ id: string; name: string; email: string | null; accountName: string; hasPortal: boolean }[]> {
  const rows = await queryRows<{ id: string; name: string; email: string | null; account_name: string; has_portal: boolean }>(
    db,
    sql`select * from (${audienceQuery(db, workspaceId, a, narrow)}) aud order by id`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, accountName: r.account_name, hasPortal: r.has_portal }));
}

/** Every live contact of the workspace with its account, address and portal login (the outreach module's behaviour rules). */
export async function contactDirectory(db: Db, workspaceId: string) {
  return db
    .select({ id: contacts.id, accountId: contacts.accountId, email: contacts.email, keyPersonId: keyPersonLogins.id })
    .from(contacts)
    .leftJoin(keyPersonLogins, and(eq(keyPersonLogins.contactId, contacts.id), eq(keyPersonLogins.workspaceId, contacts.workspaceId)))
    .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.archivedAt)));
}

/**
 * A page of the live contacts the actor sees, by name: of one account, matching a text (name, email, phone, account
 * name), and a further condition on the contact's id (the outreach module's tags and stages).
 */
export async function contactsPage(
  db: Db,
  actor: Actor,
  f: { accountId?: string; q?: string; narrow?: (contactId: typeof contacts.id) => SQL | undefined },
  page: { limit: number; offset: number },
) {
  const ws = actor.workspaceId;
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = and(
    eq(contacts.workspaceId, ws),
    eq(accounts.workspaceId, ws),
    isNull(contacts.archivedAt),
    accountVisibility(actor, { id: accounts.id, channelPartnerId: accounts.channelPartnerId }),
    f.accountId ? eq(contacts.accountId, f.accountId) : undefined,
    like ? or(ilike(contacts.name, like), ilike(contacts.email, like), ilike(contacts.phone, like), ilike(accounts.name, like)) : undefined,
    f.narrow?.(contacts.id),
  );
  const [items, [{ n }]] = await Promise.all([
    db
      .select({
        id: contacts.id,
        name: contacts.name,
        title: contacts.title,
        email: contacts.email,
        phone: contacts.phone,
        isKeyPerson: contacts.isKeyPerson,
        accountId: accounts.id,
        accountName: accounts.name,
        accountToCStage: accounts.toCStage,
      })
      .from(contacts)
      .innerJoin(accounts, and(eq(accounts.id, contacts.accountId), eq(accounts.workspaceId, contacts.workspaceId)))
      .where(where)
      .orderBy(asc(contacts.name), asc(contacts.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ n: count() })
      .from(contacts)
      .innerJoin(accounts, and(eq(accounts.id, contacts.accountId), eq(accounts.workspaceId, contacts.workspaceId)))
      .where(where),
  ]);
  return { items, total: Number(n) };
}
