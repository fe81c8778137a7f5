import type { Db } from '../../db/client.js';
import type { Actor, KeyPersonActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { enqueueSeries, RescheduleJob, type JobRow } from '../../platform/jobs.js';
import { queueMails } from '../../platform/mail.js';
import { publicUrl } from '../../platform/public-url.js';
import { audienceContacts, findContact, loadVisibleAccount } from '../accounts/index.js';
import { workspaceTimeZone } from '../people/index.js';
import {
  capAllows,
  nextSendableAt,
  readToken,
  reasonBeforeCap,
  render,
  tokenValid,
  unknownVariables,
  unsubscribeToken,
  type CampaignStatus,
  type Channel,
  type ExcludeReason,
} from './outreach.domain.js';
import { referralUrl, trackedContents } from './measures.service.js';
import * as repo from './outreach.repo.js';
import { audienceQueryOf } from './people.repo.js';
import type { Audience } from './outreach.table.js';

export const OUTREACH_BATCH_JOB = 'outreach.batch';
/** recipients per send job: each job is one unit of retry */
export const BATCH_SIZE = 100;
const DAY = 86_400_000;

// ---- settings
const settingsOut = (s: repo.SettingsRow) => ({
  capCount: s.capCount,
  capDays: s.capDays,
  quietStart: s.quietStart,
  quietEnd: s.quietEnd,
  requireOptIn: s.requireOptIn,
  attributionDays: s.attributionDays,
  version: s.version,
});
export type SettingsInput = {
  capCount: number;
  capDays: number;
  quietStart: string | null;
  quietEnd: string | null;
  requireOptIn: boolean;
  /** measures: the attribution window; left out = unchanged */
  attributionDays?: number;
};

export async function getSettings(db: Db, actor: Actor) {
  assertCan(actor, 'outreach.read');
  return settingsOut(await repo.ensureSettings(db, actor.workspaceId));
}

export async function putSettings(db: Db, actor: Actor, s: SettingsInput, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  if ((s.quietStart === null) !== (s.quietEnd === null)) {
    throw invalid('outreach.quiet_pair', {}, [{ field: s.quietStart === null ? 'quietStart' : 'quietEnd', message: 'outreach.quiet_pair' }]);
  }
  const entity = { type: 'outreach_settings', id: actor.workspaceId, noun: 'outreach_settings.noun' };
  await repo.ensureSettings(db, actor.workspaceId);
  return db.transaction(async (tx) => {
    const before = settingsOut((await repo.findSettings(tx, actor.workspaceId))!);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const version = await repo.saveSettings(tx, actor.workspaceId, s, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'outreach.settings', entityType: 'outreach_settings', entityId: actor.workspaceId, before, after: s });
    return { ...s, attributionDays: s.attributionDays ?? before.attributionDays, version };
  });
}

// ---- consents
export async function visibleContact(db: Db, actor: Actor, contactId: string) {
  const c = await findContact(db, actor.workspaceId, contactId);
  if (!c) throw notFound('contact.noun');
  try {
    await loadVisibleAccount(db, actor, c.accountId);
  } catch (e) {
    throw e instanceof AppError && e.code === 'not_found' ? notFound('contact.noun') : e;
  }
  return c;
}

const consentOut = (r: Awaited<ReturnType<typeof repo.consentHistory>>[number]) => ({
  id: r.id,
  channel: r.channel as Channel,
  granted: r.granted,
  source: r.source,
  note: r.note,
  recordedBy: r.recordedBy,
  at: r.at.toISOString(),
});

export async function listConsents(db: Db, actor: Actor, contactId: string) {
  assertCan(actor, 'outreach.read');
  await visibleContact(db, actor, contactId);
  const history = (await repo.consentHistory(db, actor.workspaceId, contactId)).map(consentOut);
  const current = { email: history.find((h) => h.channel === 'email') ?? null, portal: history.find((h) => h.channel === 'portal') ?? null };
  return { current, history };
}

