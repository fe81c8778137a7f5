/**
 * The demo's precise outreach (issue 18, seed 002): consents of the A/C accounts' contacts with their source,
 * a conference follow-up mail sent twelve days ago, a salon invitation on the portal three days ago, and a
 * draft product launch for the renewal-risk segment; then the workspace's rules (2 touches a week, quiet
 * hours 21:00–08:00, opt-in required). Sent the way the product sends: planned, batched and decided under
 * the caps by the send job's own handler; the outbox mails are marked delivered (the demo has no SMTP).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import { createContact } from '../modules/accounts/index.js';
import type { StaffActor } from '../platform/actor.js';
import { MAIL_JOB } from '../platform/mail.js';
import { jobs } from '../platform/platform.table.js';
import { OUTREACH_BATCH_JOB, outreachBatchHandler, outreachMeasuresRepo, outreachPeopleService, outreachService } from '../modules/outreach/index.js';
import {
  campaignRecipients,
  campaigns,
  outreachConsents,
  outreachMessages,
  outreachPeople,
  outreachTouches,
  outreachTracking,
} from '../db/schema.js';

const DAY = 86_400_000;

/** Runs a campaign's queued send batches now, as the job runner would, then files the jobs as done. */
async function runSend(tx: Db, workspaceId: string, campaignId: string) {
  const batch = outreachBatchHandler();
  const queued = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, OUTREACH_BATCH_JOB), eq(jobs.workspaceId, workspaceId), sql`${jobs.payload}->>'campaignId' = ${campaignId}`));
  for (const j of queued) await batch(tx, { id: j.id, workspace_id: j.workspaceId, kind: j.kind, payload: j.payload, attempts: 0, max_attempts: 5 });
  await tx
    .update(jobs)
    .set({ status: 'done', finishedAt: new Date() })
    .where(
      and(
        eq(jobs.workspaceId, workspaceId),
        inArray(
          jobs.id,
          queued.map((j) => j.id),
        ),
      ),
    );
  await tx
    .update(jobs)
    .set({ status: 'done', finishedAt: new Date() })
    .where(and(eq(jobs.kind, MAIL_JOB), eq(jobs.workspaceId, workspaceId), sql`${jobs.dedupeKey} like ${`outreach:${campaignId}:%`}`));
}

/** Moves a sent campaign's record back in time by `days` (as if sent then). */
async function backdate(tx: Db, workspaceId: string, campaignId: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  await tx
    .update(campaigns)
    .set({
      createdAt: sql`${campaigns.createdAt} - ${shift} - interval '2 days'`,
      sentAt: sql`${campaigns.sentAt} - ${shift}`,
      updatedAt: sql`${campaigns.updatedAt} - ${shift}`,
    })
    .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, campaignId)));
  await tx
    .update(campaignRecipients)
    .set({ sentAt: sql`${campaignRecipients.sentAt} - ${shift}`, updatedAt: sql`${campaignRecipients.updatedAt} - ${shift}` })
    .where(and(eq(campaignRecipients.workspaceId, workspaceId), eq(campaignRecipients.campaignId, campaignId)));
  await tx
    .update(outreachTouches)
    .set({ at: sql`${outreachTouches.at} - ${shift}` })
    .where(and(eq(outreachTouches.workspaceId, workspaceId), eq(outreachTouches.campaignId, campaignId)));
  await tx
    .update(outreachTracking)
    .set({ sentAt: sql`${outreachTracking.sentAt} - ${shift}` })
    .where(and(eq(outreachTracking.workspaceId, workspaceId), eq(outreachTracking.campaignId, campaignId)));
  await tx
    .update(outreachMessages)
    .set({ createdAt: sql`${outreachMessages.createdAt} - ${shift}` })
    .where(and(eq(outreachMessages.workspaceId, workspaceId), eq(outreachMessages.campaignId, campaignId)));
  await tx.execute(sql`update ${outreachPeople} p set last_touch_at = t.at
    from (select contact_id, max(at) as at from ${outreachTouches} where workspace_id = ${workspaceId} group by contact_id) t
    where p.workspace_id = ${workspaceId} and p.contact_id = t.contact_id`);
}

