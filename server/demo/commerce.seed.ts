/**
 * The demo's commercial record (issue 16 point 7): contracts for every account (HT-YYYY-0xx, products, amounts in
 * the ¥ hundreds of thousands to millions, costs, maintenance ends, a customised-service contract on the bigger
 * accounts), payment plans with items paid on time, paid late and overdue (every aging bucket), delivery projects
 * with milestones (some late) and acceptance (one failed first pass), and eight weeks of the delivery engineers'
 * time on working days.
 *
 * Contracts, plan items, payments and time come in the way a customer's ERP sends them: through the ERP import
 * (all or nothing, one regrade of the touched accounts per file, renewal opportunities raised for contracts in the
 * window). Projects, milestones and acceptance go through the commerce services. The figures each account's
 * record gives reproduce the grading inputs of demo-data.ts exactly (order amount over two years, on-time share of
 * the items due over the last twelve months, margin), so the tiers the demo was designed with stay.
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { dayOf } from '../platform/time.js';
import { usersOf, workspaceTimeZone } from '../modules/people/index.js';
import { addMilestone, createProject, listContracts, refreshAllFigures, updateProject } from '../modules/commerce/commerce.service.js';
import { importCommerce } from '../modules/commerce/import.service.js';
import type { ImportKind } from '../modules/commerce/import.domain.js';
import { DEMO_ACCOUNTS, type DemoAccount, type StaffKey } from './demo-data.js';

type Rng = { next(): number; int(lo: number, hi: number): number };
type Opts = {
  workspaceId: string;
  now: number;
  actor: (k: StaffKey) => StaffActor;
  accountId: Map<string, string>;
  rng: (seed: number) => Rng;
};

const WAN = 1_000_000; // fen in 万元

/** The smallest number of items due, with how many paid on time, whose whole-percent share is `pct` (as the credit rule rounds it). */
export function onTimeSplit(pct: number): { due: number; onTime: number } {
  for (let due = 4; due <= 40; due++) {
    const onTime = Math.round((pct * due) / 100);
    if (Math.round((100 * onTime) / due) === pct) return { due, onTime };
  }
  throw new Error(`no split for ${pct}%`);
}

type Item = { ref: string; contract: string; label: string; dueOn: string; amountMinor: number; paidOn: string | null };
type Contract = {
  ref: string;
  number: string;
  title: string;
  products: string[];
  amountMinor: number;
  costMinor: number | null;
  signedOn: string;
  startsOn: string;
  endsOn: string;
  maintenanceEndsOn: string | null;
  slaTier: string | null;
  services: string[];
  custom: string[];
};

