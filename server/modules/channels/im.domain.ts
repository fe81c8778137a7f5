/**
 * IM group robots by their platforms' documented HTTP formats: the webhook address each platform
 * issues, its signature ("加签"), its markdown card, how it answers, and its rate limit per robot.
 * Pure: the time and the secret come in as arguments.
 */
import crypto from 'node:crypto';
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const imPlatforms = ['wecom', 'dingtalk', 'feishu'] as const;
export type ImPlatform = (typeof imPlatforms)[number];

export const imFailureReasons = ['rejected', 'rate_limited', 'unreachable', 'blocked'] as const;
export type ImFailureReason = (typeof imFailureReasons)[number];

// ---------- the webhook address each platform issues

const FEISHU_PATH = /\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9_-]{8,}$/;

/**
 * The address has the shape the platform issues (any host: private deployments and test receivers
 * differ; whether the host may be reached is the outbound guard's question):
 * WeCom `…/cgi-bin/webhook/send?key=…`, DingTalk `…/robot/send?access_token=…`, Feishu `…/open-apis/bot/v2/hook/<token>`.
 */
export function checkRobotUrl(platform: ImPlatform, u: URL): RuleResult<URL> {
  const q = (name: string) => (u.searchParams.get(name) ?? '').trim();
  const shaped =
    platform === 'wecom'
      ? u.pathname.endsWith('/cgi-bin/webhook/send') && /^[A-Za-z0-9_-]{8,}$/.test(q('key'))
      : platform === 'dingtalk'
        ? u.pathname.endsWith('/robot/send') && /^[A-Za-z0-9_-]{8,}$/.test(q('access_token'))
        : FEISHU_PATH.test(u.pathname);
  return shaped ? ok(u) : fail(`channels.bad_url.${platform}`, {}, 'webhookUrl');
}

/** WeCom group robots do not sign (the key in the address is the credential); DingTalk and Feishu sign when a secret is set. */
export function checkSecret(platform: ImPlatform, secret: string | null): RuleResult<string | null> {
  if (secret === null) return ok(null);
  if (platform === 'wecom') return fail('channels.secret_not_used', {}, 'secret');
  if (!/^[\x21-\x7e]{8,200}$/.test(secret)) return fail('channels.bad_secret', {}, 'secret');
  return ok(secret);
}

// ---------- signatures, exactly as documented

/** DingTalk: HMAC-SHA256 keyed with the secret over `timestamp(ms) + "\n" + secret`, base64 (URL-encode it in the query). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return crypto.createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu: HMAC-SHA256 keyed with `timestamp(s) + "\n" + secret` over an empty message, base64. */
export function feishuSign(secret: string, timestampSec: number): string {
  return crypto.createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

// ---------- the card

export type ImCard = { title: string; markdown: string; link: string; urgent?: boolean };

/** The button / link label under every card. */
export const LINK_LABEL = '查看详情';
/** WeCom caps markdown content at 4096 bytes; DingTalk and Feishu allow about 20 KB and 30 KB a message. */
const MAX_BYTES: Record<ImPlatform, number> = { wecom: 4096, dingtalk: 18_000, feishu: 28_000 };

function utf8Length(s: string) {
  return new TextEncoder().encode(s).length;
}

/** Cuts text so it fits `max` UTF-8 bytes, on a character boundary, with an ellipsis when cut. */
export function fitBytes(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  const chars = Array.from(s);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (utf8Length(`${chars.slice(0, mid).join('')}…`) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

/** The request to send: the URL (DingTalk carries its signature there) and the JSON body. */
export function buildRobotRequest(
  platform: ImPlatform,
  webhookUrl: string,
  secret: string | null,
  card: ImCard,
  nowMs: number,
): { url: string; body: string } {
  const title = `${card.urgent ? '【紧急】' : ''}${oneLine(card.title)}`.slice(0, 200);
  const footer = `\n\n[${LINK_LABEL}](${card.link})`;
  if (platform === 'wecom') {
    const head = `## ${title}\n`;
    const room = MAX_BYTES.wecom - utf8Length(head) - utf8Length(footer);
    return {
      url: webhookUrl,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content: `${head}${fitBytes(card.markdown, room)}${footer}` } }),
    };
  }
  if (platform === 'dingtalk') {
    const head = `### ${title}\n\n`;
    const room = MAX_BYTES.dingtalk - utf8Length(head) - utf8Length(footer);
    const u = new URL(webhookUrl);
    if (secret) {
      u.searchParams.set('timestamp', String(nowMs));
      u.searchParams.set('sign', dingtalkSign(secret, nowMs)); // URLSearchParams URL-encodes it
    }
    return {
      url: u.toString(),
      body: JSON.stringify({
        msgtype: 'markdown',
        markdown: { title, text: `${head}${fitBytes(card.markdown, room)}${footer}` },
        at: { isAtAll: !!card.urgent },
      }),
    };
  }
  const seconds = Math.floor(nowMs / 1000);
  const atAll = card.urgent ? '<at id=all></at> ' : '';
  const body = {
    ...(secret ? { timestamp: String(seconds), sign: feishuSign(secret, seconds) } : {}),
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: title }, template: card.urgent ? 'red' : 'blue' },
      elements: [
        { tag: 'markdown', content: `${atAll}${fitBytes(card.markdown, MAX_BYTES.feishu - utf8Length(title) - 400)}` },
        { tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: LINK_LABEL }, type: 'primary', url: card.link }] },
      ],
    },
  };
  return { url: webhookUrl, body: JSON.stringify(body) };
}

