// Use cases: export accounts and contacts as CSV or XLSX, import them all-or-nothing.
import { parse as parseCsv } from 'csv-parse/sync';
// exceljs loads on first use (import and export only): it costs ~0.5 s of every server start otherwise
import type ExcelJS from 'exceljs';
const loadExcel = async () => (await import('exceljs')).default;
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { type AppError, invalid, type FieldError } from '../../platform/errors.js';
import { translate, type Locale } from '../../platform/i18n.js';
import { contentTypes, type Download, type Format, spreadsheetDownload, writeCsv } from '../../platform/spreadsheet.js';
import { fileStamp } from '../../platform/time.js';
import { workspaceTimeZone } from '../people/index.js';
import * as repo from './accounts.repo.js';
import { AccountBody, ContactBody } from './accounts.schemas.js';
import {
  insertAccountRows,
  listFilters,
  recomputeGrading,
  scopeOf,
  type AccountInput,
  type AccountListPorts,
  type ContactInput,
} from './accounts.service.js';
import type { AccountFilter } from './segments.domain.js';
import * as trepo from './transfer.repo.js';
import {
  accountColumns,
  allowedValues,
  contactColumns,
  decodeText,
  duplicatesInFile,
  headerOf,
  importColumns,
  MAX_IMPORT_ROWS,
  MAX_XLSX_UNZIPPED,
  mapHeader,
  readRows,
  sortProblems,
  templateHelp,
  toOutCell,
  zipDeclaredSize,
  type Column,
  type ImportRecord,
  type RowProblem,
  type SheetRow,
} from './transfer.domain.js';

export type { Download, Format };
export type Upload = { filename: string; mimetype: string; data: Buffer };
export type ExportQuery = AccountFilter & { segmentId?: string; risk?: 'at_risk'; format: Format };

const EXPORT_MAX = 100_000;
const zodLocales = { 'zh-CN': z.locales.zhCN(), en: z.locales.en() };

// ---- export

/** Ids of the accounts the actor sees that pass the list's filters (and segment), by name. */
async function exportedAccountIds(db: Db, actor: StaffActor, q: ExportQuery, ports: AccountListPorts) {
  const { format: _format, ...rest } = q;
  const filters = await listFilters(db, actor, rest, ports);
  const { items } = await repo.listAccounts(db, actor.workspaceId, filters, { sort: 'name', order: 'asc', limit: EXPORT_MAX, offset: 0 });
  return items.map((i) => i.id);
}

export async function exportAccounts(db: Db, actor: Actor, q: ExportQuery, ports: AccountListPorts = {}, now = new Date()): Promise<Download> {
  assertCan(actor, 'accounts.export');
  const rows = await trepo.accountsForExport(db, actor.workspaceId, await exportedAccountIds(db, actor, q, ports));
  const sheet = actor.locale === 'en' ? 'Accounts' : '客户';
  return download('accounts', sheet, q.format, accountColumns, rows, actor.locale, fileStamp(now, await workspaceTimeZone(db, actor.workspaceId)));
}

export async function exportContacts(db: Db, actor: Actor, q: ExportQuery, ports: AccountListPorts = {}, now = new Date()): Promise<Download> {
  assertCan(actor, 'accounts.export');
  const rows = await trepo.contactsForExport(db, actor.workspaceId, await exportedAccountIds(db, actor, q, ports));
  const sheet = actor.locale === 'en' ? 'Contacts' : '联系人';
  return download('contacts', sheet, q.format, contactColumns, rows, actor.locale, fileStamp(now, await workspaceTimeZone(db, actor.workspaceId)));
}

function download(
  base: string,
  sheet: string,
  format: Format,
  columns: Column[],
  rows: Record<string, unknown>[],
  locale: Locale,
  /** the workspace's day (`YYYYMMDD`) */
  day: string,
): Promise<Download> {
  const header = headerOf(columns, locale);
  const cells = rows.map((r) => columns.map((c) => toOutCell(c, r[c.key], locale)));
  return spreadsheetDownload({ base, sheet, format, header, rows: cells, money: columns.map((c) => c.kind === 'money'), day });
}

// ---- templates

/**
 * An empty file to fill for an import: the header row in the user's language (read-only columns left
 * out). The XLSX has a second sheet saying what each column takes and which other names it accepts.
 */
export async function importTemplate(actor: Actor, kind: 'accounts' | 'contacts', format: Format): Promise<Download> {
  assertCan(actor, 'accounts.import');
  const en = actor.locale === 'en';
  const sheet = kind === 'accounts' ? (en ? 'Accounts' : '客户') : en ? 'Contacts' : '联系人';
  return templateFile(kind, sheet, kind === 'accounts' ? accountColumns : contactColumns, format, actor.locale);
}

/**
 * The template of any import: the header row in the reader's language (read-only columns left out); the XLSX
 * has a second sheet saying what each column takes and which other names it accepts.
 */
