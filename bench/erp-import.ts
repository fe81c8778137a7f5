/**
 * ERP import benchmark (issue 16 point 6), not part of `npm test`: a 50,000-row payments CSV imported through the
 * real route (`POST /api/commerce/import/payments`, over HTTP, as a manager), against a raw `COPY` of the same
 * file into a scratch table with the same columns, in the same run, on PGlite and on PostgreSQL.
 *
 *   npm run bench -- erp-import
 *   BENCH_ROWS=5000 BENCH_SKIP_PGLITE=1 npx tsx bench/erp-import.ts
 *
 * The route does what COPY does not: reads and checks every cell, resolves every contract number, refuses the
 * file if one row is wrong, writes in 1,000-row INSERTs in one transaction and regrades the touched accounts once.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { buildApp } from '../server/app.js';
import { queryRows, type Database } from '../server/db/client.js';
import { users, workspaces } from '../server/db/schema.js';
import { hashPassword } from '../server/platform/passwords.js';
import { fmt, onBothDatabases } from './lib.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const ACCOUNTS = 50;
const PASSWORD = 'Bench-pass-2026';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The payments file of run `rep`: its own ERP ids, so each run writes every row. */
function paymentsCsv(rep: number) {
  const lines = ['ERP ID,Contract number,Received on,Amount received (CNY),Reference'];
  for (let i = 0; i < ROWS; i++) {
    const d = new Date(Date.UTC(2025, 0, 1) + (i % 540) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      `R${rep}-${String(i).padStart(6, '0')},HT-B-${String(i % ACCOUNTS).padStart(3, '0')},${d},${1000 + (i % 997)}.${String(i % 100).padStart(2, '0')},BANK-${i}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The same rows as the import stores them (ids resolved, yuan in fen), for a COPY into a copy of the real table. */
function resolvedCsv(rep: number, workspaceId: string, contracts: { id: string; accountId: string }[]) {
  const lines: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const d = new Date(Date.UTC(2025, 0, 1) + (i % 540) * 86_400_000).toISOString().slice(0, 10);
    const c = contracts[i % ACCOUNTS];
    lines.push(`${workspaceId},${c.accountId},${c.id},${d},${(1000 + (i % 997)) * 100 + (i % 100)},BANK-${i},R${rep}-${String(i).padStart(6, '0')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** COPY FROM STDIN over node-postgres (no pg-copy-streams here): a Query that answers the server's CopyIn with the file. */
function copyIn(client: pg.PoolClient, text: string, data: Buffer) {
  const Query = pg.Query as unknown as new (t: string, v: unknown[] | undefined, cb: (err: Error | null) => void) => object;
  return new Promise<void>((resolve, reject) => {
    const q = new Query(text, undefined, (err) => (err ? reject(err) : resolve()));
    (q as { handleCopyInResponse: (c: unknown) => void }).handleCopyInResponse = (con) => {
      const c = con as { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void };
      c.sendCopyFromChunk(data);
      c.endCopyFrom();
    };
    client.query(q as unknown as pg.QueryConfig);
  });
}

/** COPY of `data` into `table` (emptied first); milliseconds. */
async function copyInto(d: Database, table: string, columns: string, data: Buffer, header: boolean) {
  const copy = `COPY ${table} ${columns} FROM STDIN WITH (FORMAT csv, HEADER ${header})`;
  await d.db.execute(sql.raw(`truncate ${table}`));
  const t = performance.now();
  if (d.kind === 'pglite') {
    const client = (d.db as unknown as { $client: PGlite }).$client;
    await client.query(copy.replace('STDIN', "'/dev/blob'"), [], { blob: new Blob([data]) });
  } else {
    const client = await (d.db as unknown as { $client: pg.Pool }).$client.connect();
    try {
      await copyIn(client, copy, data);
    } finally {
      client.release();
    }
  }
  const ms = performance.now() - t;
  const [{ n }] = await queryRows<{ n: number }>(d.db, sql.raw(`select count(*)::int as n from ${table}`));
  if (n !== ROWS) throw new Error(`COPY into ${table} wrote ${n} rows, not ${ROWS}`);
  return ms;
}

await onBothDatabases('erp', async (label, d) => {
  const [ws] = await d.db.insert(workspaces).values({ name: 'ERP bench', slug: 'erp-bench' }).returning();
  await d.db
    .insert(users)
    .values({ workspaceId: ws.id, email: 'lead@erp-bench.test', name: '经理', role: 'manager', passwordHash: await hashPassword(PASSWORD) });
  // the raw baseline: the same columns as the file, typed as a careful hand-written table would be
  await d.db.execute(
    sql.raw('create table bench_payments_raw (external_ref text, contract_number text, received_on date, amount_yuan numeric(18,2), reference text)'),
  );
  // and, to tell the database's share from ours: a copy of the real table with its indexes and checks (no foreign keys)
  await d.db.execute(sql.raw('create table bench_payments_like (like payments including all)'));
  const app = await buildApp({ database: d, logLevel: 'silent' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lead@erp-bench.test', password: PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as { id: string };
    };
    const contracts: { id: string; accountId: string }[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const a = await call('POST', '/api/accounts', { name: `压测客户${i}`, industry: '制造', region: '华东' });
      const c = await call('POST', `/api/accounts/${a.id}/contracts`, {
        number: `HT-B-${String(i).padStart(3, '0')}`,
        title: '年度合同',
        amountMinor: 500_000_000,
        signedOn: '2025-01-01',
        startsOn: '2025-01-01',
        endsOn: '2026-12-31',
      });
      contracts.push({ id: c.id, accountId: a.id });
    }
    const upload = async (data: string) => {
      const form = new FormData();
      form.append('file', new Blob([data], { type: 'text/csv' }), 'payments.csv');
      const t = performance.now();
      const r = await fetch(`${base}/api/commerce/import/payments`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'accept-language': 'en' },
        body: form,
      });
      const ms = performance.now() - t;
      const body = (await r.json()) as { imported: number; skipped: number };
      if (r.status !== 200) throw new Error(`import: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms, ...body };
    };

    const route: number[] = [];
    const copy: number[] = [];
    const like: number[] = [];
    let again = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const file = paymentsCsv(rep);
      const r = await upload(file);
      if (r.imported !== ROWS) throw new Error(`imported ${r.imported}, not ${ROWS}`);
      route.push(r.ms);
      copy.push(await copyInto(d, 'bench_payments_raw', '', Buffer.from(file), true));
      like.push(
        await copyInto(
          d,
          'bench_payments_like',
          '(workspace_id, account_id, contract_id, received_on, amount_minor, reference, external_ref)',
          Buffer.from(resolvedCsv(rep, ws.id, contracts)),
          false,
        ),
      );
      if (rep === 0) {
        const re = await upload(file); // the same file again: every row skipped
        if (re.imported !== 0 || re.skipped !== ROWS) throw new Error(`re-import wrote ${re.imported}`);
        again = re.ms;
      }
    }
    const [{ n }] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from payments where workspace_id = ${ws.id}`);
    if (n !== ROWS * REPS) throw new Error(`payments table holds ${n}, not ${ROWS * REPS}`);
    const bytes = Buffer.byteLength(paymentsCsv(0));
    console.log(
      `${label}: ${ROWS.toLocaleString('en')}-row payments CSV (${(bytes / 1024 / 1024).toFixed(1)} MB), median of ${REPS}: ` +
        `import route ${fmt(median(route))} [${route.map(fmt).join(', ')}], raw COPY ${fmt(median(copy))} [${copy.map(fmt).join(', ')}], ` +
        `ratio ${(median(route) / median(copy)).toFixed(1)}×; COPY into a copy of payments (indexes, checks) ${fmt(median(like))} ` +
        `(${(median(route) / median(like)).toFixed(1)}×); re-import of the same file (all skipped) ${fmt(again)}`,
    );
  } finally {
    await app.close();
  }
});
