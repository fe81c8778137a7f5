import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  channels,
  decideDispatch,
  describeRules,
  dispatchRules,
  dispatchTiers,
  pickEngineer,
  ruleFor,
  severities,
  ticketKinds,
  type Candidate,
  type DispatchInput,
  type TeamInfo,
} from './dispatch.domain.js';

const person = (id: string, name: string, openTickets = 0, skills: string[] = [], active = true): Candidate => ({
  id,
  name,
  skills,
  openTickets,
  active,
});
const wangmin = person('csm', '王敏');
const liuyang = person('dlv1', '刘洋', 2);
const sunhao = person('dlv2', '孙浩', 0);
const zhangwei = person('desk1', '张伟', 3, ['工单管理']);
const lina = person('desk2', '李娜', 1, ['备件管理']);
const huang = person('desk3', '黄志强', 1, ['IoT 远程运维']);
const wufeng = person('exp1', '吴峰', 0);
const sales = person('sales', '王建国');
const impl = person('impl1', '杨帆', 1);
const impl2 = person('impl2', '罗斌', 0);
const centerDesk = person('ctr1', '李娜', 0);

const desk: TeamInfo = { id: 't-desk', name: '客服团队', kind: 'service_desk', industry: null, members: [zhangwei, lina, huang] };
const expert: TeamInfo = { id: 't-exp', name: '专家服务团队', kind: 'expert', industry: null, members: [wufeng] };
const delivery: TeamInfo = { id: 't-dlv', name: '项目交付团队', kind: 'delivery', industry: null, members: [liuyang, sunhao] };
const center: TeamInfo = {
  id: 't-med',
  name: '医疗器械行业综合服务中心',
  kind: 'industry_center',
  industry: '医疗器械',
  members: [centerDesk, person('ctr2', '郭婷', 2)],
};

function input(tier: DispatchInput['tier'], kind: DispatchInput['kind'], over: Partial<DispatchInput> = {}): DispatchInput {
  return {
    tier,
    kind,
    severity: 'high',
    channel: 'portal',
    product: null,
    account: {
      name: '华东重工',
      industry: '工程机械',
      seats: { csmId: tier === 'A' || tier === 'C' ? wangmin : null, deliveryId: liuyang, afterSalesId: zhangwei, salesId: sales },
    },
    teams: [desk, expert, delivery, center],
    implementers: tier === 'E' ? [impl, impl2] : [],
    ...over,
  };
}

