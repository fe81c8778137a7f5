import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, staff } from '../../platform/http.js';
import * as svc from './channels.service.js';
import { imFailureReasons, imPlatforms } from './im.domain.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['channels'];

export const Robot = z.object({
  id: z.string(),
  accountId: z.string().nullable(),
  platform: z.enum(imPlatforms),
  name: z.string(),
  /** the webhook address with its token masked */
  webhookHint: z.string(),
  secretSet: z.boolean(),
  secretHint: z.string().nullable(),
  enabled: z.boolean(),
  lastSuccessAt: z.date().nullable(),
  lastFailureAt: z.date().nullable(),
  lastFailure: z.object({ reason: z.enum(imFailureReasons), code: z.number().nullable(), message: z.string() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const Name = z.string().trim().min(1).max(60);
const WebhookUrl = z.string().trim().min(1).max(2000);
const Secret = z.string().max(200);
const CreateRobotBody = z.strictObject({
  platform: z.enum(imPlatforms),
  name: Name,
  webhookUrl: WebhookUrl.describe('WeCom …/cgi-bin/webhook/send?key=…, DingTalk …/robot/send?access_token=…, Feishu …/open-apis/bot/v2/hook/<token>'),
  secret: Secret.nullish().describe('DingTalk / Feishu signing secret (加签); never returned'),
  enabled: z.boolean().optional(),
});
const UpdateRobotBody = z.strictObject({
  name: Name.optional(),
  webhookUrl: WebhookUrl.optional(),
  secret: Secret.nullish().describe('omit to keep, null or "" to clear'),
  enabled: z.boolean().optional(),
});
const TestReply = z.object({ ok: z.boolean(), message: z.string() });

export function channelsRoutes(db: Db, opts: { publicUrl: string }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/channels/robots',
      { schema: { tags, summary: "The workspace's IM robots (admin)", response: { 200: z.object({ items: z.array(Robot) }), ...errors } } },
      async (req) => ({ items: await svc.listRobots(db, staff(req), null) }),
    );
    app.post(
      '/api/channels/robots',
      {
        schema: {
          tags,
          summary: 'Add a workspace IM robot (admin). Internal hosts only if the operator allows them (KW_OUTBOUND_ALLOW_HOSTS).',
          body: CreateRobotBody,
          response: { 201: Robot, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createRobot(db, staff(req), null, req.body)),
    );
    app.get(
      '/api/accounts/:id/robots',
      {
        schema: {
          tags,
          summary: "The IM robots of an account's iron-triangle group (admin, manager)",
          params: IdParam,
          response: { 200: z.object({ items: z.array(Robot) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listRobots(db, staff(req), req.params.id) }),
    );
    app.post(
      '/api/accounts/:id/robots',
      {
        schema: {
          tags,
          summary: "Add an IM robot for the account's iron-triangle group (admin, manager): its cards go there instead of the workspace's robots",
          params: IdParam,
          body: CreateRobotBody,
          response: { 201: Robot, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createRobot(db, staff(req), req.params.id, req.body)),
    );
    app.patch(
      '/api/channels/robots/:id',
      {
        schema: {
          tags,
          summary: 'Change an IM robot (name, address, secret, on/off)',
          params: IdParam,
          body: UpdateRobotBody,
          response: { 200: Robot, ...errors },
        },
      },
      async (req) => svc.updateRobot(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/channels/robots/:id',
      { schema: { tags, summary: 'Remove an IM robot', params: IdParam, response: { 200: z.object({ ok: z.literal(true) }), ...errors } } },
      async (req) => {
        await svc.deleteRobot(db, staff(req), req.params.id);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/channels/robots/:id/test',
      {
        schema: {
          tags,
          summary: 'Send a test card to the robot now; answers whether it arrived, in words',
          params: IdParam,
          response: { 200: TestReply, ...errors },
        },
      },
      async (req) => svc.testRobot(db, staff(req), req.params.id, opts.publicUrl),
    );
  };
}
