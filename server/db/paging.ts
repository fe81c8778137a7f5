import { sql } from 'drizzle-orm';

/**
 * A page and its total in one statement (issue 17, point 4: a statement costs the server CPU however little it
 * returns): `count(*) over ()` is the number of rows the where clause matches — a window is computed before LIMIT
 * and OFFSET — on every row of the page. Select it as `total` and read it back with `pageTotal`.
 */
export const totalOver = () => sql`count(*) over ()`.mapWith(Number);

/**
 * The total a page's rows carry; a page past the end has no row to carry it, so only then is it counted apart.
 * Returns the rows without their `total`.
 */
export async function pageTotal<T extends { total: number }>(
  rows: T[],
  offset: number,
  count: () => Promise<number>,
): Promise<{ rows: Omit<T, 'total'>[]; total: number }> {
  const total = rows.length ? rows[0].total : offset > 0 ? await count() : 0;
  return { rows: rows.map(({ total: _, ...r }) => r), total };
}
