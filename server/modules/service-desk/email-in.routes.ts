import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, PreconditionReplies, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import { severities, ticketKinds } from './dispatch.domain.js';
import { inboundStatuses } from './email-in.domain.js';
import * as svc from './email-in.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\r\n]*$/, 'one line');

export const MailboxBody = z.strictObject({
  address: z.string().trim().min(3).max(254),
  enabled: z.boolean().optional(),
  imapHost: oneLine(253).nullish(),
  imapPort: z.number().int().min(1).max(65535).nullish(),
  imapTls: z.boolean().optional(),
  imapUser: oneLine(254).nullish(),
  /** omitted = keep, null or "" = clear, text = replace; never returned */
  imapPassword: z
    .string()
    .max(500)
    .regex(/^[^\r\n]*$/, 'one line')
    .nullish(),
  imapFolder: oneLine(200).min(1).optional(),
  version: SettingsVersionIn,
});
const Mailbox = z.object({
  configured: z.boolean(),
  address: z.string().nullable(),
  enabled: z.boolean(),
  imapHost: z.string().nullable(),
  imapPort: z.number().nullable(),
  imapTls: z.boolean(),
  imapUser: z.string().nullable(),
  imapPasswordSet: z.boolean(),
  imapFolder: z.string(),
  lastPolledAt: z.date().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.date().nullable(),
  version: SettingsVersion,
});
const InboundQuery = z.strictObject({
  status: z.enum(inboundStatuses).default('triage'),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
const Inbound = z.object({
  id: z.string(),
  fromEmail: z.string(),
  fromName: z.string(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(inboundStatuses),
  reason: z.string().nullable(),
  source: z.string(),
  ticketId: z.string().nullable(),
  ticketNumber: z.number().nullable(),
  receivedAt: z.date(),
  decidedAt: z.date().nullable(),
  skippedFiles: z.array(z.object({ fileName: z.string(), reason: z.string() })),
  fileCount: z.number(),
});
export const TriageToTicketBody = z.strictObject({
  accountId: z.uuid(),
  rememberContact: z.boolean().optional(),
  title: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(ticketKinds).optional(),
  severity: z.enum(severities).optional(),
});
const Decided = z.object({ id: z.string(), status: z.string(), ticketId: z.string().nullable(), ticketNumber: z.number().nullable() });

export function emailInRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['email-in'];
    app.get(
      '/api/settings/email-in',
      { schema: { tags, summary: 'The support mailbox (admins; the IMAP password is never returned)', response: { 200: Mailbox, ...errors } } },
      async (req) => svc.getMailboxSettings(db, staff(req)),
    );
    app.put(
      '/api/settings/email-in',
      {
        schema: {
          tags,
          summary: 'Set the support mailbox: its address and IMAP access (the host passes the outbound guard)',
          description: 'Send the ETag of the settings read as If-Match (or `version`; 0 while none are saved): 412 if someone saved since.',
          body: MailboxBody,
          response: { 200: Mailbox, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putMailboxSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );
    app.post(
      '/api/settings/email-in/test',
      {
        schema: {
          tags,
          summary: 'Try the saved IMAP settings: connects and signs in (one answer for every failure)',
          response: { 200: z.object({ ok: z.boolean(), message: z.string() }), ...errors },
        },
      },
      async (req) => svc.testMailboxConnection(db, staff(req)),
    );
    app.get(
      '/api/email-in/inbound',
      {
        schema: {
          tags,
          summary: 'Incoming mail by status: the triage queue (default), ticketed, ignored',
          querystring: InboundQuery,
          response: { 200: z.object({ items: z.array(Inbound), total: z.number(), page: z.number(), pageSize: z.number() }), ...errors },
        },
      },
      async (req) => svc.listInbound(db, staff(req), req.query),
    );
    app.post(
      '/api/email-in/inbound/:id/ticket',
      {
        schema: {
          tags,
          summary: 'Turn a mail waiting in triage into a ticket on the chosen account (optionally remember the sender as its contact)',
          params: IdParam,
          body: TriageToTicketBody,
          response: { 201: Decided, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.triageToTicket(db, staff(req), req.params.id, req.body)),
    );
    app.post(
      '/api/email-in/inbound/:id/dismiss',
      { schema: { tags, summary: 'Dismiss a mail waiting in triage', params: IdParam, response: { 200: Decided, ...errors } } },
      async (req) => svc.dismissInbound(db, staff(req), req.params.id),
    );
  };
}
