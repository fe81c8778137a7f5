/**
 * The six core tasks of the value-add track (六大核心任务, SPEC §3, seed 001): a fixed bilingual
 * vocabulary. Catalog items, focus choices and recommendations all speak in these ids.
 */
export const coreTasks = ['capture', 'incubate', 'closeness', 'solution', 'price', 'behaviour'] as const;
export type CoreTask = (typeof coreTasks)[number];

export const coreTaskLabels: Record<CoreTask, { 'zh-CN': string; en: string }> = {
  capture: { 'zh-CN': '捕捉商机', en: 'capture opportunities' },
  incubate: { 'zh-CN': '孵化商机', en: 'incubate opportunities' },
  closeness: { 'zh-CN': '提升关系紧密度', en: 'raise relationship closeness' },
  solution: { 'zh-CN': '提升方案认可度', en: 'raise solution acceptance' },
  price: { 'zh-CN': '提升价格接受度', en: 'raise price acceptance' },
  behaviour: { 'zh-CN': '掌握项目行为规律', en: 'master project behaviour patterns' },
};

export function isCoreTask(x: string): x is CoreTask {
  return (coreTasks as readonly string[]).includes(x);
}

/** Keeps the vocabulary's order and drops repeats, so stored task lists compare equal. */
export function normaliseTasks(tasks: readonly string[]): CoreTask[] {
  const set = new Set(tasks);
  return coreTasks.filter((t) => set.has(t));
}

/** Relationship metrics a value-add task can move (SPEC §4); the last three of the six tasks' goals. */
export const relationshipMetrics = ['closeness', 'solution', 'price', 'behaviour'] as const;
export type RelationshipMetric = (typeof relationshipMetrics)[number];
