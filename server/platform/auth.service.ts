import crypto from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { ts, type Db } from '../db/client.js';
import { sessions, loginThrottle } from './platform.table.js';
import { users, workspaces } from '../modules/people/people.table.js';
import { keyPersonLogins, accounts, contacts } from '../modules/accounts/accounts.table.js';
import { AppError } from './errors.js';
import { dummyHash, hashPassword, isStrongPassword, verifyPassword } from './passwords.js';
import { pickLocale } from './i18n.js';
import type { Actor, KeyPersonActor, StaffActor } from './actor.js';
import { permissionsOf, type Role } from './permissions.js';
import { recordAudit } from './audit.js';
import { announceInvalidation, subscribeAllLive } from './live.js';
import { snapshotCache } from './snapshots.js';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;
const LOCK_MS = 15 * 60 * 1000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export type PrincipalKind = 'staff' | 'key_person';

/**
 * Is the address already someone's sign-in in this workspace (a staff user's or a key person's)? An address
 * is unique per workspace: other workspaces are never consulted, so a tenant cannot learn who works at
 * another. The one rule behind creating users, key-person logins and portal invitations.
 */
export async function signInEmailTaken(db: Db, workspaceId: string, email: string, except?: { staffUserId?: string }) {
  const e = email.trim().toLowerCase();
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.workspaceId, workspaceId),
        sql`lower(${users.email}) = ${e}`,
        except?.staffUserId ? sql`${users.id} <> ${except.staffUserId}` : undefined,
      ),
    )
    .limit(1);
  if (u) return true;
  const [k] = await db
    .select({ id: keyPersonLogins.id })
    .from(keyPersonLogins)
    .where(and(eq(keyPersonLogins.workspaceId, workspaceId), sql`lower(${keyPersonLogins.email}) = ${e}`))
    .limit(1);
  return !!k;
}

async function assertNotThrottled(db: Db, key: string, now: Date) {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
  if (row?.lockedUntil && row.lockedUntil > now) {
    const minutes = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 60000);
    throw new AppError('rate_limited', 'error.login_throttled', { minutes });
  }
}

async function recordFailure(db: Db, key: string, now: Date, max = MAX_FAILURES) {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStart} < ${ts(windowStart)} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStart: sql`case when ${loginThrottle.windowStart} < ${ts(windowStart)} then ${ts(now)} else ${loginThrottle.windowStart} end`,
        lockedUntil: sql`case when ${loginThrottle.windowStart} >= ${ts(windowStart)} and ${loginThrottle.failures} + 1 >= ${max} then ${ts(new Date(now.getTime() + LOCK_MS))} else null end`,
      },
    });
}

/**
 * Password spraying: many addresses tried from one client. Past this many failures in the window from
 * one client address (any emails), that address is locked out for LOCK_MS; other clients are not
 * (behind a proxy, `TRUST_PROXY` makes the client's own address the one counted).
 */
export const IP_MAX_FAILURES = 20;

type Principal = {
  id: string;
  workspaceId: string;
  passwordHash: string;
  active: boolean;
  workspaceActive: boolean;
  workspaceSlug: string;
  workspaceName: string;
};

async function principalsOf(db: Db, kind: PrincipalKind, email: string, workspace?: string): Promise<Principal[]> {
  const t = kind === 'staff' ? users : keyPersonLogins;
  const where = [sql`lower(${t.email}) = ${email}`];
  if (workspace) where.push(eq(workspaces.slug, workspace.trim().toLowerCase()));
  return db
    .select({
      id: t.id,
      workspaceId: t.workspaceId,
      passwordHash: t.passwordHash,
      active: t.active,
      workspaceActive: sql<boolean>`${workspaces.status} = 'active'`,
      workspaceSlug: workspaces.slug,
      workspaceName: workspaces.name,
    })
    .from(t)
    .innerJoin(workspaces, eq(workspaces.id, t.workspaceId))
    .where(and(...where));
}

/**
 * Password login for staff or key persons. An address is unique per workspace, so it may belong to
 * people of several workspaces: the password picks the one (a second match asks for the workspace's
 * code). Unknown email and wrong password get the same reply and take the same time (a dummy hash is
 * verified); failures are counted per email + client address and per client address alone (spraying),
 * and written to the audit trail of the workspaces whose people were tried.
 */
