// What goes into a cell of an exported CSV or XLSX, for every module's export: text neutralised against
// formula injection, amounts in fen as exact yuan. Pure: no files, no clock.

/** 123450 → "1234.50": the exact decimal text of an integer amount of fen. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet could run as a formula gets a leading apostrophe. */
export function neutraliseText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The inverse on import: exactly one apostrophe we would have added is removed again. */
export function restoreText(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/** What an exported cell holds: text, a real number, an amount in fen, or nothing. */
export type OutCell = string | number | { fen: number } | null;

/** CSV is all text: text is neutralised, numbers and amounts are written as numbers (a "-12" stays "-12"). */
export function csvCell(c: OutCell): string {
  if (c === null) return '';
  if (typeof c === 'string') return neutraliseText(c);
  if (typeof c === 'number') return String(c);
  return formatYuan(c.fen);
}

/** XLSX keeps types: text is neutralised, numbers stay number cells, amounts become yuan numbers. */
export function xlsxCell(c: OutCell): string | number | null {
  if (c === null || typeof c === 'number') return c;
  if (typeof c === 'string') return neutraliseText(c);
  return c.fen / 100;
}
