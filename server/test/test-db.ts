import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../db/client.js';

export const testDbKind = (process.env.KW_TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh database for one test file, cloned from the run's migrated template. */
export async function openTestDatabase(): Promise<Database> {
  if (testDbKind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = inject('postgresTemplate');
    const name = template.replace('kw_tpl_', `kw_t${Math.random().toString(36).slice(2, 8)}_`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // two workers cloning the same template at once can collide: retry briefly
    for (let i = 0; ; i++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err) {
        if (i > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    const u = new URL(url);
    u.pathname = `/${name}`;
    const d = await openPostgres(u.toString(), { max: 10 });
    return {
      ...d,
      async close() {
        await d.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const file = inject('pgliteTemplate');
  const blob = new Blob([fs.readFileSync(file)]);
  return openPglite({ loadDataDir: blob });
}
