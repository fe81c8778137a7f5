// People and portraits (issue 18 point 1): profiles (stage, time zone), tags with their source, stage moves and
// behaviour rules. Every statement names the workspace (sharding by workspace: server/db/sharding.int.test.ts).
import { and, asc, count, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { audienceQuery } from '../accounts/index.js';
import type { TagEvidence } from './people.domain.js';
import {
  campaigns,
  outreachPeople,
  outreachPersonTags,
  outreachStageMoves,
  outreachTagRules,
  outreachTouches,
  type Audience,
} from './outreach.table.js';

export type TagRow = typeof outreachPersonTags.$inferSelect;
export type RuleRow = typeof outreachTagRules.$inferSelect;
export type MoveRow = typeof outreachStageMoves.$inferSelect;

/**
 * A campaign audience's person conditions as a condition on a contact id column: the person carries one of
 * `personTags` (any source) and/or is at one of `personStages`. Undefined when the audience names neither.
 */
export function personFilter(workspaceId: string, audience: Pick<Audience, 'personTags' | 'personStages'>, contactIdColumn: AnyPgColumn | SQL) {
  const parts: SQL[] = [];
  if (audience.personTags?.length) {
    parts.push(
      sql`${contactIdColumn} in (select contact_id from outreach_person_tags where workspace_id = ${workspaceId} and tag in ${sql`(${sql.join(
        audience.personTags.map((t) => sql`${t}`),
        sql`, `,
      )})`})`,
    );
  }
  if (audience.personStages?.length) {
    parts.push(
      sql`${contactIdColumn} in (select contact_id from outreach_people where workspace_id = ${workspaceId} and to_c_stage in ${sql`(${sql.join(
        audience.personStages.map((s) => sql`${s}`),
        sql`, `,
      )})`})`,
    );
  }
  return parts.length ? and(...parts) : undefined;
}

/** The same audience as a query to use inside another statement (preview counts, planning): any size. */
export function audienceQueryOf(db: Db, workspaceId: string, a: Audience) {
  const narrowed = !!(a.personTags?.length || a.personStages?.length);
  return audienceQuery(db, workspaceId, a, narrowed ? (col) => personFilter(workspaceId, a, col) ?? sql`true` : undefined);
}

// ---- profiles
export async function profiles(db: Db, workspaceId: string, contactIds: string[]) {
  if (!contactIds.length) return new Map<string, typeof outreachPeople.$inferSelect>();
  const rows = await db
    .select()
    .from(outreachPeople)
    .where(and(eq(outreachPeople.workspaceId, workspaceId), inArray(outreachPeople.contactId, contactIds)));
  return new Map(rows.map((r) => [r.contactId, r]));
}
export async function findProfile(db: Db, workspaceId: string, contactId: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(outreachPeople)
    .where(and(eq(outreachPeople.workspaceId, workspaceId), eq(outreachPeople.contactId, contactId)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
/** The profile row, made on first use (version 1, no stage), locked for the transaction. */
export async function lockProfile(tx: Db, workspaceId: string, contactId: string) {
  await tx.insert(outreachPeople).values({ workspaceId, contactId }).onConflictDoNothing();
  return (await findProfile(tx, workspaceId, contactId, { forUpdate: true }))!;
}
/** The new version, or null when the stored one was not `expectedVersion`. */
export async function saveProfile(
  db: Db,
  workspaceId: string,
  contactId: string,
  patch: { toCStage?: string | null; timeZone?: string | null },
  expectedVersion?: number,
) {
  const [row] = await db
    .update(outreachPeople)
    .set({ ...patch, version: sql`${outreachPeople.version} + 1` })
    .where(
      and(
        eq(outreachPeople.workspaceId, workspaceId),
        eq(outreachPeople.contactId, contactId),
        expectedVersion === undefined ? undefined : eq(outreachPeople.version, expectedVersion),
      ),
    )
    .returning({ version: outreachPeople.version });
  return row?.version ?? null;
}

// ---- stage moves
export async function insertStageMove(db: Db, values: typeof outreachStageMoves.$inferInsert) {
  await db.insert(outreachStageMoves).values(values);
}
export async function stageMoves(db: Db, workspaceId: string, contactId: string) {
  return db
    .select()
    .from(outreachStageMoves)
    .where(and(eq(outreachStageMoves.workspaceId, workspaceId), eq(outreachStageMoves.contactId, contactId)))
    .orderBy(desc(outreachStageMoves.at), desc(outreachStageMoves.id));
}

// ---- tags
export async function tagsOf(db: Db, workspaceId: string, contactIds: string[]) {
  if (!contactIds.length) return [];
  return db
    .select()
    .from(outreachPersonTags)
    .where(and(eq(outreachPersonTags.workspaceId, workspaceId), inArray(outreachPersonTags.contactId, contactIds)))
    .orderBy(asc(outreachPersonTags.tag), asc(outreachPersonTags.source));
}
/** The workspace's tags with how many people carry each (the filters' choices). */
export async function tagCounts(db: Db, workspaceId: string) {
  const rows = await db
    .select({ tag: outreachPersonTags.tag, n: sql<number>`count(distinct ${outreachPersonTags.contactId})::int` })
    .from(outreachPersonTags)
    .where(eq(outreachPersonTags.workspaceId, workspaceId))
    .groupBy(outreachPersonTags.tag)
    .orderBy(asc(outreachPersonTags.tag));
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}
/** A manual or imported tag; false when the person already carries it from that source. */
export async function insertTag(db: Db, values: typeof outreachPersonTags.$inferInsert) {
  const rows = await db.insert(outreachPersonTags).values(values).onConflictDoNothing().returning({ id: outreachPersonTags.id });
  return rows.length > 0;
}
/** Imported tags: set, or refreshed (note, who, when) when the person carries it from an import already. */
export async function upsertImportTags(db: Db, rows: (typeof outreachPersonTags.$inferInsert)[]) {
  if (!rows.length) return;
  await db
    .insert(outreachPersonTags)
    .values(rows)
    .onConflictDoUpdate({
      target: [outreachPersonTags.workspaceId, outreachPersonTags.contactId, outreachPersonTags.tag, outreachPersonTags.source],
      targetWhere: sql`rule_id is null`,
      set: { note: sql`excluded.note`, createdBy: sql`excluded.created_by`, at: sql`excluded.at` },
    });
}
export async function deleteTag(db: Db, workspaceId: string, contactId: string, tag: string, source: 'manual' | 'import') {
  const rows = await db
    .delete(outreachPersonTags)
    .where(
      and(
        eq(outreachPersonTags.workspaceId, workspaceId),
        eq(outreachPersonTags.contactId, contactId),
        eq(outreachPersonTags.tag, tag),
        eq(outreachPersonTags.source, source),
      ),
    )
    .returning({ id: outreachPersonTags.id });
  return rows.length > 0;
}
/** Every rule tag of the workspace (what the rules may remove). */
export async function heldRuleTags(db: Db, workspaceId: string) {
  const rows = await db
    .select({ contactId: outreachPersonTags.contactId, ruleId: outreachPersonTags.ruleId, tag: outreachPersonTags.tag })
    .from(outreachPersonTags)
    .where(and(eq(outreachPersonTags.workspaceId, workspaceId), isNotNull(outreachPersonTags.ruleId)));
  return rows.map((r) => ({ contactId: r.contactId, ruleId: r.ruleId!, tag: r.tag }));
}
/** Rule tags set (first time) or refreshed (the evidence of this evaluation; the first assignment's time stays). */
export async function upsertRuleTags(db: Db, workspaceId: string, rows: { contactId: string; ruleId: string; tag: string; evidence: TagEvidence }[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(outreachPersonTags)
      .values(
        rows
          .slice(i, i + 500)
          .map((r) => ({ workspaceId, contactId: r.contactId, tag: r.tag, source: 'rule', ruleId: r.ruleId, evidence: r.evidence })),
      )
      .onConflictDoUpdate({
        target: [outreachPersonTags.workspaceId, outreachPersonTags.contactId, outreachPersonTags.tag, outreachPersonTags.ruleId],
        targetWhere: sql`rule_id is not null`,
        set: { evidence: sql`excluded.evidence` },
      });
  }
}
export async function deleteRuleTags(db: Db, workspaceId: string, rows: { contactId: string; ruleId: string; tag: string }[]) {
  for (const r of rows) {
    await db
      .delete(outreachPersonTags)
      .where(
        and(
          eq(outreachPersonTags.workspaceId, workspaceId),
          eq(outreachPersonTags.contactId, r.contactId),
          eq(outreachPersonTags.ruleId, r.ruleId),
          eq(outreachPersonTags.tag, r.tag),
        ),
      );
  }
}

// ---- rules
export async function listRules(db: Db, workspaceId: string) {
  return db
    .select()
    .from(outreachTagRules)
    .where(eq(outreachTagRules.workspaceId, workspaceId))
    .orderBy(asc(outreachTagRules.createdAt), asc(outreachTagRules.id));
}
export async function findRule(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(outreachTagRules)
    .where(and(eq(outreachTagRules.workspaceId, workspaceId), eq(outreachTagRules.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function insertRule(db: Db, values: typeof outreachTagRules.$inferInsert) {
  const [row] = await db.insert(outreachTagRules).values(values).returning();
  return row;
}
/** The updated rule, or undefined when the stored version was not `expectedVersion`. */
export async function updateRule(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Partial<typeof outreachTagRules.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(outreachTagRules)
    .set({ ...patch, updatedAt: new Date(), version: sql`${outreachTagRules.version} + 1` })
    .where(
      and(
        eq(outreachTagRules.workspaceId, workspaceId),
        eq(outreachTagRules.id, id),
        expectedVersion === undefined ? undefined : eq(outreachTagRules.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function deleteRule(db: Db, workspaceId: string, id: string) {
  await db.delete(outreachTagRules).where(and(eq(outreachTagRules.workspaceId, workspaceId), eq(outreachTagRules.id, id)));
}
export async function markRulesRun(db: Db, workspaceId: string, at: Date) {
  await db
    .update(outreachTagRules)
    .set({ lastRunAt: at })
    .where(and(eq(outreachTagRules.workspaceId, workspaceId), eq(outreachTagRules.enabled, true)));
}

// ---- touches of a person (the portrait)
export async function touchesOf(db: Db, workspaceId: string, contactId: string, limit = 50) {
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({ campaignId: outreachTouches.campaignId, campaignName: campaigns.name, channel: outreachTouches.channel, at: outreachTouches.at })
      .from(outreachTouches)
      .innerJoin(campaigns, and(eq(campaigns.id, outreachTouches.campaignId), eq(campaigns.workspaceId, outreachTouches.workspaceId)))
      .where(and(eq(outreachTouches.workspaceId, workspaceId), eq(outreachTouches.contactId, contactId)))
      .orderBy(desc(outreachTouches.at))
      .limit(limit),
    db
      .select({ n: count() })
      .from(outreachTouches)
      .where(and(eq(outreachTouches.workspaceId, workspaceId), eq(outreachTouches.contactId, contactId))),
  ]);
  return { items: rows, total: Number(n) };
}
