// Helpers of the abuse tests (not shipped code): a fingerprint of the whole database, and the
// checks every refused request must pass (a clear 4xx, the field named, no internals leaked).
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../db/client.js';
import { changedTables, fingerprint, fingerprintQuery } from '../test/fingerprint.js';

/** Tables that change on reads (sliding sessions, login throttling): left out of the fingerprint. */
const VOLATILE = ['sessions', 'login_throttle'];
const queries = new WeakMap<Db, Promise<string>>();

/** Runs the requests and asserts that nothing in the database changed meanwhile. */
export async function unchanged<T>(db: Db, run: () => Promise<T>): Promise<T> {
  if (!queries.has(db)) queries.set(db, fingerprintQuery(db, VOLATILE));
  const query = await queries.get(db)!;
  const before = await fingerprint(db, query);
  const result = await run();
  const changed = changedTables(before, await fingerprint(db, query));
  expect(changed, `tables changed: ${changed.join(', ')}`).toEqual([]);
  return result;
}

/** What must never be in an error body: SQL, driver, stack or file details. */
export const LEAK =
  /syntax error|relation "|column "|violates|duplicate key|invalid byte sequence|pg_|\bselect\b.*\bfrom\b|drizzle|postgres|pglite|node_modules|\.ts:\d+|at [A-Za-z_.]+ \(/i;

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