/** One account's contracts and payment plan, decided from its demo figures and stage. */
export function planAccount(a: DemoAccount, i: number, today: string, r: Rng) {
  const d = (n: number) => DateTime.fromISO(today).plus({ days: n }).toISODate()!;
  const fmt = (x: DateTime) => x.toISODate()!;
  const total = a.orderWan * WAN;
  const split = a.credit === null ? { due: 0, onTime: 0 } : onTimeSplit(a.credit);
  // a year of payment history needs a contract signed over a year ago (within the two years grading counts)
  const signed = a.credit === null ? d(-(a.days + 5)) : d(-r.int(385, 650));
  const starts = DateTime.fromISO(signed).plus({ days: 7 });
  let ends: string;
  // an account entered 续约期 some two and a half months before its contract ends: the board gets every column
  // (30 / 60 / 90 days) and 大连海湾 / 美凌家电 end in about 60 days
  if (a.stage === 'renewal') ends = d(Math.max(10, 75 - a.days));
  else if (a.stage === 'churn') ends = d(-a.days);
  else {
    let e = starts.plus({ years: 3 }).minus({ days: 1 });
    while (fmt(e) <= d(100)) e = e.plus({ years: 1 });
    ends = fmt(e);
  }
  // past items: evenly from a month after signing (at most 355 days back) to three days ago
  const first = Math.max(-355, DateTime.fromISO(signed).plus({ days: 30 }).diff(DateTime.fromISO(today), 'days').days);
  const pastDays = Array.from({ length: split.due }, (_, k) => Math.round(first + ((-3 - first) * k) / Math.max(1, split.due - 1)));
  // the bigger A/C accounts also bought a customised part, delivered over five months and paid by the items 2 and 3
  const hasCustom = (a.tier === 'A' || a.tier === 'C') && a.orderWan >= 170 && split.due >= 4;
  const customMinor = hasCustom ? Math.round((total * 0.15) / WAN) * WAN : 0;
  const mainMinor = total - customMinor;
  const cost = (amount: number) => (a.margin === null ? null : (amount * (100 - a.margin)) / 100);
  const contracts: Contract[] = [
    {
      ref: `ERP-C-${a.code}-1`,
      number: '',
      title: `云帆服务云订阅及实施合同（${a.products.slice(0, 3).join('、')}${a.products.length > 3 ? '等' : ''}）`,
      products: a.products,
      amountMinor: mainMinor,
      costMinor: cost(mainMinor),
      signedOn: signed,
      startsOn: fmt(starts),
      endsOn: ends,
      maintenanceEndsOn: i % 2 === 0 ? fmt(DateTime.fromISO(ends).plus({ years: 1 })) : null,
      slaTier: a.tier === 'A' ? 'A' : a.tier === 'C' ? 'C' : null,
      services: a.tier === 'A' ? ['7×24 远程支持', '季度健康巡检', '年度业务回顾'] : ['5×8 远程支持', '年度巡检'],
      custom: [],
    },
  ];
  if (hasCustom) {
    const cs = d(pastDays[1] - 25);
    contracts.push({
      ref: `ERP-C-${a.code}-2`,
      number: '',
      title: `${a.products[0]}定制开发合同`,
      products: [a.products[0]],
      amountMinor: customMinor,
      costMinor: cost(customMinor),
      signedOn: cs,
      startsOn: cs,
      endsOn: fmt(DateTime.fromISO(cs).plus({ days: 150 })),
      maintenanceEndsOn: null,
      slaTier: null,
      services: [],
      custom: [`${a.products[0]}报表与流程定制`],
    });
  }
  // which of the past items were paid late: recent and still open on every third account, spread out and paid late
  // (but for the oldest, still open) on the others
  const late = new Set<number>();
  const nLate = split.due - split.onTime;
  for (let k = 0; k < nLate; k++) late.add(i % 3 === 0 ? split.due - 1 - k : Math.round(((k + 0.5) * split.due) / nLate - 0.5));
  const items: Item[] = [];
  const pastMain = Math.round(mainMinor * (a.stage === 'churn' ? 0.9 : 0.6));
  const customItems = hasCustom ? [1, 2].filter((k) => pastDays[k] - pastDays[1] <= 150) : [];
  const mainPast = split.due - customItems.length;
  let mainLeft = mainMinor;
  pastDays.forEach((dd, k) => {
    const isCustom = customItems.includes(k);
    const amount = isCustom ? customMinor / customItems.length : Math.floor(pastMain / mainPast / 100) * 100;
    if (!isCustom) mainLeft -= amount;
    const dueOn = d(dd);
    let paidOn: string | null = d(dd - r.int(0, 6));
    if (paidOn < signed) paidOn = signed;
    if (late.has(k)) {
      const after = dd + r.int(6, 40);
      // open (overdue) when it would be paid after today, or on every third account, or the oldest late item of the rest
      paidOn = after >= 0 || i % 3 === 0 || (i % 3 === 2 && k === Math.min(...late)) ? null : d(after);
    }
    items.push({
      ref: `ERP-P-${a.code}-${k + 1}`,
      contract: isCustom ? contracts[1].ref : contracts[0].ref,
      label: isCustom ? `定制开发第 ${customItems.indexOf(k) + 1} 期` : `第 ${k + 1} 期服务费`,
      dueOn,
      amountMinor: amount,
      paidOn,
    });
  });
  // what is left of the main contract falls due later (never after it ends, never before it starts)
  const future = a.stage === 'churn' ? [] : [20, 110].map((n) => (d(n) > ends ? ends : d(n))).filter((x) => x > today);
  future.forEach((dueOn, k) => {
    const amount = k === future.length - 1 ? mainLeft : Math.floor(mainLeft / future.length / 100) * 100;
    mainLeft -= amount;
    items.push({
      ref: `ERP-P-${a.code}-F${k + 1}`,
      contract: contracts[0].ref,
      label: k ? '尾款' : '下期服务费',
      dueOn,
      amountMinor: amount,
      paidOn: null,
    });
  });
  return { contracts, items: items.filter((x) => x.amountMinor > 0) };
}

