import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, keyPerson, Ok, staff } from '../../platform/http.js';
import { assertCan } from '../../platform/actor.js';
import { seesEveryAccount } from '../accounts/index.js';
import { coreTasks } from '../value-add/index.js';
import { subscribe } from './events.js';
import * as svc from './portal.service.js';
import { notFound } from '../../platform/errors.js';
import { pickLocale, translate } from '../../platform/i18n.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const ptags = ['portal'];
const stags = ['portal-admin'];
const portal = { auth: 'key_person' as const };
const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const Post = z.object({
  id: z.string(),
  kind: z.enum(['news', 'event', 'product', 'solution']),
  title: z.string(),
  summary: z.string().nullable(),
  hot: z.boolean(),
  eventOn: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
const PostFull = Post.extend({ bodyHtml: z.string() });
const StaffPost = PostFull.extend({ tasks: z.array(z.string()), published: z.boolean() });
const Team = z.object({
  account: z.object({ id: z.string(), name: z.string() }),
  team: z.array(z.object({ seat: z.enum(['sales', 'delivery', 'after_sales', 'csm']), name: z.string(), email: z.string(), initials: z.string() })),
});
/** An item of the service menu as a customer reads it: customer-facing words only. */
const CatalogItem = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  pricing: z.enum(['free', 'paid']),
});
const Milestone = z.object({
  id: z.string(),
  project: z.string(),
  title: z.string(),
  dueOn: z.string().nullable(),
  doneOn: z.string().nullable(),
  status: z.enum(['planned', 'in_progress', 'done', 'delayed']),
});
const Message = z.object({
  id: z.string(),
  authorKind: z.enum(['key_person', 'staff']),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
const DemandBase = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  status: z.enum(['open', 'answered', 'closed']),
  createdAt: z.string(),
  lastActivityAt: z.string(),
});
// key persons get exactly these fields: the response schema strips anything staff-only
const Demand = DemandBase.extend({ by: z.string(), messages: z.number() });
const DemandThread = DemandBase.extend({ by: z.string(), messages: z.array(Message) });
const StaffDemand = Demand.extend({ accountId: z.string(), accountName: z.string(), opportunityId: z.string().nullable() });
const StaffThread = DemandThread.extend({ accountId: z.string(), opportunityId: z.string().nullable() });
// the 360's portal tab, every field the service answers (the web reads counts, key persons, recent signals, needs and suggestions)
const PortalActivity = z.object({
  counts: z.object({ view: z.number(), request: z.number(), discuss: z.number() }),
  keyPersons: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), active: z.boolean(), lastSeen: z.string().nullable() })),
  recent: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['view', 'request', 'discuss']),
      subjectType: z.string(),
      subjectId: z.string().nullable(),
      label: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
  needs: z.array(StaffDemand),
  suggestions: z.array(
    z.object({
      kind: z.enum(['opportunity', 'service_product']),
      subjectType: z.string(),
      subjectId: z.string().nullable(),
      label: z.string(),
      task: z.string().nullable(),
      reasonKey: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])),
      score: z.number(),
      reason: z.string(),
    }),
  ),
});
const PostBody = z.strictObject({
  kind: z.enum(['news', 'event', 'product', 'solution']),
  title: text(200),
  summary: z.string().trim().max(500).nullish(),
  bodyHtml: z.string().max(200_000).optional(),
  hot: z.boolean().optional(),
  tasks: z.array(z.enum(coreTasks)).max(6).optional(),
  eventOn: day.nullish(),
  published: z.boolean().optional(),
});
const Password = z.string().min(1).max(200);

