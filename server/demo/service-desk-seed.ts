/**
 * The demo's service desk: a Shanghai business calendar with China's 2026 holidays, SLA policies, and
 * ~30 tickets in every state — resolved and rated, waiting on the customer, breaching soon, breached
 * and escalated, a complaint and a major issue (key moments), an opportunity captured from a ticket,
 * one channel request nobody could take. Everything goes through the service-desk services.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { KeyPersonActor, StaffActor } from '../platform/actor.js';

import {
  addMessage,
  captureFromTicket,
  createTicket,
  markMajor,
  pauseTicket,
  putCalendar,
  putPolicies,
  rateTicket,
  resolveTicket,
  scanSla,
  sla,
} from '../modules/service-desk/index.js';
import type { StaffKey } from './demo-data.js';
import { accounts, keyPersonLogins, contacts } from '../db/schema.js';

const MIN = 60_000;
const DAY = 86_400_000;

type Script = {
  code: string;
  kind: 'product_issue' | 'expert_request' | 'customisation' | 'complaint' | 'new_need';
  severity: 'critical' | 'high' | 'medium' | 'low';
  channel: 'portal' | 'phone' | 'email' | 'meeting' | 'staff';
  title: string;
  description: string;
  product?: string;
  /** done: resolved (and rated) days ago · waiting: paused on the customer · soon: close to the first-response deadline · breached: no answer for days · open: answered, in progress */
  state: 'done' | 'waiting' | 'soon' | 'breached' | 'open';
  daysAgo?: number;
  reply?: string;
  resolution?: string;
  csat?: [number, string];
  major?: string;
  opportunity?: string;
};

