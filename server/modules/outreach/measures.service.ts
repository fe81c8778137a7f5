/**
 * Measures of outreach (issue 18 point 4): tracking of sent mail (delivered, opened, clicked), referrals through a
 * person's link (裂变), outcomes attributed to the last touch within the workspace's window, the five growth actions.
 */
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { subscribe, type Subscription } from '../../platform/events.js';
import { MailDelivered } from '../../platform/mail.js';
import { publicUrl } from '../../platform/public-url.js';
import { peopleWithStage, toCStageMoves, type PersonWithStage } from '../accounts/index.js';
import { commercialOutcomes } from '../commerce/index.js';
import { workspaceTimeZone } from '../people/index.js';
import {
  NO_STAGE,
  attribute,
  countFacts,
  countGrowth,
  growthFacts,
  isForward,
  readTrackToken,
  recordedAt,
  stageKeys,
  trackToken,
  trackTokenValid,
  trackedBody,
  type Fact,
  type GrowthAction,
  type Metric,
  type Outcome,
  type StageKey,
  type TrackClaim,
} from './measures.domain.js';
import * as mrepo from './measures.repo.js';
import type { outreachTracking } from './outreach.table.js';
import { render, type ExcludeReason } from './outreach.domain.js';
import * as repo from './outreach.repo.js';

const DAY = 86_400_000;
const stageOf = (s: string | null | undefined): StageKey => ((stageKeys as readonly string[]).includes(s ?? '') ? (s as StageKey) : NO_STAGE);

// ---- the tracked mail (called by the send job, in the transaction that records the touch)
const url = (path: string, token: string) => `${publicUrl()}/api/outreach/${path}/${token}`;
export const referralUrl = (secret: string, workspaceId: string, contactId: string, campaignId: string | null) =>
  url('ref', trackToken(secret, { kind: 'r', workspaceId, contactId, campaignId }));

/**
 * The text and HTML parts of a batch's campaign mails, one per person, with the open pixel and the campaign's
 * links rewritten to the click route, and the tracking rows that remember those links, each person's account and
 * its to-C stage now (one read and one insert for the batch). `deliveryRef` makes the mail job announce the
 * hand-over to the mail server.
 */
export async function trackedContents(
  tx: Db,
  m: {
    workspaceId: string;
    campaignId: string;
    body: string;
    secret: string;
    at: Date;
    people: { contactId: string; vars: { name: string; account: string }; unsubscribe: string }[];
  },
) {
  if (!m.people.length) return new Map<string, { text: string; html: string; deliveryRef: string }>();
  const stageOf = new Map(
    (
      await peopleWithStage(
        tx,
        m.workspaceId,
        m.people.map((p) => p.contactId),
      )
    ).map((p) => [p.id, p]),
  );
  const out = new Map<string, { text: string; html: string; deliveryRef: string }>();
  const rows: (typeof outreachTracking.$inferInsert)[] = [];
  for (const p of m.people) {
    const person = stageOf.get(p.contactId);
    if (!person) continue;
    const ids = { workspaceId: m.workspaceId, campaignId: m.campaignId, contactId: p.contactId };
    const referral = referralUrl(m.secret, m.workspaceId, p.contactId, m.campaignId);
    const body = trackedBody(m.body, (piece) => render(piece, { ...p.vars, referralLink: referral }), {
      click: (index) => url('c', trackToken(m.secret, { kind: 'c', ...ids, index })),
      pixel: url('o', trackToken(m.secret, { kind: 'o', ...ids })),
      unsubscribe: p.unsubscribe,
      referral,
    });
    rows.push({ ...ids, accountId: person.accountId, toCStage: person.toCStage, links: body.links, sentAt: m.at });
    out.set(p.contactId, { text: body.text, html: body.html, deliveryRef: `outreach:${m.campaignId}:${p.contactId}` });
  }
  await mrepo.insertTracking(tx, rows);
  return out;
}

/** `mail.delivered` of an outreach mail: the recipient counts as delivered (first hand-over). */
export const measuresSubscriptions: readonly Subscription[] = [
  subscribe('outreach.delivered', MailDelivered, async (db, e) => {
    const m = /^outreach:([0-9a-f-]{36}):([0-9a-f-]{36})$/.exec(e.data.ref);
    if (m) await mrepo.markDelivered(db, e.workspaceId, m[1], m[2], new Date(e.data.at));
  }),
];

