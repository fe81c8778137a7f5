// The customer portal's public face (SPEC §8): each key account's community for its key persons.
export { portalRoutes } from './portal.routes.js';
export {
  inviteKeyPerson,
  requestReset,
  redeemToken,
  getPortalActivity,
  createPost,
  postDemand,
  addDemandMessage,
} from './portal.service.js';
// what key persons did in the portal, counted (the outreach module's behaviour rules)
export { signalCountsByKeyPerson } from './portal.repo.js';
export { sanitizeRichText } from './content.domain.js';
export { PortalNeedPosted, PortalNeedMessaged } from './portal.events.js';
