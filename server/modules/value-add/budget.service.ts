import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh } from '../../platform/concurrency.js';
import { AppError, conflict, invalid, notFound, unwrap } from '../../platform/errors.js';
import { isKeyTier, loadVisibleAccount, seesEveryAccount } from '../accounts/index.js';
import { budgetFor, checkMoney, decideApproval, decideBooking, formatMoney, remainingOf } from './budget.domain.js';
import { ensureSetup } from './catalog.service.js';
import * as repo from './value-add.repo.js';
import { announce } from '../../platform/events.js';
import { activeUsersWithRole, workspaceTimeZone } from '../people/index.js';
import { translate } from '../../platform/i18n.js';
import { DateTime } from 'luxon';
import { BookingAwaitingApproval } from './value-add.events.js';

type AccountRow = Awaited<ReturnType<typeof loadVisibleAccount>>;
type BudgetRow = NonNullable<Awaited<ReturnType<typeof repo.findBudget>>>;

const isBudgetTier = (tier: string) => isKeyTier(tier);

/**
 * Opens (or refreshes) the account's budget for its fiscal year: target × the workspace ratio. A changed
 * target or ratio rebases it in one statement, never below what is already committed. A/C accounts only.
 */
export async function openBudget(tx: Db, workspaceId: string, account: AccountRow, ratioBp: number): Promise<BudgetRow | null> {
  if (!isBudgetTier(account.tier)) return null;
  const budgetMinor = budgetFor(account.revenueTargetMinor, ratioBp);
  const key = { workspaceId, accountId: account.id, fiscalYear: account.fiscalYear };
  await repo.insertBudgetIfMissing(tx, { ...key, targetMinor: account.revenueTargetMinor, ratioBp, budgetMinor, currency: account.currency });
  const row = (await repo.findBudget(tx, workspaceId, account.id, account.fiscalYear))!;
  if (row.targetMinor === account.revenueTargetMinor && row.ratioBp === ratioBp) return row;
  return repo.rebaseBudget(tx, workspaceId, row.id, { targetMinor: account.revenueTargetMinor, ratioBp, budgetMinor });
}

function budgetView(account: AccountRow, b: BudgetRow | null) {
  if (!b) return { eligible: false as const, tier: account.tier, fiscalYear: account.fiscalYear, currency: account.currency, budget: null };
  return {
    eligible: true as const,
    tier: account.tier,
    fiscalYear: b.fiscalYear,
    currency: b.currency,
    budget: {
      id: b.id,
      targetMinor: b.targetMinor,
      ratioBp: b.ratioBp,
      budgetMinor: b.budgetMinor,
      extraMinor: b.extraMinor,
      openingSpentMinor: b.openingSpentMinor,
      committedMinor: b.committedMinor,
      remainingMinor: b.remainingMinor,
    },
  };
}

export async function getBudget(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'value_add.read');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const settings = await ensureSetup(tx, actor.workspaceId);
    return budgetView(account, await openBudget(tx, actor.workspaceId, account, settings.budgetRatioBp));
  });
}

/** What was spent on the account this fiscal year before its bookings were kept here (e.g. the seed's 5万). */
export async function setOpeningSpent(db: Db, actor: Actor, accountId: string, amountMinor: number) {
  assertCan(actor, 'value_add.opening');
  const amount = unwrap(checkMoney(amountMinor, 'amountMinor'));
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const settings = await ensureSetup(tx, actor.workspaceId);
    const before = await openBudget(tx, actor.workspaceId, account, settings.budgetRatioBp);
    if (!before) throw invalid('booking.budget_tiers_only', { tier: account.tier }, [{ field: 'accountId', message: 'tier' }]);
    const after = await repo.setOpeningSpent(tx, actor.workspaceId, before.id, amount);
    if (!after) throw conflict('budget.opening_exceeds', { amount: formatMoney(amount, actor.locale) });
    await recordAudit(tx, actor, { action: 'budget.opening_spent', entityType: 'account_budget', entityId: after.id, before, after });
    return budgetView(account, after);
  });
}

export type BookInput = {
  catalogItemId: string;
  ownerId?: string | null;
  dueOn?: string | null;
  promisedValueMinor?: number | null;
  note?: string | null;
};

async function assertOwner(tx: Db, actor: StaffActor, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [u] = await repo.userNames(tx, actor.workspaceId, [ownerId]);
  if (!u?.active) throw invalid('error.user_not_in_workspace', { field: 'ownerId' }, [{ field: 'ownerId', message: 'unknown user' }]);
}

