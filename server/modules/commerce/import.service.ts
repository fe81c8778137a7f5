// Import from the ERP (issue 16 point 6): contracts, payment plans, payments and time entries from CSV/XLSX. The
// accounts import's machinery reads the file (headers in either language, typed cells, row errors in the reader's
// words); here names are resolved in the actor's workspace, every row is checked in memory, and only a file without
// a single bad row is written — in one transaction, in multi-row INSERTs — after which the touched accounts'
// grading factors are recomputed once.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { translate } from '../../platform/i18n.js';
import {
  accountNamesOfWorkspace,
  applyCommercialFigures,
  checkBody,
  duplicatesInFile,
  readUploadRows,
  rowsInvalid,
  scopeOf,
  templateFile,
  type Format,
  type ImportRecord,
  type RowProblem,
  type Upload,
} from '../accounts/index.js';
import { usersOf } from '../people/index.js';
import { validateTerms } from './commerce.domain.js';
import { computeFigures } from './commerce.service.js';
import { importColumnsOf, MAX_COMMERCE_IMPORT_ROWS, sheetNames, type ImportKind } from './import.domain.js';
import * as irepo from './import.repo.js';
import { scanRenewals } from './renewals.service.js';

export type ImportResult = {
  kind: ImportKind;
  /** data rows in the file */
  rows: number;
  /** rows written */
  imported: number;
  /** rows whose ERP id was imported before: left as they are */
  skipped: number;
  /** accounts whose grading factors were recomputed */
  accounts: number;
};
/** Hears the rows written so far, batch by batch (for a progress bar). */
export type OnProgress = (processed: number, total: number) => void;

