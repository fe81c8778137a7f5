import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { ErrorReply, staff } from '../../platform/http.js';
import { readUploadedFile, sendDownload } from '../accounts/index.js';
import { importKinds, MAX_COMMERCE_IMPORT_BYTES, MAX_COMMERCE_IMPORT_ROWS, type ImportKind } from './import.domain.js';
import * as svc from './import.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const tags = ['commerce'];
const TemplateQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
const FileReply = z.string().describe('The file: CSV (UTF-8 with BOM) or XLSX');
const ImportReply = z.object({
  kind: z.enum(importKinds),
  rows: z.number().int().describe('data rows in the file'),
  imported: z.number().int().describe('rows written'),
  skipped: z.number().int().describe('rows whose ERP ID was imported before, left as they are'),
  accounts: z.number().int().describe('accounts whose grading factors (credit, order amount, margin) were recomputed'),
});

const what: Record<ImportKind, string> = {
  contracts: 'contracts (each names its account by name)',
  'plan-items': 'payment plan items (each names its contract by number)',
  payments: 'payments received (each names its contract by number, and optionally the plan item it pays by its ERP ID)',
  'time-entries': 'time entries (each names its contract by number, its delivery project by name within it, and the engineer by email)',
};

/** Import from the ERP (issue 16 point 6): a template and an all-or-nothing upload per kind of record. */
export function commerceImportRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    const produces = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
    for (const kind of importKinds) {
      app.get(
        `/api/commerce/import/${kind}/template`,
        {
          schema: {
            tags,
            summary: `An empty ERP import file of ${kind} (CSV or XLSX) with the column names in the request's language; the XLSX explains each column`,
            querystring: TemplateQuery,
            produces,
            response: { 200: FileReply, ...errors },
          },
        },
        async (req, reply) => sendDownload(reply, await svc.importTemplate(staff(req), kind, req.query.format)),
      );
      app.post(
        `/api/commerce/import/${kind}`,
        {
          schema: {
            tags,
            summary:
              `Import ${what[kind]} from a CSV or XLSX (form field "file", at most ${MAX_COMMERCE_IMPORT_ROWS.toLocaleString('en')} rows / ` +
              `${MAX_COMMERCE_IMPORT_BYTES / 1024 / 1024} MB). All or nothing: every row is checked first, and one bad row answers 400 ` +
              'listing every bad row (fields: [{row, field, message}]) with nothing written. A row whose ERP ID (externalRef) was ' +
              'imported before is skipped, not updated, so a re-import is idempotent. Synchronous: rows are written in batches of ' +
              '1,000 in one transaction and the touched accounts are regraded once; the reply counts what was written and skipped ' +
              '(a 50,000-row payments file takes seconds: the console shows the upload progress, then waits for this reply).',
            consumes: ['multipart/form-data'],
            response: { 200: ImportReply, ...errors, 413: ErrorReply },
          },
        },
        async (req) => svc.importCommerce(db, staff(req), kind, () => readUploadedFile(req, MAX_COMMERCE_IMPORT_BYTES)),
      );
    }
  };
}
