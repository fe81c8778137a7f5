import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit, recordAudits } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { eachRow } from '../../platform/bulk.js';
import { AppError, conflict, invalid, notFound, unwrap } from '../../platform/errors.js';
import { hashPassword, isStrongPassword } from '../../platform/passwords.js';
import { endSessionsOf, signInEmailTaken } from '../../platform/auth.service.js';
import { findChannelPartner, partnerNames } from '../people/index.js';
import * as repo from './accounts.repo.js';
import { computedFactors, type ComputedFactor, type ComputedFactors } from './accounts.table.js';
export type { ComputedFactors };
import { canSeeAccount, scopeOf } from './visibility.js';
import {
  effectiveTier,
  explainTier,
  gradeAll,
  validateModel,
  validateOverride,
  type GradingDetail,
  type GradingModel,
  type Tier,
} from './grading.domain.js';
import {
  allowedNextStages,
  daysInStage,
  decideLadderMove,
  decideStageMove,
  type LadderLevel,
  type Stage,
  type ToCStage,
} from './lifecycle.domain.js';
import { describeGap, relationshipGaps, type MapLink, type OurSide, type TheirSide } from './relationships.domain.js';
import { segmentToFilter, normaliseTag, type AccountFilter, type SegmentCondition } from './segments.domain.js';
import { describeMissing, missingSeats, seatRole, seats, type Seat, type TeamSeats } from './team.domain.js';

export { scopeOf } from './visibility.js';

/** Loads an account the actor may see, or 404 — also for ids of another workspace or channel. */
export async function loadVisibleAccount(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  const row = await repo.findAccount(db, actor.workspaceId, id, opts);
  if (!row) throw notFound('account.noun');
  if (!canSeeAccount(actor, row)) throw notFound('account.noun');
  return row;
}

export type ListAccountsInput = AccountFilter & {
  segmentId?: string;
  risk?: 'at_risk';
  sort: repo.SortKey;
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
};

/**
 * What the account list filters by but another module decides: the at-risk rule is kpi's (health,
 * follow-ups), so the app hands it in when it mounts the routes — accounts imports nothing of kpi.
 */
export type AccountListPorts = { atRiskIds?: (db: Db, actor: StaffActor) => Promise<string[]> };

/** The filters of a list query: its own fields, the actor's scope, the segment's rules and the at-risk set. */
export async function listFilters(
  db: Db,
  actor: StaffActor,
  input: AccountFilter & { segmentId?: string; risk?: 'at_risk' },
  ports: AccountListPorts,
): Promise<AccountFilter[]> {
  const { segmentId, risk, ...filter } = input;
  const filters: AccountFilter[] = [filter, ...scopeOf(actor)];
  if (segmentId) {
    const seg = await repo.findSegment(db, actor.workspaceId, segmentId);
    if (!seg) throw notFound('segment.noun');
    filters.push(segmentToFilter(seg.rules as SegmentCondition[]));
  }
  if (risk === 'at_risk') {
    if (!ports.atRiskIds) throw new Error('the at-risk filter is not wired (accountsRoutes needs ports.atRiskIds)');
    filters.push({ ids: await ports.atRiskIds(db, actor) });
  }
  return filters;
}

export async function listAccounts(db: Db, actor: Actor, input: ListAccountsInput, ports: AccountListPorts = {}) {
  assertCan(actor, 'accounts.read');
  const { sort, order, page, pageSize, ...rest } = input;
  const filters = await listFilters(db, actor, rest, ports);
  const { items, total } = await repo.listAccounts(db, actor.workspaceId, filters, { sort, order, limit: pageSize, offset: (page - 1) * pageSize });
  return { items, total, page, pageSize };
}

async function assertUsers(db: Db, workspaceId: string, refs: { field: string; id: string | null | undefined; role?: string }[]) {
  const ids = refs.map((r) => r.id).filter((x): x is string => !!x);
  const found = new Map((await repo.usersByIds(db, workspaceId, ids)).map((u) => [u.id, u]));
  for (const r of refs) {
    if (!r.id) continue;
    const u = found.get(r.id);
    if (!u?.active) throw invalid('error.user_not_in_workspace', { field: r.field }, [{ field: r.field, message: 'unknown user' }]);
    if (r.role && u.role !== r.role) {
      throw invalid('error.role_mismatch', { field: r.field, name: u.name, role: r.role }, [{ field: r.field, message: `role must be ${r.role}` }]);
    }
  }
}

