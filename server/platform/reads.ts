import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../db/client.js';

/**
 * Reads that may lag (dashboards, reports, exports, search) on a streaming replica, with
 * read-your-own-writes (issue 17, point 5; docs/scaling.md).
 *
 * A route opts in with `config: { reads: 'replica' }` and reads through `readDb(req)`; every other
 * route's `readDb(req)` is the primary. Without a replica (PGlite, or DATABASE_REPLICA_URL unset) it is
 * always the primary.
 *
 * Read-your-own-writes by WAL position, not by a clock: after a successful write request (POST, PUT,
 * PATCH, DELETE answered < 400) by a signed-in person, the primary's `pg_current_wal_lsn()` is recorded
 * for that person (in this instance's memory) and handed to the browser as the `kw_wal` cookie (so another
 * instance behind the load balancer knows it too). That position is at or past the commit of everything
 * the request wrote. A later replica-eligible read by the same person goes to the replica only once the
 * replica's `pg_last_wal_replay_lsn()` has reached it; until then to the primary. A fixed "N seconds after a
 * write" window would be wrong both ways: too long wastes the replica, too short (a lag spike) shows a
 * person a screen without the change they just made.
 *
 * The replica is checked at most once a second (its replay position and how old its last replayed
 * transaction is); unreachable, not a standby, or more than `maxLagSeconds` behind a primary that has moved
 * on → every read goes to the primary, logged once per change of state, the URL's password masked.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'replica': this GET may read from the streaming replica (reads that can lag by a moment) */
    reads?: 'replica';
  }
  interface FastifyRequest {
    /** the database this request reads from: set for every request, see readDb() */
    readDb: Db | null;
  }
  interface FastifyInstance {
    reads: ReadRouter;
  }
}

export const WAL_COOKIE = 'kw_wal';
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A WAL position `X/Y` as one number, so two can be compared. */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/** The URL with its password masked, for the log. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an invalid URL)';
  }
}

type ReplicaState = { usable: boolean; replayLsn: bigint; reason: string | null; checkedAt: number };

export type ReadRouter = {
  /** where this person's replica-eligible read goes now */
  pick(key: string | null, cookieLsn?: string): Promise<{ db: Db; from: 'primary' | 'replica' }>;
  /** after a write: the primary's WAL position, remembered for `key`; null without a replica */
  noteWrite(key: string): Promise<string | null>;
  /** how many replica-eligible reads went where (tests and operators) */
  readonly counts: { primary: number; replica: number };
  /** the last check of the replica (null: none configured) */
  status(): { usable: boolean; reason: string | null } | null;
};

export type ReadRouterOptions = {
  primary: Database;
  replica?: Database | null;
  /** for the log only (masked) */
  replicaUrl?: string;
  /** the replica is not used while its last replayed transaction is older than this and the primary moved on */
  maxLagSeconds?: number;
  /** how long a check of the replica is reused (ms) */
  checkEveryMs?: number;
  log?: { warn(msg: string): void; info(msg: string): void };
};