/**
 * Books a catalog item for an account and plans it as a value-add task. A free item draws its
 * internal cost through a conditional update (the budget row is re-checked under its lock, and the
 * database refuses a negative remainder): concurrent bookings can never overspend.
 */
export async function bookServiceProduct(db: Db, actor: Actor, accountId: string, input: BookInput) {
  assertCan(actor, 'value_add.book');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const item = await repo.findCatalogItem(tx, actor.workspaceId, input.catalogItemId);
    if (!item) throw notFound('catalog_item.noun');
    await assertOwner(tx, actor, input.ownerId);
    if (input.promisedValueMinor != null) unwrap(checkMoney(input.promisedValueMinor, 'promisedValueMinor'));
    const settings = await ensureSetup(tx, actor.workspaceId);
    const budget = item.pricing === 'free' ? await openBudget(tx, actor.workspaceId, account, settings.budgetRatioBp) : null;
    const decision = unwrap(
      decideBooking({
        tier: account.tier,
        item: {
          pricing: item.pricing as 'free' | 'paid',
          internalCostMinor: item.internalCostMinor,
          priceMinor: item.priceMinor,
          active: item.active,
          eligibleTiers: item.eligibleTiers,
        },
        budget,
        overflowPolicy: settings.overflowPolicy as 'refuse' | 'approval',
        promisedValueMinor: input.promisedValueMinor,
      }),
    );
    if (decision.kind === 'refused') throw insufficient(actor, budget!, decision.amountMinor);
    // Write the task and the booking first and draw last: the budget row stays locked only from the
    // draw to the commit, which keeps contended bookings on one account short.
    const task = await repo.insertTask(tx, {
      workspaceId: actor.workspaceId,
      accountId: account.id,
      catalogItemId: item.id,
      title: actor.locale === 'en' ? item.nameEn : item.nameZh,
      tasks: item.tasks,
      ownerId: input.ownerId ?? actor.userId,
      dueOn: input.dueOn ?? null,
      status: 'planned',
      createdById: actor.userId,
    });
    let booking = await repo.insertBooking(tx, {
      workspaceId: actor.workspaceId,
      accountId: account.id,
      catalogItemId: item.id,
      taskId: task.id,
      budgetId: budget?.id ?? null,
      fiscalYear: account.fiscalYear,
      kind: item.pricing,
      amountMinor: decision.amountMinor,
      promisedValueMinor: item.pricing === 'paid' ? (input.promisedValueMinor ?? null) : null,
      status: decision.kind === 'needs_approval' ? 'pending_approval' : 'booked',
      requestedById: actor.userId,
      note: input.note ?? null,
    });
    let after: BudgetRow | null = budget;
    if (decision.kind === 'draw') {
      // the conditional update: re-checked under the row lock, so concurrent draws never overspend
      after = (await repo.drawBudget(tx, actor.workspaceId, budget!.id, decision.amountMinor)) ?? null;
      if (!after) {
        // another booking took the money between our read and our draw
        const fresh = (await repo.findBudget(tx, actor.workspaceId, account.id, account.fiscalYear))!;
        if (settings.overflowPolicy !== 'approval') throw insufficient(actor, fresh, decision.amountMinor);
        booking = await repo.updateBooking(tx, actor.workspaceId, booking.id, { status: 'pending_approval' });
        after = fresh;
      }
    }
    const status = booking.status;
    if (status === 'pending_approval') {
      const approvers = await activeUsersWithRole(tx, actor.workspaceId, ['manager', 'admin']);
      await announce(tx, actor.workspaceId, BookingAwaitingApproval, {
        accountId: account.id,
        bookingId: booking.id,
        title: task.title,
        accountName: account.name,
        approverIds: approvers.map((u) => u.id).filter((id) => id !== actor.userId),
      });
    }
    await recordAudit(tx, actor, {
      action: status === 'booked' ? 'booking.create' : 'booking.request_approval',
      entityType: 'booking',
      entityId: booking.id,
      after: booking,
    });
    return { booking, task, budget: budgetView(account, after) };
  });
}

/** The first moment of the calendar quarter `now` falls in, in the workspace's time zone. */
export function quarterStart(now: Date, timeZone: string): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('quarter').toJSDate();
}

