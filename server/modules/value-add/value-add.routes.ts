import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, PreconditionReplies, QueryBool, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import * as budget from './budget.service.js';
import * as catalog from './catalog.service.js';
import { executorRoles, menus, tiers } from './catalog.domain.js';
import * as plan from './plan.service.js';
import { taskStatuses } from './plan.domain.js';
import { coreTaskLabels, coreTasks, relationshipMetrics } from './tasks.domain.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['value-add'];
const Money = z.number().int().min(0).max(9e15).describe('integer minor units (fen)');
const CoreTask = z.enum(coreTasks);

const CatalogItem = z.object({
  id: z.string(),
  menu: z.string(),
  code: z.string(),
  position: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string().nullable(),
  processSteps: z.array(z.string()),
  executorRole: z.string(),
  pricing: z.string(),
  priceMinor: z.number(),
  internalCostMinor: z.number(),
  kpiCredit: z.number(),
  tasks: z.array(z.string()),
  eligibleTiers: z.array(z.string()),
  active: z.boolean(),
  customerVisible: z.boolean().describe('listed in the customer portal (in the customer-facing words)'),
  customerNameZh: z.string().nullable(),
  customerNameEn: z.string().nullable(),
  customerDescriptionZh: z.string().nullable(),
  customerDescriptionEn: z.string().nullable(),
});
const ItemFields = {
  nameZh: z.string().max(200),
  nameEn: z.string().max(200),
  description: z.string().max(4000).nullish(),
  processSteps: z.array(z.string().max(500)).max(30),
  executorRole: z.enum(executorRoles),
  pricing: z.enum(['free', 'paid']),
  priceMinor: Money,
  internalCostMinor: Money,
  kpiCredit: z.number().int().min(0).max(1000),
  tasks: z.array(CoreTask).min(1).max(6),
  eligibleTiers: z.array(z.enum(tiers)).min(1).max(5),
  active: z.boolean(),
  customerVisible: z.boolean(),
  customerNameZh: z.string().max(200).nullish(),
  customerNameEn: z.string().max(200).nullish(),
  customerDescriptionZh: z.string().max(2000).nullish(),
  customerDescriptionEn: z.string().max(2000).nullish(),
};
const CreateItemBody = z.strictObject({
  ...ItemFields,
  menu: z.enum(menus),
  code: z
    .string()
    .regex(/^[a-z0-9_.-]{3,60}$/)
    .optional(),
  active: z.boolean().default(true),
  description: ItemFields.description,
  processSteps: ItemFields.processSteps.default([]),
  kpiCredit: ItemFields.kpiCredit.default(0),
  priceMinor: Money.default(0),
  customerVisible: z.boolean().default(false),
});
const PatchItemBody = z.strictObject({ ...ItemFields, position: z.number().int().min(1).max(1000) }).partial();

