import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { AppError, invalid } from '../../platform/errors.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { readDb } from '../../platform/reads.js';
import { ErrorReply, IdParam, keyPerson, PreconditionReplies, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import * as svc from './tickets.service.js';
import * as sla from './sla.service.js';
import { channels, dispatchTiers, severities, ticketKinds } from './dispatch.domain.js';
import { statuses } from './tickets.domain.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const text = (max: number) => z.string().trim().min(1).max(max);
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined) return undefined;
    const xs = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean);
    return xs.length ? xs : undefined;
  }, z.array(item).max(10).optional());
/** the ticked rows of the list: uuids, repeated or comma-separated, 1 to 200 */
const IdList = z.preprocess(
  (v) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean)),
  z.array(z.uuid()).min(1).max(200),
);

export const CreateTicketBody = z.strictObject({
  accountId: z.uuid(),
  title: text(200),
  description: text(10_000),
  kind: z.enum(ticketKinds),
  severity: z.enum(severities),
  channel: z.enum(channels).optional(),
  product: z.string().trim().max(100).nullish(),
  contractNo: z.string().trim().max(50).nullish(),
  major: z.boolean().optional(),
});
export const PortalTicketBody = CreateTicketBody.omit({ accountId: true, channel: true, major: true });
const MessageBody = z.strictObject({ body: text(10_000), visibility: z.enum(['public', 'internal']).default('public') });
const ListQuery = z.strictObject({
  queue: z.enum(['mine', 'team', 'breaching', 'breached', 'unassigned', 'all']).default('mine'),
  accountId: z.uuid().optional(),
  status: list(z.enum(statuses)),
  severity: list(z.enum(severities)),
  ownerId: z.uuid().optional(),
  tier: list(z.enum(dispatchTiers)),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
const AttParams = z.object({ id: z.uuid(), attachmentId: z.uuid() });

const Clock = z.object({
  id: z.string(),
  kind: z.string(),
  targetMinutes: z.number(),
  target: z.string(),
  startedAt: z.date(),
  dueAt: z.date().nullable(),
  warnAt: z.date().nullable(),
  metAt: z.date().nullable(),
  breachedAt: z.date().nullable(),
  state: z.enum(['running', 'paused', 'met', 'breached']),
  warning: z.boolean(),
  elapsedMinutes: z.number(),
  remainingMinutes: z.number(),
  remaining: z.string(),
});
const Message = z.object({
  id: z.string(),
  visibility: z.string(),
  authorKind: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.date(),
});
const Attachment = z.object({
  id: z.string(),
  ticketId: z.string(),
  visibility: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  uploadedByKind: z.string(),
  uploadedByName: z.string(),
  createdAt: z.date(),
});
const Csat = z.object({ score: z.number(), comment: z.string().nullable(), byName: z.string(), at: z.date() }).nullable();
const KeyMoment = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  ticketId: z.string(),
  ticketNumber: z.number(),
  ticketTitle: z.string(),
  cause: z.string(),
  note: z.string().nullable(),
  status: z.string(),
  createdAt: z.date(),
});

