// Backup and restore of the embedded PGlite database (PostgreSQL: use pg_dump / pg_restore).
//   npm run backup                      → backups/keyward-<timestamp>.tar.gz  (server must be stopped: the folder is locked)
//   npm run backup -- restore FILE DIR  → a new data folder DIR from FILE (DIR must not exist)
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.js';
import { openPglite } from '../server/db/client.js';

const [cmd, file, target] = process.argv.slice(2);
const config = loadConfig();
if (config.databaseUrl) {
  console.error('DATABASE_URL is set: back up PostgreSQL with pg_dump instead.');
  process.exit(2);
}

if (cmd === 'restore') {
  if (!file || !target) {
    console.error('usage: npm run backup -- restore FILE.tar.gz NEW_DATA_DIR');
    process.exit(2);
  }
  if (fs.existsSync(target)) {
    console.error(`${target} exists: restore only into a new folder.`);
    process.exit(2);
  }
  const d = await openPglite({ dataDir: target, loadDataDir: new Blob([fs.readFileSync(file)]) });
  const r = (await d.db.execute('select count(*)::int as n from accounts' as never)) as unknown as { rows: { n: number }[] };
  await d.close();
  console.log(`Restored into ${target} (${r.rows[0].n} accounts). Start with DATA_DIR=${target} npm start`);
} else {
  const d = await openPglite({ dataDir: config.dataDir });
  const client = (d.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client;
  const blob = await client.dumpDataDir('gzip');
  await d.close();
  fs.mkdirSync('backups', { recursive: true });
  const out = path.join('backups', `keyward-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`);
  fs.writeFileSync(out, Buffer.from(await blob.arrayBuffer()));
  console.log(`Wrote ${out} (${(blob.size / 1024 / 1024).toFixed(1)} MB)`);
}
