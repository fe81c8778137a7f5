// The commercial record's use cases (issue 16): contracts, payment plans and payments, delivery projects with
// milestones and acceptance, time entries; grading's three factors are recomputed on every change that moves them.
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, conflict, invalid, notFound, unwrap } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import {
  accountNames,
  applyCommercialFigures,
  canSeeAccount,
  findAccount,
  loadVisibleAccount,
  seesEveryAccount,
  type ComputedFactors,
} from '../accounts/index.js';
import { usersByIds } from '../people/index.js';
import {
  aging,
  allocate,
  customisationCoverage,
  milestoneState,
  minusDays,
  onTimePaymentPct,
  orderAmountMinor,
  profitMarginPct,
  slaBoughtOn,
  validateTerms,
  type Allocation,
} from './commerce.domain.js';
import * as repo from './commerce.repo.js';
import type { ContractDocument, ContractService } from './commerce.table.js';
import { raiseRenewal, workspaceToday } from './renewals.service.js';

export { workspaceToday };

// ---- grading's factors

/** The three grading factors of these accounts as their contracts and payments give them today. */
export async function computeFigures(db: Db, workspaceId: string, accountIds: string[], now = new Date()) {
  const [today, settings, rec] = await Promise.all([
    workspaceToday(db, workspaceId, now),
    repo.loadSettings(db, workspaceId),
    repo.commercialRecordsOf(db, workspaceId, accountIds),
  ]);
  return figuresOf(rec, accountIds, today, settings.orderYears, now);
}

type Records = Awaited<ReturnType<typeof repo.commercialRecordsOf>>;
/** The factors from records already read, each account's rows grouped once (a workspace's nightly pass reads them all). */
function figuresOf(rec: Records, accountIds: string[], today: string, orderYears: number, now: Date) {
  const by = <T extends { accountId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.accountId, [...(m.get(r.accountId) ?? []), r]);
    return m;
  };
  const [cs, items, pays] = [by(rec.contracts), by(rec.items), by(rec.payments)];
  const at = now.toISOString();
  return accountIds.map((accountId): { accountId: string } & ComputedFactors => {
    const alloc = allocate(items.get(accountId) ?? [], pays.get(accountId) ?? []);
    const mine = cs.get(accountId) ?? [];
    return {
      accountId,
      onTimePaymentPct: onTimePaymentPct(alloc, today),
      orderAmountMinor: orderAmountMinor(mine, today, orderYears),
      profitMarginPct: profitMarginPct(mine, today, orderYears),
      at,
    };
  });
}

/** Recomputes the factors of an account after a change to its commercial record, in the change's transaction; tiers regrade. */
async function refreshFigures(tx: Db, workspaceId: string, accountId: string) {
  await applyCommercialFigures(tx, workspaceId, await computeFigures(tx, workspaceId, [accountId]));
}

/** Every account with a contract, e.g. nightly (the 12-month and 1–2-year windows move with the days). */
export async function refreshAllFigures(db: Db, workspaceId: string, now = new Date()) {
  const ids = await repo.accountsWithContracts(db, workspaceId);
  if (!ids.length) return { accounts: 0 };
  await db.transaction(async (tx) => applyCommercialFigures(tx, workspaceId, await computeFigures(tx, workspaceId, ids, now)));
  return { accounts: ids.length };
}

// ---- contracts

export type ContractInput = {
  number: string;
  title: string;
  products?: string[];
  amountMinor: number;
  costMinor?: number | null;
  signedOn: string;
  startsOn: string;
  endsOn: string;
  maintenanceEndsOn?: string | null;
  slaTier?: string | null;
  services?: ContractService[];
  documents?: ContractDocument[];
  renewalOf?: string | null;
  externalRef?: string | null;
};

/** What a person sees of a contract: its cost only with the right to see margins. */
function contractView(actor: StaffActor, c: repo.ContractRow) {
  const { workspaceId: _ws, costMinor, ...rest } = c;
  return { ...rest, costMinor: can(actor.role, 'contracts.cost') ? costMinor : null };
}

