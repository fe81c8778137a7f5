/**
 * IM channels: the WeCom / DingTalk / Feishu group robots of a workspace and of each account's iron
 * triangle, the outbox job that sends cards to them (signed, through the operator's outbound guard,
 * within each platform's rate limit per robot), and the use case other modules call to queue a card.
 */
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, forbidden, notFound, unwrap } from '../../platform/errors.js';
import { translate, type Locale } from '../../platform/i18n.js';
import { publicUrl } from '../../platform/public-url.js';
import { enqueue, RescheduleJob, type JobHandler } from '../../platform/jobs.js';
import { checkOutboundUrl } from '../../platform/outbound.js';
import { BlockedOutboundTarget, guardedFetch, operatorAllowHosts } from '../../platform/outbound-fetch.js';
import { can } from '../../platform/permissions.js';
import { loadVisibleAccount } from '../accounts/index.js';
import * as repo from './channels.repo.js';
import {
  buildRobotRequest,
  checkRobotUrl,
  checkSecret,
  type ImCard,
  type ImFailureReason,
  type ImPlatform,
  interpretReply,
  maskSecret,
  maskWebhookUrl,
  nextSendSlot,
  withSend,
} from './im.domain.js';

export const IM_JOB = 'channels.im';

// ---------- what the API shows (never the secret, never the whole webhook address)

export function failureMessage(locale: Locale, reason: ImFailureReason, code: number | null) {
  return translate(locale, `channels.failure.${reason}`, { code: code ?? '—' });
}

function shape(r: repo.RobotRow, locale: Locale) {
  return {
    id: r.id,
    accountId: r.accountId,
    platform: r.platform as ImPlatform,
    name: r.name,
    webhookHint: maskWebhookUrl(r.platform as ImPlatform, r.webhookUrl),
    secretSet: !!r.secret,
    secretHint: r.secret ? maskSecret(r.secret) : null,
    enabled: r.enabled,
    lastSuccessAt: r.lastSuccessAt,
    lastFailureAt: r.lastFailureAt,
    lastFailure: r.lastFailureReason
      ? {
          reason: r.lastFailureReason as ImFailureReason,
          code: r.lastFailureCode,
          message: failureMessage(locale, r.lastFailureReason as ImFailureReason, r.lastFailureCode),
        }
      : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
export type RobotDto = ReturnType<typeof shape>;
const audited = (r: repo.RobotRow) => {
  const { lastFailure: _f, ...rest } = shape(r, 'en');
  return rest;
};

// ---------- who may manage which robot

/** Workspace robots are the admin's; an account's are also its managers' (admin and manager) on accounts they see. */
async function authorise(db: Db, actor: Actor, accountId: string | null) {
  if (accountId) {
    assertCan(actor, 'channels.account');
    await loadVisibleAccount(db, actor, accountId);
  } else assertCan(actor, 'channels.manage');
}

/** One robot of the actor's workspace that the actor may manage; another workspace's is simply not found. */
async function robotFor(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  if (actor.kind !== 'staff' || !(can(actor.role, 'channels.manage') || can(actor.role, 'channels.account'))) throw forbidden();
  const row = await repo.findRobot(db, actor.workspaceId, id, opts);
  if (!row) throw notFound('channels.robot.noun');
  await authorise(db, actor, row.accountId);
  return row;
}

// ---------- configuration

function checkUrl(platform: ImPlatform, raw: string): string {
  const u = checkOutboundUrl(raw.trim(), operatorAllowHosts());
  if (!u.ok) {
    const key = u.key === 'webhook.blocked_address' ? 'channels.blocked_address' : 'channels.bad_url';
    throw new AppError('invalid', key, { ...u.params, platform }, [{ field: 'webhookUrl', message: key }]);
  }
  return unwrap(checkRobotUrl(platform, u.value)).toString();
}

export async function listRobots(db: Db, actor: Actor, accountId: string | null) {
  await authorise(db, actor, accountId);
  return (await repo.listRobots(db, actor.workspaceId, accountId)).map((r) => shape(r, actor.locale));
}

export type CreateRobotInput = { platform: ImPlatform; name: string; webhookUrl: string; secret?: string | null; enabled?: boolean };

export async function createRobot(db: Db, actor: Actor, accountId: string | null, input: CreateRobotInput) {
  await authorise(db, actor, accountId);
  const webhookUrl = checkUrl(input.platform, input.webhookUrl);
  const secret = unwrap(checkSecret(input.platform, input.secret?.trim() || null));
  return db.transaction(async (tx) => {
    const row = await repo.insertRobot(tx, {
      workspaceId: actor.workspaceId,
      accountId,
      platform: input.platform,
      name: input.name.trim(),
      webhookUrl,
      secret,
      enabled: input.enabled ?? true,
    });
    await recordAudit(tx, actor, { action: 'channels.robot.create', entityType: 'im_robot', entityId: row.id, before: null, after: audited(row) });
    return shape(row, actor.locale);
  });
}

/** Omitted fields are kept; `secret: null` or "" clears it. The platform of a robot does not change. */
export type UpdateRobotInput = { name?: string; webhookUrl?: string; secret?: string | null; enabled?: boolean };

export async function updateRobot(db: Db, actor: Actor, id: string, input: UpdateRobotInput) {
  return db.transaction(async (tx) => {
    const before = await robotFor(tx, actor, id, { forUpdate: true });
    const platform = before.platform as ImPlatform;
    const patch: UpdateRobotInput = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.webhookUrl !== undefined) patch.webhookUrl = checkUrl(platform, input.webhookUrl);
    if (input.secret !== undefined) patch.secret = unwrap(checkSecret(platform, input.secret?.trim() || null));
    if (input.enabled !== undefined) patch.enabled = input.enabled;
    const after = (await repo.updateRobot(tx, actor.workspaceId, id, patch))!;
    await recordAudit(tx, actor, {
      action: 'channels.robot.update',
      entityType: 'im_robot',
      entityId: id,
      before: audited(before),
      after: audited(after),
    });
    return shape(after, actor.locale);
  });
}

export async function deleteRobot(db: Db, actor: Actor, id: string) {
  await db.transaction(async (tx) => {
    const before = await robotFor(tx, actor, id, { forUpdate: true });
    await repo.deleteRobot(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'channels.robot.delete', entityType: 'im_robot', entityId: id, before: audited(before), after: null });
  });
}

