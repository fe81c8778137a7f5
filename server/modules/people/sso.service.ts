// Single sign-on with OpenID Connect (authorization code + PKCE) per workspace, through openid-client.
// The issuer's endpoints are reached through the outbound guard: a workspace admin cannot aim Keyward at
// an internal address; only the operator can allow one (KW_OUTBOUND_ALLOW_HOSTS).
import crypto from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { invalid } from '../../platform/errors.js';
import { checkOutboundUrl } from '../../platform/outbound.js';
import { guardedFetch, operatorAllowHosts } from '../../platform/outbound-fetch.js';
import type { Role } from '../../platform/permissions.js';
import { ssoStates, users, workspaceSso, workspaces } from './people.table.js';

const STATE_TTL_MS = 10 * 60 * 1000;
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export type SsoSettingsInput = {
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  enabled: boolean;
  label?: string | null;
  jitCreate: boolean;
  jitRole: Role;
};

function publicSettings(row: typeof workspaceSso.$inferSelect | undefined, callbackUrl: string) {
  return row
    ? {
        issuer: row.issuer,
        clientId: row.clientId,
        secretSet: !!row.clientSecret,
        enabled: row.enabled,
        label: row.label,
        jitCreate: row.jitCreate,
        jitRole: row.jitRole,
        callbackUrl,
        version: row.version,
      }
    : { issuer: null, clientId: null, secretSet: false, enabled: false, label: null, jitCreate: false, jitRole: 'sales', callbackUrl, version: 0 };
}

