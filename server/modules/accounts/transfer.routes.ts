import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { AppError, invalid } from '../../platform/errors.js';
import { readDb } from '../../platform/reads.js';
import { ErrorReply, staff } from '../../platform/http.js';
import { ListAccountsQuery } from './accounts.schemas.js';
import type { AccountListPorts } from './accounts.service.js';
import * as svc from './transfer.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const ExportQuery = ListAccountsQuery.pick({
  tier: true,
  stage: true,
  toCStage: true,
  ladder: true,
  industry: true,
  region: true,
  tag: true,
  channel: true,
  ownerId: true,
  segmentId: true,
  risk: true,
  q: true,
  ids: true,
}).extend({
  format: z.enum(['csv', 'xlsx']).default('csv'),
});
const TemplateQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') });
const ImportReply = z.object({ imported: z.number() });
const FileReply = z.string().describe('The file: CSV (UTF-8 with BOM) or XLSX');

/** The one uploaded file of a multipart request (form field `file`), read into memory (5 MB at most unless said). */
export async function readUpload(req: FastifyRequest, maxBytes = 5 * 1024 * 1024): Promise<svc.Upload> {
  const noFile = () => invalid('import.no_file', {}, [{ field: 'file', message: 'required' }]);
  if (!req.isMultipart()) throw noFile();
  const part = await req.file({ limits: { fileSize: maxBytes } });
  if (part?.fieldname !== 'file') throw noFile();
  try {
    return { filename: part.filename, mimetype: part.mimetype, data: await part.toBuffer() };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', 'error.payload_too_large', { limit: `${Math.round(maxBytes / 1024 / 1024)} MB` });
    throw err;
  }
}

export function send(reply: FastifyReply, file: svc.Download) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

export function transferRoutes(db: Db, ports: AccountListPorts = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['accounts'];
    const produces = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
    app.get(
      '/api/accounts/export',
      {
        config: { reads: 'replica' },
        schema: {
          tags,
          summary: 'Download the accounts you see (same filters as the list) as CSV or XLSX',
          querystring: ExportQuery,
          produces,
          response: { 200: FileReply, ...errors },
        },
      },
      async (req, reply) => send(reply, await svc.exportAccounts(readDb(req), staff(req), req.query, ports)),
    );
    app.get(
      '/api/contacts/export',
      {
        config: { reads: 'replica' },
        schema: {
          tags,
          summary: 'Download the contacts of the accounts you see as CSV or XLSX',
          querystring: ExportQuery,
          produces,
          response: { 200: FileReply, ...errors },
        },
      },
      async (req, reply) => send(reply, await svc.exportContacts(readDb(req), staff(req), req.query, ports)),
    );
    for (const kind of ['accounts', 'contacts'] as const)
      app.get(
        `/api/${kind}/import/template`,
        {
          schema: {
            tags,
            summary: `An empty ${kind === 'accounts' ? 'account' : 'contact'} import file (CSV or XLSX) with the column names in the request's language; the XLSX explains each column`,
            querystring: TemplateQuery,
            produces,
            response: { 200: FileReply, ...errors },
          },
        },
        async (req, reply) => send(reply, await svc.importTemplate(staff(req), kind, req.query.format)),
      );
    app.post(
      '/api/accounts/import',
      {
        schema: {
          tags,
          summary: 'Import accounts from a CSV or XLSX (form field "file"): every row is checked, nothing is imported if any row is wrong',
          consumes: ['multipart/form-data'],
          response: { 200: ImportReply, ...errors, 409: ErrorReply, 413: ErrorReply },
        },
      },
      async (req) => svc.importAccounts(db, staff(req), () => readUpload(req)),
    );
    app.post(
      '/api/contacts/import',
      {
        schema: {
          tags,
          summary: 'Import contacts (each names its account) from a CSV or XLSX: all rows or none',
          consumes: ['multipart/form-data'],
          response: { 200: ImportReply, ...errors, 413: ErrorReply },
        },
      },
      async (req) => svc.importContacts(db, staff(req), () => readUpload(req)),
    );
  };
}