async function assertPartner(db: Db, workspaceId: string, id: string | null | undefined) {
  if (id && !(await findChannelPartner(db, workspaceId, id))) {
    throw invalid('error.not_found', { what: 'partner.noun' }, [{ field: 'channelPartnerId', message: 'unknown channel partner' }]);
  }
}

export type AccountInput = {
  name: string;
  industry: string;
  region: string;
  channelPartnerId?: string | null;
  ownerId?: string | null;
  revenueTargetMinor?: number;
  fiscalYear?: number;
  products?: string[];
  contracts?: { no: string; title: string; signedOn?: string; amountMinor?: number }[];
  tags?: string[];
  onTimePaymentPct?: number | null;
  orderAmountMinor?: number;
  prospect?: number | null;
  profitMarginPct?: number | null;
  stage?: Stage;
  toCStage?: ToCStage | null;
  ladder?: LadderLevel;
};

function cleanTags(tags?: string[]) {
  return tags ? [...new Set(tags.map(normaliseTag).filter(Boolean))] : undefined;
}

export async function createAccount(db: Db, actor: Actor, input: AccountInput, opts: { now?: Date } = {}) {
  assertCan(actor, 'accounts.create');
  return db.transaction(async (tx) => {
    const created = await insertAccountRow(tx, actor, input, opts.now ?? new Date());
    await recomputeGrading(tx, actor);
    // the reply is the graded account, not the row as inserted (tier D, scores 0)
    return (await repo.findAccount(tx, actor.workspaceId, created.id))!;
  });
}

/** Inserts one account with its first stage and ladder entries; the caller regrades the workspace. */
export async function insertAccountRow(tx: Db, actor: StaffActor, input: AccountInput, now: Date) {
  if (await repo.findAccountByName(tx, actor.workspaceId, input.name)) {
    throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
  }
  await assertUsers(tx, actor.workspaceId, [{ field: 'ownerId', id: input.ownerId }]);
  await assertPartner(tx, actor.workspaceId, input.channelPartnerId);
  const [row] = await insertAccountRows(tx, actor, [input], now);
  return row;
}

/**
 * Inserts accounts with their first stage and ladder history and an audit entry each, 500 per statement.
 * The caller has checked names (free, unique in the batch), owners and partners of this workspace —
 * insertAccountRow for one, the import for a file; the unique index on names still guards a race (a 409).
 */
