// The opportunities module's public face: the one opportunity model; other modules capture into it.
export { captureOpportunity, type CaptureOpportunityInput, type OpportunitySource } from './opportunities.service.js';
export { opportunities, opportunityEvents } from './opportunities.table.js';