export async function seedOutreach(tx: Db, o: { workspaceId: string; now: number; staff: StaffActor[]; keyPersonContactIds: string[] }) {
  const manager = o.staff.find((s) => s.role === 'manager')!;
  const { workspaceId } = o;
  // the contacts of the A and C accounts, in a stable order
  const people = await queryRows<{ id: string; tier: string }>(
    tx,
    sql`select c.id, a.tier from contacts c join accounts a on a.workspace_id = c.workspace_id and a.id = c.account_id
      where c.workspace_id = ${workspaceId} and a.tier in ('A', 'C') and c.archived_at is null order by a.name, c.name`,
  );
  // consent: most opted in through the conference sign-up form, some on the phone with their CSM, a few
  // unsubscribed from an earlier mail; the rest were never asked
  for (const [i, p] of people.entries()) {
    const kind = i % 10;
    if (kind === 9) continue;
    if (kind === 7) {
      await outreachService.recordConsent(tx, manager, p.id, { channel: 'email', granted: true, source: 'form' });
      await outreachService.recordConsent(tx, manager, p.id, {
        channel: 'email',
        granted: false,
        source: 'staff',
        note: '客户来电表示暂不需要资讯邮件',
      });
      continue;
    }
    await outreachService.recordConsent(tx, manager, p.id, {
      channel: 'email',
      granted: true,
      source: kind < 5 ? 'form' : 'staff',
      note: kind < 5 ? '年度客户运营大会报名表勾选接收资讯' : '季度例会上口头同意',
    });
  }
  for (const id of o.keyPersonContactIds) {
    await outreachService.recordConsent(tx, manager, id, { channel: 'portal', granted: true, source: 'form', note: '首次登录门户时同意接收消息' });
  }
  // backdate the consents to before the sends
  await tx
    .update(outreachConsents)
    .set({ at: sql`${outreachConsents.at} - interval '30 days'` })
    .where(eq(outreachConsents.workspaceId, workspaceId));

  const conference = await outreachService.createCampaign(tx, manager, {
    name: '年度客户运营大会回顾',
    channel: 'email',
    audience: { conditions: [{ field: 'tier', values: ['A', 'C'] }], contactIds: [] },
    subject: '{{name}}，年度客户运营大会的资料已上线',
    body: '{{name}} 您好：\n\n感谢 {{account}} 对年度客户运营大会的支持。大会的演讲资料和标杆客户案例已整理完毕：https://keyward.cn/conference-2026\n\n如需安排专场交流，请直接回复本邮件。也欢迎把大会资料转给同行：{{referral_link}}',
  });
  await outreachService.sendCampaign(tx, manager, conference.id);
  await runSend(tx, workspaceId, conference.id);
  await backdate(tx, workspaceId, conference.id, 12);
  await conferenceResponses(tx, workspaceId, conference.id, o.now);

  if (o.keyPersonContactIds.length) {
    const salon = await outreachService.createCampaign(tx, manager, {
      name: '智能制造沙龙（上海站）邀请',
      channel: 'portal',
      audience: { conditions: [], contactIds: o.keyPersonContactIds },
      subject: '诚邀参加智能制造数字化转型沙龙（上海站）',
      body: '{{name}} 您好：\n\n我们将于下月举办智能制造数字化转型沙龙，届时有标杆客户的现场分享与专家答疑。期待 {{account}} 的各位参加，报名请在“需求互动”中留言。',
      cap: { count: 1, days: 7 },
    });
    await outreachService.sendCampaign(tx, manager, salon.id);
    await runSend(tx, workspaceId, salon.id);
    await backdate(tx, workspaceId, salon.id, 3);
  }

  await outreachService.createCampaign(tx, manager, {
    name: '设备预测性维护套件上新',
    channel: 'email',
    audience: { conditions: [{ field: 'tag', values: ['续约风险'] }], contactIds: [] },
    subject: '{{account}} 的设备停机还能再少三成',
    body: '{{name}} 您好：\n\n新上市的设备预测性维护套件基于振动与温度数据提前发现故障，平均减少 30% 非计划停机。我们可以为 {{account}} 安排一次免费评估。',
    cap: { count: 1, days: 30 },
    scheduledAt: new Date(o.now + 5 * DAY).toISOString(),
  });

  // people: behaviour rules and the tags they give (with their evidence), stages moved by them, and a few tags by hand
  for (const r of [
    { name: '门户活跃用户', kind: 'portal_views' as const, minCount: 2, days: 60, tag: '门户活跃', stage: 'interest' as const, enabled: true },
    { name: '近一年签约', kind: 'purchases' as const, minCount: 1, days: 365, tag: '近期采购', stage: 'purchase' as const, enabled: true },
    { name: '多次报修', kind: 'tickets' as const, minCount: 2, days: 180, tag: '服务高频', stage: null, enabled: true },
  ]) {
    await outreachPeopleService.createRule(tx, manager, r);
  }
  await outreachPeopleService.runRules(tx, manager);
  for (const [i, p] of people.entries()) {
    if (i % 4 === 0) await outreachPeopleService.addTag(tx, manager, p.id, { tag: '大会参会', note: '年度客户运营大会签到' });
    if (i % 9 === 2) await outreachPeopleService.addTag(tx, manager, p.id, { tag: '技术决策人', note: '例会上确认负责技术选型' });
  }

  await seedEndUsers(tx, o, manager);

  const settings = await outreachService.getSettings(tx, manager);
  await outreachService.putSettings(
    tx,
    manager,
    { capCount: 2, capDays: 7, quietStart: '21:00', quietEnd: '08:00', requireOptIn: true },
    settings.version,
  );
}

