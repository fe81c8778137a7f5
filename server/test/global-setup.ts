import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

/**
 * Migrates a template database once per run; each test file then clones it
 * (PGlite: load the dumped data dir; PostgreSQL: CREATE DATABASE … TEMPLATE …) — never initdb per test.
 */
export default async function setup(project: TestProject) {
  const kind = process.env.KW_TEST_DB ?? project.config.env?.KW_TEST_DB ?? 'pglite';
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `kw_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const d = await openPostgres(u.toString(), { max: 1 });
    await d.migrate();
    await d.close();
    project.provide('postgresTemplate', name);
    return async () => {
      // drop the template and any clones a crashed worker left behind
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`kw_%_${process.pid}_%`]);
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const d = await openPglite({});
  await d.migrate();
  const dump = await (d.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client.dumpDataDir('none');
  await d.close();
  const file = path.join(os.tmpdir(), `kw-template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(file, { force: true });
}