export async function insertAccountRows(tx: Db, actor: StaffActor, inputs: AccountInput[], now: Date) {
  const out: repo.AccountRow[] = [];
  for (let i = 0; i < inputs.length; i += 500) {
    const rows = await repo.insertAccounts(
      tx,
      inputs.slice(i, i + 500).map((input) => ({
        ...input,
        tags: cleanTags(input.tags),
        workspaceId: actor.workspaceId,
        fiscalYear: input.fiscalYear ?? now.getUTCFullYear(),
        stageEnteredAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await repo.insertStageTransition(
      tx,
      rows.map((row) => ({ workspaceId: actor.workspaceId, accountId: row.id, fromStage: null, toStage: row.stage, actorId: actor.userId, at: now })),
    );
    await repo.insertLadderHistory(
      tx,
      rows.map((row) => ({
        workspaceId: actor.workspaceId,
        accountId: row.id,
        fromLevel: null,
        toLevel: row.ladder,
        actorId: actor.userId,
        at: now,
      })),
    );
    await recordAudits(
      tx,
      actor,
      rows.map((row) => ({ action: 'account.create', entityType: 'account', entityId: row.id, after: row })),
    );
    out.push(...rows);
  }
  return out;
}

const gradingFields = ['channelPartnerId', 'onTimePaymentPct', 'orderAmountMinor', 'prospect', 'profitMarginPct'] as const;

export async function updateAccount(
  db: Db,
  actor: Actor,
  id: string,
  input: Partial<Omit<AccountInput, 'stage' | 'ladder'>> & { factorReason?: string },
  /** the version the change was made from (If-Match or body): 412 if the account has moved on since */
  expectedVersion?: number,
) {
  assertCan(actor, 'accounts.update');
  const { factorReason, ...patch } = input;
  const entity = { type: 'account', id, noun: 'account.noun' };
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    // a factor computed from contracts and payments may be overridden by hand, with the reason kept beside it
    const overridden = before.gradingComputed ? computedFactors.filter((f) => f in patch && patch[f] !== before[f]) : [];
    if (overridden.length) {
      if (!factorReason) throw invalid('commerce.override_reason', {}, [{ field: 'factorReason', message: 'commerce.override_reason' }]);
      const at = new Date().toISOString();
      const overrides = { ...before.gradingOverrides };
      for (const f of overridden) overrides[f] = { reason: factorReason, byUserId: actor.userId, at };
      (patch as Record<string, unknown>).gradingOverrides = overrides;
    }
    if (patch.name && patch.name !== before.name && (await repo.findAccountByName(tx, actor.workspaceId, patch.name))) {
      throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    await assertUsers(tx, actor.workspaceId, [{ field: 'ownerId', id: patch.ownerId }]);
    await assertPartner(tx, actor.workspaceId, patch.channelPartnerId);
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { ...patch, tags: cleanTags(patch.tags) }, expectedVersion);
    // (PGlite has no row lock to wait on; the version in the WHERE is what decides there and on a race)
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'account.update', entityType: 'account', entityId: id, before, after });
    if (gradingFields.some((f) => f in patch && patch[f] !== before[f])) {
      await recomputeGrading(tx, actor);
      return (await repo.findAccount(tx, actor.workspaceId, id))!;
    }
    return after;
  });
}

/**
 * Regrades every account of the workspace (ranks depend on all of them). Records a tier-history
 * entry for each tier that changed. Returns how many tiers changed.
 */
export async function recomputeGrading(tx: Db, actor: StaffActor | { kind: 'system'; workspaceId: string }, now = new Date()) {
  const model = await repo.loadGradingModel(tx, actor.workspaceId);
  const rows = await repo.gradingInputs(tx, actor.workspaceId);
  const decisions = gradeAll(
    rows.map((r) => ({
      id: r.id,
      isChannel: !!r.channelPartnerId,
      onTimePaymentPct: r.onTimePaymentPct,
      orderAmountMinor: r.orderAmountMinor,
      prospect: r.prospect,
      profitMarginPct: r.profitMarginPct,
    })),
    model,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const history: Parameters<typeof repo.insertTierHistory>[1] = [];
  const updates: { id: string; tier: Tier; modelTier: Tier; override: Tier | null; value: number; potential: number; detail: GradingDetail }[] = [];
  for (const d of decisions) {
    const prev = byId.get(d.id)!;
    // a channel account cannot keep an override: it is E by rule
    const override = d.tier === 'E' ? null : (prev.tierOverride as Tier | null);
    const tier = effectiveTier(d.tier, override);
    updates.push({ id: d.id, tier, modelTier: d.tier, override, value: d.value, potential: d.potential, detail: d.detail });
    const base = {
      workspaceId: actor.workspaceId,
      accountId: d.id,
      toTier: tier,
      valueScore: d.value,
      potentialScore: d.potential,
      actorId: actor.kind === 'staff' ? actor.userId : null,
      at: now,
    };
    // the first grading of a new account reads as "graded at creation", not as a change from the default
    if (!prev.gradedAt) history.push({ ...base, fromTier: null, source: 'created' });
    else if (tier !== prev.tier) history.push({ ...base, fromTier: prev.tier, source: 'model' });
  }
  for (let i = 0; i < updates.length; i += 500) {
    const chunk = updates.slice(i, i + 500);
    await repo.applyGrading(tx, actor.workspaceId, chunk, now);
  }
  await repo.insertTierHistory(tx, history);
  return { changed: history.filter((h) => h.source === 'model').length, total: rows.length };
}

export async function recomputeGradingFor(db: Db, actor: Actor) {
  assertCan(actor, 'grading.manage');
  return db.transaction(async (tx) => {
    const r = await recomputeGrading(tx, actor);
    await recordAudit(tx, actor, { action: 'grading.recompute', entityType: 'grading', after: r });
    return r;
  });
}

export async function getGradingModel(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  const { model, version } = await repo.loadGradingModelVersioned(db, actor.workspaceId);
  return { ...model, version };
}

export async function updateGradingModel(db: Db, actor: Actor, model: GradingModel, expectedVersion?: number) {
  assertCan(actor, 'grading.manage');
  unwrap(validateModel(model));
  // the trail names the workspace as the model's id, so a stale save can say who saved last
  const entity = { type: 'grading', id: actor.workspaceId, noun: 'grading.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.loadGradingModelVersioned(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const version = await repo.saveGradingModel(tx, actor.workspaceId, model, actor.userId, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, {
      action: 'grading.model.update',
      entityType: 'grading',
      entityId: actor.workspaceId,
      before: before.model as never,
      after: model as never,
    });
    const r = await recomputeGrading(tx, actor);
    return { model, version, ...r };
  });
}