export async function templateFile(base: string, sheet: string, all: Column[], format: Format, locale: Locale): Promise<Download> {
  const columns = importColumns(all);
  const header = headerOf(columns, locale);
  const en = locale === 'en';
  const filename = `${base}-import-template${en ? '' : '-zh'}.${format}`;
  if (format === 'csv') return { filename, contentType: contentTypes.csv, body: writeCsv(header, []) };
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'Keyward';
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    header: header[i],
    key: c.key,
    width: Math.min(40, Math.max(12, header[i].length * 2 + 2)),
    ...(c.kind === 'money' ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  const help = templateHelp(all, locale);
  const hs = wb.addWorksheet(en ? 'How to fill' : '填写说明');
  hs.columns = help.header.map((h, i) => ({ header: h, width: [24, 8, 36, 48, 48][i] }));
  hs.getRow(1).font = { bold: true };
  for (const r of help.rows) hs.addRow(r);
  return { filename, contentType: contentTypes.xlsx, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// ---- reading an uploaded file

function formatOf(u: Upload): Format {
  const name = u.filename.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (/^(text\/csv|application\/csv|text\/comma-separated-values)\b/i.test(u.mimetype)) return 'csv';
  if (u.mimetype === contentTypes.xlsx) return 'xlsx';
  throw invalid('import.bad_file', { detail: 'import.detail.format' }, [{ field: 'file', message: 'format' }]);
}

const badFile = (detail: string) => invalid('import.bad_file', { detail }, [{ field: 'file', message: detail }]);

function readCsv(data: Buffer): SheetRow[] {
  const text = decodeText(data);
  if (text === null) throw badFile('import.detail.encoding');
  // Excel saves with the list separator of the user's region: take the one the header line uses most
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: first.split(d).length })).sort((a, b) => b.n - a.n)[0].d;
  try {
    const records = parseCsv(text, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: false }) as string[][];
    return records.map((cells, i) => ({ row: i + 1, cells }));
  } catch {
    throw badFile('import.detail.csv');
  }
}

/** A cell's value as the text a user sees (formulas by their result, links by their text). */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().endsWith('T00:00:00.000Z') ? v.toISOString().slice(0, 10) : v.toISOString();
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
  if ('hyperlink' in v) return cellText(v.text as ExcelJS.CellValue);
  if ('error' in v) return String(v.error);
  return '';
}

async function readXlsx(data: Buffer): Promise<SheetRow[]> {
  const unzipped = zipDeclaredSize(data);
  if (unzipped === null) throw badFile('import.detail.xlsx');
  if (unzipped > MAX_XLSX_UNZIPPED) throw badFile('import.detail.xlsx_too_big');
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer); // exceljs types its Buffer oddly; a Node Buffer is what it reads
  } catch {
    throw badFile('import.detail.xlsx');
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return rows;
}

/** Reads the file into records by its header: refuses unreadable, empty and oversized files whole. */
export async function readUpload(u: Upload, columns: Column[], maxRows = MAX_IMPORT_ROWS) {
  const format = formatOf(u);
  const rows = (format === 'csv' ? readCsv(u.data) : await readXlsx(u.data)).filter((r) => r.cells.some((c) => c.trim()));
  const [header, ...data] = rows;
  if (!header || data.length === 0) throw invalid('import.empty', {}, [{ field: 'file', message: 'empty' }]);
  if (data.length > maxRows) throw invalid('import.too_many_rows', { max: maxRows }, [{ field: 'file', message: 'too many rows' }]);
  const mapping = mapHeader(header.cells, columns);
  if (!mapping.ok) throw invalid(mapping.key, mapping.params, [{ field: 'file', message: mapping.key }]);
  return { format, ...readRows(mapping.value, data) };
}

/** Checks a record's body with the same zod schema as the HTTP API; fields already refused are not repeated. */
export function checkBody<T>(
  schema: z.ZodType<T>,
  r: ImportRecord,
  body: Record<string, unknown>,
  problems: RowProblem[],
  locale: Locale,
): T | undefined {
  const parsed = schema.safeParse(body, { error: zodLocales[locale].localeError } as never);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (problems.some((p) => p.row === r.row && p.field === field)) continue;
    problems.push({ row: r.row, field, key: 'import.cell.invalid', params: { detail: issue.message } });
  }
  return undefined;
}

/** Every problem of the file, each with its row (header = 1), its field and a message in the user's words. */
export function rowsInvalid(problems: RowProblem[], columns: Column[], locale: Locale): AppError {
  const byKey = new Map(columns.map((c) => [c.key, c]));
  const fields: FieldError[] = sortProblems(problems, columns).map((p) => {
    const c = byKey.get(p.field);
    const params = { column: c ? c.label[locale] : p.field, allowed: c ? allowedValues(c, locale) : '', ...p.params };
    return { row: p.row, field: p.field, message: translate(locale, p.key, params) };
  });
  return invalid('import.rows_invalid', { count: new Set(problems.map((p) => p.row)).size }, fields);
}