type PlanState = 'paid' | 'paid_late' | 'overdue' | 'part_paid' | 'open';
const planState = (a: Allocation, today: string): PlanState =>
  a.outstandingMinor === 0 ? (a.paidOn! <= a.dueOn ? 'paid' : 'paid_late') : a.dueOn < today ? 'overdue' : a.paidMinor > 0 ? 'part_paid' : 'open';

/** The parent's "not found" said as the child's: whether the record exists elsewhere never shows through its parent. */
async function as404<T>(noun: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw e instanceof AppError && e.code === 'not_found' ? notFound(noun) : e;
  }
}

/** A contract visible to the actor (through its account), or 404 — the same answer whether it exists elsewhere or not. */
async function visibleContract(db: Db, actor: StaffActor, id: string, opts: { forUpdate?: boolean } = {}) {
  const c = await repo.findContract(db, actor.workspaceId, id, opts);
  if (!c) throw notFound('contract.noun');
  await as404('contract.noun', loadVisibleAccount(db, actor, c.accountId));
  return c;
}

async function assertRenewalOf(db: Db, actor: StaffActor, accountId: string, renewalOf: string | null | undefined) {
  if (!renewalOf) return;
  const prev = await repo.findContract(db, actor.workspaceId, renewalOf);
  if (!prev || prev.accountId !== accountId)
    throw invalid('error.not_found', { what: 'contract.noun' }, [{ field: 'renewalOf', message: 'unknown contract' }]);
}

export async function listContracts(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'contracts.read');
  await loadVisibleAccount(db, actor, accountId);
  const [today, settings] = await Promise.all([workspaceToday(db, actor.workspaceId), repo.loadSettings(db, actor.workspaceId)]);
  const cs = await repo.contractsOfAccount(db, actor.workspaceId, accountId);
  const rec = await repo.commercialRecordsOf(db, actor.workspaceId, [accountId]);
  const alloc = allocate(rec.items, rec.payments);
  const projects = await repo.projectsOfContracts(
    db,
    actor.workspaceId,
    cs.map((c) => c.id),
  );
  return {
    today,
    figures: figuresOf(rec, [accountId], today, settings.orderYears, new Date())[0],
    aging: aging(alloc, today),
    items: cs.map((c) => {
      const mine = alloc.filter((a) => a.contractId === c.id);
      return {
        ...contractView(actor, c),
        dueMinor: mine.filter((a) => a.dueOn <= today).reduce((s, a) => s + a.amountMinor, 0),
        receivedMinor: mine.reduce((s, a) => s + a.paidMinor, 0),
        overdueMinor: mine.filter((a) => a.dueOn < today).reduce((s, a) => s + a.outstandingMinor, 0),
        projects: projects.filter((p) => p.contractId === c.id).length,
        status: c.endsOn < today ? ('ended' as const) : c.startsOn > today ? ('not_started' as const) : ('in_force' as const),
      };
    }),
  };
}

export async function getContract(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'contracts.read');
  const c = await visibleContract(db, actor, id);
  const today = await workspaceToday(db, actor.workspaceId);
  const [items, pays, projects] = await Promise.all([
    repo.planItemsOfContract(db, actor.workspaceId, id),
    repo.paymentsOfContract(db, actor.workspaceId, id),
    repo.projectsOfContracts(db, actor.workspaceId, [id]),
  ]);
  const alloc = allocate(items, pays);
  const byItem = new Map(alloc.map((a) => [a.id, a]));
  return {
    contract: contractView(actor, c),
    today,
    planItems: items.map((i) => {
      const a = byItem.get(i.id)!;
      return { ...strip(i), paidMinor: a.paidMinor, paidOn: a.paidOn, outstandingMinor: a.outstandingMinor, state: planState(a, today) };
    }),
    payments: pays.map(strip),
    projects: await projectViews(db, actor.workspaceId, projects, today),
    aging: aging(alloc, today),
  };
}

const strip = <T extends { workspaceId: string }>(r: T): Omit<T, 'workspaceId'> => {
  const { workspaceId: _ws, ...rest } = r;
  return rest;
};

