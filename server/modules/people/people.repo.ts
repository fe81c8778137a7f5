// The people module's queries: workspaces, staff users, teams and channel partners. Every query takes the workspace.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Role } from '../../platform/permissions.js';
import { channelPartners, teamMembers, teams, users, workspaces } from './people.table.js';

/** A staff user as other modules and the API see them (never the password hash). */
export const publicUser = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  phone: users.phone,
  skills: users.skills,
  channelPartnerId: users.channelPartnerId,
  managerId: users.managerId,
  active: users.active,
  locale: users.locale,
  createdAt: users.createdAt,
};
export type PublicUser = {
  id: string;
  email: string;
  name: string;
  role: string;
  phone: string | null;
  skills: string[];
  channelPartnerId: string | null;
  managerId: string | null;
  active: boolean;
  locale: string | null;
  createdAt: Date;
};

// ---- workspaces

/** Every workspace's id (nightly jobs run per workspace). */
export async function workspaceIds(db: Db) {
  return (await db.select({ id: workspaces.id }).from(workspaces).orderBy(asc(workspaces.createdAt))).map((w) => w.id);
}

export async function findWorkspace(db: Db, workspaceId: string) {
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return ws;
}

/**
 * Changes the workspace's settings and bumps their version; with `expectedVersion` only if the row still is
 * that version (else undefined: someone saved in between). The ticket counter and suspension do not bump it.
 */
export async function updateWorkspaceRow(db: Db, workspaceId: string, patch: Partial<typeof workspaces.$inferInsert>, expectedVersion?: number) {
  const [after] = await db
    .update(workspaces)
    .set({ ...patch, version: sql`${workspaces.version} + 1` })
    .where(and(eq(workspaces.id, workspaceId), expectedVersion === undefined ? undefined : eq(workspaces.version, expectedVersion)))
    .returning();
  return after;
}

/** The next ticket number of the workspace (a counter on the workspace row, taken in the caller's transaction). */
export async function nextTicketNumber(db: Db, workspaceId: string) {
  const [row] = await db
    .update(workspaces)
    .set({ ticketSeq: sql`${workspaces.ticketSeq} + 1` })
    .where(eq(workspaces.id, workspaceId))
    .returning({ seq: workspaces.ticketSeq });
  return row.seq;
}

// ---- users

export async function usersByIds(db: Db, workspaceId: string, ids: string[]): Promise<PublicUser[]> {
  if (!ids.length) return [];
  return db
    .select(publicUser)
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids)));
}

export async function listUserRows(
  db: Db,
  workspaceId: string,
  q: { role?: Role; roles?: string[]; active?: boolean; partnerId?: string; exceptId?: string; limit?: number } = {},
): Promise<PublicUser[]> {
  const where = [eq(users.workspaceId, workspaceId)];
  if (q.role) where.push(eq(users.role, q.role));
  if (q.roles) where.push(inArray(users.role, q.roles));
  if (q.active !== undefined) where.push(eq(users.active, q.active));
  if (q.partnerId) where.push(eq(users.channelPartnerId, q.partnerId));
  if (q.exceptId) where.push(ne(users.id, q.exceptId));
  const base = db
    .select(publicUser)
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.name));
  return q.limit ? base.limit(q.limit) : base;
}

export async function insertUser(db: Db, values: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(values).returning(publicUser);
  return row;
}

export async function findUserForUpdate(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select(publicUser)
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .for('update');
  return row;
}

export async function updateUserRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof users.$inferInsert>) {
  const [row] = await db
    .update(users)
    .set(patch)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .returning(publicUser);
  return row;
}

// ---- teams

export async function listTeamRows(db: Db, workspaceId: string) {
  return db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.kind), asc(teams.name));
}

export async function membersOfTeams(db: Db, workspaceId: string, teamIds: string[]) {
  if (!teamIds.length) return [];
  return db
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, role: users.role })
    .from(teamMembers)
    .innerJoin(users, and(eq(users.id, teamMembers.userId), eq(users.workspaceId, teamMembers.workspaceId)))
    .where(and(eq(teamMembers.workspaceId, workspaceId), inArray(teamMembers.teamId, teamIds)))
    .orderBy(asc(users.name));
}

export async function findTeam(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, id)));
  return row;
}

export async function findTeamByName(db: Db, workspaceId: string, name: string) {
  const [row] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.name, name)));
  return row;
}

/** Inserts the team unless its name is taken (then undefined). */
export async function insertTeam(db: Db, values: typeof teams.$inferInsert) {
  const [row] = await db.insert(teams).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateTeamRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof teams.$inferInsert>) {
  const [row] = await db
    .update(teams)
    .set(patch)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.id, id)))
    .returning();
  return row;
}

export async function memberIdsOf(db: Db, workspaceId: string, teamId: string) {
  return (
    await db
      .select({ userId: teamMembers.userId })
      .from(teamMembers)
      .where(and(eq(teamMembers.workspaceId, workspaceId), eq(teamMembers.teamId, teamId)))
  ).map((r) => r.userId);
}

export async function replaceMembers(db: Db, workspaceId: string, teamId: string, userIds: string[]) {
  await db.delete(teamMembers).where(and(eq(teamMembers.workspaceId, workspaceId), eq(teamMembers.teamId, teamId)));
  if (userIds.length) await db.insert(teamMembers).values(userIds.map((userId) => ({ workspaceId, teamId, userId })));
}

// ---- channel partners

export async function findChannelPartnerRow(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(channelPartners)
    .where(and(eq(channelPartners.workspaceId, workspaceId), eq(channelPartners.id, id)));
  return row;
}

export async function listPartnerRows(db: Db, workspaceId: string, onlyId?: string) {
  const where = [eq(channelPartners.workspaceId, workspaceId)];
  if (onlyId) where.push(eq(channelPartners.id, onlyId));
  return db
    .select()
    .from(channelPartners)
    .where(and(...where))
    .orderBy(asc(channelPartners.name));
}

export async function findPartnerByName(db: Db, workspaceId: string, name: string) {
  const [row] = await db
    .select({ id: channelPartners.id })
    .from(channelPartners)
    .where(and(eq(channelPartners.workspaceId, workspaceId), eq(channelPartners.name, name)));
  return row;
}

/** Inserts the partner unless its name is taken (then undefined). */
export async function insertPartner(db: Db, values: typeof channelPartners.$inferInsert) {
  const [row] = await db.insert(channelPartners).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updatePartnerRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof channelPartners.$inferInsert>) {
  const [row] = await db
    .update(channelPartners)
    .set(patch)
    .where(and(eq(channelPartners.workspaceId, workspaceId), eq(channelPartners.id, id)))
    .returning();
  return row;
}

/** Every team of the workspace with its members (who may be dispatched to): by team name. */
export async function teamsWithMemberRows(db: Db, workspaceId: string) {
  const rows = await db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.name));
  const members = await db
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, skills: users.skills, active: users.active })
    .from(teamMembers)
    .innerJoin(users, and(eq(users.id, teamMembers.userId), eq(users.workspaceId, teamMembers.workspaceId)))
    .where(eq(teamMembers.workspaceId, workspaceId));
  return rows.map((t) => ({ ...t, members: members.filter((m) => m.teamId === t.id).map(({ teamId: _t, ...m }) => m) }));
}
