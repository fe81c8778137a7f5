// The people module's public face: workspaces, staff users, teams, channel partners.
export { peopleRoutes } from './people.routes.js';
export { findChannelPartner, listUsers, createUser, workspaceTimeZone, type TeamKind } from './people.service.js';
export { workspaces, users, teams, teamMembers, channelPartners } from './people.table.js';
