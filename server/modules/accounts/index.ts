// The accounts module's public face: accounts, grading, stages, ladder, contacts, relationship map, segments.
export { accountsRoutes } from './accounts.routes.js';
export { transferRoutes } from './transfer.routes.js';
// the spreadsheet import machinery (columns in both languages, templates, all-or-nothing row errors), for other imports
export { readUpload as readUploadedFile, send as sendDownload } from './transfer.routes.js';
export { accountNames as accountNamesOfWorkspace } from './transfer.repo.js';
export { duplicatesInFile, type ImportRecord, type RowProblem } from './transfer.domain.js';
export { checkBody, readUpload as readUploadRows, rowsInvalid, templateFile, type Download, type Format, type Upload } from './transfer.service.js';
export {
  loadVisibleAccount,
  recomputeGrading,
  applyCommercialFigures,
  insertAccountRow,
  createContact,
  createLink,
  createKeyPersonLogin,
  setTeam,
  scopeOf,
} from './accounts.service.js';
export type { AccountInput, AccountListPorts, ContactInput } from './accounts.service.js';
export {
  accountCountsByWorkspace,
  audienceContacts,
  audienceQuery,
  contactDirectory,
  contactsPage,
  findAccount,
  findContact,
} from './accounts.repo.js';
export { segmentFields, type SegmentCondition } from './segments.domain.js';
export {
  keyPersonOfContact,
  addKeyPerson,
  activeKeyPersonsByEmail,
  sendersByEmail,
  setKeyPersonPassword,
  keyPersonNames,
  keyPersonsOfAccount,
  accountNames,
  accountSummaries,
  accountSummaryColumns,
  type KeyPersonRow,
} from './key-persons.repo.js';
export { accountVisibility, canSeeAccount, seesEveryAccount, type AccountColumns } from './visibility.js';
export { KEY_TIERS, isKeyTier, type KeyTier } from './tiers.domain.js';
export * as grading from './grading.domain.js';
export type { ComputedFactors } from './accounts.service.js';
export * as lifecycle from './lifecycle.domain.js';
// outreach's measures: people with their account's to-C stage, and the to-C stage moves
export { peopleWithStage, toCStageMoves, type PersonWithStage } from './to-c-stage.repo.js';