const Settings = z.object({
  budgetRatioBp: z.number(),
  budgetRatioPercent: z.number(),
  overflowPolicy: z.enum(['refuse', 'approval']),
  version: SettingsVersion,
});
const BudgetFigures = z.object({
  id: z.string(),
  targetMinor: z.number(),
  ratioBp: z.number(),
  budgetMinor: z.number(),
  extraMinor: z.number(),
  openingSpentMinor: z.number(),
  committedMinor: z.number(),
  remainingMinor: z.number(),
});
const Budget = z.object({ eligible: z.boolean(), tier: z.string(), fiscalYear: z.number(), currency: z.string(), budget: BudgetFigures.nullable() });
const FocusEntry = z.object({
  period: z.string(),
  tasks: z.array(z.string()),
  labels: z.array(z.string()),
  note: z.string().nullable(),
  chosenByName: z.string().nullable(),
  updatedAt: z.date(),
});
const Booking = z.object({
  id: z.string(),
  accountId: z.string(),
  catalogItemId: z.string(),
  taskId: z.string().nullable(),
  fiscalYear: z.number(),
  kind: z.string(),
  amountMinor: z.number(),
  promisedValueMinor: z.number().nullable(),
  status: z.string(),
  requestedById: z.string(),
  note: z.string().nullable(),
  createdAt: z.date(),
  version: z.number().int().describe('optimistic concurrency: send it as If-Match with approve/reject/cancel; 412 if stale'),
});
const BookingRow = Booking.extend({
  accountName: z.string(),
  itemName: z.string(),
  requestedByName: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.date().nullable(),
});
const TaskRow = z.object({
  id: z.string(),
  accountId: z.string(),
  catalogItemId: z.string(),
  title: z.string(),
  tasks: z.array(z.string()),
  ownerId: z.string().nullable(),
  dueOn: z.string().nullable(),
  status: z.string(),
  outcome: z.string().nullable(),
  metricsMoved: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const PlanTask = TaskRow.omit({ accountId: true }).extend({
  ownerName: z.string().nullable(),
  allowedNext: z.array(z.string()),
  booking: z
    .object({
      id: z.string(),
      status: z.string(),
      kind: z.string(),
      amountMinor: z.number(),
      version: z.number().int().describe('send as If-Match to cancel'),
    })
    .nullable(),
  opportunities: z.array(z.object({ id: z.string(), title: z.string(), stage: z.string(), amountMinor: z.number() })),
});
const Recommendation = z.object({
  itemId: z.string(),
  rank: z.number(),
  servedTasks: z.array(z.string()),
  fitsBudget: z.boolean(),
  effectScore: z.number(),
  reasons: z.array(z.string()),
  menu: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  pricing: z.string(),
  priceMinor: z.number(),
  internalCostMinor: z.number(),
  executorRole: z.string(),
  tasks: z.array(z.string()),
});
const Period = z.string().max(10);

export function valueAddRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/value-add/core-tasks',
      {
        schema: {
          tags,
          summary: 'The six core tasks (六大核心任务) and the relationship metrics a task can move',
          response: {
            200: z.object({ tasks: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string() })), metrics: z.array(z.string()) }),
            ...errors,
          },
        },
      },
      async () => ({
        tasks: coreTasks.map((id) => ({ id, zh: coreTaskLabels[id]['zh-CN'], en: coreTaskLabels[id].en })),
        metrics: [...relationshipMetrics],
      }),
    );
    app.get(
      '/api/value-add/catalog',
      {
        schema: {
          tags,
          summary: 'The service-product catalog (both menus)',
          querystring: z.strictObject({ menu: z.enum(menus).optional(), includeRetired: QueryBool.optional() }),
          response: { 200: z.object({ items: z.array(CatalogItem) }), ...errors },
        },
      },
      async (req) => ({ items: await catalog.listCatalog(db, staff(req), req.query) }),
    );
    app.post(
      '/api/value-add/catalog',
      { schema: { tags, summary: 'Add a service product to a menu', body: CreateItemBody, response: { 201: CatalogItem, ...errors } } },
      async (req, reply) => reply.status(201).send(await catalog.createCatalogItem(db, staff(req), req.body)),
    );
    app.patch(
      '/api/value-add/catalog/:id',
      {
        schema: {
          tags,
          summary: 'Edit a service product; active:false retires it',
          params: IdParam,
          body: PatchItemBody,
          response: { 200: CatalogItem, ...errors },
        },
      },
      async (req) => catalog.updateCatalogItem(db, staff(req), req.params.id, req.body),
    );
    app.get(
      '/api/value-add/settings',
      { schema: { tags, summary: 'Budget ratio and overflow policy', response: { 200: Settings, ...errors } } },
      async (req) => catalog.getSettings(db, staff(req)),
    );
    app.put(
      '/api/value-add/settings',
      {
        schema: {
          tags,
          summary: 'Set the budget ratio (percent of the fiscal-year target, 0–100, two decimals) and what happens to a booking that does not fit',
          description: 'Send the ETag of the settings read as If-Match (or its version in the body): 412 if someone saved them since.',
          body: z.strictObject({
            ratioPercent: z.number().optional(),
            overflowPolicy: z.enum(['refuse', 'approval']).optional(),
            version: SettingsVersionIn,
          }),
          response: { 200: Settings, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return catalog.updateSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );
    app.get(
      '/api/accounts/:id/value-add/focus',
      {
        schema: {
          tags,
          summary: "The account's focus tasks (current and history)",
          params: IdParam,
          querystring: z.strictObject({ period: Period.optional() }),
          response: { 200: z.object({ current: FocusEntry.nullable(), history: z.array(FocusEntry) }), ...errors },
        },
      },
      async (req) => plan.getFocus(db, staff(req), req.params.id, req.query.period),
    );
    app.put(
      '/api/accounts/:id/value-add/focus',
      {
        schema: {
          tags,
          summary: 'Choose, with the customer, which of the six tasks to focus on for a period (default: the fiscal year)',
          params: IdParam,
          body: z.strictObject({ period: Period.optional(), tasks: z.array(z.string().max(40)).max(12), note: z.string().max(2000).nullish() }),
          response: { 200: z.object({ ok: z.literal(true), period: z.string(), tasks: z.array(z.string()) }), ...errors },
        },
      },
      async (req) => {
        const r = await plan.setFocus(db, staff(req), req.params.id, req.body);
        return { ok: true as const, period: r.period, tasks: r.tasks };
      },
    );
    app.get(
      '/api/accounts/:id/value-add/recommendations',
      {
        schema: {
          tags,
          summary: 'Catalog items ranked for the focus tasks, with the reason for each rank',
          params: IdParam,
          querystring: z.strictObject({
            period: Period.optional(),
            tasks: z.string().optional().describe('comma-separated tasks to try instead of the saved focus'),
          }),
          response: {
            200: z.object({
              focus: z.array(z.string()),
              period: z.string().nullable(),
              remainingMinor: z.number().nullable(),
              items: z.array(Recommendation),
            }),
            ...errors,
          },
        },
      },
      async (req) =>
        plan.getRecommendations(db, staff(req), req.params.id, { period: req.query.period, tasks: req.query.tasks?.split(',').filter(Boolean) }),
    );
    app.get(
      '/api/accounts/:id/value-add/budget',
      {
        schema: {
          tags,
          summary: "The account's customer-operations budget (A and C accounts)",
          params: IdParam,
          response: { 200: Budget, ...errors },
        },
      },
      async (req) => budget.getBudget(db, staff(req), req.params.id),
    );
    app.put(
      '/api/accounts/:id/value-add/budget/opening',
      {
        schema: {
          tags,
          summary: 'Set what was already spent this fiscal year before bookings were kept here',
          params: IdParam,
          body: z.strictObject({ amountMinor: Money }),
          response: { 200: Budget, ...errors },
        },
      },
      async (req) => budget.setOpeningSpent(db, staff(req), req.params.id, req.body.amountMinor),
    );
    app.get(
      '/api/accounts/:id/value-add/tasks',
      {
        schema: {
          tags,
          summary: "The account's service plan: value-add tasks with bookings and the opportunities they produced",
          params: IdParam,
          response: { 200: z.object({ items: z.array(PlanTask) }), ...errors },
        },
      },
      async (req) => ({ items: await plan.listTasks(db, staff(req), req.params.id) }),
    );
    app.post(
      '/api/accounts/:id/value-add/bookings',
      {
        schema: {
          tags,
          summary:
            'Book a service product: plans it as a task; a free one draws its internal cost from the budget (409 if it does not fit, unless approval is on), a paid one records revenue',
          params: IdParam,
          body: z.strictObject({
            catalogItemId: z.uuid(),
            ownerId: z.uuid().nullish(),
            dueOn: z.iso.date().nullish(),
            promisedValueMinor: Money.nullish(),
            note: z.string().max(2000).nullish(),
          }),
          response: { 201: z.object({ booking: Booking, task: TaskRow, budget: Budget }), ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await budget.bookServiceProduct(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/accounts/:id/value-add/bookings/preview',
      {
        schema: {
          tags,
          summary:
            'Before booking: the cost, the budget remaining before and after, whether it needs approval or cannot be booked, and the same item already booked for this account this quarter',
          params: IdParam,
          querystring: z.strictObject({ catalogItemId: z.uuid() }),
          response: {
            200: z.object({
              catalogItemId: z.string(),
              name: z.string(),
              pricing: z.enum(['free', 'paid']),
              amountMinor: z.number(),
              currency: z.string(),
              outcome: z.enum(['draw', 'needs_approval', 'refused', 'revenue']),
              reason: z.string().nullable(),
              remainingBeforeMinor: z.number().nullable(),
              remainingAfterMinor: z.number().nullable(),
              quarterFrom: z.string(),
              sameQuarter: z.array(
                z.object({
                  bookingId: z.string(),
                  status: z.string(),
                  amountMinor: z.number(),
                  createdAt: z.string(),
                  requestedBy: z.string().nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => budget.previewBooking(db, staff(req), req.params.id, req.query.catalogItemId),
    );
    app.get(
      '/api/value-add/bookings',
      {
        schema: {
          tags,
          summary: 'Bookings (e.g. status=pending_approval for the approval queue)',
          querystring: z.strictObject({
            accountId: z.uuid().optional(),
            status: z.enum(['booked', 'pending_approval', 'rejected', 'cancelled']).optional(),
          }),
          response: { 200: z.object({ items: z.array(BookingRow) }), ...errors },
        },
      },
      async (req) => ({ items: await budget.listBookings(db, staff(req), req.query) }),
    );
    app.post(
      '/api/value-add/bookings/:id/approve',
      {
        schema: {
          tags,
          summary: 'Approve a booking that did not fit (managers; never your own): the shortfall is granted as an extra allowance',
          params: IdParam,
          description: 'Honours If-Match: "<version>" (the booking read in the list): 412 if it changed since.',
          response: { 200: z.object({ booking: Booking, budget: Budget }), ...errors, 412: ErrorReply },
        },
      },
      async (req) => budget.approveBooking(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional')),
    );
    app.post(
      '/api/value-add/bookings/:id/reject',
      {
        schema: {
          tags,
          summary: 'Reject a booking awaiting approval',
          params: IdParam,
          body: z.strictObject({ reason: z.string().trim().min(1).max(1000) }),
          description: 'Honours If-Match: "<version>" (the booking read in the list): 412 if it changed since.',
          response: { 200: z.object({ booking: Booking }), ...errors, 412: ErrorReply },
        },
      },
      async (req) => budget.rejectBooking(db, staff(req), req.params.id, req.body.reason, expectedVersion(req, undefined, 'optional')),
    );
    app.post(
      '/api/value-add/bookings/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a booking: the drawn amount returns to the budget',
          params: IdParam,
          description: 'Honours If-Match: "<version>" (the booking read in the list or plan): 412 if it changed since.',
          response: { 200: z.object({ booking: Booking, budget: Budget }), ...errors, 412: ErrorReply },
        },
      },
      async (req) => budget.cancelBooking(db, staff(req), req.params.id, expectedVersion(req, undefined, 'optional')),
    );
    app.patch(
      '/api/value-add/tasks/:id',
      {
        schema: {
          tags,
          summary: 'Update a value-add task: owner, date, status (planned → scheduled → done → evaluated), outcome, metrics moved',
          params: IdParam,
          body: z.strictObject({
            status: z.enum(taskStatuses).optional(),
            ownerId: z.uuid().nullish(),
            dueOn: z.iso.date().nullish(),
            outcome: z.string().max(4000).nullish(),
            metricsMoved: z.array(z.string().max(40)).max(4).optional(),
          }),
          response: { 200: TaskRow, ...errors },
        },
      },
      async (req) => plan.updateTask(db, staff(req), req.params.id, req.body),
    );
    app.post(
      '/api/value-add/tasks/:id/opportunities',
      {
        schema: {
          tags,
          summary: 'Capture an opportunity produced by a value-add task',
          params: IdParam,
          body: z.strictObject({
            title: z.string().trim().min(1).max(200),
            description: z.string().max(4000).nullish(),
            amountMinor: Money.optional(),
            product: z.string().max(200).nullish(),
            expectedCloseOn: z.iso.date().nullish(),
          }),
          response: { 201: z.object({ id: z.string(), stage: z.string(), amountMinor: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        const o = await plan.captureFromTask(db, staff(req), req.params.id, req.body);
        return reply.status(201).send({ id: o.id, stage: o.stage, amountMinor: o.amountMinor });
      },
    );
  };
}
