import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { AppError, invalid } from '../../platform/errors.js';
import { translate } from '../../platform/i18n.js';
import { actor, ErrorReply, IdParam, localeOf, Ok, staff } from '../../platform/http.js';
import { dimensionKeys, stageKeys, unitKeys } from './library.data.js';
import { PdfUnavailable } from './report.pdf.js';
import * as report from './report.service.js';
import * as reportView from './report.view.js';
import * as svc from './value.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['value'];

const Bilingual = z.object({ 'zh-CN': z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) });
const Measure = z.number().finite().gt(-1e12).lt(1e12).describe('a measured value (at most 6 decimals)');
const Period = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
  .describe('a month, YYYY-MM');
const ParamDef = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: Bilingual,
  unit: z.string().trim().max(20),
  default: Measure,
});
const ParamValues = z.record(z.string().max(40), Measure).refine((o) => Object.keys(o).length <= 30, 'at most 30 parameters');

const IndicatorBody = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{2,59}$/)
    .optional(),
  stage: z.enum(stageKeys as [string, ...string[]]),
  dimension: z.enum(dimensionKeys as [string, ...string[]]),
  name: Bilingual,
  unit: z
    .string()
    .max(20)
    .describe(`one of ${unitKeys.join(', ')}`),
  direction: z.enum(['up', 'down']),
  formula: z.string().max(500),
  params: z.array(ParamDef).max(20),
  active: z.boolean().optional(),
});
const IndicatorPatch = IndicatorBody.omit({ key: true }).partial();

const Label = z.object({ 'zh-CN': z.string(), en: z.string() });
const Indicator = z.object({
  id: z.string(),
  solutionType: z.string(),
  key: z.string(),
  stage: z.string(),
  dimension: z.string(),
  name: Label,
  unit: z.string(),
  direction: z.enum(['up', 'down']),
  formula: z.string(),
  params: z.array(z.object({ name: z.string(), label: Label, unit: z.string(), default: z.number() })),
  sort: z.number(),
  active: z.boolean(),
});
const Keyed = z.object({ key: z.string(), label: Label });
const Library = z.object({
  solutionTypes: z.array(Keyed),
  stages: z.array(Keyed),
  dimensions: z.array(Keyed),
  units: z.array(Keyed),
  indicators: z.array(Indicator),
});

const ItemBody = z.strictObject({
  indicatorId: z.uuid(),
  baseline: Measure,
  baselinePeriod: Period,
  target: Measure,
  unit: z.string().max(20).optional(),
  paramValues: ParamValues.optional(),
  internalNote: z.string().max(2000).nullish(),
});
const ItemPatch = ItemBody.omit({ indicatorId: true }).partial();
const ActualBody = z.strictObject({ period: Period, value: Measure, unit: z.string().max(20).optional(), note: z.string().max(500).nullish() });

