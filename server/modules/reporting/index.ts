// The reporting module's public face: the reads that span modules — the manager's dashboards, KPI
// scorecards (and their settings), value-add's input vs output ranking, the inputs of account health
// and the workbench's accounts at risk and follow-ups (SPEC §3, §4, §6, §9).
//
// Its job is reading. It is the ONE module allowed to read other modules' tables (its queries join
// accounts, tickets, SLA clocks, opportunities, budgets, meetings, assessments, value items, health…,
// all of which server/db/schema.ts re-exports); every other module reads another's data only through
// that module's index.ts. It imports no other module's index that could import it back: modules that
// need a cross-module read (kpi's health, the workbench) call the functions exported here.
export { reportingRoutes } from './reporting.routes.js';
export { getDashboard, getChartRecords } from './dashboard.service.js';
export { getInputOutput } from './input-output.service.js';
export { inputOutputQuery } from './input-output.repo.js';
export { leaderboard, kpiEvidence, getKpiSettings, putKpiSettings } from './scorecard.service.js';
export * as scorecardDomain from './scorecard.domain.js';
export {
  healthInputs,
  accountsForHealth,
  accountsAtRisk,
  accountsAtRiskIds,
  openFollowUpsOf,
  followUpList,
  visibleAccountsSql,
  type RawInputs,
  type HealthAccount,
  type AtRiskRow,
} from './health-inputs.repo.js';
export { globalSearch, accountTimeline } from './search.service.js';
