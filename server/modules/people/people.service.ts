import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { endSessionsOf, principalChanged, signInEmailTaken } from '../../platform/auth.service.js';
import { announceInvalidation, subscribeAllLive } from '../../platform/live.js';
import { snapshotCache } from '../../platform/snapshots.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import type { Role } from '../../platform/permissions.js';
import { DEFAULT_TIMEZONE } from '../../platform/time.js';
import * as repo from './people.repo.js';

export type TeamKind = 'service_desk' | 'expert' | 'delivery' | 'industry_center';

export async function findChannelPartner(db: Db, workspaceId: string, id: string) {
  return repo.findChannelPartnerRow(db, workspaceId, id);
}

/** Staff users of the workspace by id (public fields only): how other modules learn names, roles and managers. */
export async function usersByIds(db: Db, workspaceId: string, ids: string[]): Promise<repo.PublicUser[]> {
  if (!ids.length) return [];
  const dir = await directoryWith(db, workspaceId, (d) => ids.every((id) => d.users.has(id)));
  return [...new Set(ids)].flatMap((id) => {
    const u = dir.users.get(id);
    return u ? [{ ...u }] : [];
  });
}

/**
 * The workspace's staff directory — every user's public fields, the teams with their members and the channel
 * partners — read by nearly every screen for names, queues and dispatch, changed seldom: a snapshot of at most a
 * minute per workspace (platform/snapshots.ts), dropped on every instance when a user changes (their sessions are
 * told: `sessions`) or a team or partner does (`directory`). Issue 17, point 4: it was 1–6 statements of most requests.
 */
const directories = snapshotCache<Directory>({ maxAgeMs: 60_000, maxEntries: 10_000 });
type Directory = {
  users: Map<string, repo.PublicUser>;
  teams: Awaited<ReturnType<typeof repo.teamsWithMemberRows>>;
  partners: Awaited<ReturnType<typeof repo.listPartnerRows>>;
};
async function directory(db: Db, workspaceId: string, fresh = false): Promise<Directory> {
  const snap = await directories.get(
    `${workspaceId}|`,
    async () => {
      // one after the other: `db` may be a transaction (one connection)
      const users = await repo.listUserRows(db, workspaceId);
      const teams = await repo.teamsWithMemberRows(db, workspaceId);
      const partners = await repo.listPartnerRows(db, workspaceId);
      return { users: new Map(users.map((u) => [u.id, u])), teams, partners };
    },
    { fresh },
  );
  return snap.value;
}
/** The directory, read again once when it lacks what is asked for (someone added since it was read). */
async function directoryWith(db: Db, workspaceId: string, has: (d: Directory) => boolean): Promise<Directory> {
  const dir = await directory(db, workspaceId);
  return has(dir) ? dir : directory(db, workspaceId, true);
}
subscribeAllLive((m) => {
  if (m.topic === 'directory' || m.topic === 'workspace' || (m.topic === 'sessions' && !('idHash' in m.scope)))
    directories.forget(`${m.workspaceId}|`);
});
/** Teams, their members or the channel partners changed: every instance drops the workspace's directory. */
const directoryChanged = (db: Db, workspaceId: string) => announceInvalidation(db, { topic: 'directory', workspaceId, at: new Date().toISOString() });

/** Active users of the workspace with one of the roles (by name), at most `limit`: e.g. a manager to escalate to. */
export async function activeUsersWithRole(db: Db, workspaceId: string, roles: string[], opts: { exceptId?: string; limit?: number } = {}) {
  // the directory keeps the users in the table's order by name, as this query had them
  const found = [...(await directory(db, workspaceId)).users.values()].filter((u) => u.active && roles.includes(u.role) && u.id !== opts.exceptId);
  return (opts.limit ? found.slice(0, opts.limit) : found).map((u) => ({ ...u }));
}

/** The next ticket number of the workspace, taken in the caller's transaction. */
export async function nextTicketNumber(db: Db, workspaceId: string) {
  return repo.nextTicketNumber(db, workspaceId);
}

/** Every team of the workspace with its members (id, name, skills, active), by team name. */
export async function teamsWithMembers(db: Db, workspaceId: string) {
  return (await directory(db, workspaceId)).teams.map((t) => ({ ...t, members: t.members.map((m) => ({ ...m })) }));
}

