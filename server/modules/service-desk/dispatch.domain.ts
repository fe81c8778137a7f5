/**
 * Layered dispatch (分层调度, seed 003, SPEC §2). Pure and table-driven: the account's tier and the
 * request's kind pick a row of `dispatchRules`; the row says who is accountable (A/C: the CSM, 一票到底)
 * and where the work goes (a team, a seat of the account's iron triangle, or the channel partner's
 * implementer). An industry with an integrated service center (服务资源的整合) takes the team-routed
 * work of its accounts. Within the chosen team the engineer is picked by skills (where set), then by
 * current load. Every decision carries its reason in words, in zh-CN and en.
 */
import { KEY_TIERS } from '../accounts/tiers.domain.js';
export const ticketKinds = ['product_issue', 'expert_request', 'customisation', 'complaint', 'new_need'] as const;
export type TicketKind = (typeof ticketKinds)[number];
export const severities = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof severities)[number];
export const channels = ['portal', 'phone', 'email', 'meeting', 'staff'] as const;
export type Channel = (typeof channels)[number];
export const dispatchTiers = ['A', 'B', 'C', 'D', 'E'] as const;
export type DispatchTier = (typeof dispatchTiers)[number];
export type TeamKind = 'service_desk' | 'expert' | 'delivery' | 'industry_center';
export type Seat = 'csmId' | 'deliveryId' | 'afterSalesId' | 'salesId';
export type Words = { 'zh-CN': string; en: string };

/** SLA priority label of a severity: critical → P1 … low → P4. */
export const priorityOf: Record<Severity, 'P1' | 'P2' | 'P3' | 'P4'> = { critical: 'P1', high: 'P2', medium: 'P3', low: 'P4' };

export type Route =
  | { via: 'team'; team: 'service_desk' | 'expert' | 'delivery' }
  | { via: 'seat'; seat: Seat; fallbackTeam?: 'service_desk' | 'expert' | 'delivery' }
  | { via: 'partner_implementer' };

export type DispatchRule = {
  id: string;
  tiers: readonly DispatchTier[];
  kind: TicketKind;
  /** A/C: the CSM is accountable end to end (一票到底) whoever does the work */
  csmOwns: boolean;
  route: Route;
  /** under the SLA (service-level agreement) or under the contract / expert service */
  basis: 'sla' | 'contract' | 'expert_service' | 'butler' | 'sales';
  note: Words;
};

const KEY: DispatchTier[] = [...KEY_TIERS];
const NORMAL: DispatchTier[] = ['B', 'D'];
const CHANNEL: DispatchTier[] = ['E'];