export async function login(
  db: Db,
  input: { kind: PrincipalKind; email: string; password: string; ip: string; workspace?: string; now?: Date },
): Promise<{ sessionId: string; csrfToken: string; actor: Actor }> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const key = `${input.kind}:${email}:${input.ip}`;
  const ipKey = `ip:${input.ip}`;
  await assertNotThrottled(db, ipKey, now);
  await assertNotThrottled(db, key, now);

  const candidates = await principalsOf(db, input.kind, email, input.workspace);
  const matched: Principal[] = [];
  if (!candidates.length) await verifyPassword(input.password, await dummyHash());
  for (const c of candidates) if (await verifyPassword(input.password, c.passwordHash)) matched.push(c);
  const usable = matched.filter((m) => m.active && m.workspaceActive);
  if (usable.length !== 1) {
    if (usable.length > 1) {
      throw new AppError('invalid', 'error.choose_workspace', { choices: usable.map((u) => `${u.workspaceName} (${u.workspaceSlug})`).join('、') }, [
        { field: 'workspace', message: 'required' },
      ]);
    }
    await db.transaction(async (tx) => {
      await recordFailure(tx, key, now);
      await recordFailure(tx, ipKey, now, IP_MAX_FAILURES);
      for (const c of candidates) {
        await recordAudit(
          tx,
          { kind: 'system', workspaceId: c.workspaceId },
          {
            action: 'login.failed',
            entityType: input.kind === 'staff' ? 'user' : 'key_person',
            entityId: c.id,
            after: { ip: input.ip, reason: !matched.includes(c) ? 'password' : !c.active ? 'deactivated' : 'workspace_suspended' },
          },
        );
      }
    });
    if (matched.length && !matched.some((m) => m.workspaceActive)) throw new AppError('unauthenticated', 'error.workspace_suspended');
    throw new AppError('unauthenticated', 'error.login_failed');
  }
  const principal = usable[0];
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
  return startSession(db, input.kind, principal.id, principal.workspaceId, now, 'login');
}

/** A new session for a principal who proved who they are (password, invitation, single sign-on). */
export async function startSession(
  db: Db,
  kind: PrincipalKind,
  principalId: string,
  workspaceId: string,
  now = new Date(),
  how: 'login' | 'sso' | 'invite' | 'setup' = 'login',
): Promise<{ sessionId: string; csrfToken: string; actor: Actor }> {
  // a fresh random id at every login; only its hash is stored
  const sessionId = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db.insert(sessions).values({
    idHash: sha256(sessionId),
    workspaceId,
    principalKind: kind,
    principalId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
  });
  const actor = actorOf((await principalFor(db, kind, principalId, workspaceId))!);
  await recordAudit(db, actor, {
    action: how === 'login' ? 'login' : `login.${how}`,
    entityType: kind === 'staff' ? 'user' : 'key_person',
    entityId: principalId,
  });
  return { sessionId, csrfToken, actor };
}

/**
 * The principal behind a session, without the request's language: what the session cache keeps. `actorOf`
 * picks the actor's language per request (the person's own, else — for staff without an Accept-Language — the
 * workspace's default).
 */
type SignedIn = { base: Omit<StaffActor, 'locale'> | Omit<KeyPersonActor, 'locale'>; own: string | null; workspaceDefault: string | null };

function actorOf(p: SignedIn, acceptLanguage?: string): Actor {
  const locale =
    p.base.kind === 'staff'
      ? pickLocale(p.own ?? (acceptLanguage ? undefined : p.workspaceDefault), acceptLanguage)
      : pickLocale(p.own, acceptLanguage);
  return { ...p.base, locale } as Actor;
}

/** The principal of a session, in the session's workspace (every lookup carries it: one shard in a distributed database). */
async function principalFor(db: Db, kind: PrincipalKind, id: string, workspaceId: string): Promise<SignedIn | null> {
  if (kind === 'staff') {
    // the user and the workspace's language together
    const [r] = await db
      .select({
        id: users.id,
        workspaceId: users.workspaceId,
        name: users.name,
        role: users.role,
        channelPartnerId: users.channelPartnerId,
        locale: users.locale,
        loc: workspaces.defaultLocale,
      })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id), eq(users.active, true), eq(workspaces.status, 'active')));
    if (!r) return null;
    return {
      base: { kind: 'staff', workspaceId: r.workspaceId, userId: r.id, name: r.name, role: r.role as Role, channelPartnerId: r.channelPartnerId },
      own: r.locale,
      workspaceDefault: r.loc,
    };
  }
  const [k] = await db
    .select({ kp: keyPersonLogins, name: contacts.name })
    .from(keyPersonLogins)
    .innerJoin(contacts, and(eq(contacts.id, keyPersonLogins.contactId), eq(contacts.workspaceId, keyPersonLogins.workspaceId)))
    .innerJoin(accounts, and(eq(accounts.id, keyPersonLogins.accountId), eq(accounts.workspaceId, keyPersonLogins.workspaceId)))
    .innerJoin(workspaces, eq(workspaces.id, keyPersonLogins.workspaceId))
    .where(
      and(
        eq(keyPersonLogins.workspaceId, workspaceId),
        eq(keyPersonLogins.id, id),
        eq(keyPersonLogins.active, true),
        eq(workspaces.status, 'active'),
      ),
    );
  if (!k) return null;
  return {
    base: {
      kind: 'key_person',
      workspaceId: k.kp.workspaceId,
      keyPersonId: k.kp.id,
      accountId: k.kp.accountId,
      contactId: k.kp.contactId,
      name: k.name,
    },
    own: k.kp.locale,
    workspaceDefault: null,
  };
}