export async function overrideTier(db: Db, actor: Actor, id: string, input: { tier: Tier; reason: string }) {
  assertCan(actor, 'accounts.tier_override');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    const tier = unwrap(
      validateOverride({ modelTier: before.modelTier as Tier, isChannel: !!before.channelPartnerId, tier: input.tier, reason: input.reason }),
    );
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { tier, tierOverride: tier, tierOverrideReason: input.reason.trim() });
    await repo.insertTierHistory(tx, [
      {
        workspaceId: actor.workspaceId,
        accountId: id,
        fromTier: before.tier,
        toTier: tier,
        source: 'override',
        reason: input.reason.trim(),
        valueScore: before.valueScore,
        potentialScore: before.potentialScore,
        actorId: actor.userId,
      },
    ]);
    await recordAudit(tx, actor, { action: 'account.tier_override', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function clearTierOverride(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'accounts.tier_override');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    if (!before.tierOverride) throw conflict('tier.no_override');
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { tier: before.modelTier, tierOverride: null, tierOverrideReason: null });
    await repo.insertTierHistory(tx, [
      {
        workspaceId: actor.workspaceId,
        accountId: id,
        fromTier: before.tier,
        toTier: before.modelTier,
        source: 'override_cleared',
        valueScore: before.valueScore,
        potentialScore: before.potentialScore,
        actorId: actor.userId,
      },
    ]);
    await recordAudit(tx, actor, { action: 'account.tier_override.clear', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function moveStage(db: Db, actor: Actor, id: string, input: { to: Stage; note?: string }, now = new Date()) {
  assertCan(actor, 'accounts.stage');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    const to = unwrap(decideStageMove(before.stage as Stage, input.to, actor.locale), 'conflict');
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { stage: to, stageEnteredAt: now });
    await repo.insertStageTransition(tx, {
      workspaceId: actor.workspaceId,
      accountId: id,
      fromStage: before.stage,
      toStage: to,
      note: input.note,
      actorId: actor.userId,
      at: now,
    });
    await recordAudit(tx, actor, { action: 'account.stage', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function moveLadder(db: Db, actor: Actor, id: string, input: { to: LadderLevel; reason?: string }, now = new Date()) {
  assertCan(actor, 'accounts.ladder');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    const decision = decideLadderMove(before.ladder as LadderLevel, input.to, input.reason, actor.locale);
    const to = unwrap(decision, !decision.ok && decision.key === 'ladder.reason_required' ? 'invalid' : 'conflict');
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { ladder: to });
    await repo.insertLadderHistory(tx, {
      workspaceId: actor.workspaceId,
      accountId: id,
      fromLevel: before.ladder,
      toLevel: to,
      reason: input.reason,
      actorId: actor.userId,
      at: now,
    });
    await recordAudit(tx, actor, { action: 'account.ladder', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function setTeam(db: Db, actor: Actor, id: string, team: TeamSeats) {
  assertCan(actor, 'accounts.team');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    await assertUsers(
      tx,
      actor.workspaceId,
      seats.map((s: Seat) => ({ field: s, id: team[s], role: seatRole[s] })),
    );
    const after = await repo.updateAccount(tx, actor.workspaceId, id, team);
    await recordAudit(tx, actor, { action: 'account.team', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function teamGaps(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  const rows = await repo.teamGapRows(db, actor.workspaceId, scopeOf(actor));
  return rows
    .map((r) => {
      const missing = missingSeats(r.tier as Tier, r);
      return { id: r.id, name: r.name, tier: r.tier, missing, messages: describeMissing(actor.locale, r.tier as Tier, missing) };
    })
    .filter((r) => r.missing.length > 0);
}

/** Everything the account 360 shows, with reasons in the actor's words. */
export async function getAccount360(db: Db, actor: Actor, id: string, now = new Date()) {
  assertCan(actor, 'accounts.read');
  // the account and what its 360 shows in one statement; who may see it is decided before anything is used
  const history = await repo.account360Parts(db, actor.workspaceId, id);
  const a = history?.account;
  if (!history || !a || !canSeeAccount(actor, a)) throw notFound('account.noun');
  const [people, partner] = await Promise.all([
    repo.usersByIds(
      db,
      actor.workspaceId,
      [a.ownerId, a.salesId, a.deliveryId, a.afterSalesId, a.csmId].filter((x): x is string => !!x),
    ),
    partnerNames(db, actor.workspaceId, [a.channelPartnerId]),
  ]);
  const person = (uid: string | null) => {
    const u = uid ? people.find((p) => p.id === uid) : undefined;
    return u ? { id: u.id, name: u.name } : null;
  };
  const tier = a.tier as Tier;
  const detail = a.gradingDetail as GradingDetail;
  const links = history.links;
  const mapLinks: MapLink[] = links.map((l) => ({
    ourSide: l.ourSide as OurSide,
    theirSide: l.theirSide as TheirSide,
    strength: l.strength,
    lastContactAt: l.lastContactAt,
    userName: l.userName,
    contactName: l.contactName,
  }));
  return {
    ...a,
    owner: person(a.ownerId),
    channelPartner: a.channelPartnerId && partner.has(a.channelPartnerId) ? { id: a.channelPartnerId, name: partner.get(a.channelPartnerId)! } : null,
    tierExplanation: detail?.rule
      ? explainTier(actor.locale, detail, tier, a.tierOverride ? { tier: a.tierOverride as Tier, reason: a.tierOverrideReason ?? '' } : null)
      : '',
    tierHistory: history.tiers,
    stageTimeline: history.stages,
    daysInStage: daysInStage(a.stageEnteredAt, now),
    allowedNextStages: allowedNextStages(a.stage as Stage),
    ladderHistory: history.ladder,
    team: { sales: person(a.salesId), delivery: person(a.deliveryId), afterSales: person(a.afterSalesId), csm: person(a.csmId) },
    teamGaps: describeMissing(actor.locale, tier, missingSeats(tier, a)),
    contacts: history.contacts.map((r) => ({ ...r.c, hasPortalLogin: r.hasLogin, keyPersonId: r.keyPersonActive ? r.keyPersonId : null })),
    links,
    relationshipGaps: relationshipGaps(tier, mapLinks, now).map((g) => describeGap(actor.locale, g)),
  };
}

// ---- contacts and the relationship map

export type ContactInput = {
  name: string;
  title?: string | null;
  department?: string | null;
  email?: string | null;
  phone?: string | null;
  side?: TheirSide;
  orgGroups?: string[];
  isKeyPerson?: boolean;
  notes?: string | null;
};

export async function createContact(db: Db, actor: Actor, accountId: string, input: ContactInput) {
  assertCan(actor, 'contacts.write');
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId);
    const row = await repo.insertContact(tx, {
      ...input,
      orgGroups: input.orgGroups ? [...new Set(input.orgGroups)] : undefined,
      workspaceId: actor.workspaceId,
      accountId,
    });
    await recordAudit(tx, actor, { action: 'contact.create', entityType: 'contact', entityId: row.id, after: row });
    return row;
  });
}

async function loadVisibleContact(db: Db, actor: Actor, id: string) {
  const c = await repo.findContact(db, actor.workspaceId, id);
  if (!c) throw notFound('contact.noun');
  try {
    await loadVisibleAccount(db, actor, c.accountId);
  } catch {
    throw notFound('contact.noun');
  }
  return c;
}

export async function updateContact(db: Db, actor: Actor, id: string, patch: Partial<ContactInput>, expectedVersion?: number) {
  assertCan(actor, 'contacts.write');
  const entity = { type: 'contact', id, noun: 'contact.noun' };
  return db.transaction(async (tx) => {
    const before = await loadVisibleContact(tx, actor, id);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const after = await repo.updateContact(
      tx,
      actor.workspaceId,
      id,
      { ...patch, orgGroups: patch.orgGroups ? [...new Set(patch.orgGroups)] : undefined },
      expectedVersion,
    );
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'contact.update', entityType: 'contact', entityId: id, before, after });
    return after;
  });
}

/**
 * Removes a contact. One with history (tickets, needs, portal use, a portal login) cannot vanish from the
 * record: it is archived instead (hidden from lists) and its portal login, if any, is deactivated with its
 * sessions ended at once. The reply says which happened.
 */
export async function deleteContact(db: Db, actor: Actor, id: string): Promise<{ ok: true; archived: boolean }> {
  assertCan(actor, 'contacts.write');
  return db.transaction(async (tx) => {
    const before = await loadVisibleContact(tx, actor, id);
    const login = await repo.keyPersonLoginOf(tx, actor.workspaceId, id);
    if (login?.active) {
      await repo.setKeyPersonActive(tx, actor.workspaceId, login.id, false);
      await endSessionsOf(tx, 'key_person', login.id);
    }
    let archived = false;
    try {
      // a savepoint: a foreign key from any module's history rolls back only this attempt
      await tx.transaction((sp) => repo.deleteContact(sp, actor.workspaceId, id));
    } catch (err) {
      if (pgErrorCode(err) !== '23503') throw err;
      archived = true;
      await repo.updateContact(tx, actor.workspaceId, id, { archivedAt: new Date(), isKeyPerson: false });
    }
    await recordAudit(tx, actor, { action: archived ? 'contact.archive' : 'contact.delete', entityType: 'contact', entityId: id, before });
    return { ok: true as const, archived };
  });
}

/** Turns a key person's portal access off (sessions end at once: the next request is 401) or on again. */
export async function setKeyPersonAccess(db: Db, actor: Actor, keyPersonId: string, active: boolean) {
  assertCan(actor, 'key_persons.manage');
  return db.transaction(async (tx) => {
    const login = await repo.findKeyPersonLogin(tx, actor.workspaceId, keyPersonId);
    if (!login) throw notFound('keyperson.noun');
    await loadVisibleAccount(tx, actor, login.accountId);
    const contact = await repo.findContact(tx, actor.workspaceId, login.contactId);
    if (active && contact?.archivedAt) throw invalid('error.contact_archived', {}, [{ field: 'active', message: 'archived' }]);
    await repo.setKeyPersonActive(tx, actor.workspaceId, login.id, active);
    if (!active) await endSessionsOf(tx, 'key_person', login.id);
    await recordAudit(tx, actor, {
      action: active ? 'key_person.reactivate' : 'key_person.deactivate',
      entityType: 'key_person',
      entityId: login.id,
      before: { active: login.active },
      after: { active },
    });
    return { id: login.id, email: login.email, accountId: login.accountId, contactId: login.contactId, active };
  });
}

/** The database's own error code (a driver error, or one drizzle wrapped). */
function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.cause?.code ?? e.code;
}

export async function createLink(
  db: Db,
  actor: Actor,
  accountId: string,
  input: { userId: string; ourSide: OurSide; contactId: string; strength: number; lastContactAt?: Date | null; note?: string | null },
) {
  assertCan(actor, 'relationships.write');
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId);
    const c = await repo.findContact(tx, actor.workspaceId, input.contactId);
    if (!c || c.accountId !== accountId)
      throw invalid('link.contact_other_account', {}, [{ field: 'contactId', message: 'not a contact of this account' }]);
    await assertUsers(tx, actor.workspaceId, [{ field: 'userId', id: input.userId }]);
    if (await repo.findLinkPair(tx, input.userId, input.contactId))
      throw new AppError('conflict', 'link.duplicate', {}, [{ field: 'contactId', message: 'duplicate' }]);
    const row = await repo.insertLink(tx, { ...input, workspaceId: actor.workspaceId, accountId });
    await recordAudit(tx, actor, { action: 'link.create', entityType: 'relationship_link', entityId: row.id, after: row });
    return row;
  });
}

async function loadVisibleLink(db: Db, actor: Actor, id: string) {
  const l = await repo.findLink(db, actor.workspaceId, id);
  if (!l) throw notFound('link.noun');
  try {
    await loadVisibleAccount(db, actor, l.accountId);
  } catch {
    throw notFound('link.noun');
  }
  return l;
}

export async function updateLink(
  db: Db,
  actor: Actor,
  id: string,
  patch: { strength?: number; lastContactAt?: Date | null; note?: string | null; ourSide?: OurSide },
) {
  assertCan(actor, 'relationships.write');
  return db.transaction(async (tx) => {
    const before = await loadVisibleLink(tx, actor, id);
    if (Object.keys(patch).length === 0) return before;
    const after = await repo.updateLink(tx, actor.workspaceId, id, patch);
    await recordAudit(tx, actor, { action: 'link.update', entityType: 'relationship_link', entityId: id, before, after });
    return after;
  });
}

export async function deleteLink(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'relationships.write');
  await db.transaction(async (tx) => {
    const before = await loadVisibleLink(tx, actor, id);
    await repo.deleteLink(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'link.delete', entityType: 'relationship_link', entityId: id, before });
  });
}

