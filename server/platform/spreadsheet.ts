// Writing an export file (CSV or XLSX) for any module: the header in the reader's language, cells as
// platform/cells.ts makes them, the file named by the workspace's day. Modules decide the columns.
import { stringify as stringifyCsv } from 'csv-stringify/sync';
// exceljs loads on first use (import and export only): it costs ~0.5 s of every server start otherwise
const loadExcel = async () => (await import('exceljs')).default;
import { csvCell, type OutCell, xlsxCell } from './cells.js';

export type Format = 'csv' | 'xlsx';
export type Download = { filename: string; contentType: string; body: Buffer };

export const contentTypes: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** UTF-8 with a BOM (so Excel reads Chinese), CRLF between records. */
export function writeCsv(header: string[], rows: OutCell[][]): Buffer {
  return Buffer.from(stringifyCsv([header, ...rows.map((r) => r.map(csvCell))], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

/** One sheet, the header frozen and bold; a money column (`money[i]`) shows yuan with two decimals. */
export async function writeXlsx(sheet: string, header: string[], rows: OutCell[][], money: boolean[] = []): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'Keyward';
  const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = header.map((h, i) => ({
    header: h,
    key: `c${i}`,
    width: Math.min(40, Math.max(12, h.length * 2 + 2)),
    ...(money[i] ? { style: { numFmt: '#,##0.00' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(xlsxCell));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * An export as a download: `<base>-<YYYYMMDD>.<format>`, the day being the workspace's (a file is named
 * by the day its reader lives in, never the UTC one).
 */
export async function spreadsheetDownload(f: {
  base: string;
  sheet: string;
  format: Format;
  header: string[];
  rows: OutCell[][];
  money?: boolean[];
  day: string;
}): Promise<Download> {
  const body = f.format === 'csv' ? writeCsv(f.header, f.rows) : await writeXlsx(f.sheet, f.header, f.rows, f.money);
  return { filename: `${f.base}-${f.day}.${f.format}`, contentType: contentTypes[f.format], body };
}