/**
 * The session cache (issue 17, point 4): every request resolves its cookie, and reading the session and its
 * principal was two queries on every request. A resolved session is kept here for at most SESSION_CACHE_MS.
 * Whatever ends or changes a session or a principal forgets it here at once (logout, ending a person's or a
 * workspace's sessions, a language change), and — on PostgreSQL, where several instances may serve — tells
 * every instance through the live bus (NOTIFY in the same transaction, so it arrives after the commit and
 * also corrects a read that refilled the cache between the forget and the commit). What no code path
 * announces (a renamed contact behind a key person) is at most SESSION_CACHE_MS old.
 */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_MAX = 20_000;
type CachedSession = {
  at: number;
  idHash: string;
  kind: PrincipalKind;
  principalId: string;
  workspaceId: string;
  csrfToken: string;
  lastSeenAt: number;
  expiresAt: number;
  principal: SignedIn;
};
const sessionCache = new Map<string, CachedSession>();

export type SessionScope = { idHash: string } | { kind: PrincipalKind; principalId: string } | { workspaceId: string };

/** Drops the cached sessions a scope names, on this instance. */
export function forgetSessions(scope: SessionScope) {
  if ('idHash' in scope) {
    sessionCache.delete(scope.idHash);
    return;
  }
  for (const [k, v] of sessionCache) {
    if ('workspaceId' in scope ? v.workspaceId === scope.workspaceId : v.kind === scope.kind && v.principalId === scope.principalId) {
      sessionCache.delete(k);
    }
  }
}

/** Forgets on this instance now and, through the live bus, on every instance once `db`'s transaction commits. */
async function announceForget(db: Db, workspaceId: string | null, scope: SessionScope) {
  forgetSessions(scope);
  if (workspaceId) await announceInvalidation(db, { topic: 'sessions', workspaceId, scope, at: new Date().toISOString() });
}

subscribeAllLive((m) => {
  if (m.topic === 'sessions') forgetSessions(m.scope);
  // the workspace's default language is part of its people's actors
  else if (m.topic === 'workspace') forgetSessions({ workspaceId: m.workspaceId });
});

/** Resolves a cookie's session id to its actor, sliding the idle expiry. */
export async function resolveSession(
  db: Db,
  sessionId: string,
  acceptLanguage?: string,
  now = new Date(),
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const idHash = sha256(sessionId);
  const t = now.getTime();
  let c = sessionCache.get(idHash);
  if (c && (t - c.at > SESSION_CACHE_MS || t < c.at)) {
    sessionCache.delete(idHash);
    c = undefined;
  }
  if (!c) {
    const at = Date.now();
    const [s] = await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
    if (!s) return null;
    const principal = await principalFor(db, s.principalKind as PrincipalKind, s.principalId, s.workspaceId);
    if (!principal) return null;
    c = {
      at,
      idHash,
      kind: s.principalKind as PrincipalKind,
      principalId: s.principalId,
      workspaceId: s.workspaceId,
      csrfToken: s.csrfToken,
      lastSeenAt: s.lastSeenAt.getTime(),
      expiresAt: s.expiresAt.getTime(),
      principal,
    };
    if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.delete(sessionCache.keys().next().value as string);
    sessionCache.set(idHash, c);
  }
  if (c.expiresAt <= t) {
    sessionCache.delete(idHash);
    return null;
  }
  if (t - c.lastSeenAt > 60_000) {
    const expiresAt = new Date(t + SESSION_IDLE_MS);
    await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.idHash, idHash));
    c.lastSeenAt = t;
    c.expiresAt = expiresAt.getTime();
  }
  return { actor: actorOf(c.principal, acceptLanguage), csrfToken: c.csrfToken };
}

export async function logout(db: Db, sessionId: string) {
  const idHash = sha256(sessionId);
  const [gone] = await db.delete(sessions).where(eq(sessions.idHash, idHash)).returning({ workspaceId: sessions.workspaceId });
  await announceForget(db, gone?.workspaceId ?? null, { idHash });
}