/** Gives a contact a portal login bound to the contact's one account. */
export async function createKeyPersonLogin(db: Db, actor: Actor, contactId: string, input: { email: string; password: string }) {
  assertCan(actor, 'key_persons.manage');
  if (!isStrongPassword(input.password)) throw invalid('error.weak_password', {}, [{ field: 'password', message: 'weak' }]);
  const hash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const c = await loadVisibleContact(tx, actor, contactId);
    if (await repo.findKeyPersonLoginByContact(tx, contactId)) throw conflict('keyperson.exists');
    if (await signInEmailTaken(tx, actor.workspaceId, input.email))
      throw new AppError('conflict', 'error.email_taken', {}, [{ field: 'email', message: 'taken' }]);
    const row = await repo.insertKeyPersonLogin(tx, {
      workspaceId: actor.workspaceId,
      accountId: c.accountId,
      contactId,
      email: input.email,
      passwordHash: hash,
    });
    await repo.updateContact(tx, actor.workspaceId, contactId, { isKeyPerson: true });
    await recordAudit(tx, actor, { action: 'key_person.create', entityType: 'key_person', entityId: row.id, after: row });
    return row;
  });
}

// ---- segments and tags

export async function listSegments(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  return repo.listSegments(db, actor.workspaceId);
}

export async function createSegment(db: Db, actor: Actor, input: { name: string; description?: string | null; rules: SegmentCondition[] }) {
  assertCan(actor, 'segments.manage');
  return db.transaction(async (tx) => {
    const row = await repo.insertSegment(tx, { ...input, workspaceId: actor.workspaceId });
    if (!row) throw new AppError('conflict', 'error.name_taken', { name: input.name }, [{ field: 'name', message: 'taken' }]);
    await recordAudit(tx, actor, { action: 'segment.create', entityType: 'segment', entityId: row.id, after: row });
    return row;
  });
}

