import { fail, ok, type RuleResult } from '../../platform/errors.js';
import { isKeyTier } from '../accounts/tiers.domain.js';

/**
 * Customer-operations budget arithmetic (客户运营费用, SPEC §3, seed 003). Money is integer minor
 * units (fen); the ratio is in basis points (200 = 2%). Pure: the service loads, this decides.
 */
export const DEFAULT_RATIO_BP = 200;
const MAX_MONEY = 9e15; // below 2^53 so every amount stays exact as a JS number

export function isMoney(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0 && v <= MAX_MONEY;
}

/** A money amount from outside: a whole, non-negative number of fen. */
export function checkMoney(v: number, field: string): RuleResult<number> {
  if (!Number.isFinite(v) || !Number.isInteger(v)) return fail('money.fraction', { field }, field);
  if (v < 0) return fail('money.negative', { field }, field);
  if (v > MAX_MONEY) return fail('money.too_large', { field }, field);
  return ok(v);
}

/** A percentage such as 2 or 2.5 → basis points; 0–100% with at most two decimals. */
export function ratioFromPercent(pct: number): RuleResult<number> {
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) return fail('budget.ratio_range', {}, 'ratioPercent');
  const bp = Math.round(pct * 100);
  if (Math.abs(bp - pct * 100) > 1e-6) return fail('budget.ratio_precision', {}, 'ratioPercent');
  return ok(bp);
}

/** budget = fiscal-year revenue target × ratio, rounded down to the fen (never overstated). */
export function budgetFor(targetMinor: number, ratioBp: number): number {
  return Number((BigInt(targetMinor) * BigInt(ratioBp)) / 10000n);
}

export type BudgetState = { budgetMinor: number; extraMinor: number; committedMinor: number };

export const remainingOf = (b: BudgetState) => b.budgetMinor + b.extraMinor - b.committedMinor;

export type BookingDecision =
  | { kind: 'draw'; amountMinor: number; remainingAfter: number }
  | { kind: 'revenue'; amountMinor: number }
  | { kind: 'needs_approval'; amountMinor: number; shortfallMinor: number }
  | { kind: 'refused'; amountMinor: number; shortfallMinor: number };

export type BookingInput = {
  tier: string;
  item: { pricing: 'free' | 'paid'; internalCostMinor: number; priceMinor: number; active: boolean; eligibleTiers: string[] };
  budget: BudgetState | null;
  overflowPolicy: 'refuse' | 'approval';
  promisedValueMinor?: number | null;
};

/**
 * Decides a booking: a free item draws its internal cost from an A/C account's budget (or, if it does
 * not fit, is refused or waits for a manager, as the workspace chose); a paid item earns revenue and
 * must name the value it promises. Bad requests come back as refusals with a reason.
 */
export function decideBooking(i: BookingInput): RuleResult<BookingDecision> {
  if (!i.item.active) return fail('booking.item_retired', {}, 'catalogItemId');
  if (!i.item.eligibleTiers.includes(i.tier))
    return fail('booking.tier_not_eligible', { tier: i.tier, tiers: i.item.eligibleTiers.join('/') }, 'catalogItemId');
  if (i.item.pricing === 'paid') {
    const promised = i.promisedValueMinor ?? 0;
    if (!isMoney(promised) || promised <= 0) return fail('booking.promised_value_required', {}, 'promisedValueMinor');
    return ok({ kind: 'revenue', amountMinor: i.item.priceMinor });
  }
  if (!isKeyTier(i.tier) || !i.budget) return fail('booking.budget_tiers_only', { tier: i.tier }, 'accountId');
  const cost = i.item.internalCostMinor;
  const remaining = remainingOf(i.budget);
  if (cost <= remaining) return ok({ kind: 'draw', amountMinor: cost, remainingAfter: remaining - cost });
  const shortfallMinor = cost - remaining;
  return ok(
    i.overflowPolicy === 'approval'
      ? { kind: 'needs_approval', amountMinor: cost, shortfallMinor }
      : { kind: 'refused', amountMinor: cost, shortfallMinor },
  );
}

/**
 * Approving a booking that did not fit: the manager grants the shortfall as an explicit extra
 * allowance, recorded on the budget, so the remaining amount never goes below zero.
 */
export function decideApproval(i: {
  approverId: string;
  requesterId: string;
  status: string;
  budget: BudgetState;
  amountMinor: number;
}): RuleResult<{ extraMinor: number }> {
  if (i.approverId === i.requesterId) return fail('booking.self_approval');
  if (i.status !== 'pending_approval') return fail('booking.not_pending', { status: i.status });
  const remaining = remainingOf(i.budget);
  return ok({ extraMinor: Math.max(0, i.amountMinor - remaining) });
}

/** A budget after a ratio or target change: never below what is already committed. */
export function rebaseBudget(b: BudgetState, newBudgetMinor: number): BudgetState & { capped: boolean } {
  const floor = b.committedMinor - b.extraMinor;
  return newBudgetMinor >= floor ? { ...b, budgetMinor: newBudgetMinor, capped: false } : { ...b, budgetMinor: floor, capped: true };
}

/** ¥1,234,567.00 (zh-CN) or CNY 1,234,567.00 (en), from fen, for messages and reasons. */
export function formatMoney(minor: number, locale: 'zh-CN' | 'en'): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  const fen = String(abs % 100).padStart(2, '0');
  return `${sign}${locale === 'en' ? 'CNY ' : '¥'}${yuan}.${fen}`;
}