const Totals = z.object({ expectedPerPeriodMinor: z.number(), expectedToDateMinor: z.number(), realisedTotalMinor: z.number(), errors: z.number() });
const ByPeriod = z.array(z.object({ period: z.string(), expectedMinor: z.number(), realisedMinor: z.number(), cumulativeRealisedMinor: z.number() }));
const Status = z.enum(['no_data', 'behind', 'improving', 'reached']);
const Project = z.object({
  account: z.object({ id: z.string(), name: z.string(), currency: z.string() }),
  items: z.array(
    z.object({
      id: z.string(),
      indicatorId: z.string(),
      key: z.string(),
      stage: z.string(),
      dimension: z.string(),
      name: Label,
      unit: z.string(),
      direction: z.enum(['up', 'down']),
      formula: z.string(),
      params: z.array(z.object({ name: z.string(), label: Label, unit: z.string(), default: z.number(), value: z.number() })),
      baseline: z.number(),
      baselinePeriod: z.string(),
      target: z.number(),
      internalNote: z.string().nullable(),
      status: Status,
      progressPct: z.number().nullable(),
      latest: z.number().nullable(),
      expectedPerPeriodMinor: z.number().nullable().describe('fen per month at target; null when the formula cannot be computed'),
      expectedError: z.string().nullable(),
      expectedToDateMinor: z.number(),
      realisedTotalMinor: z.number(),
      actuals: z.array(
        z.object({
          id: z.string(),
          period: z.string(),
          value: z.number(),
          improvement: z.number(),
          realisedMinor: z.number().nullable(),
          error: z.string().nullable(),
          source: z.string(),
          note: z.string().nullable(),
        }),
      ),
    }),
  ),
  promises: z.array(
    z.object({
      bookingId: z.string(),
      service: Label,
      bookedAt: z.date(),
      promisedValueMinor: z.number(),
      itemIds: z.array(z.string()),
      realisedMinor: z.number(),
      status: z.enum(['unlinked', 'open', 'kept']),
    }),
  ),
  byPeriod: ByPeriod,
  totals: Totals,
});
/** What the customer sees: no ids, no internal notes, no note on actuals. */
const Report = z.object({
  account: z.object({ id: z.string(), name: z.string(), currency: z.string() }),
  locale: z.string(),
  generatedAt: z.string(),
  generatedAtText: z.string().describe("YYYY-MM-DD HH:mm in the workspace's time zone"),
  generatedStamp: z.string().describe("YYYYMMDD in the workspace's time zone (file names)"),
  items: z.array(
    z.object({
      key: z.string(),
      stage: z.string(),
      stageLabel: z.string(),
      dimension: z.string(),
      dimensionLabel: z.string(),
      name: z.string(),
      unit: z.string(),
      unitLabel: z.string(),
      direction: z.enum(['up', 'down']),
      formulaInWords: z.string().describe('how the money is worked out, in words (never the formula code)'),
      params: z.array(z.object({ label: z.string(), unit: z.string(), value: z.number() })),
      baseline: z.number(),
      baselinePeriod: z.string(),
      target: z.number(),
      latest: z.number().nullable(),
      status: Status,
      progressPct: z.number().nullable(),
      expectedPerPeriodMinor: z.number().nullable(),
      expectedError: z.string().nullable(),
      expectedToDateMinor: z.number(),
      realisedTotalMinor: z.number(),
      periods: z.array(
        z.object({
          period: z.string(),
          value: z.number(),
          improvement: z.number(),
          realisedMinor: z.number().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
  promises: z.array(
    z.object({
      service: z.string(),
      promisedValueMinor: z.number(),
      indicators: z.array(z.string()),
      realisedMinor: z.number(),
      status: z.enum(['unlinked', 'open', 'kept']),
    }),
  ),
  byPeriod: ByPeriod,
  totals: Totals,
});
const FileReply = z.string().describe('the file');

// ---- CSV of actuals: indicator, period, value[, unit][, note]; headers in zh-CN or en

const headerNames: Record<string, string> = {
  indicator: 'indicator',
  指标: 'indicator',
  指标名称: 'indicator',
  key: 'indicator',
  period: 'period',
  month: 'period',
  月份: 'period',
  期间: 'period',
  value: 'value',
  actual: 'value',
  实际值: 'value',
  数值: 'value',
  unit: 'unit',
  单位: 'unit',
  note: 'note',
  备注: 'note',
};

async function readCsvUpload(req: FastifyRequest): Promise<{ filename: string; rows: svc.ActualRowInput[] }> {
  const noFile = () => invalid('import.no_file', {}, [{ field: 'file', message: 'required' }]);
  if (!req.isMultipart()) throw noFile();
  const part = await req.file();
  if (part?.fieldname !== 'file') throw noFile();
  let data: Buffer;
  try {
    data = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', 'error.payload_too_large', { limit: '5 MB' });
    throw err;
  }
  const bad = (detail: string) => invalid('import.bad_file', { detail }, [{ field: 'file', message: detail }]);
  if (!/\.csv$/i.test(part.filename) && !/csv/i.test(part.mimetype)) throw bad('import.detail.format');
  let records: string[][];
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch {
    throw bad('import.detail.csv');
  }
  const [header, ...body] = records.filter((r) => r.some((c) => c.trim()));
  if (!header || body.length === 0) throw invalid('import.empty', {}, [{ field: 'file', message: 'empty' }]);
  if (body.length > 5000) throw invalid('import.too_many_rows', { max: 5000 }, [{ field: 'file', message: 'too many rows' }]);
  const cols = header.map((h) => headerNames[h.trim().toLowerCase()] ?? null);
  const missing = ['indicator', 'period', 'value'].filter((c) => !cols.includes(c));
  if (missing.length)
    throw invalid('value.import.missing_columns', { columns: missing.join(', ') }, [{ field: 'file', message: `missing ${missing.join(', ')}` }]);
  const rows = body.map((cells, i) => {
    const v: Record<string, string> = {};
    cols.forEach((c, k) => {
      if (c) v[c] = cells[k] ?? '';
    });
    return { row: i + 2, indicator: v.indicator ?? '', period: v.period ?? '', value: v.value ?? '', unit: v.unit, note: v.note };
  });
  return { filename: part.filename, rows };
}

function sendFile(reply: FastifyReply, file: reportView.Download) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

async function sendPdf(req: FastifyRequest, reply: FastifyReply, r: report.ValueReport) {
  try {
    return sendFile(reply, await reportView.reportPdf(r));
  } catch (err) {
    if (err instanceof PdfUnavailable) {
      req.log.warn({ err: err.message }, 'value report PDF unavailable');
      return reply.status(503).send({ error: 'unavailable', message: translate(localeOf(req), 'value.pdf_unavailable') });
    }
    throw err;
  }
}

function sendHtml(reply: FastifyReply, r: report.ValueReport) {
  // the page is ours, self-contained and without scripts: forbid everything else
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    .header('cache-control', 'no-store')
    .send(Buffer.from(reportView.reportHtml(r), 'utf8'));
}

export function valueRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    // library
    app.get(
      '/api/value/library',
      {
        schema: {
          tags,
          summary: 'The indicator library of the workspace (the shipped default is copied in on first use)',
          response: { 200: Library, ...errors },
        },
      },
      async (req) => svc.getLibrary(db, staff(req)),
    );
    app.post(
      '/api/value/library',
      { schema: { tags, summary: 'Add an indicator to the library', body: IndicatorBody, response: { 201: Indicator, ...errors } } },
      async (req, reply) => reply.status(201).send(await svc.createIndicator(db, staff(req), req.body as svc.IndicatorInput)),
    );
    app.patch(
      '/api/value/library/:id',
      {
        schema: {
          tags,
          summary: 'Change an indicator of the library (projects keep the terms they agreed)',
          params: IdParam,
          body: IndicatorPatch,
          response: { 200: Indicator, ...errors },
        },
      },
      async (req) => svc.updateIndicator(db, staff(req), req.params.id, req.body as Partial<svc.IndicatorInput>),
    );

    // the project of one account
    app.get(
      '/api/accounts/:id/value',
      {
        schema: {
          tags,
          summary: "The account's value project: indicators, baseline, target, parameters, actuals and money",
          params: IdParam,
          response: { 200: Project, ...errors },
        },
      },
      async (req) => svc.getProject(db, staff(req), req.params.id),
    );
    app.post(
      '/api/accounts/:id/value/items',
      {
        schema: {
          tags,
          summary: 'Choose an indicator with the customer: baseline, target and their parameter values',
          params: IdParam,
          body: ItemBody,
          response: { 201: Project, ...errors },
        },
      },
      async (req, reply) => {
        await svc.addItem(db, staff(req), req.params.id, req.body);
        return reply.status(201).send(await svc.getProject(db, staff(req), req.params.id));
      },
    );
    app.patch(
      '/api/value/items/:id',
      {
        schema: {
          tags,
          summary: 'Change baseline, target, parameter values or the internal note',
          params: IdParam,
          body: ItemPatch,
          response: { 200: Project, ...errors },
        },
      },
      async (req) => svc.getProject(db, staff(req), await svc.updateItem(db, staff(req), req.params.id, req.body)),
    );
    app.delete(
      '/api/value/items/:id',
      { schema: { tags, summary: 'Drop an indicator from the project (with its actuals)', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => {
        await svc.removeItem(db, staff(req), req.params.id);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/value/items/:id/actuals',
      {
        schema: {
          tags,
          summary: "Record a month's actual (replaces that month's value)",
          params: IdParam,
          body: ActualBody,
          response: { 200: Project, ...errors },
        },
      },
      async (req) => svc.getProject(db, staff(req), await svc.recordActual(db, staff(req), req.params.id, req.body)),
    );
    app.delete(
      '/api/value/actuals/:id',
      { schema: { tags, summary: 'Remove an actual', params: IdParam, response: { 200: Project, ...errors } } },
      async (req) => svc.getProject(db, staff(req), await svc.deleteActual(db, staff(req), req.params.id)),
    );
    app.put(
      '/api/value/promises/:id',
      {
        schema: {
          tags,
          summary: "Link a paid expert service's promised value (booking id) to indicators of its account; [] unlinks",
          params: IdParam,
          body: z.strictObject({ itemIds: z.array(z.uuid()).max(30) }),
          response: { 200: Project, ...errors },
        },
      },
      async (req) => svc.getProject(db, staff(req), await svc.linkPromise(db, staff(req), req.params.id, req.body.itemIds)),
    );
    app.post(
      '/api/accounts/:id/value/actuals/import',
      {
        schema: {
          tags,
          summary: 'Import actuals from a CSV (indicator, period, value[, unit][, note]; form field "file"): all rows or none',
          params: IdParam,
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ imported: z.number() }), ...errors, 413: ErrorReply },
        },
      },
      async (req) => {
        const a = staff(req);
        const { filename, rows } = await readCsvUpload(req);
        return svc.importActuals(db, a, req.params.id, rows, filename);
      },
    );

    // the report: JSON, printable page, PDF — for staff, and for a key person of their own account
    const pdfReply = { 200: FileReply, ...errors, 503: ErrorReply };
    app.get(
      '/api/accounts/:id/value/report',
      { schema: { tags, summary: 'The value report (what the customer sees)', params: IdParam, response: { 200: Report, ...errors } } },
      async (req) => report.getReport(db, staff(req), req.params.id),
    );
    app.get(
      '/api/accounts/:id/value/report.html',
      {
        schema: {
          tags,
          summary: 'The value report as a printable page',
          params: IdParam,
          produces: ['text/html'],
          response: { 200: FileReply, ...errors },
        },
      },
      async (req, reply) => sendHtml(reply, await report.getReport(db, staff(req), req.params.id)),
    );
    app.get(
      '/api/accounts/:id/value/report.pdf',
      {
        schema: {
          tags,
          summary: 'The value report as a PDF printed by Chromium',
          params: IdParam,
          produces: ['application/pdf'],
          response: pdfReply,
        },
      },
      async (req, reply) => sendPdf(req, reply, await report.getReport(db, staff(req), req.params.id)),
    );
    app.get(
      '/api/portal/value/report',
      {
        config: { auth: 'key_person' },
        schema: { tags, summary: "A key person's own account's value report", response: { 200: Report, ...errors } },
      },
      async (req) => report.getPortalReport(db, actor(req)),
    );
    app.get(
      '/api/portal/value/report.html',
      {
        config: { auth: 'key_person' },
        schema: {
          tags,
          summary: "A key person's value report as a printable page",
          produces: ['text/html'],
          response: { 200: FileReply, ...errors },
        },
      },
      async (req, reply) => sendHtml(reply, await report.getPortalReport(db, actor(req))),
    );
    app.get(
      '/api/portal/value/report.pdf',
      {
        config: { auth: 'key_person' },
        schema: { tags, summary: "A key person's value report as a PDF", produces: ['application/pdf'], response: pdfReply },
      },
      async (req, reply) => sendPdf(req, reply, await report.getPortalReport(db, actor(req))),
    );
  };
}