export async function createContract(db: Db, actor: Actor, accountId: string, input: ContractInput) {
  assertCan(actor, 'contracts.manage');
  unwrap(validateTerms(input));
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId);
    if (await repo.findContractByNumber(tx, actor.workspaceId, input.number)) throw numberTaken(input.number);
    await assertRenewalOf(tx, actor, accountId, input.renewalOf);
    const row = await repo.insertContract(tx, { ...input, workspaceId: actor.workspaceId, accountId });
    await recordAudit(tx, actor, { action: 'contract.create', entityType: 'contract', entityId: row.id, after: row });
    await refreshFigures(tx, actor.workspaceId, accountId);
    const opp = await raiseRenewalNow(tx, actor.workspaceId, row);
    return contractView(actor, opp ? { ...row, renewalOpportunityId: opp } : row);
  });
}

/** A contract written into its renewal window raises its renewal opportunity at once (the nightly scan does it for the rest). */
async function raiseRenewalNow(tx: Db, workspaceId: string, c: repo.ContractRow) {
  const [today, settings] = await Promise.all([workspaceToday(tx, workspaceId), repo.loadSettings(tx, workspaceId)]);
  return raiseRenewal(tx, workspaceId, c, today, settings.renewalWindowDays);
}

const numberTaken = (number: string) => new AppError('conflict', 'commerce.number_taken', { number }, [{ field: 'number', message: 'taken' }]);

export async function updateContract(db: Db, actor: Actor, id: string, values: Partial<ContractInput>, expectedVersion?: number) {
  assertCan(actor, 'contracts.manage');
  const entity = { type: 'contract', id, noun: 'contract.noun' };
  return db.transaction(async (tx) => {
    const before = await visibleContract(tx, actor, id, { forUpdate: true });
    // optimistic concurrency like every editable record (platform/concurrency.ts): 412, who and when
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    unwrap(validateTerms({ ...before, ...values }));
    if (values.number && values.number !== before.number && (await repo.findContractByNumber(tx, actor.workspaceId, values.number)))
      throw numberTaken(values.number);
    if (values.renewalOf === id)
      throw invalid('error.validation', { detail: 'renewalOf' }, [{ field: 'renewalOf', message: 'a contract cannot renew itself' }]);
    await assertRenewalOf(tx, actor, before.accountId, values.renewalOf);
    // without the right to see the cost, one cannot change it either
    if (!can(actor.role, 'contracts.cost')) delete values.costMinor;
    const after = await repo.updateContract(tx, actor.workspaceId, id, values, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'contract.update', entityType: 'contract', entityId: id, before, after });
    await refreshFigures(tx, actor.workspaceId, before.accountId);
    const opp = await raiseRenewalNow(tx, actor.workspaceId, after);
    return contractView(actor, opp ? { ...after, renewalOpportunityId: opp } : after);
  });
}

export async function deleteContract(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'contracts.manage');
  return db.transaction(async (tx) => {
    const before = await visibleContract(tx, actor, id, { forUpdate: true });
    const n = await repo.recordsUnderContract(tx, actor.workspaceId, id);
    if (n) throw conflict('commerce.has_records', { what: 'contract.noun', count: n });
    await repo.deleteContract(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'contract.delete', entityType: 'contract', entityId: id, before });
    await refreshFigures(tx, actor.workspaceId, before.accountId);
    return { ok: true as const };
  });
}

// ---- payment plan and payments

export async function addPlanItem(
  db: Db,
  actor: Actor,
  contractId: string,
  input: { label: string; dueOn: string; amountMinor: number; invoiceNo?: string | null; externalRef?: string | null },
) {
  assertCan(actor, 'collections.manage');
  return db.transaction(async (tx) => {
    const c = await visibleContract(tx, actor, contractId);
    const row = await repo.insertPlanItem(tx, { ...input, workspaceId: actor.workspaceId, accountId: c.accountId, contractId });
    await recordAudit(tx, actor, { action: 'plan_item.create', entityType: 'plan_item', entityId: row.id, after: row });
    await refreshFigures(tx, actor.workspaceId, c.accountId);
    return strip(row);
  });
}

