/**
 * Measures of outreach (issue 18 point 4): signed tracking tokens, the tracked body of a mail, last-touch
 * attribution within a window, and the mapping of counted facts to the five to-C growth actions. Pure.
 */
import crypto from 'node:crypto';
import { toCStages, type ToCStage } from '../accounts/lifecycle.domain.js';

export { toCStages, type ToCStage };
/** a recipient whose account had no to-C stage when the mail was sent */
export const NO_STAGE = 'none';
export type StageKey = ToCStage | typeof NO_STAGE;
export const stageKeys = [...toCStages, NO_STAGE] as const;

/** what is counted, in the order of the funnel */
export const metrics = [
  'planned',
  'sent',
  'excluded',
  'delivered',
  'opened',
  'clicked',
  'stage_moves',
  'purchases',
  'renewals',
  'payments',
  'referral_visits',
  'referrals',
] as const;
export type Metric = (typeof metrics)[number];
export const growthActions = ['acquire', 'activate', 'retain', 'convert', 'referral'] as const;
export type GrowthAction = (typeof growthActions)[number];

// ---- signed tokens: purpose + ids in bytes, then an HMAC-SHA256 (first 16 bytes) with the workspace's secret (the
// unsubscribe secret). Short enough for a path segment (< 100 characters); the purpose byte is signed too, so one
// kind of link never works as another; a click token carries the link's index, never a URL.
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_BYTES = 16;
const KIND = { o: 1, c: 2, r: 3 } as const;
const NIL = '00000000-0000-0000-0000-000000000000';
const mac = (secret: string, data: Buffer) => crypto.createHmac('sha256', secret).update(data).digest().subarray(0, MAC_BYTES);
const idBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const idOf = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export type TrackClaim =
  | { kind: 'o'; workspaceId: string; campaignId: string; contactId: string }
  | { kind: 'c'; workspaceId: string; campaignId: string; contactId: string; index: number }
  | { kind: 'r'; workspaceId: string; contactId: string; campaignId: string | null };

function dataOf(c: TrackClaim): Buffer {
  const ids = c.kind === 'r' ? [c.workspaceId, c.contactId, c.campaignId ?? NIL] : [c.workspaceId, c.campaignId, c.contactId];
  if (!ids.every((id) => uuid.test(id))) throw new Error('track token: ids must be uuids');
  const parts = [Buffer.from([KIND[c.kind]]), ...ids.map(idBytes)];
  if (c.kind === 'c') {
    if (!Number.isInteger(c.index) || c.index < 0 || c.index > 255) throw new Error('track token: link index out of range');
    parts.push(Buffer.from([c.index]));
  }
  return Buffer.concat(parts);
}

export function trackToken(secret: string, claim: TrackClaim): string {
  const data = dataOf(claim);
  return Buffer.concat([data, mac(secret, data)]).toString('base64url');
}

/** The claim of a token without checking its signature (to find the workspace's secret); null if malformed. */
export function readTrackToken(token: string, kind: TrackClaim['kind']): (TrackClaim & { data: Buffer; sig: Buffer }) | null {
  if (!/^[A-Za-z0-9_-]{80,100}$/.test(token)) return null;
  const b = Buffer.from(token, 'base64url');
  const size = 1 + 48 + (kind === 'c' ? 1 : 0);
  if (b.length !== size + MAC_BYTES || b[0] !== KIND[kind]) return null;
  const data = b.subarray(0, size);
  const sig = b.subarray(size);
  const [a, bb, c] = [idOf(b.subarray(1, 17)), idOf(b.subarray(17, 33)), idOf(b.subarray(33, 49))];
  if (kind === 'o') return { kind, workspaceId: a, campaignId: bb, contactId: c, data, sig };
  if (kind === 'c') return { kind, workspaceId: a, campaignId: bb, contactId: c, index: b[49], data, sig };
  return { kind, workspaceId: a, contactId: bb, campaignId: c === NIL ? null : c, data, sig };
}

