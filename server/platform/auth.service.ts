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
  const actor = (await actorFor(db, kind, principalId, workspaceId))!;
  await recordAudit(db, actor, {
    action: how === 'login' ? 'login' : `login.${how}`,
    entityType: kind === 'staff' ? 'user' : 'key_person',
    entityId: principalId,
  });
  return { sessionId, csrfToken, actor };
}

/** The principal of a session, in the session's workspace (every lookup carries it: one shard in a distributed database). */
async function actorFor(db: Db, kind: PrincipalKind, id: string, workspaceId: string, acceptLanguage?: string): Promise<Actor | null> {
  if (kind === 'staff') {
    // one query on every request: the user and the workspace's language together
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
    const u = r;
    const ws = { loc: r.loc };
    const a: StaffActor = {
      kind: 'staff',
      workspaceId: u.workspaceId,
      userId: u.id,
      name: u.name,
      role: u.role as Role,
      channelPartnerId: u.channelPartnerId,
      locale: pickLocale(u.locale ?? (acceptLanguage ? undefined : ws?.loc), acceptLanguage),
    };
    return a;
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
  const a: KeyPersonActor = {
    kind: 'key_person',
    workspaceId: k.kp.workspaceId,
    keyPersonId: k.kp.id,
    accountId: k.kp.accountId,
    contactId: k.kp.contactId,
    name: k.name,
    locale: pickLocale(k.kp.locale, acceptLanguage),
  };
  return a;
}

/** Resolves a cookie's session id to its actor, sliding the idle expiry. */
export async function resolveSession(
  db: Db,
  sessionId: string,
  acceptLanguage?: string,
  now = new Date(),
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const idHash = sha256(sessionId);
  const [s] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
  if (!s) return null;
  const actor = await actorFor(db, s.principalKind as PrincipalKind, s.principalId, s.workspaceId, acceptLanguage);
  if (!actor) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) })
      .where(eq(sessions.idHash, idHash));
  }
  return { actor, csrfToken: s.csrfToken };
}

export async function logout(db: Db, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(sessionId)));
}

/** Ends every session of a principal (password change, deactivation). */
export async function endSessionsOf(db: Db, kind: PrincipalKind, principalId: string) {
  await db.delete(sessions).where(and(eq(sessions.principalKind, kind), eq(sessions.principalId, principalId)));
}

/** Ends every session in a workspace (the operator suspends it). */
export async function endSessionsOfWorkspace(db: Db, workspaceId: string) {
  await db.delete(sessions).where(eq(sessions.workspaceId, workspaceId));
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
    await endSessionsOf(tx, actor.kind, id);
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
}

/** Who is signed in, as the console and portal need it: role, permissions, workspace, the key person's account. */
export async function profileOf(db: Db, a: Actor, csrfToken: string) {
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, a.workspaceId));
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
