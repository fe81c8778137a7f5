// The people module's public face: workspaces, staff users, teams, channel partners.
export { peopleRoutes } from './people.routes.js';
export {
  findChannelPartner,
  listUsers,
  createUser,
  workspaceTimeZone,
  usersByIds,
  activeUsersWithRole,
  nextTicketNumber,
  findWorkspace,
  workspaceIds,
  teamsWithMembers,
  teamIdsOf,
  memberIdsOfTeam,
  teamNames,
  userNames,
  partnerNames,
  partnersOf,
  usersOf,
  implementersOf,
  type TeamKind,
} from './people.service.js';
export type { PublicUser } from './people.repo.js';
export {
  createWorkspace,
  isAdminOf,
  listWorkspaces,
  findWorkspaceBySlug,
  setWorkspaceStatus,
  setupNeeded,
  type WorkspaceInput,
  type FirstAdmin,
} from './identity.service.js';
export { customerModels, workspaceLocales } from './identity.domain.js';
export { identityRoutes } from './identity.routes.js';
export { ssoRoutes } from './sso.routes.js';
