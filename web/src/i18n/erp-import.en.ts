/** Labels of the ERP import page (issue 16), en; the shape of erp-import.zh-CN.ts. */
import type { erpZhCN } from './erp-import.zh-CN';

export const erpEn: typeof erpZhCN = {
  title: 'ERP import',
  intro:
    'Import contracts, payment plans, payments and time entries from CSV or Excel files exported from the ERP. Every row of a file is checked: if any row is wrong, nothing is imported and every problem is listed. Rows whose ERP ID was imported before are skipped (never duplicated, never overwritten), so importing the same file again is safe.',
  order:
    'Import in this order: contracts first, then payment plans and payments; time entries need their delivery project to exist under the contract.',
  kinds: {
    contracts: 'Contracts',
    planItems: 'Payment plans',
    payments: 'Payments',
    timeEntries: 'Time entries',
  },
  what: {
    contracts:
      "One contract per row; its account is found by “Account name” (exactly as in Keyward). The accounts' order amount and profit contribution are recomputed; contracts ending soon raise a renewal opportunity.",
    planItems:
      "One amount due per row; its contract is found by “Contract number”. The accounts' credit (on-time payment, last 12 months) is recomputed.",
    payments:
      "One payment received per row; its contract is found by “Contract number”. With a “Plan item ERP ID” it pays that item, otherwise the earliest due items first. The accounts' credit is recomputed.",
    timeEntries:
      'One entry per row; the delivery project is found by “Contract number” and “Project”, the engineer by email. Hours count towards utilisation, not grading.',
  },
  pick: 'Choose file',
  limits: '.csv or .xlsx, at most 100,000 rows and 32 MB',
  start: 'Import',
  uploading: 'Uploading…',
  processing: 'The server is checking and writing the rows; a large file takes a few seconds…',
  done: 'Imported: {{rows}} rows in the file, {{imported}} written, {{skipped}} skipped (imported before).',
  regraded: 'Grading factors recomputed for the accounts concerned: {{count}}.',
  fields: {
    file: 'File',
    externalRef: 'ERP ID',
    accountName: 'Account name',
    number: 'Contract number',
    contractNumber: 'Contract number',
    title: 'Contract title',
    products: 'Products',
    amountMinor: 'Amount',
    costMinor: 'Cost',
    signedOn: 'Signed on',
    startsOn: 'Starts on',
    endsOn: 'Ends on',
    maintenanceEndsOn: 'Maintenance ends on',
    slaTier: 'SLA tier',
    services: 'Services',
    customServices: 'Customised services',
    label: 'Label',
    dueOn: 'Due on',
    invoiceNo: 'Invoice no.',
    receivedOn: 'Received on',
    planItemRef: 'Plan item ERP ID',
    reference: 'Reference',
    projectName: 'Project',
    userEmail: 'Engineer email',
    workedOn: 'Worked on',
    hours: 'Hours',
    note: 'Note',
  },
};
