import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, invalid, notFound, unwrap } from '../../platform/errors.js';
import { announce } from '../../platform/events.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { captureOpportunity } from '../opportunities/index.js';
import { openBudget } from './budget.service.js';
import { ensureSetup } from './catalog.service.js';
import { decideFocus, decideTaskMove, allowedNext, type TaskStatus } from './plan.domain.js';
import { recommend, type PastEffect } from './recommend.domain.js';
import { coreTaskLabels, normaliseTasks, type CoreTask } from './tasks.domain.js';
import { TaskDone } from './value-add.events.js';
import * as repo from './value-add.repo.js';

/** The current period of a fiscal year when none is given: the year itself. */
const defaultPeriod = (fiscalYear: number) => String(fiscalYear);

export async function setFocus(db: Db, actor: Actor, accountId: string, input: { period?: string; tasks: string[]; note?: string | null }) {
  assertCan(actor, 'value_add.focus');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const v = unwrap(decideFocus(input.tasks, input.period ?? defaultPeriod(account.fiscalYear)));
    const before = (await repo.findFocus(tx, actor.workspaceId, accountId, v.period)) ?? null;
    const row = await repo.upsertFocus(tx, {
      workspaceId: actor.workspaceId,
      accountId,
      period: v.period,
      tasks: v.tasks,
      note: input.note ?? null,
      chosenById: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'value_add.focus',
      entityType: 'account',
      entityId: accountId,
      before: before ? { tasks: before.tasks, period: before.period } : null,
      after: { tasks: row.tasks, period: row.period, note: row.note },
    });
    return row;
  });
}

export async function getFocus(db: Db, actor: Actor, accountId: string, period?: string) {
  assertCan(actor, 'value_add.read');
  await loadVisibleAccount(db, actor, accountId);
  const history = await repo.listFocus(db, actor.workspaceId, accountId);
  const current = period ? history.find((f) => f.period === period) : history[0];
  const names = new Map((await repo.userNames(db, actor.workspaceId, [...new Set(history.map((h) => h.chosenById))])).map((u) => [u.id, u.name]));
  const shape = (f: (typeof history)[number]) => ({
    period: f.period,
    tasks: normaliseTasks(f.tasks),
    labels: normaliseTasks(f.tasks).map((t) => coreTaskLabels[t][actor.locale]),
    note: f.note,
    chosenByName: names.get(f.chosenById) ?? null,
    updatedAt: f.updatedAt,
  });
  return { current: current ? shape(current) : null, history: history.map(shape) };
}

/** Catalog items for the account's focus, ranked, each with its reason in words (SPEC §3, UX "say why"). */
export async function getRecommendations(db: Db, actor: Actor, accountId: string, q: { period?: string; tasks?: string[] }) {
  assertCan(actor, 'value_add.read');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const settings = await ensureSetup(tx, actor.workspaceId);
    const focusRow = q.tasks?.length ? null : await repo.findFocus(tx, actor.workspaceId, accountId, q.period);
    const focus: CoreTask[] = q.tasks?.length ? normaliseTasks(q.tasks) : normaliseTasks(focusRow?.tasks ?? []);
    const budget = await openBudget(tx, actor.workspaceId, account, settings.budgetRatioBp);
    const items = (await repo.listCatalog(tx, actor.workspaceId, { activeOnly: true })).filter((i) => i.eligibleTiers.includes(account.tier));
    const effects: Record<string, PastEffect> = {};
    for (const e of await repo.pastEffects(tx, actor.workspaceId, account.tier, account.id)) {
      effects[e.catalog_item_id] = { finished: Number(e.finished), movedMetric: Number(e.moved), opportunityMinor: Number(e.opp) };
    }
    const ranked = recommend({
      focus,
      candidates: items.map((i) => ({
        id: i.id,
        name: actor.locale === 'en' ? i.nameEn : i.nameZh,
        tasks: normaliseTasks(i.tasks),
        pricing: i.pricing as 'free' | 'paid',
        internalCostMinor: i.internalCostMinor,
        priceMinor: i.priceMinor,
      })),
      remainingMinor: budget ? budget.remainingMinor : null,
      effects,
      locale: actor.locale,
    });
    const byId = new Map(items.map((i) => [i.id, i]));
    return {
      focus,
      period: focusRow?.period ?? q.period ?? null,
      remainingMinor: budget ? budget.remainingMinor : null,
      items: ranked.map((r) => {
        const i = byId.get(r.itemId)!;
        return {
          ...r,
          menu: i.menu,
          nameZh: i.nameZh,
          nameEn: i.nameEn,
          pricing: i.pricing,
          priceMinor: i.priceMinor,
          internalCostMinor: i.internalCostMinor,
          executorRole: i.executorRole,
          tasks: normaliseTasks(i.tasks),
        };
      }),
    };
  });
}

