import type { Socket } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from './config.js';
import { openDatabase, openPostgres, queryRows } from './db/client.js';
import { maskUrl } from './platform/reads.js';
import { buildApp } from './app.js';
import { createJobRunner } from './platform/jobs.js';
import { ensureSchedules, jobHandlers } from './jobs.js';
import { OUTREACH_BATCH_JOB } from './modules/outreach/index.js';
import { seedDemo } from './demo/seed.js';
import { startInboundSmtp } from './modules/service-desk/index.js';
import crypto from 'node:crypto';

const started = performance.now();
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
})();
const log = pino({ level: config.logLevel });

const database = await openDatabase(config).catch((err) => {
  log.fatal(err.message);
  process.exit(1);
});
// Migrate, and seed an empty database, under the start-up lock: several instances starting together
// on one PostgreSQL must not both find it empty and both seed (the second died on a unique key).
let logins: { role: string; email: string; password: string; name: string }[] = [];
let seeded = false;
await database.exclusive(async () => {
  await database.migrate();
  const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from workspaces`);
  if (n === 0 && config.seedDemo) {
    log.info('empty database: seeding the demo workspace');
    logins = (await seedDemo(database.db)).logins;
    seeded = true;
  }
});
// Planner statistics right after the demo seed: PGlite has no autovacuum daemon to gather them, and
// PostgreSQL's gets to new tables only after a while — without them some joins pick nested loops over
// thousands of rows (the collections aging took 130 ms instead of 4). They are kept in the database, so
// gather them after the seed here (and on PGlite every night with the vacuum job, jobs.ts), not on every restart.
if (seeded) await database.db.execute(sql`analyze`);
await ensureSchedules(database.db);

// First run without the demo: no workspace yet. The setup page needs this one-time token, so the first
// stranger to reach a public server cannot claim it; it is shown only here, in the log of this start.
const [{ n: workspaceCount }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from workspaces`);
const setupToken = workspaceCount === 0 ? crypto.randomBytes(18).toString('base64url') : null;

// a streaming replica for reads that may lag: PostgreSQL only; its pool connects when first used, so a
// replica that is down at start only sends those reads to the primary (platform/reads.ts)
if (config.replicaUrl && database.kind !== 'postgres') log.warn('DATABASE_REPLICA_URL is ignored without DATABASE_URL (PGlite has no replicas)');
const replica =
  config.replicaUrl && database.kind === 'postgres'
    ? await openPostgres(config.replicaUrl, { max: 10, applicationName: 'keyward-reads', connectionTimeoutMillis: 2000, quiet: true })
    : null;
if (replica) log.info(`reads that may lag go to the replica ${maskUrl(config.replicaUrl!)} (read-your-own-writes by WAL position)`);

const webDist = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../web/dist');
const app = await buildApp({
  database,
  logLevel: config.logLevel,
  secureCookies: config.secureCookies,
  webDist,
  publicUrl: config.publicUrl,
  trustProxy: config.trustProxy,
  admissionTimeoutMs: config.admissionTimeoutMs,
  replica,
  replicaUrl: config.replicaUrl,
  replicaMaxLagSeconds: config.replicaMaxLagSeconds,
  setupToken: () => setupToken,
});
const runner = createJobRunner(database.db, jobHandlers, { log: (o, m) => log.warn(o, m) });
// campaign sends get a runner of their own: a million-person send is hours of batches, and behind the one runner
// the events of the console's own writes would wait for it (or it for them); both claim with SKIP LOCKED. It may be
// held to KW_SEND_DUTY of the time (a pause after each batch; default 1, flat out — docs/performance.md says why).
const sendRunner = createJobRunner(database.db, jobHandlers, {
  only: [OUTREACH_BATCH_JOB],
  log: (o, m) => log.warn(o, m),
  pauseAfter: (ms) => ms * (1 / config.sendDuty - 1),
});
if (config.jobs) {
  runner.start();
  sendRunner.start();
}

// Connections accepted whose first request has not been read yet: a client about to be served. Shutdown waits
// for them (up to its settling bound) instead of closing them as idle — which resets the request on its way in.
const awaitingFirstRequest = new Set<Socket>();
app.server.on('connection', (socket: Socket) => {
  awaitingFirstRequest.add(socket);
  socket.once('close', () => awaitingFirstRequest.delete(socket));
});
app.server.prependListener('request', (req) => awaitingFirstRequest.delete(req.socket));
await app.listen({ port: config.port, host: config.host });
// the inbound SMTP gateway of the support mailboxes: only when the operator set a port (smtp-server is loaded only then)
const gateway = config.inboundSmtp
  ? await startInboundSmtp(database.db, {
      ...config.inboundSmtp,
      log: (o, m) => log.warn(o, m),
    })
  : null;
const ms = Math.round(performance.now() - started);
const lines = [
  '',
  `  Keyward is ready in ${ms} ms on ${database.kind === 'pglite' ? `PGlite (${path.resolve(config.dataDir)})` : 'PostgreSQL'}`,
  `  Console:  ${config.publicUrl}/`,
  `  Portal:   ${config.publicUrl}/portal`,
  `  API docs: ${config.publicUrl}/api/docs`,
  ...(gateway ? [`  Inbound mail (SMTP): ${config.inboundSmtp!.host}:${gateway.port}`] : []),
];
if (logins.length) {
  lines.push('', `  Demo logins (password for all: ${logins[0].password}):`);
  const seen = new Set<string>();
  for (const l of logins) {
    if (seen.has(l.role)) continue; // one per role; Settings › Users lists the rest
    seen.add(l.role);
    lines.push(`    ${l.role.padEnd(20)} ${l.email.padEnd(30)} ${l.name}`);
  }
  lines.push(`    (${logins.length - seen.size} more demo users share the same password)`);
} else if (setupToken) {
  lines.push(
    '',
    '  No workspace yet. Set Keyward up in the browser:',
    `    ${config.publicUrl}/setup   setup token: ${setupToken}`,
    '  or by command:  npm run setup -- --workspace "公司名" --admin-email you@example.com --admin-name 姓名',
  );
} else {
  lines.push('', '  Sign in at the console with your account (the demo workspace, if seeded: admin@demo.keyward.cn / Keyward2026!).');
}
console.log(`${lines.join('\n')}\n`);

// Graceful shutdown: stop taking connections, let in-flight requests finish, stop jobs, close the db.
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  // A freshly started instance is slow to read its sockets (cold caches; PGlite's WASM runs on this
  // thread): at the signal, connections may still wait in the listen backlog and requests sit unread in
  // their sockets. Closing the listener then reset them — 7–24 of 40 in-flight requests (issue 17).
  // So first let in what has arrived: keep accepting and reading until 100 ms pass without a new
  // connection or request and every accepted connection has sent its first request (2 s at most), and
  // answer everything from now on with Connection: close so keep-alive clients move off; only then stop
  // listening and drain.
  let lastArrival = performance.now();
  app.server.prependListener('request', (_req, res) => {
    lastArrival = performance.now();
    res.setHeader('connection', 'close');
  });
  app.server.on('connection', () => {
    lastArrival = performance.now();
  });
  const settleBy = performance.now() + 2000;
  while ((performance.now() - lastArrival < 100 || awaitingFirstRequest.size > 0) && performance.now() < settleBy) {
    await new Promise((r) => setTimeout(r, 20));
  }
  // server.close() ends only the keep-alive connections idle at that moment; one busy then stays open
  // once its response is sent (until the 72 s keep-alive timeout, past the 15 s grace: exit 1). Reap them as they go idle.
  // A connection still not closed after 10 s is cut, so the jobs and the database still close inside the grace.
  const reap = setInterval(() => app.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => app.server.closeAllConnections(), 10_000);
  await Promise.all([app.close(), gateway?.close()]);
  clearInterval(reap);
  clearTimeout(cut);
  await Promise.all([runner.stop(), sendRunner.stop()]);
  await replica?.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
