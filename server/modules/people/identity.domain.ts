// Rules of going live: workspace codes, one-time links for staff. Pure: time and tokens come in as arguments.
import { IANAZone } from 'luxon';
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const STAFF_INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const STAFF_RESET_TTL_MS = 60 * 60 * 1000;
/** one reset mail per person per this long, however often the form is sent */
export const STAFF_RESET_THROTTLE_MS = 5 * 60 * 1000;

export const customerModels = ['to_b', 'to_c', 'both'] as const;
export const workspaceLocales = ['zh-CN', 'en'] as const;
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** A workspace code: given, else made from a Latin name, else `ws-` and a suffix the caller draws. */
export function workspaceSlug(name: string, given: string | undefined, randomSuffix: string): RuleResult<string> {
  if (given !== undefined) {
    const s = given.trim().toLowerCase();
    return SLUG_PATTERN.test(s) ? ok(s) : fail('error.validation', { detail: 'slug: a–z, 0–9 and -, 1–40 characters' }, 'slug');
  }
  const latin = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/g, '');
  return ok(latin.length >= 2 ? latin : `ws-${randomSuffix}`);
}

export function validTimezone(tz: string): RuleResult<string> {
  return IANAZone.isValidZone(tz) ? ok(tz) : fail('error.timezone', { value: tz }, 'timezone');
}

export type TokenState = 'ok' | 'missing' | 'used' | 'expired';
export function staffTokenState(t: { usedAt: Date | null; expiresAt: Date } | undefined, now: Date): TokenState {
  if (!t) return 'missing';
  if (t.usedAt) return 'used';
  return t.expiresAt.getTime() <= now.getTime() ? 'expired' : 'ok';
}

/** The mail a staff member gets: an invitation (set your own password) or a reset link. */
export function staffLinkMail(
  locale: 'zh-CN' | 'en',
  purpose: 'invite' | 'reset',
  v: { name: string; workspace: string; url: string; invitedBy: string | null },
): { subject: string; text: string } {
  if (locale === 'en') {
    return purpose === 'invite'
      ? {
          subject: `You are invited to ${v.workspace} on Keyward`,
          text: `Hello ${v.name},\n\n${v.invitedBy ?? 'The administrator'} invited you to ${v.workspace} on Keyward.\nSet your password and sign in here (the link works once, for 7 days):\n\n${v.url}\n`,
        }
      : {
          subject: `Reset your Keyward password (${v.workspace})`,
          text: `Hello ${v.name},\n\nSomeone asked to reset your password for ${v.workspace}. If it was you, choose a new one here (the link works once, for 1 hour):\n\n${v.url}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
        };
  }
  return purpose === 'invite'
    ? {
        subject: `邀请您加入 Keyward 工作区「${v.workspace}」`,
        text: `${v.name}，您好：\n\n${v.invitedBy ?? '管理员'}邀请您加入 Keyward 工作区「${v.workspace}」。\n请通过以下链接设置密码并登录（链接 7 天内有效，仅可使用一次）：\n\n${v.url}\n`,
      }
    : {
        subject: `重置您的 Keyward 密码（${v.workspace}）`,
        text: `${v.name}，您好：\n\n有人申请重置您在「${v.workspace}」的密码。如果是您本人，请通过以下链接设置新密码（1 小时内有效，仅可使用一次）：\n\n${v.url}\n\n如果不是您本人，请忽略本邮件，您的密码不会改变。\n`,
      };
}