export const callbackUrlOf = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}/api/auth/sso/callback`;

export async function getSsoSettings(db: Db, actor: Actor, publicUrl: string) {
  assertCan(actor, 'workspace.manage');
  const [row] = await db.select().from(workspaceSso).where(eq(workspaceSso.workspaceId, actor.workspaceId));
  return publicSettings(row, callbackUrlOf(publicUrl));
}

export async function putSsoSettings(db: Db, actor: Actor, input: SsoSettingsInput, publicUrl: string, expectedVersion?: number) {
  assertCan(actor, 'workspace.manage');
  const u = checkOutboundUrl(input.issuer, operatorAllowHosts());
  if (!u.ok) throw invalid('sso.bad_issuer', {}, [{ field: 'issuer', message: u.key }]);
  if (u.value.protocol !== 'https:' && !operatorAllowHosts().includes(u.value.hostname))
    throw invalid('sso.https_only', {}, [{ field: 'issuer', message: 'https only' }]);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(workspaceSso).where(eq(workspaceSso.workspaceId, actor.workspaceId)).for('update');
    // the trail names the workspace for SSO changes too: only `sso.update` entries say who saved these settings
    const entity = { type: 'workspace', id: actor.workspaceId, noun: 'sso_settings.noun', actions: ['sso.update'] };
    await assertFresh(tx, actor.workspaceId, entity, before?.version ?? 0, expectedVersion);
    // an omitted secret keeps the stored one; null removes it
    const clientSecret = input.clientSecret === undefined ? (before?.clientSecret ?? null) : input.clientSecret;
    const values = {
      issuer: input.issuer.replace(/\/$/, ''),
      clientId: input.clientId,
      clientSecret,
      enabled: input.enabled,
      label: input.label ?? null,
      jitCreate: input.jitCreate,
      jitRole: input.jitRole,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(workspaceSso)
      .values({ workspaceId: actor.workspaceId, ...values })
      .onConflictDoUpdate({
        target: workspaceSso.workspaceId,
        set: { ...values, version: sql`${workspaceSso.version} + 1` },
        ...(expectedVersion === undefined ? {} : { setWhere: eq(workspaceSso.version, expectedVersion) }),
      })
      .returning();
    if (!row) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, {
      action: 'sso.update',
      entityType: 'workspace',
      entityId: actor.workspaceId,
      before: before ? publicSettings(before, '') : null,
      after: publicSettings(row, ''),
    });
    return publicSettings(row, callbackUrlOf(publicUrl));
  });
}

/** The sign-in page asks whether a workspace (by its code) offers single sign-on, and how to label it. */
export async function ssoOffer(db: Db, slug: string) {
  const [r] = await db
    .select({ label: workspaceSso.label, name: workspaces.name })
    .from(workspaceSso)
    .innerJoin(workspaces, eq(workspaces.id, workspaceSso.workspaceId))
    .where(and(eq(workspaces.slug, slug.trim().toLowerCase()), eq(workspaceSso.enabled, true), eq(workspaces.status, 'active')));
  return r ? { enabled: true, label: r.label, workspace: r.name } : { enabled: false, label: null, workspace: null };
}

async function clientConfig(row: typeof workspaceSso.$inferSelect) {
  const allow = operatorAllowHosts();
  const issuer = new URL(row.issuer);
  // discovery and every later request (token, keys) go through the guard; the configuration keeps its fetch
  const options: oidc.DiscoveryRequestOptions = { timeout: 10, [oidc.customFetch]: guardedFetch(allow) as oidc.CustomFetch };
  if (issuer.protocol === 'http:' && allow.includes(issuer.hostname)) options.execute = [oidc.allowInsecureRequests];
  return oidc.discovery(issuer, row.clientId, undefined, row.clientSecret ? oidc.ClientSecretPost(row.clientSecret) : oidc.None(), options);
}

export type SsoFailure = 'not_offered' | 'failed' | 'not_verified' | 'unknown_user' | 'expired';
export class SsoError extends Error {
  constructor(
    readonly reason: SsoFailure,
    detail: string,
  ) {
    super(detail);
  }
}

/** Step 1: where to send the browser (the provider's authorization URL) and the state to keep in its cookie. */
export async function startSso(db: Db, slug: string, publicUrl: string, now = new Date()): Promise<{ url: string; state: string }> {
  const [row] = await db
    .select({ sso: workspaceSso })
    .from(workspaceSso)
    .innerJoin(workspaces, eq(workspaces.id, workspaceSso.workspaceId))
    .where(and(eq(workspaces.slug, slug.trim().toLowerCase()), eq(workspaceSso.enabled, true), eq(workspaces.status, 'active')));
  if (!row) throw new SsoError('not_offered', `no single sign-on for ${slug}`);
  let config: oidc.Configuration;
  try {
    config = await clientConfig(row.sso);
  } catch (err) {
    throw new SsoError('failed', `discovery: ${(err as Error).message}`);
  }
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await db.delete(ssoStates).where(lt(ssoStates.expiresAt, now)); // the abandoned ones
  await db
    .insert(ssoStates)
    .values({ stateHash: sha256(state), workspaceId: row.sso.workspaceId, codeVerifier, nonce, expiresAt: new Date(now.getTime() + STATE_TTL_MS) });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrlOf(publicUrl),
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state };
}

/**
 * Step 2: the provider sent the browser back. The state must be the one this browser started with (its
 * cookie); openid-client checks the code exchange, the ID token's signature, issuer, audience, expiry and
 * nonce. The person is the workspace's active user with that verified email (or, when turned on, a new one).
 */
export async function finishSso(
  db: Db,
  input: { callbackUrl: URL; cookieState: string | undefined; publicUrl: string; now?: Date },
): Promise<{ userId: string; workspaceId: string }> {
  const now = input.now ?? new Date();
  const state = input.callbackUrl.searchParams.get('state') ?? '';
  if (!input.cookieState || !state || input.cookieState !== state) throw new SsoError('failed', 'state does not match this browser');
  const [pending] = await db
    .delete(ssoStates)
    .where(eq(ssoStates.stateHash, sha256(state)))
    .returning();
  if (!pending) throw new SsoError('failed', 'unknown or used state');
  if (pending.expiresAt < now) throw new SsoError('expired', 'the sign-on took too long');
  const [row] = await db
    .select()
    .from(workspaceSso)
    .where(and(eq(workspaceSso.workspaceId, pending.workspaceId), eq(workspaceSso.enabled, true)));
  if (!row) throw new SsoError('not_offered', 'single sign-on was turned off meanwhile');
  let claims: oidc.IDToken | undefined;
  try {
    const config = await clientConfig(row);
    // the provider redirects to our public callback; what reached us is the same URL behind the proxy
    const current = new URL(callbackUrlOf(input.publicUrl));
    current.search = input.callbackUrl.search;
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (err) {
    await recordAudit(
      db,
      { kind: 'system', workspaceId: pending.workspaceId },
      {
        action: 'login.sso_failed',
        entityType: 'workspace',
        entityId: pending.workspaceId,
        after: { reason: String((err as Error).message).slice(0, 300) },
      },
    );
    throw new SsoError('failed', (err as Error).message);
  }
  const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || claims?.email_verified !== true) throw new SsoError('not_verified', 'the provider did not vouch for an email address');
  const [user] = await db
    .select({ id: users.id, active: users.active })
    .from(users)
    .where(and(eq(users.workspaceId, pending.workspaceId), sql`lower(${users.email}) = ${email}`));
  if (user?.active) return { userId: user.id, workspaceId: pending.workspaceId };
  if (user || !row.jitCreate) {
    await recordAudit(
      db,
      { kind: 'system', workspaceId: pending.workspaceId },
      {
        action: 'login.sso_refused',
        entityType: 'workspace',
        entityId: pending.workspaceId,
        after: { email, reason: user ? 'deactivated' : 'unknown_user' },
      },
    );
    throw new SsoError('unknown_user', `${email} is not an active user of the workspace`);
  }
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : email.split('@')[0];
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ workspaceId: pending.workspaceId, email, name, role: row.jitRole, passwordHash: 'sso$no-password', createdAt: now, updatedAt: now })
      .returning({ id: users.id });
    await recordAudit(
      tx,
      { kind: 'system', workspaceId: pending.workspaceId },
      { action: 'user.create.sso', entityType: 'user', entityId: created.id, after: { email, name, role: row.jitRole } },
    );
    return { userId: created.id, workspaceId: pending.workspaceId };
  });
}
