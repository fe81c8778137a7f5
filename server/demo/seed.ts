/**
 * The demo workspace (云帆服务云, slug `demo`): staff for every role, teams, channel partners and
 * ~40 customer accounts with months of stage, ladder and relationship history. Accounts, stages,
 * the ladder, teams, contacts, links, tiers and segments go through the accounts services so the data
 * passes the same rules as the console; people, teams and portal logins are inserted in batches with
 * one shared password hash (scrypt is slow on purpose). Everything runs in one transaction.
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { recordAudit } from '../platform/audit.js';
import { hashPassword } from '../platform/passwords.js';
import { channelPartners, teamMembers, teams, users, workspaces } from '../modules/people/people.table.js';
import { keyPersonLogins } from '../modules/accounts/accounts.table.js';
import {
  createContact,
  createLink,
  createSegment,
  insertAccountRow,
  moveLadder,
  moveStage,
  overrideTier,
  recomputeGrading,
  setTeam,
} from '../modules/accounts/accounts.service.js';
import { ladderLevels, type LadderLevel, type Stage } from '../modules/accounts/lifecycle.domain.js';
import type { OurSide } from '../modules/accounts/relationships.domain.js';
import type { Tier } from '../modules/accounts/grading.domain.js';
import { seedValueAdd } from './value-add.seed.js';
import { seedServiceDesk } from './service-desk-seed.js';
import { seedValue } from './value.seed.js';
import { seedMeetings } from './meetings.seed.js';
import { seedRelationships } from './relationships.seed.js';
import { seedPortal } from './portal.seed.js';
import { seedOutreach } from './outreach.seed.js';
import { seedCommerce } from './commerce.seed.js';
import {
  CONTACT_ROLES,
  DEMO_ACCOUNTS,
  DEMO_PARTNERS,
  DEMO_PASSWORD,
  DEMO_SEGMENTS,
  DEMO_SLUG,
  DEMO_STAFF,
  DEMO_TEAMS,
  DEMO_WORKSPACE,
  GIVEN_NAMES,
  KEY_PERSON_ACCOUNT,
  KEY_PERSON_EMAILS,
  SURNAMES,
  staffEmail,
  type DemoAccount,
  type PartnerKey,
  type StaffKey,
} from './demo-data.js';

export type DemoLogin = { role: string; email: string; password: string; name: string };

const DAY = 86_400_000;
const TZ_OFFSET = 8 * 3_600_000; // Asia/Shanghai, no DST

/** Deterministic pseudo-random numbers, so the demo looks the same on every install. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
  };
}

/** The Shanghai working-day moment (09:00–17:59) on the day `t` falls on. */
function officeHours(t: number, r: ReturnType<typeof rng>): Date {
  const midnight = Math.floor((t + TZ_OFFSET) / DAY) * DAY - TZ_OFFSET;
  return new Date(midnight + (9 * 60 + r.int(0, 8 * 60 + 59)) * 60_000);
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + TZ_OFFSET).toISOString().slice(0, 10);
}

type Step = { stage: Stage; at: number; note?: string };

const churnNotes = ['客户未续约：改用竞品的免费版本', '客户业务收缩，停止使用服务平台', '集团统一采购，服务系统被替换', '付款长期逾期，合同终止'];

/**
 * The stage timeline ending in the account's stage, `days` ago, built backwards from there:
 * handover → startup → adaptation, then a yearly renewal window two months before each anniversary.
 */
