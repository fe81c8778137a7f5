// The people module's public face: workspaces, staff users, teams, channel partners.
export { peopleRoutes } from './people.routes.js';
export { findChannelPartner, listUsers, createUser, emailTaken, type TeamKind } from './people.service.js';
export { createWorkspace, isAdminOf, listWorkspaces, findWorkspaceBySlug, setWorkspaceStatus, setupNeeded, type WorkspaceInput, type FirstAdmin } from './identity.service.js';
export { customerModels, workspaceLocales } from './identity.domain.js';
export { identityRoutes } from './identity.routes.js';
export { ssoRoutes } from './sso.routes.js';
export { workspaces, users, teams, teamMembers, channelPartners } from './people.table.js';
