/**
 * The demo workspace's data (all companies and people are fictional): 云帆服务云, a vendor of
 * after-sales service software, and ~40 of its customers — equipment, medical-device, elevator,
 * HVAC and energy manufacturers. Grading inputs are chosen so the default model gives roughly
 * A 6 · C 5 · B 11 · D 10 · E 8; two manager overrides (D→C, B→C) make it A 6 · C 7 · B 10 · D 9 · E 8.
 */
import type { Tier } from '../modules/accounts/grading.domain.js';
import type { LadderLevel, Stage } from '../modules/accounts/lifecycle.domain.js';
import type { Role } from '../platform/permissions.js';

export const DEMO_SLUG = 'demo';
export const DEMO_PASSWORD = 'Keyward2026!';
export const DEMO_WORKSPACE = { name: '云帆服务云', slug: DEMO_SLUG, timezone: 'Asia/Shanghai', currency: 'CNY', defaultLocale: 'zh-CN', customerModel: 'to_b' } as const;

export type PartnerKey = 'south' | 'west' | 'north';
export const DEMO_PARTNERS: { key: PartnerKey; name: string; region: string; contactName: string; contactPhone: string }[] = [
  { key: 'south', name: '华南渠道商·广州粤联信息科技', region: '华南', contactName: '邓志华', contactPhone: '020-8000-0001' },
  { key: 'west', name: '西部信息技术·成都蜀信科技', region: '西南', contactName: '罗晓川', contactPhone: '028-8000-0002' },
  { key: 'north', name: '东北渠道商·沈阳北方智联', region: '东北', contactName: '于海涛', contactPhone: '024-8000-0003' },
];

export type StaffKey =
  | 'admin' | 'manager' | 'vp' | 'sales' | 'sales2' | 'sales3' | 'delivery' | 'delivery2' | 'delivery3'
  | 'aftersales' | 'aftersales2' | 'aftersales3' | 'csm' | 'csm2' | 'expert' | 'expert2' | 'channel' | 'channel2';

export type DemoStaff = { key: StaffKey; name: string; role: Role; title: string; skills?: string[]; partner?: PartnerKey };

/** The first person of each role gets the role's address (admin@, sales@, …); the others a numbered one. */
export const DEMO_STAFF: DemoStaff[] = [
  { key: 'admin', name: '周明', role: 'admin', title: '运营管理员' },
  { key: 'manager', name: '林晓燕', role: 'manager', title: '服务副总裁', skills: ['客户运营', '大客户管理'] },
  { key: 'vp', name: '高远', role: 'manager', title: '销售总监', skills: ['大客户销售'] },
  { key: 'sales', name: '王建国', role: 'sales', title: '大客户销售经理', skills: ['工程机械', '电力设备'] },
  { key: 'sales2', name: '陈立', role: 'sales', title: '医疗行业方案销售', skills: ['医疗器械'] },
  { key: 'sales3', name: '赵磊', role: 'sales', title: '区域销售经理（华南/西南）', skills: ['家电', '暖通空调'] },
  { key: 'delivery', name: '刘洋', role: 'delivery', title: '交付项目经理', skills: ['工单管理', '备件管理', '系统集成'] },
  { key: 'delivery2', name: '孙浩', role: 'delivery', title: '交付工程师（医疗）', skills: ['客户门户', 'IoT 远程运维'] },
  { key: 'delivery3', name: '马骏', role: 'delivery', title: '交付工程师', skills: ['服务商管理', '数据接口'] },
  { key: 'aftersales', name: '张伟', role: 'after_sales', title: '客服团队组长', skills: ['工单管理', '呼叫中心'] },
  { key: 'aftersales2', name: '李娜', role: 'after_sales', title: '售后工程师（医疗）', skills: ['备件管理'] },
  { key: 'aftersales3', name: '黄志强', role: 'after_sales', title: '售后工程师', skills: ['IoT 远程运维', '移动派工'] },
  { key: 'csm', name: '何静', role: 'csm', title: '客户成功经理', skills: ['业务价值评估', '客户运营'] },
  { key: 'csm2', name: '郭婷', role: 'csm', title: '客户成功经理（医疗）', skills: ['医疗器械', '客户运营'] },
  { key: 'expert', name: '吴峰', role: 'expert', title: '首席服务专家', skills: ['服务流程咨询', 'IoT 远程运维'] },
  { key: 'expert2', name: '郑凯', role: 'expert', title: '数据分析专家', skills: ['BI 报表', '服务指标体系'] },
  { key: 'channel', name: '杨帆', role: 'channel_implementer', title: '渠道实施顾问（华南）', partner: 'south' },
  { key: 'channel2', name: '罗斌', role: 'channel_implementer', title: '渠道实施顾问（西南）', partner: 'west' },
];

