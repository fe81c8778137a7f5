import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, PreconditionReplies, QueryBool, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import { subscribeLive } from '../../platform/live.js';
import { noticeKinds, recordTypes } from './notifications.domain.js';
import * as svc from './notifications.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const tags = ['notifications'];
const Kind = z.enum(noticeKinds);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'HH:mm' });

const Notification = z.object({
  id: z.string(),
  kind: Kind,
  title: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  recordType: z.enum(recordTypes),
  recordId: z.string(),
  accountId: z.string().nullable(),
  link: z.string(),
  urgent: z.boolean(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
const KindPrefs = z.strictObject({ kind: Kind, inApp: z.boolean(), email: z.boolean(), im: z.boolean() });
const Preferences = z.object({
  kinds: z.array(KindPrefs.extend({ urgent: z.boolean() })),
  quietStart: z.string().nullable(),
  quietEnd: z.string().nullable(),
  version: SettingsVersion,
});

export function notificationsRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    // open streams end when the app closes, so shutdown never waits on them
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });

    app.get(
      '/api/notifications',
      {
        schema: {
          tags,
          summary: 'My notices, newest first: filter by unread and kind; page with `before` (the last createdAt seen)',
          querystring: z.strictObject({
            unread: QueryBool.optional(),
            kind: z.union([Kind, z.array(Kind).max(noticeKinds.length)]).optional(),
            before: z.iso.datetime({ offset: true }).optional(),
            limit: z.coerce.number().int().min(1).max(100).optional(),
          }),
          response: { 200: z.object({ items: z.array(Notification), unread: z.number() }), ...errors },
        },
      },
      async (req) => {
        const a = staff(req);
        const kinds = req.query.kind == null ? undefined : Array.isArray(req.query.kind) ? req.query.kind : [req.query.kind];
        const [items, unread] = await Promise.all([
          svc.listMine(db, a, {
            unread: req.query.unread,
            kinds,
            before: req.query.before ? new Date(req.query.before) : undefined,
            limit: req.query.limit,
          }),
          svc.unreadCount(db, a),
        ]);
        return { items: items as z.infer<typeof Notification>[], unread };
      },
    );
    app.get(
      '/api/notifications/unread-count',
      { schema: { tags, summary: 'How many of my notices are unread (the bell)', response: { 200: z.object({ unread: z.number() }), ...errors } } },
      async (req) => ({ unread: await svc.unreadCount(db, staff(req)) }),
    );
    app.post(
      '/api/notifications/read',
      {
        schema: {
          tags,
          summary: 'Mark notices read: the given ids, or all of mine',
          body: z.union([z.strictObject({ ids: z.array(z.uuid()).min(1).max(200) }), z.strictObject({ all: z.literal(true) })]),
          response: { 200: z.object({ updated: z.number(), unread: z.number() }), ...errors },
        },
      },
      async (req) => {
        const a = staff(req);
        const updated = await svc.markRead(db, a, 'all' in req.body ? 'all' : req.body.ids);
        return { updated, unread: await svc.unreadCount(db, a) };
      },
    );
    app.get(
      '/api/notifications/preferences',
      { schema: { tags, summary: 'Which channels reach me for each kind of notice, and my quiet hours', response: { 200: Preferences, ...errors } } },
      async (req) => svc.getPreferences(db, staff(req)),
    );
    app.put(
      '/api/notifications/preferences',
      {
        schema: {
          tags,
          summary: 'Choose channels per kind and quiet hours (workspace time; urgent kinds still reach me)',
          body: z.strictObject({
            kinds: z.array(KindPrefs).max(noticeKinds.length).optional(),
            quietStart: HHMM.nullable().optional(),
            quietEnd: HHMM.nullable().optional(),
            version: SettingsVersionIn,
          }),
          description: 'Send the ETag of the preferences read as If-Match (or `version`; 0 while none are saved): 412 if they were saved since.',
          response: { 200: Preferences, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.setPreferences(db, staff(req), input, expectedVersion(req, version));
      },
    );
    // the bell, live: server-sent events telling my screens to refresh the unread count
    app.get(
      '/api/notifications/stream',
      {
        config: { longLived: true },
        schema: { tags, summary: 'Live unread count of my notices (text/event-stream)', produces: ['text/event-stream'] },
      },
      async (req, reply) => {
        const a = staff(req);
        const initial = await svc.unreadCount(db, a);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-content-type-options': 'nosniff',
          'x-accel-buffering': 'no',
        });
        res.write(`retry: 3000\n\nevent: unread\ndata: ${JSON.stringify({ unread: initial })}\n\n`);
        const unsubscribe = subscribeLive(a.workspaceId, (m) => {
          if (m.topic !== 'notice' || !m.userIds.includes(a.userId)) return;
          svc.unreadCount(db, a).then(
            (unread) => res.write(`event: unread\ndata: ${JSON.stringify({ unread })}\n\n`),
            () => {},
          );
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
