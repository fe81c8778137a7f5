import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Several small reads of one record in one statement (issue 17, point 4: a statement costs the server ~0.1–0.2 ms of
 * CPU however little it returns). `jsonObject(table, 'm')` is a `json_build_object` of a row's columns under their
 * TypeScript names, for `json_agg` in a sub-select; `fromJson` reads such rows back as Drizzle would (times as
 * dates again: JSON carries them as text). Columns named in `omit` are left out (a file's bytes).
 */
export function jsonObject<T extends PgTable>(table: T, alias: string, omit: (keyof T['$inferSelect'])[] = []): SQL {
  const cols = Object.entries(getTableColumns(table)).filter(([k]) => !omit.includes(k as keyof T['$inferSelect']));
  return sql.raw(`json_build_object(${cols.map(([k, c]) => `'${k}', ${alias}."${c.name}"`).join(', ')})`);
}

export function fromJson<T extends PgTable, K extends keyof T['$inferSelect'] = never>(
  table: T,
  rows: unknown,
  _omit: K[] = [],
): Omit<T['$inferSelect'], K>[] {
  const dates = Object.entries(getTableColumns(table))
    .filter(([, c]) => c.dataType === 'date')
    .map(([k]) => k);
  return ((rows ?? []) as Record<string, unknown>[]).map((r) => {
    for (const k of dates) if (typeof r[k] === 'string') r[k] = new Date(r[k] as string);
    return r as Omit<T['$inferSelect'], K>;
  });
}

/**
 * Rows of `select * from <table>` sent as plain SQL, read back as Drizzle reads them (its column mappers: dates,
 * JSON, numbers). Building plain SQL costs a few µs where Drizzle's query builder costs ~0.1–0.2 ms for a wide
 * table.
 */
export function rowsOf<T extends PgTable>(table: T, rows: Record<string, unknown>[]): T['$inferSelect'][] {
  const cols = Object.entries(getTableColumns(table));
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, c] of cols) {
      const v = r[c.name];
      out[k] = v === null || v === undefined ? null : c.mapFromDriverValue(v);
    }
    return out as T['$inferSelect'];
  });
}
