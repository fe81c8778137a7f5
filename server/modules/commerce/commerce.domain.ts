/**
 * The commercial record's rules (issue 16; seeds 000, 002, 003). Pure: dates are workspace-zone days
 * (YYYY-MM-DD), amounts are minor units (fen).
 *   - collections: payments are allocated to the plan items they name, the rest first-due-first-paid per
 *     contract; an item is paid on the day its allocation reaches its amount;
 *   - credit (seed 002 "回款及时率"): share of the items due over the last 12 months paid in full by their due date;
 *   - order amount (seed 002 "下单量"): contracts signed over the last 1–2 years;
 *   - profit contribution: the margin of those contracts whose cost is known;
 *   - utilisation (seed 000 "UT"): hours booked / hours available in the workspace's business calendar;
 *   - renewals (seed 002 "续约期"): contracts that end within the window and are not yet renewed.
 */
import { DateTime } from 'luxon';
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import { isWorkingDay, type Calendar } from '../service-desk/sla.domain.js';

export type PlanItem = { id: string; contractId: string; dueOn: string; amountMinor: number };
export type Payment = { id: string; contractId: string; planItemId: string | null; receivedOn: string; amountMinor: number };
export type Allocation = PlanItem & {
  paidMinor: number;
  /** the day the item was paid in full; null while something is outstanding */
  paidOn: string | null;
  outstandingMinor: number;
  /** what paid it, day by day */
  receipts: { on: string; amountMinor: number }[];
};

const byDay = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Allocates payments to plan items: a payment that names its item goes there first (any excess joins the
 * unnamed money); the rest of the money pays the contract's items in due order, oldest money first.
 */
export function allocate(items: PlanItem[], payments: Payment[]): Allocation[] {
  const out = new Map<string, Allocation>();
  for (const i of [...items].sort((a, b) => byDay(a.dueOn, b.dueOn) || byDay(a.id, b.id)))
    out.set(i.id, { ...i, paidMinor: 0, paidOn: null, outstandingMinor: i.amountMinor, receipts: [] });
  const pay = (a: Allocation, amount: number, on: string) => {
    const take = Math.min(amount, a.outstandingMinor);
    a.paidMinor += take;
    a.outstandingMinor -= take;
    if (take > 0) a.receipts.push({ on, amountMinor: take });
    if (a.outstandingMinor === 0 && take > 0) a.paidOn = on;
    return amount - take;
  };
  const sorted = [...payments].sort((a, b) => byDay(a.receivedOn, b.receivedOn) || byDay(a.id, b.id));
  const unnamed: { contractId: string; amount: number; on: string }[] = [];
  for (const p of sorted) {
    const named = p.planItemId ? out.get(p.planItemId) : undefined;
    const rest = named ? pay(named, p.amountMinor, p.receivedOn) : p.amountMinor;
    if (rest > 0) unnamed.push({ contractId: p.contractId, amount: rest, on: p.receivedOn });
  }
  const all = [...out.values()];
  for (const u of unnamed) {
    let left = u.amount;
    for (const a of all) {
      if (left <= 0) break;
      if (a.contractId !== u.contractId || a.outstandingMinor === 0) continue;
      left = pay(a, left, u.on);
    }
  }
  return all;
}

export const minusDays = (day: string, n: number) => DateTime.fromISO(day).minus({ days: n }).toISODate()!;
export const plusDays = (day: string, n: number) => DateTime.fromISO(day).plus({ days: n }).toISODate()!;
export const daysBetween = (from: string, to: string) => Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);

/**
 * Credit: of the items due in the 12 months up to `today`, the share (0–100, whole) paid in full on or before
 * their due date; an item due and still open counts as late. Null when nothing fell due (no history).
 */
export function onTimePaymentPct(allocations: Allocation[], today: string): number | null {
  const from = minusDays(today, 365);
  const due = allocations.filter((a) => a.dueOn > from && a.dueOn <= today);
  if (!due.length) return null;
  const onTime = due.filter((a) => a.paidOn !== null && a.paidOn <= a.dueOn).length;
  return Math.round((100 * onTime) / due.length);
}

export type ContractFigures = { signedOn: string; amountMinor: number; costMinor: number | null };

/** Order amount: the contracts signed over the last `years` years (1 or 2). */
export function orderAmountMinor(contracts: ContractFigures[], today: string, years: number): number {
  const from = DateTime.fromISO(today).minus({ years }).toISODate()!;
  return contracts.filter((c) => c.signedOn > from && c.signedOn <= today).reduce((s, c) => s + c.amountMinor, 0);
}

/** Profit contribution: the whole-percent margin of the window's contracts whose cost is known; null when none is. */
export function profitMarginPct(contracts: ContractFigures[], today: string, years: number): number | null {
  const from = DateTime.fromISO(today).minus({ years }).toISODate()!;
  const known = contracts.filter((c) => c.signedOn > from && c.signedOn <= today && c.costMinor !== null && c.amountMinor > 0);
  const amount = known.reduce((s, c) => s + c.amountMinor, 0);
  if (!amount) return null;
  const cost = known.reduce((s, c) => s + (c.costMinor ?? 0), 0);
  return Math.max(-100, Math.min(100, Math.round((100 * (amount - cost)) / amount)));
}

export const agingBuckets = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** Which aging bucket an open item is in on `today` (days past its due date). */
export function agingBucketOf(dueOn: string, today: string): AgingBucket {
  const late = daysBetween(dueOn, today);
  if (late <= 0) return 'not_due';
  if (late <= 30) return 'd0_30';
  if (late <= 60) return 'd31_60';
  if (late <= 90) return 'd61_90';
  return 'd90_plus';
}