function stagePath(a: Pick<DemoAccount, 'stage' | 'days' | 'cycles' | 'churnFrom' | 'wonBack'>, now: number, r: ReturnType<typeof rng>): Step[] {
  const h = r.int(12, 28) * DAY;
  const s = r.int(30, 55) * DAY;
  const year = 365 * DAY;
  const windowOpens = 300 * DAY;
  const cycles = a.cycles ?? 0;

  // forward from signing day t0 to the moment the final stage is entered
  const lifecycle = (t0: number, final: Stage): Step[] => {
    const steps: Step[] = [{ stage: 'handover', at: t0 }];
    if (final === 'handover') return steps;
    steps.push({ stage: 'startup', at: t0 + h, note: '项目启动会召开，实施计划与里程碑确认' });
    if (final === 'startup') return steps;
    steps.push({ stage: 'adaptation', at: t0 + h + s, note: '系统上线验收通过，进入适应期' });
    for (let k = 0; k < cycles; k++) {
      steps.push({ stage: 'renewal', at: t0 + windowOpens + k * year, note: '合同到期前两个月，进入续约评估' });
      steps.push({ stage: 'adaptation', at: t0 + (k + 1) * year + r.int(0, 10) * DAY, note: '完成续约（续签一年），开启新一轮适应期' });
    }
    if (final === 'renewal') steps.push({ stage: 'renewal', at: t0 + windowOpens + cycles * year, note: '合同到期前两个月，进入续约评估' });
    return steps;
  };
  // the signing day for a lifecycle whose final stage is entered at `entered`
  const signedFor = (final: Stage, entered: number): number => {
    switch (final) {
      case 'handover':
        return entered;
      case 'startup':
        return entered - h;
      case 'adaptation':
        return cycles ? entered - cycles * year - 5 * DAY : entered - h - s;
      case 'renewal':
        return entered - windowOpens - cycles * year;
      default:
        throw new Error(`no lifecycle ends in ${final}`);
    }
  };

  const entered = now - a.days * DAY;
  if (a.stage === 'churn' || a.wonBack) {
    const churnAt = a.wonBack ? entered - r.int(150, 240) * DAY : entered;
    const from = a.churnFrom ?? 'adaptation';
    const fromEntered = churnAt - (from === 'renewal' ? r.int(30, 60) : r.int(90, 200)) * DAY;
    const steps = lifecycle(signedFor(from, fromEntered), from);
    steps[steps.length - 1].at = fromEntered;
    steps.push({ stage: 'churn', at: churnAt, note: r.pick(churnNotes) });
    if (a.wonBack) steps.push({ stage: 'handover', at: entered, note: '客户重新签约（流失挽回），重新交接' });
    return steps;
  }
  const steps = lifecycle(signedFor(a.stage, entered), a.stage);
  steps[steps.length - 1].at = entered;
  return steps;
}

/** The first subscription contract, then one renewal contract per completed renewal; amounts add up to the order amount. */
function contractsFor(a: DemoAccount, steps: Step[]) {
  const renewals = steps.filter((s, i) => s.stage === 'adaptation' && steps[i - 1]?.stage === 'renewal');
  const total = a.orderWan * 1_000_000;
  const first = renewals.length ? Math.round((total * 0.6) / 1_000_000) * 1_000_000 : total;
  const each = renewals.length ? Math.floor((total - first) / renewals.length / 1_000_000) * 1_000_000 : 0;
  return [
    {
      no: '',
      title: `云帆服务云订阅及实施合同（${a.products.slice(0, 3).join('、')}${a.products.length > 3 ? '等' : ''}）`,
      signedOn: shanghaiDate(new Date(steps[0].at - 3 * DAY)),
      amountMinor: first,
    },
    ...renewals.map((s, k) => ({
      no: '',
      title: `云帆服务云续约合同（第 ${k + 2} 年）`,
      signedOn: shanghaiDate(new Date(s.at - 2 * DAY)),
      amountMinor: each,
    })),
  ];
}

const ladderReasons: Record<LadderLevel, string> = {
  participant: '',
  supplier: '首期项目上线验收，成为正式供应商',
  key_supplier: '纳入客户年度关键供应商名录',
  strategic_partner: '签署战略合作框架协议，双方高层定期互访',
};