export async function recordConsent(
  db: Db,
  actor: Actor,
  contactId: string,
  input: { channel: Channel; granted: boolean; source: 'staff' | 'form' | 'import'; note?: string | null },
) {
  assertCan(actor, 'outreach.consent');
  await visibleContact(db, actor, contactId);
  return db.transaction(async (tx) => {
    // under the person's lock, as the unsubscribe: a send in flight either finished before or sees this
    await repo.lockPerson(tx, actor.workspaceId, contactId);
    const row = await repo.insertConsent(tx, {
      workspaceId: actor.workspaceId,
      contactId,
      channel: input.channel,
      granted: input.granted,
      source: input.source,
      note: input.note ?? null,
      recordedBy: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'outreach.consent', entityType: 'contact', entityId: contactId, after: input });
    return consentOut(row);
  });
}

/** Whether an unsubscribe token is genuine (its page shows the button only then); records nothing. */
export async function tokenIsGenuine(db: Db, token: string): Promise<boolean> {
  const t = readToken(token);
  if (!t) return false;
  const s = await repo.findSettings(db, t.workspaceId);
  return !!s && tokenValid(s.unsubscribeSecret, t);
}

/** One-click unsubscribe: a valid token records the withdrawal at once (a repeat records nothing new). */
export async function unsubscribe(db: Db, token: string): Promise<boolean> {
  const t = readToken(token);
  if (!t) return false;
  const s = await repo.findSettings(db, t.workspaceId);
  if (!s || !tokenValid(s.unsubscribeSecret, t)) return false;
  const c = await findContact(db, t.workspaceId, t.contactId);
  if (!c) return false;
  await db.transaction(async (tx) => {
    // under the person's lock: a send of this person either finished before or sees the withdrawal
    await repo.lockPerson(tx, t.workspaceId, t.contactId);
    const cur = (await repo.currentConsents(tx, t.workspaceId, [t.contactId], t.channel)).get(t.contactId);
    if (cur && !cur.granted) return;
    await repo.insertConsent(tx, {
      workspaceId: t.workspaceId,
      contactId: t.contactId,
      channel: t.channel,
      granted: false,
      source: 'unsubscribe_link',
    });
  });
  return true;
}

// ---- campaigns
export type CampaignInput = {
  name: string;
  channel: Channel;
  audience: Audience;
  subject: string;
  body: string;
  cap?: { count: number; days: number } | null;
  scheduledAt?: string | null;
};

const campaignOut = (c: repo.CampaignRow) => ({
  id: c.id,
  name: c.name,
  channel: c.channel as Channel,
  audience: c.audience,
  subject: c.subject,
  body: c.body,
  cap: c.capCount !== null && c.capDays !== null ? { count: c.capCount, days: c.capDays } : null,
  scheduledAt: c.scheduledAt?.toISOString() ?? null,
  status: c.status as CampaignStatus,
  sentAt: c.sentAt?.toISOString() ?? null,
  createdBy: c.createdBy,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
});

function checkContent(input: Partial<CampaignInput>) {
  for (const field of ['subject', 'body'] as const) {
    const bad = input[field] === undefined ? [] : unknownVariables(input[field]!);
    if (bad.length) throw invalid('outreach.unknown_variable', { name: bad[0] }, [{ field, message: 'outreach.unknown_variable' }]);
  }
  const a = input.audience;
  if (a && !a.conditions.length && !a.contactIds.length && !a.personTags?.length && !a.personStages?.length) {
    throw invalid('outreach.empty_audience', {}, [{ field: 'audience', message: 'outreach.empty_audience' }]);
  }
}
/** Contacts named by id must be live contacts of the workspace (another workspace's id is refused, not ignored). */
async function checkContacts(db: Db, workspaceId: string, audience?: Audience) {
  const ids = [...new Set(audience?.contactIds ?? [])];
  if (!ids.length) return;
  const found = await audienceContacts(db, workspaceId, { conditions: [], contactIds: ids });
  if (found.length !== ids.length) {
    throw invalid('error.not_found', { what: 'contact.noun' }, [{ field: 'audience.contactIds', message: 'unknown contact' }]);
  }
}
const capColumns = (cap: CampaignInput['cap']) => (cap === undefined ? {} : { capCount: cap?.count ?? null, capDays: cap?.days ?? null });

