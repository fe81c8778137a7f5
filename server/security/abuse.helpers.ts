// Helpers of the abuse tests (not shipped code): a fingerprint of the whole database, and the
// checks every refused request must pass (a clear 4xx, the field named, no internals leaked).
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db } from '../db/client.js';

/** Tables that change on reads (sliding sessions, login throttling): left out of the fingerprint. */
const VOLATILE = new Set(['sessions', 'login_throttle']);

export type Fingerprint = Record<string, { rows: number; md5: string }>;

const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

/** Row count and an md5 over every row's text (in a stable order) of each table in the public schema. */
export async function fingerprint(db: Db): Promise<Fingerprint> {
  const tables = rowsOf(await db.execute(sql`select tablename from pg_tables where schemaname = 'public' order by tablename`)).map((r) => String(r.tablename));
  const out: Fingerprint = {};
  for (const name of tables) {
    if (VOLATILE.has(name)) continue;
    const [r] = rowsOf(await db.execute(sql.raw(`select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as h from "${name}" t`)));
    out[name] = { rows: Number(r.n), md5: String(r.h) };
  }
  return out;
}

/** Runs the requests and asserts that nothing in the database changed meanwhile. */
export async function unchanged<T>(db: Db, run: () => Promise<T>): Promise<T> {
  const before = await fingerprint(db);
  const result = await run();
  const after = await fingerprint(db);
  const changed = Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  expect(changed, `tables changed: ${changed.join(', ')}`).toEqual([]);
  return result;
}

/** What must never be in an error body: SQL, driver, stack or file details. */
export const LEAK = /syntax error|relation "|column "|violates|duplicate key|invalid byte sequence|pg_|\bselect\b.*\bfrom\b|drizzle|postgres|pglite|node_modules|\.ts:\d+|at [A-Za-z_.]+ \(/i;

type ErrorBody = { error: string; message: string; fields?: { field: string; message: string }[] };

/**
 * A refused request: one of the wanted statuses, the app's error shape, no internals in the body,
 * and — where a field is given — that field named in `fields`.
 */
export function refused(res: LightMyRequestResponse, statuses: number | number[], field?: string | RegExp): ErrorBody {
  const want = Array.isArray(statuses) ? statuses : [statuses];
  expect(want, `${res.statusCode} ${res.body.slice(0, 400)}`).toContain(res.statusCode);
  expect(res.headers['content-type']?.toString() ?? '').toContain('application/json');
  const body = res.json() as ErrorBody;
  expect(typeof body.error).toBe('string');
  expect(body.error).not.toBe('internal');
  expect(typeof body.message).toBe('string');
  expect(res.body).not.toMatch(LEAK);
  if (field !== undefined) {
    const names = (body.fields ?? []).map((f) => f.field);
    const hit = names.some((n) => (typeof field === 'string' ? n === field || n.split(/[.,]/).includes(field) : field.test(n)));
    expect(hit, `field ${String(field)} not named in ${JSON.stringify(body.fields)} (${body.message})`).toBe(true);
  }
  return body;
}

/** A multipart/form-data body with one file part. */
export function multipart(field: string, filename: string, type: string, data: Buffer): { payload: Buffer; contentType: string } {
  const boundary = `----kwabuse${Math.random().toString(36).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}
