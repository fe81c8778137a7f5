import { fail, ok, type RuleResult } from '../../platform/errors.js';
import { coreTasks, normaliseTasks, type CoreTask } from './tasks.domain.js';
import { KEY_TIERS } from '../accounts/tiers.domain.js';

export const menus = ['core', 'free_expert'] as const;
export type Menu = (typeof menus)[number];
export const tiers = ['A', 'B', 'C', 'D', 'E'] as const;
export type Tier = (typeof tiers)[number];
export const executorRoles = ['csm', 'expert', 'sales', 'delivery', 'after_sales', 'manager'] as const;
export type ExecutorRole = (typeof executorRoles)[number];

export type CatalogItemInput = {
  menu: Menu;
  code: string;
  position: number;
  nameZh: string;
  nameEn: string;
  description?: string | null;
  processSteps: string[];
  executorRole: ExecutorRole;
  pricing: 'free' | 'paid';
  /** what the customer pays (paid items); 0 for free ones */
  priceMinor: number;
  /** 内部结算费用: what a free booking draws from the customer-operations budget */
  internalCostMinor: number;
  kpiCredit: number;
  tasks: CoreTask[];
  eligibleTiers: Tier[];
  active: boolean;
};

const YUAN = 100;
const KEY: Tier[] = [...KEY_TIERS];

function item(
  menu: Menu,
  code: string,
  position: number,
  nameZh: string,
  nameEn: string,
  tasks: CoreTask[],
  costYuan: number,
  executorRole: ExecutorRole,
  kpiCredit: number,
  processSteps: string[],
): CatalogItemInput {
  return {
    menu,
    code: `${menu}.${code}`,
    position,
    nameZh,
    nameEn,
    description: null,
    processSteps,
    executorRole,
    pricing: 'free',
    priceMinor: 0,
    internalCostMinor: costYuan * YUAN,
    kpiCredit,
    tasks: normaliseTasks(tasks),
    eligibleTiers: KEY,
    active: true,
  };
}

const REVIEW = ['收集项目数据与目标', '对照目标评估效果', '与客户关键人复盘', '输出改进与机会清单'];
const BRAINSTORM = ['确定议题与参会人', '组织头脑风暴研讨', '整理需求与想法', '转成商机或改进项'];
const CASE = ['挑选同行业标杆案例', '安排介绍或现场参观', '收集客户反馈与新需求'];
const MEETING = ['准备客户状态与需求分析', '召开例会', '纪要与行动项跟进'];
const SPECIAL = ['确认重大体验问题', '申请特别预算', '专项解决并回访'];
const FEATURE = ['梳理客户使用情况', '匹配新功能与方案', '演示并收集反馈'];

/**
 * Seed 001's service-product menu (服务产品菜单) with exactly its item → task mapping:
 * 孵化商机 = 1,2,7; 捕捉商机 = 1,7,8; 掌握项目行为 = 3; 价格接受度 = 4,5,9; 方案接受度 = 1,4,6; 关系紧密度 = 4,5,8,9.
 */
export const seed001Menu: CatalogItemInput[] = [
  item(
    'core',
    'project_review',
    1,
    '项目Review和效果评估',
    'Project review & effect evaluation',
    ['incubate', 'capture', 'solution'],
    40_000,
    'expert',
    5,
    REVIEW,
  ),
  item('core', 'brainstorming', 2, '头脑风暴', 'Brainstorming', ['incubate'], 30_000, 'expert', 4, BRAINSTORM),
  item(
    'core',
    'private_visit',
    3,
    '私下拜会，了解项目行为规律',
    'Private visit (learn the project behaviour patterns)',
    ['behaviour'],
    5_000,
    'sales',
    2,
    ['约见客户关键人', '了解预算周期、决策流程与采购习惯', '记录关键人偏好'],
  ),
  item(
    'core',
    'value_operation',
    4,
    '业务价值运营和提升服务',
    'Business-value operation & improvement',
    ['price', 'solution', 'closeness'],
    60_000,
    'expert',
    6,
    ['商定业务价值指标', '记录基线与目标', '持续运营提升', '向客户呈现价值报告'],
  ),
  item('core', 'new_profit', 5, '带来新的盈利空间服务', 'New profit-space service', ['price', 'closeness'], 50_000, 'expert', 5, [
    '分析客户业务',
    '提出新的盈利点',
    '协助落地并量化收益',
  ]),
  item(
    'core',
    'feature_recommendation',
    6,
    '产品方案新功能推荐',
    'New product / solution feature recommendation',
    ['solution'],
    8_000,
    'csm',
    2,
    FEATURE,
  ),
  item('core', 'case_visit', 7, '最新案例介绍和参观', 'Latest case introduction & visit', ['incubate', 'capture'], 30_000, 'csm', 3, CASE),
  item(
    'core',
    'regular_meeting',
    8,
    '交付和服务定期例会',
    'Regular delivery & service meeting',
    ['capture', 'closeness'],
    5_000,
    'delivery',
    1,
    MEETING,
  ),
  item(
    'core',
    'special_budget',
    9,
    '特别预算解决客户重大体验问题',
    'Special budget for a major experience problem',
    ['price', 'closeness'],
    50_000,
    'manager',
    4,
    SPECIAL,
  ),
];

