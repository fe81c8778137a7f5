// The kpi module's public face: account health (model, scores, follow-ups), KPI scorecards and the manager's dashboards (SPEC §4, §6, §9).
export { kpiRoutes } from './kpi.routes.js';
export { HEALTH_JOB, HEALTH_ALL_JOB, HEALTH_SCHEDULE } from './recompute.js';
export { healthSubscriptions } from './health.subscribers.js';
export { recomputeHealth, healthJobHandler, healthAllJobHandler } from './health.service.js';
export { myAccountsAtRisk, myAtRiskAccountIds, myOpenFollowUps, FOLLOW_UP_DUE_DAYS } from './at-risk.service.js';
export * as healthDomain from './health.domain.js';