/** The whole matrix: tier × kind → the accountable person, the owner and the hand-offs. */
const matrix: Record<string, { accountable: string | null; owner: string; steps: string[]; team: string | null; reason: RegExp }> = {
  'A/product_issue': {
    accountable: 'csm',
    owner: 'desk2',
    steps: ['csm', 'desk2'],
    team: 't-desk',
    reason: /^A 类客户：客户成功经理 王敏 一票到底；产品问题 → 客服团队，SLA P2；按当前负载选定 李娜/,
  },
  'A/expert_request': {
    accountable: 'csm',
    owner: 'exp1',
    steps: ['csm', 'exp1'],
    team: 't-exp',
    reason: /一票到底；专家需求 → 专家服务团队，专家服务/,
  },
  'A/customisation': { accountable: 'csm', owner: 'dlv1', steps: ['csm', 'dlv1'], team: 't-dlv', reason: /定制化需求 → 交付接口人 刘洋，按合同/ },
  'A/complaint': { accountable: 'csm', owner: 'csm', steps: ['csm'], team: null, reason: /投诉 → 客户成功经理 王敏/ },
  'A/new_need': { accountable: 'csm', owner: 'csm', steps: ['csm'], team: null, reason: /新需求 → 客户成功经理 王敏/ },
  'C/product_issue': {
    accountable: 'csm',
    owner: 'desk2',
    steps: ['csm', 'desk2'],
    team: 't-desk',
    reason: /^C 类客户：客户成功经理 王敏 一票到底；产品问题 → 客服团队，SLA P2/,
  },
  'C/expert_request': { accountable: 'csm', owner: 'exp1', steps: ['csm', 'exp1'], team: 't-exp', reason: /专家服务团队/ },
  'C/customisation': { accountable: 'csm', owner: 'dlv1', steps: ['csm', 'dlv1'], team: 't-dlv', reason: /交付接口人 刘洋/ },
  'C/complaint': { accountable: 'csm', owner: 'csm', steps: ['csm'], team: null, reason: /投诉 → 客户成功经理/ },
  'C/new_need': { accountable: 'csm', owner: 'csm', steps: ['csm'], team: null, reason: /新需求 → 客户成功经理/ },
  'B/product_issue': { accountable: null, owner: 'desk2', steps: ['desk2'], team: 't-desk', reason: /^B 类客户；产品问题 → 客服团队，SLA P2/ },
  'B/expert_request': { accountable: null, owner: 'exp1', steps: ['exp1'], team: 't-exp', reason: /专家服务团队/ },
  'B/customisation': { accountable: null, owner: 'dlv1', steps: ['dlv1'], team: 't-dlv', reason: /交付接口人 刘洋，按合同/ },
  'B/complaint': { accountable: null, owner: 'desk1', steps: ['desk1'], team: 't-desk', reason: /投诉 → 售后工程师 张伟/ },
  'B/new_need': { accountable: null, owner: 'sales', steps: ['sales'], team: null, reason: /新需求 → 销售 王建国/ },
  'D/product_issue': { accountable: null, owner: 'desk2', steps: ['desk2'], team: 't-desk', reason: /^D 类客户；产品问题 → 客服团队/ },
  'D/expert_request': { accountable: null, owner: 'exp1', steps: ['exp1'], team: 't-exp', reason: /专家服务团队/ },
  'D/customisation': { accountable: null, owner: 'dlv1', steps: ['dlv1'], team: 't-dlv', reason: /交付接口人 刘洋/ },
  'D/complaint': { accountable: null, owner: 'desk1', steps: ['desk1'], team: 't-desk', reason: /售后工程师 张伟/ },
  'D/new_need': { accountable: null, owner: 'sales', steps: ['sales'], team: null, reason: /销售 王建国/ },
  'E/product_issue': {
    accountable: null,
    owner: 'desk2',
    steps: ['desk2'],
    team: 't-desk',
    reason: /^E 类（渠道）客户；产品问题 → 客服团队，SLA P2/,
  },
  'E/expert_request': { accountable: null, owner: 'exp1', steps: ['exp1'], team: 't-exp', reason: /专家服务团队/ },
  'E/customisation': {
    accountable: null,
    owner: 'impl2',
    steps: ['impl2'],
    team: null,
    reason: /定制化需求 → 渠道商实施商，按合同；按当前负载选定 罗斌/,
  },
  'E/complaint': { accountable: null, owner: 'desk2', steps: ['desk2'], team: 't-desk', reason: /投诉 → 客服团队/ },
  'E/new_need': { accountable: null, owner: 'impl2', steps: ['impl2'], team: null, reason: /新需求 → 渠道商实施商/ },
};

