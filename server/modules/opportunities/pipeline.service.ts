import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, notFound, unwrap } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { enqueue, type JobRow } from '../../platform/jobs.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { boardColumns, decideIncubationOutcome, decideOpportunityMove, type OpportunityStage, allowedNextStages } from './opportunities.domain.js';
import { captureOpportunity, type CaptureOpportunityInput } from './opportunities.service.js';
import * as repo from './opportunities.repo.js';
import { announce } from '../../platform/events.js';
import { OpportunityHandedOver } from './opportunities.events.js';
import { checkOutboundUrl } from '../../platform/outbound.js';
import { operatorAllowHosts } from '../../platform/outbound-fetch.js';
import { signPayload } from './webhook.domain.js';
import { RefusedTarget, safePost, type Resolver } from './webhook.sender.js';

export const WEBHOOK_JOB = 'opportunities.webhook';
export const HANDED_EVENT = 'opportunity.handed_to_sales';

const opportunityEntity = (id: string) => ({ type: 'opportunity', id, noun: 'opportunity.noun' });

function shape(r: repo.OpportunityListRow) {
  return {
    id: r.id,
    version: r.version,
    accountId: r.account_id,
    accountName: r.account_name,
    accountTier: r.account_tier,
    title: r.title,
    description: r.description,
    sourceKind: r.source_kind,
    sourceId: r.source_id,
    capturedById: r.captured_by_id,
    capturedByName: r.captured_by_name,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    amountMinor: Number(r.amount_minor),
    currency: r.currency,
    product: r.product,
    stage: r.stage,
    allowedNext: allowedNextStages(r.stage as OpportunityStage),
    lostReason: r.lost_reason,
    expectedCloseOn: r.expected_close_on,
    handedAt: r.handed_at ? new Date(r.handed_at) : null,
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export type CaptureBody = Omit<CaptureOpportunityInput, 'accountId' | 'sourceKind' | 'sourceId'> & {
  sourceKind: 'visit' | 'meeting' | 'portal_demand' | 'other';
};

/** Capture from the console (a visit, a meeting heard of, a portal demand): ids of tickets and tasks come through their own modules. */
export async function captureForAccount(db: Db, actor: Actor, accountId: string, body: CaptureBody) {
  const row = await captureOpportunity(db, actor, { ...body, accountId });
  return getOpportunity(db, actor, row.id);
}

export type OpportunityFilter = {
  accountId?: string;
  stage?: string;
  /** the ones I captured */
  mine?: boolean;
  ownerId?: string;
  sourceKind?: string;
  /** handed to sales with me as the owner (the salesperson's "handed to me") */
  handedToMe?: boolean;
};

export async function listOpportunities(db: Db, actor: Actor, f: OpportunityFilter) {
  assertCan(actor, 'opportunities.read');
  if (f.accountId) await loadVisibleAccount(db, actor, f.accountId);
  const rows = await repo.listOpportunities(db, actor.workspaceId, {
    accountId: f.accountId,
    stage: f.stage,
    sourceKind: f.sourceKind,
    visibleTo: actor,
    capturedById: f.mine ? actor.userId : undefined,
    ownerId: f.handedToMe ? actor.userId : f.ownerId,
    handedOnly: f.handedToMe,
  });
  return rows.map(shape);
}

export async function getOpportunity(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'opportunities.read');
  const o = await repo.findOpportunity(db, actor.workspaceId, id);
  if (!o) throw notFound('opportunity.noun');
  await loadVisibleAccount(db, actor, o.accountId).catch(() => {
    throw notFound('opportunity.noun');
  });
  const [row] = (await repo.listOpportunities(db, actor.workspaceId, { accountId: o.accountId })).filter((r) => r.id === id);
  const events = await repo.listEvents(db, actor.workspaceId, id);
  return {
    ...shape(row),
    events: events.map((e) => ({
      id: e.id,
      fromStage: e.from_stage,
      toStage: e.to_stage,
      note: e.note,
      actorName: e.actor_name,
      at: new Date(e.at),
    })),
  };
}

/** The pipeline board (商机 menu): every stage in order with its cards, count and amount. */
export async function getBoard(db: Db, actor: Actor, f: Omit<OpportunityFilter, 'stage'>) {
  const items = await listOpportunities(db, actor, f);
  return { columns: boardColumns(items) };
}

async function move(
  tx: Db,
  actor: StaffActor,
  before: NonNullable<Awaited<ReturnType<typeof repo.findOpportunity>>>,
  to: OpportunityStage,
  note: string | null,
  reason: string | null,
) {
  const d = unwrap(decideOpportunityMove({ from: before.stage as OpportunityStage, to, reason }));
  const now = new Date();
  const values: Parameters<typeof repo.updateOpportunity>[3] = { stage: d.to };
  if (d.to === 'lost') values.lostReason = reason!.trim();
  let accountName = '';
  if (d.handOver) {
    values.handedAt = now;
    const account = await loadVisibleAccount(tx, actor, before.accountId);
    accountName = account.name;
    if (!before.ownerId && account.salesId) values.ownerId = account.salesId;
  }
  if (d.closes) values.closedAt = now;
  // compare-and-set on the version read (412 if a change slipped in between)
  const after = await repo.updateOpportunity(tx, actor.workspaceId, before.id, values, before.version);
  if (!after) throw await staleError(tx, actor.workspaceId, opportunityEntity(before.id));
  await repo.insertEvent(tx, {
    workspaceId: actor.workspaceId,
    opportunityId: before.id,
    fromStage: before.stage,
    toStage: d.to,
    note: note ?? (d.to === 'lost' ? reason : null),
    actorId: actor.userId,
  });
  if (d.handOver) {
    await enqueueHandOver(tx, actor, after);
    await announce(tx, actor.workspaceId, OpportunityHandedOver, {
      accountId: after.accountId,
      opportunityId: after.id,
      title: after.title,
      accountName,
      ownerId: after.ownerId && after.ownerId !== actor.userId ? after.ownerId : null,
      byUserId: actor.userId,
    });
  }
  return after;
}

/** The outgoing webhook is written to the outbox in the hand-over's own transaction. */
async function enqueueHandOver(tx: Db, actor: StaffActor, o: NonNullable<Awaited<ReturnType<typeof repo.findOpportunity>>>) {
  const endpoint = await repo.findEndpoint(tx, actor.workspaceId);
  if (!endpoint?.active) return;
  const account = await loadVisibleAccount(tx, actor, o.accountId);
  const deliveryId = crypto.randomUUID();
  const payload = {
    event: HANDED_EVENT,
    deliveryId,
    occurredAt: (o.handedAt ?? new Date()).toISOString(),
    workspaceId: actor.workspaceId,
    opportunity: {
      id: o.id,
      title: o.title,
      description: o.description,
      amountMinor: o.amountMinor,
      currency: o.currency,
      product: o.product,
      stage: o.stage,
      sourceKind: o.sourceKind,
      sourceId: o.sourceId,
      capturedById: o.capturedById,
      ownerId: o.ownerId,
      expectedCloseOn: o.expectedCloseOn,
      account: { id: account.id, name: account.name, tier: account.tier },
    },
  };
  await enqueue(tx, { kind: WEBHOOK_JOB, workspaceId: actor.workspaceId, payload, dedupeKey: `webhook:${deliveryId}` });
}

export async function moveOpportunity(
  db: Db,
  actor: Actor,
  id: string,
  input: { to: OpportunityStage; reason?: string | null; note?: string | null },
  /** If-Match of the change: 412 if the opportunity moved on since */
  expectedVersion?: number,
) {
  assertCan(actor, 'opportunities.move');
  return db
    .transaction(async (tx) => {
      const before = await repo.findOpportunity(tx, actor.workspaceId, id, { forUpdate: true });
      if (!before) throw notFound('opportunity.noun');
      await loadVisibleAccount(tx, actor, before.accountId).catch(() => {
        throw notFound('opportunity.noun');
      });
      await assertFresh(tx, actor.workspaceId, opportunityEntity(id), before.version, expectedVersion);
      // won, and lost after hand-over, are sales' call
      if ((input.to === 'won' || (input.to === 'lost' && before.stage === 'handed_to_sales')) && !can(actor.role, 'opportunities.close')) {
        throw new AppError('forbidden', 'opportunity.close_role');
      }
      const after = await move(tx, actor, before, input.to, input.note ?? null, input.reason ?? null);
      await recordAudit(tx, actor, { action: `opportunity.${after.stage}`, entityType: 'opportunity', entityId: id, before, after });
      return after;
    })
    .then((o) => getOpportunity(db, actor, o.id));
}

/** The outcome of incubation: success hands the opportunity to sales automatically (and fires the webhook). */
export async function recordIncubation(
  db: Db,
  actor: Actor,
  id: string,
  input: { success: boolean; reason?: string | null; note?: string | null },
  expectedVersion?: number,
) {
  assertCan(actor, 'opportunities.move');
  await db.transaction(async (tx) => {
    const before = await repo.findOpportunity(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before) throw notFound('opportunity.noun');
    await loadVisibleAccount(tx, actor, before.accountId).catch(() => {
      throw notFound('opportunity.noun');
    });
    await assertFresh(tx, actor.workspaceId, opportunityEntity(id), before.version, expectedVersion);
    const [to] = unwrap(decideIncubationOutcome({ from: before.stage as OpportunityStage, success: input.success, reason: input.reason }));
    const note =
      input.note ??
      (input.success ? (actor.locale === 'en' ? 'Incubation succeeded: handed to sales automatically' : '孵化成功，自动转入销售') : null);
    const after = await move(tx, actor, before, to, note, input.reason ?? null);
    await recordAudit(tx, actor, { action: `opportunity.${after.stage}`, entityType: 'opportunity', entityId: id, before, after });
  });
  return getOpportunity(db, actor, id);
}

// ---- the webhook: configuration, delivery log, sending

const maskSecret = (s: string) => `${s.slice(0, 6)}…${s.slice(-4)}`;

export async function getWebhook(db: Db, actor: Actor) {
  assertCan(actor, 'webhooks.manage');
  const e = await repo.findEndpoint(db, actor.workspaceId);
  return e ? { url: e.url, active: e.active, secretHint: maskSecret(e.secret), updatedAt: e.updatedAt, version: e.version } : null;
}

/** Internal targets (loopback, private, link-local) are refused unless the operator allows the host (KW_OUTBOUND_ALLOW_HOSTS). */
export async function setWebhook(db: Db, actor: Actor, input: { url: string; active?: boolean; rotateSecret?: boolean }, expectedVersion?: number) {
  assertCan(actor, 'webhooks.manage');
  const url = unwrap(checkOutboundUrl(input.url.trim(), operatorAllowHosts())).toString();
  const entity = { type: 'webhook', id: actor.workspaceId, noun: 'webhook_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.findEndpoint(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before?.version ?? 0, expectedVersion);
    const fresh = !before || input.rotateSecret;
    const secret = fresh ? `whsec_${crypto.randomBytes(24).toString('base64url')}` : before.secret;
    const after = await repo.upsertEndpoint(tx, { workspaceId: actor.workspaceId, url, secret, active: input.active ?? true }, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'webhook.configure', entityType: 'webhook', entityId: actor.workspaceId, before, after });
    // the secret is shown once, when it is created or rotated
    return {
      url: after.url,
      active: after.active,
      secretHint: maskSecret(secret),
      updatedAt: after.updatedAt,
      secret: fresh ? secret : null,
      version: after.version,
    };
  });
}