export function portalRoutes(db: Db, opts: { publicUrl: string }): FastifyPluginAsyncZod {
  return async (app) => {
    // open event streams end when the app closes, so shutdown never waits on them
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    // ---------------- public: one-time links
    app.post(
      '/api/portal/auth/accept-invite',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Set a first password through an invitation link (once, before it expires)',
          body: z.strictObject({ token: z.string().min(10).max(200), password: Password }),
          response: { 200: Ok, 400: ErrorReply },
        },
      },
      async (req) => {
        await svc.redeemToken(db, { ...req.body, purpose: 'invite' });
        return { ok: true as const };
      },
    );
    app.post(
      '/api/portal/auth/reset-request',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Ask for a reset link by mail (the answer never says whether the address exists)',
          body: z.strictObject({ email: z.string().trim().min(3).max(254) }),
          response: { 202: z.object({ ok: z.literal(true), message: z.string() }), 400: ErrorReply },
        },
      },
      async (req, reply) => {
        await svc.requestReset(db, { email: req.body.email, publicUrl: opts.publicUrl });
        return reply
          .status(202)
          .send({ ok: true as const, message: translate(pickLocale(null, req.headers['accept-language']), 'portal.reset_sent') });
      },
    );
    app.post(
      '/api/portal/auth/reset',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Set a new password through a reset link (once, before it expires)',
          body: z.strictObject({ token: z.string().min(10).max(200), password: Password }),
          response: { 200: Ok, 400: ErrorReply },
        },
      },
      async (req) => {
        await svc.redeemToken(db, { ...req.body, purpose: 'reset' });
        return { ok: true as const };
      },
    );

    // ---------------- key persons: their one account's community
    app.get(
      '/api/portal/team',
      { config: portal, schema: { tags: ptags, summary: 'My account and its iron triangle ("your team")', response: { 200: Team, ...errors } } },
      async (req) => svc.getTeam(db, keyPerson(req)),
    );
    app.get(
      '/api/portal/posts',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Published news, events, hot products and solutions',
          querystring: z.strictObject({ kind: z.enum(['news', 'event', 'product', 'solution']).optional() }),
          response: { 200: z.object({ items: z.array(Post) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listPublishedPosts(db, keyPerson(req), req.query.kind) }),
    );
    app.get(
      '/api/portal/posts/:id',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'One published post (sanitised rich text); recorded as a view',
          params: IdParam,
          response: { 200: PostFull, ...errors },
        },
      },
      async (req) => svc.getPublishedPost(db, keyPerson(req), req.params.id),
    );
    app.post(
      '/api/portal/views',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Record that I opened a portal page (behaviour signal)',
          body: z.strictObject({ page: z.enum(svc.PAGES) }),
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await svc.recordPageView(db, keyPerson(req), req.body.page);
        return { ok: true as const };
      },
    );
    app.get(
      '/api/portal/catalog',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'The service product menu for my account',
          response: { 200: z.object({ items: z.array(CatalogItem) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.portalCatalog(db, keyPerson(req)) }),
    );
    app.post(
      '/api/portal/catalog/:id/request',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Request an item: a value-add task (or a quote) for my iron triangle',
          params: IdParam,
          body: z.strictObject({ note: z.string().trim().max(5000).nullish() }),
          response: {
            201: z.object({
              requested: z.literal(true),
              item: z.object({ id: z.string(), name: z.string(), pricing: z.enum(['free', 'paid']) }),
              demandId: z.string().nullable(),
            }),
            ...errors,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.requestItem(db, keyPerson(req), req.params.id, req.body.note ?? null)),
    );
    app.get(
      '/api/portal/milestones',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: "My account's delivery progress: the milestones of its delivery projects",
          response: { 200: z.object({ items: z.array(Milestone) }), ...errors },
        },
      },
      async (req) => {
        const a = keyPerson(req);
        return { items: await svc.listMilestonesFor(db, a, a.accountId) };
      },
    );
    app.get(
      '/api/portal/demands',
      { config: portal, schema: { tags: ptags, summary: "My account's needs", response: { 200: z.object({ items: z.array(Demand) }), ...errors } } },
      async (req) => ({ items: await svc.listDemands(db, keyPerson(req)) }),
    );
    app.post(
      '/api/portal/demands',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Post a need for my iron triangle',
          body: z.strictObject({ title: text(200), body: text(10_000) }),
          response: { 201: DemandBase, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.postDemand(db, keyPerson(req), req.body)),
    );
    app.get(
      '/api/portal/demands/:id',
      {
        config: portal,
        schema: { tags: ptags, summary: 'A need of my account and its discussion', params: IdParam, response: { 200: DemandThread, ...errors } },
      },
      async (req) => svc.getDemand(db, keyPerson(req), req.params.id),
    );
    app.post(
      '/api/portal/demands/:id/messages',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Reply in the discussion of a need',
          params: IdParam,
          body: z.strictObject({ body: text(10_000) }),
          response: { 201: Message, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.addDemandMessage(db, keyPerson(req), req.params.id, req.body.body)),
    );

    // ---------------- staff
    app.post(
      '/api/contacts/:id/key-person-invite',
      {
        schema: {
          tags: stags,
          summary: 'Invite a contact as a key person: a one-time link by mail to set a password',
          params: IdParam,
          body: z.strictObject({ email: z.email().max(254), locale: z.enum(['zh-CN', 'en']).nullish() }),
          response: {
            201: z.object({ id: z.string(), email: z.string(), accountId: z.string(), contactId: z.string(), expiresAt: z.string() }),
            ...errors,
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await svc.inviteKeyPerson(db, staff(req), req.params.id, { ...req.body, publicUrl: opts.publicUrl })),
    );
    app.get(
      '/api/portal-admin/posts',
      {
        schema: {
          tags: stags,
          summary: 'All portal content of the workspace',
          response: { 200: z.object({ items: z.array(StaffPost) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listPosts(db, staff(req)) }),
    );
    app.post(
      '/api/portal-admin/posts',
      { schema: { tags: stags, summary: 'Publish content (rich text sanitised on save)', body: PostBody, response: { 201: StaffPost, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createPost(db, staff(req), req.body)),
    );
    app.patch(
      '/api/portal-admin/posts/:id',
      {
        schema: {
          tags: stags,
          summary: 'Edit, publish or unpublish content',
          params: IdParam,
          body: PostBody.partial(),
          response: { 200: StaffPost, ...errors },
        },
      },
      async (req) => svc.updatePost(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/portal-admin/posts/:id',
      { schema: { tags: stags, summary: 'Delete content', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => {
        await svc.deletePost(db, staff(req), req.params.id);
        return { ok: true as const };
      },
    );
    app.get(
      '/api/accounts/:id/milestones',
      {
        schema: {
          tags: stags,
          summary: "An account's delivery progress as its key persons see it (the milestones of its delivery projects)",
          params: IdParam,
          response: { 200: z.object({ items: z.array(Milestone) }), ...errors },
        },
      },
      async (req) => {
        const a = staff(req);
        assertCan(a, 'portal.read');
        return { items: await svc.listMilestonesFor(db, a, req.params.id) };
      },
    );
    app.get(
      '/api/portal-admin/demands',
      {
        schema: {
          tags: stags,
          summary: 'Needs posted by key persons (visible accounts)',
          querystring: z.strictObject({ accountId: z.uuid().optional(), status: z.enum(['open', 'answered', 'closed']).optional() }),
          response: { 200: z.object({ items: z.array(StaffDemand) }), ...errors },
        },
      },
      async (req) => ({ items: (await svc.listDemands(db, staff(req), req.query)) as z.infer<typeof StaffDemand>[] }),
    );
    app.get(
      '/api/portal-admin/demands/:id',
      { schema: { tags: stags, summary: 'A need and its discussion', params: IdParam, response: { 200: StaffThread, ...errors } } },
      async (req) => (await svc.getDemand(db, staff(req), req.params.id)) as z.infer<typeof StaffThread>,
    );
    app.post(
      '/api/portal-admin/demands/:id/messages',
      {
        schema: {
          tags: stags,
          summary: 'Answer in the discussion of a need',
          params: IdParam,
          body: z.strictObject({ body: text(10_000) }),
          response: { 201: Message, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.addDemandMessage(db, staff(req), req.params.id, req.body.body)),
    );
    app.patch(
      '/api/portal-admin/demands/:id',
      {
        schema: {
          tags: stags,
          summary: 'Set the status of a need',
          params: IdParam,
          body: z.strictObject({ status: z.enum(['open', 'answered', 'closed']) }),
          response: { 200: StaffDemand.omit({ by: true, messages: true, accountName: true }), ...errors },
        },
      },
      async (req) => (await svc.setDemandStatus(db, staff(req), req.params.id, req.body.status)) as never,
    );
    app.post(
      '/api/portal-admin/demands/:id/capture',
      {
        schema: {
          tags: stags,
          summary: 'Capture a need as an opportunity (source: portal demand)',
          params: IdParam,
          body: z.strictObject({ title: text(200).optional(), amountMinor: z.number().int().min(0).optional() }),
          response: { 201: z.object({ opportunityId: z.string() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.captureFromDemand(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/accounts/:id/portal-activity',
      {
        schema: {
          tags: stags,
          summary: "The 360's portal tab: key persons, signals, needs and suggestions with reasons",
          params: IdParam,
          response: { 200: PortalActivity, ...errors },
        },
      },
      async (req) => (await svc.getPortalActivity(db, staff(req), req.params.id)) as z.infer<typeof PortalActivity>,
    );

    // live needs for staff: server-sent events, scoped to the workspace, visibility checked per event
    app.get(
      '/api/portal-admin/events',
      {
        config: { longLived: true },
        schema: {
          tags: stags,
          summary: 'Live portal events (text/event-stream): new needs, replies and requests',
          querystring: z.strictObject({ accountId: z.uuid().optional() }),
          produces: ['text/event-stream'],
        },
      },
      async (req, reply) => {
        const a = staff(req);
        assertCan(a, 'portal.read');
        if (req.query.accountId && !(await svc.canSeeAccount(db, a, req.query.accountId))) {
          throw notFound('account.noun');
        }
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-content-type-options': 'nosniff',
          'x-accel-buffering': 'no',
        });
        res.write(': connected\n\nretry: 3000\n\n');
        const only = req.query.accountId;
        const unsubscribe = subscribe(a.workspaceId, (e) => {
          if (only && e.accountId !== only) return;
          void (async () => {
            if (!seesEveryAccount(a) && !(await svc.canSeeAccount(db, a, e.accountId))) return;
            res.write(`event: ${e.type}\ndata: ${JSON.stringify({ accountId: e.accountId, demandId: e.demandId ?? null, at: e.at })}\n\n`);
          })();
        });
        const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
        const close = () => {
          clearInterval(heartbeat);
          unsubscribe();
          streams.delete(end);
        };
        const end = () => {
          close();
          res.end();
        };
        streams.add(end);
        req.raw.on('close', close);
      },
    );
  };
}
