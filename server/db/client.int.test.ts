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

describe.runIf(testDbKind === 'pglite')('PGlite and the event loop', () => {
  it('requests running statement after statement leave the event loop its I/O turns: a socket is read between them, not after them all', async () => {
    const d = await openPglite({});
    try {
      const net = await import('node:net');
      const server = net.createServer((s) => s.end('x'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      let done = 0;
      let doneWhenRead = -1;
      // like the server under load: four admitted requests, each running its statements one after another
      const worker = async () => {
        for (let i = 0; i < 50; i++) {
          await d.db.execute('select count(*) from generate_series(1, 200)' as never);
          done++;
        }
      };
      const sock = net.connect(port, '127.0.0.1');
      sock.on('data', () => {
        doneWhenRead = done;
      });
      await Promise.all([worker(), worker(), worker(), worker()]);
      await new Promise((r) => setTimeout(r, 50));
      sock.destroy();
      server.close();
      // without a turn of the event loop after each statement the four chains run as microtasks to the end
      // before the connection is even accepted: the socket would be read at 200
      expect(doneWhenRead).toBeGreaterThanOrEqual(0);
      expect(doneWhenRead).toBeLessThan(100);
    } finally {
      await d.close();
    }
  });
});
