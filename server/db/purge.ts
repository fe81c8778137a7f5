// Deleting a whole workspace (the operator's `npm run workspaces -- delete`): every row that carries its
// workspace_id, children before parents, in one transaction.
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { is, sql } from 'drizzle-orm';
import { PgTable as PgTableClass } from 'drizzle-orm/pg-core';
import type { Db } from './client.js';
import * as schema from './schema.js';

type Node = { name: string; refs: Set<string>; scoped: boolean };

/** Tables in an order where each comes before every table it references (so deleting in this order never breaks a foreign key). */
export function deletionOrder(): { name: string; scoped: boolean }[] {
  const nodes = new Map<string, Node>();
  for (const t of Object.values(schema)) {
    if (!is(t, PgTableClass)) continue;
    const c = getTableConfig(t as PgTable);
    nodes.set(c.name, {
      name: c.name,
      scoped: c.columns.some((col) => col.name === 'workspace_id'),
      refs: new Set(c.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name).filter((n) => n !== c.name)),
    });
  }
  const order: Node[] = [];
  const placed = new Set<string>();
  // a table can go once nothing left unplaced references it
  while (order.length < nodes.size) {
    const next = [...nodes.values()].find(
      (n) => !placed.has(n.name) && [...nodes.values()].every((o) => placed.has(o.name) || o.name === n.name || !o.refs.has(n.name)),
    );
    if (!next) throw new Error(`foreign keys form a cycle among: ${[...nodes.keys()].filter((k) => !placed.has(k)).join(', ')}`);
    placed.add(next.name);
    order.push(next);
  }
  return order.map(({ name, scoped }) => ({ name, scoped }));
}

/** Removes the workspace and everything in it; returns the rows deleted per table (tables with none left out). */
export async function purgeWorkspace(db: Db, workspaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    for (const t of deletionOrder()) {
      if (!t.scoped) continue;
      const r = await tx.execute(sql`delete from ${sql.identifier(t.name)} where workspace_id = ${workspaceId}`);
      const n = (r as { rowCount?: number; affectedRows?: number }).rowCount ?? (r as { affectedRows?: number }).affectedRows ?? 0;
      if (n) counts[t.name] = n;
    }
    await tx.execute(sql`delete from workspaces where id = ${workspaceId}`);
  });
  return counts;
}
