// The relationships module's public face: relationship metrics (closeness, solution and price acceptance)
// over time with evidence, and the behaviour-pattern profile with its mastery (SPEC §4).
export { relationshipsRoutes } from './relationships.routes.js';
export { recordAssessment, createAssessment, addBehaviourFact, type AssessmentInput } from './relationships.service.js';
export { assessmentsOfAccounts, factsOfAccounts } from './relationships.repo.js';
export { AssessmentRecorded } from './relationships.events.js';
export * as metricsDomain from './metrics.domain.js';