async function loadCampaign(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  const c = await repo.findCampaign(db, actor.workspaceId, id, opts);
  if (!c) throw notFound('campaign.noun');
  return c;
}
const campaignEntity = (id: string) => ({ type: 'campaign', id, noun: 'campaign.noun' });

export async function listCampaigns(db: Db, actor: Actor, q: { status?: string }) {
  assertCan(actor, 'outreach.read');
  return { items: (await repo.listCampaigns(db, actor.workspaceId, q.status)).map(campaignOut) };
}

export async function getCampaign(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'outreach.read');
  const c = await loadCampaign(db, actor, id);
  const counts = await repo.recipientCounts(db, id);
  return { ...campaignOut(c), counts: counts.map((r) => ({ state: r.state, reason: r.reason, count: Number(r.n) })) };
}

export async function createCampaign(db: Db, actor: Actor, input: CampaignInput) {
  assertCan(actor, 'outreach.manage');
  checkContent(input);
  await checkContacts(db, actor.workspaceId, input.audience);
  return db.transaction(async (tx) => {
    const row = await repo.insertCampaign(tx, {
      workspaceId: actor.workspaceId,
      name: input.name,
      channel: input.channel,
      audience: input.audience,
      subject: input.subject,
      body: input.body,
      ...capColumns(input.cap),
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
      createdBy: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'campaign.create', entityType: 'campaign', entityId: row.id, after: { name: input.name } });
    return campaignOut(row);
  });
}

export async function updateCampaign(db: Db, actor: Actor, id: string, input: Partial<CampaignInput>, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  checkContent(input);
  await checkContacts(db, actor.workspaceId, input.audience);
  return db.transaction(async (tx) => {
    const c = await loadCampaign(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, campaignEntity(id), c.version, expectedVersion);
    if (c.status !== 'draft') throw new AppError('conflict', 'outreach.not_draft');
    const { cap, scheduledAt, ...rest } = input;
    const row = await repo.updateCampaign(tx, actor.workspaceId, id, {
      ...rest,
      ...capColumns(cap),
      ...(scheduledAt === undefined ? {} : { scheduledAt: scheduledAt ? new Date(scheduledAt) : null }),
    });
    await recordAudit(tx, actor, { action: 'campaign.update', entityType: 'campaign', entityId: id, before: { name: c.name }, after: input });
    return campaignOut(row);
  });
}

type Person = { id: string; name: string; email: string | null; accountName: string; hasPortal: boolean };

/** Who of `people` a campaign reaches now and who not, and why (the cap forecast counts touches already on the ledger). */
async function assess(db: Db, workspaceId: string, c: repo.CampaignRow, people: Person[], now: Date) {
  const s = await repo.ensureSettings(db, workspaceId);
  const ids = people.map((p) => p.id);
  const channel = c.channel as Channel;
  const [consents, wsCounts, ownCounts] = await Promise.all([
    repo.currentConsents(db, workspaceId, ids, channel),
    repo.touchCounts(db, workspaceId, ids, new Date(now.getTime() - s.capDays * DAY)),
    c.capCount !== null && c.capDays !== null ? repo.touchCounts(db, workspaceId, ids, new Date(now.getTime() - c.capDays * DAY)) : null,
  ]);
  return people.map((p) => {
    let reason: ExcludeReason | null = reasonBeforeCap(
      { email: p.email, hasPortal: p.hasPortal, consent: consents.get(p.id) ?? null },
      channel,
      s.requireOptIn,
    );
    if (!reason && !capAllows(wsCounts.get(p.id) ?? 0, s.capCount)) reason = 'cap_reached';
    if (!reason && ownCounts && !capAllows(ownCounts.get(p.id) ?? 0, c.capCount!)) reason = 'cap_reached';
    return { ...p, reason };
  });
}

