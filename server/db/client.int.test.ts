import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir, openPglite } from './client.js';
import { testDbKind } from '../test/test-db.js';

describe.runIf(testDbKind === 'pglite')('PGlite data folder lock', () => {
  it('a second process opening the same folder fails with a clear message and the data stays intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-lock-'));
    const d = await openPglite({ dataDir: dir });
    await d.migrate();
    await d.db.execute("insert into workspaces (name, slug) values ('Lock test', 'lock')" as never);
    const script = `import('${path.resolve('server/db/client.ts')}').then(m => m.openPglite({ dataDir: '${dir}' })).then(() => { console.log('OPENED'); process.exit(0) }, e => { console.error(e.message); process.exit(3) })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('already in use by process');
    expect(r.stdout).not.toContain('OPENED');
    await d.close();
    // after a clean close the folder opens again with its data
    const again = await openPglite({ dataDir: dir });
    const rows = (await again.db.execute('select slug from workspaces' as never)) as unknown as { rows: { slug: string }[] };
    expect(rows.rows.map((x) => x.slug)).toEqual(['lock']);
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a stale lock left by a dead process is taken over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-stale-'));
    fs.writeFileSync(path.join(dir, 'keyward.lock'), '999999');
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'keyward.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'keyward.lock'))).toBe(false);
  });
});