const PortalTicket = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  description: z.string(),
  kind: z.string(),
  severity: z.string(),
  priority: z.string(),
  channel: z.string(),
  product: z.string().nullable(),
  contractNo: z.string().nullable(),
  status: z.string(),
  major: z.boolean(),
  accountId: z.string(),
  accountName: z.string(),
  requesterKind: z.string(),
  requesterName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  accountableId: z.string().nullable(),
  accountableName: z.string().nullable(),
  resolution: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  resolvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  clocks: z.array(Clock),
  messages: z.array(Message),
  attachments: z.array(Attachment),
  csat: Csat,
  canRate: z.boolean(),
});
const StaffTicket = PortalTicket.extend({
  version: z.number().int().describe('optimistic concurrency: send it back as If-Match with a change (assign, pause, resolve …)'),
  tier: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  teamMembers: z.array(z.object({ id: z.string(), name: z.string() })),
  dispatchRule: z.string(),
  dispatchReason: z.string(),
  policy: z.object({
    tier: z.string(),
    severity: z.string(),
    firstResponseMinutes: z.number(),
    nextResponseMinutes: z.number(),
    resolutionMinutes: z.number(),
    warnPct: z.number(),
  }),
  pauses: z.array(z.object({ from: z.date(), to: z.date().nullable() })),
  lastPublicFrom: z.string().nullable(),
  allowedNext: z.array(z.string()),
  history: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      fromOwnerId: z.string().nullable(),
      toOwnerId: z.string().nullable(),
      fromStatus: z.string().nullable(),
      toStatus: z.string().nullable(),
      reason: z.string().nullable(),
      actorKind: z.string(),
      actorName: z.string(),
      at: z.date(),
    }),
  ),
  escalations: z.array(
    z.object({ id: z.string(), clockId: z.string(), recipientId: z.string(), recipientName: z.string(), recipientRole: z.string(), at: z.date() }),
  ),
  opportunities: z.array(
    z.object({ id: z.string(), title: z.string(), stage: z.string(), capturedById: z.string(), capturedByName: z.string(), createdAt: z.date() }),
  ),
  keyMoments: z.array(KeyMoment),
});
const TicketRow = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  kind: z.string(),
  severity: z.string(),
  priority: z.string(),
  channel: z.string(),
  status: z.string(),
  major: z.boolean(),
  accountId: z.string(),
  accountName: z.string(),
  tier: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  requesterName: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
  nextDueAt: z.date().nullable(),
  breached: z.boolean(),
  warning: z.boolean(),
});
const Created = z.object({
  id: z.string(),
  number: z.number(),
  status: z.string(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  accountableId: z.string().nullable(),
  priority: z.string(),
  dispatchReason: z.object({ 'zh-CN': z.string(), en: z.string() }),
});
const Small = z.object({
  id: z.string(),
  status: z.string(),
  ownerId: z.string().nullable(),
  teamId: z.string().nullable(),
  major: z.boolean(),
  updatedAt: z.date(),
  version: z.number().int().describe('send it back as If-Match with the next change: 412 if someone changed the ticket since'),
});
const AccountTicket = z.object({
  id: z.string(),
  number: z.number(),
  title: z.string(),
  kind: z.string(),
  severity: z.string(),
  priority: z.string(),
  status: z.string(),
  major: z.boolean(),
  ownerName: z.string().nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  updatedAt: z.date(),
  requesterName: z.string(),
});
const Period = z.strictObject({ start: z.string().regex(/^\d{2}:\d{2}$/), end: z.string().regex(/^\d{2}:\d{2}$/) });
const CalendarBody = z.strictObject({
  name: text(50),
  timezone: text(60),
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  periods: z.array(Period).min(1).max(6),
  holidays: z.array(z.iso.date()).max(400),
  extraWorkdays: z.array(z.iso.date()).max(100),
});
const Minutes = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 90);
const PolicyRow = z.strictObject({
  tier: z.enum(dispatchTiers),
  severity: z.enum(severities),
  firstResponseMinutes: Minutes,
  nextResponseMinutes: Minutes,
  resolutionMinutes: Minutes,
  warnPct: z.number().int().min(1).max(99),
});
const PolicyReply = PolicyRow.extend({ isDefault: z.boolean() });
const CalendarReply = CalendarBody.extend({ isDefault: z.boolean().optional() });
const CalendarOut = CalendarReply.extend({ version: SettingsVersion.describe('the calendar’s version (0: the default); send it to PUT …/calendar') });
const PreviewClock = z.object({
  targetMinutes: z.number(),
  /** the target in words ("4 小时" / "4 h") */
  target: z.string(),
  dueAt: z.string().nullable(),
  warnAt: z.string().nullable(),
  /** business minutes the pauses added before the deadline */
  pausedMinutes: z.number(),
});
const SlaPreviewReply = z.object({
  calendar: z.object({ name: z.string(), timezone: z.string(), isDefault: z.boolean() }),
  policy: z.object({
    tier: z.string(),
    severity: z.string(),
    firstResponseMinutes: z.number(),
    nextResponseMinutes: z.number(),
    resolutionMinutes: z.number(),
    warnPct: z.number(),
  }),
  firstResponse: PreviewClock,
  resolution: PreviewClock,
});