/** The campaign's whole audience assessed in SQL (the same rules as `assess`), for counts and pages at any size. */
async function assessedAudience(db: Db, workspaceId: string, c: repo.CampaignRow, now: Date) {
  const s = await repo.ensureSettings(db, workspaceId);
  return repo.assessedQuery(audienceQueryOf(db, workspaceId, c.audience), {
    workspaceId,
    channel: c.channel as Channel,
    requireOptIn: s.requireOptIn,
    capCount: s.capCount,
    capSince: new Date(now.getTime() - s.capDays * DAY),
    own: c.capCount !== null && c.capDays !== null ? { count: c.capCount, since: new Date(now.getTime() - c.capDays * DAY) } : null,
  });
}

export async function preview(db: Db, actor: Actor, id: string, q: { reason?: string; page: number; pageSize: number }) {
  assertCan(actor, 'outreach.read');
  const c = await loadCampaign(db, actor, id);
  const assessed = await assessedAudience(db, actor.workspaceId, c, new Date());
  const [counts, page, [reached]] = await Promise.all([
    repo.assessedCounts(db, assessed),
    repo.assessedPage(db, assessed, { reason: q.reason, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }),
    // the sample is what the first person who will get it reads (the list may begin with someone left out)
    repo.assessedPage(db, assessed, { reason: 'included', limit: 1, offset: 0 }),
  ]);
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of counts) {
    total += r.n;
    if (r.reason) byReason[r.reason] = r.n;
  }
  const included = total - Object.values(byReason).reduce((a, b) => a + b, 0);
  const matching = q.reason === undefined ? total : q.reason === 'included' ? included : (byReason[q.reason] ?? 0);
  const first = reached ?? page[0];
  return {
    total,
    included,
    excluded: byReason,
    sample: first
      ? {
          subject: render(c.subject, { name: first.name, account: first.account_name }),
          body: render(c.body, { name: first.name, account: first.account_name }),
        }
      : null,
    people: page.map((p) => ({
      contactId: p.id,
      name: p.name,
      email: p.email,
      accountName: p.account_name,
      reason: p.reason as ExcludeReason | null,
    })),
    matching,
  };
}

/**
 * Plans every person of the audience (one statement, numbered into batches) and queues one send job per
 * batch (one statement), at the schedule or now: a million people is two statements, not a million.
 */
export async function sendCampaign(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  return db.transaction(async (tx) => {
    const c = await loadCampaign(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, campaignEntity(id), c.version, expectedVersion);
    if (c.status !== 'draft') throw new AppError('conflict', 'outreach.not_draft');
    const { planned, batches } = await repo.planRecipients(tx, actor.workspaceId, id, audienceQueryOf(tx, actor.workspaceId, c.audience), BATCH_SIZE);
    const now = new Date();
    const at = c.scheduledAt && c.scheduledAt > now ? c.scheduledAt : now;
    await enqueueSeries(tx, {
      kind: OUTREACH_BATCH_JOB,
      workspaceId: actor.workspaceId,
      payload: { campaignId: id },
      indexKey: 'batch',
      count: batches,
      runAt: at,
      dedupePrefix: `${OUTREACH_BATCH_JOB}:${id}`,
    });
    const row = await repo.updateCampaign(tx, actor.workspaceId, id, { status: at > now ? 'scheduled' : 'sending' });
    if (!planned) await repo.finishIfDone(tx, id);
    await recordAudit(tx, actor, {
      action: 'campaign.send',
      entityType: 'campaign',
      entityId: id,
      after: { recipients: planned, at: at.toISOString() },
    });
    return campaignOut(planned ? row : (await repo.findCampaign(tx, actor.workspaceId, id))!);
  });
}

