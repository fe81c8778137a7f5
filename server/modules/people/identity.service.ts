// Going live: the first workspace and admin (setup page or `npm run setup`), more workspaces (the
// operator's command), staff invitations and password resets by one-time link.
import crypto from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { endSessionsOf, endSessionsOfWorkspace } from '../../platform/auth.service.js';
import { AppError, invalid, notFound, unwrap } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import type { Role } from '../../platform/permissions.js';
import {
  STAFF_INVITE_TTL_MS,
  STAFF_RESET_THROTTLE_MS,
  STAFF_RESET_TTL_MS,
  staffLinkMail,
  staffTokenState,
  validTimezone,
  workspaceSlug,
} from './identity.domain.js';
import { signInEmailTaken } from '../../platform/auth.service.js';
import { publicUser } from './people.repo.js';
import { assertManager, assertRoleBinding } from './people.service.js';
import { staffTokens, users, workspaces } from './people.table.js';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
/** The hash of an invited person who has not chosen a password yet: no password verifies against it. */
const NO_PASSWORD = 'invited$no-password';

export type WorkspaceInput = {
  name: string;
  slug?: string;
  timezone: string;
  currency: string;
  locale: 'zh-CN' | 'en';
  customerModel: 'to_b' | 'to_c' | 'both';
};
export type FirstAdmin = { name: string; email: string; password?: string };

