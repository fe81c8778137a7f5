import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { endSessionsOf } from '../../platform/auth.service.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import type { Role } from '../../platform/permissions.js';
import { DEFAULT_TIMEZONE } from '../../platform/time.js';
import { channelPartners, teamMembers, teams, users, workspaces } from './people.table.js';

export type TeamKind = 'service_desk' | 'expert' | 'delivery' | 'industry_center';

const publicUser = {
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

export async function findChannelPartner(db: Db, workspaceId: string, id: string) {
  const [row] = await db.select().from(channelPartners).where(and(eq(channelPartners.workspaceId, workspaceId), eq(channelPartners.id, id)));
  return row;
}

async function emailTaken(db: Db, email: string, exceptUserId?: string) {
  const r = await queryRows(db, 
    sql`select id from users where lower(email) = ${email.toLowerCase()} ${exceptUserId ? sql`and id <> ${exceptUserId}` : sql``}
        union all select id from key_person_logins where lower(email) = ${email.toLowerCase()}`,
  );
  return r.length > 0;
}

async function assertRoleBinding(db: Db, workspaceId: string, role: Role, channelPartnerId: string | null | undefined) {
  if (role === 'channel_implementer') {
    if (!channelPartnerId) throw invalid('error.channel_required', {}, [{ field: 'channelPartnerId', message: 'required' }]);
    // a reference in the body to a partner that is not ours is a bad input (400, field named), not a missing resource
    if (!(await findChannelPartner(db, workspaceId, channelPartnerId))) {
      throw invalid('error.not_found', { what: 'partner.noun' }, [{ field: 'channelPartnerId', message: 'unknown channel partner' }]);
    }
  } else if (channelPartnerId) {
    throw invalid('error.channel_only_implementer', {}, [{ field: 'channelPartnerId', message: 'only for channel implementers' }]);
  }
}

async function assertManager(db: Db, workspaceId: string, managerId: string | null | undefined, field = 'managerId') {
  if (!managerId) return;
  const [m] = await db.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, workspaceId), eq(users.id, managerId)));
  if (!m) throw invalid('error.user_not_in_workspace', { field }, [{ field, message: 'unknown user' }]);
}

export async function listUsers(db: Db, actor: Actor, q: { role?: Role; active?: boolean } = {}) {
  assertCan(actor, 'users.read');
  const where = [eq(users.workspaceId, actor.workspaceId)];
  if (q.role) where.push(eq(users.role, q.role));
  if (q.active !== undefined) where.push(eq(users.active, q.active));
  return db.select(publicUser).from(users).where(and(...where)).orderBy(asc(users.name));
}

export type UserInput = { email: string; name: string; role: Role; password: string; phone?: string | null; skills?: string[]; channelPartnerId?: string | null; managerId?: string | null };

export async function createUser(db: Db, actor: Actor, input: UserInput) {
  assertCan(actor, 'users.manage');
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (await emailTaken(tx, input.email)) throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    await assertRoleBinding(tx, actor.workspaceId, input.role, input.channelPartnerId);
    await assertManager(tx, actor.workspaceId, input.managerId);
    const { password: _pw, ...rest } = input;
    const [row] = await tx.insert(users).values({ ...rest, workspaceId: actor.workspaceId, passwordHash }).returning(publicUser);
    await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row.id, after: row });
    return row;
  });
}

export async function updateUser(db: Db, actor: Actor, id: string, patch: Partial<Omit<UserInput, 'password'>> & { active?: boolean }) {
  assertCan(actor, 'users.manage');
  return db.transaction(async (tx) => {
    const [before] = await tx.select(publicUser).from(users).where(and(eq(users.workspaceId, actor.workspaceId), eq(users.id, id))).for('update');
    if (!before) throw notFound('user.noun');
    if (id === actor.userId && ((patch.role && patch.role !== before.role) || patch.active === false)) throw invalid('error.self_deactivate', {}, [{ field: patch.role ? 'role' : 'active', message: 'self' }]);
    if (patch.email && (await emailTaken(tx, patch.email, id))) throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    const role = (patch.role ?? before.role) as Role;
    const partner = patch.channelPartnerId !== undefined ? patch.channelPartnerId : role === 'channel_implementer' ? before.channelPartnerId : null;
    await assertRoleBinding(tx, actor.workspaceId, role, partner);
    await assertManager(tx, actor.workspaceId, patch.managerId);
    const [after] = await tx
      .update(users)
      .set({ ...patch, channelPartnerId: partner, updatedAt: new Date() })
      .where(and(eq(users.workspaceId, actor.workspaceId), eq(users.id, id)))
      .returning(publicUser);
    // a role change or deactivation takes effect now, not at the next sign-in
    if (patch.active === false || (patch.role && patch.role !== before.role)) await endSessionsOf(tx, 'staff', id);
    await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: id, before, after });
    return after;
  });
}

export async function listTeams(db: Db, actor: Actor) {
  assertCan(actor, 'users.read');
  const rows = await db.select().from(teams).where(eq(teams.workspaceId, actor.workspaceId)).orderBy(asc(teams.kind), asc(teams.name));
  const members = rows.length
    ? await db
        .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, role: users.role })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.workspaceId, actor.workspaceId), inArray(teamMembers.teamId, rows.map((r) => r.id))))
        .orderBy(asc(users.name))
    : [];
  return rows.map((t) => ({ ...t, members: members.filter((m) => m.teamId === t.id).map(({ teamId: _t, ...m }) => m) }));
}

