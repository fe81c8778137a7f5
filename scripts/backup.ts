// Backup and restore, one command each, for both databases.
//   npm run backup                          PGlite (DATA_DIR): backups/keyward-<ts>.tar.gz   (stop the server first: the folder is locked)
//                                           PostgreSQL (DATABASE_URL set): pg_dump -Fc → backups/keyward-<ts>.dump   (server may keep running)
//   npm run backup -- restore FILE TARGET   FILE.tar.gz → TARGET, a new PGlite data folder (must not exist)
//                                           FILE.dump   → TARGET, a NEW PostgreSQL database: a URL, or a name on the
//                                           server of DATABASE_URL; created if missing, refused if it exists and is not empty
// BACKUP_DIR changes where backups are written (default ./backups).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { openPglite } from '../server/db/client.js';

const [cmd, file, target] = process.argv.slice(2);
const config = loadConfig();
const backupDir = process.env.BACKUP_DIR || 'backups';
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function run(bin: string, args: string[]) {
  const r = spawnSync(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) fail(`${bin}: ${r.error.message} (install the PostgreSQL client tools, version ≥ the server's)`, 1);
  if (r.status !== 0) fail(`${bin} failed with exit code ${r.status}`, 1);
}

/** TARGET as a URL: itself when it is one, else the database of that name on DATABASE_URL's server. */
function targetUrl(t: string): URL {
  if (/^postgres(ql)?:\/\//.test(t)) return new URL(t);
  if (!config.databaseUrl) fail(`TARGET "${t}" is a database name: set DATABASE_URL (the server to create it on), or give a full postgres:// URL.`);
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(t)) fail(`"${t}" is not a plain database name.`);
  const u = new URL(config.databaseUrl);
  u.pathname = `/${t}`;
  return u;
}

async function withClient<T>(url: URL, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates the target database, or accepts an existing one only if it has no tables of its own. */
async function prepareTarget(url: URL) {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) fail('the target URL names no database.');
  const admin = new URL(url.toString());
  admin.pathname = '/postgres';
  const exists = await withClient(admin, async (c) => (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0);
  if (!exists) {
    await withClient(admin, (c) => c.query(`create database "${name.replace(/"/g, '""')}"`));
    return;
  }
  const n = await withClient(url, async (c) => {
    const r = await c.query(`select count(*)::int as n from pg_class k join pg_namespace s on s.oid = k.relnamespace
                             where s.nspname not in ('pg_catalog', 'information_schema') and s.nspname not like 'pg_toast%' and k.relkind in ('r', 'p', 'v', 'm', 'S')`);
    return r.rows[0].n as number;
  });
  if (n > 0) fail(`database "${name}" exists and is not empty (${n} relations): restore only into a new or empty database.`);
}

const usage =
  'usage: npm run backup                         (back up the configured database)\n       npm run backup -- restore FILE TARGET   (FILE.tar.gz → new PGlite folder; FILE.dump → new PostgreSQL database URL or name)';

if (cmd === 'restore') {
  if (!file || !target) fail(usage);
  if (!fs.existsSync(file)) fail(`${file} does not exist.`);
  if (file.endsWith('.dump')) {
    const url = targetUrl(target);
    await prepareTarget(url);
    run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url.toString(), file]);
    const n = await withClient(url, async (c) => (await c.query('select count(*)::int as n from accounts')).rows[0].n as number);
    const shown = new URL(url.toString());
    if (shown.password) shown.password = '***';
    console.log(`Restored into ${shown} (${n} accounts). Start with DATABASE_URL=${shown} npm start`);
  } else {
    if (fs.existsSync(target)) fail(`${target} exists: restore only into a new folder.`);
    const d = await openPglite({ dataDir: target, loadDataDir: new Blob([fs.readFileSync(file)]) });
    const r = (await d.db.execute('select count(*)::int as n from accounts' as never)) as unknown as { rows: { n: number }[] };
    await d.close();
    console.log(`Restored into ${target} (${r.rows[0].n} accounts). Start with DATA_DIR=${target} npm start`);
  }
} else if (cmd === undefined || cmd === 'backup') {
  fs.mkdirSync(backupDir, { recursive: true });
  if (config.databaseUrl) {
    const out = path.join(backupDir, `keyward-${stamp()}.dump`);
    run('pg_dump', ['--format=custom', '--file', out, '--dbname', config.databaseUrl]);
    console.log(`Wrote ${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB)`);
  } else {
    const d = await openPglite({ dataDir: config.dataDir });
    const client = (d.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client;
    const blob = await client.dumpDataDir('gzip');
    await d.close();
    const out = path.join(backupDir, `keyward-${stamp()}.tar.gz`);
    fs.writeFileSync(out, Buffer.from(await blob.arrayBuffer()));
    console.log(`Wrote ${out} (${(blob.size / 1024 / 1024).toFixed(1)} MB)`);
  }
} else fail(usage);