async function visiblePlanItem(db: Db, actor: StaffActor, id: string) {
  const i = await repo.findPlanItem(db, actor.workspaceId, id);
  if (!i) throw notFound('plan_item.noun');
  await as404('plan_item.noun', visibleContract(db, actor, i.contractId));
  return i;
}

export async function updatePlanItem(
  db: Db,
  actor: Actor,
  id: string,
  patch: { label?: string; dueOn?: string; amountMinor?: number; invoiceNo?: string | null },
) {
  assertCan(actor, 'collections.manage');
  return db.transaction(async (tx) => {
    const before = await visiblePlanItem(tx, actor, id);
    const after = await repo.updatePlanItem(tx, actor.workspaceId, id, patch);
    await recordAudit(tx, actor, { action: 'plan_item.update', entityType: 'plan_item', entityId: id, before, after });
    await refreshFigures(tx, actor.workspaceId, before.accountId);
    return strip(after);
  });
}

export async function deletePlanItem(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'collections.manage');
  return db.transaction(async (tx) => {
    const before = await visiblePlanItem(tx, actor, id);
    const n = await repo.paymentsNaming(tx, actor.workspaceId, id);
    if (n) throw conflict('commerce.has_records', { what: 'plan_item.noun', count: n });
    await repo.deletePlanItem(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'plan_item.delete', entityType: 'plan_item', entityId: id, before });
    await refreshFigures(tx, actor.workspaceId, before.accountId);
    return { ok: true as const };
  });
}

export async function recordPayment(
  db: Db,
  actor: Actor,
  contractId: string,
  input: { receivedOn: string; amountMinor: number; planItemId?: string | null; reference?: string; externalRef?: string | null },
) {
  assertCan(actor, 'collections.manage');
  return db.transaction(async (tx) => {
    const c = await visibleContract(tx, actor, contractId);
    if (input.planItemId) {
      const item = await repo.findPlanItem(tx, actor.workspaceId, input.planItemId);
      if (!item || item.contractId !== contractId)
        throw invalid('commerce.not_on_contract', {}, [{ field: 'planItemId', message: 'commerce.not_on_contract' }]);
    }
    const row = await repo.insertPayment(tx, { ...input, workspaceId: actor.workspaceId, accountId: c.accountId, contractId });
    await recordAudit(tx, actor, { action: 'payment.create', entityType: 'payment', entityId: row.id, after: row });
    await refreshFigures(tx, actor.workspaceId, c.accountId);
    return strip(row);
  });
}

export async function deletePayment(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'collections.manage');
  return db.transaction(async (tx) => {
    const p = await repo.findPayment(tx, actor.workspaceId, id);
    if (!p) throw notFound('payment.noun');
    await as404('payment.noun', visibleContract(tx, actor, p.contractId));
    await repo.deletePayment(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'payment.delete', entityType: 'payment', entityId: id, before: p });
    await refreshFigures(tx, actor.workspaceId, p.accountId);
    return { ok: true as const };
  });
}

// ---- delivery projects

async function projectViews(db: Db, workspaceId: string, projects: repo.ProjectRow[], today: string) {
  const ids = projects.map((p) => p.id);
  const [ms, hours, managers] = await Promise.all([
    repo.milestonesOfProjects(db, workspaceId, ids),
    repo.hoursOfProjects(db, workspaceId, ids),
    usersByIds(
      db,
      workspaceId,
      projects.map((p) => p.managerId).filter((x): x is string => !!x),
    ),
  ]);
  const nameOf = new Map(managers.map((u) => [u.id, u.name]));
  return projects.map((p) => ({
    ...strip(p),
    managerName: p.managerId ? (nameOf.get(p.managerId) ?? null) : null,
    hours: hours.get(p.id) ?? 0,
    milestones: ms.filter((m) => m.projectId === p.id).map((m) => ({ ...strip(m), state: milestoneState(m, today) })),
  }));
}