// ---- public tracking routes: a token that is not genuine records nothing
async function genuine<K extends TrackClaim['kind']>(db: Db, token: string, kind: K) {
  const t = readTrackToken(token, kind);
  if (!t) return null;
  const s = await repo.findSettings(db, t.workspaceId);
  if (!s || !trackTokenValid(s.unsubscribeSecret, t)) return null;
  return t as unknown as Extract<TrackClaim, { kind: K }>;
}

/** An open: false when the token is not genuine (nothing recorded). */
export async function recordOpen(db: Db, token: string): Promise<boolean> {
  const t = await genuine(db, token, 'o');
  if (!t) return false;
  await mrepo.markOpened(db, t.workspaceId, t.campaignId, t.contactId, new Date());
  return true;
}

/** A click: the link of the campaign's body it stands for (stored here, never in the token), or null. */
export async function recordClick(db: Db, token: string): Promise<string | null> {
  const t = await genuine(db, token, 'c');
  if (!t) return null;
  const row = await mrepo.findTracking(db, t.workspaceId, t.campaignId, t.contactId);
  const target = row?.links[t.index];
  if (!target || !/^https?:\/\//.test(target)) return null;
  await db.transaction((tx) => mrepo.markClicked(tx, t.workspaceId, t.campaignId, t.contactId, t.index, new Date()));
  return target;
}

/** A visit to a referral link, counted; null when the link is not genuine. */
export async function visitReferral(db: Db, token: string) {
  const t = await genuine(db, token, 'r');
  if (!t) return null;
  await mrepo.insertVisit(db, { workspaceId: t.workspaceId, referrerContactId: t.contactId, campaignId: t.campaignId });
  return t;
}

export type ReferralInput = { name: string; email?: string | null; phone?: string | null; company?: string | null; consent: boolean };
/** At most this many referrals per link and hour: a link shared widely is not a way to flood the leads. */
export const REFERRALS_PER_HOUR = 20;

/** Stores a referral lead with the consent it gave; null when the link is not genuine. */
export async function submitReferral(db: Db, token: string, input: ReferralInput, consentText: string) {
  const t = await genuine(db, token, 'r');
  if (!t) return null;
  if (!input.consent) throw invalid('outreach.referral.consent_required', {}, [{ field: 'consent', message: 'outreach.referral.consent_required' }]);
  if (!input.email && !input.phone) {
    throw invalid('outreach.referral.reach_required', {}, [{ field: 'email', message: 'outreach.referral.reach_required' }]);
  }
  if ((await mrepo.referralsSince(db, t.workspaceId, t.contactId, new Date(Date.now() - 3_600_000))) >= REFERRALS_PER_HOUR) {
    throw new AppError('rate_limited', 'error.rate_limited');
  }
  return mrepo.insertReferral(db, {
    workspaceId: t.workspaceId,
    referrerContactId: t.contactId,
    campaignId: t.campaignId,
    name: input.name,
    email: input.email || null,
    phone: input.phone || null,
    company: input.company || null,
    consent: true,
    consentText,
  });
}

// ---- the measures
type Row = Fact & { name: string | null; accountName: string | null; referredBy?: string | null };

/** Every counted fact of these campaigns, with the names of the people behind them. */
async function factsOf(db: Db, workspaceId: string, campaignIds: string[]): Promise<{ rows: Row[]; attributionDays: number }> {
  const settings = await repo.ensureSettings(db, workspaceId);
  const days = settings.attributionDays;
  const [recipients, tracking, visits, referrals] = await Promise.all([
    mrepo.recipientsOf(db, workspaceId, campaignIds),
    mrepo.trackingOf(db, workspaceId, campaignIds),
    mrepo.visitsOf(db, workspaceId, campaignIds),
    mrepo.referralsOf(db, workspaceId, campaignIds),
  ]);
  const stageWhenSent = new Map<string, string | null>(tracking.map((t) => [`${t.campaignId}:${t.contactId}`, t.toCStage]));

  // outcomes of the reached accounts, from the first mail to the last plus the window
  let touches: Awaited<ReturnType<typeof mrepo.touchesOfAccounts>> = [];
  let outcomes: Outcome[] = [];
  if (tracking.length) {
    const first = new Date(Math.min(...tracking.map((t) => t.sentAt.getTime())));
    const last = new Date(Math.max(...tracking.map((t) => t.sentAt.getTime())) + days * DAY);
    const accountIds = [...new Set(tracking.map((t) => t.accountId))];
    const zone = await workspaceTimeZone(db, workspaceId);
    const [ts, moves, commercial] = await Promise.all([
      mrepo.touchesOfAccounts(db, workspaceId, accountIds, new Date(first.getTime() - days * DAY), last),
      toCStageMoves(db, workspaceId, accountIds, first, last),
      commercialOutcomes(db, workspaceId, accountIds, first, last),
    ]);
    touches = ts;
    for (const t of ts) stageWhenSent.set(`${t.campaignId}:${t.contactId}`, t.toCStage);
    outcomes = [
      ...moves
        .filter((m) => isForward(m.from, m.to))
        .map((m) => ({ kind: 'stage_moves' as const, id: m.id, accountId: m.accountId, at: m.at, toStage: m.to })),
      ...commercial.map((c) => ({
        kind: c.kind === 'purchase' ? ('purchases' as const) : c.kind === 'renewal' ? ('renewals' as const) : ('payments' as const),
        id: c.id,
        accountId: c.accountId,
        at: recordedAt(c.createdAt, DateTime.fromISO(c.day, { zone }).endOf('day').toJSDate()),
      })),
    ];
  }
  const attributed = attribute(touches, outcomes, days).filter((a) => campaignIds.includes(a.touch.campaignId));

  const contactIds = [...recipients.map((r) => r.contactId), ...visits.map((v) => v.referrerContactId), ...referrals.map((r) => r.referrerContactId)];
  const people = new Map((await peopleWithStage(db, workspaceId, contactIds)).map((p) => [p.id, p]));
  // a person's stage: the account's when the mail was sent; someone not sent to: the account's now
  const stageAt = (campaignId: string | null, contactId: string) =>
    stageOf(
      campaignId && stageWhenSent.has(`${campaignId}:${contactId}`)
        ? stageWhenSent.get(`${campaignId}:${contactId}`)
        : people.get(contactId)?.toCStage,
    );
  const named = (p: PersonWithStage | undefined) => ({ name: p?.name ?? null, accountName: p?.accountName ?? null });

  const rows: Row[] = [];
  const person = (metric: Metric, campaignId: string, contactId: string, at: Date, detail?: string | null) => {
    const p = people.get(contactId);
    rows.push({
      metric,
      key: `${campaignId}:${contactId}`,
      campaignId,
      contactId,
      stage: stageAt(campaignId, contactId),
      at,
      detail: detail ?? null,
      churned: p?.stage === 'churn',
      ...named(p),
    });
  };
  const sentAt = new Map(tracking.map((t) => [`${t.campaignId}:${t.contactId}`, t.sentAt]));
  for (const r of recipients) {
    person('planned', r.campaignId, r.contactId, r.updatedAt);
    if (r.state === 'sent') person('sent', r.campaignId, r.contactId, sentAt.get(`${r.campaignId}:${r.contactId}`) ?? r.updatedAt);
    if (r.state === 'excluded') person('excluded', r.campaignId, r.contactId, r.updatedAt, r.reason);
  }
  for (const t of tracking) {
    if (t.deliveredAt) person('delivered', t.campaignId, t.contactId, t.deliveredAt);
    if (t.openedFirstAt) person('opened', t.campaignId, t.contactId, t.openedFirstAt);
    if (t.clickedFirstAt) person('clicked', t.campaignId, t.contactId, t.clickedFirstAt);
  }
  for (const { outcome: o, touch } of attributed) {
    rows.push({
      metric: o.kind,
      key: o.id,
      campaignId: touch.campaignId,
      contactId: touch.contactId,
      stage: stageAt(touch.campaignId, touch.contactId),
      at: o.at,
      detail: o.toStage ?? null,
      ...named(people.get(touch.contactId)),
    });
  }
  for (const v of visits) {
    rows.push({
      metric: 'referral_visits',
      key: v.id,
      campaignId: v.campaignId,
      contactId: v.referrerContactId,
      stage: stageAt(v.campaignId, v.referrerContactId),
      at: v.at,
      ...named(people.get(v.referrerContactId)),
    });
  }
  for (const r of referrals) {
    rows.push({
      metric: 'referrals',
      key: r.id,
      campaignId: r.campaignId,
      contactId: null,
      stage: stageAt(r.campaignId, r.referrerContactId),
      at: r.at,
      name: r.name,
      accountName: r.company,
      referredBy: people.get(r.referrerContactId)?.name ?? null,
    });
  }
  return { rows, attributionDays: days };
}

const countsOut = (rows: Row[]) => {
  const { excludedBy, ...c } = countFacts(rows);
  return { ...c, excludedBy };
};
const byStage = (rows: Row[]) =>
  stageKeys.map((stage) => {
    const of = rows.filter((r) => r.stage === stage);
    return { stage, counts: countsOut(of), growth: countGrowth(of) };
  });

async function campaignOf(db: Db, actor: Actor, id: string) {
  const c = await repo.findCampaign(db, actor.workspaceId, id);
  if (!c) throw notFound('campaign.noun');
  return c;
}

export async function campaignMeasures(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'outreach.read');
  const c = await campaignOf(db, actor, id);
  const { rows, attributionDays } = await factsOf(db, actor.workspaceId, [id]);
  return {
    campaign: { id: c.id, name: c.name, status: c.status, sentAt: c.sentAt?.toISOString() ?? null },
    attributionDays,
    totals: countsOut(rows),
    growth: countGrowth(rows),
    byStage: byStage(rows),
  };
}

