/**
 * The iron triangle (铁三角, seeds 000/001/003): a sales rep, a delivery engineer and an
 * after-sales engineer per key account; A and C accounts also get a CSM who owns the account
 * end to end (一票到底). Channel accounts (E) are served through the partner's implementer. Pure.
 */
import type { Tier } from './grading.domain.js';
import type { Role } from '../../platform/permissions.js';
import { isKeyTier } from './tiers.domain.js';

export const seats = ['salesId', 'deliveryId', 'afterSalesId', 'csmId'] as const;
export type Seat = (typeof seats)[number];
export const seatRole: Record<Seat, Role> = { salesId: 'sales', deliveryId: 'delivery', afterSalesId: 'after_sales', csmId: 'csm' };

export type TeamSeats = Record<Seat, string | null>;

export function requiredSeats(tier: Tier): Seat[] {
  if (tier === 'E') return ['salesId'];
  if (isKeyTier(tier)) return ['salesId', 'deliveryId', 'afterSalesId', 'csmId'];
  return ['salesId', 'deliveryId', 'afterSalesId'];
}

export function missingSeats(tier: Tier, team: TeamSeats): Seat[] {
  return requiredSeats(tier).filter((s) => !team[s]);
}

const seatNames = {
  'zh-CN': { salesId: '销售', deliveryId: '交付工程师', afterSalesId: '售后工程师', csmId: '客户成功经理' },
  en: { salesId: 'sales rep', deliveryId: 'delivery engineer', afterSalesId: 'after-sales engineer', csmId: 'customer success manager' },
} as const;

export function describeMissing(locale: 'zh-CN' | 'en', tier: Tier, seatsMissing: Seat[]): string[] {
  return seatsMissing.map((s) =>
    locale === 'zh-CN'
      ? `${tier} 类客户缺少${seatNames[locale][s]}${s === 'csmId' ? '（A、C 类重点客户必须配备）' : ''}。`
      : `Tier ${tier} account without ${/^[aeiou]/.test(seatNames[locale][s]) ? 'an' : 'a'} ${seatNames[locale][s]}${s === 'csmId' ? ' (required for A and C key accounts)' : ''}.`,
  );
}

export function seatName(locale: 'zh-CN' | 'en', s: Seat): string {
  return seatNames[locale][s];
}
