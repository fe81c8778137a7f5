import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, Ok, staff } from '../../platform/http.js';
import * as svc from './accounts.service.js';
import { computedFactors } from './accounts.table.js';
import {
  AccountBody,
  AccountPatch,
  BulkIds,
  BulkResult,
  ContactBody,
  GradingModelBody,
  LinkBody,
  ListAccountsQuery,
  SegmentBody,
  Stage,
  Ladder,
  Tier,
} from './accounts.schemas.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
/** an update's answers: also 412 (made from a stale version) and 428 (the console sent none) */
const updateErrors = { ...errors, 412: ErrorReply, 428: ErrorReply };
const Version = z.number().int().describe('optimistic concurrency: send it back (or the ETag as If-Match) when changing the record');
const VersionIn = z.number().int().min(1).optional().describe('the version the change was made from (alternative to If-Match); 412 if stale');
const Person = z.object({ id: z.string(), name: z.string() }).nullable();

const AccountSummary = z.object({
  id: z.string(),
  name: z.string(),
  industry: z.string(),
  region: z.string(),
  tier: z.string(),
  stage: z.string(),
  toCStage: z.string().nullable(),
  ladder: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  channelPartnerId: z.string().nullable(),
  channelPartnerName: z.string().nullable(),
  revenueTargetMinor: z.number(),
  currency: z.string(),
  tags: z.array(z.string()),
  valueScore: z.number(),
  potentialScore: z.number(),
  tierOverridden: z.boolean(),
  updatedAt: z.date(),
});

const Account = z.object({
  id: z.string(),
  version: Version,
  name: z.string(),
  industry: z.string(),
  region: z.string(),
  channelPartnerId: z.string().nullable(),
  ownerId: z.string().nullable(),
  revenueTargetMinor: z.number(),
  currency: z.string(),
  fiscalYear: z.number(),
  products: z.array(z.string()),
  contracts: z.array(z.object({ no: z.string(), title: z.string(), signedOn: z.string().optional(), amountMinor: z.number().optional() })),
  tags: z.array(z.string()),
  onTimePaymentPct: z.number().nullable(),
  orderAmountMinor: z.number(),
  prospect: z.number().nullable(),
  profitMarginPct: z.number().nullable(),
  gradingComputed: z
    .object({ onTimePaymentPct: z.number().nullable(), orderAmountMinor: z.number(), profitMarginPct: z.number().nullable(), at: z.string() })
    .nullable(),
  gradingOverrides: z.partialRecord(z.enum(computedFactors), z.object({ reason: z.string(), byUserId: z.string(), at: z.string() })),
  tier: z.string(),
  modelTier: z.string(),
  tierOverride: z.string().nullable(),
  tierOverrideReason: z.string().nullable(),
  valueScore: z.number(),
  potentialScore: z.number(),
  stage: z.string(),
  stageEnteredAt: z.date(),
  toCStage: z.string().nullable(),
  ladder: z.string(),
  salesId: z.string().nullable(),
  deliveryId: z.string().nullable(),
  afterSalesId: z.string().nullable(),
  csmId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const Contact = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  side: z.string(),
  orgGroups: z.array(z.string()),
  isKeyPerson: z.boolean(),
  notes: z.string().nullable(),
  version: Version,
});

const Link = z.object({
  id: z.string(),
  userId: z.string(),
  ourSide: z.string(),
  contactId: z.string(),
  strength: z.number(),
  lastContactAt: z.date().nullable(),
  note: z.string().nullable(),
});