const ROLE_MAIL: Record<Role, string> = {
  admin: 'admin', manager: 'manager', sales: 'sales', delivery: 'delivery', after_sales: 'aftersales', csm: 'csm', expert: 'expert', channel_implementer: 'channel',
};
export const DEMO_DOMAIN = 'demo.keyward.cn';
export function staffEmail(s: DemoStaff, all: DemoStaff[] = DEMO_STAFF): string {
  const same = all.filter((x) => x.role === s.role);
  const n = same.indexOf(s) + 1;
  return `${ROLE_MAIL[s.role]}${n > 1 ? n : ''}@${DEMO_DOMAIN}`;
}

export const DEMO_TEAMS: { name: string; kind: 'service_desk' | 'expert' | 'delivery' | 'industry_center'; industry?: string; lead: StaffKey; members: StaffKey[] }[] = [
  { name: '客服团队', kind: 'service_desk', lead: 'aftersales', members: ['aftersales', 'aftersales2', 'aftersales3'] },
  { name: '专家服务团队', kind: 'expert', lead: 'expert', members: ['expert', 'expert2'] },
  { name: '项目交付团队', kind: 'delivery', lead: 'delivery', members: ['delivery', 'delivery2', 'delivery3'] },
  {
    name: '医疗器械行业综合服务中心',
    kind: 'industry_center',
    industry: '医疗器械',
    lead: 'sales2',
    members: ['sales2', 'delivery2', 'aftersales2', 'csm2', 'expert2'],
  },
];

export type Team = { sales: StaffKey; delivery: StaffKey | null; afterSales: StaffKey; csm: StaffKey | null };

export type DemoAccount = {
  /** short code: contract numbers and contact mail domains */
  code: string;
  name: string;
  industry: string;
  region: string;
  /** the tier the default model is expected to give */
  tier: Tier;
  override?: { tier: Tier; reason: string };
  partner?: PartnerKey;
  targetWan: number;
  /** grading inputs: order amount (last 2 years, 万元), on-time payment %, prospect 1–5, margin % */
  orderWan: number;
  credit: number | null;
  prospect: number | null;
  margin: number | null;
  products: string[];
  tags: string[];
  /** final stage, days in it, completed renewal cycles before it */
  stage: Stage;
  days: number;
  cycles?: number;
  /** for churn: the stage churned from; wonBack: churned earlier and re-signed (handover again) */
  churnFrom?: 'adaptation' | 'renewal';
  wonBack?: boolean;
  ladder: LadderLevel;
  team: Team;
  contacts: number;
  /** leave the executive-to-executive link out, so the relationship gap shows */
  noExecLink?: boolean;
  /** relationship links mostly older than 90 days */
  stale?: boolean;
};

const P = {
  wo: '工单管理',
  parts: '备件管理',
  sp: '服务商管理',
  portal: '客户门户',
  iot: 'IoT 远程运维',
  asset: '设备档案',
  kb: '知识库',
  mobile: '移动派工',
  settle: '服务结算',
  cc: '呼叫中心',
  bi: '数据分析 BI',
};

const T = (sales: StaffKey, delivery: StaffKey | null, afterSales: StaffKey, csm: StaffKey | null = null): Team => ({ sales, delivery, afterSales, csm });