/**
 * What the conference mail brought, as recorded by its links: every mail handed to the mail server, about two
 * in three opened within two days, one in four clicked the materials, and two colleagues referred by a reader.
 */
async function conferenceResponses(tx: Db, workspaceId: string, campaignId: string, now: number) {
  const sent = await queryRows<{ contact_id: string; sent_at: Date }>(
    tx,
    sql`select contact_id, sent_at from outreach_tracking where workspace_id = ${workspaceId} and campaign_id = ${campaignId} order by contact_id`,
  );
  for (const [i, r] of sent.entries()) {
    const at = new Date(r.sent_at).getTime();
    await outreachMeasuresRepo.markDelivered(tx, workspaceId, campaignId, r.contact_id, new Date(at + 40_000));
    if (i % 3 !== 2) await outreachMeasuresRepo.markOpened(tx, workspaceId, campaignId, r.contact_id, new Date(at + (1 + (i % 40)) * 3_600_000));
    if (i % 4 === 0) await outreachMeasuresRepo.markClicked(tx, workspaceId, campaignId, r.contact_id, 0, new Date(at + (2 + (i % 40)) * 3_600_000));
  }
  const [referrer] = sent;
  if (!referrer) return;
  for (const [k, lead] of [
    { name: '陈立', email: 'chen.li@xinhe-tech.demo', company: '鑫和科技' },
    { name: '方敏', phone: '13900001234', company: '远航物流' },
  ].entries()) {
    await outreachMeasuresRepo.insertReferral(tx, {
      workspaceId,
      referrerContactId: referrer.contact_id,
      campaignId,
      name: lead.name,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      company: lead.company,
      consent: true,
      consentText: '我同意对方保存我的联系方式并与我联系。',
      at: new Date(Math.min(now - DAY, new Date(referrer.sent_at).getTime() + (3 + k) * DAY)),
    });
  }
}

/** The end users of 美凌家电's appliance service (the demo's to-C example): who they are, where they stand. */
const END_USERS: { name: string; stage: 'contact' | 'interest' | 'purchase' | 'repurchase' | 'loyalty'; tags: string[] }[] = [
  ...['周女士', '吴先生', '郑女士', '冯先生', '陈女士', '褚先生', '卫女士', '蒋先生', '沈女士', '韩先生'].map((name, i) => ({
    name,
    stage: 'contact' as const,
    tags: i % 3 === 0 ? ['延保到期'] : [],
  })),
  ...['杨女士', '朱先生', '秦女士', '尤先生', '许女士', '何先生', '吕女士', '施先生'].map((name, i) => ({
    name,
    stage: 'interest' as const,
    tags: i % 2 === 0 ? ['以旧换新意向'] : ['延保到期'],
  })),
  ...['张女士', '孔先生', '曹女士', '严先生', '华女士', '金先生'].map((name, i) => ({
    name,
    stage: 'purchase' as const,
    tags: i % 2 === 0 ? ['以旧换新意向', '会员日参与'] : ['会员日参与'],
  })),
  ...['魏女士', '陶先生', '姜女士', '戚先生'].map((name) => ({ name, stage: 'repurchase' as const, tags: ['会员日参与'] })),
  ...['谢女士', '邹先生'].map((name) => ({ name, stage: 'loyalty' as const, tags: ['会员日参与', '推荐达人'] })),
];