export async function cancelCampaign(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  return db.transaction(async (tx) => {
    const c = await loadCampaign(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, campaignEntity(id), c.version, expectedVersion);
    if (c.status === 'sent' || c.status === 'cancelled') throw new AppError('conflict', 'outreach.finished');
    const row = await repo.updateCampaign(tx, actor.workspaceId, id, { status: 'cancelled' });
    await repo.cancelPlanned(tx, id);
    await recordAudit(tx, actor, { action: 'campaign.cancel', entityType: 'campaign', entityId: id, before: { status: c.status } });
    return campaignOut(row);
  });
}

export async function listRecipients(db: Db, actor: Actor, id: string, q: { state?: string; page: number; pageSize: number }) {
  assertCan(actor, 'outreach.read');
  await loadCampaign(db, actor, id);
  const { rows, total } = await repo.listRecipients(db, actor.workspaceId, id, {
    state: q.state,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const people = new Map(
    (await audienceContacts(db, actor.workspaceId, { conditions: [], contactIds: rows.map((r) => r.contactId) })).map((p) => [p.id, p]),
  );
  return {
    total,
    items: rows.map((r) => ({
      contactId: r.contactId,
      name: people.get(r.contactId)?.name ?? null,
      email: people.get(r.contactId)?.email ?? null,
      accountName: people.get(r.contactId)?.accountName ?? null,
      state: r.state as 'planned' | 'sent' | 'excluded',
      reason: r.reason,
      sentAt: r.sentAt?.toISOString() ?? null,
    })),
  };
}

// ---- sending (job)
export function unsubscribeUrl(secret: string, workspaceId: string, contactId: string, channel: Channel) {
  return `${publicUrl()}/api/outreach/unsubscribe?t=${unsubscribeToken(secret, { workspaceId, contactId, channel })}`;
}

/** The content of one person's message (the referral link theirs), and the mail that carries it on the email channel. */
function messageFor(c: repo.CampaignRow, p: Person, unsubscribeLink: string, secret: string) {
  const vars = { name: p.name, account: p.accountName };
  const full = { ...vars, referralLink: referralUrl(secret, c.workspaceId, p.id, c.id) };
  const subject = render(c.subject, full);
  const body = render(c.body, full);
  return {
    vars,
    subject,
    body,
    mail: { to: [{ name: p.name, email: p.email! }], subject, text: `${body}\n\n--\n${unsubscribeLink}`, listUnsubscribe: unsubscribeLink },
  };
}

/**
 * One batch of a campaign's recipients, decided in one transaction: the batch's planned recipient rows are
 * locked, then the people's lock rows in contact order (a concurrent batch of another campaign waits for
 * each common person and then counts this one's touches); consent as it is now, the caps counted on the
 * touch ledger; then the touches, the states and the messages (outbox mails or portal inbox), committed
 * together. A retried batch finds nobody planned and does nothing; each mail's dedupe key queues it once.
 * People whose quiet hours it is stay planned, and the job comes back when the first of them may be reached.
 */
export async function sendBatch(db: Db, job: JobRow) {
  const payload = job.payload as { campaignId: string; batch?: number; contactIds?: string[] };
  const { campaignId } = payload;
  const workspaceId = job.workspace_id!;
  const c = await repo.findCampaign(db, workspaceId, campaignId);
  if (!c || c.status === 'cancelled' || c.status === 'sent') return;
  const s = await repo.ensureSettings(db, workspaceId);
  const zone = await workspaceTimeZone(db, workspaceId);
  if (c.status === 'scheduled') await repo.updateCampaign(db, workspaceId, campaignId, { status: 'sending' });
  const channel = c.channel as Channel;
  let later: Date | null = null;
  await db.transaction(async (tx) => {
    const planned = await repo.lockPlannedBatch(tx, workspaceId, campaignId, payload.batch ?? 0, payload.contactIds);
    if (!planned.length || (await repo.campaignStatus(tx, campaignId)) === 'cancelled') return;
    await repo.lockPeople(tx, workspaceId, planned);
    const now = new Date();
    const zones = await repo.personZones(tx, workspaceId, planned);
    const due: string[] = [];
    for (const id of planned) {
      const at = nextSendableAt(now, zones.get(id) ?? zone, s.quietStart, s.quietEnd);
      if (at > now) later = later && later < at ? later : at;
      else due.push(id);
    }
    const found = await audienceContacts(tx, workspaceId, { conditions: [], contactIds: due });
    const assessed = await assess(tx, workspaceId, c, found, now);
    const gone = new Set(due);
    for (const p of found) gone.delete(p.id);
    const reached = assessed.filter((p) => !p.reason);
    await repo.recordDecisions(tx, {
      workspaceId,
      campaignId,
      channel,
      at: now,
      sent: reached.map((p) => p.id),
      excluded: [
        ...assessed.filter((p) => p.reason).map((p) => ({ contactId: p.id, reason: p.reason! })),
        ...[...gone].map((contactId) => ({ contactId, reason: 'no_address' })),
      ],
    });
    const messages = reached.map((p) => ({
      p,
      m: messageFor(c, p, unsubscribeUrl(s.unsubscribeSecret, workspaceId, p.id, channel), s.unsubscribeSecret),
    }));
    if (channel === 'email') {
      // text and HTML with the open pixel and tracked links, and the tracking rows (measures.service.ts)
      const tracked = await trackedContents(tx, {
        workspaceId,
        campaignId,
        body: c.body,
        secret: s.unsubscribeSecret,
        at: now,
        people: messages.map(({ p, m }) => ({ contactId: p.id, vars: m.vars, unsubscribe: m.mail.listUnsubscribe })),
      });
      await queueMails(
        tx,
        workspaceId,
        messages.map(({ p, m }) => ({ mail: { ...m.mail, ...tracked.get(p.id) }, dedupeKey: `outreach:${campaignId}:${p.id}` })),
      );
    } else {
      await repo.insertMessages(
        tx,
        messages.map(({ p, m }) => ({ workspaceId, contactId: p.id, campaignId, subject: m.subject, body: m.body, createdAt: now })),
      );
    }
  });
  if (later) throw new RescheduleJob(later, 'quiet hours');
  await repo.finishIfDone(db, campaignId);
}

export function outreachBatchHandler() {
  return (db: Db, job: JobRow) => sendBatch(db, job);
}

// ---- the portal channel: the key person's inbox, and their own say on receiving it
const inboxOut = (m: Awaited<ReturnType<typeof repo.inbox>>[number]) => ({
  id: m.id,
  subject: m.subject,
  body: m.body,
  createdAt: m.createdAt.toISOString(),
  read: m.readAt !== null,
});

export async function portalInbox(db: Db, kp: KeyPersonActor) {
  const [items, consent] = await Promise.all([
    repo.inbox(db, kp.workspaceId, kp.contactId),
    repo.currentConsents(db, kp.workspaceId, [kp.contactId], 'portal'),
  ]);
  const out = items.map(inboxOut);
  return { items: out, unread: out.filter((m) => !m.read).length, receiving: consent.get(kp.contactId)?.granted !== false };
}

export async function portalMarkRead(db: Db, kp: KeyPersonActor, id: string) {
  if (!(await repo.markRead(db, kp.workspaceId, kp.contactId, id))) throw notFound('message.noun');
  return (await portalInbox(db, kp)).items.find((m) => m.id === id)!;
}

/** The key person's own choice, recorded as consent with the source `form` under their lock (as an unsubscribe). */
export async function portalSetReceiving(db: Db, kp: KeyPersonActor, receiving: boolean) {
  await db.transaction(async (tx) => {
    await repo.lockPerson(tx, kp.workspaceId, kp.contactId);
    const cur = (await repo.currentConsents(tx, kp.workspaceId, [kp.contactId], 'portal')).get(kp.contactId);
    if (cur && cur.granted === receiving) return;
    await repo.insertConsent(tx, { workspaceId: kp.workspaceId, contactId: kp.contactId, channel: 'portal', granted: receiving, source: 'form' });
  });
  return { receiving };
}
