/**
 * Stages (分阶段) and the relationship ladder (关系阶梯), seed 002. Pure rules.
 */
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const stages = ['handover', 'startup', 'adaptation', 'renewal', 'churn'] as const;
export type Stage = (typeof stages)[number];
export const toCStages = ['contact', 'interest', 'purchase', 'repurchase', 'loyalty'] as const;
export type ToCStage = (typeof toCStages)[number];

export const stageLabels: Record<Stage, { 'zh-CN': string; en: string }> = {
  handover: { 'zh-CN': '交接期', en: 'handover' },
  startup: { 'zh-CN': '启动期', en: 'startup' },
  adaptation: { 'zh-CN': '适应期', en: 'adaptation' },
  renewal: { 'zh-CN': '续约期', en: 'renewal' },
  churn: { 'zh-CN': '流失期', en: 'churn' },
};

/**
 * The to-B lifecycle moves forward one stage at a time; a renewed account starts a new
 * adaptation cycle; any live account can churn; a churned account can be won back (handover).
 */
const next: Record<Stage, Stage[]> = {
  handover: ['startup', 'churn'],
  startup: ['adaptation', 'churn'],
  adaptation: ['renewal', 'churn'],
  renewal: ['adaptation', 'churn'],
  churn: ['handover'],
};

export function allowedNextStages(from: Stage): Stage[] {
  return next[from];
}

export function decideStageMove(from: Stage, to: Stage, locale: 'zh-CN' | 'en' = 'zh-CN'): RuleResult<Stage> {
  if (from === to) return fail('stage.same', { stage: stageLabels[to][locale] }, 'to');
  if (!next[from].includes(to)) {
    return fail(
      'stage.illegal',
      {
        from: stageLabels[from][locale],
        to: stageLabels[to][locale],
        allowed: next[from].map((s) => stageLabels[s][locale]).join(locale === 'en' ? ', ' : '、'),
      },
      'to',
    );
  }
  return ok(to);
}

/** Whole days since the stage was entered. */
export function daysInStage(enteredAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - enteredAt.getTime()) / 86_400_000));
}

export const ladderLevels = ['participant', 'supplier', 'key_supplier', 'strategic_partner'] as const;
export type LadderLevel = (typeof ladderLevels)[number];
export const ladderLabels: Record<LadderLevel, { 'zh-CN': string; en: string }> = {
  participant: { 'zh-CN': '参与者', en: 'participant' },
  supplier: { 'zh-CN': '供应商', en: 'supplier' },
  key_supplier: { 'zh-CN': '关键供应商', en: 'key supplier' },
  strategic_partner: { 'zh-CN': '战略合作伙伴', en: 'strategic partner' },
};

/** The ladder is climbed one step at a time ("这种关系不是一天建成的"); a fall can be any depth but needs a reason. */
export function decideLadderMove(
  from: LadderLevel,
  to: LadderLevel,
  reason: string | undefined,
  locale: 'zh-CN' | 'en' = 'zh-CN',
): RuleResult<LadderLevel> {
  const i = ladderLevels.indexOf(from);
  const j = ladderLevels.indexOf(to);
  if (i === j) return fail('ladder.same', { level: ladderLabels[to][locale] }, 'to');
  if (j > i + 1) return fail('ladder.skip', { next: ladderLabels[ladderLevels[i + 1]][locale] }, 'to');
  if (j < i && !reason?.trim()) return fail('ladder.reason_required', {}, 'reason');
  return ok(to);
}
