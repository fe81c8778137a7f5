/**
 * The demo's customer portal (SPEC §8, seed 001): news, events, hot products and solution
 * introductions (its delivery progress is the commerce seed's projects); two needs with a discussion
 * between its key persons and the iron triangle; a few views so the 360's 门户 tab has signals.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import type { KeyPersonActor, StaffActor } from '../platform/actor.js';
import { addDemandMessage, createPost, postDemand } from '../modules/portal/index.js';
import { portalSignals } from '../db/schema.js';

const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

export async function seedPortal(tx: Db, o: { workspaceId: string; now: number; staff: StaffActor[] }) {
  const manager = o.staff.find((s) => s.role === 'manager')!;
  const posts = [
    {
      kind: 'news',
      title: '2026 年度客户运营大会圆满召开',
      summary: '三百余位客户关键人齐聚杭州，共话工业软件运营新实践。',
      bodyHtml: '<p>本次大会围绕<strong>客户成功</strong>与<strong>业务价值</strong>两大主题，发布了新版服务产品菜单。</p>',
      tasks: ['closeness'],
    },
    {
      kind: 'event',
      title: '智能制造数字化转型沙龙（上海站）',
      summary: '12 月 12 日，诚邀各位客户参加。',
      bodyHtml: '<p>议程：</p><ul><li>行业趋势分享</li><li>标杆客户案例</li><li>专家答疑</li></ul>',
      eventOn: day(o.now + 20 * DAY),
      tasks: ['closeness', 'incubate'],
    },
    {
      kind: 'product',
      title: '设备预测性维护套件',
      summary: '基于振动与温度数据提前发现故障，减少非计划停机。',
      bodyHtml: '<p>适用于<strong>重型装备</strong>产线，平均减少 30% 非计划停机。</p>',
      hot: true,
      tasks: ['solution', 'capture'],
    },
    {
      kind: 'product',
      title: '产线数据采集网关',
      summary: '即插即用接入 PLC 与传感器数据。',
      bodyHtml: '<p>支持 OPC UA、Modbus 等主流协议。</p>',
      hot: true,
      tasks: ['solution'],
    },
    {
      kind: 'solution',
      title: '重工行业 MES 二期解决方案',
      summary: '从计划排产到质量追溯的一体化方案。',
      bodyHtml:
        '<h3>方案要点</h3><ol><li>计划排产</li><li>质量追溯</li><li>能耗管理</li></ol><p>详见 <a href="https://keyward.cn">方案白皮书</a>。</p>',
      tasks: ['solution', 'incubate'],
    },
    {
      kind: 'solution',
      title: '集团级数据中台方案',
      summary: '打通多工厂数据，支撑经营分析。',
      bodyHtml: '<p>统一数据标准、统一指标口径。</p>',
      tasks: ['solution', 'price'],
    },
  ] as const;
  const created: { id: string; title: string; tasks: readonly string[] }[] = [];
  for (const [i, p] of posts.entries())
    created.push(await createPost(tx, manager, { ...p, tasks: [...p.tasks], now: new Date(o.now - (i + 1) * 2 * DAY) }));

  const kps = await queryRows<{ id: string; account_id: string; contact_id: string; name: string; csm_id: string | null; sales_id: string | null }>(
    tx,
    sql`select k.id, k.account_id, k.contact_id, c.name, a.csm_id, a.sales_id from key_person_logins k join contacts c on c.id = k.contact_id join accounts a on a.id = k.account_id where k.workspace_id = ${o.workspaceId} order by k.email`,
  );
  if (!kps.length) return;
  const accountId = kps[0].account_id;
  const staffOf = (id: string | null) => o.staff.find((s) => s.userId === id) ?? manager;
  const csm = staffOf(kps[0].csm_id ?? kps[0].sales_id);
  const kpActor = (k: (typeof kps)[number]): KeyPersonActor => ({
    kind: 'key_person',
    workspaceId: o.workspaceId,
    keyPersonId: k.id,
    accountId: k.account_id,
    contactId: k.contact_id,
    name: k.name,
    locale: 'zh-CN',
  });

  const [kp1, kp2] = [kps[0], kps[1] ?? kps[0]];
  const d1 = await postDemand(
    tx,
    kpActor(kp1),
    { title: '二期产线数据接入平台', body: '希望把二期三条产线的设备数据接入平台，做停机分析。请评估工作量和时间。' },
    { silent: true },
  );
  await addDemandMessage(tx, csm, d1.id, '收到！我们周三安排实施顾问到现场调研，先确认设备清单和协议。');
  await addDemandMessage(tx, kpActor(kp1), d1.id, '好的，设备清单我先发给您。');
  await postDemand(tx, kpActor(kp2), { title: '新员工系统操作培训', body: '下月有 20 位新员工入职，需要一次 MES 操作培训。' }, { silent: true });

  // views so the 门户 tab has behaviour to show (the hot product read by both key persons)
  const hot = created[2];
  for (const [k, ago] of [
    [kp1, 5],
    [kp2, 3],
    [kp1, 1],
  ] as const) {
    await tx.insert(portalSignals).values({
      workspaceId: o.workspaceId,
      accountId,
      keyPersonId: k.id,
      kind: 'view',
      subjectType: 'post',
      subjectId: hot.id,
      label: hot.title,
      tasks: [...hot.tasks],
      createdAt: new Date(o.now - ago * DAY),
    });
  }
}
