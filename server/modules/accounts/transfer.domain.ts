/**
 * Import and export of accounts and contacts as spreadsheets (CSV, XLSX). Pure: the columns and
 * their headers in both languages, money as exact yuan text ↔ integer fen, formula neutralisation,
 * reading cells into typed values with row-level errors, duplicates within a file.
 * No files, no db: the service reads and writes the bytes and resolves names against the database.
 */
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { restoreText, type OutCell } from '../../platform/cells.js';

// the cells of a written file are shared with every export (platform/cells.ts); re-exported for the import's tests
export { csvCell, formatYuan, neutraliseText, restoreText, xlsxCell, type OutCell } from '../../platform/cells.js';
import { ladderLabels, ladderLevels, stageLabels, stages, toCStages } from './lifecycle.domain.js';
import { orgGroups, theirSides } from './relationships.domain.js';

export const MAX_IMPORT_ROWS = 5000;
/** An XLSX is a zip: refuse one that claims to unpack to more than this (a zip bomb). */
export const MAX_XLSX_UNZIPPED = 100 * 1024 * 1024;

type Labels = Record<Locale, string>;

// ---- money: integer fen ↔ yuan text, never through a float

/**
 * "1234.5" → 123450 fen, exactly. Accepts an optional ¥/￥ sign and thousands separators
 * ("1,234.50"); refuses negatives, three or more decimals, exponents and anything else.
 */
export function parseYuan(text: string): RuleResult<number> {
  let s = text.trim().replace(/^[¥￥]\s*/, '');
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return fail('import.cell.money');
  const decimals = m[2] ?? '';
  if (decimals.length > 2) return fail('import.cell.money_decimals');
  const fen = BigInt(m[1]) * 100n + BigInt(decimals.padEnd(2, '0'));
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return fail('import.cell.money');
  return ok(Number(fen));
}

// ---- columns

type Kind = 'text' | 'money' | 'int' | 'decimal' | 'date' | 'list' | 'enum' | 'enumList' | 'bool';
export type Column = {
  /** the field of the body it fills (AccountBody/ContactBody), or a reference resolved by the service */
  key: string;
  label: Labels;
  kind: Kind;
  required?: boolean;
  /** exported for reading, ignored on import (e.g. the tier, which the model decides) */
  readOnly?: boolean;
  values?: readonly string[];
  valueLabels?: Record<string, Labels>;
  /** other headers read as this column: the names the account list and the account page show (zh and en) */
  aliases?: readonly string[];
  /** how to fill it, when more than its kind says (the template's instructions) */
  help?: Labels;
};

export const toCStageLabels: Record<(typeof toCStages)[number], Labels> = {
  contact: { 'zh-CN': '接触', en: 'contact' },
  interest: { 'zh-CN': '兴趣', en: 'interest' },
  purchase: { 'zh-CN': '购买', en: 'purchase' },
  repurchase: { 'zh-CN': '复购', en: 'repurchase' },
  loyalty: { 'zh-CN': '忠诚', en: 'loyalty' },
};
const sideLabels: Record<(typeof theirSides)[number], Labels> = {
  business_head: { 'zh-CN': '业务负责人', en: 'business head' },
  operations_it: { 'zh-CN': '运维/IT', en: 'operations/IT' },
  executive: { 'zh-CN': '高管', en: 'executive' },
  other: { 'zh-CN': '其他', en: 'other' },
};
const orgGroupLabels: Record<(typeof orgGroups)[number], Labels> = {
  promotion_committee: { 'zh-CN': '业务推进委员会', en: 'promotion committee' },
  rollout: { 'zh-CN': '业务落地组', en: 'rollout' },
  kpi_monitoring: { 'zh-CN': '业务运营指标监控组', en: 'KPI monitoring' },
  improvement_ops: { 'zh-CN': '业务提升运营组', en: 'improvement ops' },
};

