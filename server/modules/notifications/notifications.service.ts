// The notification centre: turns what other modules announce into notices for the right people, in the
// channels each chose (bell, mail, the account's IM group), and serves each person's own notices.
import type { Db } from '../../db/client.js';
import { assertStaff, type Actor } from '../../platform/actor.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { invalid } from '../../platform/errors.js';
import { publishLive } from '../../platform/live.js';
import { queueMail } from '../../platform/mail.js';
import { publicUrl } from '../../platform/public-url.js';
import { queueImCard } from '../channels/index.js';
import { findWorkspace, usersByIds } from '../people/index.js';
import {
  channelsFor,
  headline,
  imMarkdown,
  linkOf,
  type ChannelPrefs,
  type NoticeKind,
  noticeKinds,
  type RecordType,
  sendAfterQuietHours,
  urgentKinds,
  validQuietHours,
} from './notifications.domain.js';
import * as repo from './notifications.repo.js';

/** What a subscriber hands over: one happening, the people it concerns. */
export type Notice = {
  kind: NoticeKind;
  userIds: string[];
  title: string;
  params?: Record<string, string | number | null>;
  recordType: RecordType;
  recordId: string;
  accountId: string | null;
  /** names the happening: a redelivered event makes no second notice, mail or card */
  dedupe: string;
};

export async function deliverNotice(db: Db, workspaceId: string, n: Notice, now = new Date()) {
  const ids = [...new Set(n.userIds)].filter(Boolean);
  if (!ids.length) return { inApp: 0, email: 0, im: 0 };
  const [people, ws, prefs] = await Promise.all([
    usersByIds(db, workspaceId, ids),
    findWorkspace(db, workspaceId),
    repo.preferencesOf(db, workspaceId, ids),
  ]);
  const active = people.filter((p) => p.active);
  const prefOf = new Map(prefs.map((p) => [p.userId, p]));
  const tz = ws?.timezone ?? 'UTC';
  const urgent = urgentKinds.has(n.kind);
  const link = linkOf({ recordType: n.recordType, recordId: n.recordId, accountId: n.accountId });
  const url = `${publicUrl()}${link}`;
  const params = n.params ?? {};
  return db.transaction(async (tx) => {
    const chosen = active.map((p) => ({ p, pref: prefOf.get(p.id), ch: channelsFor(n.kind, prefOf.get(p.id)?.channels) }));
    const inserted = await repo.insertNotices(
      tx,
      chosen
        .filter((c) => c.ch.inApp)
        .map((c) => ({
          workspaceId,
          userId: c.p.id,
          kind: n.kind,
          title: n.title,
          params,
          recordType: n.recordType,
          recordId: n.recordId,
          accountId: n.accountId,
          urgent,
          dedupeKey: `${n.dedupe}:${c.p.id}`,
          createdAt: now,
        })),
    );
    let email = 0;
    for (const c of chosen.filter((x) => x.ch.email && x.p.email)) {
      const loc = (c.p.locale ?? ws?.defaultLocale) === 'en' ? 'en' : 'zh-CN';
      const runAt = urgent ? now : sendAfterQuietHours(now, tz, { start: c.pref?.quietStart ?? null, end: c.pref?.quietEnd ?? null });
      const subject = headline(n.kind, n.title, params, loc);
      await queueMail(
        tx,
        workspaceId,
        { to: [{ name: c.p.name, email: c.p.email }], subject, text: `${subject}\n\n${loc === 'zh-CN' ? '打开记录' : 'Open the record'}: ${url}\n` },
        `notice:${n.dedupe}:${c.p.id}:email`,
        runAt > now ? runAt : undefined,
      );
      email++;
    }
    let im = 0;
    const wantIm = chosen.filter((x) => x.ch.im);
    if (wantIm.length) {
      // one card for the group, naming everyone it concerns; it waits for the latest quiet hours among them
      const runAt = urgent
        ? now
        : new Date(
            Math.max(
              ...wantIm.map((c) => sendAfterQuietHours(now, tz, { start: c.pref?.quietStart ?? null, end: c.pref?.quietEnd ?? null }).getTime()),
            ),
          );
      im = await queueImCard(tx, {
        workspaceId,
        accountId: n.accountId,
        title: headline(n.kind, n.title, params, 'zh-CN'),
        markdown: imMarkdown(
          n.kind,
          n.title,
          params,
          wantIm.map((c) => c.p.name),
          url,
        ),
        link: url,
        dedupeKey: `notice:${n.dedupe}:im`,
        urgent,
        runAt: runAt > now ? runAt : undefined,
      });
    }
    if (inserted.length) await publishLive(tx, { topic: 'notice', workspaceId, userIds: inserted.map((r) => r.userId), at: now.toISOString() });
    return { inApp: inserted.length, email, im };
  });
}

