import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openPglite, queryRows, type Database } from '../db/client.js';
import { verifyPassword } from '../platform/passwords.js';
import { roles } from '../platform/permissions.js';
import { missingSeats, type TeamSeats } from '../modules/accounts/team.domain.js';
import { relationshipGaps, type MapLink } from '../modules/accounts/relationships.domain.js';
import type { Tier } from '../modules/accounts/grading.domain.js';
import { seedDemo } from './seed.js';
import { DateTime } from 'luxon';
import type { StaffActor } from '../platform/actor.js';
import { DEMO_ACCOUNTS } from './demo-data.js';
import { aging, agingBuckets, allocate, milestoneState } from '../modules/commerce/commerce.domain.js';
import { renewalBoard } from '../modules/reporting/renewals.service.js';

describe('demo workspace seed', () => {
  let d: Database;
  let result: Awaited<ReturnType<typeof seedDemo>>;
  const now = new Date();

  beforeAll(async () => {
    d = await openPglite({});
    await d.migrate();
    // speed is measured in bench/, never asserted in npm test
    result = await seedDemo(d.db, { now });
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  const accounts = () =>
    queryRows<{
      id: string;
      name: string;
      tier: Tier;
      model_tier: Tier;
      stage: string;
      ladder: string;
      sales_id: string | null;
      delivery_id: string | null;
      after_sales_id: string | null;
      csm_id: string | null;
      channel_partner_id: string | null;
      stage_entered_at: Date;
      tier_override_reason: string | null;
    }>(d.db, sql`select * from accounts where workspace_id = ${result.workspaceId}`);

  it('creates about forty accounts spread over every tier', async () => {
    const rows = await accounts();
    expect(rows.length).toBeGreaterThanOrEqual(36);
    expect(rows.length).toBeLessThanOrEqual(44);
    const byTier: Record<string, number> = {};
    for (const r of rows) byTier[r.tier] = (byTier[r.tier] ?? 0) + 1;
    console.log('tiers', byTier);
    for (const t of ['A', 'B', 'C', 'D', 'E']) expect(byTier[t] ?? 0, `tier ${t}`).toBeGreaterThanOrEqual(4);
    expect(byTier).toEqual({ A: 6, C: 7, B: 10, D: 9, E: 8 });
    // every channel account is E, and the overrides carry a reason
    for (const r of rows) expect(r.tier === 'E').toBe(!!r.channel_partner_id);
    const overridden = rows.filter((r) => r.tier !== r.model_tier);
    expect(overridden.length).toBeGreaterThanOrEqual(1);
    for (const r of overridden) expect(r.tier_override_reason).toBeTruthy();
  });

  it('has every stage, reached through legal transitions with months of history', async () => {
    const rows = await accounts();
    const stages = new Set(rows.map((r) => r.stage));
    expect([...stages].sort()).toEqual(['adaptation', 'churn', 'handover', 'renewal', 'startup']);
    const byStage: Record<string, number> = {};
    for (const r of rows) byStage[r.stage] = (byStage[r.stage] ?? 0) + 1;
    console.log('stages', byStage);
    const ladders = new Set(rows.map((r) => r.ladder));
    expect(ladders.size).toBe(4);

    const legal: Record<string, string[]> = {
      handover: ['startup', 'churn'],
      startup: ['adaptation', 'churn'],
      adaptation: ['renewal', 'churn'],
      renewal: ['adaptation', 'churn'],
      churn: ['handover'],
    };
    const tr = await queryRows<{ account_id: string; from_stage: string | null; to_stage: string; at: Date }>(
      d.db,
      sql`select account_id, from_stage, to_stage, at from stage_transitions where workspace_id = ${result.workspaceId} order by account_id, at`,
    );
    for (const a of rows) {
      const mine = tr.filter((t) => t.account_id === a.id);
      expect(mine[0].from_stage).toBeNull();
      for (const t of mine.slice(1)) expect(legal[t.from_stage!]).toContain(t.to_stage);
      expect(mine.at(-1)!.to_stage).toBe(a.stage);
      expect(new Date(mine.at(-1)!.at).getTime()).toBe(new Date(a.stage_entered_at).getTime());
      for (const t of mine) expect(new Date(t.at).getTime()).toBeLessThan(now.getTime());
    }
    const oldest = Math.min(...tr.map((t) => new Date(t.at).getTime()));
    expect(now.getTime() - oldest).toBeGreaterThan(365 * 86_400_000);
  });

  it('gives every key account a CSM except the one left as a gap, and leaves one B without delivery', async () => {
    const rows = await accounts();
    const gaps = rows
      .map((r) => ({
        name: r.name,
        tier: r.tier,
        missing: missingSeats(r.tier, {
          salesId: r.sales_id,
          deliveryId: r.delivery_id,
          afterSalesId: r.after_sales_id,
          csmId: r.csm_id,
        } as TeamSeats),
      }))
      .filter((g) => g.missing.length);
    const keyWithoutCsm = rows.filter((r) => (r.tier === 'A' || r.tier === 'C') && !r.csm_id);
    expect(keyWithoutCsm.map((r) => r.tier)).toEqual(['C']);
    expect(gaps.filter((g) => g.tier === 'B' && g.missing.includes('deliveryId'))).toHaveLength(1);
    expect(gaps).toHaveLength(2);
    // the iron triangle everywhere else
    for (const r of rows.filter((x) => x.tier !== 'E')) {
      expect(r.sales_id).toBeTruthy();
      expect(r.after_sales_id).toBeTruthy();
    }
  });

  it('covers A accounts with relationships, leaving one without an executive link', async () => {
    const rows = await accounts();
    const links = await queryRows<{ account_id: string; our_side: string; side: string; strength: number; last_contact_at: Date | null }>(
      d.db,
      sql`select l.account_id, l.our_side, c.side, l.strength, l.last_contact_at from relationship_links l join contacts c on c.id = l.contact_id where l.workspace_id = ${result.workspaceId}`,
    );
    const contacts = await queryRows<{ account_id: string; n: number }>(
      d.db,
      // the end users of 美凌家电 (the outreach demo's households) are people of their own, not the account's contacts
      sql`select account_id, count(*)::int as n from contacts where workspace_id = ${result.workspaceId} and department is distinct from '终端用户' group by account_id`,
    );
    for (const r of rows) {
      const n = contacts.find((c) => c.account_id === r.id)?.n ?? 0;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(5);
    }
    const noExec = rows
      .filter((r) => r.tier === 'A')
      .filter((r) => {
        const mine: MapLink[] = links
          .filter((l) => l.account_id === r.id)
          .map((l) => ({
            ourSide: l.our_side as MapLink['ourSide'],
            theirSide: l.side as MapLink['theirSide'],
            strength: l.strength,
            lastContactAt: l.last_contact_at && new Date(l.last_contact_at),
            userName: '',
            contactName: '',
          }));
        return relationshipGaps('A', mine, now).some((g) => g.kind === 'no_executive_link');
      });
    expect(noExec).toHaveLength(1);
    expect(links.some((l) => l.last_contact_at && now.getTime() - new Date(l.last_contact_at).getTime() > 90 * 86_400_000)).toBe(true);
  });

  it('returns logins for every staff role and key persons, and they work', async () => {
    const loginRoles = new Set(result.logins.map((l) => l.role));
    for (const r of roles) expect(loginRoles, r).toContain(r);
    expect(loginRoles).toContain('key_person');
    expect(result.logins.find((l) => l.role === 'admin')!.email).toBe('admin@demo.keyward.cn');
    for (const l of result.logins) expect(l.password).toBe('Keyward2026!');

    const [admin] = await queryRows<{ password_hash: string }>(d.db, sql`select password_hash from users where email = 'admin@demo.keyward.cn'`);
    expect(await verifyPassword('Keyward2026!', admin.password_hash)).toBe(true);
    expect(await verifyPassword('wrong-password-1', admin.password_hash)).toBe(false);
    const kp = result.logins.find((l) => l.role === 'key_person')!;
    const [k] = await queryRows<{ password_hash: string; tier: string }>(
      d.db,
      sql`select k.password_hash, a.tier from key_person_logins k join accounts a on a.id = k.account_id where k.email = ${kp.email}`,
    );
    expect(k.tier).toBe('A');
    expect(await verifyPassword(kp.password, k.password_hash)).toBe(true);
    const channel = await queryRows<{ channel_partner_id: string | null }>(
      d.db,
      sql`select channel_partner_id from users where role = 'channel_implementer'`,
    );
    for (const c of channel) expect(c.channel_partner_id).toBeTruthy();
  });

  it('has teams, partners and segments', async () => {
    const teams = await queryRows<{ kind: string; n: number }>(
      d.db,
      sql`select t.kind, count(m.user_id)::int as n from teams t left join team_members m on m.team_id = t.id where t.workspace_id = ${result.workspaceId} group by t.kind`,
    );
    expect(teams.map((t) => t.kind).sort()).toEqual(['delivery', 'expert', 'industry_center', 'service_desk']);
    for (const t of teams) expect(t.n).toBeGreaterThan(0);
    const [{ n: partners }] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from channel_partners where workspace_id = ${result.workspaceId}`,
    );
    expect(partners).toBeGreaterThanOrEqual(2);
    const [{ n: segments }] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from segments where workspace_id = ${result.workspaceId}`,
    );
    expect(segments).toBeGreaterThanOrEqual(2);
  });

  it('has tickets in every state, breaching soon and breached, rated and escalated', async () => {
    const [r] = await queryRows<Record<string, number>>(
      d.db,
      sql`select count(*)::int as total,
        count(*) filter (where status = 'closed')::int as closed,
        count(*) filter (where status = 'waiting_customer')::int as waiting,
        count(*) filter (where owner_id is null)::int as unassigned,
        (select count(*)::int from sla_clocks c where c.workspace_id = ${result.workspaceId} and c.breached_at is not null) as breached,
        (select count(*)::int from sla_clocks c where c.workspace_id = ${result.workspaceId} and c.met_at is null and c.breached_at is null and c.warn_at <= ${now.toISOString()}::timestamptz and c.due_at > ${now.toISOString()}::timestamptz) as soon,
        (select count(*)::int from sla_escalations e where e.workspace_id = ${result.workspaceId}) as escalations,
        (select count(*)::int from csat_responses e where e.workspace_id = ${result.workspaceId}) as csat,
        (select count(*)::int from key_moment_events e where e.workspace_id = ${result.workspaceId}) as key_moments,
        (select count(*)::int from opportunities o where o.workspace_id = ${result.workspaceId} and o.source_kind = 'ticket') as opportunities
      from tickets where workspace_id = ${result.workspaceId}`,
    );
    console.log('demo tickets', r);
    expect(r.total).toBeGreaterThanOrEqual(25);
    expect(r.closed).toBeGreaterThanOrEqual(8);
    expect(r.waiting).toBeGreaterThanOrEqual(2);
    expect(r.unassigned).toBeGreaterThanOrEqual(1);
    expect(r.breached).toBeGreaterThanOrEqual(3);
    expect(r.soon).toBeGreaterThanOrEqual(3);
    expect(r.escalations).toBeGreaterThanOrEqual(3);
    expect(r.csat).toBeGreaterThanOrEqual(8);
    expect(r.key_moments).toBeGreaterThanOrEqual(3);
    expect(r.opportunities).toBeGreaterThanOrEqual(1);
    // every ticket says why it went where it went
    const reasons = await queryRows<{ reason: string }>(
      d.db,
      sql`select dispatch_reason->>'zh-CN' as reason from tickets where workspace_id = ${result.workspaceId}`,
    );
    for (const x of reasons) expect(x.reason.length).toBeGreaterThan(8);
    expect(reasons.some((x) => /^A 类客户：客户成功经理 何静 一票到底；产品问题 → 客服团队，SLA P2/.test(x.reason))).toBe(true);
  });

  it('has the commercial record: contracts whose figures give the designed grading inputs, aging in every bucket, a renewal in ~60 days', async () => {
    const ws = result.workspaceId;
    const contracts = await queryRows<{
      number: string;
      account_id: string;
      amount_minor: string;
      ends_on: string;
      services: { customisation: boolean }[];
    }>(d.db, sql`select number, account_id, amount_minor, ends_on::text, services from contracts where workspace_id = ${ws}`);
    const rows = await accounts();
    expect(new Set(contracts.map((c) => c.account_id)).size).toBe(rows.length);
    for (const c of contracts) {
      expect(c.number).toMatch(/^HT-20\d\d-\d{3}$/);
      // hundreds of thousands to millions of yuan
      expect(Number(c.amount_minor)).toBeGreaterThanOrEqual(100_000_00);
      expect(Number(c.amount_minor)).toBeLessThanOrEqual(20_000_000_00);
    }
    expect(contracts.filter((c) => c.services.some((x) => x.customisation)).length).toBeGreaterThanOrEqual(3);
    // grading's factors are now computed from the record, and they are the ones the demo's tiers were designed with
    const figures = await queryRows<{
      name: string;
      on_time_payment_pct: number | null;
      order_amount_minor: string;
      profit_margin_pct: number | null;
    }>(d.db, sql`select name, on_time_payment_pct, order_amount_minor, profit_margin_pct from accounts where workspace_id = ${ws}`);
    for (const a of DEMO_ACCOUNTS) {
      const f = figures.find((x) => x.name === a.name)!;
      expect([a.name, f.on_time_payment_pct, Number(f.order_amount_minor), f.profit_margin_pct]).toEqual([
        a.name,
        a.credit,
        a.orderWan * 1_000_000,
        a.margin,
      ]);
    }

    const [{ today }] = await queryRows<{ today: string }>(
      d.db,
      sql`select (now() at time zone timezone)::date::text as today from workspaces where id = ${ws}`,
    );
    const items = await queryRows<{ id: string; contractId: string; dueOn: string; amountMinor: number }>(
      d.db,
      sql`select id, contract_id as "contractId", due_on::text as "dueOn", amount_minor::int as "amountMinor" from payment_plan_items where workspace_id = ${ws}`,
    );
    const pays = await queryRows<{ id: string; contractId: string; planItemId: string | null; receivedOn: string; amountMinor: number }>(
      d.db,
      sql`select id, contract_id as "contractId", plan_item_id as "planItemId", received_on::text as "receivedOn", amount_minor::int as "amountMinor" from payments where workspace_id = ${ws}`,
    );
    const alloc = allocate(items, pays);
    const buckets = aging(alloc, today);
    console.log('demo aging (fen)', buckets);
    for (const b of agingBuckets) expect(buckets[b], b).toBeGreaterThan(0);
    // paid on time, paid late and still open
    expect(alloc.filter((a) => a.paidOn && a.paidOn <= a.dueOn).length).toBeGreaterThan(100);
    expect(alloc.filter((a) => a.paidOn && a.paidOn > a.dueOn).length).toBeGreaterThanOrEqual(5);

    // the renewal board (90 days) shows an account whose contract ends in about 60 days, with its renewal opportunity
    const [m] = await queryRows<{ id: string; name: string }>(
      d.db,
      sql`select id, name from users where workspace_id = ${ws} and email = 'manager@demo.keyward.cn'`,
    );
    const lead: StaffActor = { kind: 'staff', workspaceId: ws, userId: m.id, name: m.name, role: 'manager', channelPartnerId: null, locale: 'zh-CN' };
    const board = await renewalBoard(d.db, lead, { within: 90 });
    const sixty = board.items.filter((i) => i.daysLeft >= 55 && i.daysLeft <= 65);
    expect(sixty.length).toBeGreaterThanOrEqual(1);
    for (const i of sixty) expect(i.opportunity, i.accountName).not.toBeNull();
    expect(board.items.map((i) => i.accountName)).toContain('华东重工机械集团有限公司');
    expect(new Set(board.items.map((i) => i.bucket))).toEqual(new Set([30, 60, 90]));
  });

  it("has delivery projects with milestones (some late), acceptance (one failed first pass) and eight weeks of engineers' time", async () => {
    const ws = result.workspaceId;
    const [{ today }] = await queryRows<{ today: string }>(
      d.db,
      sql`select (now() at time zone timezone)::date::text as today from workspaces where id = ${ws}`,
    );
    const ms = await queryRows<{ planned_on: string; actual_on: string | null }>(
      d.db,
      sql`select planned_on::text, actual_on::text from project_milestones where workspace_id = ${ws}`,
    );
    const states = ms.map((x) => milestoneState({ plannedOn: x.planned_on, actualOn: x.actual_on }, today));
    for (const s of ['done_on_time', 'done_late', 'late', 'planned'] as const) expect(states.filter((x) => x === s).length, s).toBeGreaterThan(0);
    const projects = await queryRows<{ accepted_on: string | null; first_pass: boolean | null; defects: number | null }>(
      d.db,
      sql`select accepted_on::text, first_pass, defects from delivery_projects where workspace_id = ${ws}`,
    );
    expect(projects.length).toBeGreaterThanOrEqual(20);
    expect(projects.filter((p) => p.first_pass === true).length).toBeGreaterThanOrEqual(10);
    expect(projects.filter((p) => p.first_pass === false)).toHaveLength(1);
    expect(projects.filter((p) => p.accepted_on === null).length).toBeGreaterThan(0);

    const time = await queryRows<{ role: string; worked_on: string; hours: string; tz: string }>(
      d.db,
      sql`select u.role, t.worked_on::text, t.hours::text, w.timezone as tz from time_entries t join users u on u.id = t.user_id join workspaces w on w.id = t.workspace_id where t.workspace_id = ${ws}`,
    );
    expect(new Set(time.filter((t) => t.role === 'delivery').map((t) => t.role)).size).toBe(1);
    expect(time.every((t) => t.role === 'delivery')).toBe(true);
    const from = DateTime.fromISO(today).minus({ weeks: 8 }).toISODate()!;
    for (const t of time) {
      expect(t.worked_on >= from && t.worked_on < today, t.worked_on).toBe(true);
      expect(DateTime.fromISO(t.worked_on).weekday, t.worked_on).toBeLessThanOrEqual(5);
    }
    // about a working day per engineer per working day
    const engineers = await queryRows<{ user_id: string; hours: string }>(
      d.db,
      sql`select user_id, sum(hours)::text as hours from time_entries where workspace_id = ${ws} group by user_id`,
    );
    expect(engineers.length).toBe(3);
    for (const e of engineers) expect(Number(e.hours)).toBeGreaterThan(200);
  });

  it('refuses to run twice', async () => {
    await expect(seedDemo(d.db)).rejects.toThrow(/already exists/);
  });

  it('has outreach: two campaigns sent in the past under the caps, a scheduled draft, consents with sources, the rules', async () => {
    const ws = result.workspaceId;
    const cs = await queryRows<{ name: string; channel: string; status: string; sent_days: number | null }>(
      d.db,
      sql`select name, channel, status, extract(day from now() - sent_at)::int as sent_days from campaigns where workspace_id = ${ws} order by created_at`,
    );
    expect(cs.map((c) => c.name)).toContain('美凌家电会员日·以旧换新季');
    expect(cs.map((c) => [c.channel, c.status])).toEqual([
      ['email', 'sent'],
      ['email', 'sent'],
      ['portal', 'sent'],
      ['email', 'draft'],
    ]);
    expect(cs[0].sent_days).toBeGreaterThanOrEqual(11);
    const rec = await queryRows<{ channel: string; state: string; reason: string | null; n: number }>(
      d.db,
      sql`select c.channel, r.state, r.reason, count(*)::int as n from campaign_recipients r join campaigns c on c.id = r.campaign_id
        where r.workspace_id = ${ws} group by 1, 2, 3`,
    );
    const n = (channel: string, state: string, reason: string | null = null) =>
      rec.find((r) => r.channel === channel && r.state === state && r.reason === reason)?.n ?? 0;
    // the mail reached most, left out the unsubscribed and the never asked; nobody is left planned
    expect(n('email', 'sent')).toBeGreaterThan(10);
    expect(n('email', 'excluded', 'unsubscribed')).toBeGreaterThan(0);
    expect(n('email', 'excluded', 'no_consent')).toBeGreaterThan(0);
    expect(rec.filter((r) => r.state === 'planned')).toEqual([]);
    expect(n('portal', 'sent')).toBe(result.logins.filter((l) => l.role === 'key_person').length);
    // the touches are on the ledger in the past, and no send job or outreach mail waits to run
    const [t] = await queryRows<{ n: number; newest: number }>(
      d.db,
      sql`select count(*)::int as n, min(extract(day from now() - at))::int as newest from outreach_touches where workspace_id = ${ws}`,
    );
    expect(t.n).toBe(n('email', 'sent') + n('portal', 'sent'));
    expect(t.newest).toBeGreaterThanOrEqual(2);
    const [left] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from jobs where workspace_id = ${ws} and status = 'queued' and (kind = 'outreach.batch' or dedupe_key like 'outreach:%')`,
    );
    expect(left.n).toBe(0);
    const [s] = await queryRows<{ cap_count: number; quiet_start: string }>(
      d.db,
      sql`select cap_count, quiet_start from outreach_settings where workspace_id = ${ws}`,
    );
    expect(s).toEqual({ cap_count: 2, quiet_start: '21:00' });
    // people: tags from behaviour rules (with evidence) and by hand, stages the rules moved; the mail's responses
    const tags = await queryRows<{ source: string; n: number; with_evidence: number }>(
      d.db,
      sql`select source, count(*)::int as n, count(evidence)::int as with_evidence from outreach_person_tags where workspace_id = ${ws} group by source`,
    );
    const rule = tags.find((x) => x.source === 'rule');
    expect(rule?.n).toBeGreaterThan(0);
    expect(rule?.with_evidence).toBe(rule?.n);
    expect(tags.find((x) => x.source === 'manual')?.n).toBeGreaterThan(0);
    const [st] = await queryRows<{ n: number }>(
      d.db,
      sql`select count(*)::int as n from outreach_stage_moves where workspace_id = ${ws} and source = 'rule'`,
    );
    expect(st.n).toBeGreaterThan(0);
    const [m] = await queryRows<{ delivered: number; opened: number; clicked: number; sent: number; referrals: number }>(
      d.db,
      sql`select count(delivered_at)::int as delivered, count(opened_first_at)::int as opened, count(clicked_first_at)::int as clicked, count(*)::int as sent,
        (select count(*)::int from outreach_referrals where workspace_id = ${ws}) as referrals
        from outreach_tracking where workspace_id = ${ws}`,
    );
    expect(m.sent).toBe(n('email', 'sent'));
    expect(m.delivered).toBe(m.sent);
    expect(m.opened).toBeGreaterThan(m.clicked);
    expect(m.clicked).toBeGreaterThan(0);
    expect(m.referrals).toBe(3);
    // the to-C example: 美凌家电's end users at every stage, and the member-day mail to those past 接触
    const stages = await queryRows<{ stage: string; n: number }>(
      d.db,
      sql`select to_c_stage as stage, count(*)::int as n from outreach_people where workspace_id = ${ws} and to_c_stage is not null group by 1`,
    );
    expect(stages.map((x) => x.stage).sort()).toEqual(['contact', 'interest', 'loyalty', 'purchase', 'repurchase']);
  });
});

describe('demo customer portal', () => {
  it('华东重工 has content, milestones and needs with a discussion for its key persons', async () => {
    const d = await openPglite({});
    await d.migrate();
    try {
      const r = await seedDemo(d.db);
      const [a] = await queryRows<{ name: string; posts: number; milestones: number; needs: number; msgs: number }>(
        d.db,
        sql`select a.name,
              (select count(*)::int from portal_posts p where p.workspace_id = ${r.workspaceId} and p.published_at is not null) as posts,
              (select count(*)::int from project_milestones m join delivery_projects p on p.id = m.project_id where p.account_id = a.id) as milestones,
              (select count(*)::int from portal_demands n where n.account_id = a.id) as needs,
              (select count(*)::int from portal_demand_messages x join portal_demands n on n.id = x.demand_id where n.account_id = a.id) as msgs
            from key_person_logins k join accounts a on a.id = k.account_id where k.email = 'kp1@customer.demo'`,
      );
      expect(a).toEqual({ name: expect.stringMatching(/^华东重工/), posts: 6, milestones: expect.any(Number), needs: 2, msgs: 2 });
      // 交付进展 is the delivery projects' milestones: at least the five of its MES contract (reached, next, planned, late)
      expect(a.milestones).toBeGreaterThanOrEqual(5);
    } finally {
      await d.close();
    }
  }, 120_000);
});
