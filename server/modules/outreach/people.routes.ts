import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, Ok, PreconditionReplies, staff } from '../../platform/http.js';
import { readUploadedFile, sendDownload } from '../accounts/index.js';
import { MAX_PEOPLE_IMPORT_BYTES, MAX_PEOPLE_IMPORT_ROWS, MAX_TAG_LENGTH, moveSources, ruleKinds, tagSources, toCStages } from './people.domain.js';
import * as svc from './people.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['outreach'];
const Stage = z.enum(toCStages);
const TagText = z.string().trim().min(1).max(MAX_TAG_LENGTH);
const ContactParam = z.object({ contactId: z.uuid() });
const Page = { page: z.coerce.number().int().min(1).max(100_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) };
const VersionIn = z.number().int().min(1).optional().describe('the version the change was made from (or If-Match)');

const Evidence = z
  .object({
    kind: z.enum(ruleKinds),
    count: z.number().int(),
    minCount: z.number().int(),
    days: z.number().int(),
    since: z.string(),
    lastAt: z.string().nullable(),
    evaluatedAt: z.string(),
  })
  .describe('why a rule tag is there: count events of kind in the days days since since (threshold minCount), the latest at lastAt');
const TagOut = z.object({
  tag: z.string(),
  source: z.enum(tagSources),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  evidence: Evidence.nullable(),
  note: z.string().nullable().describe('manual: the note; import: the file'),
  by: z.string().nullable().describe('who set it (manual, import)'),
  at: z.string(),
});
const Consent = z.object({
  id: z.string(),
  channel: z.string(),
  granted: z.boolean(),
  source: z.string(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  at: z.string(),
});
const Portrait = z.object({
  contact: z.object({
    id: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    isKeyPerson: z.boolean(),
  }),
  account: z.object({ id: z.string(), name: z.string(), toCStage: Stage.nullable() }),
  stage: Stage.nullable(),
  timeZone: z.string().nullable().describe("the person's own IANA zone; null: the workspace's"),
  version: z.number().int().describe('the profile (stage, time zone): send it back with a change; 412 if stale'),
  stageHistory: z.array(
    z.object({
      from: Stage.nullable(),
      to: Stage.nullable(),
      source: z.enum(moveSources),
      ruleId: z.string().nullable(),
      ruleName: z.string().nullable(),
      by: z.string().nullable(),
      note: z.string().nullable(),
      at: z.string(),
    }),
  ),
  tags: z.array(TagOut),
  consents: z.object({ email: Consent.nullable(), portal: Consent.nullable() }),
  touches: z.object({
    total: z.number().int(),
    items: z.array(z.object({ campaignId: z.string(), campaignName: z.string(), channel: z.string(), at: z.string() })),
  }),
});
const RuleFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ruleKinds).describe('portal_views | portal_requests | tickets (opened by the person) | purchases (contracts signed by the account)'),
  minCount: z.number().int().min(1).max(10_000).describe('at least this many events …'),
  days: z.number().int().min(1).max(3650).describe('… in the last this many days'),
  tag: TagText.describe('the tag a match gives'),
  stage: Stage.nullable().default(null).describe('the to-C stage a match moves the person forward to (never back); null: none'),
  enabled: z.boolean().default(true),
};
const RuleOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ruleKinds),
  minCount: z.number().int(),
  days: z.number().int(),
  tag: z.string(),
  stage: Stage.nullable(),
  enabled: z.boolean(),
  lastRunAt: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
const RunOut = z.object({
  rules: z.number().int().describe('enabled rules evaluated'),
  added: z.number().int(),
  refreshed: z.number().int().describe('tags kept, with fresh evidence'),
  removed: z.number().int().describe('rule tags whose behaviour no longer matches'),
  stagesMoved: z.number().int(),
});

