/**
 * The global search at the issue's size (issue 19), not part of `npm test`: `npm run bench -- search`.
 *
 * PostgreSQL only by default (the target is ≤ 100 ms there); BENCH_SEARCH_PGLITE=1 adds an in-memory PGlite at
 * BENCH_SEARCH_PGLITE_SCALE (default 0.05). The PostgreSQL data lives in the database `kw_bench_search`, generated
 * once (set-based, a few minutes) and reused; `--fresh` regenerates, BENCH_SEARCH_SCALE changes every size.
 *
 *   10,000 accounts (Chinese names; 10 % belong to one channel partner), 200,000 contacts (Chinese names, e-mail,
 *   phone), 2,000,000 tickets (titles from a product × symptom vocabulary, so a common word matches ~10 % of them
 *   and a rare one ~0.01 %), 500,000 opportunities, 100,000 meetings — every row through the real schema
 *   (migrate()), then ANALYZE.
 *
 * "Service" = `globalSearch` (what GET /api/search calls: five queries side by side on the pool, visibility
 * applied, account names joined), as a manager (sees every account) and as a channel implementer (sees 1,000).
 * "Raw SQL" = one hand-written statement returning the same groups (ids and order), timed in the same loop; the
 * run exits 1 on any difference. 20 runs per query (p99 of 20 = the slowest), after one warm-up.
 */
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { openPglite, openPostgres, queryRows, type Database, type Db } from '../server/db/client.js';
import type { StaffActor } from '../server/platform/actor.js';
import { globalSearch } from '../server/modules/reporting/index.js';
import { likeEscape, matchOf, searchKinds } from '../server/modules/reporting/search.repo.js';
import { fmt, pct, PG_URL, time } from './lib.js';

const PG_DB = 'kw_bench_search';
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 20);
const LIMIT = 5;

const sizes = (s: number) => {
  const r = (n: number) => Math.max(1, Math.round(n * s));
  return { accounts: Math.max(100, r(10_000)), contacts: r(200_000), tickets: r(2_000_000), opportunities: r(500_000), meetings: r(100_000) };
};

const n = (x: number) => sql.raw(String(Math.round(x)));

