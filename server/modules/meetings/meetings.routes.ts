import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { actor, ErrorReply, IdParam, QueryBool, staff } from '../../platform/http.js';
import { actionStatuses, allCauses, meetingKinds } from './meetings.domain.js';
import { sendTestMail, testLlm } from './meetings.jobs.js';
import * as svc from './meetings.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
/** an update's answers: also 412 (made from a stale version) and 428 (the console sent none) */
const updateErrors = { ...errors, 412: ErrorReply, 428: ErrorReply };
const Version = z.number().int().describe('optimistic concurrency: send it back (body or If-Match) with a change; 412 if stale');
const VersionIn = z.number().int().min(1).optional().describe('the version the change was made from (alternative to If-Match)');
const tags = ['meetings'];
/** one line: CR/LF are refused here (and again in the service) so titles cannot inject mail or calendar lines */
const OneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n\u2028\u2029\u0085]*$/, { message: 'must be one line (no CR/LF)' });
const DateOnly = z.iso.date();

const MeetingListItem = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  accountTier: z.string(),
  kind: z.string(),
  cause: z.string(),
  title: z.string(),
  location: z.string().nullable(),
  startsAt: z.date(),
  endsAt: z.date(),
  status: z.string(),
  seriesId: z.string().nullable(),
  organizerId: z.string(),
  organizerName: z.string(),
  summaryStatus: z.string(),
  openActions: z.number(),
});
const ActionItem = z.object({
  id: z.string(),
  meetingId: z.string(),
  meetingTitle: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  dueOn: z.string().nullable(),
  dueAt: z.date().nullable(),
  status: z.string(),
  source: z.string(),
  dueRemindedAt: z.date().nullable(),
  overdueNotifiedAt: z.date().nullable(),
  escalatedAt: z.date().nullable(),
  escalatedToId: z.string().nullable(),
  escalatedToName: z.string().nullable(),
  completedAt: z.date().nullable(),
  createdAt: z.date(),
});
const SummaryDto = z.object({
  language: z.string(),
  summary: z.string(),
  decisions: z.array(z.string()),
  actionItems: z.array(
    z.object({ title: z.string(), ownerId: z.string().nullable(), ownerName: z.string().nullable(), dueOn: z.string().nullable() }),
  ),
  source: z.string(),
  // kept by the offline summariser (summaries made before it have none)
  amounts: z.array(z.object({ text: z.string(), context: z.string() })).optional(),
  dates: z.array(z.object({ text: z.string(), on: z.string() })).optional(),
  concerns: z.array(z.string()).optional(),
  scope: z.array(z.string()).optional(),
  model: z.string().nullish(),
  error: z.string().nullish(),
});
const MeetingDetail = z.object({
  version: Version,
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  kind: z.string(),
  cause: z.string(),
  title: z.string(),
  agenda: z.string(),
  location: z.string().nullable(),
  startsAt: z.date(),
  endsAt: z.date(),
  status: z.string(),
  sequence: z.number(),
  seriesId: z.string().nullable(),
  rrule: z.string().nullable(),
  ticketId: z.string().nullable(),
  keyMomentEventId: z.string().nullable(),
  organizerId: z.string(),
  organizerName: z.string(),
  minutes: z.string().nullable(),
  minutesUpdatedAt: z.date().nullable(),
  summaryStatus: z.string(),
  summary: SummaryDto.nullable(),
  summarisedAt: z.date().nullable(),
  attendees: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string(), response: z.string(), respondedAt: z.date().nullable() })),
  guests: z.array(z.object({ keyPersonId: z.string(), name: z.string() })).describe('key persons of the account invited'),
  guestTitle: z.string().nullable().describe('what the invited key persons read instead of the title'),
  actionItems: z.array(ActionItem),
  can: z.object({ manage: z.boolean(), minutes: z.boolean(), respond: z.boolean(), capture: z.boolean() }),
});
const Settings = z.object({
  version: Version,
  workspaceId: z.string(),
  smtpHost: z.string().nullable(),
  smtpPort: z.number().nullable(),
  smtpSecure: z.boolean(),
  smtpUser: z.string().nullable(),
  smtpFrom: z.string().nullable(),
  smtpPasswordSet: z.boolean(),
  llmBaseUrl: z.string().nullable(),
  llmModel: z.string().nullable(),
  llmApiKeySet: z.boolean(),
  meetingReminderMinutes: z.number(),
  dueReminderHours: z.number(),
  escalateAfterDays: z.number(),
  updatedAt: z.date().nullable(),
});
const CreateBody = z.strictObject({
  accountId: z.uuid(),
  kind: z.enum(meetingKinds),
  cause: z.enum(allCauses),
  title: OneLine(200).trim().min(1),
  agenda: z.string().max(8000).optional(),
  location: OneLine(200).nullish(),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  attendeeIds: z.array(z.uuid()).max(50).optional(),
  keyPersonIds: z.array(z.uuid()).max(20).optional().describe('key persons of the account to invite: they get the ICS and see it in the portal'),
  rrule: OneLine(300).nullish().describe('RFC 5545 RRULE value, periodic meetings only; must end (COUNT or UNTIL), at most 60 occurrences'),
});
const UpdateBody = z.strictObject({
  version: VersionIn,
  title: OneLine(200).trim().min(1).optional(),
  agenda: z.string().max(8000).optional(),
  location: OneLine(200).nullish(),
  startsAt: z.coerce.date().optional(),
  endsAt: z.coerce.date().optional(),
  keyPersonIds: z.array(z.uuid()).max(20).optional().describe('the key persons invited from now on (taken-off ones get a cancellation)'),
});
const ListQuery = z.strictObject({
  scope: z.enum(['mine', 'account', 'team', 'all']).default('mine'),
  accountId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  kind: z.enum(meetingKinds).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
const SettingsBody = z.strictObject({
  version: z.number().int().min(0).optional().describe('the version read (0: none saved yet); 412 if stale'),
  smtpHost: OneLine(253).nullish(),
  smtpPort: z.number().int().min(1).max(65535).nullish(),
  smtpSecure: z.boolean().optional(),
  smtpUser: OneLine(200).nullish(),
  smtpPassword: OneLine(500).nullish(),
  smtpFrom: OneLine(300).nullish(),
  llmBaseUrl: OneLine(2000).nullish(),
  llmModel: OneLine(200).nullish(),
  llmApiKey: OneLine(500).nullish(),
  meetingReminderMinutes: z.number().int().min(0).max(10080).optional(),
  dueReminderHours: z.number().int().min(0).max(336).optional(),
  escalateAfterDays: z.number().int().min(0).max(60).optional(),
});

export function meetingsRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/meetings',
      {
        schema: {
          tags,
          summary: 'Meetings: mine, of an account, of a team, or all (calendar and list views)',
          querystring: ListQuery,
          response: { 200: z.object({ items: z.array(MeetingListItem) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.listMeetings(db, staff(req), req.query) }),
    );
    app.post(
      '/api/meetings',
      {
        schema: {
          tags,
          summary:
            'Call a meeting: key-moment (iron triangle invited), periodic (bounded RRULE) or ad hoc; invitations go out by mail with ICS and in the app',
          body: CreateBody,
          response: { 201: z.object({ id: z.string(), seriesId: z.string().nullable(), occurrences: z.number() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createMeeting(db, staff(req), req.body)),
    );
    app.get(
      '/api/meetings/action-items',
      {
        schema: {
          tags,
          summary: 'My action items (leads: all=true for every owner)',
          querystring: z.strictObject({ status: z.enum(actionStatuses).optional(), all: QueryBool.optional() }),
          response: { 200: z.object({ items: z.array(ActionItem) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.myActionItems(db, staff(req), req.query) }),
    );
    app.patch(
      '/api/meetings/action-items/:id',
      {
        schema: {
          tags,
          summary: 'Update an action item (owner, organizer or leads): status, owner, due date, title',
          params: IdParam,
          body: z.strictObject({
            status: z.enum(actionStatuses).optional(),
            ownerId: z.uuid().optional(),
            dueOn: DateOnly.nullish(),
            title: OneLine(200).trim().min(1).optional(),
          }),
          response: { 200: z.object({ id: z.string(), status: z.string() }), ...errors },
        },
      },
      async (req) => {
        const r = await svc.updateActionItem(db, staff(req), req.params.id, req.body);
        return { id: r.id, status: r.status };
      },
    );
    app.get(
      '/api/meetings/settings',
      {
        schema: {
          tags,
          summary: 'SMTP, LLM endpoint and supervision timing (admin); secrets are never returned',
          response: { 200: Settings, ...errors },
        },
      },
      async (req) => svc.getSettings(db, staff(req)),
    );
    app.put(
      '/api/meetings/settings',
      {
        schema: {
          tags,
          summary:
            'Configure SMTP and the OpenAI-compatible endpoint (admin). Secrets: omit to keep, null to clear. The SMTP host and the LLM URL pass the outbound guard: internal hosts only if the operator allows them (KW_OUTBOUND_ALLOW_HOSTS).',
          body: SettingsBody,
          response: { 200: Settings, ...updateErrors },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );
    app.post(
      '/api/meetings/settings/test-mail',
      {
        schema: {
          tags,
          summary:
            "Send a test mail to yourself through the configured SMTP (admin); any failure is answered with the same words, never the port's state",
          body: z.strictObject({ to: z.email().optional() }).optional(),
          response: { 200: z.object({ ok: z.boolean(), error: z.string().nullable() }), ...errors },
        },
      },
      async (req) => sendTestMail(db, staff(req), req.body?.to),
    );
    app.post(
      '/api/meetings/settings/test-llm',
      {
        schema: {
          tags,
          summary: 'Call the configured LLM endpoint with a sample (admin)',
          response: { 200: z.object({ ok: z.boolean(), error: z.string().nullable(), summary: z.string().nullable() }), ...errors },
        },
      },
      async (req) => testLlm(db, staff(req)),
    );
    app.get(
      '/api/meetings/:id',
      {
        schema: {
          tags,
          summary: 'A meeting: agenda, attendees and replies, minutes, summary, action items',
          params: IdParam,
          response: { 200: MeetingDetail, ...errors },
        },
      },
      async (req) => svc.getMeeting(db, staff(req), req.params.id),
    );
    app.get(
      '/api/portal/meetings',
      {
        config: { auth: 'key_person' },
        schema: {
          tags: ['portal'],
          summary: 'The meetings I (a key person) am invited to, from today on: when, where, who organises',
          response: {
            200: z.object({
              timezone: z.string().describe("the workspace's time zone: times are shown in it"),
              items: z.array(
                z.object({
                  id: z.string(),
                  title: z.string(),
                  location: z.string().nullable(),
                  startsAt: z.date(),
                  endsAt: z.date(),
                  status: z.enum(['scheduled', 'held', 'cancelled']),
                  organizerName: z.string(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.portalMeetings(db, actor(req)),
    );
    app.patch(
      '/api/meetings/:id',
      {
        schema: {
          tags,
          summary: 'Reschedule or edit (organizer or leads); an updated invite (ICS, higher SEQUENCE) goes out',
          params: IdParam,
          body: UpdateBody,
          response: { 200: z.object({ id: z.string(), sequence: z.number(), version: Version }), ...updateErrors },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        const r = await svc.updateMeeting(db, staff(req), req.params.id, input, expectedVersion(req, version));
        return { id: r.id, sequence: r.sequence, version: r.version };
      },
    );
    app.post(
      '/api/meetings/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel (organizer or leads); a cancellation (ICS METHOD:CANCEL) goes out',
          params: IdParam,
          response: { 200: z.object({ id: z.string(), status: z.string() }), ...errors },
        },
      },
      async (req) => {
        const r = await svc.cancelMeeting(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional'));
        return { id: r.id, status: r.status };
      },
    );
    app.post(
      '/api/meetings/:id/respond',
      {
        schema: {
          tags,
          summary: 'Reply to an invitation (attendees)',
          params: IdParam,
          body: z.strictObject({ response: z.enum(['accepted', 'declined', 'tentative']) }),
          response: { 200: z.object({ response: z.string() }), ...errors },
        },
      },
      async (req) => svc.respond(db, staff(req), req.params.id, req.body.response),
    );
    app.put(
      '/api/meetings/:id/minutes',
      {
        schema: {
          tags,
          summary: 'Save the minutes (attendees, organizer, leads); the summary and action items follow from a job',
          params: IdParam,
          body: z.strictObject({ minutes: z.string().max(50_000), version: VersionIn }),
          response: {
            200: z.object({
              id: z.string(),
              version: Version,
              status: z.enum(['scheduled', 'held', 'cancelled']).describe('held once the meeting has begun; notes written before keep it scheduled'),
              summaryStatus: z.string(),
              minutesUpdatedAt: z.date().nullable(),
            }),
            ...updateErrors,
          },
        },
      },
      async (req) => {
        const r = await svc.saveMinutes(db, staff(req), req.params.id, req.body.minutes, expectedVersion(req, req.body.version));
        return {
          id: r.id,
          version: r.version,
          status: r.status as 'scheduled' | 'held' | 'cancelled',
          summaryStatus: r.summaryStatus,
          minutesUpdatedAt: r.minutesUpdatedAt,
        };
      },
    );
    app.post(
      '/api/meetings/:id/action-items',
      {
        schema: {
          tags,
          summary: 'Add an action item with an owner and a due date',
          params: IdParam,
          body: z.strictObject({ title: OneLine(200).trim().min(1), ownerId: z.uuid(), dueOn: DateOnly.nullish() }),
          response: { 201: z.object({ id: z.string() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send({ id: (await svc.createActionItem(db, staff(req), req.params.id, req.body)).id }),
    );
    app.post(
      '/api/meetings/:id/opportunities',
      {
        schema: {
          tags,
          summary: 'Capture an opportunity heard in this meeting',
          params: IdParam,
          body: z.strictObject({
            title: OneLine(200).trim().min(1),
            description: z.string().max(4000).nullish(),
            amountMinor: z.number().int().min(0).max(9e15).optional(),
          }),
          response: { 201: z.object({ id: z.string(), title: z.string(), stage: z.string() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.captureFromMeeting(db, staff(req), req.params.id, req.body)),
    );
  };
}
