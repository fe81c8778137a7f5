/**
 * Import from the ERP (issue 16 point 6): the columns of the four files — contracts, payment plans, payments and
 * time entries — with their headers in both languages and the other names an ERP export uses for them. Pure: the
 * reading of cells, templates and row errors are the accounts import's (transfer.domain.ts); the service resolves
 * names (account, contract number, project, email) against the workspace.
 */
import type { Column } from '../accounts/transfer.domain.js';

export const importKinds = ['contracts', 'plan-items', 'payments', 'time-entries'] as const;
export type ImportKind = (typeof importKinds)[number];

/** A payments file of a whole year of an ERP is large: 100,000 rows at most per file (the accounts import takes 5,000). */
export const MAX_COMMERCE_IMPORT_ROWS = 100_000;
/** …and 32 MB (a 50,000-row payments CSV is ~4 MB). */
export const MAX_COMMERCE_IMPORT_BYTES = 32 * 1024 * 1024;
/** Rows per INSERT statement (payments have 9 columns: 9,000 parameters, far below PostgreSQL's 65,535). */
export const IMPORT_BATCH = 1000;

const externalRef: Column = {
  key: 'externalRef',
  label: { 'zh-CN': 'ERP编号', en: 'ERP ID' },
  kind: 'text',
  required: true,
  aliases: ['ERP ID', 'ERP编码', '外部编号', 'External ID', 'External ref'],
  help: {
    'zh-CN': 'ERP 中这一行的唯一编号；再次导入同一编号的行会被跳过（不会重复，也不会覆盖）',
    en: 'the unique ID of this row in the ERP; a row whose ID was imported before is skipped (never duplicated, never overwritten)',
  },
};
const contractNumber: Column = {
  key: 'contractNumber',
  label: { 'zh-CN': '合同编号', en: 'Contract number' },
  kind: 'text',
  required: true,
  aliases: ['合同号', 'Contract no', 'Contract'],
};

export const contractImportColumns: Column[] = [
  externalRef,
  { key: 'accountName', label: { 'zh-CN': '客户名称', en: 'Account name' }, kind: 'text', required: true, aliases: ['客户', 'Account'] },
  { ...contractNumber, key: 'number' },
  { key: 'title', label: { 'zh-CN': '合同名称', en: 'Contract title' }, kind: 'text', required: true, aliases: ['名称', 'Title'] },
  { key: 'products', label: { 'zh-CN': '产品/模块', en: 'Products' }, kind: 'list', aliases: ['产品', '模块', 'Modules'] },
  { key: 'amountMinor', label: { 'zh-CN': '合同金额(元)', en: 'Amount (CNY)' }, kind: 'money', required: true, aliases: ['金额', 'Amount'] },
  { key: 'costMinor', label: { 'zh-CN': '成本(元)', en: 'Cost (CNY)' }, kind: 'money', aliases: ['交付成本', 'Cost'] },
  { key: 'signedOn', label: { 'zh-CN': '签订日期', en: 'Signed on' }, kind: 'date', required: true, aliases: ['签约日期', 'Signed'] },
  { key: 'startsOn', label: { 'zh-CN': '开始日期', en: 'Starts on' }, kind: 'date', required: true, aliases: ['生效日期', 'Start'] },
  { key: 'endsOn', label: { 'zh-CN': '结束日期', en: 'Ends on' }, kind: 'date', required: true, aliases: ['到期日期', 'End'] },
  {
    key: 'maintenanceEndsOn',
    label: { 'zh-CN': '维保到期日', en: 'Maintenance ends on' },
    kind: 'date',
    aliases: ['维保到期', '质保到期日', 'Warranty ends on'],
  },
  {
    key: 'slaTier',
    label: { 'zh-CN': 'SLA等级', en: 'SLA tier' },
    kind: 'enum',
    values: ['A', 'B', 'C', 'D', 'E'],
    aliases: ['SLA'],
    help: { 'zh-CN': '合同购买的 SLA 等级；留空则按客户自身分级', en: "the SLA tier the contract buys; empty: the account's own tier" },
  },
  { key: 'services', label: { 'zh-CN': '合同服务', en: 'Services' }, kind: 'list', aliases: ['服务内容', 'Contract services'] },
  {
    key: 'customServices',
    label: { 'zh-CN': '定制服务', en: 'Customised services' },
    kind: 'list',
    aliases: ['定制开发', 'Customisations', 'Customizations'],
    help: { 'zh-CN': '合同包含的定制部分，多个用分号分隔', en: 'the customised parts the contract includes, separated by semicolons' },
  },
];