// ---------- sending

export type Delivery = { ok: true } | { ok: false; reason: ImFailureReason; code: number | null; retryAt?: Date; budgetSpent?: boolean };

/**
 * Sends one card to one robot now: takes a slot in the robot's rate limit (the robot row locked, so
 * instances on one PostgreSQL share the count), sends it signed through the operator's guard, and
 * records the outcome on the robot. When the robot's budget is spent nothing is sent.
 */
async function deliver(db: Db, robot: repo.RobotRow, card: ImCard, now: Date, timeoutMs: number): Promise<Delivery> {
  const platform = robot.platform as ImPlatform;
  const slot = await db.transaction(async (tx) => {
    const locked = await repo.findRobot(tx, robot.workspaceId, robot.id, { forUpdate: true });
    if (!locked) return { ok: true as const, gone: true };
    const s = nextSendSlot(platform, locked.recentSends, now);
    if (s.ok) await repo.setRecentSends(tx, robot.workspaceId, robot.id, withSend(locked.recentSends, now));
    return { ...s, gone: false };
  });
  if (slot.gone) return { ok: false, reason: 'unreachable', code: null };
  if (!slot.ok) return { ok: false, reason: 'rate_limited', code: null, retryAt: slot.retryAt, budgetSpent: true };

  let outcome: Delivery;
  try {
    const req = buildRobotRequest(platform, robot.webhookUrl, robot.secret, card, Date.now());
    const res = await guardedFetch(operatorAllowHosts(), 64_000)(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Keyward-IM/1' },
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    outcome = interpretReply(platform, res.status, await res.text());
  } catch (err) {
    // refused by the guard, or no answer at all (refused, reset, timed out): the robot shows words, not the error
    outcome = { ok: false, reason: err instanceof BlockedOutboundTarget ? 'blocked' : 'unreachable', code: null };
  }
  await repo.recordOutcome(
    db,
    robot.workspaceId,
    robot.id,
    now,
    outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason, code: outcome.code },
  );
  return outcome;
}