/** The one uploaded file of a multipart request (form field `file`). */
async function readUpload(req: FastifyRequest) {
  const noFile = () => invalid('attachment.no_file', {}, [{ field: 'file', message: 'required' }]);
  if (!req.isMultipart()) throw noFile();
  const part = await req.file();
  if (part?.fieldname !== 'file') throw noFile();
  try {
    return { fileName: part.filename, contentType: part.mimetype, data: await part.toBuffer() };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', 'attachment.too_large', { limit: '5 MB' });
    throw err;
  }
}

/** Files are always downloads, never rendered inline, and never sniffed into something runnable. */
function sendFile(reply: FastifyReply, f: { fileName: string; contentType: string; data: Buffer }) {
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(f.data);
}

const created = (t: Awaited<ReturnType<typeof svc.createTicket>>) => ({
  id: t.id,
  number: t.number,
  status: t.status,
  ownerId: t.ownerId,
  teamId: t.teamId,
  accountableId: t.accountableId,
  priority: t.priority,
  dispatchReason: t.dispatchReason,
});
const small = (t: {
  id: string;
  status: string;
  ownerId: string | null;
  teamId: string | null;
  major: boolean;
  updatedAt: Date;
  version: number;
}) => ({
  id: t.id,
  version: t.version,
  status: t.status,
  ownerId: t.ownerId,
  teamId: t.teamId,
  major: t.major,
  updatedAt: t.updatedAt,
});