const range = (q: { from?: string; to?: string }) => {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 90 * DAY);
  if (from > to) throw invalid('error.validation', { detail: 'from > to' }, [{ field: 'from', message: 'from > to' }]);
  return { from, to };
};

/** Per campaign that sent mail in [from, to] (default: the last 90 days) and per stage, the funnel and the growth actions. */
export async function measuresOverview(db: Db, actor: Actor, q: { from?: string; to?: string }) {
  assertCan(actor, 'outreach.read');
  const { from, to } = range(q);
  const ids = await mrepo.campaignsSentIn(db, actor.workspaceId, from, to);
  const [{ rows, attributionDays }, list] = await Promise.all([
    factsOf(db, actor.workspaceId, ids),
    mrepo.campaignsByIds(db, actor.workspaceId, ids),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    attributionDays,
    totals: countsOut(rows),
    growth: countGrowth(rows),
    campaigns: list
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((c) => {
        const of = rows.filter((r) => r.campaignId === c.id);
        return { id: c.id, name: c.name, sentAt: c.sentAt?.toISOString() ?? null, counts: countsOut(of), growth: countGrowth(of) };
      }),
    byStage: byStage(rows),
  };
}

export type PeopleQuery = {
  metric: Metric | GrowthAction;
  stage?: StageKey;
  campaignId?: string;
  reason?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

/** The people (or referred persons, or events) behind one number: the same facts the number counted. */
export async function measurePeople(db: Db, actor: Actor, q: PeopleQuery & { scope?: string }) {
  assertCan(actor, 'outreach.read');
  let ids: string[];
  if (q.scope) {
    await campaignOf(db, actor, q.scope);
    ids = [q.scope];
  } else {
    const { from, to } = range(q);
    ids = await mrepo.campaignsSentIn(db, actor.workspaceId, from, to);
  }
  if (q.campaignId) ids = ids.filter((id) => id === q.campaignId);
  const { rows } = await factsOf(db, actor.workspaceId, ids);
  const scoped = rows.filter((r) => (!q.stage || r.stage === q.stage) && (!q.campaignId || r.campaignId === q.campaignId));
  const isMetric = (m: string): m is Metric => !['acquire', 'activate', 'retain', 'convert', 'referral'].includes(m);
  let shown = (isMetric(q.metric) ? scoped.filter((r) => r.metric === q.metric) : (growthFacts(scoped, q.metric) as Row[])).filter(
    (r) => !q.reason || r.detail === q.reason,
  );
  shown = shown.sort((a, b) => b.at.getTime() - a.at.getTime() || a.key.localeCompare(b.key));
  const names = new Map((await mrepo.campaignsByIds(db, actor.workspaceId, ids)).map((c) => [c.id, c.name]));
  return {
    total: shown.length,
    items: shown.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((r) => ({
      metric: r.metric,
      contactId: r.contactId,
      name: r.name,
      accountName: r.accountName,
      campaignId: r.campaignId,
      campaignName: r.campaignId ? (names.get(r.campaignId) ?? null) : null,
      stage: r.stage,
      at: r.at.toISOString(),
      reason: r.metric === 'excluded' ? ((r.detail ?? null) as ExcludeReason | null) : null,
      stageReached: r.metric === 'stage_moves' ? (r.detail ?? null) : null,
      referredBy: r.referredBy ?? null,
    })),
  };
}
