/** The vocabularies the server uses (see server/modules/accounts/*.domain.ts and platform/permissions.ts). */
export const tiers = ['A', 'B', 'C', 'D', 'E'] as const;
export type Tier = (typeof tiers)[number];
export const keyTiers: readonly string[] = ['A', 'C'];
export const stages = ['handover', 'startup', 'adaptation', 'renewal', 'churn'] as const;
export type Stage = (typeof stages)[number];
export const toCStages = ['contact', 'interest', 'purchase', 'repurchase', 'loyalty'] as const;
export const ladders = ['participant', 'supplier', 'key_supplier', 'strategic_partner'] as const;
export type Ladder = (typeof ladders)[number];
export const roles = ['admin', 'manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert', 'channel_implementer'] as const;
export type Role = (typeof roles)[number];
export const contactSides = ['business_head', 'operations_it', 'executive', 'other'] as const;
export const ourSides = ['sales', 'service', 'delivery', 'executive'] as const;
export const orgGroups = ['promotion_committee', 'rollout', 'kpi_monitoring', 'improvement_ops'] as const;
export const teamKinds = ['service_desk', 'expert', 'delivery', 'industry_center'] as const;
export const customerModels = ['to_b', 'to_c', 'both'] as const;
export const factors = ['credit', 'orderAmount', 'prospect', 'profit'] as const;
export type Factor = (typeof factors)[number];
export const segmentFields = ['tier', 'stage', 'industry', 'region', 'tag', 'ladder', 'channel'] as const;
export type SegmentField = (typeof segmentFields)[number];

export const tierColor: Record<string, string> = { A: 'red', C: 'orange', B: 'blue', D: 'default', E: 'purple' };
export const stageColor: Record<string, string> = { handover: 'cyan', startup: 'blue', adaptation: 'geekblue', renewal: 'green', churn: 'red' };