/**
 * Seed 003's free-expert menu (免费专家服务) with its own mapping:
 * 孵化捕捉商机 (both tasks) = 1,2,3,7; 价格接受度 = 4,5,9; 方案接受度 = 1, 优化和改进建议服务, 8, 9;
 * 关系紧密度 = 4,5,7,8,9. Two readings the seed leaves open, decided here and tested:
 * - its 方案接受度 list names "2.优化和改进建议服务": the name is item 3 (item 2 is 头脑风暴), the name wins;
 * - item 6 产品方案新功能推荐 is in the menu but in none of its lists: it keeps seed 001's mapping of the
 *   same service (方案认可度), so that no shipped item serves no task. A workspace can edit both.
 */
export const seed003Menu: CatalogItemInput[] = [
  item(
    'free_expert',
    'project_review',
    1,
    '项目回顾和效果评估',
    'Project review & effect evaluation',
    ['incubate', 'capture', 'solution'],
    40_000,
    'expert',
    5,
    REVIEW,
  ),
  item('free_expert', 'brainstorming', 2, '头脑风暴', 'Brainstorming', ['incubate', 'capture'], 30_000, 'expert', 4, BRAINSTORM),
  item(
    'free_expert',
    'optimisation_advice',
    3,
    '优化和改进建议服务',
    'Optimisation & improvement advice',
    ['incubate', 'capture', 'solution'],
    25_000,
    'expert',
    4,
    ['诊断使用现状', '提出优化与改进建议', '跟踪采纳效果'],
  ),
  item('free_expert', 'free_trial', 4, '产品免费试用', 'Free product trial', ['price', 'closeness'], 15_000, 'delivery', 3, [
    '确定试用范围与目标',
    '开通与辅导试用',
    '试用总结与报价沟通',
  ]),
  item('free_expert', 'training_series', 5, '系列免费培训服务', 'Free training series', ['price', 'closeness'], 20_000, 'expert', 3, [
    '培训需求调研',
    '分期授课',
    '考核与反馈',
  ]),
  item(
    'free_expert',
    'feature_recommendation',
    6,
    '产品方案新功能推荐',
    'New product / solution feature recommendation',
    ['solution'],
    8_000,
    'csm',
    2,
    FEATURE,
  ),
  item(
    'free_expert',
    'case_visit',
    7,
    '最新案例介绍和参观',
    'Latest case introduction & visit',
    ['incubate', 'capture', 'closeness'],
    30_000,
    'csm',
    3,
    CASE,
  ),
  item('free_expert', 'regular_meeting', 8, '客户定期沟通例会', 'Regular customer meeting', ['solution', 'closeness'], 5_000, 'csm', 1, MEETING),
  item(
    'free_expert',
    'special_budget',
    9,
    '特别预算解决客户重大体验问题',
    'Special budget for a major experience problem',
    ['price', 'solution', 'closeness'],
    50_000,
    'manager',
    4,
    SPECIAL,
  ),
];

export const defaultCatalog: CatalogItemInput[] = [...seed001Menu, ...seed003Menu];

const MAX_MONEY = 1e13; // 1000亿 yuan in fen: far beyond any catalog price, well inside 2^53

/** The rules a catalog item keeps, whoever edits it. */
export type CatalogItemFields = Omit<CatalogItemInput, 'code' | 'position' | 'menu'>;

export function validateCatalogItem<T extends CatalogItemFields>(i: T): RuleResult<T> {
  if (!i.nameZh.trim() || !i.nameEn.trim()) return fail('catalog.name_required', {}, i.nameZh.trim() ? 'nameEn' : 'nameZh');
  const tasks = normaliseTasks(i.tasks);
  if (tasks.length === 0 || tasks.length !== i.tasks.length) return fail('catalog.tasks_required', { allowed: coreTasks.join(', ') }, 'tasks');
  if (!i.eligibleTiers.length) return fail('catalog.tiers_required', {}, 'eligibleTiers');
  for (const [field, v] of [
    ['priceMinor', i.priceMinor],
    ['internalCostMinor', i.internalCostMinor],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_MONEY) return fail('money.invalid', { field }, field);
  }
  if (i.pricing === 'free' && i.priceMinor !== 0) return fail('catalog.free_has_price', {}, 'priceMinor');
  if (i.pricing === 'paid' && i.priceMinor <= 0) return fail('catalog.paid_needs_price', {}, 'priceMinor');
  if (!Number.isInteger(i.kpiCredit) || i.kpiCredit < 0 || i.kpiCredit > 1000) return fail('catalog.kpi_credit', {}, 'kpiCredit');
  return ok({
    ...i,
    tasks,
    nameZh: i.nameZh.trim(),
    nameEn: i.nameEn.trim(),
    eligibleTiers: tiers.filter((t) => i.eligibleTiers.includes(t)),
    processSteps: i.processSteps.map((s) => s.trim()).filter(Boolean),
  });
}