/** The whole rule set, readable by admins in the console (设置 → 调度规则). */
export const dispatchRules: readonly DispatchRule[] = [
  // A/C: key accounts — the CSM owns every request end to end
  {
    id: 'key.product_issue',
    tiers: KEY,
    kind: 'product_issue',
    csmOwns: true,
    route: { via: 'team', team: 'service_desk' },
    basis: 'sla',
    note: { 'zh-CN': '客户成功经理调用客服团队工程师，按 SLA 提供服务', en: 'the CSM engages a service-desk engineer under the SLA' },
  },
  {
    id: 'key.expert_request',
    tiers: KEY,
    kind: 'expert_request',
    csmOwns: true,
    route: { via: 'team', team: 'expert' },
    basis: 'expert_service',
    note: { 'zh-CN': '客户成功经理调用专家服务团队（收费或免费专家服务）', en: 'the CSM engages the expert team (paid or free expert service)' },
  },
  {
    id: 'key.customisation',
    tiers: KEY,
    kind: 'customisation',
    csmOwns: true,
    route: { via: 'seat', seat: 'deliveryId', fallbackTeam: 'delivery' },
    basis: 'contract',
    note: {
      'zh-CN': '定制化部分由项目交付团队接口人按合同提供服务',
      en: "the delivery team's contact serves the customised part under the contract",
    },
  },
  {
    id: 'key.complaint',
    tiers: KEY,
    kind: 'complaint',
    csmOwns: true,
    route: { via: 'seat', seat: 'csmId' },
    basis: 'butler',
    note: { 'zh-CN': '投诉由客户成功经理亲自处理，并触发关键时点会议', en: 'the CSM handles the complaint in person; a key-moment meeting follows' },
  },
  {
    id: 'key.new_need',
    tiers: KEY,
    kind: 'new_need',
    csmOwns: true,
    route: { via: 'seat', seat: 'csmId' },
    basis: 'butler',
    note: { 'zh-CN': '新需求由客户成功经理接手，可转为商机', en: 'the CSM takes the new need; it can become an opportunity' },
  },
  // B/D: normal accounts
  {
    id: 'normal.product_issue',
    tiers: NORMAL,
    kind: 'product_issue',
    csmOwns: false,
    route: { via: 'team', team: 'service_desk' },
    basis: 'sla',
    note: { 'zh-CN': '产品问题直接由客服团队按 SLA 处理', en: 'the service desk handles product issues under the SLA' },
  },
  {
    id: 'normal.expert_request',
    tiers: NORMAL,
    kind: 'expert_request',
    csmOwns: false,
    route: { via: 'team', team: 'expert' },
    basis: 'expert_service',
    note: { 'zh-CN': '专家需求由专家服务团队提供（收费专家服务）', en: 'the expert team serves it (paid expert service)' },
  },
  {
    id: 'normal.customisation',
    tiers: NORMAL,
    kind: 'customisation',
    csmOwns: false,
    route: { via: 'seat', seat: 'deliveryId', fallbackTeam: 'delivery' },
    basis: 'contract',
    note: { 'zh-CN': '定制化部分联系项目交付团队接口人，按合同执行', en: "the delivery team's contact serves it under the contract" },
  },
  {
    id: 'normal.complaint',
    tiers: NORMAL,
    kind: 'complaint',
    csmOwns: false,
    route: { via: 'seat', seat: 'afterSalesId', fallbackTeam: 'service_desk' },
    basis: 'sla',
    note: {
      'zh-CN': '投诉由铁三角售后工程师处理，并触发关键时点会议',
      en: "the iron triangle's after-sales engineer handles it; a key-moment meeting follows",
    },
  },
  {
    id: 'normal.new_need',
    tiers: NORMAL,
    kind: 'new_need',
    csmOwns: false,
    route: { via: 'seat', seat: 'salesId' },
    basis: 'sales',
    note: { 'zh-CN': '新需求交给客户的销售，作为商机跟进', en: "the account's sales rep follows it up as an opportunity" },
  },
  // E: channel accounts — the channel partner controls projects and relationships
  {
    id: 'channel.product_issue',
    tiers: CHANNEL,
    kind: 'product_issue',
    csmOwns: false,
    route: { via: 'team', team: 'service_desk' },
    basis: 'sla',
    note: { 'zh-CN': '渠道客户的产品问题由客服团队按 SLA 处理', en: 'the service desk handles product issues under the SLA' },
  },
  {
    id: 'channel.expert_request',
    tiers: CHANNEL,
    kind: 'expert_request',
    csmOwns: false,
    route: { via: 'team', team: 'expert' },
    basis: 'expert_service',
    note: { 'zh-CN': '专家需求由专家服务团队提供（收费专家服务）', en: 'the expert team serves it (paid expert service)' },
  },
  {
    id: 'channel.customisation',
    tiers: CHANNEL,
    kind: 'customisation',
    csmOwns: false,
    route: { via: 'partner_implementer' },
    basis: 'contract',
    note: { 'zh-CN': '定制化部分由渠道商的实施商负责', en: "the channel partner's implementer handles customisation" },
  },
  {
    id: 'channel.complaint',
    tiers: CHANNEL,
    kind: 'complaint',
    csmOwns: false,
    route: { via: 'team', team: 'service_desk' },
    basis: 'sla',
    note: { 'zh-CN': '投诉由客服团队处理，并触发关键时点会议', en: 'the service desk handles it; a key-moment meeting follows' },
  },
  {
    id: 'channel.new_need',
    tiers: CHANNEL,
    kind: 'new_need',
    csmOwns: false,
    route: { via: 'partner_implementer' },
    basis: 'sales',
    note: { 'zh-CN': '渠道客户的新需求由渠道实施商报备跟进', en: "the channel partner's implementer registers and follows it" },
  },
];