// ---- import

export async function importAccounts(db: Db, actor: Actor, read: () => Promise<Upload>, now = new Date()) {
  assertCan(actor, 'accounts.import');
  const upload = await read();
  const { records, problems } = await readUpload(upload, accountColumns);
  const [users, partners, existing] = await Promise.all([
    trepo.workspaceUsers(db, actor.workspaceId),
    trepo.workspacePartners(db, actor.workspaceId),
    trepo.accountNames(db, actor.workspaceId),
  ]);
  const active = users.filter((u) => u.active);
  const userByEmail = new Map(active.map((u) => [u.email.toLowerCase(), u.id]));
  // the list shows the owner's name ("负责人" / "Owner"): a name held by exactly one active user names them
  const named = new Map<string, string[]>();
  for (const u of active) if (u.name) named.set(u.name.trim(), [...(named.get(u.name.trim()) ?? []), u.id]);
  const partnerByName = new Map(partners.map((p) => [p.name, p.id]));
  const taken = new Set(existing.map((a) => a.name));

  const inputs: AccountInput[] = [];
  for (const r of records) {
    const { ownerEmail, channelPartnerName, ...body } = r.values as Record<string, unknown> & { ownerEmail?: string; channelPartnerName?: string };
    const input = checkBody(AccountBody, r, body, problems, actor.locale);
    let ownerId: string | null = null;
    let channelPartnerId: string | null = null;
    if (ownerEmail) {
      const byName = named.get(ownerEmail.trim());
      ownerId = userByEmail.get(ownerEmail.toLowerCase()) ?? (byName?.length === 1 ? byName[0] : null);
      if (!ownerId) problems.push({ row: r.row, field: 'ownerEmail', key: 'import.owner_unknown', params: { value: ownerEmail } });
    }
    if (channelPartnerName) {
      channelPartnerId = partnerByName.get(channelPartnerName) ?? null;
      if (!channelPartnerId)
        problems.push({ row: r.row, field: 'channelPartnerName', key: 'import.partner_unknown', params: { value: channelPartnerName } });
    }
    if (input && taken.has(input.name)) problems.push({ row: r.row, field: 'name', key: 'import.dup_in_db', params: { value: input.name } });
    if (input) inputs.push({ ...input, ownerId, channelPartnerId });
  }
  problems.push(...duplicatesInFile(records, (v) => (typeof v.name === 'string' ? v.name : undefined), 'name'));
  if (problems.length) throw rowsInvalid(problems, accountColumns, actor.locale);

  await db.transaction(async (tx) => {
    await insertAccountRows(tx, actor, inputs, now);
    await recomputeGrading(tx, actor, now);
    await recordAudit(tx, actor, { action: 'account.import', entityType: 'account', after: { imported: inputs.length, file: upload.filename } });
  });
  return { imported: inputs.length };
}

export async function importContacts(db: Db, actor: Actor, read: () => Promise<Upload>) {
  assertCan(actor, 'accounts.import');
  const upload = await read();
  const { records, problems } = await readUpload(upload, contactColumns);
  const scope = scopeOf(actor)[0]?.channelPartnerId;
  const [accountRows, existing] = await Promise.all([trepo.accountNames(db, actor.workspaceId), trepo.contactKeys(db, actor.workspaceId)]);
  const accountByName = new Map(accountRows.filter((a) => !scope || a.channelPartnerId === scope).map((a) => [a.name, a.id]));
  const key = (accountId: string, name: string) => `${accountId}\u0000${name}`;
  const taken = new Set(existing.map((c) => key(c.accountId, c.name)));

  const rows: (ContactInput & { workspaceId: string; accountId: string })[] = [];
  for (const r of records) {
    const { accountName, ...body } = r.values as Record<string, unknown> & { accountName?: string };
    const input = checkBody(ContactBody, r, body, problems, actor.locale);
    const accountId = accountName ? accountByName.get(accountName) : undefined;
    if (accountName && !accountId) problems.push({ row: r.row, field: 'accountName', key: 'import.account_unknown', params: { value: accountName } });
    if (input && accountId && taken.has(key(accountId, input.name)))
      problems.push({ row: r.row, field: 'name', key: 'import.dup_in_db', params: { value: input.name } });
    if (input && accountId) rows.push({ ...input, workspaceId: actor.workspaceId, accountId });
  }
  problems.push(
    ...duplicatesInFile(
      records,
      (v) => (typeof v.accountName === 'string' && typeof v.name === 'string' ? key(v.accountName, v.name) : undefined),
      'name',
    ),
  );
  if (problems.length) throw rowsInvalid(problems, contactColumns, actor.locale);

  await db.transaction(async (tx) => {
    await trepo.insertContacts(tx, rows);
    await recordAudit(tx, actor, { action: 'contact.import', entityType: 'contact', after: { imported: rows.length, file: upload.filename } });
  });
  return { imported: rows.length };
}