/** A project visible to the actor (through its account), or 404 whether it exists elsewhere or not. */
async function visibleProject(db: Db, actor: StaffActor, id: string) {
  const p = await repo.findProject(db, actor.workspaceId, id);
  if (!p) throw notFound('project.noun');
  await as404('project.noun', loadVisibleAccount(db, actor, p.accountId));
  return p;
}

async function assertStaffUser(db: Db, workspaceId: string, field: string, userId: string | null | undefined) {
  if (!userId) return;
  const [u] = await usersByIds(db, workspaceId, [userId]);
  if (!u) throw invalid('commerce.not_engineer', {}, [{ field, message: 'commerce.not_engineer' }]);
}

export async function listProjects(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'projects.read');
  await loadVisibleAccount(db, actor, accountId);
  const today = await workspaceToday(db, actor.workspaceId);
  return { today, items: await projectViews(db, actor.workspaceId, await repo.projectsOfAccount(db, actor.workspaceId, accountId), today) };
}

/** The projects the actor may book time on: those still in delivery (or accepted in the last 30 days) of the accounts they see. */
export async function openProjectsFor(db: Db, actor: Actor) {
  assertCan(actor, 'projects.read');
  const today = await workspaceToday(db, actor.workspaceId);
  const rows = await repo.openProjects(db, actor.workspaceId, minusDays(today, 30));
  const accountIds = [...new Set(rows.map((p) => p.accountId))];
  let visible = new Set(accountIds);
  if (!seesEveryAccount(actor)) {
    const seen = await Promise.all(
      accountIds.map(async (id) => {
        const a = await findAccount(db, actor.workspaceId, id);
        return a && canSeeAccount(actor, a) ? id : null;
      }),
    );
    visible = new Set(seen.filter((x): x is string => !!x));
  }
  const names = await accountNames(db, actor.workspaceId, [...visible]);
  return {
    items: rows
      .filter((p) => visible.has(p.accountId))
      .map((p) => ({
        id: p.id,
        name: p.name,
        accountId: p.accountId,
        accountName: names.get(p.accountId) ?? '',
        contractId: p.contractId,
        acceptedOn: p.acceptedOn,
      })),
  };
}

export async function getProject(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'projects.read');
  const p = await visibleProject(db, actor, id);
  const today = await workspaceToday(db, actor.workspaceId);
  const [view] = await projectViews(db, actor.workspaceId, [p], today);
  return { ...view, today };
}

export async function createProject(db: Db, actor: Actor, contractId: string, input: { name: string; managerId?: string | null }) {
  assertCan(actor, 'projects.manage');
  return db.transaction(async (tx) => {
    const c = await visibleContract(tx, actor, contractId);
    await assertStaffUser(tx, actor.workspaceId, 'managerId', input.managerId);
    const row = await repo.insertProject(tx, { ...input, workspaceId: actor.workspaceId, accountId: c.accountId, contractId });
    await recordAudit(tx, actor, { action: 'project.create', entityType: 'project', entityId: row.id, after: row });
    return strip(row);
  });
}

export async function updateProject(
  db: Db,
  actor: Actor,
  id: string,
  patch: { name?: string; managerId?: string | null; acceptedOn?: string | null; firstPass?: boolean | null; defects?: number | null },
) {
  assertCan(actor, 'projects.manage');
  return db.transaction(async (tx) => {
    const before = await visibleProject(tx, actor, id);
    await assertStaffUser(tx, actor.workspaceId, 'managerId', patch.managerId);
    const next = { ...before, ...patch };
    if ((next.acceptedOn === null) !== (next.firstPass === null))
      throw invalid('error.validation', { detail: 'acceptedOn / firstPass' }, [
        {
          field: next.acceptedOn === null ? 'acceptedOn' : 'firstPass',
          message: 'acceptance needs both its day and whether it passed the first time',
        },
      ]);
    const after = await repo.updateProject(tx, actor.workspaceId, id, patch);
    await recordAudit(tx, actor, { action: 'project.update', entityType: 'project', entityId: id, before, after });
    return strip(after);
  });
}