export function ruleFor(tier: DispatchTier, kind: TicketKind): DispatchRule {
  const r = dispatchRules.find((x) => x.tiers.includes(tier) && x.kind === kind);
  if (!r) throw new Error(`no dispatch rule for ${tier}/${kind}`); // the table covers every pair (tested)
  return r;
}

export type Candidate = { id: string; name: string; skills: string[]; openTickets: number; active: boolean };
export type TeamInfo = { id: string; name: string; kind: TeamKind; industry: string | null; members: Candidate[] };

export type DispatchInput = {
  tier: DispatchTier;
  kind: TicketKind;
  severity: Severity;
  channel: Channel;
  /** product or topic of the request: matched against engineers' skills */
  product?: string | null;
  account: {
    name: string;
    industry: string;
    seats: Record<Seat, Candidate | null>;
  };
  teams: TeamInfo[];
  /** the implementers of the account's channel partner (E accounts) */
  implementers: Candidate[];
};

export type DispatchDecision = {
  ruleId: string;
  /** the person accountable end to end (A/C: the CSM) */
  accountableId: string | null;
  /** who works the ticket now; null = unassigned queue */
  ownerId: string | null;
  teamId: string | null;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  underSla: boolean;
  /** the hand-offs to record, in order (A/C: first the CSM, then the engineer) */
  steps: { ownerId: string; teamId: string | null; reason: Words }[];
  reason: Words;
};

const teamNames: Record<string, Words> = {
  service_desk: { 'zh-CN': '客服团队', en: 'service desk' },
  expert: { 'zh-CN': '专家服务团队', en: 'expert team' },
  delivery: { 'zh-CN': '项目交付团队', en: 'delivery team' },
};
const seatNames: Record<Seat, Words> = {
  csmId: { 'zh-CN': '客户成功经理', en: 'CSM' },
  deliveryId: { 'zh-CN': '交付接口人', en: 'delivery contact' },
  afterSalesId: { 'zh-CN': '售后工程师', en: 'after-sales engineer' },
  salesId: { 'zh-CN': '销售', en: 'sales rep' },
};
export const kindNames: Record<TicketKind, Words> = {
  product_issue: { 'zh-CN': '产品问题', en: 'product issue' },
  expert_request: { 'zh-CN': '专家需求', en: 'expert request' },
  customisation: { 'zh-CN': '定制化需求', en: 'customisation' },
  complaint: { 'zh-CN': '投诉', en: 'complaint' },
  new_need: { 'zh-CN': '新需求', en: 'new need' },
};
const tierNames: Record<DispatchTier, Words> = {
  A: { 'zh-CN': 'A 类客户', en: 'Tier A account' },
  B: { 'zh-CN': 'B 类客户', en: 'Tier B account' },
  C: { 'zh-CN': 'C 类客户', en: 'Tier C account' },
  D: { 'zh-CN': 'D 类客户', en: 'Tier D account' },
  E: { 'zh-CN': 'E 类（渠道）客户', en: 'Tier E (channel) account' },
};

/**
 * Picks the engineer within a pool: active people only; those whose skills match the request's
 * product first (where the request names one and anybody has it), then the lowest current load,
 * then the name (so the decision is deterministic).
 */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function pickEngineer(pool: Candidate[], product?: string | null): { person: Candidate; bySkill: boolean } | null {
  const active = pool.filter((c) => c.active);
  if (!active.length) return null;
  const p = product?.trim().toLowerCase();
  const skilled = p
    ? active.filter((c) => c.skills.some((s) => s.toLowerCase() === p || p.includes(s.toLowerCase()) || s.toLowerCase().includes(p)))
    : [];
  const from = skilled.length ? skilled : active;
  const person = [...from].sort((a, b) => a.openTickets - b.openTickets || cmp(a.name, b.name) || cmp(a.id, b.id))[0];
  return { person, bySkill: skilled.length > 0 };
}

