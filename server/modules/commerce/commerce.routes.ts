import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, IdParam, Ok, PreconditionReplies, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import { agingBuckets } from './commerce.domain.js';
import * as svc from './commerce.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['commerce'];
const Money = z.number().int().min(0).max(9e15).describe('integer minor units (fen)');
const Day = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const Tier = z.enum(['A', 'B', 'C', 'D', 'E']);

const Service = z.strictObject({ name: text(100), customisation: z.boolean() });
const Document = z.strictObject({ title: text(200), url: z.url({ protocol: /^https?$/ }).max(2000) });
const ContractFields = {
  number: text(50),
  title: text(200),
  products: z.array(text(100)).max(50).optional(),
  amountMinor: Money,
  costMinor: Money.nullish().describe('what delivering it costs (gives the margin); leads only'),
  signedOn: Day,
  startsOn: Day,
  endsOn: Day,
  maintenanceEndsOn: Day.nullish(),
  slaTier: Tier.nullish().describe('the tier whose SLA targets the contract buys'),
  services: z.array(Service).max(50).optional().describe('contract services; customisation = a customised part (seed 003)'),
  documents: z.array(Document).max(20).optional(),
  renewalOf: z.uuid().nullish().describe('the contract this one renews'),
  externalRef: z.string().trim().max(100).nullish().describe("the ERP's id"),
};
const ContractBody = z.strictObject(ContractFields);
const ContractPatch = z
  .strictObject({
    ...ContractFields,
    version: z.number().int().min(1).optional().describe('the version read (alternative to If-Match); 412 if stale'),
  })
  .partial();