export const accountColumns: Column[] = [
  { key: 'name', label: { 'zh-CN': '客户名称', en: 'Account name' }, kind: 'text', required: true, aliases: ['客户', '名称', 'Account', 'Name'] },
  { key: 'industry', label: { 'zh-CN': '行业', en: 'Industry' }, kind: 'text', required: true },
  { key: 'region', label: { 'zh-CN': '区域', en: 'Region' }, kind: 'text', required: true },
  { key: 'tier', label: { 'zh-CN': '分级', en: 'Tier' }, kind: 'text', readOnly: true },
  { key: 'stage', label: { 'zh-CN': '阶段', en: 'Stage' }, kind: 'enum', values: stages, valueLabels: stageLabels },
  {
    key: 'ladder',
    label: { 'zh-CN': '关系阶梯', en: 'Relationship ladder' },
    kind: 'enum',
    values: ladderLevels,
    valueLabels: ladderLabels,
    aliases: ['Ladder'],
  },
  {
    key: 'toCStage',
    label: { 'zh-CN': 'C端阶段', en: 'To-C stage' },
    kind: 'enum',
    values: toCStages,
    valueLabels: toCStageLabels,
    aliases: ['个人客户阶段', 'Consumer stage'],
  },
  { key: 'channelPartnerName', label: { 'zh-CN': '渠道商', en: 'Channel partner' }, kind: 'text', aliases: ['所属渠道商', '渠道'] },
  { key: 'ownerEmail', label: { 'zh-CN': '负责人邮箱', en: 'Owner email' }, kind: 'text', aliases: ['负责人', 'Owner'] },
  {
    key: 'revenueTargetMinor',
    label: { 'zh-CN': '财年业绩指标(元)', en: 'Revenue target (CNY)' },
    kind: 'money',
    aliases: ['年度业绩指标', '年度业绩指标(元)', 'Revenue target'],
  },
  { key: 'fiscalYear', label: { 'zh-CN': '财年', en: 'Fiscal year' }, kind: 'int' },
  {
    key: 'orderAmountMinor',
    label: { 'zh-CN': '下单金额(元)', en: 'Order amount (CNY)' },
    kind: 'money',
    aliases: ['近 1–2 年下单金额（元）', '近1-2年下单金额(元)', 'Order amount, last 1–2 years (CNY)', 'Order amount, last 1-2 years (CNY)'],
  },
  {
    key: 'onTimePaymentPct',
    label: { 'zh-CN': '按时付款率(%)', en: 'On-time payment (%)' },
    kind: 'int',
    aliases: ['近 12 个月按时付款率（%）', 'On-time payment, last 12 months (%)'],
  },
  { key: 'prospect', label: { 'zh-CN': '发展前景(1-5)', en: 'Prospect (1-5)' }, kind: 'int', aliases: ['发展前景（1–5）', 'Prospect (1–5)'] },
  { key: 'profitMarginPct', label: { 'zh-CN': '利润率(%)', en: 'Profit margin (%)' }, kind: 'int' },
  { key: 'products', label: { 'zh-CN': '产品', en: 'Products' }, kind: 'list', aliases: ['已购产品', 'Products bought'] },
  { key: 'tags', label: { 'zh-CN': '标签', en: 'Tags' }, kind: 'list' },
];