const Account360 = Account.extend({
  owner: Person,
  channelPartner: Person,
  tierExplanation: z.string(),
  tierHistory: z.array(
    z.object({
      fromTier: z.string().nullable(),
      toTier: z.string(),
      source: z.string(),
      reason: z.string().nullable(),
      valueScore: z.number().nullable(),
      potentialScore: z.number().nullable(),
      at: z.date(),
      actorName: z.string().nullable(),
    }),
  ),
  stageTimeline: z.array(
    z.object({ fromStage: z.string().nullable(), toStage: z.string(), note: z.string().nullable(), at: z.date(), actorName: z.string().nullable() }),
  ),
  daysInStage: z.number(),
  allowedNextStages: z.array(z.string()),
  ladderHistory: z.array(
    z.object({
      fromLevel: z.string().nullable(),
      toLevel: z.string(),
      reason: z.string().nullable(),
      at: z.date(),
      actorName: z.string().nullable(),
    }),
  ),
  team: z.object({ sales: Person, delivery: Person, afterSales: Person, csm: Person }),
  teamGaps: z.array(z.string()),
  contacts: z.array(
    Contact.extend({
      hasPortalLogin: z.boolean(),
      keyPersonId: z.string().nullable().describe('the active portal login of this key person (to invite them to meetings)'),
    }),
  ),
  links: z.array(Link.extend({ userName: z.string(), contactName: z.string(), theirSide: z.string() })),
  relationshipGaps: z.array(z.string()),
});

const GradingModel = GradingModelBody;
const Segment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rules: z.array(z.object({ field: z.string(), values: z.array(z.string()) })),
  createdAt: z.date(),
});

