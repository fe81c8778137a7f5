// People and portraits (issue 18 point 1): a person's to-C stage and how it moves, tags with their source, and
// behaviour rules whose tags carry the evidence of why they are there. Pure: no database, no clock of its own.
import { IANAZone } from 'luxon';
import { toCStages, type ToCStage } from '../accounts/lifecycle.domain.js';
import { toCStageLabels, type Column } from '../accounts/transfer.domain.js';

export { toCStages, type ToCStage };
export const tagSources = ['manual', 'import', 'rule'] as const;
export type TagSource = (typeof tagSources)[number];
export const moveSources = ['staff', 'import', 'rule'] as const;
export type MoveSource = (typeof moveSources)[number];
/**
 * What a rule counts in its window: portal page views of the person (a key person's login), portal requests
 * (needs posted, bookings asked), tickets the person opened (in the portal or by mail), and purchases of the
 * person's account (contracts signed, renewals included).
 */
export const ruleKinds = ['portal_views', 'portal_requests', 'tickets', 'purchases'] as const;
export type RuleKind = (typeof ruleKinds)[number];

export const MAX_TAG_LENGTH = 50;

/** What one person did in a rule's window: how many events, and the latest. */
export type Metric = { count: number; last: Date | null };

/** Why a rule tag is there: what was counted, in which window, against which threshold, and the latest event. */
export type TagEvidence = {
  kind: RuleKind;
  count: number;
  minCount: number;
  days: number;
  /** the window's start (ISO time) */
  since: string;
  /** the latest counted event (ISO time), if known */
  lastAt: string | null;
  /** when the rule was evaluated (ISO time) */
  evaluatedAt: string;
};

export type Rule = { id: string; kind: RuleKind; minCount: number; days: number; tag: string; stage: ToCStage | null; enabled: boolean };

export const stageIndex = (s: string | null | undefined) => (s ? toCStages.indexOf(s as ToCStage) : -1);

/** A stage move from `from` to `to` by `source`: staff may set any stage (or clear it), an import or a rule only moves forward. */
export function stageMoveAllowed(from: string | null, to: string | null, source: MoveSource): boolean {
  if (from === to) return false;
  if (source === 'staff') return true;
  return to !== null && stageIndex(to) > stageIndex(from);
}

export const isValidTimeZone = (tz: string) => IANAZone.isValidZone(tz);

/** A tag as people write it: trimmed, inner blanks collapsed; empty or too long → null. */
export function normaliseTag(raw: string): string | null {
  const t = raw.trim().replace(/\s+/g, ' ');
  return t && t.length <= MAX_TAG_LENGTH ? t : null;
}

export const ruleMatches = (rule: Pick<Rule, 'minCount'>, m: Metric | undefined) => !!m && m.count >= rule.minCount;

export function evidenceOf(rule: Rule, m: Metric, now: Date): TagEvidence {
  return {
    kind: rule.kind,
    count: m.count,
    minCount: rule.minCount,
    days: rule.days,
    since: windowStart(now, rule.days).toISOString(),
    lastAt: m.last?.toISOString() ?? null,
    evaluatedAt: now.toISOString(),
  };
}

export const windowStart = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

/** A rule tag held now: its person, its rule and tag. */
export type HeldRuleTag = { contactId: string; ruleId: string; tag: string };

export type RulePlan = {
  /** tags to set or refresh, with their evidence */
  set: { contactId: string; ruleId: string; tag: string; evidence: TagEvidence }[];
  /** rule tags whose behaviour no longer matches (or whose rule changed its tag, or was switched off) */
  remove: HeldRuleTag[];
  /** the stage each matched person moves forward to (the furthest of the matching rules' stages) */
  stages: Map<string, { stage: ToCStage; ruleId: string }>;
};

/**
 * Evaluates the rules over what each person did: a rule matching a person sets its tag with the evidence; a
 * rule tag held by someone the rule no longer matches is removed (manual and imported tags are not the rules'
 * business). A disabled rule matches nobody. Stages: the furthest stage of the rules matching each person.
 */
export function planRules(rules: Rule[], metrics: Map<string, Map<string, Metric>>, held: HeldRuleTag[], now: Date): RulePlan {
  const set: RulePlan['set'] = [];
  const stages: RulePlan['stages'] = new Map();
  const keep = new Set<string>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    for (const [contactId, m] of metrics.get(rule.id) ?? []) {
      if (!ruleMatches(rule, m)) continue;
      set.push({ contactId, ruleId: rule.id, tag: rule.tag, evidence: evidenceOf(rule, m, now) });
      keep.add(`${contactId}\u0000${rule.id}\u0000${rule.tag}`);
      if (rule.stage && stageIndex(rule.stage) > stageIndex(stages.get(contactId)?.stage))
        stages.set(contactId, { stage: rule.stage, ruleId: rule.id });
    }
  }
  const remove = held.filter((h) => !keep.has(`${h.contactId}\u0000${h.ruleId}\u0000${h.tag}`));
  return { set, remove, stages };
}

/** The people import (CSV/XLSX): a person named by contact id or email, their tags, and optionally their stage. */
export const MAX_PEOPLE_IMPORT_ROWS = 20_000;
export const MAX_PEOPLE_IMPORT_BYTES = 8 * 1024 * 1024;
export const peopleImportColumns: Column[] = [
  {
    key: 'contactId',
    label: { 'zh-CN': '联系人ID', en: 'Contact ID' },
    kind: 'text',
    aliases: ['联系人编号', 'ID', 'Contact id'],
    help: { 'zh-CN': '联系人ID与邮箱二选一', en: 'the contact ID or the email, one of the two' },
  },
  { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' }, kind: 'text', aliases: ['电子邮箱', 'E-mail'] },
  {
    key: 'tags',
    label: { 'zh-CN': '标签', en: 'Tags' },
    kind: 'list',
    aliases: ['人群标签', 'Tag'],
    help: { 'zh-CN': `每个标签不超过 ${MAX_TAG_LENGTH} 个字`, en: `each tag at most ${MAX_TAG_LENGTH} characters` },
  },
  {
    key: 'stage',
    label: { 'zh-CN': 'C端阶段', en: 'To-C stage' },
    kind: 'enum',
    values: toCStages,
    valueLabels: toCStageLabels,
    aliases: ['阶段', 'Stage'],
    help: { 'zh-CN': '只向前推进，不会退回', en: 'moves the stage forward only, never back' },
  },
];