async function generate(db: Db, scale: number) {
  const S = sizes(scale);
  const t0 = performance.now();
  const step = (what: string) => console.error(`  ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  console.error(
    `generating: ${S.accounts} accounts, ${S.contacts} contacts, ${S.tickets} tickets, ${S.opportunities} opportunities, ${S.meetings} meetings`,
  );
  const [ws] = await queryRows<{ id: string }>(db, sql`insert into workspaces (name, slug) values ('搜索压测', 'search-bench') returning id`);
  const W = ws.id;
  const [partner] = await queryRows<{ id: string }>(
    db,
    sql`insert into channel_partners (workspace_id, name) values (${W}, '西南渠道') returning id`,
  );
  const users = await queryRows<{ id: string; role: string }>(
    db,
    sql`insert into users (workspace_id, email, name, role, password_hash, channel_partner_id)
        values (${W}, 'manager@search.bench', '经理', 'manager', 'x', null),
               (${W}, 'sales@search.bench', '销售', 'sales', 'x', null),
               (${W}, 'channel@search.bench', '渠道实施', 'channel_implementer', 'x', ${partner.id})
        returning id, role`,
  );
  const sales = users.find((u) => u.role === 'sales')!.id;
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, fiscal_year, channel_partner_id, tier, model_tier, created_at, updated_at)
    select ${W},
      (array['华东','华南','华北','西南','西北','华中','东北'])[1 + g % 7] || (array['重工','精密','医疗','能源','汽车','电子','化工','食品','物流','制药'])[1 + (g / 7) % 10]
        || (array['集团','股份','科技','实业'])[1 + (g / 70) % 4] || lpad(g::text, 5, '0'),
      (array['工程机械','医疗器械','能源','汽车','电子'])[1 + g % 5], '华东', 2026,
      case when g % 10 = 0 then ${partner.id}::uuid end,
      case when g % 10 = 0 then 'E' else (array['A','B','C','D','E'])[1 + g % 5] end,
      case when g % 10 = 0 then 'E' else (array['A','B','C','D','E'])[1 + g % 5] end,
      now() - (g % 1000) * interval '1 day', now() - (g % 300) * interval '1 hour'
    from generate_series(1, ${n(S.accounts)}) g`);
  await db.execute(
    sql`create table bench_search_acc as select row_number() over (order by created_at, id)::int as n, id from accounts where workspace_id = ${W}`,
  );
  await db.execute(sql`create unique index on bench_search_acc (n)`);
  step('accounts');
  const A = n(S.accounts);
  await db.execute(sql`insert into contacts (workspace_id, account_id, name, title, email, phone)
    select ${W}, b.id,
      (array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗','郑','梁','谢','宋','唐','许','韩','冯','邓','曹','彭','曾','肖','田','董','袁','潘','于','蒋','欧阳'])[1 + g % 40]
        || (array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明','超','秀英','霞','平','刚','桂英','建华','文','华','红','鹏','辉','玲','飞'])[1 + (g / 40) % 30]
        || (array['','','一','二','三','明月','晓东','海'])[1 + (g / 1200) % 8],
      (array['设备部经理','IT 主管','采购经理','生产总监','厂长'])[1 + g % 5],
      'c' || g || '@cust' || (g % 997) || '.example.com', '13' || lpad((g::bigint * 7919 % 1000000000)::text, 9, '0')
    from generate_series(1, ${n(S.contacts)}) g join bench_search_acc b on b.n = 1 + (g * 31) % ${A}`);
  step('contacts');
  // the trigram index goes in after the load (one build instead of 2M inserts into it)
  await db.execute(sql`drop index if exists tickets_title_trgm`);
  const chunk = 250_000;
  for (let from = 1; from <= S.tickets; from += chunk) {
    const to = Math.min(S.tickets, from + chunk - 1);
    await db.execute(sql`insert into tickets (workspace_id, account_id, title, description, kind, severity, channel, requester_kind, requester_user_id, requester_name,
        status, tier_at_creation, priority, dispatch_rule, dispatch_reason, policy, resolved_at, closed_at, created_at, updated_at)
      select ${W}, b.id,
        (array['液压泵站','数控机床','输送线','变频器','伺服电机','空压机','冷水机组','包装机','机器人手臂','PLC 控制柜'])[1 + g % 10]
          || (array['异响','漏油','无法启动','过热报警','通讯中断','精度下降','频繁停机','需要升级','参数咨询','备件申请'])[1 + (g / 10) % 10]
          || case when g % 10000 = 7 then '，需防爆认证' else '' end || ' ' || (array['一号线','二号线','三号线','总装车间','仓库'])[1 + (g / 100) % 5],
        '', 'product_issue', (array['critical','high','medium','low'])[1 + g % 4], 'phone', 'staff', ${sales}, '销售',
        case when g % 25 = 0 then 'open' else 'closed' end, 'D', 'P3', 'bench', '{"zh-CN":"","en":""}'::jsonb, '{}'::jsonb,
        case when g % 25 = 0 then null else now() - ((${n(S.tickets)} - g) / 2000.0) * interval '1 day' end,
        case when g % 25 = 0 then null else now() - ((${n(S.tickets)} - g) / 2000.0) * interval '1 day' end,
        now() - ((${n(S.tickets)} - g) / 1900.0) * interval '1 day', now()
      from generate_series(${n(from)}, ${n(to)}) g join bench_search_acc b on b.n = 1 + (g::bigint * 7919) % ${A}`);
    step(`tickets ${to}`);
  }
  await db.execute(sql`create index tickets_title_trgm on tickets using gin (title gin_trgm_ops)`);
  step('tickets trigram index');
  await db.execute(sql`insert into opportunities (workspace_id, account_id, title, source_kind, captured_by_id, amount_minor, stage, created_at, updated_at)
    select ${W}, b.id,
      (array['泵站智能化改造','备件年度框架','远程运维服务','产线扩容','设备更新换代','能耗优化','预测性维护','培训服务'])[1 + g % 8] || ' ' || g,
      'visit', ${sales}, (g % 100) * 1000000, (array['captured','incubating','handed_to_sales','won'])[1 + g % 4],
      now() - ((${n(S.opportunities)} - g) / 500.0) * interval '1 day', now()
    from generate_series(1, ${n(S.opportunities)}) g join bench_search_acc b on b.n = 1 + (g::bigint * 104729) % ${A}`);
  step('opportunities');
  await db.execute(sql`insert into meetings (workspace_id, account_id, kind, cause, title, starts_at, ends_at, status, organizer_id)
    select ${W}, b.id, 'ad_hoc', 'requirement_change',
      (array['季度业务回顾','泵站改造方案沟通','年度续约谈判','培训计划确认','故障复盘会'])[1 + g % 5] || ' ' || g,
      now() - ((${n(S.meetings)} - g) / 100.0) * interval '1 day', now() - ((${n(S.meetings)} - g) / 100.0) * interval '1 day' + interval '1 hour',
      'held', ${sales}
    from generate_series(1, ${n(S.meetings)}) g join bench_search_acc b on b.n = 1 + (g * 31) % ${A}`);
  step('meetings');
  await db.execute(sql`analyze`);
  step('analyze');
  return W;
}

