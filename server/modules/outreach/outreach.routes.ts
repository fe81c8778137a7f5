import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, keyPerson, PreconditionReplies, SettingsVersion, SettingsVersionIn, localeOf, staff } from '../../platform/http.js';
import { translate } from '../../platform/i18n.js';
import { segmentFields } from '../accounts/index.js';
import { campaignStatuses, channels, consentSources, excludeReasons, recipientStates } from './outreach.domain.js';
import { measuresRoutes } from './measures.routes.js';
import { toCStages } from './people.domain.js';
import * as svc from './outreach.service.js';
import { peopleRoutes } from './people.routes.js';
import { trackingRoutes } from './tracking.routes.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['outreach'];
const text = (max: number) => z.string().trim().min(1).max(max);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Channel = z.enum(channels);
const Reason = z.enum(excludeReasons);
const Page = { page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) };
const VersionIn = z.number().int().min(1).optional().describe('the version the change was made from (or If-Match)');

const Audience = z.strictObject({
  conditions: z
    .array(z.strictObject({ field: z.enum(segmentFields), values: z.array(text(100)).min(1).max(100) }))
    .max(20)
    .default([])
    .describe("the accounts' segment conditions, all of which must hold: their contacts are reached"),
  contactIds: z.array(z.uuid()).max(10_000).default([]).describe('contacts reached by name, besides the segment'),
  personTags: z.array(text(50)).max(50).optional().describe('only people carrying one of these tags (alone: every such person)'),
  personStages: z.array(z.enum(toCStages)).max(5).optional().describe('only people at one of these to-C stages (alone: every such person)'),
});
const Cap = z.strictObject({ count: z.number().int().min(1).max(100), days: z.number().int().min(1).max(365) });
const CampaignFields = {
  name: text(200),
  channel: Channel.default('email'),
  audience: Audience,
  subject: text(300).describe('variables: {{name}} {{account}}'),
  body: text(20_000).describe('plain text; variables: {{name}} {{account}} {{referral_link}}'),
  cap: Cap.nullish().describe("this campaign's own cap, on top of the workspace's: skip people touched count times in days days"),
  scheduledAt: z.iso.datetime({ offset: true }).nullish().describe('send at (ISO time); none: when sent'),
};
const CampaignOut = z.object({
  id: z.string(),
  name: z.string(),
  channel: Channel,
  audience: z.object({
    conditions: z.array(z.object({ field: z.string(), values: z.array(z.string()) })),
    contactIds: z.array(z.string()),
    personTags: z.array(z.string()).optional(),
    personStages: z.array(z.string()).optional(),
  }),
  subject: z.string(),
  body: z.string(),
  cap: Cap.nullable(),
  scheduledAt: z.string().nullable(),
  status: z.enum(campaignStatuses),
  sentAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
const Consent = z.object({
  id: z.string(),
  channel: Channel,
  granted: z.boolean(),
  source: z.string(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  at: z.string(),
});
const Settings = z.strictObject({
  capCount: z.number().int().min(1).max(100).describe('at most this many touches per person …'),
  capDays: z.number().int().min(1).max(365).describe('… in this many days, across all campaigns'),
  quietStart: HHMM.nullable().describe("quiet hours start (workspace's local time); null = none"),
  quietEnd: HHMM.nullable(),
  requireOptIn: z.boolean().describe('true: only people with a granted consent are reached'),
  attributionDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .describe('measures: a stage move or purchase this many days at most after a touch is attributed to it (default 14; left out: unchanged)'),
});
const Token = z.strictObject({ t: z.string().min(1).max(500) });

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** The unsubscribe page: the question with its button (a GET changes nothing), the outcome, or an invalid link. */
/** The unsubscribe page's answer: an HTML page never cached, 404 for a link that is not genuine. */
const htmlReply = (reply: FastifyReply, genuine: boolean) =>
  reply
    .status(genuine ? 200 : 404)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store');

const page = (lang: 'zh-CN' | 'en', key: 'page' | 'done' | 'invalid', token?: string) => {
  const form =
    key === 'page' && token
      ? `<form method="post" action="/api/outreach/unsubscribe?t=${escapeHtml(encodeURIComponent(token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${translate(lang, 'outreach.unsubscribe.button')}</button></form>`
      : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${translate(lang, 'outreach.unsubscribe.title')}</title></head><body><p>${translate(lang, `outreach.unsubscribe.${key}`)}</p>${form}</body></html>`;
};

export function outreachRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    // RFC 8058: mail clients post the one-click unsubscribe as a form
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) =>
      done(null, { form: body }),
    );
    // measures (issue 18 point 4): the public links of a sent mail, and the numbers
    await app.register(trackingRoutes(db));
    await app.register(measuresRoutes(db));

    // ---- settings
    app.get(
      '/api/outreach/settings',
      {
        schema: {
          tags,
          summary: 'The frequency cap, quiet hours and consent rule of outreach',
          response: { 200: Settings.extend({ attributionDays: z.number().int(), version: SettingsVersion }), ...errors },
        },
      },
      async (req) => svc.getSettings(db, staff(req)),
    );
    app.put(
      '/api/outreach/settings',
      {
        schema: {
          tags,
          summary: 'Change the frequency cap, quiet hours and consent rule',
          description: 'Send the ETag of the settings read as If-Match (or its version in the body): 412 if someone saved them since.',
          body: Settings.extend({ version: SettingsVersionIn }),
          response: { 200: Settings.extend({ attributionDays: z.number().int(), version: SettingsVersion }), ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );

    // ---- consents
    app.get(
      '/api/outreach/contacts/:id/consents',
      {
        schema: {
          tags,
          summary: "A contact's consent per channel, and its history (newest first)",
          params: IdParam,
          response: {
            200: z.object({ current: z.object({ email: Consent.nullable(), portal: Consent.nullable() }), history: z.array(Consent) }),
            ...errors,
          },
        },
      },
      async (req) => svc.listConsents(db, staff(req), req.params.id),
    );
    app.post(
      '/api/outreach/contacts/:id/consents',
      {
        schema: {
          tags,
          summary: 'Record a consent given or withdrawn (with its source); the history is kept',
          params: IdParam,
          body: z.strictObject({
            channel: Channel,
            granted: z.boolean(),
            source: z.enum(consentSources.filter((s) => s !== 'unsubscribe_link') as ['staff', 'form', 'import']).default('staff'),
            note: z.string().trim().max(500).nullish(),
          }),
          response: { 201: Consent, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.recordConsent(db, staff(req), req.params.id, req.body)),
    );

    // ---- one-click unsubscribe (public: the link in the mail)
    app.get(
      '/api/outreach/unsubscribe',
      {
        config: { auth: 'public' },
        schema: { tags, summary: 'The unsubscribe page of a mail link (changes nothing: a button posts)', querystring: Token },
      },
      async (req, reply) => {
        const genuine = await svc.tokenIsGenuine(db, req.query.t);
        htmlReply(reply, genuine);
        return page(localeOf(req), genuine ? 'page' : 'invalid', req.query.t);
      },
    );
    app.post(
      '/api/outreach/unsubscribe',
      {
        config: { auth: 'public' },
        schema: { tags, summary: 'One-click unsubscribe (RFC 8058): the withdrawal is recorded at once', querystring: Token },
      },
      async (req, reply) => {
        const ok = await svc.unsubscribe(db, req.query.t);
        htmlReply(reply, ok);
        return page(localeOf(req), ok ? 'done' : 'invalid');
      },
    );

    // ---- campaigns
    app.get(
      '/api/outreach/campaigns',
      {
        schema: {
          tags,
          summary: 'Campaigns, newest first',
          querystring: z.strictObject({ status: z.enum(campaignStatuses).optional() }),
          response: { 200: z.object({ items: z.array(CampaignOut) }), ...errors },
        },
      },
      async (req) => svc.listCampaigns(db, staff(req), req.query),
    );
    app.post(
      '/api/outreach/campaigns',
      {
        schema: {
          tags,
          summary: 'Draft a campaign',
          body: z.strictObject(CampaignFields),
          response: { 201: CampaignOut, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createCampaign(db, staff(req), req.body)),
    );
    app.get(
      '/api/outreach/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'A campaign, with its recipients counted by state and reason',
          params: IdParam,
          response: {
            200: CampaignOut.extend({ counts: z.array(z.object({ state: z.string(), reason: z.string().nullable(), count: z.number() })) }),
            ...errors,
          },
        },
      },
      async (req) => svc.getCampaign(db, staff(req), req.params.id),
    );
    app.patch(
      '/api/outreach/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'Change a draft campaign',
          params: IdParam,
          body: z.strictObject({
            name: CampaignFields.name.optional(),
            audience: Audience.optional(),
            subject: CampaignFields.subject.optional(),
            body: CampaignFields.body.optional(),
            cap: CampaignFields.cap,
            scheduledAt: CampaignFields.scheduledAt,
            version: VersionIn,
          }),
          response: { 200: CampaignOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.updateCampaign(db, staff(req), req.params.id, input, expectedVersion(req, version));
      },
    );
    app.get(
      '/api/outreach/campaigns/:id/preview',
      {
        schema: {
          tags,
          summary: 'Who the campaign would reach now, who not and why (sends nothing)',
          params: IdParam,
          querystring: z.strictObject({ reason: z.union([Reason, z.literal('included')]).optional(), ...Page }),
          response: {
            200: z.object({
              total: z.number(),
              included: z.number(),
              excluded: z.record(z.string(), z.number()),
              sample: z.object({ subject: z.string(), body: z.string() }).nullable(),
              matching: z.number(),
              people: z.array(
                z.object({
                  contactId: z.string(),
                  name: z.string(),
                  email: z.string().nullable(),
                  accountName: z.string(),
                  reason: Reason.nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.preview(db, staff(req), req.params.id, req.query),
    );
    app.post(
      '/api/outreach/campaigns/:id/send',
      {
        schema: {
          tags,
          summary: 'Send a draft campaign (at its schedule, or now): recipients are planned and sent by jobs within the caps',
          description: 'If-Match (optional): the version the command was made from; 412 if stale.',
          params: IdParam,
          response: { 200: CampaignOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => svc.sendCampaign(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional')),
    );
    app.post(
      '/api/outreach/campaigns/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a campaign not yet sent: whoever is still planned is not sent',
          params: IdParam,
          response: { 200: CampaignOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => svc.cancelCampaign(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional')),
    );
    app.get(
      '/api/outreach/campaigns/:id/recipients',
      {
        schema: {
          tags,
          summary: "A campaign's recipients: planned, sent or excluded (with the reason)",
          params: IdParam,
          querystring: z.strictObject({ state: z.enum(recipientStates).optional(), ...Page }),
          response: {
            200: z.object({
              total: z.number(),
              items: z.array(
                z.object({
                  contactId: z.string(),
                  name: z.string().nullable(),
                  email: z.string().nullable(),
                  accountName: z.string().nullable(),
                  state: z.enum(recipientStates),
                  reason: z.string().nullable(),
                  sentAt: z.string().nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.listRecipients(db, staff(req), req.params.id, req.query),
    );

    // ---------------- the portal channel: a key person's inbox
    const portal = { auth: 'key_person' as const };
    const InboxMessage = z.object({ id: z.string(), subject: z.string(), body: z.string(), createdAt: z.string(), read: z.boolean() });
    app.get(
      '/api/portal/messages',
      {
        config: portal,
        schema: {
          tags: ['portal'],
          summary: 'My messages from the vendor (campaigns on the portal channel), newest first, and whether I still receive them',
          response: { 200: z.object({ items: z.array(InboxMessage), unread: z.number(), receiving: z.boolean() }), ...errors },
        },
      },
      async (req) => svc.portalInbox(db, keyPerson(req)),
    );
    app.post(
      '/api/portal/messages/:id/read',
      {
        config: portal,
        schema: { tags: ['portal'], summary: 'Marks one of my messages read', params: IdParam, response: { 200: InboxMessage, ...errors } },
      },
      async (req) => svc.portalMarkRead(db, keyPerson(req), req.params.id),
    );
    app.put(
      '/api/portal/messages/receiving',
      {
        config: portal,
        schema: {
          tags: ['portal'],
          summary: 'Whether I receive campaign messages in the portal: false withdraws my consent at once, true grants it',
          body: z.strictObject({ receiving: z.boolean() }),
          response: { 200: z.object({ receiving: z.boolean() }), ...errors },
        },
      },
      async (req) => svc.portalSetReceiving(db, keyPerson(req), req.body.receiving),
    );
    // ---- people and portraits (people.routes.ts)
    await app.register(peopleRoutes(db));
  };
}
