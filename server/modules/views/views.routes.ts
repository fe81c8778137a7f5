import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, IdParam, Ok, staff } from '../../platform/http.js';
import * as svc from './views.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const Page = z.enum(['accounts', 'tickets']);
/** a list's query string: a few dozen short parameters, each a string or a list of strings */
const ViewQuery = z
  .record(z.string().min(1).max(40), z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]))
  .refine((q) => Object.keys(q).length <= 30, { message: 'at most 30 parameters' });
const SavedView = z.object({
  id: z.string(),
  page: Page,
  name: z.string(),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  shared: z.boolean(),
  mine: z.boolean(),
  createdAt: z.date(),
});

export function viewsRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['views'];
    app.get(
      '/api/saved-views',
      {
        schema: {
          tags,
          summary: "A list's saved views: the person's own and those shared with the workspace",
          querystring: z.strictObject({ page: Page }),
          response: { 200: z.object({ items: z.array(SavedView) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listSavedViews(db, staff(req), req.query.page) }),
    );
    app.post(
      '/api/saved-views',
      {
        schema: {
          tags,
          summary: "Save a list's filters and sort under a name (shared with the workspace: leads only)",
          body: z.strictObject({ page: Page, name: z.string().trim().min(1).max(60), query: ViewQuery, shared: z.boolean().optional() }),
          response: { 201: SavedView, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.saveView(db, staff(req), req.body)),
    );
    app.delete(
      '/api/saved-views/:id',
      { schema: { tags, summary: 'Delete a saved view (its author only)', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deleteSavedView(db, staff(req), req.params.id),
    );
  };
}
