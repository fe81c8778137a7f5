import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertStaff } from '../../platform/actor.js';
import { FOLLOW_UP_DUE_DAYS, myAccountsAtRisk, myOpenFollowUps } from '../kpi/index.js';
import { myMeetingsToday, myOpenActionItems } from '../meetings/index.js';
import { myTicketQueue } from '../service-desk/index.js';

export const WORKBENCH_TOP = 10;

/**
 * 工作台: what the signed-in staff member has to do, composed from the modules that own it — the
 * ticket queue (service desk), open action items and today's meetings (meetings), accounts at risk
 * and follow-ups (health). Each module applies its own permission and tenancy rules.
 */
export async function getWorkbench(db: Db, actor: Actor, now = new Date()) {
  assertStaff(actor);
  const [queue, actions, atRisk, followUps, today] = await Promise.all([
    myTicketQueue(db, actor, { limit: WORKBENCH_TOP }, now),
    myOpenActionItems(db, actor, now),
    myAccountsAtRisk(db, actor, { limit: WORKBENCH_TOP }, now),
    myOpenFollowUps(db, actor, { limit: WORKBENCH_TOP }, now),
    myMeetingsToday(db, actor, now),
  ]);
  return {
    generatedAt: now,
    queue,
    actionItems: {
      total: actions.length,
      overdue: actions.filter((a) => a.overdue).length,
      items: actions.slice(0, WORKBENCH_TOP).map((a) => ({
        id: a.id,
        title: a.title,
        meetingId: a.meetingId,
        meetingTitle: a.meetingTitle,
        accountId: a.accountId,
        accountName: a.accountName,
        dueOn: a.dueOn,
        dueAt: a.dueAt,
        overdue: a.overdue,
        escalatedAt: a.escalatedAt,
      })),
    },
    atRisk,
    followUps: { ...followUps, dueDays: FOLLOW_UP_DUE_DAYS },
    meetingsToday: {
      date: today.date,
      timezone: today.timezone,
      total: today.items.length,
      items: today.items.map((m) => ({
        id: m.id,
        title: m.title,
        kind: m.kind,
        status: m.status,
        startsAt: m.startsAt,
        endsAt: m.endsAt,
        location: m.location,
        accountId: m.accountId,
        accountName: m.accountName,
        organizerName: m.organizerName,
      })),
    },
  };
}
