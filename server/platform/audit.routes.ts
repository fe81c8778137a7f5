import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { assertCan } from './actor.js';
import { listAudit } from './audit.js';
import { actor, ErrorReply } from './http.js';

const AuditItem = z.object({
  id: z.number(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.date(),
});

export function auditRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['platform'],
          summary: 'Audit trail: who changed what, newest first (admins)',
          querystring: z.strictObject({
            entityType: z.string().max(50).optional(),
            entityId: z.string().max(100).optional(),
            actorId: z.uuid().optional(),
            beforeId: z.coerce.number().int().positive().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ items: z.array(AuditItem), nextBeforeId: z.number().nullable() }), 401: ErrorReply, 403: ErrorReply },
        },
      },
      async (req) => {
        const a = actor(req);
        assertCan(a, 'audit.read');
        const items = await listAudit(db, a.workspaceId, req.query);
        return { items, nextBeforeId: items.length === req.query.limit ? items[items.length - 1].id : null };
      },
    );
  };
}