export function ticketsRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['service-desk'];
    app.get(
      '/api/tickets',
      {
        schema: {
          tags,
          summary: 'Ticket queues: mine, my team, breaching soon, breached, unassigned, all',
          querystring: ListQuery,
          response: {
            200: z.object({
              items: z.array(TicketRow),
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
              counts: z.object({ mine: z.number(), team: z.number(), breaching: z.number(), breached: z.number(), unassigned: z.number() }),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.listTickets(db, staff(req), req.query),
    );
    app.post(
      '/api/tickets',
      {
        schema: {
          tags,
          summary: 'Open a ticket: dispatched by tier and kind, SLA clocks started',
          body: CreateTicketBody,
          response: { 201: Created, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(created(await svc.createTicket(db, staff(req), req.body))),
    );
    app.get(
      '/api/tickets/:id',
      {
        schema: {
          tags,
          summary: 'The ticket: conversation, SLA clocks, dispatch reason, history',
          params: IdParam,
          response: { 200: StaffTicket, ...errors },
        },
      },
      async (req) => (await svc.getTicket(db, staff(req), req.params.id)) as z.infer<typeof StaffTicket>,
    );
    app.post(
      '/api/tickets/:id/messages',
      { schema: { tags, summary: 'A public reply or an internal note', params: IdParam, body: MessageBody, response: { 201: Message, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.addMessage(db, staff(req), req.params.id, req.body)),
    );
    app.post(
      '/api/tickets/bulk/assign',
      {
        schema: {
          tags,
          summary: 'Reassign selected tickets (200 at most) by the one-by-one rules: each done or refused with the reason; none undoes the others',
          body: z.strictObject({ ids: z.array(z.uuid()).min(1).max(200), ownerId: z.uuid(), teamId: z.uuid().nullish(), reason: text(500) }),
          response: { 200: z.object({ done: z.array(z.string()), refused: z.array(z.object({ id: z.string(), reason: z.string() })) }), ...errors },
        },
      },
      async (req) => svc.bulkReassign(db, staff(req), req.body),
    );
    app.get(
      '/api/tickets/export',
      {
        config: { reads: 'replica' },
        schema: {
          tags,
          summary: 'Download selected tickets (200 at most) as CSV or XLSX: labels, not codes; times in the workspace zone',
          querystring: z.strictObject({ ids: IdList, format: z.enum(['csv', 'xlsx']).default('csv') }),
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: z.string().describe('The file: CSV (UTF-8 with BOM) or XLSX'), ...errors },
        },
      },
      async (req, reply) => {
        const file = await svc.exportTickets(readDb(req), staff(req), req.query);
        return sendFile(reply, { fileName: file.filename, contentType: file.contentType, data: file.body });
      },
    );
    app.post(
      '/api/tickets/:id/assign',
      {
        schema: {
          tags,
          summary: 'Reassign to a member of the allowed team, with a reason',
          params: IdParam,
          body: z.strictObject({ ownerId: z.uuid(), teamId: z.uuid().nullish(), reason: text(500) }),
          response: { 200: Small, ...errors },
        },
      },
      async (req) => small(await svc.reassignTicket(db, staff(req), req.params.id, req.body, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/pause',
      {
        schema: {
          tags,
          summary: 'Pause the SLA clocks while waiting on the customer',
          params: IdParam,
          body: z.strictObject({ reason: text(500) }),
          response: { 200: Small, ...errors },
        },
      },
      async (req) => small(await svc.pauseTicket(db, staff(req), req.params.id, req.body, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/resume',
      { schema: { tags, summary: 'Resume the SLA clocks', params: IdParam, response: { 200: Small, ...errors } } },
      async (req) => small(await svc.resumeTicket(db, staff(req), req.params.id, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve: the resolution is sent to the customer, who is asked for satisfaction',
          params: IdParam,
          body: z.strictObject({ resolution: text(5000) }),
          response: { 200: Small, ...errors },
        },
      },
      async (req) => small(await svc.resolveTicket(db, staff(req), req.params.id, req.body, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/close',
      { schema: { tags, summary: 'Close a resolved ticket', params: IdParam, response: { 200: Small, ...errors } } },
      async (req) => small(await svc.closeTicket(db, staff(req), req.params.id, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/major',
      {
        schema: {
          tags,
          summary: 'Mark as a major issue (records a key-moment event)',
          params: IdParam,
          body: z.strictObject({ reason: text(500) }),
          response: { 200: Small, ...errors },
        },
      },
      async (req) => small(await svc.markMajor(db, staff(req), req.params.id, req.body, undefined, expectedVersion(req, undefined, 'optional'))),
    );
    app.post(
      '/api/tickets/:id/opportunity',
      {
        schema: {
          tags,
          summary: 'Capture an opportunity from this ticket, credited to you',
          params: IdParam,
          body: z.strictObject({
            title: text(200),
            description: z.string().max(5000).nullish(),
            amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
            product: z.string().trim().max(100).nullish(),
          }),
          response: {
            201: z.object({
              id: z.string(),
              title: z.string(),
              stage: z.string(),
              sourceKind: z.string(),
              sourceId: z.string().nullable(),
              capturedById: z.string(),
            }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const o = await svc.captureFromTicket(db, staff(req), req.params.id, req.body);
        return reply
          .status(201)
          .send({ id: o.id, title: o.title, stage: o.stage, sourceKind: o.sourceKind, sourceId: o.sourceId, capturedById: o.capturedById });
      },
    );
    app.post(
      '/api/tickets/:id/csat',
      {
        schema: {
          tags,
          summary: 'Record the customer’s satisfaction given by phone or in person',
          params: IdParam,
          body: z.strictObject({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).nullish() }),
          response: { 201: z.object({ score: z.number() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send({ score: (await svc.rateTicket(db, staff(req), req.params.id, req.body)).score }),
    );
    app.post(
      '/api/tickets/:id/attachments',
      {
        schema: {
          tags,
          summary: 'Attach a file (form field "file", 5 MB at most; images, PDF, text, Office, zip)',
          params: IdParam,
          querystring: z.strictObject({ visibility: z.enum(['public', 'internal']).default('public') }),
          consumes: ['multipart/form-data'],
          response: { 201: Attachment, ...errors, 413: ErrorReply },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await svc.addAttachment(db, staff(req), req.params.id, { ...(await readUpload(req)), visibility: req.query.visibility })),
    );
    app.get(
      '/api/tickets/:id/attachments/:attachmentId',
      {
        schema: {
          tags,
          summary: 'Download an attachment',
          params: AttParams,
          produces: ['application/octet-stream'],
          response: { 200: z.any(), ...errors },
        },
      },
      async (req, reply) => sendFile(reply, await svc.getAttachment(db, staff(req), req.params.id, req.params.attachmentId)),
    );

    app.get(
      '/api/accounts/:id/service',
      {
        schema: {
          tags,
          summary: "The account 360's service tab: tickets and SLA compliance",
          params: IdParam,
          response: {
            200: z.object({
              tickets: z.array(AccountTicket.extend({ breached: z.boolean() })),
              open: z.number(),
              compliance: z.object({
                byKind: z.array(z.object({ kind: z.string(), met: z.number(), breached: z.number(), pct: z.number().nullable() })),
                met: z.number(),
                breached: z.number(),
                pct: z.number().nullable(),
              }),
              csat: z.object({ responses: z.number(), average: z.number().nullable() }),
              keyMoments: z.array(KeyMoment),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.accountService(db, staff(req), req.params.id) as never,
    );
    app.get(
      '/api/service-desk/csat',
      {
        schema: {
          tags,
          summary: 'Satisfaction per account, team or engineer',
          querystring: z.strictObject({ by: z.enum(['account', 'team', 'owner']).default('account') }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string().nullable(),
                  name: z.string().nullable(),
                  responses: z.number(),
                  average: z.number(),
                  satisfied: z.number(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => ({ items: await svc.csatReport(db, staff(req), req.query.by) }),
    );
    app.get(
      '/api/service-desk/key-moments',
      {
        schema: {
          tags,
          summary: 'Key-moment events (complaints and major issues)',
          querystring: z.strictObject({ accountId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(KeyMoment) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listKeyMoments(db, staff(req), req.query) }),
    );
    app.get(
      '/api/service-desk/dispatch-rules',
      {
        schema: {
          tags,
          summary: 'The layered dispatch rules, in words (read-only)',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  tiers: z.array(z.string()),
                  kind: z.string(),
                  kindName: z.string(),
                  csmOwns: z.boolean(),
                  basis: z.string(),
                  target: z.string(),
                  note: z.string(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => ({ items: sla.dispatchRulesView(staff(req)) }),
    );
    app.get(
      '/api/settings/sla',
      {
        schema: {
          tags,
          summary: 'The business calendar and SLA policies (tier × severity)',
          response: {
            200: z.object({
              calendar: CalendarOut,
              policies: z.array(PolicyReply),
              policiesVersion: SettingsVersion.describe('the policy set’s version (0: the defaults); send it to PUT …/policies'),
            }),
            ...errors,
          },
        },
      },
      async (req) => (await sla.getSlaSettings(db, staff(req))) as never,
    );
    app.put(
      '/api/settings/sla/calendar',
      {
        schema: {
          tags,
          summary: "Change the business calendar (open tickets' deadlines follow)",
          description: 'Send the version read (GET /api/settings/sla: calendar.version) as If-Match or `version`: 412 if someone saved since.',
          body: CalendarBody.extend({ version: SettingsVersionIn }),
          response: { 200: z.object({ calendar: CalendarOut, moved: z.number(), version: SettingsVersion }), ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return (await sla.putCalendar(db, staff(req), input, expectedVersion(req, version))) as never;
      },
    );
    app.put(
      '/api/settings/sla/policies',
      {
        schema: {
          tags,
          summary: 'Change SLA policies (new tickets only; open ones keep theirs)',
          description: 'Send the version read (GET /api/settings/sla: policiesVersion) as If-Match or `version`: 412 if someone saved since.',
          body: z.strictObject({ policies: z.array(PolicyRow).min(1).max(20), version: SettingsVersionIn }),
          response: { 200: z.object({ policies: z.array(PolicyReply), version: SettingsVersion }), ...errors, ...PreconditionReplies },
        },
      },
      async (req) => (await sla.putPolicies(db, staff(req), req.body.policies, expectedVersion(req, req.body.version))) as never,
    );

    app.post(
      '/api/service-desk/sla/preview',
      {
        schema: {
          tags,
          summary:
            'SLA preview: opening time, tier, severity and pauses in, first-response and resolution deadlines out (the tickets’ own engine, calendar and policies; nothing stored)',
          body: z.strictObject({
            openedAt: z.iso.datetime({ offset: true }),
            tier: z.enum(dispatchTiers),
            severity: z.enum(severities),
            pauses: z
              .array(z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }))
              .max(20)
              .default([]),
          }),
          response: { 200: SlaPreviewReply, ...errors },
        },
      },
      async (req) =>
        sla.previewSla(db, staff(req), {
          openedAt: new Date(req.body.openedAt),
          tier: req.body.tier,
          severity: req.body.severity,
          pauses: req.body.pauses.map((p) => ({ from: new Date(p.from), to: new Date(p.to) })),
        }),
    );

    // the customer portal: a key person's own account only, public conversation only
    const portal = { auth: 'key_person' as const };
    const ptags = ['portal'];
    app.get(
      '/api/portal/tickets',
      {
        config: portal,
        schema: { tags: ptags, summary: "My account's tickets", response: { 200: z.object({ items: z.array(AccountTicket) }), ...errors } },
      },
      async (req) => ({ items: await svc.listPortalTickets(db, keyPerson(req)) }),
    );
    app.post(
      '/api/portal/tickets',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Raise a ticket for my account',
          body: PortalTicketBody,
          response: { 201: Created.omit({ dispatchReason: true }), ...errors },
        },
      },
      async (req, reply) => {
        const t = created(await svc.createTicket(db, keyPerson(req), req.body));
        return reply.status(201).send({
          id: t.id,
          number: t.number,
          status: t.status,
          ownerId: t.ownerId,
          teamId: t.teamId,
          accountableId: t.accountableId,
          priority: t.priority,
        });
      },
    );
    app.get(
      '/api/portal/tickets/:id',
      {
        config: portal,
        schema: { tags: ptags, summary: 'A ticket of my account (public conversation)', params: IdParam, response: { 200: PortalTicket, ...errors } },
      },
      async (req) => svc.getTicket(db, keyPerson(req), req.params.id),
    );
    app.post(
      '/api/portal/tickets/:id/messages',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Reply (resumes a paused ticket, reopens a resolved one)',
          params: IdParam,
          body: z.strictObject({ body: text(10_000) }),
          response: { 201: Message, ...errors },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await svc.addMessage(db, keyPerson(req), req.params.id, { body: req.body.body, visibility: 'public' })),
    );
    app.post(
      '/api/portal/tickets/:id/csat',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Rate a resolved ticket 1–5 with a comment',
          params: IdParam,
          body: z.strictObject({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(2000).nullish() }),
          response: { 201: z.object({ score: z.number() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send({ score: (await svc.rateTicket(db, keyPerson(req), req.params.id, req.body)).score }),
    );
    app.post(
      '/api/portal/tickets/:id/attachments',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Attach a file (form field "file", 5 MB at most)',
          params: IdParam,
          consumes: ['multipart/form-data'],
          response: { 201: Attachment, ...errors, 413: ErrorReply },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await svc.addAttachment(db, keyPerson(req), req.params.id, { ...(await readUpload(req)), visibility: 'public' })),
    );
    app.get(
      '/api/portal/tickets/:id/attachments/:attachmentId',
      {
        config: portal,
        schema: {
          tags: ptags,
          summary: 'Download an attachment',
          params: AttParams,
          produces: ['application/octet-stream'],
          response: { 200: z.any(), ...errors },
        },
      },
      async (req, reply) => sendFile(reply, await svc.getAttachment(db, keyPerson(req), req.params.id, req.params.attachmentId)),
    );
  };
}