export const DEMO_ACCOUNTS: DemoAccount[] = [
  // ---- A: strategic (high current value)
  {
    code: 'hdzg', name: '华东重工机械集团有限公司', industry: '工程机械', region: '华东', tier: 'A',
    targetWan: 1000, orderWan: 1280, credit: 96, prospect: 4, margin: 42,
    products: [P.wo, P.parts, P.sp, P.portal, P.iot, P.bi], tags: ['标杆客户', '集团客户', '上市公司'],
    stage: 'renewal', days: 35, cycles: 1, ladder: 'strategic_partner', team: T('sales', 'delivery', 'aftersales', 'csm'), contacts: 5,
  },
  {
    code: 'mkyl', name: '迈康医疗器械股份有限公司', industry: '医疗器械', region: '华南', tier: 'A',
    targetWan: 800, orderWan: 960, credit: 94, prospect: 4, margin: 38,
    products: [P.wo, P.parts, P.asset, P.portal, P.kb], tags: ['标杆客户', '上市公司'],
    stage: 'adaptation', days: 160, cycles: 1, ladder: 'key_supplier', team: T('sales2', 'delivery2', 'aftersales2', 'csm2'), contacts: 5,
  },
  {
    code: 'sldt', name: '申联电梯股份有限公司', industry: '电梯', region: '华东', tier: 'A',
    targetWan: 700, orderWan: 880, credit: 92, prospect: 3, margin: 40,
    products: [P.wo, P.mobile, P.iot, P.sp, P.settle], tags: ['标杆客户', '集团客户'],
    stage: 'adaptation', days: 210, cycles: 1, ladder: 'strategic_partner', team: T('sales', 'delivery3', 'aftersales3', 'csm'), contacts: 5,
  },
  {
    code: 'bcdl', name: '北辰电力设备集团有限公司', industry: '电力设备', region: '华北', tier: 'A',
    targetWan: 900, orderWan: 1050, credit: 90, prospect: 4, margin: 36,
    products: [P.wo, P.parts, P.asset, P.iot, P.bi], tags: ['信创', '集团客户', '续约风险'],
    stage: 'renewal', days: 48, ladder: 'key_supplier', team: T('sales', 'delivery', 'aftersales', 'csm'), contacts: 5,
  },
  {
    code: 'grnt', name: '格润暖通科技股份有限公司', industry: '暖通空调', region: '华中', tier: 'A',
    targetWan: 600, orderWan: 720, credit: 95, prospect: 3, margin: 44,
    products: [P.wo, P.parts, P.sp, P.mobile, P.cc], tags: ['上市公司'],
    stage: 'adaptation', days: 95, cycles: 1, ladder: 'key_supplier', team: T('sales3', 'delivery3', 'aftersales', 'csm'), contacts: 4,
  },
  {
    code: 'atzn', name: '安泰智能装备股份有限公司', industry: '智能制造', region: '华东', tier: 'A',
    targetWan: 550, orderWan: 650, credit: 91, prospect: 4, margin: 39,
    products: [P.wo, P.iot, P.asset, P.portal], tags: ['二期在谈'],
    stage: 'adaptation', days: 120, ladder: 'key_supplier', team: T('sales', 'delivery', 'aftersales3', 'csm'), contacts: 4, noExecLink: true,
  },

  // ---- C: major upside (potential high, value not yet)
  {
    code: 'lhxny', name: '蓝海新能源科技有限公司', industry: '新能源', region: '华东', tier: 'C',
    targetWan: 500, orderWan: 215, credit: 88, prospect: 5, margin: 31,
    products: [P.wo, P.iot], tags: ['二期在谈', '新签客户'],
    stage: 'startup', days: 26, ladder: 'supplier', team: T('sales', 'delivery3', 'aftersales3', 'csm'), contacts: 4,
  },
  {
    code: 'kysw', name: '康源生物医疗设备有限公司', industry: '医疗器械', region: '华北', tier: 'C',
    targetWan: 400, orderWan: 170, credit: 90, prospect: 5, margin: 42,
    products: [P.wo, P.parts, P.portal], tags: ['二期在谈'],
    stage: 'adaptation', days: 140, ladder: 'supplier', team: T('sales2', 'delivery2', 'aftersales2', 'csm2'), contacts: 4,
  },
  {
    code: 'xhcn', name: '星河储能系统有限公司', industry: '新能源', region: '西北', tier: 'C',
    targetWan: 450, orderWan: 60, credit: null, prospect: 5, margin: 25,
    products: [P.wo, P.iot, P.asset], tags: ['新签客户', '信创'],
    stage: 'handover', days: 9, ladder: 'participant', team: T('sales3', 'delivery', 'aftersales3', 'csm'), contacts: 3,
  },
  {
    code: 'rkyx', name: '瑞科医学影像设备有限公司', industry: '医疗器械', region: '华东', tier: 'C',
    targetWan: 350, orderWan: 250, credit: 86, prospect: 4, margin: 25,
    products: [P.wo, P.parts, P.kb], tags: ['竞品接触'],
    // the intended gap: a C account without a CSM
    stage: 'adaptation', days: 75, ladder: 'supplier', team: T('sales2', 'delivery2', 'aftersales2', null), contacts: 4,
  },
  {
    code: 'zynj', name: '中原农机装备集团有限公司', industry: '农业机械', region: '华中', tier: 'C',
    targetWan: 420, orderWan: 185, credit: 82, prospect: 5, margin: 38,
    products: [P.wo, P.sp, P.mobile], tags: ['集团客户', '信创'],
    stage: 'renewal', days: 22, ladder: 'key_supplier', team: T('sales3', 'delivery', 'aftersales', 'csm'), contacts: 4,
  },
  {
    code: 'xlhb', name: '西岭环保设备有限公司', industry: '环保设备', region: '西南', tier: 'D',
    override: { tier: 'C', reason: '新任CIO推动数字化项目，已启动全国服务网点的工单与备件一体化规划' },
    targetWan: 300, orderWan: 35, credit: 70, prospect: 2, margin: 15,
    products: [P.wo], tags: ['信创'],
    stage: 'adaptation', days: 180, ladder: 'supplier', team: T('sales3', 'delivery3', 'aftersales3', 'csm'), contacts: 4,
  },
  {
    code: 'hxll', name: '华夏冷链物流装备有限公司', industry: '物流装备', region: '华北', tier: 'B',
    override: { tier: 'C', reason: '集团启动全国服务网点数字化升级，二期预算已立项' },
    targetWan: 380, orderWan: 390, credit: 88, prospect: 3, margin: 12,
    products: [P.wo, P.parts, P.mobile], tags: ['二期在谈'],
    stage: 'renewal', days: 40, ladder: 'supplier', team: T('sales', 'delivery', 'aftersales', 'csm'), contacts: 4,
  },

  // ---- B: some contribution, limited upside
  {
    code: 'shysj', name: '苏航压缩机有限公司', industry: '通用机械', region: '华东', tier: 'B',
    targetWan: 180, orderWan: 420, credit: 85, prospect: 2, margin: 10,
    products: [P.wo, P.parts], tags: [],
    stage: 'adaptation', days: 200, cycles: 1, ladder: 'supplier', team: T('sales', 'delivery3', 'aftersales'), contacts: 3,
  },
  {
    code: 'pcaf', name: '鹏城安防科技有限公司', industry: '安防', region: '华南', tier: 'B',
    targetWan: 200, orderWan: 450, credit: 68, prospect: 2, margin: 10,
    products: [P.wo, P.mobile, P.kb], tags: ['续约风险', '付款慢'],
    stage: 'renewal', days: 55, ladder: 'supplier', team: T('sales3', 'delivery', 'aftersales3'), contacts: 3,
  },
  {
    code: 'jgqz', name: '津港起重设备有限公司', industry: '工程机械', region: '华北', tier: 'B',
    targetWan: 160, orderWan: 310, credit: 89, prospect: 2, margin: 18,
    products: [P.wo, P.parts, P.asset], tags: [],
    // the intended gap: a B account without a delivery engineer
    stage: 'adaptation', days: 130, ladder: 'supplier', team: T('sales', null, 'aftersales'), contacts: 3,
  },
  {
    code: 'hzyq', name: '恒准仪器仪表有限公司', industry: '仪器仪表', region: '华东', tier: 'B',
    targetWan: 150, orderWan: 290, credit: 97, prospect: 2, margin: 20,
    products: [P.wo, P.kb], tags: [],
    stage: 'adaptation', days: 200, ladder: 'supplier', team: T('sales', 'delivery', 'aftersales3'), contacts: 3,
  },
  {
    code: 'mljd', name: '美凌家电服务有限公司', industry: '家电', region: '华南', tier: 'B',
    targetWan: 220, orderWan: 480, credit: 72, prospect: 2, margin: 10,
    products: [P.wo, P.sp, P.settle, P.cc], tags: ['续约风险'],
    stage: 'renewal', days: 18, cycles: 1, ladder: 'key_supplier', team: T('sales3', 'delivery3', 'aftersales'), contacts: 4,
  },
  {
    code: 'cjgd', name: '长江轨道交通装备有限公司', industry: '轨道交通', region: '华中', tier: 'B',
    targetWan: 240, orderWan: 360, credit: 80, prospect: 3, margin: 14,
    products: [P.wo, P.asset, P.iot], tags: ['信创'],
    stage: 'adaptation', days: 60, ladder: 'supplier', team: T('sales3', 'delivery', 'aftersales'), contacts: 3,
  },
  {
    code: 'tfsk', name: '天府数控机床有限公司', industry: '智能制造', region: '西南', tier: 'B',
    targetWan: 150, orderWan: 230, credit: 85, prospect: 3, margin: 28,
    products: [P.wo, P.parts], tags: ['新签客户'],
    stage: 'startup', days: 33, ladder: 'participant', team: T('sales3', 'delivery3', 'aftersales3'), contacts: 3,
  },
  {
    code: 'qlkt', name: '齐鲁空调设备有限公司', industry: '暖通空调', region: '华北', tier: 'B',
    targetWan: 170, orderWan: 335, credit: 91, prospect: 2, margin: 16,
    products: [P.wo, P.mobile], tags: [],
    stage: 'adaptation', days: 110, cycles: 1, ladder: 'supplier', team: T('sales', 'delivery', 'aftersales'), contacts: 3,
  },
  {
    code: 'zhsb', name: '浙辉水泵有限公司', industry: '通用机械', region: '华东', tier: 'B',
    targetWan: 120, orderWan: 200, credit: 78, prospect: 2, margin: 34,
    products: [P.wo, P.parts], tags: ['竞品接触'],
    stage: 'churn', days: 28, churnFrom: 'renewal', ladder: 'participant', team: T('sales', 'delivery3', 'aftersales3'), contacts: 3, stale: true,
  },
  {
    code: 'jcqp', name: '锦程汽车零部件有限公司', industry: '汽车零部件', region: '东北', tier: 'B',
    targetWan: 140, orderWan: 270, credit: 87, prospect: 2, margin: 22,
    products: [P.wo, P.sp], tags: [],
    stage: 'adaptation', days: 85, ladder: 'supplier', team: T('sales', 'delivery', 'aftersales'), contacts: 3,
  },

  // ---- D: low contribution, low potential
  {
    code: 'jlfd', name: '金陵小型发电机有限公司', industry: '电力设备', region: '华东', tier: 'D',
    targetWan: 40, orderWan: 45, credit: 55, prospect: 1, margin: 12,
    products: [P.wo], tags: ['付款慢'],
    stage: 'churn', days: 64, churnFrom: 'adaptation', ladder: 'participant', team: T('sales', 'delivery3', 'aftersales'), contacts: 2, stale: true,
  },
  {
    code: 'yhjs', name: '粤海净水设备有限公司', industry: '环保设备', region: '华南', tier: 'D',
    targetWan: 50, orderWan: 85, credit: 72, prospect: 2, margin: 14,
    products: [P.wo, P.mobile], tags: [],
    stage: 'adaptation', days: 150, ladder: 'supplier', team: T('sales3', 'delivery', 'aftersales3'), contacts: 2, stale: true,
  },
  {
    code: 'ysbz', name: '燕山包装机械有限公司', industry: '包装机械', region: '华北', tier: 'D',
    targetWan: 60, orderWan: 110, credit: 68, prospect: 2, margin: 16,
    products: [P.wo], tags: [],
    stage: 'adaptation', days: 190, ladder: 'participant', team: T('sales', 'delivery', 'aftersales'), contacts: 2,
  },
  {
    code: 'bsdt', name: '巴蜀电梯工程有限公司', industry: '电梯', region: '西南', tier: 'D',
    targetWan: 40, orderWan: 55, credit: 60, prospect: 1, margin: 10,
    products: [P.wo, P.mobile], tags: ['付款慢'],
    stage: 'churn', days: 120, churnFrom: 'renewal', ladder: 'participant', team: T('sales3', 'delivery3', 'aftersales3'), contacts: 2, stale: true,
  },
  {
    code: 'qcyl', name: '秦川医疗耗材设备有限公司', industry: '医疗器械', region: '西北', tier: 'D',
    targetWan: 60, orderWan: 40, credit: 80, prospect: 2, margin: 18,
    products: [P.wo], tags: ['新签客户'],
    stage: 'startup', days: 17, ladder: 'participant', team: T('sales2', 'delivery2', 'aftersales2'), contacts: 3,
  },
  {
    code: 'hsmc', name: '徽商智能门窗有限公司', industry: '建材设备', region: '华东', tier: 'D',
    targetWan: 50, orderWan: 95, credit: 76, prospect: 2, margin: 12,
    products: [P.wo, P.kb], tags: [],
    stage: 'adaptation', days: 200, ladder: 'supplier', team: T('sales', 'delivery3', 'aftersales'), contacts: 2, stale: true,
  },
  {
    code: 'xjbf', name: '湘江泵阀有限公司', industry: '通用机械', region: '华中', tier: 'D',
    targetWan: 70, orderWan: 130, credit: 60, prospect: 2, margin: 15,
    products: [P.wo, P.parts], tags: ['续约风险'],
    stage: 'renewal', days: 30, ladder: 'supplier', team: T('sales3', 'delivery', 'aftersales3'), contacts: 3,
  },
  {
    code: 'ljnj', name: '龙江农机服务有限公司', industry: '农业机械', region: '东北', tier: 'D',
    targetWan: 60, orderWan: 50, credit: 58, prospect: 2, margin: 14,
    products: [P.wo], tags: ['新签客户'],
    stage: 'handover', days: 12, wonBack: true, ladder: 'participant', team: T('sales', 'delivery', 'aftersales'), contacts: 2,
  },
  {
    code: 'mnfz', name: '闽南纺织机械有限公司', industry: '纺织机械', region: '华南', tier: 'D',
    targetWan: 50, orderWan: 75, credit: 74, prospect: 1, margin: 17,
    products: [P.wo, P.mobile], tags: [],
    stage: 'adaptation', days: 70, ladder: 'participant', team: T('sales3', 'delivery3', 'aftersales3'), contacts: 2,
  },

  // ---- E: channel accounts (served through a channel partner)
  {
    code: 'fssd', name: '佛山顺达电器有限公司', industry: '家电', region: '华南', tier: 'E', partner: 'south',
    targetWan: 90, orderWan: 120, credit: 85, prospect: 3, margin: 20,
    products: [P.wo, P.mobile], tags: [],
    stage: 'adaptation', days: 100, ladder: 'supplier', team: T('sales3', null, 'aftersales3'), contacts: 2,
  },
  {
    code: 'dgjg', name: '东莞精工模具设备有限公司', industry: '工业设备', region: '华南', tier: 'E', partner: 'south',
    targetWan: 80, orderWan: 100, credit: 82, prospect: 2, margin: 18,
    products: [P.wo, P.parts], tags: ['续约风险'],
    stage: 'renewal', days: 26, ladder: 'supplier', team: T('sales3', null, 'aftersales'), contacts: 2,
  },
  {
    code: 'zhhb', name: '珠海海滨医疗设备有限公司', industry: '医疗器械', region: '华南', tier: 'E', partner: 'south',
    targetWan: 70, orderWan: 60, credit: 90, prospect: 4, margin: 22,
    products: [P.wo, P.asset], tags: ['新签客户'],
    stage: 'startup', days: 20, ladder: 'participant', team: T('sales2', null, 'aftersales2'), contacts: 2,
  },
  {
    code: 'cdsn', name: '成都蜀能暖通工程有限公司', industry: '暖通空调', region: '西南', tier: 'E', partner: 'west',
    targetWan: 60, orderWan: 80, credit: 78, prospect: 3, margin: 19,
    products: [P.wo, P.mobile], tags: [],
    stage: 'adaptation', days: 190, ladder: 'supplier', team: T('sales3', null, 'aftersales3'), contacts: 2,
  },
  {
    code: 'cqsc', name: '重庆山城电梯维保有限公司', industry: '电梯', region: '西南', tier: 'E', partner: 'west',
    targetWan: 50, orderWan: 30, credit: null, prospect: 3, margin: 20,
    products: [P.wo, P.mobile], tags: ['新签客户'],
    stage: 'handover', days: 6, ladder: 'participant', team: T('sales3', null, 'aftersales3'), contacts: 2,
  },
  {
    code: 'kmyl', name: '昆明云岭光伏科技有限公司', industry: '新能源', region: '西南', tier: 'E', partner: 'west',
    targetWan: 40, orderWan: 45, credit: 62, prospect: 2, margin: 15,
    products: [P.wo], tags: ['付款慢'],
    stage: 'churn', days: 45, churnFrom: 'adaptation', ladder: 'participant', team: T('sales3', null, 'aftersales3'), contacts: 2, stale: true,
  },
  {
    code: 'sybz', name: '沈阳北重机械有限公司', industry: '工程机械', region: '东北', tier: 'E', partner: 'north',
    targetWan: 100, orderWan: 140, credit: 88, prospect: 3, margin: 21,
    products: [P.wo, P.parts], tags: [],
    stage: 'adaptation', days: 220, cycles: 1, ladder: 'supplier', team: T('sales', null, 'aftersales'), contacts: 2,
  },
  {
    code: 'dlhw', name: '大连海湾制冷设备有限公司', industry: '暖通空调', region: '东北', tier: 'E', partner: 'north',
    targetWan: 70, orderWan: 90, credit: 80, prospect: 2, margin: 18,
    products: [P.wo, P.sp], tags: [],
    stage: 'renewal', days: 14, ladder: 'supplier', team: T('sales', null, 'aftersales'), contacts: 2,
  },
];

