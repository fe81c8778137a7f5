/**
 * The demo's communication mechanism (SPEC §5): a periodic "customer status & needs analysis" every half
 * month per A account (past ones held, one with Chinese minutes and a summary), the key-moment meetings
 * the service desk's complaint and major issue call for (the complaint one held three days ago with
 * minutes, a summary and an action item that is now overdue), and an ad-hoc meeting later today. Goes through the
 * services and the same scan the job runner uses.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { queryRows, type Db } from '../db/client.js';
import type { StaffActor } from '../platform/actor.js';
import { createMeeting, scanMeetings, summariseMeeting } from '../modules/meetings/index.js';
import { meetings } from '../db/schema.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function seedMeetings(tx: Db, o: { workspaceId: string; now: number; staff: StaffActor[] }) {
  const byId = new Map(o.staff.map((s) => [s.userId, s]));
  const manager = o.staff.find((s) => s.role === 'manager')!;
  const accs = await queryRows<{
    id: string;
    name: string;
    sales_id: string | null;
    delivery_id: string | null;
    after_sales_id: string | null;
    csm_id: string | null;
  }>(
    tx,
    sql`select id, name, sales_id, delivery_id, after_sales_id, csm_id from accounts where workspace_id = ${o.workspaceId} and tier = 'A' order by name`,
  );
  // 10:00 Asia/Shanghai (02:00 UTC), about five weeks back, on the 1st/16th rhythm
  const day0 = new Date(o.now - 35 * DAY);
  const first = new Date(Date.UTC(day0.getUTCFullYear(), day0.getUTCMonth(), day0.getUTCDate(), 2, 0));
  const periodicIds: string[] = [];
  for (const [i, a] of accs.entries()) {
    const organizer = (a.csm_id && byId.get(a.csm_id)) || manager;
    const team = [a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id].filter((x): x is string => !!x && x !== organizer.userId && byId.has(x));
    const start = new Date(first.getTime() + (i % 3) * HOUR);
    const r = await createMeeting(tx, organizer, {
      accountId: a.id,
      kind: 'periodic',
      cause: 'status_review',
      title: `${a.name}·客户现状及需求分析（每半月）`,
      agenda: '1. 上期行动项回顾\n2. 客户业务现状与近期变化\n3. 新需求与商机\n4. 下期重点',
      location: '腾讯会议',
      startsAt: start,
      endsAt: new Date(start.getTime() + HOUR),
      attendeeIds: team,
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=8',
    });
    periodicIds.push(r.id);
  }
  // occurrences in the past were held
  await tx
    .update(meetings)
    .set({ status: 'held' })
    .where(and(eq(meetings.workspaceId, o.workspaceId), eq(meetings.kind, 'periodic'), lt(meetings.endsAt, new Date(o.now))));

  // one held periodic meeting with minutes in Chinese, summarised offline
  if (accs.length) {
    const [last] = await queryRows<{ id: string; starts_at: string | Date }>(
      tx,
      sql`select id, starts_at from meetings where workspace_id = ${o.workspaceId} and account_id = ${accs[0].id} and kind = 'periodic' and ends_at < ${new Date(o.now).toISOString()}::timestamptz order by starts_at desc limit 1`,
    );
    if (last) {
      const names = await attendeeNames(tx, last.id);
      await tx
        .update(meetings)
        .set({
          minutes: `客户现状：一期系统运行稳定，月均工单量下降 18%，客户运维总监对交付质量表示认可。
客户透露明年预算将向移动派工倾斜，二期立项预计在下季度启动。
会议决定：由我方牵头在两周内完成二期需求调研，并同步准备标杆案例参观。
${names.delivery ?? names.any}负责在下周五前提交二期需求调研提纲。
${names.sales ?? names.any}跟进客户采购流程，截止${monthDay(new Date(o.now + 20 * DAY))}确认二期预算口径。`,
          minutesUpdatedAt: new Date(new Date(last.starts_at).getTime() + 2 * HOUR),
          summaryStatus: 'pending',
        })
        .where(eq(meetings.id, last.id));
      await summariseMeeting(tx, o.workspaceId, last.id, null);
    }
  }

  // key moments from the service desk (complaint, major issue) become meetings with the iron triangle
  await scanMeetings(tx, new Date(o.now));
  const [complaint] = await queryRows<{ id: string }>(
    tx,
    sql`select id from meetings where workspace_id = ${o.workspaceId} and kind = 'key_moment' and cause = 'complaint' order by created_at limit 1`,
  );
  if (complaint) {
    const held = new Date(o.now - 3 * DAY);
    const start = new Date(Date.UTC(held.getUTCFullYear(), held.getUTCMonth(), held.getUTCDate(), 6, 0));
    await tx
      .update(meetings)
      .set({ startsAt: start, endsAt: new Date(start.getTime() + HOUR), status: 'held', reminderSentAt: start })
      .where(eq(meetings.id, complaint.id));
    const names = await attendeeNames(tx, complaint.id);
    await tx
      .update(meetings)
      .set({
        minutes: `投诉复盘：上周三个电梯困人工单均超时，原因是夜间值班派单规则未覆盖该区域。
客户运维总监要求书面整改说明，并希望每周同步一次进展。
会议决定：立即调整夜间派单规则，该客户升级为一票到底由客户成功经理跟进。
${names.after_sales ?? names.any}负责在明天前提交整改报告。
${names.csm ?? names.any}跟进下周三前与客户运维总监回访，确认整改效果。`,
        minutesUpdatedAt: new Date(start.getTime() + 2 * HOUR),
        summaryStatus: 'pending',
      })
      .where(eq(meetings.id, complaint.id));
    await summariseMeeting(tx, o.workspaceId, complaint.id, null);
  }

  // an ad-hoc meeting on a big change inside a customer, later today (Asia/Shanghai) so the workbench has a meeting today
  if (accs[1]) {
    const local = DateTime.fromMillis(o.now, { zone: 'Asia/Shanghai' });
    const next = local.plus({ hours: 1 }).startOf('hour');
    const start = (next.hasSame(local, 'day') ? next : local.startOf('hour').minus({ hours: 1 })).toJSDate();
    await createMeeting(tx, manager, {
      accountId: accs[1].id,
      kind: 'ad_hoc',
      cause: 'customer_change',
      title: `${accs[1].name}·客户信息化负责人变更应对`,
      agenda: '1. 新负责人背景与关注点\n2. 关系地图调整\n3. 拜访安排',
      startsAt: start,
      endsAt: new Date(start.getTime() + HOUR),
      attendeeIds: [accs[1].sales_id, accs[1].csm_id].filter((x): x is string => !!x && byId.has(x) && x !== manager.userId),
    });
  }
  return { periodicSeries: periodicIds.length };
}

function monthDay(d: Date) {
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

async function attendeeNames(tx: Db, meetingId: string) {
  const rows = await queryRows<{ name: string; role: string }>(
    tx,
    sql`select u.name, u.role from meeting_attendees a join users u on u.id = a.user_id where a.meeting_id = ${meetingId} order by u.name`,
  );
  const out: Record<string, string> & { any: string } = { any: rows[0]?.name ?? '客户成功经理' };
  for (const r of rows) out[r.role] ??= r.name;
  return out;
}
