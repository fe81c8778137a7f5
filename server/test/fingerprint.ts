// A fingerprint of the whole database for tests that must prove a request changed nothing: per table,
// its row count and an md5 of all its rows in primary-key order, in one statement.
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client.js';

/** The statement computing the fingerprint of every table but `skip` (built once per schema, run many times). */
export async function fingerprintQuery(db: Db, skip: readonly string[]): Promise<string> {
  const rows = await queryRows<{ table_name: string; pk: string | null }>(
    db,
    sql`select t.table_name,
          (select string_agg(quote_ident(k.column_name), ', ' order by k.ordinal_position)
             from information_schema.table_constraints c
             join information_schema.key_column_usage k on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema and k.table_name = c.table_name
            where c.table_schema = 'public' and c.table_name = t.table_name and c.constraint_type = 'PRIMARY KEY') as pk
        from information_schema.tables t
       where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
       order by t.table_name`,
  );
  return rows
    .filter((r) => !skip.includes(r.table_name))
    .map((r) => {
      const order = r.pk
        ? r.pk
            .split(', ')
            .map((c) => `x.${c}`)
            .join(', ')
        : 'x::text';
      return `select '${r.table_name}' as t, count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by ${order})), '') as h from ${JSON.stringify(r.table_name)} x`;
    })
    .join('\nunion all\n');
}

export async function fingerprint(db: Db, query: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ t: string; n: number; h: string }>(db, sql.raw(query));
  return new Map(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** The tables whose fingerprint differs. */
export function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}