/** Outstanding amounts by aging bucket. */
export function aging(allocations: Allocation[], today: string): Record<AgingBucket, number> {
  const out = Object.fromEntries(agingBuckets.map((b) => [b, 0])) as Record<AgingBucket, number>;
  for (const a of allocations) if (a.outstandingMinor > 0) out[agingBucketOf(a.dueOn, today)] += a.outstandingMinor;
  return out;
}

/**
 * Collections rate (回款率) over a period: of the amounts that fell due in it, the share received by its end
 * (whole percent); null when nothing fell due.
 */
export function collectionsPct(allocations: Allocation[], from: string, to: string): number | null {
  const due = allocations.filter((a) => a.dueOn >= from && a.dueOn <= to);
  const amount = due.reduce((s, a) => s + a.amountMinor, 0);
  if (!amount) return null;
  const received = due.reduce((s, a) => s + a.receipts.filter((r) => r.on <= to).reduce((x, r) => x + r.amountMinor, 0), 0);
  return Math.round((100 * received) / amount);
}

/** Hours available between two days (inclusive) in a business calendar: its working days × its working periods. */
export function availableHours(c: Calendar, from: string, to: string): number {
  const perDay = c.periods.reduce((s, p) => s + (toMinutes(p.end) - toMinutes(p.start)), 0) / 60;
  let d = DateTime.fromISO(from);
  const end = DateTime.fromISO(to);
  let hours = 0;
  for (let i = 0; d <= end && i < 3 * 366; i++, d = d.plus({ days: 1 })) if (isWorkingDay(c, d.toISODate()!, d.weekday)) hours += perDay;
  return Math.round(hours * 100) / 100;
}
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Utilisation in whole percent (may exceed 100 with overtime); null when no hour was available. */
export function utilisationPct(bookedHours: number, available: number): number | null {
  return available > 0 ? Math.round((100 * bookedHours) / available) : null;
}

/** A milestone is on time when it was reached by its planned day; one not reached and past its day is late. */
export function milestoneState(m: { plannedOn: string; actualOn: string | null }, today: string): 'done_on_time' | 'done_late' | 'late' | 'planned' {
  if (m.actualOn) return m.actualOn <= m.plannedOn ? 'done_on_time' : 'done_late';
  return m.plannedOn < today ? 'late' : 'planned';
}

export type RenewalCandidate = { id: string; endsOn: string; renewed: boolean };
/** Contracts ending from today to the window's end that no later contract renews. */
export function dueForRenewal<C extends RenewalCandidate>(contracts: C[], today: string, windowDays: number): C[] {
  const until = plusDays(today, windowDays);
  return contracts.filter((c) => !c.renewed && c.endsOn >= today && c.endsOn <= until);
}

/** 30 / 60 / 90: the renewal board's column for a contract ending on `endsOn`. */
export function renewalBucket(endsOn: string, today: string): 30 | 60 | 90 | null {
  const d = daysBetween(today, endsOn);
  if (d < 0) return null;
  return d <= 30 ? 30 : d <= 60 ? 60 : d <= 90 ? 90 : null;
}

export type ContractTerms = {
  signedOn: string;
  startsOn: string;
  endsOn: string;
  maintenanceEndsOn?: string | null;
  amountMinor: number;
  costMinor?: number | null;
};
/** A contract's dates are in order (signed ≤ starts ≤ ends ≤ maintenance end) and its cost is not negative. */
export function validateTerms(t: ContractTerms): RuleResult<ContractTerms> {
  if (t.startsOn > t.endsOn) return fail('commerce.term_order', {}, 'endsOn');
  if (t.signedOn > t.endsOn) return fail('commerce.signed_after_end', {}, 'signedOn');
  if (t.maintenanceEndsOn && t.maintenanceEndsOn < t.endsOn) return fail('commerce.maintenance_before_end', {}, 'maintenanceEndsOn');
  return ok(t);
}

/** What a customisation ticket is told: whether a contract in force on `day` includes a customised service. */
export function customisationCoverage<
  C extends { endsOn: string; startsOn: string; maintenanceEndsOn: string | null; services: { name: string; customisation: boolean }[] },
>(contracts: C[], day: string): { covered: boolean; contracts: C[] } {
  const inForce = contracts.filter((c) => c.startsOn <= day && (c.maintenanceEndsOn ?? c.endsOn) >= day && c.services.some((s) => s.customisation));
  return { covered: inForce.length > 0, contracts: inForce };
}

/**
 * The SLA an account's contracts buy on a day (seed 003: SLA services are bought): of the contracts in force
 * (maintenance included) that name a tier, the one signed last; null when none does (the account's tier applies).
 */
export function slaBoughtOn<
  C extends { number: string; signedOn: string; startsOn: string; endsOn: string; maintenanceEndsOn: string | null; slaTier: string | null },
>(contracts: C[], day: string): { tier: string; number: string } | null {
  const inForce = contracts
    .filter((c) => c.slaTier && c.startsOn <= day && (c.maintenanceEndsOn ?? c.endsOn) >= day)
    .sort((a, b) => (a.signedOn < b.signedOn ? 1 : a.signedOn > b.signedOn ? -1 : a.number.localeCompare(b.number)));
  return inForce.length ? { tier: inForce[0].slaTier!, number: inForce[0].number } : null;
}
