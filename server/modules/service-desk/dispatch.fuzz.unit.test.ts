// Property tests of layered dispatch (SPEC §2, seed 003): for any account, teams and people the
// decision is made, follows the tier × kind rule, picks only allowed and active people, and is
// deterministic; severity sets the priority only; channel does not matter.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  channels,
  decideDispatch,
  dispatchTiers,
  pickEngineer,
  priorityOf,
  ruleFor,
  severities,
  ticketKinds,
  type Candidate,
  type DispatchInput,
  type Seat,
  type TeamInfo,
} from './dispatch.domain.js';
import { defaultPolicies } from './sla.domain.js';

const industries = ['制造', '医疗器械', '能源'];
const skills = ['工单管理', '备件管理', 'BI', 'IoT'];

const candidate = fc.record({
  id: fc.uuid(),
  name: fc.constantFrom('王敏', '刘洋', '孙浩', '张伟', '李娜', 'Ann', 'Bob'),
  skills: fc.uniqueArray(fc.constantFrom(...skills), { maxLength: 2 }),
  openTickets: fc.nat({ max: 20 }),
  active: fc.boolean(),
}) as fc.Arbitrary<Candidate>;

const team = fc.record({
  id: fc.uuid(),
  name: fc.constantFrom('客服团队', '专家服务团队', '项目交付团队', '行业中心'),
  kind: fc.constantFrom('service_desk', 'expert', 'delivery', 'industry_center') as fc.Arbitrary<TeamInfo['kind']>,
  industry: fc.option(fc.constantFrom(...industries), { nil: null }),
  members: fc.uniqueArray(candidate, { maxLength: 5, selector: (c) => c.id }),
}) as fc.Arbitrary<TeamInfo>;

const input: fc.Arbitrary<DispatchInput> = fc.record({
  tier: fc.constantFrom(...dispatchTiers),
  kind: fc.constantFrom(...ticketKinds),
  severity: fc.constantFrom(...severities),
  channel: fc.constantFrom(...channels),
  product: fc.option(fc.constantFrom(...skills, 'other', ' BI '), { nil: null }),
  account: fc.record({
    name: fc.constant('客户'),
    industry: fc.constantFrom(...industries),
    seats: fc.record({
      csmId: fc.option(candidate, { nil: null }),
      deliveryId: fc.option(candidate, { nil: null }),
      afterSalesId: fc.option(candidate, { nil: null }),
      salesId: fc.option(candidate, { nil: null }),
    }) as fc.Arbitrary<Record<Seat, Candidate | null>>,
  }),
  teams: fc.array(team, { maxLength: 5 }),
  implementers: fc.uniqueArray(candidate, { maxLength: 4, selector: (c) => c.id }),
});

/** Everyone the rule lets own the ticket: the CSM (A/C), the rule's seat, its team(s) or the industry center, the implementers (E). */
function allowedOwners(i: DispatchInput): Set<string> {
  const rule = ruleFor(i.tier, i.kind);
  const out = new Set<string>();
  const add = (c: Candidate | null | undefined) => c?.active && out.add(c.id);
  if (rule.csmOwns) add(i.account.seats.csmId);
  const route = rule.route;
  const teamKinds = new Set<string>();
  if (route.via === 'team') teamKinds.add(route.team);
  if (route.via === 'seat') {
    add(i.account.seats[route.seat]);
    if (route.fallbackTeam) teamKinds.add(route.fallbackTeam);
  }
  if (route.via === 'partner_implementer') i.implementers.forEach(add);
  for (const t of i.teams) {
    const center = t.kind === 'industry_center' && t.industry === i.account.industry && i.tier !== 'E';
    if (teamKinds.size && (teamKinds.has(t.kind) || center)) t.members.forEach(add);
  }
  return out;
}

const shuffled = <T>(xs: T[], seed: number) => {
  const a = [...xs];
  let s = seed || 1;
  for (let k = a.length - 1; k > 0; k--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (k + 1);
    [a[k], a[j]] = [a[j], a[k]];
  }
  return a;
};

