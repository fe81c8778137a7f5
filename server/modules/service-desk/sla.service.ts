import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, unwrap } from '../../platform/errors.js';
import * as repo from './tickets.repo.js';
import { describeRules, type DispatchTier, type Severity } from './dispatch.domain.js';
import { scanDeadline, validateCalendar, validatePolicy, type Calendar } from './sla.domain.js';

export async function getSlaSettings(db: Db, actor: Actor) {
  assertCan(actor, 'tickets.read');
  const [calendar, policies] = await Promise.all([repo.loadCalendar(db, actor.workspaceId), repo.loadPolicies(db, actor.workspaceId)]);
  return { calendar, policies };
}

/** Changes the business calendar; open tickets' deadlines move with it (their policy targets do not change). */
export async function putCalendar(db: Db, actor: Actor, input: Calendar & { name: string }) {
  assertCan(actor, 'sla.manage');
  const cal = unwrap(validateCalendar(input));
  return db.transaction(async (tx) => {
    const before = await repo.loadCalendar(tx, actor.workspaceId);
    await repo.saveCalendar(tx, actor.workspaceId, { ...cal, name: input.name });
    let moved = 0;
    for (const r of await repo.openClocks(tx, actor.workspaceId)) {
      const pauses = r.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
      const d = scanDeadline(cal, { targetMinutes: r.clock.targetMinutes, startedAt: r.clock.startedAt, metAt: null, pauses, warnPct: r.warnPct });
      await repo.updateClock(tx, r.clock.id, { dueAt: d.dueAt, warnAt: d.warnAt });
      moved++;
    }
    await recordAudit(tx, actor, {
      action: 'sla.calendar',
      entityType: 'sla_calendar',
      entityId: actor.workspaceId,
      before: before as never,
      after: { ...cal, name: input.name } as never,
    });
    return { calendar: await repo.loadCalendar(tx, actor.workspaceId), moved };
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
export async function putPolicies(db: Db, actor: Actor, rows: PolicyInput[]) {
  assertCan(actor, 'sla.manage');
  rows.forEach((r, i) => {
    const v = validatePolicy(r);
    if (!v.ok) throw new AppError('invalid', v.key, v.params ?? {}, [{ field: `policies.${i}.${v.field}`, message: v.key }]);
  });
  return db.transaction(async (tx) => {
    const before = await repo.loadPolicies(tx, actor.workspaceId);
    await repo.savePolicies(tx, actor.workspaceId, rows);
    const after = await repo.loadPolicies(tx, actor.workspaceId);
    await recordAudit(tx, actor, { action: 'sla.policies', entityType: 'sla_policy', before: { policies: before }, after: { policies: after } });
    return after;
  });
}

export function dispatchRulesView(actor: Actor) {
  assertCan(actor, 'tickets.read');
  return describeRules(actor.locale);
}