// ---- a person's own notices

export async function listMine(db: Db, actor: Actor, q: { unread?: boolean; kinds?: string[]; before?: Date; limit?: number }) {
  assertStaff(actor);
  const items = await repo.listNotices(db, actor.workspaceId, actor.userId, { ...q, limit: q.limit ?? 50 });
  return items.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    params: r.params,
    recordType: r.recordType,
    recordId: r.recordId,
    accountId: r.accountId,
    link: linkOf({ recordType: r.recordType as RecordType, recordId: r.recordId, accountId: r.accountId }),
    urgent: r.urgent,
    readAt: r.readAt,
    createdAt: r.createdAt,
  }));
}

export async function unreadCount(db: Db, actor: Actor) {
  assertStaff(actor);
  return repo.unreadCount(db, actor.workspaceId, actor.userId);
}

export async function markRead(db: Db, actor: Actor, ids: string[] | 'all', now = new Date()) {
  assertStaff(actor);
  const updated = await repo.markRead(db, actor.workspaceId, actor.userId, ids, now);
  if (updated) await publishLive(db, { topic: 'notice', workspaceId: actor.workspaceId, userIds: [actor.userId], at: now.toISOString() });
  return updated;
}

export async function getPreferences(db: Db, actor: Actor) {
  assertStaff(actor);
  const [p] = await repo.preferencesOf(db, actor.workspaceId, [actor.userId]);
  return {
    kinds: noticeKinds.map((kind) => ({ kind, urgent: urgentKinds.has(kind), ...channelsFor(kind, p?.channels) })),
    quietStart: p?.quietStart ?? null,
    quietEnd: p?.quietEnd ?? null,
    version: p?.version ?? 0,
  };
}

export async function setPreferences(
  db: Db,
  actor: Actor,
  input: { kinds?: ({ kind: NoticeKind } & ChannelPrefs)[]; quietStart?: string | null; quietEnd?: string | null },
  expectedVersion?: number,
) {
  assertStaff(actor);
  // one person's own record (another tab of theirs may have saved it): no audit entry names who
  const entity = { type: 'notification_preferences', id: actor.userId, noun: 'notification_prefs.noun' };
  const [current] = await repo.preferencesOf(db, actor.workspaceId, [actor.userId]);
  await assertFresh(db, actor.workspaceId, entity, current?.version ?? 0, expectedVersion);
  const quietStart = input.quietStart === undefined ? (current?.quietStart ?? null) : input.quietStart;
  const quietEnd = input.quietEnd === undefined ? (current?.quietEnd ?? null) : input.quietEnd;
  if (!validQuietHours(quietStart, quietEnd))
    throw invalid('notifications.bad_quiet_hours', {}, [{ field: quietStart == null ? 'quietStart' : 'quietEnd', message: 'HH:mm–HH:mm' }]);
  const channels = { ...(current?.channels ?? {}) };
  for (const k of input.kinds ?? []) channels[k.kind] = { inApp: k.inApp, email: k.email, im: k.im };
  const saved = await repo.savePreferences(
    db,
    { userId: actor.userId, workspaceId: actor.workspaceId, channels, quietStart, quietEnd },
    expectedVersion,
  );
  if (!saved) throw await staleError(db, actor.workspaceId, entity);
  return getPreferences(db, actor);
}