/** Channel partner names by id. */
export async function partnerNames(db: Db, workspaceId: string, ids: (string | null)[]) {
  const wanted = new Set(ids.filter((x): x is string => !!x));
  if (!wanted.size) return new Map<string, string>();
  const dir = await directoryWith(db, workspaceId, (d) => [...wanted].every((id) => d.partners.some((p) => p.id === id)));
  return new Map(dir.partners.filter((p) => wanted.has(p.id)).map((p) => [p.id, p.name]));
}

/** Every channel partner of the workspace (id, name), by name. */
export async function partnersOf(db: Db, workspaceId: string) {
  return (await repo.listPartnerRows(db, workspaceId)).map((p) => ({ id: p.id, name: p.name }));
}

/** Every staff user of the workspace (public fields), by name. */
export async function usersOf(db: Db, workspaceId: string) {
  return repo.listUserRows(db, workspaceId);
}

/** Team names by id. */
export async function teamNames(db: Db, workspaceId: string, ids: (string | null)[]) {
  const wanted = new Set(ids.filter((x): x is string => !!x));
  if (!wanted.size) return new Map<string, string>();
  const dir = await directoryWith(db, workspaceId, (d) => [...wanted].every((id) => d.teams.some((t) => t.id === id)));
  return new Map(dir.teams.filter((t) => wanted.has(t.id)).map((t) => [t.id, t.name]));
}

/** User names by id (absent ids are left out). */
export async function userNames(db: Db, workspaceId: string, ids: (string | null)[]) {
  return new Map((await usersByIds(db, workspaceId, [...new Set(ids.filter((x): x is string => !!x))])).map((u) => [u.id, u.name]));
}

/** The members of a team (user ids). */
export async function memberIdsOfTeam(db: Db, workspaceId: string, teamId: string) {
  return repo.memberIdsOf(db, workspaceId, teamId);
}

/** The teams the user is a member or the lead of. */
export async function teamIdsOf(db: Db, workspaceId: string, userId: string) {
  const { teams } = await directory(db, workspaceId);
  return teams.filter((t) => t.leadId === userId || t.members.some((m) => m.id === userId)).map((t) => t.id);
}

/** The channel partner's implementers (active or not). */
export async function implementersOf(db: Db, workspaceId: string, partnerId: string) {
  return [...(await directory(db, workspaceId)).users.values()]
    .filter((u) => u.role === 'channel_implementer' && u.channelPartnerId === partnerId)
    .map((u) => ({ ...u }));
}

/** Every workspace's id (the nightly jobs run once per workspace). */
export async function workspaceIds(db: Db) {
  return repo.workspaceIds(db);
}

/** The workspace row (name, time zone, default locale, …); undefined if there is none. */
export async function findWorkspace(db: Db, workspaceId: string) {
  return repo.findWorkspace(db, workspaceId);
}

export async function assertRoleBinding(db: Db, workspaceId: string, role: Role, channelPartnerId: string | null | undefined) {
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

export async function assertManager(db: Db, workspaceId: string, managerId: string | null | undefined, field = 'managerId') {
  if (!managerId) return;
  const [m] = await repo.usersByIds(db, workspaceId, [managerId]);
  if (!m) throw invalid('error.user_not_in_workspace', { field }, [{ field, message: 'unknown user' }]);
}

export async function listUsers(db: Db, actor: Actor, q: { role?: Role; active?: boolean } = {}) {
  assertCan(actor, 'users.read');
  const rows = await repo.listUserRows(db, actor.workspaceId, { role: q.role, active: q.active });
  // a channel implementer works for a partner, not for the vendor: they see who people are (names, roles,
  // to assign and mention), never the vendor's employees' contact details; their own row stays whole
  if (actor.kind === 'staff' && actor.role === 'channel_implementer')
    return rows.map((u) => (u.id === actor.userId ? u : { ...u, email: null, phone: null }));
  return rows;
}

export type UserInput = {
  email: string;
  name: string;
  role: Role;
  password: string;
  phone?: string | null;
  skills?: string[];
  channelPartnerId?: string | null;
  managerId?: string | null;
};

export async function createUser(db: Db, actor: Actor, input: UserInput) {
  assertCan(actor, 'users.manage');
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    if (await signInEmailTaken(tx, actor.workspaceId, input.email))
      throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    await assertRoleBinding(tx, actor.workspaceId, input.role, input.channelPartnerId);
    await assertManager(tx, actor.workspaceId, input.managerId);
    const { password: _pw, ...rest } = input;
    const row = await repo.insertUser(tx, { ...rest, workspaceId: actor.workspaceId, passwordHash });
    await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row.id, after: row });
    return row;
  });
}

