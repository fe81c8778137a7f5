// The commercial record's public face (issue 16): contracts, delivery projects with milestones, acceptance and
// time, payment plans and payments; grading's credit, order amount and profit come from here, and renewals.
export { commerceRoutes } from './commerce.routes.js';
export { computeFigures, refreshAllFigures } from './commerce.service.js';
export { scanRenewals } from './renewals.service.js';
export { COMMERCE_NIGHTLY_JOB, COMMERCE_NIGHTLY_SCHEDULE, commerceNightlyHandler } from './commerce.jobs.js';
export * as commerceDomain from './commerce.domain.js';
export { commerceImportRoutes } from './import.routes.js';
