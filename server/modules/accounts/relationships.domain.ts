/**
 * The universal relationship map (普遍客户关系, seed 002): our sales, service, delivery and
 * executives × their business heads, operations/IT and executives. Gaps are what a key-account
 * manager must fix. Pure.
 */
import type { Tier } from './grading.domain.js';
import { isKeyTier } from './tiers.domain.js';

export const ourSides = ['sales', 'service', 'delivery', 'executive'] as const;
export type OurSide = (typeof ourSides)[number];
export const theirSides = ['business_head', 'operations_it', 'executive', 'other'] as const;
export type TheirSide = (typeof theirSides)[number];
export const orgGroups = ['promotion_committee', 'rollout', 'kpi_monitoring', 'improvement_ops'] as const;
export type OrgGroup = (typeof orgGroups)[number];

export type MapLink = { ourSide: OurSide; theirSide: TheirSide; strength: number; lastContactAt: Date | null; userName: string; contactName: string };

export type Gap =
  | { kind: 'no_executive_link' }
  | { kind: 'missing_our_side'; side: OurSide }
  | { kind: 'missing_their_side'; side: Exclude<TheirSide, 'other'> }
  | { kind: 'weak_only'; side: OurSide }
  | { kind: 'stale'; userName: string; contactName: string; days: number }
  | { kind: 'no_links' };

export const STALE_DAYS = 90;

/**
 * Key accounts (A, C) must be covered from every side and at the top (an executive-to-executive
 * link); every account's links go stale after 90 days without contact.
 */
export function relationshipGaps(tier: Tier, links: MapLink[], now: Date): Gap[] {
  const gaps: Gap[] = [];
  if (links.length === 0) return [{ kind: 'no_links' }];
  const key = isKeyTier(tier);
  if (key) {
    if (!links.some((l) => l.ourSide === 'executive' && l.theirSide === 'executive')) gaps.push({ kind: 'no_executive_link' });
    for (const side of ourSides) {
      const mine = links.filter((l) => l.ourSide === side);
      if (mine.length === 0) gaps.push({ kind: 'missing_our_side', side });
      else if (mine.every((l) => l.strength <= 2)) gaps.push({ kind: 'weak_only', side });
    }
    for (const side of ['business_head', 'operations_it', 'executive'] as const) {
      if (!links.some((l) => l.theirSide === side)) gaps.push({ kind: 'missing_their_side', side });
    }
  }
  for (const l of links) {
    if (!l.lastContactAt) continue;
    const days = Math.floor((now.getTime() - l.lastContactAt.getTime()) / 86_400_000);
    if (days > STALE_DAYS) gaps.push({ kind: 'stale', userName: l.userName, contactName: l.contactName, days });
  }
  return gaps;
}

const ourZh: Record<OurSide, string> = { sales: '销售', service: '服务', delivery: '交付', executive: '高管' };
const theirZh: Record<TheirSide, string> = { business_head: '业务负责人', operations_it: '运维/IT', executive: '高管', other: '其他' };
const theirEn: Record<TheirSide, string> = {
  business_head: 'business heads',
  operations_it: 'operations/IT',
  executive: 'executives',
  other: 'others',
};

export function describeGap(locale: 'zh-CN' | 'en', g: Gap): string {
  const zh = locale === 'zh-CN';
  switch (g.kind) {
    case 'no_links':
      return zh ? '尚未建立任何关系连线。' : 'No relationship links yet.';
    case 'no_executive_link':
      return zh ? '重点客户缺少高层对高层的关系。' : 'Key account without an executive-to-executive link.';
    case 'missing_our_side':
      return zh ? `我方${ourZh[g.side]}与客户没有任何关系连线。` : `Nobody from our ${g.side} side is linked to this customer.`;
    case 'missing_their_side':
      return zh ? `与客户${theirZh[g.side]}没有关系连线。` : `No link to their ${theirEn[g.side]}.`;
    case 'weak_only':
      return zh ? `我方${ourZh[g.side]}的关系都较弱（强度 ≤ 2）。` : `All links from our ${g.side} side are weak (strength ≤ 2).`;
    case 'stale':
      return zh
        ? `${g.userName} 与 ${g.contactName} 已 ${g.days} 天未联系。`
        : `${g.userName} has not been in touch with ${g.contactName} for ${g.days} days.`;
  }
}
