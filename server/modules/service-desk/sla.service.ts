import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { announceInvalidation } from '../../platform/live.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, unwrap } from '../../platform/errors.js';
import * as repo from './tickets.repo.js';

/** Every instance's cached calendar and policies (tickets.repo calendarOf / policyOf) drop them. */
const slaSettingsChanged = (db: Db, workspaceId: string) =>
  announceInvalidation(db, { topic: 'workspace', workspaceId, at: new Date().toISOString() });
import { describeRules, type DispatchTier, type Severity } from './dispatch.domain.js';
import { businessMinutesBetween, formatMinutes, scanDeadline, validateCalendar, validatePolicy, type Calendar, type Pause } from './sla.domain.js';

export async function getSlaSettings(db: Db, actor: Actor) {
  assertCan(actor, 'tickets.read');
  const [calendar, policies, policiesVersion] = await Promise.all([
    repo.loadCalendar(db, actor.workspaceId),
    repo.loadPolicies(db, actor.workspaceId),
    repo.policiesVersion(db, actor.workspaceId),
  ]);
  return { calendar, policies, policiesVersion };
}

// the trail names the workspace as the calendar's and the policy set's id, so a stale save can say who saved last
const calendarEntity = (workspaceId: string) => ({ type: 'sla_calendar', id: workspaceId, noun: 'sla_calendar.noun' });
const policiesEntity = (workspaceId: string) => ({ type: 'sla_policy', id: workspaceId, noun: 'sla_policies.noun' });

/** Changes the business calendar; open tickets' deadlines move with it (their policy targets do not change). */
export async function putCalendar(db: Db, actor: Actor, input: Calendar & { name: string }, expectedVersion?: number) {
  assertCan(actor, 'sla.manage');
  const cal = unwrap(validateCalendar(input));
  const entity = calendarEntity(actor.workspaceId);
  return db.transaction(async (tx) => {
    const before = await repo.loadCalendar(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const version = await repo.saveCalendar(tx, actor.workspaceId, { ...cal, name: input.name }, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    let moved = 0;
    for (const r of await repo.openClocks(tx, actor.workspaceId)) {
      const pauses = r.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
      const d = scanDeadline(cal, { targetMinutes: r.clock.targetMinutes, startedAt: r.clock.startedAt, metAt: null, pauses, warnPct: r.warnPct });
      await repo.updateClock(tx, r.clock.id, { dueAt: d.dueAt, warnAt: d.warnAt });
      moved++;
    }
    await slaSettingsChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, {
      action: 'sla.calendar',
      entityType: 'sla_calendar',
      entityId: actor.workspaceId,
      before: before as never,
      after: { ...cal, name: input.name } as never,
    });
    return { calendar: await repo.loadCalendar(tx, actor.workspaceId), moved, version };
  });
}

export type PolicyInput = {
  tier: DispatchTier;
  severity: Severity;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warnPct: number;
};

/** Changes policies for new tickets; open tickets keep the policy they were opened under. */
export async function putPolicies(db: Db, actor: Actor, rows: PolicyInput[], expectedVersion?: number) {
  assertCan(actor, 'sla.manage');
  rows.forEach((r, i) => {
    const v = validatePolicy(r);
    if (!v.ok) throw new AppError('invalid', v.key, v.params ?? {}, [{ field: `policies.${i}.${v.field}`, message: v.key }]);
  });
  return db.transaction(async (tx) => {
    const entity = policiesEntity(actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, await repo.policiesVersion(tx, actor.workspaceId), expectedVersion);
    const version = await repo.bumpPoliciesVersion(tx, actor.workspaceId, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    const before = await repo.loadPolicies(tx, actor.workspaceId);
    await repo.savePolicies(tx, actor.workspaceId, rows);
    const after = await repo.loadPolicies(tx, actor.workspaceId);
    await slaSettingsChanged(tx, actor.workspaceId);
    await recordAudit(tx, actor, {
      action: 'sla.policies',
      entityType: 'sla_policy',
      entityId: actor.workspaceId,
      before: { policies: before },
      after: { policies: after },
    });
    return { policies: after, version };
  });
}

export type SlaPreviewInput = {
  openedAt: Date;
  tier: DispatchTier;
  severity: Severity;
  /** closed pauses (waiting on the customer): the clocks stop from `from` to `to` */
  pauses: { from: Date; to: Date }[];
};

/**
 * "Opened Friday 17:00, paused Monday 10:00–11:00: due when?" — the deadlines a ticket opened then would get,
 * from the same engine, calendar and policies the tickets use (scanDeadline over the workspace calendar and
 * the tier × severity policy); nothing is stored.
 */
export async function previewSla(db: Db, actor: Actor, input: SlaPreviewInput) {
  assertCan(actor, 'tickets.read');
  input.pauses.forEach((p, i) => {
    if (p.to.getTime() <= p.from.getTime())
      throw new AppError('invalid', 'sla.preview_pause_order', {}, [{ field: `pauses.${i}.to`, message: 'sla.preview_pause_order' }]);
    if (p.from.getTime() < input.openedAt.getTime())
      throw new AppError('invalid', 'sla.preview_pause_before_open', {}, [{ field: `pauses.${i}.from`, message: 'sla.preview_pause_before_open' }]);
  });
  const cal = await repo.loadCalendar(db, actor.workspaceId);
  const policy = await repo.policyOf(db, actor.workspaceId, input.tier, input.severity);
  const pauses: Pause[] = [...input.pauses].sort((a, b) => a.from.getTime() - b.from.getTime());
  const clock = (targetMinutes: number) => {
    const d = scanDeadline(cal, { targetMinutes, startedAt: input.openedAt, metAt: null, pauses, warnPct: policy.warnPct });
    // business minutes the pauses took out before the deadline (what the customer's wait added)
    const pausedMinutes = d.dueAt
      ? input.pauses.reduce((m, p) => m + businessMinutesBetween(cal, p.from, new Date(Math.min(p.to.getTime(), d.dueAt!.getTime()))), 0)
      : 0;
    return {
      targetMinutes,
      target: formatMinutes(actor.locale, targetMinutes),
      dueAt: d.dueAt?.toISOString() ?? null,
      warnAt: d.warnAt?.toISOString() ?? null,
      pausedMinutes: Math.round(pausedMinutes),
    };
  };
  return {
    calendar: { name: cal.name, timezone: cal.timezone, isDefault: cal.isDefault },
    policy: { tier: input.tier, severity: input.severity, ...policy },
    firstResponse: clock(policy.firstResponseMinutes),
    resolution: clock(policy.resolutionMinutes),
  };
}

export function dispatchRulesView(actor: Actor) {
  assertCan(actor, 'tickets.read');
  return describeRules(actor.locale);
}