export async function addMilestone(
  db: Db,
  actor: Actor,
  projectId: string,
  input: { title: string; plannedOn: string; actualOn?: string | null; position?: number },
) {
  assertCan(actor, 'projects.manage');
  return db.transaction(async (tx) => {
    await visibleProject(tx, actor, projectId);
    const row = await repo.insertMilestone(tx, { ...input, workspaceId: actor.workspaceId, projectId });
    await recordAudit(tx, actor, { action: 'milestone.create', entityType: 'project_milestone', entityId: row.id, after: row });
    return strip(row);
  });
}

async function visibleMilestone(db: Db, actor: StaffActor, id: string) {
  const m = await repo.findMilestone(db, actor.workspaceId, id);
  if (!m) throw notFound('project_milestone.noun');
  await as404('project_milestone.noun', visibleProject(db, actor, m.projectId));
  return m;
}

export async function updateMilestone(
  db: Db,
  actor: Actor,
  id: string,
  patch: { title?: string; plannedOn?: string; actualOn?: string | null; position?: number },
) {
  assertCan(actor, 'projects.manage');
  return db.transaction(async (tx) => {
    const before = await visibleMilestone(tx, actor, id);
    const after = await repo.updateMilestone(tx, actor.workspaceId, id, patch);
    await recordAudit(tx, actor, { action: 'milestone.update', entityType: 'project_milestone', entityId: id, before, after });
    return strip(after);
  });
}

export async function deleteMilestone(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'projects.manage');
  return db.transaction(async (tx) => {
    const before = await visibleMilestone(tx, actor, id);
    await repo.deleteMilestone(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'milestone.delete', entityType: 'project_milestone', entityId: id, before });
    return { ok: true as const };
  });
}

// ---- time entries

export async function bookTime(
  db: Db,
  actor: Actor,
  projectId: string,
  input: { userId?: string; workedOn: string; hours: number; note?: string; externalRef?: string | null },
) {
  assertCan(actor, 'time.book');
  const userId = input.userId ?? actor.userId;
  // booking for someone else is a lead's job
  if (userId !== actor.userId) assertCan(actor, 'time.manage');
  return db.transaction(async (tx) => {
    await visibleProject(tx, actor, projectId);
    await assertStaffUser(tx, actor.workspaceId, 'userId', userId);
    const row = await repo.insertTimeEntry(tx, { ...input, userId, workspaceId: actor.workspaceId, projectId });
    await recordAudit(tx, actor, { action: 'time_entry.create', entityType: 'time_entry', entityId: row.id, after: row });
    return strip(row);
  });
}

export async function listTimeEntries(db: Db, actor: Actor, q: { userId?: string; projectId?: string; from: string; to: string }) {
  assertCan(actor, 'time.book');
  // one's own hours; a lead may read anyone's
  const userId = q.userId ?? (can(actor.role, 'time.manage') ? undefined : actor.userId);
  if (userId !== actor.userId) assertCan(actor, 'time.manage');
  if (q.projectId) await visibleProject(db, actor, q.projectId);
  return { items: (await repo.timeEntriesOf(db, actor.workspaceId, { ...q, userId })).map(strip) };
}

/**
 * Corrects a booked entry — its day, hours or note (one's own; a lead anyone's). Optimistic concurrency like every
 * editable record: with the version read (If-Match or `version`), 412 naming who changed it since.
 */
export async function updateTimeEntry(
  db: Db,
  actor: Actor,
  id: string,
  patch: { workedOn?: string; hours?: number; note?: string },
  expectedVersion?: number,
) {
  assertCan(actor, 'time.book');
  const entity = { type: 'time_entry', id, noun: 'time_entry.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.findTimeEntry(tx, actor.workspaceId, id, { forUpdate: true });
    if (!before || (before.userId !== actor.userId && !can(actor.role, 'time.manage'))) throw notFound('time_entry.noun');
    await as404('time_entry.noun', visibleProject(tx, actor, before.projectId));
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([k, v]) => v !== undefined && v !== before[k as keyof typeof before]),
    ) as typeof patch;
    if (!Object.keys(changes).length) return strip(before);
    const after = await repo.updateTimeEntry(tx, actor.workspaceId, id, changes, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'time_entry.update', entityType: 'time_entry', entityId: id, before, after });
    return strip(after);
  });
}