/** Ends every session of a principal (password change, deactivation, a new role). */
export async function endSessionsOf(db: Db, kind: PrincipalKind, principalId: string, workspaceId?: string) {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.principalKind, kind), eq(sessions.principalId, principalId)))
    .returning({ workspaceId: sessions.workspaceId });
  await announceForget(db, workspaceId ?? gone[0]?.workspaceId ?? null, { kind, principalId });
}

/** Ends every session in a workspace (the operator suspends it). */
export async function endSessionsOfWorkspace(db: Db, workspaceId: string) {
  await db.delete(sessions).where(eq(sessions.workspaceId, workspaceId));
  await announceForget(db, workspaceId, { workspaceId });
}

/** A change to what a person's actor carries (name, language) that does not end their sessions. */
export async function principalChanged(db: Db, workspaceId: string, kind: PrincipalKind, principalId: string) {
  await announceForget(db, workspaceId, { kind, principalId });
}

export async function changePassword(db: Db, actor: Actor, input: { currentPassword: string; newPassword: string }) {
  const table = actor.kind === 'staff' ? users : keyPersonLogins;
  const id = actor.kind === 'staff' ? actor.userId : actor.keyPersonId;
  const [row] = await db
    .select({ hash: table.passwordHash })
    .from(table)
    .where(and(eq(table.workspaceId, actor.workspaceId), eq(table.id, id)));
  if (!row || !(await verifyPassword(input.currentPassword, row.hash))) {
    throw new AppError('invalid', 'error.wrong_password', {}, [{ field: 'currentPassword', message: 'wrong' }]);
  }
  if (!isStrongPassword(input.newPassword)) {
    throw new AppError('invalid', 'error.weak_password', {}, [{ field: 'newPassword', message: 'weak' }]);
  }
  const hash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(table).set({ passwordHash: hash }).where(eq(table.id, id));
    await endSessionsOf(tx, actor.kind, id, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'password.change', entityType: actor.kind === 'staff' ? 'user' : 'key_person', entityId: id });
  });
}

export async function setLocale(db: Db, actor: Actor, locale: 'zh-CN' | 'en') {
  if (actor.kind === 'staff')
    await db
      .update(users)
      .set({ locale })
      .where(and(eq(users.workspaceId, actor.workspaceId), eq(users.id, actor.userId)));
  else
    await db
      .update(keyPersonLogins)
      .set({ locale })
      .where(and(eq(keyPersonLogins.workspaceId, actor.workspaceId), eq(keyPersonLogins.id, actor.keyPersonId)));
  await principalChanged(db, actor.workspaceId, actor.kind, actor.kind === 'staff' ? actor.userId : actor.keyPersonId);
}

/** Who is signed in, as the console and portal need it: role, permissions, workspace, the key person's account. */
/**
 * The workspace as the profile shows it (name, customer model, currency, zone): every console start and every
 * `/api/auth/me` read it, its settings change seldom — kept ≤ 1 minute per workspace and dropped on every instance
 * when they are saved (`workspace`, announced by the settings' save), like the sessions above.
 */
const profileWorkspaces = snapshotCache<{ id: string; name: string; customerModel: string; currency: string; timezone: string }>({
  maxAgeMs: 60_000,
  maxEntries: 10_000,
});
subscribeAllLive((m) => {
  if (m.topic === 'workspace') profileWorkspaces.forget(`${m.workspaceId}|`);
});

export async function profileOf(db: Db, a: Actor, csrfToken: string) {
  const { value: ws } = await profileWorkspaces.get(`${a.workspaceId}|`, async () => {
    const [row] = await db
      .select({
        id: workspaces.id,
        name: workspaces.name,
        customerModel: workspaces.customerModel,
        currency: workspaces.currency,
        timezone: workspaces.timezone,
      })
      .from(workspaces)
      .where(eq(workspaces.id, a.workspaceId));
    return row;
  });
  let account: { id: string; name: string } | null = null;
  if (a.kind === 'key_person') {
    const [acc] = await db
      .select({ id: accounts.id, name: accounts.name })
      .from(accounts)
      .where(and(eq(accounts.workspaceId, a.workspaceId), eq(accounts.id, a.accountId)));
    account = acc ?? null;
  }
  return {
    kind: a.kind,
    id: a.kind === 'staff' ? a.userId : a.keyPersonId,
    name: a.name,
    role: a.kind === 'staff' ? a.role : null,
    locale: a.locale,
    permissions: a.kind === 'staff' ? permissionsOf(a.role) : [],
    workspace: { id: ws.id, name: ws.name, customerModel: ws.customerModel, currency: ws.currency, timezone: ws.timezone },
    account,
    csrfToken,
  };
}