/**
 * 美凌家电 serves households: its end users are people of their own — to-C stages from 接触 to 忠诚, tags, email
 * consent — and a member-day campaign to those who showed interest or bought went out five days ago.
 */
async function seedEndUsers(tx: Db, o: { workspaceId: string; now: number; staff: StaffActor[] }, manager: StaffActor) {
  const [acc] = await queryRows<{ id: string }>(
    tx,
    sql`select id from accounts where workspace_id = ${o.workspaceId} and name = '美凌家电服务有限公司'`,
  );
  if (!acc) return;
  const ids: string[] = [];
  for (const [i, u] of END_USERS.entries()) {
    const c = await createContact(tx, manager, acc.id, {
      name: u.name,
      title: '家电会员',
      department: '终端用户',
      email: `member${String(i + 1).padStart(2, '0')}@mljd-members.demo`,
      side: 'other',
      orgGroups: [],
      isKeyPerson: false,
      notes: null,
    });
    ids.push(c.id);
    const p = await outreachPeopleService.portrait(tx, manager, c.id);
    await outreachPeopleService.putProfile(tx, manager, c.id, { stage: u.stage, timeZone: null, note: '会员系统导入' }, p.version);
    for (const tag of u.tags) await outreachPeopleService.addTag(tx, manager, c.id, { tag, note: '会员系统标签' });
    if (i % 8 !== 7)
      await outreachService.recordConsent(tx, manager, c.id, { channel: 'email', granted: true, source: 'form', note: '注册会员时勾选接收优惠信息' });
  }
  await tx
    .update(outreachConsents)
    .set({ at: sql`${outreachConsents.at} - interval '40 days'` })
    .where(and(eq(outreachConsents.workspaceId, o.workspaceId), inArray(outreachConsents.contactId, ids)));
  const day = await outreachService.createCampaign(tx, manager, {
    name: '美凌家电会员日·以旧换新季',
    channel: 'email',
    audience: { conditions: [], contactIds: [], personStages: ['interest', 'purchase', 'repurchase'] },
    subject: '{{name}}，会员日以旧换新最高补贴 800 元',
    body: '{{name}} 您好：\n\n美凌家电会员日开始了：旧机上门回收、以旧换新最高补贴 800 元，延保用户再享一次免费清洗。详情：https://mljd.example.cn/member-day\n\n邀请好友一起换新：{{referral_link}}',
  });
  await outreachService.sendCampaign(tx, manager, day.id);
  await runSend(tx, o.workspaceId, day.id);
  await backdate(tx, o.workspaceId, day.id, 5);
  const sent = await queryRows<{ contact_id: string; sent_at: Date }>(
    tx,
    sql`select contact_id, sent_at from outreach_tracking where workspace_id = ${o.workspaceId} and campaign_id = ${day.id} order by contact_id`,
  );
  for (const [i, r] of sent.entries()) {
    const at = new Date(r.sent_at).getTime();
    await outreachMeasuresRepo.markDelivered(tx, o.workspaceId, day.id, r.contact_id, new Date(at + 30_000));
    if (i % 4 !== 3) await outreachMeasuresRepo.markOpened(tx, o.workspaceId, day.id, r.contact_id, new Date(at + (2 + i) * 3_600_000));
    if (i % 2 === 0) await outreachMeasuresRepo.markClicked(tx, o.workspaceId, day.id, r.contact_id, 0, new Date(at + (3 + i) * 3_600_000));
  }
  if (sent[0]) {
    await outreachMeasuresRepo.insertReferral(tx, {
      workspaceId: o.workspaceId,
      referrerContactId: sent[0].contact_id,
      campaignId: day.id,
      name: '刘女士',
      phone: '13700005678',
      email: null,
      company: null,
      consent: true,
      consentText: '我同意对方保存我的联系方式并与我联系。',
      at: new Date(new Date(sent[0].sent_at).getTime() + 2 * DAY),
    });
  }
}