export async function listDeliveries(db: Db, actor: Actor) {
  assertCan(actor, 'webhooks.manage');
  return repo.listDeliveries(db, actor.workspaceId);
}

/** The webhook job's payload (what is signed and sent: extra fields of the opportunity are kept). */
const WebhookPayload = z.looseObject({
  event: z.string(),
  deliveryId: z.string(),
  workspaceId: z.guid(),
  opportunity: z.looseObject({ id: z.guid() }),
});

/**
 * The job handler: signs and sends one event, logs the attempt, and throws on failure so the runner
 * retries with backoff. A target refused by the SSRF guard is logged and not retried.
 */
export function webhookHandler(opts: { resolve?: Resolver; timeoutMs?: number; now?: () => Date } = {}) {
  return async (db: Db, job: JobRow) => {
    const p = WebhookPayload.parse(job.payload);
    const endpoint = await repo.findEndpoint(db, p.workspaceId);
    const base = {
      workspaceId: p.workspaceId,
      deliveryId: p.deliveryId,
      event: p.event,
      opportunityId: p.opportunity.id,
      attempt: job.attempts,
      payload: p,
    };
    if (!endpoint?.active) {
      await repo.insertDelivery(db, { ...base, url: endpoint?.url ?? '', outcome: 'failed', error: 'no active webhook configured' });
      return;
    }
    const body = JSON.stringify(p);
    const t = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
    const started = performance.now();
    try {
      const res = await safePost(
        endpoint.url,
        body,
        { 'x-keyward-event': p.event, 'x-keyward-delivery': p.deliveryId, 'x-keyward-signature': signPayload(endpoint.secret, body, t) },
        { allowHosts: operatorAllowHosts(), resolve: opts.resolve, timeoutMs: opts.timeoutMs },
      );
      const durationMs = Math.round(performance.now() - started);
      const okStatus = res.status >= 200 && res.status < 300;
      await repo.insertDelivery(db, {
        ...base,
        url: endpoint.url,
        outcome: okStatus ? 'delivered' : 'failed',
        statusCode: res.status,
        durationMs,
        error: okStatus ? null : res.body.slice(0, 500) || `HTTP ${res.status}`,
      });
      if (!okStatus) throw new Error(`webhook answered HTTP ${res.status}`);
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      if (err instanceof RefusedTarget) {
        await repo.insertDelivery(db, { ...base, url: endpoint.url, outcome: 'refused', durationMs, error: err.message });
        return;
      }
      if (!(err as Error).message.startsWith('webhook answered'))
        await repo.insertDelivery(db, { ...base, url: endpoint.url, outcome: 'failed', durationMs, error: (err as Error).message.slice(0, 500) });
      throw err;
    }
  };
}