export async function updateSegment(
  db: Db,
  actor: Actor,
  id: string,
  patch: { name?: string; description?: string | null; rules?: SegmentCondition[] },
) {
  assertCan(actor, 'segments.manage');
  return db.transaction(async (tx) => {
    const before = await repo.findSegment(tx, actor.workspaceId, id);
    if (!before) throw notFound('segment.noun');
    if (Object.keys(patch).length === 0) return before;
    if (patch.name && patch.name !== before.name && (await repo.listSegments(tx, actor.workspaceId)).some((s) => s.name === patch.name)) {
      throw new AppError('conflict', 'error.name_taken', { name: patch.name }, [{ field: 'name', message: 'taken' }]);
    }
    const after = await repo.updateSegmentRow(tx, actor.workspaceId, id, patch);
    await recordAudit(tx, actor, { action: 'segment.update', entityType: 'segment', entityId: id, before, after });
    return after;
  });
}

export async function deleteSegment(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'segments.manage');
  await db.transaction(async (tx) => {
    const before = await repo.findSegment(tx, actor.workspaceId, id);
    if (!before) throw notFound('segment.noun');
    await repo.deleteSegmentRow(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'segment.delete', entityType: 'segment', entityId: id, before });
  });
}

export async function listTags(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  return repo.distinctTags(db, actor.workspaceId, scopeOf(actor));
}