/** People and portraits (issue 18 point 1): registered by the outreach module's route plugin. */
export function peopleRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/outreach/people',
      {
        schema: {
          tags,
          summary: 'People (contacts the actor sees) with their to-C stage and tags, by name; filtered by tag, stage, account, text',
          querystring: z.strictObject({
            tag: TagText.optional(),
            stage: Stage.optional(),
            accountId: z.uuid().optional(),
            q: z.string().trim().min(1).max(100).optional().describe('name, email, phone or account name contains'),
            ...Page,
          }),
          response: {
            200: z.object({
              total: z.number().int(),
              items: z.array(
                z.object({
                  contactId: z.string(),
                  name: z.string(),
                  title: z.string().nullable(),
                  email: z.string().nullable(),
                  isKeyPerson: z.boolean(),
                  accountId: z.string(),
                  accountName: z.string(),
                  stage: Stage.nullable(),
                  tags: z.array(z.object({ tag: z.string(), sources: z.array(z.enum(tagSources)) })),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.listPeople(db, staff(req), req.query),
    );
    app.get(
      '/api/outreach/person-tags',
      {
        schema: {
          tags,
          summary: "The workspace's person tags, with how many people carry each",
          response: { 200: z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) }), ...errors },
        },
      },
      async (req) => svc.listTags(db, staff(req)),
    );
    app.get(
      '/api/outreach/people/:contactId',
      {
        schema: {
          tags,
          summary: "A person's portrait: contact, account, to-C stage and its history, tags with why, consents, touches",
          params: ContactParam,
          response: { 200: Portrait, ...errors },
        },
      },
      async (req) => svc.portrait(db, staff(req), req.params.contactId),
    );
    app.put(
      '/api/outreach/people/:contactId',
      {
        schema: {
          tags,
          summary: "Set a person's to-C stage (any direction: the history keeps it) and time zone",
          description: "Send the portrait's ETag as If-Match (or its version in the body): 412 if the profile changed since.",
          params: ContactParam,
          body: z.strictObject({
            stage: Stage.nullable(),
            timeZone: z.string().trim().min(1).max(64).nullable().describe("IANA zone, e.g. Europe/Berlin; null: the workspace's"),
            note: z.string().trim().max(500).nullish().describe('why the stage moved (kept in the history)'),
            version: VersionIn,
          }),
          response: { 200: Portrait, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putProfile(db, staff(req), req.params.contactId, input, expectedVersion(req, version));
      },
    );
    app.post(
      '/api/outreach/people/:contactId/tags',
      {
        schema: {
          tags,
          summary: 'Tag a person by hand (409 if the person has that manual tag already)',
          params: ContactParam,
          body: z.strictObject({ tag: TagText, note: z.string().trim().max(500).nullish() }),
          response: { 201: z.object({ items: z.array(TagOut) }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send({ items: await svc.addTag(db, staff(req), req.params.contactId, req.body) }),
    );
    app.delete(
      '/api/outreach/people/:contactId/tags',
      {
        schema: {
          tags,
          summary: "Remove a person's manual (or imported) tag; rule tags follow their rule",
          params: ContactParam,
          querystring: z.strictObject({ tag: TagText, source: z.enum(['manual', 'import']).default('manual') }),
          response: { 200: z.object({ items: z.array(TagOut) }), ...errors },
        },
      },
      async (req) => ({ items: await svc.removeTag(db, staff(req), req.params.contactId, req.query.tag, req.query.source) }),
    );

    // ---- import
    app.get(
      '/api/outreach/people-import/template',
      {
        schema: {
          tags,
          summary: "An empty people import file (CSV or XLSX) with the column names in the request's language",
          querystring: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: z.string().describe('The file: CSV (UTF-8 with BOM) or XLSX'), ...errors },
        },
      },
      async (req, reply) => sendDownload(reply, await svc.importTemplate(staff(req), req.query.format)),
    );
    app.post(
      '/api/outreach/people-import',
      {
        schema: {
          tags,
          summary:
            `Tag people from a CSV or XLSX (form field "file", at most ${MAX_PEOPLE_IMPORT_ROWS.toLocaleString('en')} rows): each row names a ` +
            'contact by ID or email, its tags, and optionally its to-C stage (moved forward only). All or nothing: one bad row answers 400 ' +
            'listing every bad row (fields: [{row, field, message}]) with nothing written.',
          consumes: ['multipart/form-data'],
          response: {
            200: z.object({ rows: z.number().int(), people: z.number().int(), tags: z.number().int(), stagesMoved: z.number().int() }),
            ...errors,
            413: ErrorReply,
          },
        },
      },
      async (req) => svc.importPeople(db, staff(req), () => readUploadedFile(req, MAX_PEOPLE_IMPORT_BYTES)),
    );

    // ---- behaviour rules
    app.get(
      '/api/outreach/tag-rules',
      {
        schema: {
          tags,
          summary: "The workspace's behaviour rules (tags and stages from what people do)",
          response: { 200: z.object({ items: z.array(RuleOut) }), ...errors },
        },
      },
      async (req) => svc.listRules(db, staff(req)),
    );
    app.post(
      '/api/outreach/tag-rules',
      {
        schema: {
          tags,
          summary: 'Add a behaviour rule (its tags come with the next evaluation: nightly, or run now)',
          body: z.strictObject(RuleFields),
          response: { 201: RuleOut, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createRule(db, staff(req), req.body)),
    );
    app.post(
      '/api/outreach/tag-rules/run',
      {
        schema: {
          tags,
          summary: 'Evaluate the rules now: tags set or removed with their evidence, stages moved forward',
          response: { 200: RunOut, ...errors },
        },
      },
      async (req) => svc.runRules(db, staff(req)),
    );
    app.get(
      '/api/outreach/tag-rules/:id',
      { schema: { tags, summary: 'A behaviour rule', params: IdParam, response: { 200: RuleOut, ...errors } } },
      async (req) => svc.getRule(db, staff(req), req.params.id),
    );
    app.put(
      '/api/outreach/tag-rules/:id',
      {
        schema: {
          tags,
          summary: 'Change a behaviour rule (from the version read: 412 if stale)',
          params: IdParam,
          body: z.strictObject({ ...RuleFields, version: VersionIn }),
          response: { 200: RuleOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.updateRule(db, staff(req), req.params.id, input, expectedVersion(req, version));
      },
    );
    app.delete(
      '/api/outreach/tag-rules/:id',
      {
        schema: {
          tags,
          summary: 'Delete a behaviour rule and the tags it set (If-Match optional: 412 if stale)',
          params: IdParam,
          response: { 200: Ok, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        await svc.deleteRule(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional'));
        return { ok: true as const };
      },
    );
  };
}
