/**
 * The demo's precise outreach (issue 18, seed 002): consents of the A/C accounts' contacts with their source,
 * a conference follow-up mail sent twelve days ago, a salon invitation on the portal three days ago, and a
 * draft product launch for the renewal-risk segment; then the workspace's rules (2 touches a week, quiet
 * hours 21:00–08:00, opt-in required). Sent the way the product sends: planned, batched and decided under
 * the caps by the send job's own handler; the outbox mails are marked delivered (the demo has no SMTP).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { MAIL_JOB } from '../platform/mail.js';
import { jobs } from '../platform/platform.table.js';
import { OUTREACH_BATCH_JOB, outreachBatchHandler, outreachService } from '../modules/outreach/index.js';
import { campaignRecipients, campaigns, outreachConsents, outreachMessages, outreachPeople, outreachTouches } from '../db/schema.js';

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
    body: '{{name}} 您好：\n\n感谢 {{account}} 对年度客户运营大会的支持。大会的演讲资料和标杆客户案例已整理完毕，欢迎登录客户门户查看。\n\n如需安排专场交流，请直接回复本邮件。',
  });
  await outreachService.sendCampaign(tx, manager, conference.id);
  await runSend(tx, workspaceId, conference.id);
  await backdate(tx, workspaceId, conference.id, 12);

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

  const settings = await outreachService.getSettings(tx, manager);
  await outreachService.putSettings(
    tx,
    manager,
    { capCount: 2, capDays: 7, quietStart: '21:00', quietEnd: '08:00', requireOptIn: true },
    settings.version,
  );
}