export const contactColumns: Column[] = [
  { key: 'accountName', label: { 'zh-CN': '客户名称', en: 'Account name' }, kind: 'text', required: true, aliases: ['客户', 'Account'] },
  { key: 'name', label: { 'zh-CN': '联系人姓名', en: 'Contact name' }, kind: 'text', required: true, aliases: ['姓名', '联系人', 'Name', 'Contact'] },
  { key: 'title', label: { 'zh-CN': '职务', en: 'Title' }, kind: 'text' },
  { key: 'department', label: { 'zh-CN': '部门', en: 'Department' }, kind: 'text' },
  { key: 'email', label: { 'zh-CN': '邮箱', en: 'Email' }, kind: 'text' },
  { key: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, kind: 'text' },
  { key: 'side', label: { 'zh-CN': '所属方', en: 'Side' }, kind: 'enum', values: theirSides, valueLabels: sideLabels, aliases: ['角色类型'] },
  {
    key: 'orgGroups',
    label: { 'zh-CN': '项目组织', en: 'Org groups' },
    kind: 'enumList',
    values: orgGroups,
    valueLabels: orgGroupLabels,
    aliases: ['客户方项目组织', 'Customer-side organisation', 'Customer-side organization'],
  },
  { key: 'isKeyPerson', label: { 'zh-CN': '关键人', en: 'Key person' }, kind: 'bool', aliases: ['客户关键人'] },
  { key: 'notes', label: { 'zh-CN': '备注', en: 'Notes' }, kind: 'text' },
];

export const headerOf = (columns: Column[], locale: Locale) => columns.map((c) => c.label[locale]);

/** How an enum value, a list or a yes/no is written out in the user's language. */
export function labelOf(column: Column, value: string, locale: Locale): string {
  return column.valueLabels?.[value]?.[locale] ?? value;
}
export const LIST_SEPARATOR = '; ';
export const boolText = (v: boolean, locale: Locale) => (locale === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否');

/** A stored value → the cell written for its column, in the user's language. */
export function toOutCell(column: Column, value: unknown, locale: Locale): OutCell {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'money':
      return { fen: Number(value) };
    case 'int':
    case 'decimal':
      return Number(value);
    case 'date':
      return String(value);
    case 'enum':
      return labelOf(column, String(value), locale);
    case 'list':
      return (value as string[]).join(LIST_SEPARATOR);
    case 'enumList':
      return (value as string[]).map((v) => labelOf(column, v, locale)).join(LIST_SEPARATOR);
    case 'bool':
      return boolText(Boolean(value), locale);
    case 'text':
      return String(value);
  }
}

/** The columns a user fills in an import (read-only ones such as the tier are left out). */
export const importColumns = (columns: Column[]) => columns.filter((c) => !c.readOnly);

const kindHelp: Record<Kind, Labels> = {
  text: { 'zh-CN': '文本', en: 'text' },
  money: { 'zh-CN': '金额（元，最多两位小数，如 1234.50）', en: 'amount in CNY, at most two decimals (e.g. 1234.50)' },
  int: { 'zh-CN': '整数', en: 'whole number' },
  decimal: { 'zh-CN': '数字，最多两位小数（如 7.5）', en: 'a number, at most two decimals (e.g. 7.5)' },
  date: { 'zh-CN': '日期，如 2025-03-31', en: 'a date, e.g. 2025-03-31' },
  list: { 'zh-CN': '多个值用分号分隔', en: 'several values separated by semicolons' },
  enum: { 'zh-CN': '可选值之一', en: 'one of the values' },
  enumList: { 'zh-CN': '可选值，多个用分号分隔', en: 'values, several separated by semicolons' },
  bool: { 'zh-CN': '是 / 否', en: 'yes / no' },
};

/** The instruction rows of a template: column, required, what to write, the values it takes, other accepted names. */
export function templateHelp(columns: Column[], locale: Locale): { header: string[]; rows: string[][] } {
  const zh = locale === 'zh-CN';
  const header = zh ? ['列名', '必填', '填写说明', '可选值', '也可使用的列名'] : ['Column', 'Required', 'How to fill', 'Values', 'Also accepted as'];
  const rows = importColumns(columns).map((c) => [
    c.label[locale],
    c.required ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
    c.help
      ? c.help[locale]
      : c.key === 'ownerEmail'
        ? zh
          ? '负责人的邮箱（或不重名时的姓名）'
          : "the owner's email (or name, when no one else has it)"
        : kindHelp[c.kind][locale],
    c.values ? allowedValues(c, locale) : '',
    [c.label[zh ? 'en' : 'zh-CN'], ...(c.aliases ?? [])].join(zh ? '、' : ', '),
  ]);
  return { header, rows };
}

