import { describe, expect, it } from 'vitest';
import { defaultCatalog, seed001Menu, seed003Menu, validateCatalogItem } from './catalog.domain.js';
import { coreTaskLabels, coreTasks, normaliseTasks } from './tasks.domain.js';

const tasksOf = (menu: typeof seed001Menu, nameZh: string) => {
  const i = menu.find((x) => x.nameZh === nameZh);
  if (!i) throw new Error(`no item ${nameZh}`);
  return [...i.tasks].sort();
};
const sorted = (xs: string[]) => [...xs].sort();

describe('the six core tasks', () => {
  it('are a fixed bilingual vocabulary', () => {
    expect(coreTasks).toEqual(['capture', 'incubate', 'closeness', 'solution', 'price', 'behaviour']);
    expect(Object.values(coreTaskLabels).map((l) => l['zh-CN'])).toEqual([
      '捕捉商机',
      '孵化商机',
      '提升关系紧密度',
      '提升方案认可度',
      '提升价格接受度',
      '掌握项目行为规律',
    ]);
    for (const l of Object.values(coreTaskLabels)) expect(l.en).toMatch(/^[a-z]/);
  });
  it('normalise to the vocabulary order without repeats', () => {
    expect(normaliseTasks(['price', 'capture', 'price', 'bogus'])).toEqual(['capture', 'price']);
  });
});