export async function updateUser(db: Db, actor: Actor, id: string, patch: Partial<Omit<UserInput, 'password'>> & { active?: boolean }) {
  assertCan(actor, 'users.manage');
  return db.transaction(async (tx) => {
    const before = await repo.findUserForUpdate(tx, actor.workspaceId, id);
    if (!before) throw notFound('user.noun');
    if (id === actor.userId && ((patch.role && patch.role !== before.role) || patch.active === false))
      throw invalid('error.self_deactivate', {}, [{ field: patch.role ? 'role' : 'active', message: 'self' }]);
    if (patch.email && (await signInEmailTaken(tx, actor.workspaceId, patch.email, { staffUserId: id })))
      throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    const role = (patch.role ?? before.role) as Role;
    const partner = patch.channelPartnerId !== undefined ? patch.channelPartnerId : role === 'channel_implementer' ? before.channelPartnerId : null;
    await assertRoleBinding(tx, actor.workspaceId, role, partner);
    await assertManager(tx, actor.workspaceId, patch.managerId);
    const after = await repo.updateUserRow(tx, actor.workspaceId, id, { ...patch, channelPartnerId: partner, updatedAt: new Date() });
    // a role change or deactivation takes effect now, not at the next sign-in
    if (patch.active === false || (patch.role && patch.role !== before.role)) await endSessionsOf(tx, 'staff', id, actor.workspaceId);
    // a new name, language or partner binding: signed-in sessions carry the new one from the next request
    else await principalChanged(tx, actor.workspaceId, 'staff', id);
    await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: id, before, after });
    return after;
  });
}

export async function listTeams(db: Db, actor: Actor) {
  assertCan(actor, 'users.read');
  const rows = await repo.listTeamRows(db, actor.workspaceId);
  const members = await repo.membersOfTeams(
    db,
    actor.workspaceId,
    rows.map((r) => r.id),
  );
  return rows.map((t) => ({ ...t, members: members.filter((m) => m.teamId === t.id).map(({ teamId: _t, ...m }) => m) }));
}

function assertTeamShape(kind: TeamKind, industry: string | null | undefined) {
  if ((kind === 'industry_center') !== !!industry)
    throw invalid('error.center_industry', {}, [{ field: 'industry', message: kind === 'industry_center' ? 'required' : 'not allowed' }]);
}

export async function createTeam(db: Db, actor: Actor, input: { name: string; kind: TeamKind; industry?: string | null; leadId?: string | null }) {
  assertCan(actor, 'teams.manage');
  assertTeamShape(input.kind, input.industry);
  return db.transaction(async (tx) => {
    await assertManager(tx, actor.workspaceId, input.leadId, 'leadId');
    const row = await repo.insertTeam(tx, { ...input, workspaceId: actor.workspaceId });
    if (!row) throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
    await directoryChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'team.create', entityType: 'team', entityId: row.id, after: row });
    return row;
  });
}

export async function updateTeam(db: Db, actor: Actor, id: string, patch: { name?: string; industry?: string | null; leadId?: string | null }) {
  assertCan(actor, 'teams.manage');
  return db.transaction(async (tx) => {
    const before = await repo.findTeam(tx, actor.workspaceId, id);
    if (!before) throw notFound('team.noun');
    if (Object.keys(patch).length === 0) return before;
    assertTeamShape(before.kind as TeamKind, patch.industry !== undefined ? patch.industry : before.industry);
    await assertManager(tx, actor.workspaceId, patch.leadId, 'leadId');
    if (patch.name && patch.name !== before.name) {
      const clash = await repo.findTeamByName(tx, actor.workspaceId, patch.name);
      if (clash) throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    const after = await repo.updateTeamRow(tx, actor.workspaceId, id, patch);
    await directoryChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'team.update', entityType: 'team', entityId: id, before, after });
    return after;
  });
}

