/**
 * Tags and rule-based segments (seed 002: 标签体系, 精准触达). A segment is a list of conditions,
 * all of which must hold; each condition names a field of the account and the values it may take.
 * The same filter shape drives the account list, so a segment is "a saved filter with a name". Pure.
 */
import type { Tier } from './grading.domain.js';
import type { LadderLevel, Stage, ToCStage } from './lifecycle.domain.js';

export const segmentFields = ['tier', 'stage', 'toCStage', 'ladder', 'industry', 'region', 'tag', 'channel'] as const;
export type SegmentField = (typeof segmentFields)[number];
export type SegmentCondition = { field: SegmentField; values: string[] };

export type AccountFilter = {
  tier?: Tier[];
  stage?: Stage[];
  toCStage?: ToCStage[];
  ladder?: LadderLevel[];
  industry?: string[];
  region?: string[];
  /** accounts carrying any of these tags */
  tag?: string[];
  channel?: ('direct' | 'channel')[];
  ownerId?: string;
  channelPartnerId?: string;
  q?: string;
  /** these accounts only (a selection on the list: its export) */
  ids?: string[];
};

/** Folds a segment's conditions into a filter; repeated fields narrow (intersection of allowed values). */
export function segmentToFilter(conditions: SegmentCondition[]): AccountFilter {
  const f: Record<string, string[]> = {};
  for (const c of conditions) {
    const prev = f[c.field];
    f[c.field] = prev ? prev.filter((v) => c.values.includes(v)) : [...new Set(c.values)];
  }
  return f as AccountFilter;
}

export function normaliseTag(tag: string): string {
  return tag.trim().replace(/\s+/g, ' ').slice(0, 40);
}