export const planItemImportColumns: Column[] = [
  externalRef,
  contractNumber,
  { key: 'label', label: { 'zh-CN': '款项名称', en: 'Label' }, kind: 'text', required: true, aliases: ['款项', '期次', 'Instalment'] },
  { key: 'dueOn', label: { 'zh-CN': '应收日期', en: 'Due on' }, kind: 'date', required: true, aliases: ['到期日', 'Due date'] },
  { key: 'amountMinor', label: { 'zh-CN': '应收金额(元)', en: 'Amount due (CNY)' }, kind: 'money', required: true, aliases: ['金额', 'Amount'] },
  { key: 'invoiceNo', label: { 'zh-CN': '发票号', en: 'Invoice no.' }, kind: 'text', aliases: ['发票号码', 'Invoice'] },
];

export const paymentImportColumns: Column[] = [
  externalRef,
  contractNumber,
  { key: 'receivedOn', label: { 'zh-CN': '到账日期', en: 'Received on' }, kind: 'date', required: true, aliases: ['回款日期', 'Received'] },
  {
    key: 'amountMinor',
    label: { 'zh-CN': '到账金额(元)', en: 'Amount received (CNY)' },
    kind: 'money',
    required: true,
    aliases: ['回款金额', '金额', 'Amount'],
  },
  {
    key: 'planItemRef',
    label: { 'zh-CN': '回款计划ERP编号', en: 'Plan item ERP ID' },
    kind: 'text',
    aliases: ['回款计划', 'Plan item'],
    help: {
      'zh-CN': '这笔款支付的回款计划（其 ERP 编号，须属于同一合同）；留空则按到期先后冲抵',
      en: 'the payment plan item it pays (its ERP ID, on the same contract); empty: it pays the earliest due items first',
    },
  },
  { key: 'reference', label: { 'zh-CN': '流水号', en: 'Reference' }, kind: 'text', aliases: ['凭证号', '银行流水号', 'Bank reference'] },
];

export const timeEntryImportColumns: Column[] = [
  externalRef,
  contractNumber,
  { key: 'projectName', label: { 'zh-CN': '项目名称', en: 'Project' }, kind: 'text', required: true, aliases: ['交付项目', 'Project name'] },
  {
    key: 'userEmail',
    label: { 'zh-CN': '工程师邮箱', en: 'Engineer email' },
    kind: 'text',
    required: true,
    aliases: ['邮箱', 'Email', 'Engineer'],
  },
  { key: 'workedOn', label: { 'zh-CN': '工作日期', en: 'Worked on' }, kind: 'date', required: true, aliases: ['日期', 'Date'] },
  { key: 'hours', label: { 'zh-CN': '工时(小时)', en: 'Hours' }, kind: 'decimal', required: true, aliases: ['工时', '小时'] },
  { key: 'note', label: { 'zh-CN': '工作内容', en: 'Note' }, kind: 'text', aliases: ['说明', '备注', 'Description'] },
];

export const importColumnsOf: Record<ImportKind, Column[]> = {
  contracts: contractImportColumns,
  'plan-items': planItemImportColumns,
  payments: paymentImportColumns,
  'time-entries': timeEntryImportColumns,
};

/** The sheet's name in a template. */
export const sheetNames: Record<ImportKind, { 'zh-CN': string; en: string }> = {
  contracts: { 'zh-CN': '合同', en: 'Contracts' },
  'plan-items': { 'zh-CN': '回款计划', en: 'Payment plan' },
  payments: { 'zh-CN': '回款', en: 'Payments' },
  'time-entries': { 'zh-CN': '工时', en: 'Time entries' },
};

/** Rows split into INSERT batches. */
export function batches<T>(rows: T[], size = IMPORT_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