// ---- reading a file's cells

/** Headers match in either language, with or without the unit, ignoring case, width and spaces. */
export function normaliseHeader(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[‐‑‒–—―－]/g, '-')
    .replace(/\s+/g, '');
}
const withoutUnit = (s: string) => s.replace(/\(.*?\)/g, '');

function headerAliases(c: Column): string[] {
  const names = [c.key, c.label['zh-CN'], c.label.en, ...(c.aliases ?? [])].map(normaliseHeader);
  return [...new Set([...names, ...names.map(withoutUnit)])].filter(Boolean);
}

/**
 * Maps each position of the header row to its column (null for blank headers and read-only
 * columns). Unknown, repeated or missing required columns refuse the whole file.
 */
export function mapHeader(header: string[], columns: Column[]): RuleResult<(Column | null)[]> {
  const byAlias = new Map<string, Column>();
  for (const c of columns) for (const a of headerAliases(c)) byAlias.set(a, c);
  const unknown: string[] = [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  const mapped = header.map((h) => {
    const n = normaliseHeader(h);
    if (!n) return null;
    const c = byAlias.get(n) ?? byAlias.get(withoutUnit(n));
    if (!c) {
      unknown.push(h.trim());
      return null;
    }
    if (seen.has(c.key)) repeated.push(h.trim());
    seen.add(c.key);
    return c.readOnly ? null : c;
  });
  if (unknown.length) return fail('import.unknown_columns', { columns: unknown.join(', ') });
  if (repeated.length) return fail('import.duplicate_columns', { columns: repeated.join(', ') });
  const missing = columns.filter((c) => c.required && !seen.has(c.key));
  if (missing.length) return fail('import.missing_columns', { columns: missing.map((c) => `${c.label['zh-CN']} / ${c.label.en}`).join(', ') });
  return ok(mapped);
}

const enumKey = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

function matchEnum(column: Column, text: string): string | undefined {
  const k = enumKey(text);
  return column.values!.find(
    (v) => enumKey(v) === k || (column.valueLabels?.[v] && [column.valueLabels[v]['zh-CN'], column.valueLabels[v].en].some((l) => enumKey(l) === k)),
  );
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '×', '']);

/** A list cell: items separated by semicolons (either width), 、 or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[;；、\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export type CellProblem = { key: string; params?: Record<string, string | number> };

/** One cell's text → its typed value (undefined when empty), or the problem with it. */
export function readCell(column: Column, raw: string): { value?: unknown; problem?: CellProblem } {
  const text = restoreText(raw.trim());
  if (!text) return column.required ? { problem: { key: 'import.cell.required' } } : {};
  switch (column.kind) {
    case 'text':
      return { value: text };
    case 'money': {
      const r = parseYuan(text);
      return r.ok ? { value: r.value } : { problem: { key: r.key } };
    }
    case 'int': {
      const m = /^([+-]?\d+)(?:\.0+)?%?$/.exec(text);
      const n = m ? Number(m[1]) : NaN;
      return Number.isSafeInteger(n) ? { value: n } : { problem: { key: 'import.cell.int', params: { value: text } } };
    }
    case 'decimal': {
      const m = /^\d+(?:\.\d{1,2})?$/.exec(text);
      return m ? { value: Number(text) } : { problem: { key: 'import.cell.decimal', params: { value: text } } };
    }
    case 'date': {
      const day = parseDay(text);
      return day ? { value: day } : { problem: { key: 'import.cell.date', params: { value: text } } };
    }
    case 'list':
      return { value: splitList(text) };
    case 'enum': {
      const v = matchEnum(column, text);
      return v ? { value: v } : { problem: { key: 'import.cell.enum', params: { value: text } } };
    }
    case 'enumList': {
      const items = splitList(text);
      const values = items.map((i) => matchEnum(column, i));
      const bad = items.filter((_, i) => !values[i]);
      return bad.length ? { problem: { key: 'import.cell.enum', params: { value: bad.join(', ') } } } : { value: [...new Set(values as string[])] };
    }
    case 'bool': {
      const k = text.toLowerCase();
      if (TRUE.has(k)) return { value: true };
      if (FALSE.has(k)) return { value: false };
      return { problem: { key: 'import.cell.bool', params: { value: text } } };
    }
  }
}