/** Industries and regions in use (for filter pickers), within the actor's scope. */
export async function listFacets(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  return repo.distinctFacets(db, actor.workspaceId, scopeOf(actor));
}

/** Moves each selected account as `moveStage` would, one transaction per account. */
export async function bulkMoveStage(db: Db, actor: Actor, input: { ids: string[]; to: Stage; note?: string }, now = new Date()) {
  assertCan(actor, 'accounts.stage');
  return eachRow(input.ids, actor.locale, (id) => moveStage(db, actor, id, { to: input.to, note: input.note }, now));
}

/** Adds one tag to an account (kept once), as a change of its details would. */
export async function addTag(db: Db, actor: Actor, id: string, tag: string) {
  assertCan(actor, 'accounts.update');
  const clean = normaliseTag(tag);
  if (!clean) throw invalid('error.validation', { detail: 'tag' }, [{ field: 'tag', message: 'required' }]);
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    if (before.tags.includes(clean)) return before;
    const after = await repo.updateAccount(tx, actor.workspaceId, id, { tags: [...before.tags, clean] });
    await recordAudit(tx, actor, { action: 'account.update', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

export async function bulkAddTag(db: Db, actor: Actor, input: { ids: string[]; tag: string }) {
  assertCan(actor, 'accounts.update');
  if (!normaliseTag(input.tag)) throw invalid('error.validation', { detail: 'tag' }, [{ field: 'tag', message: 'required' }]);
  return eachRow(input.ids, actor.locale, (id) => addTag(db, actor, id, input.tag));
}

/** Drops a hand override of a computed grading factor: the computed figure applies again and the tiers regrade. */
export async function clearFactorOverride(db: Db, actor: Actor, id: string, factor: ComputedFactor) {
  assertCan(actor, 'accounts.update');
  return db.transaction(async (tx) => {
    const before = await loadVisibleAccount(tx, actor, id, { forUpdate: true });
    if (!before.gradingOverrides[factor]) throw notFound('grading_override.noun');
    const { [factor]: _dropped, ...rest } = before.gradingOverrides;
    const after = await repo.updateAccount(tx, actor.workspaceId, id, {
      gradingOverrides: rest,
      ...(before.gradingComputed ? { [factor]: before.gradingComputed[factor] } : {}),
    });
    await recordAudit(tx, actor, { action: 'account.factor_override.clear', entityType: 'account', entityId: id, before, after });
    await recomputeGrading(tx, actor);
    return (await repo.findAccount(tx, actor.workspaceId, id))!;
  });
}

/**
 * The commercial figures of accounts changed (contracts, plan items, payments): they become the grading factors
 * wherever nobody overrode one by hand, and the workspace regrades (ranks depend on every account).
 */
export async function applyCommercialFigures(tx: Db, workspaceId: string, rows: ({ accountId: string } & ComputedFactors)[]) {
  if (!rows.length) return { changed: 0, total: 0 };
  await repo.applyComputedFactors(tx, workspaceId, rows);
  return recomputeGrading(tx, { kind: 'system', workspaceId });
}
