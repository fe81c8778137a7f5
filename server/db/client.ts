import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** Either driver's database or a transaction of it: services take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  /**
   * Runs `fn` while holding the start-up lock: on PostgreSQL a session advisory lock, so of several
   * instances starting at once only one migrates and seeds and the others then see the seeded database.
   * PGlite is one process already (the folder lock).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: LISTEN on `channel` over a connection of its own (reconnected when lost) and hand
   * each payload to `fn`; resolves once listening, to the stop. PGlite (one process) has none.
   */
  listen?(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export const migrationsFolder = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'migrations');
/**
 * A migrated, empty PGlite data folder made by the build (`dist/pglite-template.tar.gz`, beside the
 * bundled server's migrations): a first start loads it instead of running initdb and every migration
 * (about 2 s instead of 6–7 s here). Migrations added since are applied at start as usual.
 */
export const pgliteTemplate = path.join(path.dirname(migrationsFolder), 'pglite-template.tar.gz');

/**
 * The statement recorder of the sharding audit (docs/scaling.md): with KW_SQL_AUDIT=<file>, every statement
 * Drizzle sends is appended to that file once (whitespace collapsed, one JSON string a line). Parameters are
 * placeholders ($1…), so no value (no password hash, no token) is written. Off unless the variable is set.
 */
function sqlAuditLogger(): { logQuery(query: string, params: unknown[]): void } | undefined {
  const file = process.env.KW_SQL_AUDIT;
  if (!file) return undefined;
  const seen = new Set<string>();
  return {
    logQuery(query) {
      const q = query.replace(/\s+/g, ' ').trim();
      if (seen.has(q)) return;
      seen.add(q);
      fs.appendFileSync(file, `${JSON.stringify(q)}\n`);
    },
  };
}

function isEmptyDir(dir: string) {
  return !fs.existsSync(dir) || fs.readdirSync(dir).filter((f) => f !== 'keyward.lock').length === 0;
}

/**
 * PGlite is one process only: a second process on the same folder would corrupt it silently,
 * so the folder is guarded by an exclusive lock file holding the owner's pid.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'keyward.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The data folder ${path.resolve(dataDir)} is already in use by process ${owner}. ` +
            `PGlite allows one process per folder: stop that process, or set DATA_DIR to another folder, ` +
            `or use PostgreSQL with DATABASE_URL to run several instances.`,
        );
      }
      fs.unlinkSync(lockPath); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's shared buffers. PostgreSQL's default (128 MB) sits in the WebAssembly memory on top of the
 * operating system's own file cache of the data folder, which PGlite reads through: 32 MB keeps an idle
 * server near 300 MB RSS instead of ~430 MB (measured by `npm run bench -- startup`).
 */
export const PGLITE_SHARED_BUFFERS = '32MB';

/**
 * PGlite runs each statement synchronously on this thread, and hands the result back as a resolved promise: a
 * request's next statement, the next request admitted, the job runner's next job all continue as microtasks, so
 * while work is queued the event loop may not reach its I/O phase for many seconds — connections wait in the
 * listen queue and requests unread in their sockets (the HTTP load bench at 100 connections: up to 57 of 100
 * connections never answered in 30 s, with 100+ connections in the listen queue; issue 17). After each statement
 * outside a transaction, yield to the event loop (setImmediate runs right after its I/O phase) so sockets are
 * accepted and read in turn. A transaction's statements keep their pace (it holds the one connection anyway).
 */
function yieldBetweenStatements(client: PGlite) {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const yielding =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } finally {
        await turn();
      }
    };
  client.query = yielding(client.query.bind(client)) as PGlite['query'];
  client.exec = yielding(client.exec.bind(client)) as PGlite['exec'];
}

export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob; lock?: boolean; sharedBuffers?: string }): Promise<Database> {
  const release = opts.dataDir && opts.lock !== false ? lockDataDir(opts.dataDir) : () => {};
  try {
    const template = !opts.loadDataDir && opts.dataDir && isEmptyDir(opts.dataDir) && fs.existsSync(pgliteTemplate) ? pgliteTemplate : null;
    const client = new PGlite({
      dataDir: opts.dataDir,
      loadDataDir: opts.loadDataDir ?? (template ? new Blob([fs.readFileSync(template)]) : undefined),
      postgresqlconf: [`shared_buffers = ${opts.sharedBuffers ?? PGLITE_SHARED_BUFFERS}`],
      // trigram indexes for the global search (the migration runs CREATE EXTENSION pg_trgm)
      extensions: { pg_trgm },
    });
    await client.waitReady;
    yieldBetweenStatements(client);
    const db = drizzlePglite(client, { schema, logger: sqlAuditLogger() }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      migrate: () => migratePglite(db as never, { migrationsFolder }),
      exclusive: (fn) => fn(),
      async close() {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export async function openPostgres(
  url: string,
  opts: { max?: number; applicationName?: string; connectionTimeoutMillis?: number; quiet?: boolean } = {},
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName,
    connectionTimeoutMillis: opts.connectionTimeoutMillis,
  });
  // An idle connection the server ends (restart, failover, DROP DATABASE … FORCE) is dropped from
  // the pool and emitted here; without a listener it would crash the process.
  let closing = false;
  pool.on('error', (err) => {
    if (!closing && !opts.quiet) console.error('postgres: idle connection lost:', err.message);
  });
  // bigint (int8) columns arrive as strings by default; Drizzle's mode:'number' handles ours.
  const db = drizzlePg(pool, { schema, logger: sqlAuditLogger() }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // Several instances may start at once: one migrates, the others wait on the advisory lock.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(724203)');
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('SELECT pg_advisory_unlock(724203)').catch(() => {});
        client.release();
      }
    },
    async exclusive(fn) {
      // its own key: migrate() takes 724203 on another connection inside fn
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(724204)');
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(724204)').catch(() => {});
        client.release();
      }
    },
    listen: (channel, fn) => listenOn(url, channel, fn),
    close: () => {
      closing = true;
      return pool.end();
    },
  };
}

async function listenOn(url: string, channel: string, fn: (payload: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload != null) fn(n.payload);
    });
    c.on('error', () => {
      // lost (restart, failover): listen again on a new connection after a pause
      if (client === c) client = null;
      c.end().catch(() => {});
      if (!stopped && !retry) retry = setTimeout(reconnect, 1000);
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  const reconnect = () => {
    retry = null;
    if (stopped) return;
    connect().catch(() => {
      if (!stopped && !retry) retry = setTimeout(reconnect, 1000);
    });
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}

export async function openDatabase(cfg: { databaseUrl?: string; dataDir: string; pgliteSharedBuffers?: string }): Promise<Database> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite({ dataDir: cfg.dataDir, sharedBuffers: cfg.pgliteSharedBuffers });
}

export async function ping(db: Db): Promise<boolean> {
  await db.execute(sql`select 1`);
  return true;
}

/** Raw SQL through either driver; both return `{ rows }`. */
export async function queryRows<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/** A timestamp parameter for raw SQL (both drivers take the ISO text with a cast). */
export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