const contactNotes = [
  '每年 10 月编制次年预算，11 月定稿',
  '采购走集团招标流程，技术评分占 60%',
  '偏好现场汇报，重视同行业标杆案例',
  '关注服务收入占比和客户满意度指标',
  '决策前会征求各区域服务站长意见',
  '重视数据安全，要求信创适配',
];
const linkNotes = [
  '季度业务回顾会上深入交流',
  '一起参加了行业服务峰会',
  '上线攻坚期间每日沟通',
  '私下拜会，了解明年规划',
  '续约方案沟通中',
  null,
  null,
];

export async function seedDemo(db: Db, opts: { now?: Date } = {}): Promise<{ workspaceId: string; logins: DemoLogin[] }> {
  const now = (opts.now ?? new Date()).getTime();
  const [existing] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, DEMO_SLUG));
  if (existing) throw new Error(`The demo workspace (slug "${DEMO_SLUG}") already exists; seedDemo only runs on a database without it.`);
  const staffEmails = DEMO_STAFF.map((s) => staffEmail(s));
  const allEmails = [...staffEmails, ...KEY_PERSON_EMAILS].map((e) => e.toLowerCase());
  const taken = await queryRows<{ email: string }>(
    db,
    sql`select email from users where lower(email) in ${allEmails} union all select email from key_person_logins where lower(email) in ${allEmails}`,
  );
  if (taken.length) throw new Error(`Cannot seed the demo workspace: these emails are already in use: ${taken.map((x) => x.email).join(', ')}`);

  // one scrypt for everybody
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const fiscalYear = new Date(now + TZ_OFFSET).getUTCFullYear();

  // plan every account's timeline first, so the workspace can predate the oldest of them
  const plans = DEMO_ACCOUNTS.map((a, i) => {
    const r = rng(1000 + i * 7919);
    const steps = stagePath(a, now, r);
    return { a, r, steps, signedAt: steps[0].at, contracts: contractsFor(a, steps) };
  });
  // contract numbers run per year in signing order
  const perYear = new Map<string, number>();
  for (const c of plans.flatMap((p) => p.contracts).sort((x, y) => x.signedOn.localeCompare(y.signedOn))) {
    const year = c.signedOn.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    c.no = `YF-${year}-${String(n).padStart(4, '0')}`;
  }
  const wsCreated = new Date(Math.min(...plans.map((p) => p.signedAt)) - 60 * DAY);

  return db.transaction(async (tx) => {
    const [ws] = await tx
      .insert(workspaces)
      .values({ ...DEMO_WORKSPACE, createdAt: wsCreated })
      .returning();
    const workspaceId = ws.id;

    const partnerRows = await tx
      .insert(channelPartners)
      .values(DEMO_PARTNERS.map(({ key: _k, ...p }) => ({ ...p, workspaceId, createdAt: wsCreated })))
      .returning({ id: channelPartners.id, name: channelPartners.name });
    const partnerId = new Map<PartnerKey, string>(DEMO_PARTNERS.map((p) => [p.key, partnerRows.find((x) => x.name === p.name)!.id]));

    // staff, with ids chosen up front so managers can be set in the same insert
    const userId = new Map<StaffKey, string>(DEMO_STAFF.map((s) => [s.key, crypto.randomUUID()]));
    // sales report to the sales director, the service side to the service VP; partners' implementers to nobody here
    const leadOf = (role: string): StaffKey | null =>
      role === 'sales' ? 'vp' : ['delivery', 'after_sales', 'csm', 'expert'].includes(role) ? 'manager' : null;
    await tx.insert(users).values(
      DEMO_STAFF.map((s, i) => ({
        id: userId.get(s.key)!,
        workspaceId,
        email: staffEmails[i],
        name: s.name,
        role: s.role,
        passwordHash,
        locale: 'zh-CN',
        skills: s.skills ?? [],
        channelPartnerId: s.partner ? partnerId.get(s.partner)! : null,
        managerId: leadOf(s.role) ? userId.get(leadOf(s.role)!)! : null,
        createdAt: wsCreated,
        updatedAt: wsCreated,
      })),
    );
    const actorOf = new Map<StaffKey, StaffActor>(
      DEMO_STAFF.map((s) => [
        s.key,
        {
          kind: 'staff',
          workspaceId,
          userId: userId.get(s.key)!,
          name: s.name,
          role: s.role,
          channelPartnerId: s.partner ? partnerId.get(s.partner)! : null,
          locale: 'zh-CN',
        },
      ]),
    );
    const actor = (k: StaffKey) => actorOf.get(k)!;
    const admin = actor('admin');
    const manager = actor('manager');

    const teamRows = await tx
      .insert(teams)
      .values(
        DEMO_TEAMS.map((t) => ({
          workspaceId,
          name: t.name,
          kind: t.kind,
          industry: t.industry ?? null,
          leadId: userId.get(t.lead)!,
          createdAt: wsCreated,
        })),
      )
      .returning({ id: teams.id, name: teams.name });
    await tx
      .insert(teamMembers)
      .values(
        DEMO_TEAMS.flatMap((t) =>
          t.members.map((m) => ({ workspaceId, teamId: teamRows.find((x) => x.name === t.name)!.id, userId: userId.get(m)! })),
        ),
      );

    // ---- accounts with their stage and ladder history
    const accountId = new Map<string, string>();
    for (const { a, r, steps, contracts } of plans) {
      const t0 = steps[0].at;
      const sales = actor(a.team.sales);
      const row = await insertAccountRow(
        tx,
        sales,
        {
          name: a.name,
          industry: a.industry,
          region: a.region,
          channelPartnerId: a.partner ? partnerId.get(a.partner)! : null,
          ownerId: sales.userId,
          revenueTargetMinor: a.targetWan * 1_000_000,
          fiscalYear,
          products: a.products,
          contracts,
          tags: a.tags,
          onTimePaymentPct: a.credit,
          orderAmountMinor: a.orderWan * 1_000_000,
          prospect: a.prospect,
          profitMarginPct: a.margin,
          stage: 'handover',
          ladder: 'participant',
        },
        officeHours(t0, r),
      );
      accountId.set(a.code, row.id);
      await setTeam(tx, manager, row.id, {
        salesId: userId.get(a.team.sales)!,
        deliveryId: a.team.delivery ? userId.get(a.team.delivery)! : null,
        afterSalesId: userId.get(a.team.afterSales)!,
        csmId: a.team.csm ? userId.get(a.team.csm)! : null,
      });

      // stage moves by the people who would make them
      for (const st of steps.slice(1)) {
        const by =
          st.stage === 'startup' || st.stage === 'adaptation'
            ? actor(a.team.delivery ?? a.team.sales)
            : st.stage === 'handover'
              ? sales
              : actor(a.team.csm ?? a.team.sales);
        await moveStage(tx, by, row.id, { to: st.stage, note: st.note }, officeHours(st.at, r));
      }

      // the ladder, climbed one rung at a time between go-live and now (and dropped on churn)
      const churn = steps.find((s) => s.stage === 'churn');
      const peak: LadderLevel = churn ? 'supplier' : a.ladder;
      const rungs = ladderLevels.slice(1, ladderLevels.indexOf(peak) + 1);
      const liveAt = steps.find((s) => s.stage === 'adaptation')?.at ?? steps.find((s) => s.stage === 'startup')?.at ?? t0;
      const until = (churn?.at ?? now) - 5 * DAY;
      const ladderBy = actor(a.team.csm ?? a.team.sales);
      for (const [i, level] of rungs.entries()) {
        const at = liveAt + ((until - liveAt) * i) / Math.max(1, rungs.length) + r.int(0, 6) * DAY;
        await moveLadder(tx, ladderBy, row.id, { to: level, reason: ladderReasons[level] }, officeHours(Math.min(at, until), r));
      }
      if (churn && a.ladder !== peak) {
        await moveLadder(tx, ladderBy, row.id, { to: a.ladder, reason: '客户流失，关系降级' }, officeHours(churn.at + DAY, r));
      }
    }

    // ---- grading, then the managers' overrides
    await recomputeGrading(tx, admin, new Date(now - 2 * DAY));
    for (const a of DEMO_ACCOUNTS) {
      if (a.override) await overrideTier(tx, manager, accountId.get(a.code)!, a.override);
    }
    const finalTier = (a: DemoAccount): Tier => a.override?.tier ?? a.tier;

    // ---- contacts (customer-side people) and the relationship map
    let person = 0;
    const kpContacts: { contactId: string; accountId: string; email: string; name: string }[] = [];
    for (const [i, { a, r, steps }] of plans.entries()) {
      const id = accountId.get(a.code)!;
      const tier = finalTier(a);
      const key = tier === 'A' || tier === 'C';
      const made: { id: string; side: string; name: string }[] = [];
      for (let c = 0; c < a.contacts; c++) {
        const variants = CONTACT_ROLES[c];
        const role = variants[(i + c) % variants.length];
        person++;
        const [sur, surPy] = SURNAMES[(person * 7 + 3) % SURNAMES.length];
        const [given, givenPy] = GIVEN_NAMES[(person * 11 + 5) % GIVEN_NAMES.length];
        // the first two contacts of the portal account (its service manager and its IT/operations lead) get logins
        const portal = a.code === KEY_PERSON_ACCOUNT && c < KEY_PERSON_EMAILS.length;
        const email = portal ? KEY_PERSON_EMAILS[c] : `${givenPy}.${surPy}@${a.code}.customer.demo`;
        const contact = await createContact(tx, actor(a.team.csm ?? a.team.sales), id, {
          name: sur + given,
          title: role.title,
          department: role.department,
          email,
          side: role.side,
          orgGroups: key ? role.groups : [],
          isKeyPerson: portal || (key && (role.side === 'executive' || role.side === 'business_head')),
          notes: key && (role.side === 'executive' || role.side === 'other') ? r.pick(contactNotes) : null,
        });
        made.push({ id: contact.id, side: role.side, name: contact.name });
        if (portal) kpContacts.push({ contactId: contact.id, accountId: id, email, name: contact.name });
      }

      const bySide = (side: string) => made.filter((m) => m.side === side);
      const bh = bySide('business_head');
      const it = bySide('operations_it');
      const ex = bySide('executive');
      const links: { user: StaffKey; side: OurSide; contact: { id: string } | undefined; strength: [number, number] }[] = [];
      const push = (user: StaffKey | null, side: OurSide, contact: { id: string } | undefined, strength: [number, number]) => {
        if (user && contact) links.push({ user, side, contact, strength });
      };
      const t = a.team;
      if (tier === 'A' || tier === 'C') {
        const strong = tier === 'A';
        push(t.sales, 'sales', bh[0], strong ? [4, 5] : [3, 4]);
        push(t.sales, 'sales', ex[0], strong ? [3, 4] : [2, 3]);
        push(t.delivery, 'delivery', it[0], strong ? [4, 5] : [3, 4]);
        push(t.afterSales, 'service', it[1] ?? it[0], [3, 4]);
        push(t.csm, 'service', bh[0], strong ? [4, 5] : [3, 4]);
        push(t.csm, 'service', bh[1], [3, 4]);
        if (!a.noExecLink) push(strong && i % 2 ? 'vp' : 'manager', 'executive', ex[0], strong ? [3, 5] : [2, 4]);
        if (strong) push('expert', 'service', it[0], [3, 4]);
      } else if (tier === 'B') {
        push(t.sales, 'sales', bh[0], [3, 4]);
        push(t.afterSales, 'service', it[0], [3, 4]);
        push(t.delivery, 'delivery', it[0], [2, 3]);
        push(t.sales, 'sales', ex[0], [1, 2]);
      } else if (tier === 'D') {
        push(t.sales, 'sales', bh[0], [1, 3]);
        push(t.afterSales, 'service', it[0], [2, 3]);
      } else {
        push(t.sales, 'sales', bh[0], [2, 3]);
        const implementer = DEMO_STAFF.find((s) => s.partner && s.partner === a.partner);
        push(implementer?.key ?? null, 'delivery', it[0], [3, 4]);
      }
      for (const [k, l] of links.entries()) {
        // A accounts are in touch weekly, others less; stale accounts (and one link of each C and B) beyond 90 days,
        // but nobody was in touch much earlier than the pre-sales months before signing
        const maxAgo = Math.floor((now - steps[0].at) / DAY) + 60;
        const stale = maxAgo > 100 && (a.stale || (tier === 'C' && k === links.length - 1) || (tier === 'B' && k === 3));
        const ago = Math.min(maxAgo, stale ? r.int(95, 220) : tier === 'A' ? r.int(2, 40) : tier === 'C' ? r.int(5, 70) : r.int(10, 85));
        await createLink(tx, actor(t.csm ?? t.sales), id, {
          userId: userId.get(l.user)!,
          ourSide: l.side,
          contactId: l.contact!.id,
          strength: r.int(l.strength[0], l.strength[1]),
          lastContactAt: officeHours(now - ago * DAY, r),
          note: r.pick(linkNotes),
        });
      }
    }

    // ---- two key persons with portal logins on one A account
    if (kpContacts.length) {
      await tx
        .insert(keyPersonLogins)
        .values(
          kpContacts.map((k) => ({ workspaceId, accountId: k.accountId, contactId: k.contactId, email: k.email, passwordHash, locale: 'zh-CN' })),
        );
    }

    // ---- saved segments
    for (const s of DEMO_SEGMENTS) await createSegment(tx, manager, s);

    // ---- the value-add track: focus, bookings drawing the budget, tasks and the opportunities they produced
    await seedValueAdd(tx, { workspaceId, staff: [...actorOf.values()], now });

    // ---- the service desk: business calendar, SLA policies, tickets in every state (some breaching, some breached)
    await seedServiceDesk(tx, { workspaceId, now, actor, accountId, staffKeys: DEMO_STAFF.map((s) => s.key) });

    // ---- business value: indicators chosen with four A/C customers, baselines, targets and monthly actuals
    await seedValue(tx, { workspaceId, staff: [...actorOf.values()], now, portalAccountIds: kpContacts.map((k) => k.accountId) });

    // ---- the communication mechanism: periodic meetings per A account, key moments from the service desk, minutes, summaries, action items
    await seedMeetings(tx, { workspaceId, now, staff: [...actorOf.values()] });

    // ---- the customer portal: content, delivery milestones, needs with a discussion, behaviour signals
    await seedPortal(tx, { workspaceId, now, staff: [...actorOf.values()] });

    // ---- relationship metrics over six months, behaviour profiles, then account health (with its history and follow-ups)
    await seedRelationships(tx, { workspaceId, now, staff: [...actorOf.values()] });

    // ---- the commercial record: contracts, payment plans and payments, delivery projects and time, as the ERP sends them
    await seedCommerce(tx, { workspaceId, now, actor, accountId, rng });

    // ---- precise outreach (after the commercial record: a behaviour rule reads the contracts): consents, people with
    // their tags and stages, a conference follow-up mail, a portal invitation, an end users' member day, a draft, the rules
    await seedOutreach(tx, { workspaceId, now, staff: [...actorOf.values()], keyPersonContactIds: kpContacts.map((k) => k.contactId) });

    await recordAudit(tx, admin, {
      action: 'demo.seed',
      entityType: 'workspace',
      entityId: workspaceId,
      after: { accounts: DEMO_ACCOUNTS.length, staff: DEMO_STAFF.length },
    });

    const logins: DemoLogin[] = [
      ...DEMO_STAFF.map((s, i) => ({ role: s.role, email: staffEmails[i], password: DEMO_PASSWORD, name: s.name })),
      ...kpContacts.map((k) => ({ role: 'key_person', email: k.email, password: DEMO_PASSWORD, name: k.name })),
    ];
    return { workspaceId, logins };
  });
}