// ---------- the answer

/** The platforms' "too many messages" codes: WeCom 45009, DingTalk 130101, Feishu 9499 and 11232. */
const RATE_LIMIT_CODES: Record<ImPlatform, number[]> = { wecom: [45009], dingtalk: [130101], feishu: [9499, 11232] };

export type RobotReply = { ok: true } | { ok: false; reason: Exclude<ImFailureReason, 'blocked'>; code: number | null };

/**
 * What the platform said: success only on 2xx with its JSON code 0 (`errcode` for WeCom and DingTalk,
 * `code` for Feishu, whose older answers carry `StatusCode`); its rate-limit codes (or HTTP 429) mean
 * "later"; any other code is a refusal; anything that is not the platform's JSON is "unreachable".
 */
export function interpretReply(platform: ImPlatform, status: number, text: string): RobotReply {
  if (status === 429) return { ok: false, reason: 'rate_limited', code: null };
  if (status < 200 || status >= 300) return { ok: false, reason: 'unreachable', code: null };
  let json: Record<string, unknown>;
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object') return { ok: false, reason: 'unreachable', code: null };
    json = v as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'unreachable', code: null };
  }
  const raw = platform === 'feishu' ? (json.code ?? json.StatusCode) : json.errcode;
  const code = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : null;
  if (code === null) return { ok: false, reason: 'unreachable', code: null };
  if (code === 0) return { ok: true };
  if (RATE_LIMIT_CODES[platform].includes(code)) return { ok: false, reason: 'rate_limited', code };
  return { ok: false, reason: 'rejected', code };
}

// ---------- rate limits per robot

/** The documented limits: WeCom and DingTalk 20 messages a minute, Feishu 100 a minute and 5 a second. */
export const RATE_LIMITS: Record<ImPlatform, { windowMs: number; max: number }[]> = {
  wecom: [{ windowMs: 60_000, max: 20 }],
  dingtalk: [{ windowMs: 60_000, max: 20 }],
  feishu: [
    { windowMs: 60_000, max: 100 },
    { windowMs: 1_000, max: 5 },
  ],
};
const KEEP = 100;

/**
 * May this robot send now, given when it last sent? If not, the earliest moment it may (when enough of
 * the sends in each full window have left it).
 */
export function nextSendSlot(platform: ImPlatform, recent: Date[], now: Date): { ok: true } | { ok: false; retryAt: Date } {
  let retryAt = 0;
  for (const { windowMs, max } of RATE_LIMITS[platform]) {
    const inWindow = recent
      .map((d) => d.getTime())
      .filter((t) => t > now.getTime() - windowMs && t <= now.getTime())
      .sort((a, b) => a - b);
    if (inWindow.length >= max) retryAt = Math.max(retryAt, inWindow[inWindow.length - max] + windowMs);
  }
  return retryAt ? { ok: false, retryAt: new Date(retryAt) } : { ok: true };
}

/** The record after a send at `now`: the last KEEP sends of the last minute (enough for every limit above). */
export function withSend(recent: Date[], now: Date): Date[] {
  return [...recent.filter((d) => d.getTime() > now.getTime() - 60_000 && d.getTime() <= now.getTime()), now]
    .sort((a, b) => a.getTime() - b.getTime())
    .slice(-KEEP);
}

// ---------- what the API shows instead of credentials

/** A secret's hint: its first three and last four characters. */
export function maskSecret(s: string): string {
  return s.length < 12 ? '••••' : `${s.slice(0, 3)}…${s.slice(-4)}`;
}

/** The webhook address with its token masked (the token lets anyone post to the group). */
export function maskWebhookUrl(platform: ImPlatform, raw: string): string {
  const u = new URL(raw);
  const mask = (t: string) => (t.length < 12 ? '••••' : `${t.slice(0, 4)}…${t.slice(-4)}`);
  if (platform === 'feishu') {
    const parts = u.pathname.split('/');
    parts[parts.length - 1] = mask(parts[parts.length - 1]);
    return `${u.origin}${parts.join('/')}`;
  }
  const name = platform === 'wecom' ? 'key' : 'access_token';
  return `${u.origin}${u.pathname}?${name}=${mask(u.searchParams.get(name) ?? '')}`;
}