export async function importTemplate(actor: Actor, kind: ImportKind, format: Format) {
  assertCan(actor, 'commerce.import');
  return templateFile(`erp-${kind}`, sheetNames[kind][actor.locale], importColumnsOf[kind], format, actor.locale);
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ref = z.string().min(1).max(100);
const ContractRow = z.object({
  externalRef: ref,
  accountName: z.string().min(1),
  number: z.string().min(1).max(50),
  title: z.string().min(1).max(200),
  products: z.array(z.string().max(100)).max(50).default([]),
  amountMinor: z.number().int().min(0),
  costMinor: z.number().int().min(0).optional(),
  signedOn: day,
  startsOn: day,
  endsOn: day,
  maintenanceEndsOn: day.optional(),
  slaTier: z.enum(['A', 'B', 'C', 'D', 'E']).optional(),
  services: z.array(z.string().max(100)).max(50).default([]),
  customServices: z.array(z.string().max(100)).max(50).default([]),
});
const PlanItemRow = z.object({
  externalRef: ref,
  contractNumber: z.string().min(1),
  label: z.string().min(1).max(200),
  dueOn: day,
  amountMinor: z.number().int().positive(),
  invoiceNo: z.string().max(100).optional(),
});
const PaymentRow = z.object({
  externalRef: ref,
  contractNumber: z.string().min(1),
  receivedOn: day,
  amountMinor: z.number().int().positive(),
  planItemRef: z.string().max(100).optional(),
  reference: z.string().max(200).default(''),
});
const TimeEntryRow = z.object({
  externalRef: ref,
  contractNumber: z.string().min(1),
  projectName: z.string().min(1),
  userEmail: z.string().min(1),
  workedOn: day,
  hours: z.number().gt(0).max(24).multipleOf(0.25),
  note: z.string().max(500).default(''),
});

/** What a checked file writes: the insert (given the progress callback) and the accounts whose factors move. */
type Plan = { write: (tx: Db, onBatch: (n: number) => void) => Promise<number>; accounts: string[]; skipped: number };
type Ctx = { db: Db; actor: StaffActor; records: ImportRecord[]; problems: RowProblem[] };

/**
 * Imports one ERP file, all rows or none. A row whose ERP id (`externalRef`) the workspace already holds is
 * skipped, not updated, so importing the same file twice writes it once.
 */
export async function importCommerce(
  db: Db,
  actor: Actor,
  kind: ImportKind,
  read: () => Promise<Upload>,
  onProgress?: OnProgress,
): Promise<ImportResult> {
  assertCan(actor, 'commerce.import');
  const upload = await read();
  const columns = importColumnsOf[kind];
  const { records, problems } = await readUploadRows(upload, columns, MAX_COMMERCE_IMPORT_ROWS);
  problems.push(...duplicatesInFile(records, (v) => (typeof v.externalRef === 'string' ? v.externalRef : undefined), 'externalRef'));
  const ctx: Ctx = { db, actor, records, problems };
  const plan = await planners[kind](ctx);
  if (problems.length) throw rowsInvalid(problems, columns, actor.locale);

  const total = records.length - plan.skipped;
  onProgress?.(0, total);
  const imported = await db.transaction(async (tx) => {
    const n = await plan.write(tx, (done) => onProgress?.(done, total));
    if (plan.accounts.length) await applyCommercialFigures(tx, actor.workspaceId, await computeFigures(tx, actor.workspaceId, plan.accounts));
    await recordAudit(tx, actor, {
      action: `${auditNoun[kind]}.import`,
      entityType: auditNoun[kind],
      after: { kind, file: upload.filename, rows: records.length, imported: n },
    });
    return n;
  });
  // contracts that came in inside the renewal window raise their renewal opportunity now, not at night
  if (kind === 'contracts' && imported) await scanRenewals(db, actor.workspaceId);
  return { kind, rows: records.length, imported, skipped: records.length - imported, accounts: plan.accounts.length };
}

/** The audit trail's noun of each file, as the single-record use cases name it (`contract.create` → `contract.import`). */
const auditNoun: Record<ImportKind, string> = { contracts: 'contract', 'plan-items': 'plan_item', payments: 'payment', 'time-entries': 'time_entry' };

const planners: Record<ImportKind, (ctx: Ctx) => Promise<Plan>> = {
  contracts: planContracts,
  'plan-items': planPlanItems,
  payments: planPayments,
  'time-entries': planTimeEntries,
};

const problem = (r: ImportRecord, field: string, key: string, params: Record<string, string | number>): RowProblem => ({
  row: r.row,
  field,
  key,
  params,
});

/** Contracts by number in the workspace, and a lookup that reports an unknown number on the row. */
async function contractLookup(ctx: Ctx) {
  const rows = await irepo.contractKeys(ctx.db, ctx.actor.workspaceId);
  const byNumber = new Map(rows.map((c) => [c.number, c]));
  return {
    rows,
    byNumber,
    find(r: ImportRecord, number: string) {
      const c = byNumber.get(number);
      if (!c) ctx.problems.push(problem(r, 'contractNumber', 'import.contract_unknown', { value: number }));
      return c;
    },
  };
}

async function planContracts(ctx: Ctx): Promise<Plan> {
  const { db, actor, records, problems } = ctx;
  const scope = scopeOf(actor)[0]?.channelPartnerId;
  const [accounts, existing] = await Promise.all([accountNamesOfWorkspace(db, actor.workspaceId), irepo.contractKeys(db, actor.workspaceId)]);
  const accountByName = new Map(accounts.filter((a) => !scope || a.channelPartnerId === scope).map((a) => [a.name, a.id]));
  const byNumber = new Map(existing.map((c) => [c.number, c]));
  const byRef = new Map(existing.filter((c) => c.externalRef).map((c) => [c.externalRef!, c]));
  const rows: Parameters<typeof irepo.insertContracts>[1] = [];
  let skipped = 0;
  for (const r of records) {
    const v = checkBody(ContractRow, r, r.values, problems, actor.locale);
    if (!v) continue;
    const accountId = accountByName.get(v.accountName);
    if (!accountId) problems.push(problem(r, 'accountName', 'import.account_unknown', { value: v.accountName }));
    const terms = validateTerms(v);
    if (!terms.ok) problems.push(problem(r, terms.field ?? 'endsOn', 'import.rule', { detail: translate(actor.locale, terms.key, terms.params) }));
    const known = byRef.get(v.externalRef);
    if (known) {
      if (known.number !== v.number)
        problems.push(problem(r, 'externalRef', 'import.ref_other_number', { value: v.externalRef, number: known.number }));
      else skipped++;
      continue;
    }
    if (byNumber.has(v.number)) problems.push(problem(r, 'number', 'import.dup_in_db', { value: v.number }));
    if (!accountId) continue;
    const { accountName: _a, customServices, services, ...values } = v;
    rows.push({
      ...values,
      workspaceId: actor.workspaceId,
      accountId,
      services: [...services.map((name) => ({ name, customisation: false })), ...customServices.map((name) => ({ name, customisation: true }))],
    });
  }
  problems.push(...duplicatesInFile(records, (v) => (typeof v.number === 'string' ? v.number : undefined), 'number'));
  return { write: (tx, onBatch) => irepo.insertContracts(tx, rows, onBatch), accounts: [...new Set(rows.map((r) => r.accountId))], skipped };
}

async function planPlanItems(ctx: Ctx): Promise<Plan> {
  const { actor, records, problems } = ctx;
  const contracts = await contractLookup(ctx);
  const rows = [];
  for (const r of records) {
    const v = checkBody(PlanItemRow, r, r.values, problems, actor.locale);
    if (!v) continue;
    const c = contracts.find(r, v.contractNumber);
    if (!c) continue;
    const { contractNumber: _n, ...values } = v;
    rows.push({ ...values, workspaceId: actor.workspaceId, accountId: c.accountId, contractId: c.id });
  }
  return plannedWithKnownRefs(
    rows,
    (part) => irepo.planItemRefs(ctx.db, actor.workspaceId, part),
    (tx, fresh, onBatch) => irepo.insertPlanItems(tx, fresh, onBatch),
  );
}

async function planPayments(ctx: Ctx): Promise<Plan> {
  const { db, actor, records, problems } = ctx;
  const contracts = await contractLookup(ctx);
  const checked: { r: ImportRecord; v: z.infer<typeof PaymentRow> }[] = [];
  for (const r of records) {
    const v = checkBody(PaymentRow, r, r.values, problems, actor.locale);
    if (v) checked.push({ r, v });
  }
  const itemRefs = [...new Set(checked.map((x) => x.v.planItemRef).filter((x): x is string => !!x))];
  const itemByRef = new Map((await irepo.planItemsByRef(db, actor.workspaceId, itemRefs)).map((i) => [i.externalRef!, i]));
  const rows = [];
  for (const { r, v } of checked) {
    const c = contracts.find(r, v.contractNumber);
    let planItemId: string | null = null;
    if (v.planItemRef) {
      const item = itemByRef.get(v.planItemRef);
      if (!item) problems.push(problem(r, 'planItemRef', 'import.plan_item_unknown', { value: v.planItemRef }));
      else if (c && item.contractId !== c.id)
        problems.push(problem(r, 'planItemRef', 'import.plan_item_other_contract', { value: v.planItemRef, contract: v.contractNumber }));
      else planItemId = item.id;
    }
    if (!c) continue;
    const { contractNumber: _n, planItemRef: _p, ...values } = v;
    rows.push({ ...values, planItemId, workspaceId: actor.workspaceId, accountId: c.accountId, contractId: c.id });
  }
  return plannedWithKnownRefs(
    rows,
    (part) => irepo.paymentRefs(db, actor.workspaceId, part),
    (tx, fresh, onBatch) => irepo.insertPayments(tx, fresh, onBatch),
  );
}

async function planTimeEntries(ctx: Ctx): Promise<Plan> {
  const { db, actor, records, problems } = ctx;
  const contracts = await contractLookup(ctx);
  const users = await usersOf(db, actor.workspaceId);
  const userByEmail = new Map(users.filter((u) => u.active).map((u) => [u.email.toLowerCase(), u.id]));
  const checked: { r: ImportRecord; v: z.infer<typeof TimeEntryRow> }[] = [];
  for (const r of records) {
    const v = checkBody(TimeEntryRow, r, r.values, problems, actor.locale);
    if (v) checked.push({ r, v });
  }
  const contractIds = [...new Set(checked.map((x) => contracts.byNumber.get(x.v.contractNumber)?.id).filter((x): x is string => !!x))];
  const projects = await irepo.projectKeys(db, actor.workspaceId, contractIds);
  const projectsByKey = new Map<string, string[]>();
  for (const p of projects)
    projectsByKey.set(`${p.contractId}\u0000${p.name}`, [...(projectsByKey.get(`${p.contractId}\u0000${p.name}`) ?? []), p.id]);
  const rows = [];
  for (const { r, v } of checked) {
    const c = contracts.find(r, v.contractNumber);
    const userId = userByEmail.get(v.userEmail.trim().toLowerCase());
    if (!userId) problems.push(problem(r, 'userEmail', 'import.user_unknown', { value: v.userEmail }));
    if (!c) continue;
    const ids = projectsByKey.get(`${c.id}\u0000${v.projectName}`) ?? [];
    if (ids.length !== 1)
      problems.push(
        problem(r, 'projectName', ids.length ? 'import.project_ambiguous' : 'import.project_unknown', {
          value: v.projectName,
          contract: v.contractNumber,
        }),
      );
    if (ids.length !== 1 || !userId) continue;
    rows.push({
      workspaceId: actor.workspaceId,
      projectId: ids[0],
      userId,
      workedOn: v.workedOn,
      hours: v.hours,
      note: v.note,
      externalRef: v.externalRef,
    });
  }
  // hours move utilisation, not grading: no account's factors change
  const plan = await plannedWithKnownRefs(
    rows.map((r) => ({ ...r, accountId: '' })),
    (part) => irepo.timeEntryRefs(db, actor.workspaceId, part),
    (tx, fresh, onBatch) =>
      irepo.insertTimeEntries(
        tx,
        fresh.map(({ accountId: _a, ...r }) => r),
        onBatch,
      ),
  );
  return { ...plan, accounts: [] };
}

/** Leaves out the rows whose ERP id the workspace holds (skipped); the rest are written and their accounts recomputed. */
async function plannedWithKnownRefs<R extends { externalRef: string; accountId: string }>(
  rows: R[],
  knownRefs: (refs: string[]) => Promise<Set<string>>,
  insert: (tx: Db, fresh: R[], onBatch: (n: number) => void) => Promise<number>,
): Promise<Plan> {
  const known = await knownRefs(rows.map((r) => r.externalRef));
  const fresh = known.size ? rows.filter((r) => !known.has(r.externalRef)) : rows;
  return {
    write: (tx, onBatch) => insert(tx, fresh, onBatch),
    accounts: [...new Set(fresh.map((r) => r.accountId))],
    skipped: rows.length - fresh.length,
  };
}