const SCRIPTS: Script[] = [
  // 华东重工 (A, the portal account): raised by its key person
  {
    code: 'hdzg',
    kind: 'product_issue',
    severity: 'high',
    channel: 'portal',
    title: '移动派工 App 无法同步工单',
    description: '今天早上开始，服务工程师的 App 一直提示“同步失败”，现场无法接单。',
    product: '移动派工',
    state: 'soon',
  },
  {
    code: 'hdzg',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'portal',
    title: '备件库存报表数据与 ERP 不一致',
    description: '华东仓 3 月的备件出库数量比 ERP 少 27 件，请协助核对接口。',
    product: '备件管理',
    state: 'done',
    daysAgo: 18,
    reply: '已收到，正在比对接口日志。',
    resolution: '接口重试队列有 27 条积压，已补推并修复重试逻辑。',
    csat: [5, '处理很及时，何经理跟进得很到位'],
  },
  {
    code: 'hdzg',
    kind: 'expert_request',
    severity: 'medium',
    channel: 'meeting',
    title: '希望专家评估服务站布局',
    description: '季度回顾会上提出：华东 23 个服务站的覆盖半径是否合理，希望专家给出优化建议。',
    state: 'open',
    reply: '专家吴峰已安排下周二远程访谈。',
  },
  {
    code: 'hdzg',
    kind: 'new_need',
    severity: 'low',
    channel: 'meeting',
    title: '想了解设备 IoT 预测性维护',
    description: '客户设备处处长希望把 800 台泵车接入远程监控，提前发现液压故障。',
    state: 'open',
    reply: '已约产品经理下周演示 IoT 远程运维方案。',
    opportunity: 'IoT 预测性维护（800 台泵车接入）',
  },
  {
    code: 'hdzg',
    kind: 'product_issue',
    severity: 'low',
    channel: 'portal',
    title: '工单导出 Excel 中文乱码',
    description: '用 WPS 打开导出的工单 Excel，客户名称显示为乱码。',
    state: 'waiting',
    reply: '请问使用的是哪个版本的 WPS？方便提供一份导出文件吗？',
  },
  // other A accounts
  {
    code: 'mkyl',
    kind: 'product_issue',
    severity: 'critical',
    channel: 'phone',
    title: '客户门户登录全部失败',
    description: '所有终端医院用户登录门户提示 502，影响报修。',
    product: '客户门户',
    state: 'breached',
    major: '全部终端医院无法报修，影响临床设备保障',
  },
  {
    code: 'mkyl',
    kind: 'customisation',
    severity: 'medium',
    channel: 'email',
    title: '定制的装机验收单需增加签名栏',
    description: '按合同约定的装机验收单模板，需要增加科室负责人签名栏。',
    state: 'done',
    daysAgo: 25,
    reply: '交付团队已排期。',
    resolution: '模板已更新并在测试环境验收通过。',
    csat: [4, '按合同按时交付'],
  },
  {
    code: 'sldt',
    kind: 'complaint',
    severity: 'high',
    channel: 'phone',
    title: '投诉：维保工单超时三次未处理',
    description: '客户运维总监来电投诉，上周三个电梯困人工单都超时，要求给出整改说明。',
    state: 'open',
    reply: '已致电客户道歉，今天下午提交整改报告。',
  },
  {
    code: 'sldt',
    kind: 'product_issue',
    severity: 'high',
    channel: 'portal',
    title: '电梯困人告警推送延迟',
    description: '物联网告警推送到值班手机延迟 5 分钟以上。',
    product: 'IoT 远程运维',
    state: 'breached',
  },
  {
    code: 'bcdl',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'email',
    title: '巡检计划无法按月自动生成',
    description: '设置的月度巡检计划本月没有自动生成任务。',
    state: 'done',
    daysAgo: 9,
    reply: '已定位为调度任务时区配置问题。',
    resolution: '已修正调度时区，并补生成本月巡检任务。',
    csat: [4, '问题解决了，希望以后提前发现'],
  },
  {
    code: 'grnt',
    kind: 'product_issue',
    severity: 'high',
    channel: 'phone',
    title: '服务商结算单金额计算错误',
    description: '3 家服务商的 10 月结算单里工时费多算了一倍。',
    product: '服务商管理',
    state: 'soon',
  },
  {
    code: 'atzn',
    kind: 'expert_request',
    severity: 'low',
    channel: 'meeting',
    title: '申请服务指标体系梳理',
    description: '客户希望专家帮助建立服务 KPI 体系（首次修复率、备件周转）。',
    state: 'done',
    daysAgo: 30,
    reply: '专家郑凯已完成访谈。',
    resolution: '交付《服务指标体系建议书》并完成宣讲。',
    csat: [5, '很专业，对我们帮助很大'],
  },
  // C accounts
  {
    code: 'lhxny',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'portal',
    title: '储能站点地图加载很慢',
    description: '打开站点地图需要 20 秒以上。',
    state: 'waiting',
    reply: '请提供浏览器版本和网络环境，我们远程复现一下。',
  },
  {
    code: 'kysw',
    kind: 'product_issue',
    severity: 'high',
    channel: 'phone',
    title: '设备装机档案批量导入失败',
    description: '导入 1,200 台设备档案时提示第 356 行格式错误，但看不出问题。',
    product: '工单管理',
    state: 'done',
    daysAgo: 6,
    reply: '第 356 行序列号含全角字符。',
    resolution: '已放宽导入校验并给出明确提示，客户重新导入成功。',
    csat: [3, '解决了，但等了比较久'],
  },
  {
    code: 'xhcn',
    kind: 'customisation',
    severity: 'medium',
    channel: 'email',
    title: '定制储能柜巡检表单字段调整',
    description: '合同中的定制巡检表单需要增加电芯温差字段。',
    state: 'open',
    reply: '交付接口人已确认需求，本周五提交。',
  },
  {
    code: 'rkyx',
    kind: 'product_issue',
    severity: 'critical',
    channel: 'phone',
    title: 'CT 设备远程诊断通道中断',
    description: '远程诊断 VPN 通道断开，工程师无法远程查看设备日志。',
    product: 'IoT 远程运维',
    state: 'soon',
  },
  // B/D accounts
  {
    code: 'hxll',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'portal',
    title: '冷链车温度曲线缺失数据',
    description: '部分车辆夜间温度曲线有 2 小时空白。',
    state: 'done',
    daysAgo: 12,
    reply: '网关夜间断线，已远程重启。',
    resolution: '网关固件升级后数据完整。',
    csat: [4, '不错'],
  },
  {
    code: 'shysj',
    kind: 'product_issue',
    severity: 'low',
    channel: 'email',
    title: '如何设置工单自动派工规则',
    description: '想按区域自动派工，不知道在哪里配置。',
    state: 'done',
    daysAgo: 4,
    reply: '已发送操作手册。',
    resolution: '指导客户完成区域派工规则配置。',
    csat: [5, '讲解清楚'],
  },
  {
    code: 'pcaf',
    kind: 'customisation',
    severity: 'medium',
    channel: 'phone',
    title: '定制报修二维码样式',
    description: '希望报修二维码加上公司 Logo（合同定制项）。',
    state: 'open',
    reply: '已排期，下周交付。',
  },
  {
    code: 'jgqz',
    kind: 'product_issue',
    severity: 'high',
    channel: 'phone',
    title: '起重机保养提醒没有发送',
    description: '本周有 12 台起重机到保养周期，客户没有收到提醒。',
    state: 'breached',
  },
  {
    code: 'hzyq',
    kind: 'complaint',
    severity: 'medium',
    channel: 'email',
    title: '对上次上门服务态度不满',
    description: '客户反映上门工程师迟到 2 小时且未提前通知。',
    state: 'done',
    daysAgo: 15,
    reply: '已向客户致歉并核实情况。',
    resolution: '已对工程师进行服务规范培训，并为客户免费延长一次巡检。',
    csat: [3, '希望以后注意'],
  },
  {
    code: 'mljd',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'portal',
    title: '工程师 App 定位不准',
    description: '工程师签到定位偏差 500 米以上。',
    state: 'soon',
  },
  {
    code: 'cjgd',
    kind: 'new_need',
    severity: 'low',
    channel: 'meeting',
    title: '想增加备件寄修流程',
    description: '客户希望把部分备件改为寄修，需要系统支持寄修单。',
    state: 'open',
    reply: '已转销售王建国跟进方案。',
  },
  {
    code: 'xlhb',
    kind: 'product_issue',
    severity: 'low',
    channel: 'email',
    title: '短信通知签名需要更换',
    description: '公司更名，短信签名需要更换。',
    state: 'done',
    daysAgo: 21,
    reply: '已提交运营商审核。',
    resolution: '新签名已生效。',
    csat: [5, ''],
  },
  {
    code: 'jlfd',
    kind: 'product_issue',
    severity: 'medium',
    channel: 'phone',
    title: '发电机运行小时数统计错误',
    description: '运行小时数比实际多了约 10%。',
    state: 'waiting',
    reply: '请提供两台设备的控制器读数照片，便于比对。',
  },
  // E accounts (channel)
  {
    code: 'fssd',
    kind: 'customisation',
    severity: 'medium',
    channel: 'email',
    title: '定制保修卡打印模板',
    description: '需要按新版保修卡格式打印。',
    state: 'open',
    reply: '渠道实施顾问已联系客户确认格式。',
  },
  {
    code: 'cdsn',
    kind: 'product_issue',
    severity: 'high',
    channel: 'phone',
    title: '暖通机组告警无法关闭',
    description: '已处理的告警仍在首页显示。',
    state: 'done',
    daysAgo: 8,
    reply: '已确认为缓存问题。',
    resolution: '清理缓存并修复告警状态同步。',
    csat: [4, '渠道和厂商配合得好'],
  },
  {
    code: 'sybz',
    kind: 'customisation',
    severity: 'medium',
    channel: 'email',
    title: '定制设备铭牌字段',
    description: '希望在设备档案中增加铭牌图片字段。',
    state: 'open',
  },
];

