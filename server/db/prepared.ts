import type { Db } from './client.js';

/**
 * Fixed-shape hot queries built once per database handle instead of on every call (issue 17, point 4: building a
 * wide select with Drizzle costs ~0.1 ms of CPU — a sixth of the console's server CPU was spent building SQL). The
 * values are placeholders (`sql.placeholder('x')`), given to `execute({ x })`. On PostgreSQL the statement is also
 * named, so each connection parses and plans it once (a connection pooler in front must keep prepared statements:
 * PgBouncer ≥ 1.21 with `max_prepared_statements`, or session pooling).
 *
 * Kept per handle: the pool's handle lives as long as the app, so it is built once; a transaction's handle is new
 * each time, so inside a transaction this costs what building did before. `name` must be unique per query shape.
 */
const built = new WeakMap<Db, Map<string, unknown>>();

export function prepared<P>(db: Db, name: string, build: (db: Db) => { prepare(name: string): P }): P {
  let byName = built.get(db);
  if (!byName) {
    byName = new Map();
    built.set(db, byName);
  }
  let q = byName.get(name) as P | undefined;
  if (!q) {
    q = build(db).prepare(`kw_${name}`);
    byName.set(name, q);
  }
  return q;
}