function assertTeamShape(kind: TeamKind, industry: string | null | undefined) {
  if ((kind === 'industry_center') !== !!industry) throw invalid('error.center_industry', {}, [{ field: 'industry', message: kind === 'industry_center' ? 'required' : 'not allowed' }]);
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; kind: TeamKind; industry?: string | null; leadId?: string | null }) {
  assertCan(actor, 'teams.manage');
  assertTeamShape(input.kind, input.industry);
  return db.transaction(async (tx) => {
    await assertManager(tx, actor.workspaceId, input.leadId, 'leadId');
    const [row] = await tx.insert(teams).values({ ...input, workspaceId: actor.workspaceId }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
    await recordAudit(tx, actor, { action: 'team.create', entityType: 'team', entityId: row.id, after: row });
    return row;
  });
}

export async function updateTeam(db: Db, actor: Actor, id: string, patch: { name?: string; industry?: string | null; leadId?: string | null }) {
  assertCan(actor, 'teams.manage');
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, id)));
    if (!before) throw notFound('team.noun');
    if (Object.keys(patch).length === 0) return before;
    assertTeamShape(before.kind as TeamKind, patch.industry !== undefined ? patch.industry : before.industry);
    await assertManager(tx, actor.workspaceId, patch.leadId, 'leadId');
    if (patch.name && patch.name !== before.name) {
      const [clash] = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.name, patch.name)));
      if (clash) throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    const [after] = await tx.update(teams).set(patch).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, id))).returning();
    await recordAudit(tx, actor, { action: 'team.update', entityType: 'team', entityId: id, before, after });
    return after;
  });
}

export async function setTeamMembers(db: Db, actor: Actor, id: string, userIds: string[]) {
  assertCan(actor, 'teams.manage');
  const unique = [...new Set(userIds)];
  return db.transaction(async (tx) => {
    const [team] = await tx.select().from(teams).where(and(eq(teams.workspaceId, actor.workspaceId), eq(teams.id, id)));
    if (!team) throw notFound('team.noun');
    const found = unique.length ? await tx.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, actor.workspaceId), inArray(users.id, unique))) : [];
    if (found.length !== unique.length) throw invalid('error.user_not_in_workspace', { field: 'userIds' }, [{ field: 'userIds', message: 'unknown user' }]);
    const before = await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, id));
    await tx.delete(teamMembers).where(eq(teamMembers.teamId, id));
    if (unique.length) await tx.insert(teamMembers).values(unique.map((userId) => ({ workspaceId: actor.workspaceId, teamId: id, userId })));
    await recordAudit(tx, actor, { action: 'team.members', entityType: 'team', entityId: id, before: { members: before.map((b) => b.userId).sort() }, after: { members: [...unique].sort() } });
    return { teamId: id, userIds: unique };
  });
}

export async function listChannelPartners(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  const where = [eq(channelPartners.workspaceId, actor.workspaceId)];
  if (actor.role === 'channel_implementer' && actor.channelPartnerId) where.push(eq(channelPartners.id, actor.channelPartnerId));
  return db.select().from(channelPartners).where(and(...where)).orderBy(asc(channelPartners.name));
}

export type PartnerInput = { name: string; region?: string | null; contactName?: string | null; contactPhone?: string | null; active?: boolean };

export async function createChannelPartner(db: Db, actor: Actor, input: PartnerInput) {
  assertCan(actor, 'partners.manage');
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(channelPartners).values({ ...input, workspaceId: actor.workspaceId }).onConflictDoNothing().returning();
    if (!row) throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
    await recordAudit(tx, actor, { action: 'partner.create', entityType: 'channel_partner', entityId: row.id, after: row });
    return row;
  });
}

export async function updateChannelPartner(db: Db, actor: Actor, id: string, patch: Partial<PartnerInput>) {
  assertCan(actor, 'partners.manage');
  return db.transaction(async (tx) => {
    const before = await findChannelPartner(tx, actor.workspaceId, id);
    if (!before) throw notFound('partner.noun');
    if (Object.keys(patch).length === 0) return before;
    if (patch.name && patch.name !== before.name) {
      const [clash] = await tx.select({ id: channelPartners.id }).from(channelPartners).where(and(eq(channelPartners.workspaceId, actor.workspaceId), eq(channelPartners.name, patch.name)));
      if (clash) throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    const [after] = await tx.update(channelPartners).set(patch).where(and(eq(channelPartners.workspaceId, actor.workspaceId), eq(channelPartners.id, id))).returning();
    await recordAudit(tx, actor, { action: 'partner.update', entityType: 'channel_partner', entityId: id, before, after });
    return after;
  });
}

export async function getWorkspace(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId));
  return ws;
}

export async function updateWorkspace(db: Db, actor: Actor, patch: { name?: string; timezone?: string; defaultLocale?: 'zh-CN' | 'en'; customerModel?: 'to_b' | 'to_c' | 'both' }) {
  assertCan(actor, 'workspace.manage');
  if (patch.timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: patch.timezone });
    } catch {
      throw invalid('error.validation', { detail: `timezone: ${patch.timezone}` }, [{ field: 'timezone', message: 'unknown time zone' }]);
    }
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(workspaces).where(eq(workspaces.id, actor.workspaceId));
    if (Object.keys(patch).length === 0) return before;
    const [after] = await tx.update(workspaces).set(patch).where(eq(workspaces.id, actor.workspaceId)).returning();
    await recordAudit(tx, actor, { action: 'workspace.update', entityType: 'workspace', entityId: actor.workspaceId, before, after });
    return after;
  });
}

/** The workspace's time zone (periods, business days and dates people read are computed in it). */
export async function workspaceTimeZone(db: Db, workspaceId: string): Promise<string> {
  const [ws] = await db.select({ timezone: workspaces.timezone }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return ws?.timezone ?? DEFAULT_TIMEZONE;
}