const Contract = z.object({
  id: z.string(),
  accountId: z.string(),
  number: z.string(),
  title: z.string(),
  products: z.array(z.string()),
  amountMinor: z.number(),
  costMinor: z.number().nullable(),
  signedOn: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  maintenanceEndsOn: z.string().nullable(),
  slaTier: z.string().nullable(),
  services: z.array(z.object({ name: z.string(), customisation: z.boolean() })),
  documents: z.array(z.object({ title: z.string(), url: z.string() })),
  renewalOf: z.string().nullable(),
  renewalOpportunityId: z.string().nullable(),
  externalRef: z.string().nullable(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
const Aging = z.object(Object.fromEntries(agingBuckets.map((b) => [b, z.number()])) as Record<(typeof agingBuckets)[number], z.ZodNumber>);
const Figures = z.object({
  accountId: z.string(),
  onTimePaymentPct: z.number().nullable(),
  orderAmountMinor: z.number(),
  profitMarginPct: z.number().nullable(),
  at: z.string(),
});

const PlanItem = z.object({
  id: z.string(),
  accountId: z.string(),
  contractId: z.string(),
  label: z.string(),
  dueOn: z.string(),
  amountMinor: z.number(),
  invoiceNo: z.string().nullable(),
  externalRef: z.string().nullable(),
  createdAt: z.date(),
});
const PlanItemState = PlanItem.extend({
  paidMinor: z.number(),
  paidOn: z.string().nullable(),
  outstandingMinor: z.number(),
  state: z.enum(['paid', 'paid_late', 'part_paid', 'open', 'overdue']),
});
const Payment = z.object({
  id: z.string(),
  accountId: z.string(),
  contractId: z.string(),
  planItemId: z.string().nullable(),
  receivedOn: z.string(),
  amountMinor: z.number(),
  reference: z.string(),
  externalRef: z.string().nullable(),
  createdAt: z.date(),
});
const Milestone = z.object({
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  position: z.number(),
  plannedOn: z.string(),
  actualOn: z.string().nullable(),
  createdAt: z.date(),
});
const Project = z.object({
  id: z.string(),
  accountId: z.string(),
  contractId: z.string().nullable().describe('null for a project kept by hand before contracts were on record'),
  name: z.string(),
  managerId: z.string().nullable(),
  acceptedOn: z.string().nullable(),
  firstPass: z.boolean().nullable(),
  defects: z.number().nullable(),
  version: z.number(),
  createdAt: z.date(),
});
const ProjectView = Project.extend({
  managerName: z.string().nullable(),
  hours: z.number(),
  milestones: z.array(Milestone.extend({ state: z.enum(['done_on_time', 'done_late', 'late', 'planned']) })),
});
const TimeEntry = z.object({
  id: z.string(),
  projectId: z.string(),
  userId: z.string(),
  workedOn: z.string(),
  hours: z.number(),
  note: z.string(),
  externalRef: z.string().nullable(),
  createdAt: z.date(),
  version: z.number().int(),
});

export function commerceRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    // ---- contracts
    app.get(
      '/api/accounts/:id/contracts',
      {
        schema: {
          tags,
          summary: "An account's contracts with what fell due, was received and is overdue, and the grading factors they give",
          params: IdParam,
          response: {
            200: z.object({
              today: z.string(),
              figures: Figures,
              aging: Aging,
              items: z.array(
                Contract.extend({
                  dueMinor: z.number(),
                  receivedMinor: z.number(),
                  overdueMinor: z.number(),
                  projects: z.number(),
                  status: z.enum(['in_force', 'ended', 'not_started']),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.listContracts(db, staff(req), req.params.id),
    );
    app.post(
      '/api/accounts/:id/contracts',
      { schema: { tags, summary: 'Record a contract of an account', params: IdParam, body: ContractBody, response: { 201: Contract, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createContract(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/contracts/:id',
      {
        schema: {
          tags,
          summary: 'A contract with its payment plan (each item paid, late or open), payments, delivery projects and aging',
          params: IdParam,
          response: {
            200: z.object({
              contract: Contract,
              today: z.string(),
              planItems: z.array(PlanItemState),
              payments: z.array(Payment),
              projects: z.array(ProjectView),
              aging: Aging,
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.getContract(db, staff(req), req.params.id),
    );
    app.patch(
      '/api/contracts/:id',
      {
        schema: {
          tags,
          summary: 'Change a contract',
          description: 'Send the ETag read as If-Match (or `version` in the body): 412 if someone changed the contract since.',
          params: IdParam,
          body: ContractPatch,
          response: { 200: Contract, ...errors, 412: ErrorReply, 428: ErrorReply },
        },
      },
      async (req) => {
        const { version, ...values } = req.body;
        return svc.updateContract(db, staff(req), req.params.id, values, expectedVersion(req, version));
      },
    );
    app.delete(
      '/api/contracts/:id',
      { schema: { tags, summary: 'Delete a contract that has nothing recorded under it', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deleteContract(db, staff(req), req.params.id),
    );

    // ---- payment plan and payments
    const PlanItemBody = z.strictObject({
      label: text(100),
      dueOn: Day,
      amountMinor: Money.refine((x) => x > 0, 'must be above 0'),
      invoiceNo: z.string().trim().max(50).nullish(),
      externalRef: z.string().trim().max(100).nullish(),
    });
    app.post(
      '/api/contracts/:id/plan-items',
      {
        schema: {
          tags,
          summary: 'Add a payment plan item (an amount due on a day)',
          params: IdParam,
          body: PlanItemBody,
          response: { 201: PlanItem, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.addPlanItem(db, staff(req), req.params.id, req.body)),
    );
    app.patch(
      '/api/plan-items/:id',
      {
        schema: {
          tags,
          summary: 'Change a payment plan item',
          params: IdParam,
          body: PlanItemBody.omit({ externalRef: true }).partial(),
          response: { 200: PlanItem, ...errors },
        },
      },
      async (req) => svc.updatePlanItem(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/plan-items/:id',
      { schema: { tags, summary: 'Delete a payment plan item no payment names', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deletePlanItem(db, staff(req), req.params.id),
    );
    app.post(
      '/api/contracts/:id/payments',
      {
        schema: {
          tags,
          summary: 'Record money received (回款) against a contract, for a plan item when the payer said which',
          params: IdParam,
          body: z.strictObject({
            receivedOn: Day,
            amountMinor: Money.refine((x) => x > 0, 'must be above 0'),
            planItemId: z.uuid().nullish(),
            reference: z.string().trim().max(200).optional(),
            externalRef: z.string().trim().max(100).nullish(),
          }),
          response: { 201: Payment, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.recordPayment(db, staff(req), req.params.id, req.body)),
    );
    app.delete(
      '/api/payments/:id',
      { schema: { tags, summary: 'Delete a payment recorded by mistake', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deletePayment(db, staff(req), req.params.id),
    );

    // ---- delivery projects
    app.get(
      '/api/accounts/:id/projects',
      {
        schema: {
          tags,
          summary: "An account's delivery projects with milestones (on time or late), acceptance and hours",
          params: IdParam,
          response: { 200: z.object({ today: z.string(), items: z.array(ProjectView) }), ...errors },
        },
      },
      async (req) => svc.listProjects(db, staff(req), req.params.id),
    );
    app.get(
      '/api/projects',
      {
        schema: {
          tags,
          summary: 'Projects still in delivery (or accepted in the last 30 days) of the accounts one sees: what time is booked on',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  name: z.string(),
                  accountId: z.string(),
                  accountName: z.string(),
                  contractId: z.string().nullable(),
                  acceptedOn: z.string().nullable(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.openProjectsFor(db, staff(req)),
    );
    app.post(
      '/api/contracts/:id/projects',
      {
        schema: {
          tags,
          summary: 'Open a delivery project under a contract',
          params: IdParam,
          body: z.strictObject({ name: text(200), managerId: z.uuid().nullish() }),
          response: { 201: Project, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.createProject(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/projects/:id',
      { schema: { tags, summary: 'A delivery project', params: IdParam, response: { 200: ProjectView.extend({ today: z.string() }), ...errors } } },
      async (req) => svc.getProject(db, staff(req), req.params.id),
    );
    app.patch(
      '/api/projects/:id',
      {
        schema: {
          tags,
          summary: 'Change a project, or record its acceptance (day, passed the first time, defects found)',
          params: IdParam,
          body: z
            .strictObject({
              name: text(200),
              managerId: z.uuid().nullable(),
              acceptedOn: Day.nullable(),
              firstPass: z.boolean().nullable(),
              defects: z.number().int().min(0).max(100000).nullable(),
            })
            .partial(),
          response: { 200: Project, ...errors },
        },
      },
      async (req) => svc.updateProject(db, staff(req), req.params.id, req.body),
    );
    const MilestoneBody = z.strictObject({
      title: text(200),
      plannedOn: Day,
      actualOn: Day.nullish(),
      position: z.number().int().min(0).max(1000).optional(),
    });
    app.post(
      '/api/projects/:id/milestones',
      { schema: { tags, summary: 'Add a milestone to a project', params: IdParam, body: MilestoneBody, response: { 201: Milestone, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.addMilestone(db, staff(req), req.params.id, req.body)),
    );
    app.patch(
      '/api/project-milestones/:id',
      {
        schema: {
          tags,
          summary: 'Change a milestone, or record the day it was reached',
          params: IdParam,
          body: MilestoneBody.partial(),
          response: { 200: Milestone, ...errors },
        },
      },
      async (req) => svc.updateMilestone(db, staff(req), req.params.id, req.body),
    );
    app.delete(
      '/api/project-milestones/:id',
      { schema: { tags, summary: 'Delete a milestone', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deleteMilestone(db, staff(req), req.params.id),
    );

    // ---- time entries
    app.post(
      '/api/projects/:id/time-entries',
      {
        schema: {
          tags,
          summary: "Book hours on a project (one's own; a lead may book for someone else)",
          params: IdParam,
          body: z.strictObject({
            userId: z.uuid().optional(),
            workedOn: Day,
            hours: z.number().positive().max(24).multipleOf(0.25),
            note: z.string().trim().max(500).optional(),
            externalRef: z.string().trim().max(100).nullish(),
          }),
          response: { 201: TimeEntry, ...errors },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.bookTime(db, staff(req), req.params.id, req.body)),
    );
    app.get(
      '/api/time-entries',
      {
        schema: {
          tags,
          summary: "Hours booked between two days: one's own, or anyone's for a lead",
          querystring: z.strictObject({ userId: z.uuid().optional(), projectId: z.uuid().optional(), from: Day, to: Day }),
          response: {
            200: z.object({ items: z.array(TimeEntry.extend({ projectName: z.string(), accountName: z.string().nullable() })) }),
            ...errors,
          },
        },
      },
      async (req) => svc.listTimeEntries(db, staff(req), req.query),
    );
    app.patch(
      '/api/time-entries/:id',
      {
        schema: {
          tags,
          summary: "Correct a time entry's day, hours or note (one's own; a lead anyone's)",
          description: 'Send the ETag read as If-Match (or `version` in the body): 412 if someone changed the entry since.',
          params: IdParam,
          body: z.strictObject({
            workedOn: Day.optional(),
            hours: z.number().positive().max(24).multipleOf(0.25).optional(),
            note: z.string().trim().max(500).optional(),
            version: z.number().int().positive().optional(),
          }),
          response: { 200: TimeEntry, ...errors, 412: ErrorReply, 428: ErrorReply },
        },
      },
      async (req) => {
        const { version, ...patch } = req.body;
        return svc.updateTimeEntry(db, staff(req), req.params.id, patch, expectedVersion(req, version));
      },
    );
    app.delete(
      '/api/time-entries/:id',
      { schema: { tags, summary: 'Delete a time entry', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.deleteTimeEntry(db, staff(req), req.params.id),
    );

    // ---- customisation cover, settings
    app.get(
      '/api/accounts/:id/customisation-cover',
      {
        schema: {
          tags,
          summary: 'Whether a contract in force covers customisation work on a day (what a customisation ticket shows)',
          params: IdParam,
          querystring: z.strictObject({ on: Day.optional() }),
          response: {
            200: z.object({
              on: z.string(),
              covered: z.boolean(),
              contracts: z.array(
                z.object({ id: z.string(), number: z.string(), title: z.string(), endsOn: z.string(), services: z.array(z.string()) }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (req) => svc.customisationCover(db, staff(req), req.params.id, req.query.on),
    );
    const Settings = z.strictObject({
      renewalWindowDays: z.number().int().min(7).max(365).describe('contracts ending within this many days are watched for renewal'),
      orderYears: z.number().int().min(1).max(2).describe("how many years of contracts grading's order amount counts"),
    });
    const SettingsOut = Settings.extend({ version: SettingsVersion });
    app.get(
      '/api/commerce/settings',
      { schema: { tags, summary: 'The renewal window and the years of orders grading counts', response: { 200: SettingsOut, ...errors } } },
      async (req) => svc.getSettings(db, staff(req)),
    );
    app.put(
      '/api/commerce/settings',
      {
        schema: {
          tags,
          summary: 'Change the renewal window and the years of orders grading counts',
          description: 'Send the ETag of the settings read as If-Match (or its version in the body): 412 if someone saved them since.',
          body: Settings.extend({ version: SettingsVersionIn }),
          response: { 200: SettingsOut, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putSettings(db, staff(req), input, expectedVersion(req, version));
      },
    );
  };
}