/**
 * A calendar day as `YYYY-MM-DD` from what spreadsheets write: 2025-03-31, 2025/3/31, 2025.3.31, 2025年3月31日
 * (an XLSX date cell arrives as its ISO text); null when it is no real day.
 */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T00:00:00(?:\.000)?Z?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The values a cell may take, in the user's words, for the message of a refused enum. */
export function allowedValues(column: Column, locale: Locale): string {
  return (column.values ?? []).map((v) => labelOf(column, v, locale)).join(locale === 'en' ? ', ' : '、');
}

export type SheetRow = { row: number; cells: string[] };
export type RowProblem = { row: number; field: string; key: string; params: Record<string, string | number> };
export type ImportRecord = { row: number; values: Record<string, unknown> };

/** Reads every data row by the header mapping; blank rows are skipped but keep their numbers. */
export function readRows(mapping: (Column | null)[], rows: SheetRow[]): { records: ImportRecord[]; problems: RowProblem[] } {
  const records: ImportRecord[] = [];
  const problems: RowProblem[] = [];
  for (const r of rows) {
    if (r.cells.every((c) => !c.trim())) continue;
    const values: Record<string, unknown> = {};
    mapping.forEach((column, i) => {
      if (!column) return;
      const { value, problem } = readCell(column, r.cells[i] ?? '');
      if (problem) problems.push({ row: r.row, field: column.key, key: problem.key, params: problem.params ?? {} });
      else if (value !== undefined) values[column.key] = value;
    });
    records.push({ row: r.row, values });
  }
  return { records, problems };
}

/** Later rows repeating an earlier row's key are errors that name the first row. */
export function duplicatesInFile(records: ImportRecord[], keyOf: (v: Record<string, unknown>) => string | undefined, field: string): RowProblem[] {
  const first = new Map<string, number>();
  const out: RowProblem[] = [];
  for (const r of records) {
    const k = keyOf(r.values);
    if (k === undefined) continue;
    const prev = first.get(k);
    if (prev !== undefined) out.push({ row: r.row, field, key: 'import.dup_in_file', params: { other: prev } });
    else first.set(k, r.row);
  }
  return out;
}

/** Problems in the order a user reads the file: by row, then by column. */
export function sortProblems(problems: RowProblem[], columns: Column[]): RowProblem[] {
  const order = new Map(columns.map((c, i) => [c.key, i]));
  return [...problems].sort((a, b) => a.row - b.row || (order.get(a.field) ?? 99) - (order.get(b.field) ?? 99));
}

// ---- file sanity

/**
 * Text of an uploaded CSV: UTF-8 (with or without BOM), else GB18030 (what Excel on Chinese Windows
 * saves); null when it is neither (its bytes would otherwise be imported as U+FFFD).
 */
export function decodeText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  }
}

/**
 * The uncompressed size a zip (an XLSX) declares in its central directory, or null when the
 * bytes are not a readable zip (or use zip64, which no 5 MB spreadsheet needs).
 */
export function zipDeclaredSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength - 22;
  let eocd = -1;
  for (let i = end; i >= 0 && i >= end - 0xffff; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.byteLength || view.getUint32(p, true) !== 0x02014b50) return null;
    const size = view.getUint32(p + 24, true);
    if (size === 0xffffffff) return null;
    total += size;
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return total;
}