export async function deleteTimeEntry(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'time.book');
  return db.transaction(async (tx) => {
    const e = await repo.findTimeEntry(tx, actor.workspaceId, id);
    if (!e || (e.userId !== actor.userId && !can(actor.role, 'time.manage'))) throw notFound('time_entry.noun');
    await as404('time_entry.noun', visibleProject(tx, actor, e.projectId));
    await repo.deleteTimeEntry(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'time_entry.delete', entityType: 'time_entry', entityId: id, before: e });
    return { ok: true as const };
  });
}

// ---- customisation cover, settings

/** Whether the account's contracts cover a customisation on a day (a ticket of kind "customisation" shows it). */
export async function customisationCover(db: Db, actor: Actor, accountId: string, day?: string) {
  assertCan(actor, 'tickets.read');
  await loadVisibleAccount(db, actor, accountId);
  const on = day ?? (await workspaceToday(db, actor.workspaceId));
  const cs = await repo.contractsOfAccount(db, actor.workspaceId, accountId);
  const r = customisationCoverage(cs, on);
  return {
    on,
    covered: r.covered,
    contracts: r.contracts.map((c) => ({
      id: c.id,
      number: c.number,
      title: c.title,
      endsOn: c.maintenanceEndsOn ?? c.endsOn,
      services: c.services.filter((s) => s.customisation).map((s) => s.name),
    })),
  };
}

export async function getSettings(db: Db, actor: Actor) {
  assertCan(actor, 'contracts.read');
  return repo.loadSettings(db, actor.workspaceId);
}

export async function putSettings(db: Db, actor: Actor, s: { renewalWindowDays: number; orderYears: number }, expectedVersion?: number) {
  assertCan(actor, 'commerce.settings');
  // the trail names the workspace as the settings' id, so a stale save can say who saved last
  const entity = { type: 'commerce_settings', id: actor.workspaceId, noun: 'commerce_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.loadSettings(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const version = await repo.saveSettings(tx, actor.workspaceId, s, expectedVersion);
    if (version === null) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'commerce.settings', entityType: 'commerce_settings', entityId: actor.workspaceId, before, after: s });
    // the order window moved: every account's factors follow
    if (before.orderYears !== s.orderYears) {
      const ids = await repo.accountsWithContracts(tx, actor.workspaceId);
      await applyCommercialFigures(tx, actor.workspaceId, await computeFigures(tx, actor.workspaceId, ids));
    }
    return { ...s, version };
  });
}

/**
 * 交付进展 for the customer portal: each delivery project's milestones with a customer-facing status — done,
 * in progress (the first one not yet reached), planned, or delayed (its day passed) — and no internal figure.
 * Read by the portal module for a key person's own account (it has checked the account already).
 */
export async function deliveryProgressOf(db: Db, workspaceId: string, accountId: string) {
  const today = await workspaceToday(db, workspaceId);
  const projects = await repo.projectsOfAccount(db, workspaceId, accountId);
  const ms = await repo.milestonesOfProjects(
    db,
    workspaceId,
    projects.map((p) => p.id),
  );
  return projects.flatMap((p) => {
    const mine = ms.filter((m) => m.projectId === p.id);
    const next = mine.find((m) => !m.actualOn);
    return mine.map((m) => {
      const state = milestoneState(m, today);
      const status = m.actualOn
        ? ('done' as const)
        : state === 'late'
          ? ('delayed' as const)
          : m === next
            ? ('in_progress' as const)
            : ('planned' as const);
      return { id: m.id, project: p.name, title: m.title, dueOn: m.plannedOn, doneOn: m.actualOn, status };
    });
  });
}

/** The SLA tier the account's contracts buy on `day` (null: none names one). Read by the service desk when a ticket opens. */
export async function contractSla(db: Db, workspaceId: string, accountId: string, day: string) {
  return slaBoughtOn(await repo.contractsOfAccount(db, workspaceId, accountId), day);
}