async function openPg(fresh: boolean): Promise<Database> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    if (fresh) await admin.query(`drop database if exists ${PG_DB} with (force)`);
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [PG_DB])).rowCount;
    if (!exists) await admin.query(`create database ${PG_DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_URL);
  u.pathname = `/${PG_DB}`;
  return openPostgres(u.toString());
}

async function ensureData(d: Database, scale: number): Promise<string> {
  await d.migrate();
  const [ws] = await queryRows<{ id: string }>(d.db, sql`select id from workspaces where slug = 'search-bench'`);
  const [meta] = ws ? await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from accounts where workspace_id = ${ws.id}`) : [];
  if (ws && meta?.n === sizes(scale).accounts) return ws.id;
  if (ws) throw new Error(`${PG_DB} holds another scale: run with --fresh`);
  return generate(d.db, scale);
}

/** The hand-written statement: the five groups in one round trip, the same matching, order and scope as the service. */
function rawSearch(workspaceId: string, actor: StaffActor, q: string, limit: number): SQL {
  const m = matchOf(q);
  const sub = `%${likeEscape(q)}%`;
  const num = /^#?(\d{1,15})$/.exec(q.trim());
  const scope = (col: string) =>
    actor.role === 'channel_implementer'
      ? sql.raw(`${col} in (select id from accounts where channel_partner_id = '${actor.channelPartnerId}')`)
      : sql`true`;
  const accScope = actor.role === 'channel_implementer' ? sql.raw(`a.channel_partner_id = '${actor.channelPartnerId}'`) : sql`true`;
  const L = limit + 1;
  return sql`
    (select 'account' as kind, a.id, 0 as o from accounts a where a.workspace_id = ${workspaceId} and a.name ilike ${sub} and ${accScope}
      order by (a.name ilike ${m.prefix}) desc, length(a.name), a.name, a.id limit ${L})
    union all
    (select 'contact', c.id, 0 from contacts c where c.workspace_id = ${workspaceId} and c.archived_at is null
        and ${
          m.mode === 'substring'
            ? sql`(c.name ilike ${m.pattern} or c.email ilike ${m.pattern} or c.phone ilike ${m.pattern})`
            : sql`lower(c.name) collate "C" >= ${q.toLowerCase()} and lower(c.name) collate "C" < ${`${q.toLowerCase()}\u{10FFFF}`}`
        } and ${scope('c.account_id')}
      order by lower(c.name) collate "C", c.id limit ${L})
    union all
    ${num ? sql`(select 'ticket', t.id, 0 from tickets t where t.workspace_id = ${workspaceId} and t.number = ${Number(num[1])} and ${scope('t.account_id')}) union all` : sql``}
    (select 'ticket', t.id, 1 from tickets t where t.workspace_id = ${workspaceId} and t.title ilike ${m.pattern} and ${scope('t.account_id')}
      order by t.created_at desc, t.id desc limit ${L})
    union all
    (select 'opportunity', o.id, 0 from opportunities o where o.workspace_id = ${workspaceId} and o.title ilike ${m.pattern} and ${scope('o.account_id')}
      order by o.created_at desc, o.id desc limit ${L})
    union all
    (select 'meeting', mt.id, 0 from meetings mt where mt.workspace_id = ${workspaceId} and mt.title ilike ${m.pattern} and ${scope('mt.account_id')}
      order by mt.starts_at desc, mt.id desc limit ${L})`;
}

type Line = { label: string; svc: number[]; raw: number[]; same: boolean; hits: string };