/**
 * What booking this item would do, before the money is spent (the booking drawer): its cost, the budget's
 * remaining amount before and after, whether it needs approval or cannot be booked (in words), and the same
 * item's live bookings for this account this quarter (the duplicate warning). Decided by the same rule as
 * `bookServiceProduct`; nothing is written except the budget row a first read opens, as GET budget does.
 */
export async function previewBooking(db: Db, actor: Actor, accountId: string, catalogItemId: string, now = new Date()) {
  assertCan(actor, 'value_add.read');
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, accountId);
    const item = await repo.findCatalogItem(tx, actor.workspaceId, catalogItemId);
    if (!item) throw notFound('catalog_item.noun');
    const settings = await ensureSetup(tx, actor.workspaceId);
    const budget = item.pricing === 'free' ? await openBudget(tx, actor.workspaceId, account, settings.budgetRatioBp) : null;
    const d = decideBooking({
      tier: account.tier,
      item: {
        pricing: item.pricing as 'free' | 'paid',
        internalCostMinor: item.internalCostMinor,
        priceMinor: item.priceMinor,
        active: item.active,
        eligibleTiers: item.eligibleTiers,
      },
      budget,
      overflowPolicy: settings.overflowPolicy as 'refuse' | 'approval',
      // the drawer asks for the promised value of a paid item; the preview assumes it will be given
      promisedValueMinor: item.pricing === 'paid' ? 1 : null,
    });
    const remainingBefore = budget ? remainingOf(budget) : null;
    const since = quarterStart(now, await workspaceTimeZone(tx, actor.workspaceId));
    const dupes = await repo.bookingsOfItemSince(tx, actor.workspaceId, account.id, item.id, since);
    const names = new Map((await repo.userNames(tx, actor.workspaceId, [...new Set(dupes.map((b) => b.requestedById))])).map((u) => [u.id, u.name]));
    const outcome = !d.ok ? 'refused' : d.value.kind === 'revenue' ? 'revenue' : d.value.kind;
    return {
      catalogItemId: item.id,
      name: actor.locale === 'en' ? item.nameEn : item.nameZh,
      pricing: item.pricing as 'free' | 'paid',
      amountMinor: item.pricing === 'paid' ? item.priceMinor : item.internalCostMinor,
      currency: account.currency,
      /** draw: fits the budget · needs_approval: over budget, a manager decides · refused: cannot be booked · revenue: a paid service */
      outcome: outcome as 'draw' | 'needs_approval' | 'refused' | 'revenue',
      reason: !d.ok
        ? translate(actor.locale, d.key, d.params ?? {})
        : d.value.kind === 'refused'
          ? insufficient(actor, budget!, d.value.amountMinor).render(actor.locale).message
          : null,
      remainingBeforeMinor: remainingBefore,
      remainingAfterMinor: d.ok && d.value.kind === 'draw' ? d.value.remainingAfter : remainingBefore,
      quarterFrom: since.toISOString(),
      sameQuarter: dupes.map((b) => ({
        bookingId: b.id,
        status: b.status,
        amountMinor: b.amountMinor,
        createdAt: b.createdAt.toISOString(),
        requestedBy: names.get(b.requestedById) ?? null,
      })),
    };
  });
}

function insufficient(actor: StaffActor, b: BudgetRow, amount: number) {
  const remaining = remainingOf(b);
  return new AppError('conflict', 'booking.insufficient', {
    remaining: formatMoney(remaining, actor.locale),
    amount: formatMoney(amount, actor.locale),
    shortfall: formatMoney(amount - remaining, actor.locale),
  });
}

/** A manager approves a booking that did not fit by granting the shortfall as an explicit extra allowance. */
/** The booking as a versioned record of the trail (docs/concurrency.md): a stale If-Match names who changed it last. */
const bookingEntity = (id: string) => ({ type: 'booking', id, noun: 'booking.noun' });

export async function approveBooking(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'value_add.approve');
  return db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before) throw notFound('booking.noun');
    const account = await loadVisibleAccount(tx, actor, before.accountId);
    // under the row lock: of two decisions from the same version exactly one passes
    await assertFresh(tx, actor.workspaceId, bookingEntity(id), before.version, expectedVersion);
    const budget = (await repo.findBudgetById(tx, actor.workspaceId, before.budgetId!, { forUpdate: true }))!;
    const d = decideApproval({
      approverId: actor.userId,
      requesterId: before.requestedById,
      status: before.status,
      budget,
      amountMinor: before.amountMinor,
    });
    if (!d.ok) throw new AppError(d.key === 'booking.self_approval' ? 'forbidden' : 'conflict', d.key, d.params ?? {});
    const after = await repo.grantAndDraw(tx, actor.workspaceId, budget.id, d.value.extraMinor, before.amountMinor);
    const booking = await repo.updateBooking(tx, actor.workspaceId, id, { status: 'booked', decidedById: actor.userId, decidedAt: new Date() });
    await recordAudit(tx, actor, {
      action: 'booking.approve',
      entityType: 'booking',
      entityId: id,
      before,
      after: { ...booking, extraGrantedMinor: d.value.extraMinor },
    });
    return { booking, budget: budgetView(account, after) };
  });
}

