import type { Locale } from '../../platform/i18n.js';

/**
 * Input vs output (投入产出, SPEC §3): per account, spend (budget drawn) against output (opportunity
 * amounts captured, incubated, won). Accounts that take a lot and give little are flagged, so that
 * "the crying child gets the milk" (会哭的孩子有奶喝) is visible.
 */
export type IoRow = {
  accountId: string;
  spendMinor: number;
  capturedMinor: number;
  incubatedMinor: number;
  wonMinor: number;
};

export type IoRanked = IoRow & {
  /** output per unit of spend (captured amount ÷ spend); null when nothing was spent */
  multiple: number | null;
  rank: number;
  flagged: boolean;
  reason: string | null;
};

/** ties break on the id in code-point order (the order PostgreSQL gives uuids), so SQL and code agree */
const byId = (a: { accountId: string }, b: { accountId: string }) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);

const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Ranks by multiple (best first; accounts without spend last, by output). Flags an account when its
 * spend is at or above the median spend of the accounts that spent anything, and its multiple is below
 * half of their median multiple (or it produced nothing at all).
 */
export function rankInputOutput(rows: IoRow[], locale: Locale): IoRanked[] {
  const spenders = rows.filter((r) => r.spendMinor > 0);
  const medSpend = median(spenders.map((r) => r.spendMinor));
  const medMultiple = median(spenders.map((r) => r.capturedMinor / r.spendMinor));
  const zh = locale === 'zh-CN';
  const ranked = rows
    .map((r) => {
      const multiple = r.spendMinor > 0 ? Math.round((r.capturedMinor / r.spendMinor) * 100) / 100 : null;
      let flagged = false;
      let reason: string | null = null;
      if (multiple !== null && r.spendMinor >= medSpend) {
        if (r.capturedMinor === 0) {
          flagged = true;
          reason = zh ? '投入不低于中位数，但尚无任何商机产出' : 'Spend at or above the median, but no opportunity output at all';
        } else if (multiple < medMultiple / 2) {
          flagged = true;
          reason = zh
            ? `投入不低于中位数，产出倍数 ${multiple} 不到中位数 ${Math.round(medMultiple * 100) / 100} 的一半`
            : `Spend at or above the median, output multiple ${multiple} below half the median ${Math.round(medMultiple * 100) / 100}`;
        }
      }
      return { ...r, multiple, flagged, reason, rank: 0 };
    })
    .sort((a, b) => {
      if (a.multiple === null && b.multiple === null) return b.capturedMinor - a.capturedMinor || byId(a, b);
      if (a.multiple === null) return 1;
      if (b.multiple === null) return -1;
      return b.multiple - a.multiple || b.capturedMinor - a.capturedMinor || byId(a, b);
    });
  for (const [i, r] of ranked.entries()) r.rank = i + 1;
  return ranked;
}