export function createReadRouter(opts: ReadRouterOptions): ReadRouter {
  const primary = opts.primary.db;
  const replica = opts.primary.kind === 'postgres' && opts.replica ? opts.replica.db : null;
  const counts = { primary: 0, replica: 0 };
  const maxLag = opts.maxLagSeconds ?? 30;
  const every = opts.checkEveryMs ?? 1000;
  const where = opts.replicaUrl ? maskUrl(opts.replicaUrl) : 'the replica';
  // each person's last write position, in this instance (the cookie carries it to the others)
  const lastWrite = new Map<string, bigint>();
  let state: ReplicaState | null = null;
  let checking: Promise<ReplicaState> | null = null;

  async function check(): Promise<ReplicaState> {
    const at = Date.now();
    try {
      const [[r], [p]] = await Promise.all([
        queryRows<{ standby: boolean; lsn: string | null; age: number | null }>(
          replica!,
          sql`select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn,
                extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as age`,
        ),
        queryRows<{ lsn: string }>(primary, sql`select pg_current_wal_lsn()::text as lsn`),
      ]);
      if (!r.standby || !r.lsn) return { usable: false, replayLsn: 0n, reason: 'not a standby (promoted, or a primary)', checkedAt: at };
      const replay = lsnValue(r.lsn);
      const behind = replay < lsnValue(p.lsn);
      if (behind && r.age != null && r.age > maxLag)
        return { usable: false, replayLsn: replay, reason: `lagging ${Math.round(r.age)} s (more than ${maxLag} s)`, checkedAt: at };
      return { usable: true, replayLsn: replay, reason: null, checkedAt: at };
    } catch (err) {
      return {
        usable: false,
        replayLsn: 0n,
        reason: `unreachable (${(err as Error).message.replace(/postgres(ql)?:\/\/\S+/g, (u) => maskUrl(u))})`,
        checkedAt: at,
      };
    }
  }

  async function current(): Promise<ReplicaState> {
    if (state && Date.now() - state.checkedAt < every) return state;
    checking ??= check().then((s) => {
      // log once per change of state, never the password
      if (!s.usable && (state === null || state.usable || state.reason?.split(' ')[0] !== s.reason?.split(' ')[0]))
        opts.log?.warn(`read replica ${where} not used, reads go to the primary: ${s.reason}`);
      else if (s.usable && state && !state.usable) opts.log?.info(`read replica ${where} is back in use`);
      state = s;
      checking = null;
      return s;
    });
    return checking;
  }

  return {
    counts,
    status: () => (replica ? (state ? { usable: state.usable, reason: state.reason } : { usable: false, reason: 'not checked yet' }) : null),
    async pick(key, cookieLsn) {
      if (!replica) {
        counts.primary++;
        return { db: primary, from: 'primary' };
      }
      const s = await current();
      let mine = key ? (lastWrite.get(key) ?? 0n) : 0n;
      if (cookieLsn && LSN.test(cookieLsn)) {
        const c = lsnValue(cookieLsn);
        if (c > mine) mine = c;
      }
      if (s.usable && s.replayLsn >= mine) {
        // the replica has everything this person wrote: forget it
        if (key && mine > 0n) lastWrite.delete(key);
        counts.replica++;
        return { db: replica, from: 'replica' };
      }
      counts.primary++;
      return { db: primary, from: 'primary' };
    },
    async noteWrite(key) {
      if (!replica) return null;
      const [{ lsn }] = await queryRows<{ lsn: string }>(primary, sql`select pg_current_wal_lsn()::text as lsn`);
      lastWrite.delete(key); // re-insert: the map's order is the age, the oldest go first
      lastWrite.set(key, lsnValue(lsn));
      if (lastWrite.size > 50_000) lastWrite.delete(lastWrite.keys().next().value as string);
      return lsn;
    },
  };
}

/** The person a write or read belongs to: their user in their workspace (any session, this instance). */
function personOf(req: FastifyRequest): string | null {
  const a = req.actor as { workspaceId?: string; userId?: string; keyPersonId?: string } | null;
  if (!a?.workspaceId) return null;
  return `${a.workspaceId}:${a.userId ?? a.keyPersonId ?? ''}`;
}

/**
 * Sets `req.readDb` for every request (the replica or the primary for routes marked `reads: 'replica'`,
 * the primary for all others) and records the WAL position after each write. After installAuth.
 */
export function installReads(app: FastifyInstance, router: ReadRouter, primary: Db, opts: { secureCookies?: boolean } = {}) {
  app.decorate('reads', router);
  app.decorateRequest('readDb', null);
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config?.reads !== 'replica' || req.method !== 'GET') {
      req.readDb = primary;
      return;
    }
    const picked = await router.pick(personOf(req), req.cookies?.[WAL_COOKIE]);
    req.readDb = picked.db;
  });
  if (router.status() === null) return; // no replica: nothing to remember
  app.addHook('onSend', async (req, reply: FastifyReply, payload) => {
    const key = personOf(req);
    if (!key || !UNSAFE.has(req.method) || reply.statusCode >= 400) return payload;
    const lsn = await router.noteWrite(key).catch(() => null);
    // a minute is far past any lag the replica is used at (maxLagSeconds); the cookie says only a WAL position
    if (lsn) reply.setCookie(WAL_COOKIE, lsn, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies ?? false, path: '/', maxAge: 60 });
    return payload;
  });
}

/** The database a route reads from (see installReads). */
export function readDb(req: FastifyRequest): Db {
  if (!req.readDb) throw new Error('readDb: no database chosen for this request (installReads not run)');
  return req.readDb;
}
