// Precise outreach (issue 18): consent, frequency caps exact under concurrency, campaigns sent by jobs.
export { outreachRoutes } from './outreach.routes.js';
export { OUTREACH_BATCH_JOB, outreachBatchHandler } from './outreach.service.js';
export * as outreachDomain from './outreach.domain.js';
export { measuresSubscriptions } from './measures.service.js';