describe('dispatch: properties', () => {
  it('always decides, by the tier × kind rule, with the priority of the severity', () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decideDispatch(i);
        const rule = ruleFor(i.tier, i.kind);
        expect(d.ruleId).toBe(rule.id);
        expect(d.priority).toBe(priorityOf[i.severity]);
        expect(d.underSla).toBe(rule.basis === 'sla');
        expect(d.reason['zh-CN'].length).toBeGreaterThan(0);
        expect(d.reason.en.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('the owner is an active person the rule allows, or nobody; the team holds the owner', () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decideDispatch(i);
        if (d.ownerId !== null) expect(allowedOwners(i).has(d.ownerId), `${d.ruleId}: ${d.ownerId}`).toBe(true);
        if (d.teamId !== null) {
          // a team with nobody available keeps the ticket in its unassigned queue
          const t = i.teams.find((x) => x.id === d.teamId);
          expect(t).toBeDefined();
          if (d.ownerId !== null && d.steps.at(-1)!.teamId !== null) expect(t!.members.some((m) => m.id === d.ownerId)).toBe(true);
        }
        // the hand-offs end with the owner; no owner means no hand-off
        if (d.ownerId === null) expect(d.steps).toEqual([]);
        else expect(d.steps.at(-1)!.ownerId).toBe(d.ownerId);
        // nobody appears twice in a row
        for (let k = 1; k < d.steps.length; k++) expect(d.steps[k].ownerId).not.toBe(d.steps[k - 1].ownerId);
      }),
      { numRuns: 200 },
    );
  });

  it('A/C: an active CSM is accountable and the first hand-off; other tiers have nobody accountable', () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decideDispatch(i);
        const csm = i.account.seats.csmId;
        if ((i.tier === 'A' || i.tier === 'C') && csm?.active) {
          expect(d.accountableId).toBe(csm.id);
          expect(d.steps[0].ownerId).toBe(csm.id);
        } else expect(d.accountableId).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same input, or its people listed in another order, gives the same decision', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 1e6 }), (i, seed) => {
        const d = decideDispatch(i);
        expect(decideDispatch(structuredClone(i))).toEqual(d);
        const reordered: DispatchInput = {
          ...i,
          teams: i.teams.map((t) => ({ ...t, members: shuffled(t.members, seed) })),
          implementers: shuffled(i.implementers, seed),
        };
        const e = decideDispatch(reordered);
        expect([e.ownerId, e.teamId, e.accountableId, e.steps.map((s) => s.ownerId)]).toEqual([
          d.ownerId,
          d.teamId,
          d.accountableId,
          d.steps.map((s) => s.ownerId),
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it('severity and channel change the priority only, never who gets the ticket', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(...severities), fc.constantFrom(...channels), (i, severity, channel) => {
        const a = decideDispatch(i);
        const b = decideDispatch({ ...i, severity, channel });
        expect([b.ownerId, b.teamId, b.accountableId, b.ruleId, b.underSla]).toEqual([a.ownerId, a.teamId, a.accountableId, a.ruleId, a.underSla]);
      }),
      { numRuns: 200 },
    );
  });

  it('the engineer picked has the lowest load among the active (skilled, if any) people; inactive people are never picked', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(candidate, { maxLength: 8, selector: (c) => c.id }),
        fc.option(fc.constantFrom(...skills, 'x'), { nil: null }),
        (pool, product) => {
          const pick = pickEngineer(pool, product);
          const active = pool.filter((c) => c.active);
          if (!active.length) {
            expect(pick).toBeNull();
            return;
          }
          expect(pick).not.toBeNull();
          expect(pick!.person.active).toBe(true);
          const from = pick!.bySkill
            ? active.filter((c) =>
                c.skills.some(
                  (s) =>
                    product &&
                    (s.toLowerCase() === product.toLowerCase() ||
                      product.toLowerCase().includes(s.toLowerCase()) ||
                      s.toLowerCase().includes(product.toLowerCase())),
                ),
              )
            : active;
          expect(from.map((c) => c.id)).toContain(pick!.person.id);
          expect(pick!.person.openTickets).toBe(Math.min(...from.map((c) => c.openTickets)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('default SLA targets: a more severe request is never given more time, a key account (A/C) never more than B/D/E', () => {
    const rows = defaultPolicies();
    const of = (tier: string, sev: string) => rows.find((r) => r.tier === tier && r.severity === sev)!;
    const keys = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...dispatchTiers), fc.constantFrom(...dispatchTiers), fc.nat({ max: 3 }), fc.nat({ max: 3 }), (t1, t2, s1, s2) => {
        const [hi, lo] = s1 <= s2 ? [severities[s1], severities[s2]] : [severities[s2], severities[s1]];
        for (const k of keys) expect(of(t1, hi)[k]).toBeLessThanOrEqual(of(t1, lo)[k]);
        const key = (t: string) => t === 'A' || t === 'C';
        if (key(t1) && !key(t2)) for (const k of keys) expect(of(t1, hi)[k]).toBeLessThanOrEqual(of(t2, hi)[k]);
        for (const k of keys) expect(of(t1, hi)[k]).toBeLessThanOrEqual(of(t1, hi).resolutionMinutes);
      }),
      { numRuns: 200 },
    );
  });
});
