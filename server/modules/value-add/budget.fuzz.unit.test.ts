// Property tests of the customer-operations budget (SPEC §3, seed 003): whatever sequence of
// bookings, approvals, cancellations and budget changes, what is committed never exceeds the budget
// plus the granted allowances and never goes negative, and a cancellation gives back exactly what
// its booking took. The service applies decisions the same way (draw: committed += amount;
// approval: extra += granted, committed += amount; cancel: committed -= amount).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  budgetFor,
  checkMoney,
  decideApproval,
  decideBooking,
  isMoney,
  ratioFromPercent,
  rebaseBudget,
  remainingOf,
  type BudgetState,
} from './budget.domain.js';

type Op =
  | { op: 'book'; cost: number; policy: 'refuse' | 'approval'; approve: boolean; paid: boolean }
  | { op: 'cancel'; pick: number }
  | { op: 'rebase'; budget: number };

const money = fc.integer({ min: 0, max: 5_000_000 });
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('book' as const),
        cost: money,
        policy: fc.constantFrom('refuse' as const, 'approval' as const),
        approve: fc.boolean(),
        paid: fc.boolean(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('rebase' as const), budget: money }) },
  ),
  { maxLength: 40 },
);

const item = (cost: number, paid: boolean) => ({
  pricing: paid ? ('paid' as const) : ('free' as const),
  internalCostMinor: cost,
  priceMinor: cost * 2,
  active: true,
  eligibleTiers: ['A', 'B', 'C', 'D'],
});

describe('budget: properties', () => {
  it('no sequence of bookings, approvals, cancellations and budget changes overspends or goes negative', () => {
    fc.assert(
      fc.property(money, ops, (initial, seq) => {
        let b: BudgetState = { budgetMinor: initial, extraMinor: 0, committedMinor: 0 };
        const live: number[] = [];
        const check = () => {
          expect(b.committedMinor).toBeGreaterThanOrEqual(0);
          expect(b.extraMinor).toBeGreaterThanOrEqual(0);
          expect(b.committedMinor).toBeLessThanOrEqual(b.budgetMinor + b.extraMinor);
          expect(remainingOf(b)).toBeGreaterThanOrEqual(0);
          expect(b.committedMinor).toBe(live.reduce((s, x) => s + x, 0));
        };
        for (const o of seq) {
          if (o.op === 'book') {
            const d = decideBooking({
              tier: 'A',
              item: item(o.cost, o.paid),
              budget: b,
              overflowPolicy: o.policy,
              promisedValueMinor: o.paid ? 100 : null,
            });
            expect(d.ok).toBe(true);
            if (!d.ok) continue;
            const v = d.value;
            if (v.kind === 'revenue') expect(o.paid).toBe(true);
            else expect(v.amountMinor).toBe(o.cost);
            if (v.kind === 'draw') {
              expect(v.remainingAfter).toBe(remainingOf(b) - o.cost);
              b = { ...b, committedMinor: b.committedMinor + o.cost };
              live.push(o.cost);
            } else if (v.kind === 'needs_approval' || v.kind === 'refused') {
              expect(o.policy === 'approval' ? 'needs_approval' : 'refused').toBe(v.kind);
              expect(v.shortfallMinor).toBe(o.cost - remainingOf(b));
              expect(v.shortfallMinor).toBeGreaterThan(0);
              if (v.kind === 'needs_approval' && o.approve) {
                const a = decideApproval({ approverId: 'mgr', requesterId: 'csm', status: 'pending_approval', budget: b, amountMinor: o.cost });
                expect(a.ok).toBe(true);
                if (a.ok) {
                  expect(a.value.extraMinor).toBe(v.shortfallMinor);
                  b = { ...b, extraMinor: b.extraMinor + a.value.extraMinor, committedMinor: b.committedMinor + o.cost };
                  live.push(o.cost);
                }
              }
            }
          } else if (o.op === 'cancel' && live.length) {
            const k = o.pick % live.length;
            const before = remainingOf(b);
            const [amount] = live.splice(k, 1);
            b = { ...b, committedMinor: b.committedMinor - amount };
            expect(remainingOf(b) - before).toBe(amount); // exactly what was booked comes back
          } else if (o.op === 'rebase') {
            const r = rebaseBudget(b, o.budget);
            expect(r.capped).toBe(o.budget < b.committedMinor - b.extraMinor);
            expect(r.budgetMinor).toBe(r.capped ? b.committedMinor - b.extraMinor : o.budget);
            b = { budgetMinor: r.budgetMinor, extraMinor: r.extraMinor, committedMinor: r.committedMinor };
          }
          check();
        }
      }),
      { numRuns: 250 },
    );
  });

  it('a self-approval or one of a booking that is not pending is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('u1', 'u2'),
        fc.constantFrom('u1', 'u2'),
        fc.constantFrom('pending_approval', 'booked', 'cancelled', 'rejected'),
        money,
        (approver, requester, status, amount) => {
          const r = decideApproval({
            approverId: approver,
            requesterId: requester,
            status,
            budget: { budgetMinor: 0, extraMinor: 0, committedMinor: 0 },
            amountMinor: amount,
          });
          expect(r.ok).toBe(approver !== requester && status === 'pending_approval');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('only A/C accounts draw a budget; paid items never touch it', () => {
    fc.assert(
      fc.property(fc.constantFrom('A', 'B', 'C', 'D', 'E'), money, fc.boolean(), (tier, cost, paid) => {
        const budget = { budgetMinor: 1_000_000, extraMinor: 0, committedMinor: 0 };
        const r = decideBooking({
          tier,
          item: { ...item(cost, paid), eligibleTiers: ['A', 'B', 'C', 'D', 'E'] },
          budget,
          overflowPolicy: 'refuse',
          promisedValueMinor: paid ? 1 : null,
        });
        if (paid) expect(r.ok && r.value.kind).toBe('revenue');
        else if (tier === 'A' || tier === 'C') expect(r.ok).toBe(true);
        else expect(r.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('budget = target × ratio, rounded down to the fen, never overstated; monotonic in both', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9e14 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 100 }),
        (target, bp, dt, dbp) => {
          const b = budgetFor(target, bp);
          expect(Number.isSafeInteger(b)).toBe(true);
          expect(BigInt(b) * 10000n).toBeLessThanOrEqual(BigInt(target) * BigInt(bp));
          expect((BigInt(b) + 1n) * 10000n).toBeGreaterThan(BigInt(target) * BigInt(bp));
          expect(budgetFor(target + dt, bp)).toBeGreaterThanOrEqual(b);
          expect(budgetFor(target, Math.min(10_000, bp + dbp))).toBeGreaterThanOrEqual(b);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a percentage with at most two decimals round-trips to basis points; money checks agree with isMoney', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        const r = ratioFromPercent(bp / 100);
        expect(r.ok && r.value).toBe(bp);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.double(), fc.integer(), fc.integer({ min: 0, max: 9e15 }), fc.constantFrom(9e15 + 2, -0, 0.5, Number.NaN, Infinity)),
        (v) => {
          expect(checkMoney(v, 'amountMinor').ok).toBe(isMoney(v));
        },
      ),
      { numRuns: 500 },
    );
  });
});