/** The IM job's payload: one card for one robot. */
const ImPayload = z.object({
  robotId: z.guid(),
  workspaceId: z.guid(),
  title: z.string(),
  markdown: z.string(),
  link: z.string(),
  urgent: z.boolean().default(false),
});

/**
 * The outbox handler: sends one card to one robot. Over the robot's rate limit it is queued again for
 * the moment a slot frees (without spending an attempt); a platform's own "too many" answer queues it a
 * minute later (spending one); other failures throw, so the runner retries with its backoff. A robot
 * deleted or switched off since, or a target the operator's guard refuses, is not retried.
 */
export function imSendHandler(opts: { timeoutMs?: number; now?: () => Date } = {}): JobHandler {
  return async (db, job) => {
    const p = ImPayload.parse(job.payload);
    const robot = await repo.findRobot(db, p.workspaceId, p.robotId);
    if (!robot?.enabled) return;
    const now = opts.now?.() ?? new Date();
    const out = await deliver(db, robot, p, now, opts.timeoutMs ?? 10_000);
    if (out.ok || out.reason === 'blocked') return;
    if (out.reason === 'rate_limited') {
      if (out.budgetSpent) throw new RescheduleJob(out.retryAt!, 'the robot sent its rate limit: waiting for a slot');
      throw new RescheduleJob(new Date(now.getTime() + 60_000), `the platform answered its rate-limit code ${out.code ?? 429}`, true);
    }
    throw new Error(`IM robot: ${out.reason}${out.code !== null ? ` (platform code ${out.code})` : ''}`);
  };
}

/** The admin's "send a test message": sent now (not through the outbox), answered in words. */
export async function testRobot(db: Db, actor: Actor, id: string, publicUrl: string) {
  const robot = await robotFor(db, actor, id);
  const link = `${publicUrl.replace(/\/$/, '')}${robot.accountId ? `/accounts/${robot.accountId}` : '/settings/channels'}`;
  const card: ImCard = {
    title: translate('zh-CN', 'channels.test.title'),
    markdown: translate('zh-CN', 'channels.test.body', { name: robot.name, by: actor.kind === 'staff' ? actor.name : '' }),
    link,
  };
  const out = await deliver(db, robot, card, new Date(), 10_000);
  return out.ok
    ? { ok: true, message: translate(actor.locale, 'channels.test.sent') }
    : { ok: false, message: failureMessage(actor.locale, out.reason, out.code) };
}

// ---------- for other modules

export type QueuedImCard = {
  workspaceId: string;
  accountId?: string | null;
  /** one line, zh-CN first (the caller's words) */
  title: string;
  /** the card's markdown, zh-CN first */
  markdown: string;
  /** where the button leads: a path of the console ("/accounts/…", made absolute with PUBLIC_URL) or an absolute http(s) URL */
  link: string;
  /** the same key again (a rescan, a retry of the caller) queues nothing new */
  dedupeKey: string;
  /** marked urgent and, where the platform allows, @-mentions everyone in the group */
  urgent?: boolean;
  /** held until then (the recipients' quiet hours) */
  runAt?: Date;
};

/**
 * Queues one card for every enabled robot it goes to — the account's iron-triangle robots if the
 * account has any, else the workspace's — in the caller's transaction (outbox); returns how many.
 */
export async function queueImCard(tx: Db, card: QueuedImCard): Promise<number> {
  const robots = await repo.recipientsOf(tx, card.workspaceId, card.accountId ?? null);
  if (!robots.length) return 0;
  let link = card.link.trim();
  if (link.startsWith('/') && !link.startsWith('//')) link = `${publicUrl()}${link}`;
  if (!/^https?:\/\/[^\s]+$/i.test(link)) throw new Error('queueImCard: link must be a console path ("/…") or an absolute http(s) URL');
  for (const r of robots)
    await enqueue(tx, {
      kind: IM_JOB,
      workspaceId: card.workspaceId,
      payload: { robotId: r.id, workspaceId: card.workspaceId, title: card.title, markdown: card.markdown, link, urgent: !!card.urgent },
      dedupeKey: `im:${r.id}:${card.dedupeKey}`,
      runAt: card.runAt,
    });
  return robots.length;
}