/** Customer-side people: [汉字, pinyin]. */
export const SURNAMES: [string, string][] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'], ['赵', 'zhao'],
  ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'], ['胡', 'hu'], ['郭', 'guo'],
  ['何', 'he'], ['高', 'gao'], ['罗', 'luo'], ['郑', 'zheng'], ['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'],
  ['许', 'xu'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'], ['曹', 'cao'], ['彭', 'peng'], ['曾', 'zeng'], ['萧', 'xiao'],
  ['田', 'tian'], ['董', 'dong'], ['潘', 'pan'], ['袁', 'yuan'], ['蔡', 'cai'], ['蒋', 'jiang'], ['余', 'yu'], ['杜', 'du'],
];
export const GIVEN_NAMES: [string, string][] = [
  ['志刚', 'zhigang'], ['海燕', 'haiyan'], ['建华', 'jianhua'], ['晓东', 'xiaodong'], ['丽华', 'lihua'], ['国强', 'guoqiang'],
  ['文博', 'wenbo'], ['雪梅', 'xuemei'], ['振宇', 'zhenyu'], ['思远', 'siyuan'], ['春雷', 'chunlei'], ['秀英', 'xiuying'],
  ['俊杰', 'junjie'], ['慧敏', 'huimin'], ['立新', 'lixin'], ['子涵', 'zihan'], ['宏伟', 'hongwei'], ['静怡', 'jingyi'],
  ['明辉', 'minghui'], ['玉兰', 'yulan'], ['浩然', 'haoran'], ['红梅', 'hongmei'], ['永强', 'yongqiang'], ['佳琪', 'jiaqi'],
  ['德胜', 'desheng'], ['晓琳', 'xiaolin'], ['天翔', 'tianxiang'], ['美玲', 'meiling'], ['卫东', 'weidong'], ['嘉欣', 'jiaxin'],
  ['成龙', 'chenglong'], ['婉婷', 'wanting'], ['少华', 'shaohua'], ['雅琴', 'yaqin'], ['光明', 'guangming'], ['一鸣', 'yiming'],
];