describe('seed 001 menu: item → task mapping, item by item', () => {
  const expected: [string, string[]][] = [
    ['项目Review和效果评估', ['incubate', 'capture', 'solution']],
    ['头脑风暴', ['incubate']],
    ['私下拜会，了解项目行为规律', ['behaviour']],
    ['业务价值运营和提升服务', ['price', 'solution', 'closeness']],
    ['带来新的盈利空间服务', ['price', 'closeness']],
    ['产品方案新功能推荐', ['solution']],
    ['最新案例介绍和参观', ['incubate', 'capture']],
    ['交付和服务定期例会', ['capture', 'closeness']],
    ['特别预算解决客户重大体验问题', ['price', 'closeness']],
  ];
  it('has the nine items in the seed order', () => {
    expect(seed001Menu.map((i) => i.nameZh)).toEqual(expected.map((e) => e[0]));
    expect(seed001Menu.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  for (const [name, tasks] of expected) {
    it(`${name} → ${tasks.join(', ')}`, () => expect(tasksOf(seed001Menu, name)).toEqual(sorted(tasks)));
  }
  it('reads back the seed text category by category', () => {
    const inTask = (t: string) => seed001Menu.filter((i) => i.tasks.includes(t as never)).map((i) => i.position);
    expect(inTask('incubate')).toEqual([1, 2, 7]);
    expect(inTask('capture')).toEqual([1, 7, 8]);
    expect(inTask('behaviour')).toEqual([3]);
    expect(inTask('price')).toEqual([4, 5, 9]);
    expect(inTask('solution')).toEqual([1, 4, 6]);
    expect(inTask('closeness')).toEqual([4, 5, 8, 9]);
  });
});

describe('seed 003 free-expert menu: item → task mapping, item by item', () => {
  const expected: [string, string[]][] = [
    ['项目回顾和效果评估', ['incubate', 'capture', 'solution']],
    ['头脑风暴', ['incubate', 'capture']],
    ['优化和改进建议服务', ['incubate', 'capture', 'solution']],
    ['产品免费试用', ['price', 'closeness']],
    ['系列免费培训服务', ['price', 'closeness']],
    ['产品方案新功能推荐', ['solution']], // in no list of seed 003: keeps seed 001's mapping
    ['最新案例介绍和参观', ['incubate', 'capture', 'closeness']],
    ['客户定期沟通例会', ['solution', 'closeness']],
    ['特别预算解决客户重大体验问题', ['price', 'solution', 'closeness']],
  ];
  it('has the nine items in the seed order, all free to A and C accounts', () => {
    expect(seed003Menu.map((i) => i.nameZh)).toEqual(expected.map((e) => e[0]));
    for (const i of seed003Menu) {
      expect(i.pricing).toBe('free');
      expect(i.eligibleTiers).toEqual(['A', 'C']);
    }
  });
  for (const [name, tasks] of expected) {
    it(`${name} → ${tasks.join(', ')}`, () => expect(tasksOf(seed003Menu, name)).toEqual(sorted(tasks)));
  }
  it('reads back the seed text category by category', () => {
    const inTask = (t: string) => seed003Menu.filter((i) => i.tasks.includes(t as never)).map((i) => i.position);
    expect(inTask('incubate')).toEqual([1, 2, 3, 7]);
    expect(inTask('capture')).toEqual([1, 2, 3, 7]);
    expect(inTask('price')).toEqual([4, 5, 9]);
    expect(inTask('solution')).toEqual([1, 3, 6, 8, 9]);
    expect(inTask('closeness')).toEqual([4, 5, 7, 8, 9]);
    expect(inTask('behaviour')).toEqual([]);
  });
  it('prices brainstorming + project review + case visit at 100,000 CNY internally (seed 003 example)', () => {
    const cost = (code: string) => seed003Menu.find((i) => i.code === code)!.internalCostMinor;
    expect(cost('free_expert.brainstorming') + cost('free_expert.project_review') + cost('free_expert.case_visit')).toBe(100_000_00);
  });
});

describe('catalog item rules', () => {
  const base = { ...seed001Menu[0] };
  it('every default item passes its own rules and codes are unique', () => {
    for (const i of defaultCatalog) expect(validateCatalogItem(i).ok, i.code).toBe(true);
    expect(new Set(defaultCatalog.map((i) => i.code)).size).toBe(defaultCatalog.length);
  });
  it('refuses an item serving no task, an unknown task or a repeated one', () => {
    expect(validateCatalogItem({ ...base, tasks: [] })).toMatchObject({ ok: false, key: 'catalog.tasks_required' });
    expect(validateCatalogItem({ ...base, tasks: ['capture', 'bogus' as never] })).toMatchObject({ ok: false, field: 'tasks' });
    expect(validateCatalogItem({ ...base, tasks: ['capture', 'capture'] })).toMatchObject({ ok: false, field: 'tasks' });
  });
  it('refuses negative or fractional money, a priced free item and an unpriced paid one', () => {
    expect(validateCatalogItem({ ...base, internalCostMinor: -1 })).toMatchObject({ ok: false, field: 'internalCostMinor' });
    expect(validateCatalogItem({ ...base, internalCostMinor: 10.5 })).toMatchObject({ ok: false, field: 'internalCostMinor' });
    expect(validateCatalogItem({ ...base, priceMinor: 100 })).toMatchObject({ ok: false, key: 'catalog.free_has_price' });
    expect(validateCatalogItem({ ...base, pricing: 'paid', priceMinor: 0 })).toMatchObject({ ok: false, key: 'catalog.paid_needs_price' });
    expect(validateCatalogItem({ ...base, pricing: 'paid', priceMinor: 500_000_00 })).toMatchObject({ ok: true });
  });
  it('the shipped catalog is one list: no service twice, seed 003 repeats merged into seed 001 items', () => {
    expect(defaultCatalog).toHaveLength(12);
    expect(new Set(defaultCatalog.map((i) => i.nameZh)).size).toBe(defaultCatalog.length);
    expect(new Set(defaultCatalog.map((i) => i.menu))).toEqual(new Set(['core']));
    expect(defaultCatalog.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // 头脑风暴 serves seed 001's 孵化 and seed 003's 孵化+捕捉
    expect(sorted(defaultCatalog.find((i) => i.code === 'core.brainstorming')!.tasks)).toEqual(['capture', 'incubate']);
  });
  it('customers see customer-facing words; internal tactics stay hidden', () => {
    const hidden = defaultCatalog.filter((i) => !i.customerVisible).map((i) => i.code);
    expect(hidden.sort()).toEqual(['core.private_visit', 'core.special_budget']);
    for (const i of defaultCatalog.filter((x) => x.customerVisible)) {
      expect(i.customerNameZh && i.customerNameEn && i.customerDescriptionZh && i.customerDescriptionEn, i.code).toBeTruthy();
      expect(i.customerNameZh).not.toMatch(/私下|行为规律|特别预算/);
    }
  });
  it('an item visible to customers needs its customer-facing name in both languages', () => {
    expect(validateCatalogItem({ ...base, customerVisible: true, customerNameZh: '项目回顾', customerNameEn: ' ' })).toMatchObject({
      ok: false,
      key: 'catalog.customer_name_required',
      field: 'customerNameEn',
    });
    expect(validateCatalogItem({ ...base, customerVisible: false, customerNameZh: null, customerNameEn: null })).toMatchObject({ ok: true });
  });
  it('needs both names and at least one eligible tier', () => {
    expect(validateCatalogItem({ ...base, nameEn: ' ' })).toMatchObject({ ok: false, field: 'nameEn' });
    expect(validateCatalogItem({ ...base, eligibleTiers: [] })).toMatchObject({ ok: false, field: 'eligibleTiers' });
  });
});
