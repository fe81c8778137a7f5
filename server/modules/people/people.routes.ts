import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, PreconditionReplies, staff } from '../../platform/http.js';
import { roles } from '../../platform/permissions.js';
import { pendingInvites } from './identity.service.js';
import * as svc from './people.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Role = z.enum(roles);
const TeamKind = z.enum(['service_desk', 'expert', 'delivery', 'industry_center']);
const text = (max = 100) => z.string().trim().min(1).max(max);

const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  phone: z.string().nullable(),
  skills: z.array(z.string()),
  channelPartnerId: z.string().nullable(),
  managerId: z.string().nullable(),
  active: z.boolean(),
  locale: z.string().nullable(),
  createdAt: z.date(),
});
/**
 * In the list: `invited` while the person has not accepted the invitation (no password yet). `email` and
 * `phone` are null for a channel implementer reading anyone but themselves.
 */
const UserListItem = User.extend({ invited: z.boolean(), email: z.string().nullable() });
export const CreateUserBody = z.strictObject({
  email: z.email().max(254),
  name: text(),
  role: Role,
  password: z.string().min(1).max(200),
  phone: z.string().max(40).nullish(),
  skills: z.array(text(40)).max(30).optional(),
  channelPartnerId: z.uuid().nullish(),
  managerId: z.uuid().nullish(),
});
const UpdateUserBody = z.strictObject({
  email: z.email().max(254).optional(),
  name: text().optional(),
  role: Role.optional(),
  phone: z.string().max(40).nullish(),
  skills: z.array(text(40)).max(30).optional(),
  channelPartnerId: z.uuid().nullish(),
  managerId: z.uuid().nullish(),
  active: z.boolean().optional(),
});
const Team = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  industry: z.string().nullable(),
  leadId: z.string().nullable(),
  members: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })).optional(),
});
const Partner = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
});
const PartnerBody = z.strictObject({
  name: text(),
  region: z.string().max(50).nullish(),
  contactName: z.string().max(50).nullish(),
  contactPhone: z.string().max(40).nullish(),
  active: z.boolean().optional(),
});
const Workspace = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  currency: z.string(),
  defaultLocale: z.string(),
  customerModel: z.string(),
  version: z.number().int().describe('optimistic concurrency of the settings: send it back (body or If-Match) with a change; 412 if stale'),
});

export function peopleRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['people'];
    app.get(
      '/api/users',
      {
        schema: {
          tags,
          summary: 'Staff users of my workspace (invited: has not accepted the invitation yet)',
          querystring: z.strictObject({ role: Role.optional(), active: z.enum(['true', 'false']).optional() }),
          response: { 200: z.object({ items: z.array(UserListItem) }), ...errors },
        },
      },
      async (req) => {
        const items = await svc.listUsers(db, staff(req), {
          role: req.query.role,
          active: req.query.active === undefined ? undefined : req.query.active === 'true',
        });
        const invited = await pendingInvites(db, staff(req).workspaceId);
        return { items: items.map((u) => ({ ...u, invited: invited.has(u.id) })) };
      },
    );
    app.post(
      '/api/users',
      { schema: { tags, summary: 'Create a staff user (admins)', body: CreateUserBody, response: { 201: User, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createUser(db, staff(req), req.body)),
    );
    app.patch(
      '/api/users/:id',
      {
        schema: {
          tags,
          summary: 'Change a user: role, activity, details (admins)',
          params: IdParam,
          body: UpdateUserBody,
          response: { 200: User, ...errors },
        },
      },
      async (req) => svc.updateUser(db, staff(req), req.params.id, req.body),
    );

    app.get(
      '/api/teams',
      { schema: { tags, summary: 'Teams with their members', response: { 200: z.object({ items: z.array(Team) }), ...errors } } },
      async (req) => ({ items: await svc.listTeams(db, staff(req)) }),
    );
    app.post(
      '/api/teams',
      {
        schema: {
          tags,
          summary: 'Create a team',
          body: z.strictObject({ name: text(), kind: TeamKind, industry: z.string().trim().min(1).max(50).nullish(), leadId: z.uuid().nullish() }),
          response: { 201: Team, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createTeam(db, staff(req), req.body)),
    );
    app.patch(
      '/api/teams/:id',
      {
        schema: {
          tags,
          summary: 'Rename a team, change its industry or lead',
          params: IdParam,
          body: z.strictObject({ name: text().optional(), industry: z.string().trim().min(1).max(50).nullish(), leadId: z.uuid().nullish() }),
          response: { 200: Team, ...errors },
        },
      },
      async (req) => svc.updateTeam(db, staff(req), req.params.id, req.body),
    );
    app.put(
      '/api/teams/:id/members',
      {
        schema: {
          tags,
          summary: "Replace a team's members",
          params: IdParam,
          body: z.strictObject({ userIds: z.array(z.uuid()).max(500) }),
          response: { 200: z.object({ teamId: z.string(), userIds: z.array(z.string()) }), ...errors },
        },
      },
      async (req) => svc.setTeamMembers(db, staff(req), req.params.id, req.body.userIds),
    );

    app.get(
      '/api/channel-partners',
      { schema: { tags, summary: 'Channel partners', response: { 200: z.object({ items: z.array(Partner) }), ...errors } } },
      async (req) => ({ items: await svc.listChannelPartners(db, staff(req)) }),
    );
    app.post(
      '/api/channel-partners',
      { schema: { tags, summary: 'Add a channel partner', body: PartnerBody, response: { 201: Partner, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createChannelPartner(db, staff(req), req.body)),
    );
    app.patch(
      '/api/channel-partners/:id',
      { schema: { tags, summary: 'Change a channel partner', params: IdParam, body: PartnerBody.partial(), response: { 200: Partner, ...errors } } },
      async (req) => svc.updateChannelPartner(db, staff(req), req.params.id, req.body),
    );

    app.get('/api/settings/workspace', { schema: { tags, summary: 'My workspace', response: { 200: Workspace, ...errors } } }, async (req) =>
      svc.getWorkspace(db, staff(req)),
    );
    app.patch(
      '/api/settings/workspace',
      {
        schema: {
          tags,
          summary: 'Change workspace settings (admins)',
          body: z.strictObject({
            name: text().optional(),
            timezone: z.string().max(64).optional(),
            defaultLocale: z.enum(['zh-CN', 'en']).optional(),
            customerModel: z.enum(['to_b', 'to_c', 'both']).optional(),
            version: z.number().int().min(1).optional().describe('the version read (alternative to If-Match); 412 if someone saved since'),
          }),
          description: 'Send the ETag of the settings read as If-Match (or `version`): 412 if someone saved them since; the console must (428).',
          response: { 200: Workspace, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...patch } = req.body;
        return svc.updateWorkspace(db, staff(req), patch, expectedVersion(req, version));
      },
    );
  };
}