/** A moment `bizMinutes` business minutes before `now` (the calendar's working time). */
function bizAgo(cal: sla.Calendar, now: Date, bizMinutes: number): Date {
  // business minutes between t and now only shrink as t moves later: search t to the minute
  let lo = now.getTime() - 60 * DAY;
  let hi = now.getTime();
  while (hi - lo > MIN) {
    const mid = Math.floor((lo + hi) / 2);
    if (sla.businessMinutesBetween(cal, new Date(mid), now) >= bizMinutes) lo = mid;
    else hi = mid;
  }
  return new Date(Math.floor(lo / MIN) * MIN);
}

export async function seedServiceDesk(
  tx: Db,
  o: { workspaceId: string; now: number; actor: (k: StaffKey) => StaffActor; accountId: Map<string, string>; staffKeys: StaffKey[] },
) {
  const now = new Date(o.now);
  const manager = o.actor('manager');
  const calendar = { name: '上海工作日历（含 2026 年法定节假日）', ...sla.defaultCalendar('Asia/Shanghai'), ...sla.chinaHolidays2026 };
  await putCalendar(tx, manager, calendar);
  await putPolicies(tx, manager, sla.defaultPolicies());

  const byUser = new Map(o.staffKeys.map((k) => [o.actor(k).userId, o.actor(k)]));
  const [kpRow] = await tx
    .select({ id: keyPersonLogins.id, accountId: keyPersonLogins.accountId, contactId: keyPersonLogins.contactId, name: contacts.name })
    .from(keyPersonLogins)
    .innerJoin(contacts, eq(contacts.id, keyPersonLogins.contactId))
    .where(and(eq(keyPersonLogins.workspaceId, o.workspaceId), eq(keyPersonLogins.email, 'kp1@customer.demo')));
  const kp: KeyPersonActor | null = kpRow
    ? {
        kind: 'key_person',
        workspaceId: o.workspaceId,
        keyPersonId: kpRow.id,
        accountId: kpRow.accountId,
        contactId: kpRow.contactId,
        name: kpRow.name,
        locale: 'zh-CN',
      }
    : null;
  const policies = sla.defaultPolicies();

  let n = 0;
  for (const s of SCRIPTS) {
    n++;
    const accountId = o.accountId.get(s.code);
    if (!accountId) continue;
    const requester = s.code === 'hdzg' && s.channel === 'portal' && kp ? kp : o.actor(s.channel === 'meeting' ? 'csm' : 'aftersales');
    // when it was raised: in business time for the live ones, days ago (at 10:00 Shanghai) for the finished ones
    const [{ tier }] = await tx.select({ tier: accounts.tier }).from(accounts).where(eq(accounts.id, accountId));
    const target = policies.find((p) => p.tier === tier && p.severity === s.severity)!.firstResponseMinutes;
    const at =
      s.state === 'soon'
        ? bizAgo(calendar, now, Math.round(target * 0.85))
        : s.state === 'breached'
          ? bizAgo(calendar, now, 3 * 7.5 * 60 + n * 10)
          : s.state === 'done'
            ? new Date(Math.floor((o.now - (s.daysAgo ?? 5) * DAY + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 + 10 * 3_600_000 + n * 7 * MIN)
            : bizAgo(calendar, now, 120 + n * 15);
    const t = await createTicket(
      tx,
      requester,
      { accountId, title: s.title, description: s.description, kind: s.kind, severity: s.severity, channel: s.channel, product: s.product ?? null },
      at,
    );
    const owner = (t.ownerId && byUser.get(t.ownerId)) || o.actor('aftersales');
    const step = (m: number) => new Date(at.getTime() + m * MIN);
    if (s.major) await markMajor(tx, owner.role === 'after_sales' || owner.role === 'csm' ? owner : manager, t.id, { reason: s.major }, step(20));
    if (s.state === 'soon' || s.state === 'breached') continue;
    if (s.reply) await addMessage(tx, owner, t.id, { body: s.reply, visibility: 'public' }, step(25));
    if (s.state === 'open' && !s.reply) continue;
    if (s.state === 'waiting') {
      await addMessage(tx, owner, t.id, { body: '已在测试环境复现类似现象，等待客户提供材料后继续排查。', visibility: 'internal' }, step(30));
      await pauseTicket(tx, owner, t.id, { reason: '等待客户提供材料' }, step(31));
      continue;
    }
    if (s.opportunity)
      await captureFromTicket(
        tx,
        owner.role === 'channel_implementer' ? o.actor('csm') : owner,
        t.id,
        { title: s.opportunity, amountMinor: 120_000_000, product: 'IoT 远程运维' },
        step(40),
      );
    if (s.state === 'done') {
      await addMessage(tx, owner, t.id, { body: '已定位原因，正在修复，预计今天完成。', visibility: 'internal' }, step(60));
      await resolveTicket(tx, owner, t.id, { resolution: s.resolution! }, step(24 * 60));
      if (s.csat) {
        const by = requester.kind === 'key_person' ? requester : owner;
        await rateTicket(tx, by, t.id, { score: s.csat[0], comment: s.csat[1] || null }, step(26 * 60));
      }
    }
  }
  // the scan that would have run every minute: records the breaches and escalates each once
  return scanSla(tx, now);
}