async function bench(label: string, d: Database, scale: number): Promise<Line[]> {
  const W = await ensureData(d, scale);
  const people = await queryRows<{ id: string; role: StaffActor['role']; channel_partner_id: string | null }>(
    d.db,
    sql`select id, role, channel_partner_id from users where workspace_id = ${W}`,
  );
  const actor = (role: string): StaffActor => {
    const u = people.find((p) => p.role === role)!;
    return { kind: 'staff', workspaceId: W, userId: u.id, name: role, role: u.role, channelPartnerId: u.channel_partner_id, locale: 'zh-CN' };
  };
  const [{ n: someNumber }] = await queryRows<{ n: number }>(
    d.db,
    sql`select number::int as n from tickets where workspace_id = ${W} order by created_at desc limit 1 offset 12345`,
  );
  const manager = actor('manager');
  const channel = actor('channel_implementer');
  const cases: [string, StaffActor, string][] = [
    ['common word in ~10 % of tickets: "液压泵站"', manager, '液压泵站'],
    ['rare phrase (~0.01 % of tickets): "防爆认证"', manager, '防爆认证'],
    ['nothing matches: "不存在的词"', manager, '不存在的词'],
    ['account name part: "重工集团"', manager, '重工集团'],
    ['2 characters, prefix: "液压"', manager, '液压'],
    ['1 character: "王"', manager, '王'],
    ['2 characters, a contact surname: "欧阳"', manager, '欧阳'],
    ['2 characters that start no title: "防爆"', manager, '防爆'],
    ['contact e-mail part: "c12345@"', manager, 'c12345@'],
    [`ticket number: "#${someNumber}"`, manager, `#${someNumber}`],
    ['channel implementer (1,000 accounts): "液压泵站"', channel, '液压泵站'],
    ['channel implementer: "王"', channel, '王'],
  ];
  const out: Line[] = [];
  for (const [what, who, q] of cases) {
    const service = () => globalSearch(d.db, who, { q, limit: LIMIT });
    const raw = () => queryRows<{ kind: string; id: string; o: number }>(d.db, rawSearch(W, who, q, LIMIT));
    // the answers: ids per kind, in order (the service's `more` flag = the raw's extra row)
    const s = await service();
    const r = await raw();
    const sIds = s.groups.flatMap((g) => [...g.items.map((i) => `${g.kind}:${i.id}`), ...(g.more ? [`${g.kind}:more`] : [])]);
    const rIds = searchKinds.flatMap((k) => {
      const rows = r.filter((x, i) => x.kind === k && r.findIndex((y) => y.kind === k && y.id === x.id) === i);
      return [...rows.slice(0, LIMIT).map((x) => `${k}:${x.id}`), ...(rows.length > LIMIT ? [`${k}:more`] : [])];
    });
    const same = JSON.stringify(sIds) === JSON.stringify(rIds);
    const svcT: number[] = [];
    const rawT: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      svcT.push(await time(service));
      rawT.push(await time(raw));
    }
    const hits = s.groups.map((g) => `${g.kind[0]}${g.items.length}${g.more ? '+' : ''}`).join(' ');
    out.push({ label: what, svc: svcT, raw: rawT, same, hits });
    console.error(`${label} · ${what}: service p50 ${fmt(pct(svcT, 50))}, raw p50 ${fmt(pct(rawT, 50))}, ${same ? 'same' : 'DIFFERENT'} (${hits})`);
  }
  return out;
}

function table(label: string, lines: Line[]) {
  console.log(`\n| ${label} | service p50 | service p99 | raw SQL p50 | raw SQL p99 | ratio (p50) | hits | same answer |`);
  console.log('|---|---:|---:|---:|---:|---:|---|:-:|');
  for (const l of lines) {
    const s50 = pct(l.svc, 50);
    const r50 = pct(l.raw, 50);
    console.log(
      `| ${l.label} | ${fmt(s50)} | ${fmt(pct(l.svc, 99))} | ${fmt(r50)} | ${fmt(pct(l.raw, 99))} | ${(s50 / r50).toFixed(1)}× | ${l.hits} | ${l.same ? 'yes' : '**no**'} |`,
    );
  }
}

async function main() {
  const fresh = process.argv.includes('--fresh');
  const scale = Number(process.env.BENCH_SEARCH_SCALE ?? 1);
  let failed = false;
  if (!process.env.BENCH_SKIP_PG) {
    const d = await openPg(fresh);
    try {
      const lines = await bench('PostgreSQL', d, scale);
      table(`PostgreSQL, ${sizes(scale).tickets.toLocaleString()} tickets`, lines);
      failed ||= lines.some((l) => !l.same);
    } finally {
      await d.close();
    }
  }
  if (process.env.BENCH_SEARCH_PGLITE) {
    const s = Number(process.env.BENCH_SEARCH_PGLITE_SCALE ?? 0.05);
    const d = await openPglite({});
    try {
      const lines = await bench('PGlite', d, s);
      table(`PGlite, ${sizes(s).tickets.toLocaleString()} tickets`, lines);
      failed ||= lines.some((l) => !l.same);
    } finally {
      await d.close();
    }
  }
  console.log(
    '\nhits: a/c/t/o/m = accounts, contacts, tickets, opportunities, meetings shown (of 5), + = more. The ratio is the service (five queries on the pool, scoped) against one hand-written statement.',
  );
  process.exit(failed ? 1 : 0);
}

await main();
