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
  /** shown in the customer portal (in the customer-facing words below) */
  customerVisible: boolean;
  customerNameZh?: string | null;
  customerNameEn?: string | null;
  customerDescriptionZh?: string | null;
  customerDescriptionEn?: string | null;
};

type CustomerWords = { nameZh: string; nameEn: string; descriptionZh: string; descriptionEn: string };

/**
 * What a customer reads about a shipped item (the portal's 服务菜单). Items that are internal tactics
 * (私下拜会 to learn the project's behaviour patterns, the special budget) have no customer words and
 * stay hidden from customers; a workspace can change both in 设置 › 服务菜单.
 */
const CUSTOMER_WORDS: Record<string, CustomerWords> = {
  project_review: {
    nameZh: '项目回顾与效果评估',
    nameEn: 'Project review & results assessment',
    descriptionZh: '与您一起回顾项目目标与实际效果，给出改进建议和下一步计划。',
    descriptionEn: "We review your project's goals and results with you and agree on improvements and next steps.",
  },
  brainstorming: {
    nameZh: '业务创新研讨会',
    nameEn: 'Innovation workshop',
    descriptionZh: '由我们的专家主持，与您的团队一起梳理业务难点和新想法。',
    descriptionEn: 'Our experts run a workshop with your team to work through business challenges and new ideas.',
  },
  value_operation: {
    nameZh: '业务价值提升服务',
    nameEn: 'Business value improvement',
    descriptionZh: '与您商定业务价值指标，记录基线与目标，持续跟进提升，并定期提交价值报告。',
    descriptionEn: 'We agree value indicators with you, record the baseline and targets, work on improving them and report regularly.',
  },
  new_profit: {
    nameZh: '新增收益机会分析',
    nameEn: 'New revenue opportunity analysis',
    descriptionZh: '分析您的业务，找出新的增收或降本机会，并协助落地、量化收益。',
    descriptionEn: 'We analyse your business for new revenue or savings and help put them into practice, with measured results.',
  },
  feature_recommendation: {
    nameZh: '新功能推荐与演示',
    nameEn: 'New feature briefing',
    descriptionZh: '结合您的使用情况，推荐适合的新功能与方案并为您演示。',
    descriptionEn: 'Based on how you use the product, we recommend and demonstrate the new features that fit.',
  },
  case_visit: {
    nameZh: '标杆案例分享与参观',
    nameEn: 'Reference cases & site visit',
    descriptionZh: '介绍同行业的最新案例，可安排实地参观交流。',
    descriptionEn: 'We present the latest cases from your industry and can arrange a site visit.',
  },
  regular_meeting: {
    nameZh: '定期服务沟通会',
    nameEn: 'Regular service review',
    descriptionZh: '定期与您回顾交付与服务情况，并跟进待办事项。',
    descriptionEn: 'A regular review of delivery and service with you, with follow-up of open actions.',
  },
  optimisation_advice: {
    nameZh: '优化与改进建议',
    nameEn: 'Optimisation advice',
    descriptionZh: '诊断当前的使用情况，提出优化和改进建议，并跟踪采纳效果。',
    descriptionEn: 'We review how the product is used today, propose improvements and track their effect.',
  },
  free_trial: {
    nameZh: '产品免费试用',
    nameEn: 'Free product trial',
    descriptionZh: '在约定范围内免费试用新产品，我们全程辅导。',
    descriptionEn: 'Try a new product free of charge within an agreed scope, with our guidance throughout.',
  },
  training_series: {
    nameZh: '系列培训',
    nameEn: 'Training series',
    descriptionZh: '根据您团队的需要安排分期培训与考核。',
    descriptionEn: "A series of training sessions for your team, planned around your team's needs.",
  },
};

/** The customer-facing words of a shipped item (by its code without the menu), or none (hidden). */
export function customerWordsOf(code: string): CustomerWords | null {
  return CUSTOMER_WORDS[code.slice(code.indexOf('.') + 1)] ?? null;
}

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
  const words = CUSTOMER_WORDS[code];
  return {
    customerVisible: !!words,
    customerNameZh: words?.nameZh ?? null,
    customerNameEn: words?.nameEn ?? null,
    customerDescriptionZh: words?.descriptionZh ?? null,
    customerDescriptionEn: words?.descriptionEn ?? null,
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

const serviceOf = (i: CatalogItemInput) => i.code.slice(i.code.indexOf('.') + 1);

/**
 * The catalog a workspace starts with: ONE list without twins. The two seeds describe six of the same
 * services twice (项目回顾, 头脑风暴, 新功能推荐, 案例参观, 定期例会, 特别预算); each is listed once, under
 * seed 001's name, serving the tasks of both seeds' mappings (so no seed's mapping is lost), and seed
 * 003's own services (优化和改进建议, 免费试用, 系列培训) follow. The seed-faithful menus above stay as
 * the record of each seed (and are tested as such).
 */
export const defaultCatalog: CatalogItemInput[] = (() => {
  const twins = new Map(seed003Menu.map((i) => [serviceOf(i), i]));
  const merged = seed001Menu.map((i) => {
    const twin = twins.get(serviceOf(i));
    return twin ? { ...i, tasks: normaliseTasks([...i.tasks, ...twin.tasks]) } : i;
  });
  const own = new Set(seed001Menu.map(serviceOf));
  const rest = seed003Menu
    .filter((i) => !own.has(serviceOf(i)))
    .map((i, n) => ({ ...i, menu: 'core' as const, code: `core.${serviceOf(i)}`, position: merged.length + n + 1 }));
  return [...merged, ...rest];
})();

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
  const words = {
    customerNameZh: i.customerNameZh?.trim() || null,
    customerNameEn: i.customerNameEn?.trim() || null,
    customerDescriptionZh: i.customerDescriptionZh?.trim() || null,
    customerDescriptionEn: i.customerDescriptionEn?.trim() || null,
  };
  // customers read only customer-facing words: an item shown to them needs its name in both languages
  if (i.customerVisible && !words.customerNameZh) return fail('catalog.customer_name_required', {}, 'customerNameZh');
  if (i.customerVisible && !words.customerNameEn) return fail('catalog.customer_name_required', {}, 'customerNameEn');
  return ok({
    ...i,
    ...words,
    tasks,
    nameZh: i.nameZh.trim(),
    nameEn: i.nameEn.trim(),
    eligibleTiers: tiers.filter((t) => i.eligibleTiers.includes(t)),
    processSteps: i.processSteps.map((s) => s.trim()).filter(Boolean),
  });
}
