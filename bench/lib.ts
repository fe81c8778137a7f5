// Shared by the benchmarks: run a measurement on a fresh PGlite and on a fresh PostgreSQL database.
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../server/db/client.js';

export const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Runs `bench` on an in-memory PGlite and on a PostgreSQL database created for it (and dropped
 * afterwards); BENCH_SKIP_PGLITE / BENCH_SKIP_PG leave one out.
 */
export async function onBothDatabases(name: string, bench: (label: 'PGlite' | 'PostgreSQL', d: Database) => Promise<void>) {
  if (!process.env.BENCH_SKIP_PGLITE) {
    const d = await openPglite({});
    await d.migrate();
    await bench('PGlite', d);
    await d.close();
  }
  if (!process.env.BENCH_SKIP_PG) {
    const db = `kw_bench_${name}_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${db}`);
    const u = new URL(PG_URL);
    u.pathname = `/${db}`;
    const d = await openPostgres(u.toString());
    try {
      await d.migrate();
      await bench('PostgreSQL', d);
    } finally {
      await d.close();
      await admin.query(`drop database if exists ${db} with (force)`);
      await admin.end();
    }
  }
}

/** The p-th percentile (p in 0–100, nearest rank) of a sample. */
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((xs.length * p) / 100) - 1)];
export const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`);

/** Milliseconds one call takes. */
export async function time(f: () => Promise<unknown>) {
  const t = performance.now();
  await f();
  return performance.now() - t;
}