export async function setTeamMembers(db: Db, actor: Actor, id: string, userIds: string[]) {
  assertCan(actor, 'teams.manage');
  const unique = [...new Set(userIds)];
  return db.transaction(async (tx) => {
    const team = await repo.findTeam(tx, actor.workspaceId, id);
    if (!team) throw notFound('team.noun');
    const found = await repo.usersByIds(tx, actor.workspaceId, unique);
    if (found.length !== unique.length)
      throw invalid('error.user_not_in_workspace', { field: 'userIds' }, [{ field: 'userIds', message: 'unknown user' }]);
    const before = await repo.memberIdsOf(tx, actor.workspaceId, id);
    await repo.replaceMembers(tx, actor.workspaceId, id, unique);
    await directoryChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, {
      action: 'team.members',
      entityType: 'team',
      entityId: id,
      before: { members: before.sort() },
      after: { members: [...unique].sort() },
    });
    return { teamId: id, userIds: unique };
  });
}

export async function listChannelPartners(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  return repo.listPartnerRows(
    db,
    actor.workspaceId,
    actor.role === 'channel_implementer' && actor.channelPartnerId ? actor.channelPartnerId : undefined,
  );
}

export type PartnerInput = { name: string; region?: string | null; contactName?: string | null; contactPhone?: string | null; active?: boolean };

export async function createChannelPartner(db: Db, actor: Actor, input: PartnerInput) {
  assertCan(actor, 'partners.manage');
  return db.transaction(async (tx) => {
    const row = await repo.insertPartner(tx, { ...input, workspaceId: actor.workspaceId });
    if (!row) throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
    await directoryChanged(tx, actor.workspaceId);
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
      const clash = await repo.findPartnerByName(tx, actor.workspaceId, patch.name);
      if (clash) throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    const after = await repo.updatePartnerRow(tx, actor.workspaceId, id, patch);
    await directoryChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'partner.update', entityType: 'channel_partner', entityId: id, before, after });
    return after;
  });
}

export async function getWorkspace(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  return repo.findWorkspace(db, actor.workspaceId);
}

export async function updateWorkspace(
  db: Db,
  actor: Actor,
  patch: { name?: string; timezone?: string; defaultLocale?: 'zh-CN' | 'en'; customerModel?: 'to_b' | 'to_c' | 'both' },
  expectedVersion?: number,
) {
  assertCan(actor, 'workspace.manage');
  if (patch.timezone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: patch.timezone });
    } catch {
      throw invalid('error.validation', { detail: `timezone: ${patch.timezone}` }, [{ field: 'timezone', message: 'unknown time zone' }]);
    }
  }
  return db.transaction(async (tx) => {
    const before = await repo.findWorkspace(tx, actor.workspaceId);
    const entity = { type: 'workspace', id: actor.workspaceId, noun: 'workspace_settings.noun', actions: ['workspace.update'] };
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    if (Object.keys(patch).length === 0) return before;
    const after = await repo.updateWorkspaceRow(tx, actor.workspaceId, patch, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    // every instance reads the zone and the default language anew (caches of them: workspaceTimeZone, the sessions)
    await announceInvalidation(tx, { topic: 'workspace', workspaceId: actor.workspaceId, at: new Date().toISOString() });
    await recordAudit(tx, actor, { action: 'workspace.update', entityType: 'workspace', entityId: actor.workspaceId, before, after });
    return after;
  });
}

/**
 * The workspace's time zone (periods, business days and dates people read are computed in it). Read on most
 * requests, changed almost never: kept per workspace for at most ZONE_CACHE_MS, dropped at once on every
 * instance when the workspace's settings change (updateWorkspace announces it).
 */
export async function workspaceTimeZone(db: Db, workspaceId: string): Promise<string> {
  const hit = zoneCache.get(workspaceId);
  const now = Date.now();
  if (hit && now - hit.at < ZONE_CACHE_MS && now >= hit.at) return hit.zone;
  const zone = (await repo.findWorkspace(db, workspaceId))?.timezone ?? DEFAULT_TIMEZONE;
  if (zoneCache.size >= 10_000) zoneCache.clear();
  zoneCache.set(workspaceId, { zone, at: now });
  return zone;
}
const ZONE_CACHE_MS = 60_000;
const zoneCache = new Map<string, { zone: string; at: number }>();
subscribeAllLive((m) => {
  if (m.topic === 'workspace') zoneCache.delete(m.workspaceId);
});