export function accountsRoutes(db: Db, ports: svc.AccountListPorts = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['accounts'];
    app.get(
      '/api/accounts',
      {
        schema: {
          tags,
          summary: 'List accounts with filters, sorting and paging',
          querystring: ListAccountsQuery,
          response: { 200: z.object({ items: z.array(AccountSummary), total: z.number(), page: z.number(), pageSize: z.number() }), ...errors },
        },
      },
      async (req) => svc.listAccounts(db, staff(req), req.query, ports),
    );
    app.post(
      '/api/accounts',
      { schema: { tags, summary: 'Create an account (graded at once)', body: AccountBody, response: { 201: Account, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createAccount(db, staff(req), req.body)),
    );
    app.get(
      '/api/accounts/team-gaps',
      {
        schema: {
          tags,
          summary: 'Accounts missing a required iron-triangle seat',
          response: {
            200: z.object({
              items: z.array(
                z.object({ id: z.string(), name: z.string(), tier: z.string(), missing: z.array(z.string()), messages: z.array(z.string()) }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => ({ items: await svc.teamGaps(db, staff(req)) }),
    );
    app.get(
      '/api/accounts/:id',
      {
        schema: {
          tags,
          summary: 'Account 360: tier and reasons, stages, ladder, team, contacts, relationship map',
          params: IdParam,
          response: { 200: Account360, ...errors },
        },
      },
      async (req) => svc.getAccount360(db, staff(req), req.params.id),
    );
    app.patch(
      '/api/accounts/:id',
      {
        schema: {
          tags,
          summary: 'Change account details or grading inputs',
          params: IdParam,
          description: 'Send the ETag of the account read as If-Match (or its version in the body): 412 if someone changed it since.',
          body: AccountPatch.extend({ version: VersionIn }),
          response: { 200: Account, ...updateErrors },
        },
      },
      async (req) => {
        const { version, ...patch } = req.body;
        return svc.updateAccount(db, staff(req), req.params.id, patch, expectedVersion(req, version));
      },
    );
    app.delete(
      '/api/accounts/:id/grading-overrides/:factor',
      {
        schema: {
          tags,
          summary: 'Drop a hand override of a grading factor computed from contracts and payments (the computed figure applies again)',
          params: z.strictObject({ id: z.uuid(), factor: z.enum(computedFactors) }),
          response: { 200: Account, ...errors },
        },
      },
      async (req) => svc.clearFactorOverride(db, staff(req), req.params.id, req.params.factor),
    );
    app.post(
      '/api/accounts/bulk/stage',
      {
        schema: {
          tags,
          summary: 'Move selected accounts (200 at most) to a stage: each as one by one; refusals named, none undoes the others',
          body: z.strictObject({ ids: BulkIds, to: Stage, note: z.string().trim().max(500).optional() }),
          response: { 200: BulkResult, ...errors },
        },
      },
      async (req) => svc.bulkMoveStage(db, staff(req), req.body),
    );
    app.post(
      '/api/accounts/bulk/tag',
      {
        schema: {
          tags,
          summary: 'Add a tag to selected accounts (200 at most): each as one by one; refusals named, none undoes the others',
          body: z.strictObject({ ids: BulkIds, tag: z.string().trim().min(1).max(40) }),
          response: { 200: BulkResult, ...errors },
        },
      },
      async (req) => svc.bulkAddTag(db, staff(req), req.body),
    );
    app.post(
      '/api/accounts/:id/stage',
      {
        schema: {
          tags,
          summary: 'Move the account to another lifecycle stage',
          params: IdParam,
          body: z.strictObject({ to: Stage, note: z.string().trim().max(500).optional() }),
          response: { 200: Account, ...errors },
        },
      },
      async (req) => svc.moveStage(db, staff(req), req.params.id, req.body),
    );
    app.post(
      '/api/accounts/:id/ladder',
      {
        schema: {
          tags,
          summary: 'Move the account on the relationship ladder',
          params: IdParam,
          body: z.strictObject({ to: Ladder, reason: z.string().trim().max(500).optional() }),
          response: { 200: Account, ...errors },
        },
      },
      async (req) => svc.moveLadder(db, staff(req), req.params.id, req.body),
    );
    app.post(
      '/api/accounts/:id/tier-override',
      {
        schema: {
          tags,
          summary: "Override the model's tier (managers, reason required)",
          params: IdParam,
          body: z.strictObject({ tier: Tier, reason: z.string().max(500) }),
          response: { 200: Account, ...errors },
        },
      },
      async (req) => svc.overrideTier(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/accounts/:id/tier-override',
      { schema: { tags, summary: 'Return to the model tier', params: IdParam, response: { 200: Account, ...errors } } },
      async (req) => svc.clearTierOverride(db, staff(req), req.params.id),
    );
    app.put(
      '/api/accounts/:id/team',
      {
        schema: {
          tags,
          summary: 'Set the iron triangle and CSM',
          params: IdParam,
          body: z.strictObject({
            salesId: z.uuid().nullable(),
            deliveryId: z.uuid().nullable(),
            afterSalesId: z.uuid().nullable(),
            csmId: z.uuid().nullable(),
          }),
          response: { 200: Account, ...errors },
        },
      },
      async (req) => svc.setTeam(db, staff(req), req.params.id, req.body),
    );

    app.post(
      '/api/accounts/:id/contacts',
      { schema: { tags, summary: 'Add a contact', params: IdParam, body: ContactBody, response: { 201: Contact, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createContact(db, staff(req), req.params.id, req.body)),
    );
    app.patch(
      '/api/contacts/:id',
      {
        schema: {
          tags,
          summary: 'Change a contact',
          description: 'Send the version of the contact read in the body (or as If-Match): 412 if someone changed it since.',
          params: IdParam,
          body: ContactBody.partial().extend({ version: VersionIn }),
          response: { 200: Contact, ...updateErrors },
        },
      },
      async (req) => {
        const { version, ...patch } = req.body;
        return svc.updateContact(db, staff(req), req.params.id, patch, expectedVersion(req, version));
      },
    );
    app.delete(
      '/api/contacts/:id',
      {
        schema: {
          tags,
          summary: 'Remove a contact (one with history is archived instead, and its portal access ends)',
          params: IdParam,
          response: { 200: z.object({ ok: z.literal(true), archived: z.boolean() }), ...errors },
        },
      },
      async (req) => svc.deleteContact(db, staff(req), req.params.id),
    );
    app.patch(
      '/api/key-persons/:id',
      {
        schema: {
          tags,
          summary: "Turn a key person's portal access off (their sessions end at once) or on again",
          params: IdParam,
          body: z.strictObject({ active: z.boolean() }),
          response: {
            200: z.object({ id: z.string(), email: z.string(), accountId: z.string(), contactId: z.string(), active: z.boolean() }),
            ...errors,
          },
        },
      },
      async (req) => svc.setKeyPersonAccess(db, staff(req), req.params.id, req.body.active),
    );
    app.post(
      '/api/contacts/:id/key-person-login',
      {
        schema: {
          tags,
          summary: 'Give a contact a portal login bound to their account',
          params: IdParam,
          body: z.strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) }),
          response: { 201: z.object({ id: z.string(), email: z.string(), accountId: z.string(), contactId: z.string() }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createKeyPersonLogin(db, staff(req), req.params.id, req.body)),
    );

    app.post(
      '/api/accounts/:id/links',
      { schema: { tags, summary: 'Add a link to the relationship map', params: IdParam, body: LinkBody, response: { 201: Link, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createLink(db, staff(req), req.params.id, req.body)),
    );
    app.patch(
      '/api/links/:id',
      {
        schema: {
          tags,
          summary: 'Change a relationship link',
          params: IdParam,
          body: LinkBody.pick({ strength: true, lastContactAt: true, note: true, ourSide: true }).partial(),
          response: { 200: Link, ...errors },
        },
      },
      async (req) => svc.updateLink(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/links/:id',
      { schema: { tags, summary: 'Remove a relationship link', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => {
        await svc.deleteLink(db, staff(req), req.params.id);
        return { ok: true as const };
      },
    );

    app.get(
      '/api/settings/grading',
      { schema: { tags, summary: 'The grading model', response: { 200: GradingModel.extend({ version: Version }), ...errors } } },
      async (req) => svc.getGradingModel(db, staff(req)),
    );
    app.put(
      '/api/settings/grading',
      {
        schema: {
          tags,
          summary: 'Change the grading model and regrade',
          description: 'Send the ETag of the model read as If-Match (or its version in the body): 412 if someone saved it since.',
          body: GradingModelBody.extend({
            version: z.number().int().min(0).optional().describe('the version read (0: the default model); 412 if stale'),
          }),
          response: { 200: z.object({ model: GradingModel, version: Version, changed: z.number(), total: z.number() }), ...updateErrors },
        },
      },
      async (req) => {
        const { version, ...model } = req.body;
        return svc.updateGradingModel(db, staff(req), model, expectedVersion(req, version));
      },
    );
    app.post(
      '/api/grading/recompute',
      { schema: { tags, summary: 'Regrade every account now', response: { 200: z.object({ changed: z.number(), total: z.number() }), ...errors } } },
      async (req) => svc.recomputeGradingFor(db, staff(req)),
    );

    app.get(
      '/api/segments',
      { schema: { tags, summary: 'Saved rule-based segments', response: { 200: z.object({ items: z.array(Segment) }), ...errors } } },
      async (req) => ({ items: (await svc.listSegments(db, staff(req))) as never }),
    );
    app.post(
      '/api/segments',
      { schema: { tags, summary: 'Create a segment', body: SegmentBody, response: { 201: Segment, ...errors } } },
      async (req, reply) => reply.status(201).send((await svc.createSegment(db, staff(req), req.body)) as never),
    );
    app.patch(
      '/api/segments/:id',
      { schema: { tags, summary: 'Change a segment', params: IdParam, body: SegmentBody.partial(), response: { 200: Segment, ...errors } } },
      async (req) => (await svc.updateSegment(db, staff(req), req.params.id, req.body)) as never,
    );
    app.delete(
      '/api/segments/:id',
      { schema: { tags, summary: 'Delete a segment', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => {
        await svc.deleteSegment(db, staff(req), req.params.id);
        return { ok: true as const };
      },
    );
    app.get(
      '/api/accounts/facets',
      {
        schema: {
          tags,
          summary: 'Industries and regions in use, for filters',
          response: { 200: z.object({ industries: z.array(z.string()), regions: z.array(z.string()) }), ...errors },
        },
      },
      async (req) => svc.listFacets(db, staff(req)),
    );
    app.get(
      '/api/tags',
      { schema: { tags, summary: 'Tags in use', response: { 200: z.object({ items: z.array(z.string()) }), ...errors } } },
      async (req) => ({ items: await svc.listTags(db, staff(req)) }),
    );
  };
}
