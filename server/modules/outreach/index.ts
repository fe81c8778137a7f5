// Precise outreach (issue 18): consent, frequency caps exact under concurrency, campaigns sent by jobs.
export { outreachRoutes } from './outreach.routes.js';
export { OUTREACH_BATCH_JOB, outreachBatchHandler } from './outreach.service.js';
export * as outreachDomain from './outreach.domain.js';
export * as outreachService from './outreach.service.js';
// people and portraits (issue 18 point 1): behaviour rules evaluated nightly
export { PEOPLE_RULES_JOB, PEOPLE_RULES_SCHEDULE, peopleRulesHandler } from './people.service.js';
export { measuresSubscriptions } from './measures.service.js';
export * as outreachPeopleService from './people.service.js';
/** the demo seed writes measures history through the repository (opens, clicks, referrals as if they had happened) */
export * as outreachMeasuresRepo from './measures.repo.js';