function pickWords(c: Candidate, bySkill: boolean, product?: string | null): Words {
  return {
    'zh-CN': `${bySkill ? `按技能（${product}）与负载` : '按当前负载'}选定 ${c.name}（在办 ${c.openTickets} 单）`,
    en: `${bySkill ? `by skill (${product}) and load` : 'by current load'}: ${c.name} (${c.openTickets} open)`,
  };
}

export function decideDispatch(input: DispatchInput): DispatchDecision {
  const rule = ruleFor(input.tier, input.kind);
  const priority = priorityOf[input.severity];
  const underSla = rule.basis === 'sla';
  const csm = rule.csmOwns ? input.account.seats.csmId : null;
  const zh: string[] = [];
  const en: string[] = [];
  const steps: DispatchDecision['steps'] = [];
  const tierW = tierNames[input.tier];
  const kindW = kindNames[input.kind];
  const slaZh = underSla ? `，SLA ${priority}` : rule.basis === 'contract' ? '，按合同' : rule.basis === 'expert_service' ? '，专家服务' : '';
  const slaEn = underSla
    ? `, SLA ${priority}`
    : rule.basis === 'contract'
      ? ', under the contract'
      : rule.basis === 'expert_service'
        ? ', expert service'
        : '';

  if (rule.csmOwns) {
    if (csm?.active) {
      zh.push(`${tierW['zh-CN']}：客户成功经理 ${csm.name} 一票到底`);
      en.push(`${tierW.en}: CSM ${csm.name} owns it end to end`);
      steps.push({
        ownerId: csm.id,
        teamId: null,
        reason: { 'zh-CN': `${tierW['zh-CN']}：客户成功经理 ${csm.name} 一票到底`, en: `${tierW.en}: CSM ${csm.name} owns it end to end` },
      });
    } else {
      zh.push(`${tierW['zh-CN']}：未配备客户成功经理，直接分派`);
      en.push(`${tierW.en}: no CSM assigned, dispatched directly`);
    }
  } else {
    zh.push(tierW['zh-CN']);
    en.push(tierW.en);
  }

  // the center of the account's industry takes team-routed work (not the channel's own work)
  const center = input.tier !== 'E' ? input.teams.find((t) => t.kind === 'industry_center' && t.industry === input.account.industry) : undefined;
  const teamOf = (kind: 'service_desk' | 'expert' | 'delivery') => center ?? input.teams.find((t) => t.kind === kind);
  const teamWords = (t: TeamInfo, kind: string): Words =>
    t.kind === 'industry_center'
      ? { 'zh-CN': `${t.name}（${t.industry}行业综合服务中心）`, en: `${t.name} (integrated service center for ${t.industry})` }
      : (teamNames[kind] ?? { 'zh-CN': t.name, en: t.name });

  let owner: Candidate | null = null;
  let team: TeamInfo | null = null;
  let how: Words | null = null;
  const route = rule.route;
  const fromTeam = (kind: 'service_desk' | 'expert' | 'delivery') => {
    team = teamOf(kind) ?? null;
    if (!team)
      return {
        'zh-CN': `${kindW['zh-CN']} → ${teamNames[kind]['zh-CN']}（未设置该团队，进入待分派队列）`,
        en: `${kindW.en} → ${teamNames[kind].en} (no such team: unassigned queue)`,
      };
    const tw = teamWords(team, kind);
    const pick = pickEngineer(team.members, input.product);
    if (!pick)
      return {
        'zh-CN': `${kindW['zh-CN']} → ${tw['zh-CN']}${slaZh}（团队暂无可用人员，进入待分派队列）`,
        en: `${kindW.en} → ${tw.en}${slaEn} (nobody available: unassigned queue)`,
      };
    owner = pick.person;
    const pw = pickWords(pick.person, pick.bySkill, input.product);
    return { 'zh-CN': `${kindW['zh-CN']} → ${tw['zh-CN']}${slaZh}；${pw['zh-CN']}`, en: `${kindW.en} → ${tw.en}${slaEn}; ${pw.en}` };
  };

  if (route.via === 'team') {
    how = fromTeam(route.team);
  } else if (route.via === 'seat') {
    const person = input.account.seats[route.seat];
    const centerTakes = center && route.fallbackTeam && !(person && center.members.some((m) => m.id === person.id));
    if (person?.active && !centerTakes) {
      owner = person;
      const teamKind = route.seat === 'deliveryId' ? 'delivery' : route.seat === 'afterSalesId' ? 'service_desk' : null;
      team = teamKind ? (input.teams.find((t) => t.kind === teamKind && t.members.some((m) => m.id === person.id)) ?? null) : null;
      how = {
        'zh-CN': `${kindW['zh-CN']} → ${seatNames[route.seat]['zh-CN']} ${person.name}${slaZh}`,
        en: `${kindW.en} → ${seatNames[route.seat].en} ${person.name}${slaEn}`,
      };
    } else if (route.fallbackTeam) {
      const w = fromTeam(route.fallbackTeam);
      how = centerTakes
        ? w
        : { 'zh-CN': `未设置${seatNames[route.seat]['zh-CN']}；${w['zh-CN']}`, en: `no ${seatNames[route.seat].en} set; ${w.en}` };
    } else {
      how = {
        'zh-CN': `${kindW['zh-CN']} → ${seatNames[route.seat]['zh-CN']}（未设置，进入待分派队列）`,
        en: `${kindW.en} → ${seatNames[route.seat].en} (not set: unassigned queue)`,
      };
    }
  } else {
    const pick = pickEngineer(input.implementers, input.product);
    if (pick) {
      owner = pick.person;
      const pw = pickWords(pick.person, pick.bySkill, input.product);
      how = {
        'zh-CN': `${kindW['zh-CN']} → 渠道商实施商${slaZh}；${pw['zh-CN']}`,
        en: `${kindW.en} → the channel partner's implementer${slaEn}; ${pw.en}`,
      };
    } else {
      how = {
        'zh-CN': `${kindW['zh-CN']} → 渠道商实施商（无可用实施商，进入待分派队列）`,
        en: `${kindW.en} → the channel partner's implementer (none available: unassigned queue)`,
      };
    }
  }
  zh.push(how['zh-CN']);
  en.push(how.en);
  const reason: Words = { 'zh-CN': zh.join('；'), en: en.join('; ') };
  const o = owner as Candidate | null;
  const tm = team as TeamInfo | null;
  if (o && !(steps.length && steps[steps.length - 1].ownerId === o.id)) steps.push({ ownerId: o.id, teamId: tm?.id ?? null, reason: how });
  const finalOwner = o?.id ?? steps[steps.length - 1]?.ownerId ?? null;
  return {
    ruleId: rule.id,
    accountableId: csm?.active ? csm.id : null,
    ownerId: finalOwner,
    teamId: tm?.id ?? null,
    priority,
    underSla,
    steps,
    reason,
  };
}

/** The rule set in words, for the read-only view. */
export function describeRules(locale: 'zh-CN' | 'en') {
  return dispatchRules.map((r) => ({
    id: r.id,
    tiers: [...r.tiers],
    kind: r.kind,
    kindName: kindNames[r.kind][locale],
    csmOwns: r.csmOwns,
    basis: r.basis,
    target:
      r.route.via === 'team'
        ? teamNames[r.route.team][locale]
        : r.route.via === 'seat'
          ? `${seatNames[r.route.seat][locale]}${r.route.fallbackTeam ? (locale === 'en' ? ` (else ${teamNames[r.route.fallbackTeam].en})` : `（未设置时：${teamNames[r.route.fallbackTeam]['zh-CN']}）`) : ''}`
          : locale === 'en'
            ? "channel partner's implementer"
            : '渠道商实施商',
    note: r.note[locale],
  }));
}