export type ContactRoleTemplate = {
  side: 'business_head' | 'operations_it' | 'executive' | 'other';
  title: string;
  department: string;
  groups: ('promotion_committee' | 'rollout' | 'kpi_monitoring' | 'improvement_ops')[];
};

/** Contacts in the order an account gets them (2 → the first two, 5 → all). */
export const CONTACT_ROLES: ContactRoleTemplate[][] = [
  [
    { side: 'business_head', title: '服务部经理', department: '售后服务部', groups: ['promotion_committee', 'rollout', 'improvement_ops'] },
    { side: 'business_head', title: '客服中心总监', department: '客户服务中心', groups: ['promotion_committee', 'improvement_ops'] },
    { side: 'business_head', title: '售后服务部部长', department: '售后服务部', groups: ['promotion_committee', 'rollout'] },
  ],
  [
    { side: 'operations_it', title: '信息中心主任', department: '信息中心', groups: ['rollout', 'kpi_monitoring'] },
    { side: 'operations_it', title: '运维主管', department: '设备运维部', groups: ['rollout', 'kpi_monitoring'] },
    { side: 'operations_it', title: 'IT 经理', department: '数字化部', groups: ['rollout'] },
  ],
  [
    { side: 'executive', title: '总经理', department: '总经理办公室', groups: ['promotion_committee'] },
    { side: 'executive', title: '副总裁（分管服务）', department: '公司高层', groups: ['promotion_committee'] },
    { side: 'executive', title: 'CIO', department: '公司高层', groups: ['promotion_committee', 'kpi_monitoring'] },
  ],
  [
    { side: 'other', title: '采购经理', department: '采购部', groups: [] },
    { side: 'other', title: '财务经理', department: '财务部', groups: ['kpi_monitoring'] },
  ],
  [
    { side: 'operations_it', title: '服务运营专员', department: '客户服务中心', groups: ['kpi_monitoring', 'improvement_ops'] },
    { side: 'business_head', title: '备件中心经理', department: '备件中心', groups: ['rollout', 'improvement_ops'] },
  ],
];

export const DEMO_SEGMENTS = [
  {
    name: '重点客户·续约期',
    description: 'A、C 类重点客户中进入续约期的客户：提前安排续约评估、项目 Review 和高层拜访。',
    rules: [
      { field: 'tier' as const, values: ['A', 'C'] },
      { field: 'stage' as const, values: ['renewal'] },
    ],
  },
  {
    name: '续约风险客户',
    description: '带“续约风险”标签的客户，按周跟进。',
    rules: [{ field: 'tag' as const, values: ['续约风险'] }],
  },
  {
    name: '医疗器械·适应期',
    description: '医疗器械行业综合服务中心负责的、处于适应期的客户。',
    rules: [
      { field: 'industry' as const, values: ['医疗器械'] },
      { field: 'stage' as const, values: ['adaptation'] },
    ],
  },
];

export const KEY_PERSON_ACCOUNT = 'hdzg';
export const KEY_PERSON_EMAILS = ['kp1@customer.demo', 'kp2@customer.demo'];