export async function rejectBooking(db: Db, actor: Actor, id: string, reason: string, expectedVersion?: number) {
  assertCan(actor, 'value_add.approve');
  return db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before) throw notFound('booking.noun');
    await loadVisibleAccount(tx, actor, before.accountId);
    await assertFresh(tx, actor.workspaceId, bookingEntity(id), before.version, expectedVersion);
    if (before.requestedById === actor.userId) throw new AppError('forbidden', 'booking.self_approval');
    if (before.status !== 'pending_approval') throw conflict('booking.not_pending', { status: before.status });
    const booking = await repo.updateBooking(tx, actor.workspaceId, id, {
      status: 'rejected',
      decidedById: actor.userId,
      decidedAt: new Date(),
      note: reason,
    });
    if (before.taskId) await repo.updateTask(tx, actor.workspaceId, before.taskId, { status: 'cancelled' });
    await recordAudit(tx, actor, { action: 'booking.reject', entityType: 'booking', entityId: id, before, after: booking });
    return { booking };
  });
}

/** Cancelling returns the drawn amount to the budget and cancels the planned task. */
export async function cancelBooking(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'value_add.book');
  return db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before) throw notFound('booking.noun');
    const account = await loadVisibleAccount(tx, actor, before.accountId);
    await assertFresh(tx, actor.workspaceId, bookingEntity(id), before.version, expectedVersion);
    if (before.status !== 'booked' && before.status !== 'pending_approval') throw conflict('booking.not_cancellable', { status: before.status });
    if (before.taskId) {
      const task = await repo.findTask(tx, actor.workspaceId, before.taskId, { forUpdate: true });
      if (task && (task.status === 'done' || task.status === 'evaluated')) throw conflict('booking.task_finished');
      await repo.updateTask(tx, actor.workspaceId, before.taskId, { status: 'cancelled' });
    }
    let budget: BudgetRow | null = null;
    if (before.status === 'booked' && before.kind === 'free' && before.budgetId)
      budget = await repo.returnBudget(tx, actor.workspaceId, before.budgetId, before.amountMinor);
    else if (before.budgetId) budget = (await repo.findBudgetById(tx, actor.workspaceId, before.budgetId)) ?? null;
    const booking = await repo.updateBooking(tx, actor.workspaceId, id, { status: 'cancelled', decidedById: actor.userId, decidedAt: new Date() });
    await recordAudit(tx, actor, { action: 'booking.cancel', entityType: 'booking', entityId: id, before, after: booking });
    return { booking, budget: budgetView(account, budget) };
  });
}

export async function listBookings(db: Db, actor: Actor, f: { accountId?: string; status?: string }) {
  assertCan(actor, 'value_add.read');
  if (f.accountId) await loadVisibleAccount(db, actor, f.accountId);
  const rows = await repo.listBookings(db, actor.workspaceId, f);
  const visible = seesEveryAccount(actor) ? rows : await filterVisible(db, actor, rows);
  return visible.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    accountName: r.account_name,
    catalogItemId: r.catalog_item_id,
    itemName: actor.locale === 'en' ? r.item_name_en : r.item_name_zh,
    taskId: r.task_id,
    fiscalYear: r.fiscal_year,
    kind: r.kind,
    amountMinor: Number(r.amount_minor),
    promisedValueMinor: r.promised_value_minor === null ? null : Number(r.promised_value_minor),
    status: r.status,
    requestedById: r.requested_by_id,
    requestedByName: r.requested_by_name,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    note: r.note,
    createdAt: new Date(r.created_at),
    version: r.version,
  }));
}

async function filterVisible<T extends { account_id: string }>(db: Db, actor: Actor, rows: T[]) {
  const out: T[] = [];
  for (const r of rows) {
    try {
      await loadVisibleAccount(db, actor, r.account_id);
      out.push(r);
    } catch {
      /* not visible */
    }
  }
  return out;
}