/** True while the installation has no workspace at all: the setup page is offered then, and only then. */
export async function setupNeeded(db: Db): Promise<boolean> {
  const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from workspaces`);
  return r.n === 0;
}

async function issueStaffToken(tx: Db, u: { id: string; workspaceId: string }, purpose: 'invite' | 'reset', now: Date) {
  const token = crypto.randomBytes(32).toString('base64url');
  // an earlier unused link of the same purpose stops working: only the newest mail counts
  await tx
    .update(staffTokens)
    .set({ usedAt: now })
    .where(and(eq(staffTokens.userId, u.id), eq(staffTokens.purpose, purpose), isNull(staffTokens.usedAt)));
  await tx.insert(staffTokens).values({
    workspaceId: u.workspaceId,
    userId: u.id,
    purpose,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + (purpose === 'invite' ? STAFF_INVITE_TTL_MS : STAFF_RESET_TTL_MS)),
    createdAt: now,
  });
  return token;
}

const linkUrl = (publicUrl: string, purpose: 'invite' | 'reset', token: string) =>
  `${publicUrl.replace(/\/$/, '')}/${purpose === 'invite' ? 'accept-invite' : 'reset-password'}?token=${token}`;

/**
 * A workspace and its first admin. With a password the admin can sign in at once (setup page,
 * scripted install); without one an invitation mail is queued and its link returned (the operator
 * can hand it over when the installation has no mail yet).
 */
export async function createWorkspace(
  db: Db,
  input: { workspace: WorkspaceInput; admin: FirstAdmin; publicUrl: string; onlyIfEmpty?: boolean; now?: Date },
): Promise<{ workspace: { id: string; slug: string; name: string }; adminId: string; inviteUrl: string | null }> {
  const now = input.now ?? new Date();
  const w = input.workspace;
  const slug = unwrap(workspaceSlug(w.name, w.slug, crypto.randomBytes(3).toString('hex')));
  unwrap(validTimezone(w.timezone));
  if (input.admin.password !== undefined && !isStrongPassword(input.admin.password)) {
    throw invalid('error.weak_password', {}, [{ field: 'admin.password', message: 'weak' }]);
  }
  const passwordHash = input.admin.password !== undefined ? await hashPassword(input.admin.password) : NO_PASSWORD;
  return db.transaction(async (tx) => {
    // the setup page's guard, inside the transaction: two first-run forms sent at once make one workspace
    if (input.onlyIfEmpty) {
      await tx.execute(sql`lock table workspaces in share row exclusive mode`);
      if (!(await setupNeeded(tx))) throw new AppError('conflict', 'error.setup_done');
    }
    const [taken] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug));
    if (taken) throw new AppError('conflict', 'error.slug_taken', { slug }, [{ field: 'slug', message: 'taken' }]);
    const [ws] = await tx
      .insert(workspaces)
      .values({
        name: w.name,
        slug,
        timezone: w.timezone,
        currency: w.currency,
        defaultLocale: w.locale,
        customerModel: w.customerModel,
        createdAt: now,
      })
      .returning({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name });
    const [admin] = await tx
      .insert(users)
      .values({
        workspaceId: ws.id,
        email: input.admin.email.trim(),
        name: input.admin.name,
        role: 'admin',
        passwordHash,
        locale: w.locale,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: users.id });
    const system = { kind: 'system' as const, workspaceId: ws.id };
    await recordAudit(tx, system, { action: 'workspace.create', entityType: 'workspace', entityId: ws.id, after: { ...w, slug } });
    await recordAudit(tx, system, {
      action: 'user.create',
      entityType: 'user',
      entityId: admin.id,
      after: { email: input.admin.email, name: input.admin.name, role: 'admin' },
    });
    let inviteUrl: string | null = null;
    if (input.admin.password === undefined) {
      const token = await issueStaffToken(tx, { id: admin.id, workspaceId: ws.id }, 'invite', now);
      inviteUrl = linkUrl(input.publicUrl, 'invite', token);
      const mail = staffLinkMail(w.locale, 'invite', { name: input.admin.name, workspace: w.name, url: inviteUrl, invitedBy: null });
      await queueMail(tx, ws.id, { to: [{ name: input.admin.name, email: input.admin.email }], ...mail });
    }
    return { workspace: ws, adminId: admin.id, inviteUrl };
  });
}

export async function listWorkspaces(db: Db) {
  return queryRows<{ id: string; slug: string; name: string; status: string; timezone: string; users: number; created_at: Date }>(
    db,
    sql`select w.id, w.slug, w.name, w.status, w.timezone, w.created_at,
          (select count(*)::int from users u where u.workspace_id = w.id and u.active) as users
        from workspaces w order by w.created_at, w.slug`,
  );
}

export async function isAdminOf(db: Db, workspaceId: string, email: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.role, 'admin'), sql`lower(${users.email}) = ${email.trim().toLowerCase()}`));
  return rows.length > 0;
}

export async function findWorkspaceBySlug(db: Db, slug: string) {
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.slug, slug.trim().toLowerCase()));
  return ws ?? null;
}

/** Suspending signs everybody of the workspace out at once and refuses their sign-ins until resumed. */
export async function setWorkspaceStatus(db: Db, slug: string, status: 'active' | 'suspended') {
  return db.transaction(async (tx) => {
    const [ws] = await tx
      .update(workspaces)
      .set({ status, suspendedAt: status === 'suspended' ? new Date() : null })
      .where(eq(workspaces.slug, slug.trim().toLowerCase()))
      .returning({ id: workspaces.id, slug: workspaces.slug, name: workspaces.name });
    if (!ws) throw notFound('workspace.noun');
    if (status === 'suspended') await endSessionsOfWorkspace(tx, ws.id);
    await recordAudit(
      tx,
      { kind: 'system', workspaceId: ws.id },
      { action: `workspace.${status === 'active' ? 'resume' : 'suspend'}`, entityType: 'workspace', entityId: ws.id },
    );
    return ws;
  });
}

export type InviteInput = {
  email: string;
  name: string;
  role: Role;
  channelPartnerId?: string | null;
  managerId?: string | null;
  phone?: string | null;
};

/** Invites a colleague: the account exists at once (assignable), the person sets their own password from the mail's link. */
export async function inviteUser(db: Db, actor: Actor, input: InviteInput, opts: { publicUrl: string; now?: Date }) {
  assertCan(actor, 'users.manage');
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    if (await signInEmailTaken(tx, actor.workspaceId, input.email))
      throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    await assertRoleBinding(tx, actor.workspaceId, input.role, input.channelPartnerId);
    await assertManager(tx, actor.workspaceId, input.managerId);
    const [ws] = await tx
      .select({ name: workspaces.name, locale: workspaces.defaultLocale })
      .from(workspaces)
      .where(eq(workspaces.id, actor.workspaceId));
    const [row] = await tx
      .insert(users)
      .values({ ...input, email: input.email.trim(), workspaceId: actor.workspaceId, passwordHash: NO_PASSWORD, createdAt: now, updatedAt: now })
      .returning(publicUser);
    const token = await issueStaffToken(tx, { id: row.id, workspaceId: actor.workspaceId }, 'invite', now);
    const mail = staffLinkMail(actor.locale, 'invite', {
      name: row.name,
      workspace: ws.name,
      url: linkUrl(opts.publicUrl, 'invite', token),
      invitedBy: actor.name,
    });
    await queueMail(tx, actor.workspaceId, { to: [{ name: row.name, email: row.email }], ...mail });
    await recordAudit(tx, actor, { action: 'user.invite', entityType: 'user', entityId: row.id, after: row });
    return { ...row, invited: true };
  });
}

/** Sends a new invitation to someone who has not set a password yet (the old link stops working). */
export async function resendInvite(db: Db, actor: Actor, userId: string, opts: { publicUrl: string; now?: Date }) {
  assertCan(actor, 'users.manage');
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [u] = await tx
      .select({ id: users.id, workspaceId: users.workspaceId, name: users.name, email: users.email, hash: users.passwordHash, ws: workspaces.name })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(users.workspaceId, actor.workspaceId), eq(users.id, userId)));
    if (!u) throw notFound('user.noun');
    if (u.hash !== NO_PASSWORD) throw new AppError('conflict', 'error.already_accepted');
    const token = await issueStaffToken(tx, u, 'invite', now);
    const mail = staffLinkMail(actor.locale, 'invite', {
      name: u.name,
      workspace: u.ws,
      url: linkUrl(opts.publicUrl, 'invite', token),
      invitedBy: actor.name,
    });
    await queueMail(tx, actor.workspaceId, { to: [{ name: u.name, email: u.email }], ...mail });
    await recordAudit(tx, actor, { action: 'user.invite.resend', entityType: 'user', entityId: u.id });
    return { ok: true as const };
  });
}

/**
 * "Forgot password": a reset link to every active staff account with this address (one per
 * workspace). The reply never says whether the address exists; repeated requests within a few
 * minutes send nothing more.
 */
export async function requestStaffReset(db: Db, input: { email: string; publicUrl: string; locale: 'zh-CN' | 'en'; now?: Date }) {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: users.id, workspaceId: users.workspaceId, name: users.name, email: users.email, locale: users.locale, ws: workspaces.name })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(sql`lower(${users.email}) = ${email}`, eq(users.active, true), eq(workspaces.status, 'active')));
    for (const u of rows) {
      const recent = await tx
        .select({ id: staffTokens.id })
        .from(staffTokens)
        .where(
          and(
            eq(staffTokens.userId, u.id),
            eq(staffTokens.purpose, 'reset'),
            gt(staffTokens.createdAt, new Date(now.getTime() - STAFF_RESET_THROTTLE_MS)),
          ),
        );
      if (recent.length) continue;
      const token = await issueStaffToken(tx, u, 'reset', now);
      const locale = u.locale === 'en' || u.locale === 'zh-CN' ? u.locale : input.locale;
      const mail = staffLinkMail(locale, 'reset', { name: u.name, workspace: u.ws, url: linkUrl(input.publicUrl, 'reset', token), invitedBy: null });
      await queueMail(tx, u.workspaceId, { to: [{ name: u.name, email: u.email }], ...mail });
      await recordAudit(tx, { kind: 'system', workspaceId: u.workspaceId }, { action: 'password.reset.request', entityType: 'user', entityId: u.id });
    }
  });
}

/** Redeems an invitation or reset link: sets the password, ends the person's other sessions; the caller signs them in. */
export async function redeemStaffToken(db: Db, input: { token: string; password: string; purpose: 'invite' | 'reset'; now?: Date }) {
  const now = input.now ?? new Date();
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const hash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(staffTokens)
      .where(and(eq(staffTokens.tokenHash, sha256(input.token)), eq(staffTokens.purpose, input.purpose)))
      .for('update');
    const state = staffTokenState(t, now);
    if (state !== 'ok') throw invalid(state === 'expired' ? 'error.link_expired' : 'error.link_invalid', {}, [{ field: 'token', message: state }]);
    const [u] = await tx
      .select({ id: users.id, workspaceId: users.workspaceId, active: users.active })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(and(eq(users.id, t.userId), eq(workspaces.status, 'active')));
    if (!u?.active) throw invalid('error.link_invalid', {}, [{ field: 'token', message: 'inactive' }]);
    await tx.update(staffTokens).set({ usedAt: now }).where(eq(staffTokens.id, t.id));
    await tx.update(users).set({ passwordHash: hash, updatedAt: now }).where(eq(users.id, u.id));
    await endSessionsOf(tx, 'staff', u.id);
    await recordAudit(
      tx,
      { kind: 'system', workspaceId: u.workspaceId },
      { action: input.purpose === 'invite' ? 'user.invite.accept' : 'password.reset', entityType: 'user', entityId: u.id },
    );
    return { userId: u.id, workspaceId: u.workspaceId };
  });
}

/** Who is still to accept an invitation (the users page shows "invited"). */
export async function pendingInvites(db: Db, workspaceId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.passwordHash, NO_PASSWORD)))
    .orderBy(asc(users.id));
  return new Set(rows.map((r) => r.id));
}
