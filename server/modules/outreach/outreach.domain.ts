/**
 * Precise outreach (issue 18): content variables, consent, quiet hours and the unsubscribe token. Pure.
 */
import crypto from 'node:crypto';
import { DateTime } from 'luxon';

export const channels = ['email', 'portal'] as const;
export type Channel = (typeof channels)[number];
export const campaignStatuses = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const recipientStates = ['planned', 'sent', 'excluded'] as const;
export const excludeReasons = ['no_consent', 'unsubscribed', 'cap_reached', 'no_address', 'cancelled'] as const;
export type ExcludeReason = (typeof excludeReasons)[number];
export const consentSources = ['staff', 'form', 'import', 'unsubscribe_link'] as const;
export const contentVariables = ['name', 'account', 'referral_link'] as const;

/**
 * {{name}}, {{account}} and {{referral_link}} (the person's own referral link, measures.domain.ts) filled in; an
 * unknown variable, or one without a value (the referral link in a preview), is left as written.
 */
export function render(template: string, vars: { name: string; account: string; referralLink?: string }): string {
  const value: Record<string, string | undefined> = { name: vars.name, account: vars.account, referral_link: vars.referralLink };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (Object.hasOwn(value, k) ? value[k] : undefined) ?? m);
}
export function unknownVariables(template: string): string[] {
  return [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).filter((k) => !(contentVariables as readonly string[]).includes(k));
}

export type ConsentState = { granted: boolean; source: string } | null;

/** Why a person is not reached before any cap is counted; null = reachable. */
export function reasonBeforeCap(
  p: { email: string | null; hasPortal?: boolean; consent: ConsentState },
  channel: Channel,
  requireOptIn: boolean,
): ExcludeReason | null {
  if (p.consent && !p.consent.granted) return 'unsubscribed';
  if (channel === 'email' && !p.email?.trim()) return 'no_address';
  if (channel === 'portal' && !p.hasPortal) return 'no_address';
  if (requireOptIn && !p.consent?.granted) return 'no_consent';
  return null;
}

/** A cap of `count` touches per person in a window: one more is allowed while fewer than `count` lie in it. */
export const capAllows = (touchesInWindow: number, count: number) => touchesInWindow < count;

/**
 * When sending may happen: `now` itself outside quiet hours, else their end (local time of `zone`).
 * Quiet hours may wrap midnight (22:00–08:00); start = end or none = no quiet hours.
 */
export function nextSendableAt(now: Date, zone: string, quietStart: string | null, quietEnd: string | null): Date {
  if (!quietStart || !quietEnd || quietStart === quietEnd) return now;
  const local = DateTime.fromJSDate(now, { zone });
  const hhmm = local.toFormat('HH:mm');
  const wraps = quietStart > quietEnd;
  const quiet = wraps ? hhmm >= quietStart || hhmm < quietEnd : hhmm >= quietStart && hhmm < quietEnd;
  if (!quiet) return now;
  const [h, m] = quietEnd.split(':').map(Number);
  let end = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}

// ---- one-click unsubscribe: a token naming the workspace, person and channel, signed with the workspace's secret
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const mac = (secret: string, payload: string) => crypto.createHmac('sha256', secret).update(payload).digest('base64url');

export function unsubscribeToken(secret: string, t: { workspaceId: string; contactId: string; channel: Channel }): string {
  const payload = b64(`${t.workspaceId}.${t.contactId}.${t.channel}`);
  return `${payload}.${mac(secret, payload)}`;
}
/** The token's claims without checking them (to find the secret); null if malformed. */
export function readToken(token: string): { workspaceId: string; contactId: string; channel: Channel; payload: string; sig: string } | null {
  const m = /^([A-Za-z0-9_-]{1,300})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [ws, contact, channel] = Buffer.from(m[1], 'base64url').toString().split('.');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  if (!uuid.test(ws ?? '') || !uuid.test(contact ?? '') || !(channels as readonly string[]).includes(channel)) return null;
  return { workspaceId: ws, contactId: contact, channel: channel as Channel, payload: m[1], sig: m[2] };
}
export function tokenValid(secret: string, t: { payload: string; sig: string }): boolean {
  const want = Buffer.from(mac(secret, t.payload));
  const got = Buffer.from(t.sig);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}