export function trackTokenValid(secret: string, t: { data: Buffer; sig: Buffer }): boolean {
  const want = mac(secret, t.data);
  return want.length === t.sig.length && crypto.timingSafeEqual(want, t.sig);
}

// ---- the tracked body
/** http(s) links of a text, trailing punctuation left out (Latin and Chinese). */
const LINK = /https?:\/\/[^\s<>"'(){}（）【】「」《》，。；！？、]+/g;
export function linksOf(text: string): { url: string; start: number; end: number }[] {
  const out: { url: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(LINK)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    if (url.length > 2000) continue;
    out.push({ url, start: m.index, end: m.index + url.length });
  }
  return out;
}

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The text and HTML parts of a campaign mail: the links of the template (found before variables are filled in,
 * so only the campaign's own links are tracked) point to the click route by index; the HTML part ends with the
 * open pixel; both end with the unsubscribe link. `fill` renders a piece of the template's text.
 */
export function trackedBody(
  template: string,
  fill: (piece: string) => string,
  urls: { click: (index: number) => string; pixel: string; unsubscribe: string; referral?: string },
) {
  const esc = (piece: string) => {
    const e = escapeHtml(piece);
    if (!urls.referral) return e;
    const r = escapeHtml(urls.referral);
    return e.split(r).join(`<a href="${r}">${r}</a>`);
  };
  const links = linksOf(template);
  const text: string[] = [];
  const html: string[] = [];
  let at = 0;
  links.forEach((l, i) => {
    const before = fill(template.slice(at, l.start));
    text.push(before, urls.click(i));
    html.push(esc(before), `<a href="${escapeHtml(urls.click(i))}">${escapeHtml(l.url)}</a>`);
    at = l.end;
  });
  const rest = fill(template.slice(at));
  text.push(rest, `\n\n--\n${urls.unsubscribe}`);
  html.push(esc(rest));
  const body = html.join('').replace(/\r?\n/g, '<br>\n');
  return {
    links: links.map((l) => l.url),
    text: text.join(''),
    html: `<!doctype html><html><head><meta charset="utf-8"></head><body><div>${body}</div><hr><p><a href="${escapeHtml(urls.unsubscribe)}">${escapeHtml(urls.unsubscribe)}</a></p><img src="${escapeHtml(urls.pixel)}" width="1" height="1" alt="" style="display:none"></body></html>`,
  };
}

// ---- last-touch attribution within a window
export type Touch = { campaignId: string; contactId: string; accountId: string; at: Date };
export type OutcomeKind = 'stage_moves' | 'purchases' | 'renewals' | 'payments';
export type Outcome = { kind: OutcomeKind; id: string; accountId: string; at: Date; toStage?: string | null };

/** A to-C stage move counts when it goes forward (from none, or to a later stage). */
export function isForward(from: string | null, to: string | null): boolean {
  const i = (s: string | null) => (s ? (toCStages as readonly string[]).indexOf(s) : -1);
  return i(to) > i(from);
}

/**
 * Each outcome of an account (a forward stage move, a new contract, a renewal, a payment) goes to the latest
 * touch of a person of that account at or before it and at most `days` days before it; none such: not
 * attributed. Each outcome counts once (ties: the lower campaign then contact id, so the answer is stable).
 */
export function attribute(touches: Touch[], outcomes: Outcome[], days: number): { outcome: Outcome; touch: Touch }[] {
  const byAccount = new Map<string, Touch[]>();
  for (const t of touches) {
    const list = byAccount.get(t.accountId);
    if (list) list.push(t);
    else byAccount.set(t.accountId, [t]);
  }
  const seen = new Set<string>();
  const out: { outcome: Outcome; touch: Touch }[] = [];
  for (const o of outcomes) {
    const key = `${o.kind}:${o.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let best: Touch | null = null;
    for (const t of byAccount.get(o.accountId) ?? []) {
      const age = o.at.getTime() - t.at.getTime();
      if (age < 0 || age > days * 86_400_000) continue;
      if (
        !best ||
        t.at > best.at ||
        (t.at.getTime() === best.at.getTime() && `${t.campaignId}:${t.contactId}` < `${best.campaignId}:${best.contactId}`)
      ) {
        best = t;
      }
    }
    if (best) out.push({ outcome: o, touch: best });
  }
  return out;
}

// ---- the five growth actions
/** One counted thing: who (a contact, or a referred person), in which campaign, at which stage, when. */
export type Fact = {
  metric: Metric;
  /** unique per metric: `campaign:contact` for what happens to a person, the event's own id otherwise */
  key: string;
  campaignId: string | null;
  stage: StageKey;
  contactId: string | null;
  at: Date;
  /** excluded: the reason; stage_moves: the stage reached */
  detail?: string | null;
  /** retain: whether the person's account is in the churn stage now */
  churned?: boolean;
};

/**
 * The mapping of counted facts to the five to-C growth actions (a fact may count for one action, or none):
 *   拉新 acquire  = people reached (sent) whose account was at stage 接触 contact, and every referral;
 *   促活 activate = people at stage 兴趣 interest who opened or clicked (each person once per campaign);
 *   留存 retain   = people reached at stage 复购 repurchase or 忠诚 loyalty whose account has not churned, and renewals;
 *   转化 convert  = attributed stage moves reaching 购买 purchase or later, and attributed new contracts (purchases);
 *   裂变 referral = referrals (people recommended through a person's link).
 * Payments, deliveries, visits and exclusions count for none: they are steps, not outcomes.
 */
export function growthOf(f: Fact): GrowthAction[] {
  switch (f.metric) {
    case 'sent':
      if (f.stage === 'contact') return ['acquire'];
      if ((f.stage === 'repurchase' || f.stage === 'loyalty') && !f.churned) return ['retain'];
      return [];
    case 'referrals':
      return ['acquire', 'referral'];
    case 'opened':
    case 'clicked':
      return f.stage === 'interest' ? ['activate'] : [];
    case 'renewals':
      return ['retain'];
    case 'stage_moves':
      return isForward('interest', f.detail ?? null) ? ['convert'] : [];
    case 'purchases':
      return ['convert'];
    default:
      return [];
  }
}

/** The facts of a growth action, each once (a person who opened and clicked activates once). */
export function growthFacts(facts: Fact[], action: GrowthAction): Fact[] {
  const seen = new Set<string>();
  const out: Fact[] = [];
  for (const f of facts) {
    if (!growthOf(f).includes(action)) continue;
    const k = f.metric === 'opened' || f.metric === 'clicked' ? `person:${f.key}` : `${f.metric}:${f.key}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

export type Counts = Record<Metric, number> & { excludedBy: Record<string, number> };
export function countFacts(facts: Fact[]): Counts {
  const c = Object.fromEntries(metrics.map((m) => [m, 0])) as unknown as Counts;
  c.excludedBy = {};
  for (const f of facts) {
    c[f.metric]++;
    if (f.metric === 'excluded' && f.detail) c.excludedBy[f.detail] = (c.excludedBy[f.detail] ?? 0) + 1;
  }
  return c;
}
export function countGrowth(facts: Fact[]): Record<GrowthAction, number> {
  return Object.fromEntries(growthActions.map((a) => [a, growthFacts(facts, a).length])) as Record<GrowthAction, number>;
}

/**
 * When a dated commercial record (signed on / received on a day) happened, for attribution: the moment it was
 * recorded, but no later than the end of its day in the workspace's zone (a back-dated entry is placed on its day).
 */
export function recordedAt(createdAt: Date, endOfDay: Date): Date {
  return createdAt < endOfDay ? createdAt : endOfDay;
}