const csvOf = (header: string[], rows: (string | number | null)[][]) =>
  Buffer.from(stringify([header, ...rows.map((r) => r.map((c) => c ?? ''))]), 'utf8');
const yuan = (fen: number) => (fen / 100).toFixed(2);

export async function seedCommerce(tx: Db, o: Opts) {
  const manager = o.actor('manager');
  const today = dayOf(new Date(o.now), await workspaceTimeZone(tx, o.workspaceId));
  const plans = DEMO_ACCOUNTS.map((a, i) => ({ a, ...planAccount(a, i, today, o.rng(4200 + i * 131)) }));
  // contract numbers run per year in signing order
  const perYear = new Map<string, number>();
  for (const c of plans.flatMap((p) => p.contracts).sort((x, y) => x.signedOn.localeCompare(y.signedOn) || x.ref.localeCompare(y.ref))) {
    const year = c.signedOn.slice(0, 4);
    perYear.set(year, (perYear.get(year) ?? 0) + 1);
    c.number = `HT-${year}-${String(perYear.get(year)).padStart(3, '0')}`;
  }
  const numberOf = new Map(plans.flatMap((p) => p.contracts.map((c) => [c.ref, c.number])));
  const load = (kind: ImportKind, data: Buffer) =>
    importCommerce(tx, manager, kind, async () => ({ filename: `erp-${kind}.csv`, mimetype: 'text/csv', data }), undefined);

  await load(
    'contracts',
    csvOf(
      [
        'ERP编号',
        '客户名称',
        '合同编号',
        '合同名称',
        '产品/模块',
        '合同金额(元)',
        '成本(元)',
        '签订日期',
        '开始日期',
        '结束日期',
        '维保到期日',
        'SLA等级',
        '合同服务',
        '定制服务',
      ],
      plans.flatMap(({ a, contracts }) =>
        contracts.map((c) => [
          c.ref,
          a.name,
          c.number,
          c.title,
          c.products.join('; '),
          yuan(c.amountMinor),
          c.costMinor === null ? null : yuan(c.costMinor),
          c.signedOn,
          c.startsOn,
          c.endsOn,
          c.maintenanceEndsOn,
          c.slaTier,
          c.services.join('; '),
          c.custom.join('; '),
        ]),
      ),
    ),
  );
  const items = plans.flatMap((p) => p.items);
  await load(
    'plan-items',
    csvOf(
      ['ERP编号', '合同编号', '款项名称', '应收日期', '应收金额(元)', '发票号'],
      items.map((it, k) => [
        it.ref,
        numberOf.get(it.contract)!,
        it.label,
        it.dueOn,
        yuan(it.amountMinor),
        it.dueOn <= today ? `FP${String(26000 + k)}` : null,
      ]),
    ),
  );
  await load(
    'payments',
    csvOf(
      ['ERP编号', '合同编号', '到账日期', '到账金额(元)', '回款计划ERP编号', '流水号'],
      items
        .filter((it) => it.paidOn)
        .map((it, k) => [`ERP-R-${it.ref.slice(6)}`, numberOf.get(it.contract)!, it.paidOn, yuan(it.amountMinor), it.ref, `银行回单 ${100 + k}`]),
    ),
  );

  // ---- delivery projects on the accounts with a delivery engineer: milestones, and acceptance once all are reached
  const contractIds = new Map<string, string>();
  const projects: { engineer: StaffKey; active: boolean; contract: string; name: string }[] = [];
  let failedOnce = false;
  for (const [i, { a, contracts }] of plans.entries()) {
    const engineer = a.team.delivery;
    const accountId = o.accountId.get(a.code);
    if (!engineer || !accountId) continue;
    const r = o.rng(9100 + i * 17);
    const main = contracts[0];
    const delivery = o.actor(engineer);
    // a new account is delivered now; the others were delivered after signing
    const begins =
      a.stage === 'handover' || a.stage === 'startup' ? DateTime.fromISO(today).minus({ days: a.days }) : DateTime.fromISO(main.startsOn);
    const steps: [string, number][] = [
      ['项目启动会', 7],
      ['蓝图方案确认', 35],
      ['系统上线', 80],
      ['上线验收', 110],
    ];
    const stored = (await listContracts(tx, manager, accountId)).items;
    for (const c of contracts) contractIds.set(c.ref, stored.find((x) => x.number === c.number)!.id);
    const isCustom = (c: Contract) => c.custom.length > 0;
    for (const c of contracts) {
      const start = isCustom(c) ? DateTime.fromISO(c.startsOn) : begins;
      const plan = isCustom(c)
        ? ([
            ['需求确认', 20],
            ['定制功能交付', 120],
          ] as [string, number][])
        : steps;
      const name = isCustom(c) ? `${a.products[0]}定制开发` : `${a.name.slice(0, 4)}一期实施`;
      const p = await createProject(tx, manager, contractIds.get(c.ref)!, { name, managerId: delivery.userId });
      let reachedAll = true;
      let lastActual = '';
      for (const [position, [title, offset]] of plan.entries()) {
        const plannedOn = start.plus({ days: offset }).toISODate()!;
        // every fourth account slipped: its milestones came late, and the one due now is not reached yet
        const slips = i % 4 === 1;
        let actualOn: string | null = null;
        if (a.stage === 'startup' && position === 1 && !isCustom(c)) {
          // the blueprint of a project starting now is overdue: planned five days ago, not confirmed yet
          await addMilestone(tx, manager, p.id, {
            title,
            plannedOn: DateTime.fromISO(today).minus({ days: 5 }).toISODate()!,
            actualOn: null,
            position,
          });
          reachedAll = false;
          continue;
        }
        if (plannedOn < today) {
          const actual = DateTime.fromISO(plannedOn)
            .plus({ days: slips ? r.int(4, 18) : -r.int(0, 3) })
            .toISODate()!;
          actualOn = actual < today ? actual : null;
        }
        if (!actualOn) reachedAll = false;
        else lastActual = actualOn;
        await addMilestone(tx, manager, p.id, { title, plannedOn, actualOn, position });
      }
      if (reachedAll) {
        // acceptance: first time right, a few defects — except one custom project that failed its first pass
        const failed = !failedOnce && isCustom(c);
        if (failed) failedOnce = true;
        await updateProject(tx, manager, p.id, { acceptedOn: lastActual, firstPass: !failed, defects: failed ? 7 : r.int(0, 3) });
      }
      projects.push({ engineer, active: !reachedAll || a.stage === 'adaptation', contract: c.number, name });
    }
  }

  // ---- eight weeks of time on working days: each delivery engineer on their open projects (and care of live ones)
  const time: (string | number)[][] = [];
  const users = await usersOf(tx, o.workspaceId);
  const engineers = [...new Set(projects.map((p) => p.engineer))];
  for (const [e, engineer] of engineers.entries()) {
    const mine = projects.filter((p) => p.engineer === engineer && p.active);
    if (!mine.length) continue;
    const r = o.rng(7700 + e * 29);
    const me = users.find((u) => u.id === o.actor(engineer).userId)!;
    for (let back = 56; back >= 1; back--) {
      const dd = DateTime.fromISO(today).minus({ days: back });
      if (dd.weekday > 5) continue;
      // 6–8 hours a day over one or two projects; a day off now and then
      if (r.next() < 0.06) continue;
      const hours = r.int(12, 16) / 2;
      const picks = mine.length > 1 && r.next() < 0.5 ? [r.int(0, mine.length - 1), r.int(0, mine.length - 1)] : [r.int(0, mine.length - 1)];
      const parts = picks.length === 2 && picks[0] !== picks[1] ? [Math.floor(hours / 2), hours - Math.floor(hours / 2)] : [hours];
      parts.forEach((h, k) => {
        const p = mine[picks[k]];
        time.push([
          `ERP-T-${engineer}-${dd.toISODate()}-${k}`,
          p.contract,
          p.name,
          me.email,
          dd.toISODate()!,
          h,
          k ? '问题排查与客户沟通' : '实施配置与联调',
        ]);
      });
    }
  }
  if (time.length) await load('time-entries', csvOf(['ERP编号', '合同编号', '项目名称', '工程师邮箱', '工作日期', '工时(小时)', '工作内容'], time));
  // the figures as of the seed's own day (the imports computed them as of the clock)
  await refreshAllFigures(tx, o.workspaceId, new Date(o.now));
  return { contracts: contractIds.size, items: items.length, time: time.length };
}
