// The commercial record's public face (issue 16): contracts, delivery projects with milestones, acceptance and
// time, payment plans and payments; grading's credit, order amount and profit come from here, and renewals.
export { commerceRoutes } from './commerce.routes.js';
// the portal's 交付进展, and the SLA a contract buys for the service desk
export { deliveryProgressOf, contractSla } from './commerce.service.js';
// contracts signed per account in a window (the outreach module's behaviour rules)
export { purchasesByAccount } from './commerce.repo.js';
export { COMMERCE_NIGHTLY_JOB, COMMERCE_NIGHTLY_SCHEDULE, commerceNightlyHandler } from './commerce.jobs.js';
export * as commerceDomain from './commerce.domain.js';
export { commerceImportRoutes } from './import.routes.js';
// outreach's measures: purchases, renewals and payments of accounts, attributed to touches
export { commercialOutcomes, type CommercialOutcome } from './outcomes.repo.js';