describe('dispatch matrix: every tier × kind', () => {
  it('has exactly one rule per tier and kind', () => {
    for (const t of dispatchTiers)
      for (const k of ticketKinds) expect(dispatchRules.filter((r) => r.tiers.includes(t) && r.kind === k)).toHaveLength(1);
    expect(Object.keys(matrix)).toHaveLength(dispatchTiers.length * ticketKinds.length);
  });

  for (const [key, want] of Object.entries(matrix)) {
    const [tier, kind] = key.split('/') as [DispatchInput['tier'], DispatchInput['kind']];
    it(`${tier} × ${kind}`, () => {
      const d = decideDispatch(input(tier, kind));
      expect(d.accountableId).toBe(want.accountable);
      expect(d.ownerId).toBe(want.owner);
      expect(d.steps.map((s) => s.ownerId)).toEqual(want.steps);
      expect(d.teamId).toBe(want.team);
      expect(d.reason['zh-CN']).toMatch(want.reason);
      expect(d.reason.en.length).toBeGreaterThan(10);
      expect(d.ruleId).toBe(ruleFor(tier, kind).id);
    });
  }

  it('says the example of the issue in words, in both languages', () => {
    const d = decideDispatch(input('A', 'product_issue'));
    expect(d.reason['zh-CN']).toBe('A 类客户：客户成功经理 王敏 一票到底；产品问题 → 客服团队，SLA P2；按当前负载选定 李娜（在办 1 单）');
    expect(d.reason.en).toBe('Tier A account: CSM 王敏 owns it end to end; product issue → service desk, SLA P2; by current load: 李娜 (1 open)');
    expect(d.steps[0].reason['zh-CN']).toBe('A 类客户：客户成功经理 王敏 一票到底');
    expect(d.underSla).toBe(true);
    expect(d.priority).toBe('P2');
  });

  it('maps severity to the SLA priority', () => {
    expect(severities.map((s) => decideDispatch(input('B', 'product_issue', { severity: s })).priority)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(decideDispatch(input('B', 'customisation')).underSla).toBe(false);
  });
});

describe('channel does not change who owns the request', () => {
  it('same owner and steps from every channel, for every tier and kind', () => {
    for (const t of dispatchTiers)
      for (const k of ticketKinds) {
        const base = decideDispatch(input(t, k, { channel: 'portal' }));
        for (const ch of channels) {
          const d = decideDispatch(input(t, k, { channel: ch }));
          expect({ o: d.ownerId, s: d.steps.map((x) => x.ownerId), r: d.reason }).toEqual({
            o: base.ownerId,
            s: base.steps.map((x) => x.ownerId),
            r: base.reason,
          });
        }
      }
  });
});

describe('industry centers', () => {
  const med = (tier: DispatchInput['tier'], kind: DispatchInput['kind']) =>
    decideDispatch(input(tier, kind, { account: { ...input(tier, kind).account, industry: '医疗器械' } }));

  it('takes the product issues of its industry, under the CSM for key accounts', () => {
    const d = med('A', 'product_issue');
    expect(d.steps.map((s) => s.ownerId)).toEqual(['csm', 'ctr1']);
    expect(d.teamId).toBe('t-med');
    expect(d.reason['zh-CN']).toContain('产品问题 → 医疗器械行业综合服务中心（医疗器械行业综合服务中心）');
    expect(med('B', 'product_issue').ownerId).toBe('ctr1');
    expect(med('D', 'expert_request').teamId).toBe('t-med');
  });

  it('takes customisation when the delivery contact is not in the center, keeps it when they are', () => {
    expect(med('B', 'customisation').teamId).toBe('t-med');
    const inCenter = decideDispatch(
      input('B', 'customisation', {
        account: {
          ...input('B', 'customisation').account,
          industry: '医疗器械',
          seats: { ...input('B', 'customisation').account.seats, deliveryId: centerDesk },
        },
      }),
    );
    expect(inCenter.ownerId).toBe('ctr1');
  });

  it('leaves channel accounts to the partner and the service desk', () => {
    expect(med('E', 'customisation').ownerId).toBe('impl2');
    expect(med('E', 'product_issue').teamId).toBe('t-desk');
  });

  it('does not apply to another industry', () => {
    expect(decideDispatch(input('B', 'product_issue')).teamId).toBe('t-desk');
  });
});

describe('picking the engineer', () => {
  it('prefers matching skills, then the lowest load, then the name', () => {
    expect(pickEngineer([zhangwei, lina, huang], '工单管理')).toEqual({ person: zhangwei, bySkill: true });
    expect(pickEngineer([zhangwei, lina, huang], '报表')?.person.id).toBe('desk2'); // 1 open each: 李娜 (U+674E) sorts before 黄志强 (U+9EC4)
    expect(pickEngineer([zhangwei, lina, huang], null)?.bySkill).toBe(false);
    expect(pickEngineer([person('x', '甲', 0, [], false)], null)).toBeNull();
    const d = decideDispatch(input('B', 'product_issue', { product: 'IoT 远程运维' }));
    expect(d.ownerId).toBe('desk3');
    expect(d.reason['zh-CN']).toContain('按技能（IoT 远程运维）与负载选定 黄志强');
  });

  it('never picks an inactive person; an empty team leaves the ticket unassigned with the reason', () => {
    const d = decideDispatch(input('B', 'product_issue', { teams: [{ ...desk, members: [person('z', '停用', 0, [], false)] }, expert, delivery] }));
    expect(d.ownerId).toBeNull();
    expect(d.reason['zh-CN']).toContain('进入待分派队列');
    const none = decideDispatch(input('B', 'product_issue', { teams: [] }));
    expect(none.ownerId).toBeNull();
    expect(none.reason['zh-CN']).toContain('未设置该团队');
  });

  it('an A account without a CSM is dispatched directly and says so', () => {
    const base = input('A', 'product_issue');
    const d = decideDispatch({ ...base, account: { ...base.account, seats: { ...base.account.seats, csmId: null } } });
    expect(d.accountableId).toBeNull();
    expect(d.steps.map((s) => s.ownerId)).toEqual(['desk2']);
    expect(d.reason['zh-CN']).toContain('未配备客户成功经理');
  });

  it('falls back to the delivery team when no delivery contact is set', () => {
    const base = input('B', 'customisation');
    const d = decideDispatch({ ...base, account: { ...base.account, seats: { ...base.account.seats, deliveryId: null } } });
    expect(d.ownerId).toBe('dlv2');
    expect(d.reason['zh-CN']).toContain('未设置交付接口人');
  });

  it('property: the owner is always an active member of the chosen pool, or nobody', () => {
    const cand = fc.record({
      id: fc.uuid(),
      name: fc.string({ minLength: 1, maxLength: 4 }),
      skills: fc.array(fc.constantFrom('工单管理', '备件管理', 'BI'), { maxLength: 2 }),
      openTickets: fc.nat(20),
      active: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...dispatchTiers),
        fc.constantFrom(...ticketKinds),
        fc.array(cand, { maxLength: 5 }),
        fc.array(cand, { maxLength: 3 }),
        fc.option(fc.constantFrom('工单管理', 'BI')),
        (tier, kind, deskMembers, impls, product) => {
          const base = input(tier, kind, { product, teams: [{ ...desk, members: deskMembers }, expert, delivery], implementers: impls });
          const d = decideDispatch(base);
          const everyone = [
            ...deskMembers,
            ...impls,
            ...expert.members,
            ...delivery.members,
            ...Object.values(base.account.seats).filter((x): x is Candidate => !!x),
          ];
          if (d.ownerId) expect(everyone.some((p) => p.id === d.ownerId && p.active)).toBe(true);
          for (const s of d.steps) expect(everyone.some((p) => p.id === s.ownerId && p.active)).toBe(true);
          if (d.ownerId) expect(d.steps.at(-1)!.ownerId).toBe(d.ownerId);
        },
      ),
    );
  });
});

describe('the rule set in words', () => {
  it('lists every rule with its target and note', () => {
    const zh = describeRules('zh-CN');
    expect(zh).toHaveLength(dispatchRules.length);
    expect(zh.find((r) => r.id === 'channel.customisation')!.target).toBe('渠道商实施商');
    expect(describeRules('en').find((r) => r.id === 'key.customisation')!.target).toBe('delivery contact (else delivery team)');
  });
});
