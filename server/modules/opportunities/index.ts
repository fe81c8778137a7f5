// The opportunities module's public face: the one opportunity model; other modules capture into it.
export {
  captureOpportunity,
  opportunitiesFromSourceColumn,
  opportunitiesBySource,
  type CaptureOpportunityInput,
  type OpportunitySource,
} from './opportunities.service.js';
export { opportunitiesRoutes } from './opportunities.routes.js';
export { moveOpportunity, recordIncubation, webhookHandler, WEBHOOK_JOB } from './pipeline.service.js';
export * as pipeline from './opportunities.domain.js';
export { OpportunityHandedOver } from './opportunities.events.js';