export async function listTasks(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'value_add.read');
  await loadVisibleAccount(db, actor, accountId);
  const rows = await repo.listTasks(db, actor.workspaceId, accountId);
  return rows.map((r) => ({
    id: r.id,
    catalogItemId: r.catalog_item_id,
    title: r.title,
    tasks: normaliseTasks(r.tasks),
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    dueOn: r.due_on,
    status: r.status,
    allowedNext: allowedNext(r.status as TaskStatus),
    outcome: r.outcome,
    metricsMoved: r.metrics_moved,
    booking: r.booking_id
      ? {
          id: r.booking_id,
          status: r.booking_status!,
          kind: r.booking_kind!,
          amountMinor: Number(r.booking_amount_minor),
          version: r.booking_version!,
        }
      : null,
    opportunities: (r.opportunities ?? []).map((o) => ({ ...o, amountMinor: Number(o.amountMinor) })),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  }));
}

export type TaskPatch = { status?: TaskStatus; ownerId?: string | null; dueOn?: string | null; outcome?: string | null; metricsMoved?: string[] };

/** Moves a value-add task through planned → scheduled → done → evaluated and records what it changed. */
export async function updateTask(db: Db, actor: Actor, id: string, patch: TaskPatch) {
  assertCan(actor, 'value_add.plan');
  return db.transaction(async (tx) => {
    const before = await repo.findTask(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before) throw notFound('task.noun');
    await loadVisibleAccount(tx, actor, before.accountId);
    if (patch.ownerId) {
      const [u] = await repo.userNames(tx, actor.workspaceId, [patch.ownerId]);
      if (!u?.active) throw invalid('error.user_not_in_workspace', { field: 'ownerId' }, [{ field: 'ownerId', message: 'unknown user' }]);
    }
    const next = {
      ownerId: patch.ownerId !== undefined ? patch.ownerId : before.ownerId,
      dueOn: patch.dueOn !== undefined ? patch.dueOn : before.dueOn,
      outcome: patch.outcome !== undefined ? patch.outcome : before.outcome,
      metricsMoved: patch.metricsMoved ?? before.metricsMoved,
      status: before.status,
    };
    if (patch.status && patch.status !== before.status) {
      if (patch.status === 'cancelled') {
        const bookings = await repo.listBookings(tx, actor.workspaceId, { accountId: before.accountId });
        if (bookings.some((b) => b.task_id === id && (b.status === 'booked' || b.status === 'pending_approval')))
          throw conflict('task.cancel_via_booking');
      }
      const d = unwrap(
        decideTaskMove({
          from: before.status as TaskStatus,
          to: patch.status,
          dueOn: next.dueOn,
          outcome: next.outcome,
          metricsMoved: next.metricsMoved,
        }),
      );
      next.status = patch.status;
      next.metricsMoved = d.metricsMoved;
    } else if (patch.metricsMoved) {
      next.metricsMoved = unwrap(
        decideTaskMove({ from: 'done', to: 'evaluated', dueOn: null, outcome: 'x', metricsMoved: patch.metricsMoved }),
      ).metricsMoved;
    }
    const after = await repo.updateTask(tx, actor.workspaceId, id, next);
    if (after.status === 'done' && before.status !== 'done')
      await announce(tx, actor.workspaceId, TaskDone, { accountId: after.accountId, taskId: id });
    await recordAudit(tx, actor, {
      action: before.status !== after.status ? `value_add_task.${after.status}` : 'value_add_task.update',
      entityType: 'value_add_task',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** An opportunity heard while doing a value-add task: captured into the one opportunity model, sourced to the task. */
export async function captureFromTask(
  db: Db,
  actor: Actor,
  taskId: string,
  input: { title: string; description?: string | null; amountMinor?: number; product?: string | null; expectedCloseOn?: string | null },
) {
  assertCan(actor, 'opportunities.capture');
  return db.transaction(async (tx) => {
    const task = await repo.findTask(tx, actor.workspaceId, taskId);
    if (!task) throw notFound('task.noun');
    return captureOpportunity(tx, actor, { ...input, accountId: task.accountId, sourceKind: 'value_add_task', sourceId: task.id });
  });
}
