// The operator's commands as an operator runs them (the compiled `dist/cli.js`, as `npm run setup` and
// `npm run workspaces` do), on the demo installation: a second workspace by command, its admin signs in and
// sees nothing of the first; the setup command is idempotent; bad input exits non-zero with a message.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, DEMO_PASSWORD, START_TIMEOUT_MS } from './drill-support.js';
import { ensureBuilt, httpLogin, spawnServer, type ServerProcess } from './server-process.js';

const ADMIN2 = { email: 'it@huanan.example.com', password: 'Huanan-admin-2026' };

function cli(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the operator commands', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-operator-'));
  let server: ServerProcess;
  beforeAll(async () => {
    ensureBuilt();
    // the demo installation first (its seed runs at the first start), then stopped: PGlite is one process per folder
    server = await spawnServer({ dataDir, timeoutMs: START_TIMEOUT_MS });
    await server.kill('SIGTERM');
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a second workspace; setup again changes nothing; bad input exits non-zero, saying what is wrong', () => {
    const made = cli(
      dataDir,
      ['setup', '--workspace', '华南电子', '--slug', 'huanan', '--admin-email', ADMIN2.email, '--admin-name', '赵工', '--timezone', 'Asia/Shanghai'],
      { KW_ADMIN_PASSWORD: ADMIN2.password },
    );
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain('huanan');
    const again = cli(dataDir, ['setup', '--workspace', '华南电子', '--slug', 'huanan', '--admin-email', ADMIN2.email], {
      KW_ADMIN_PASSWORD: ADMIN2.password,
    });
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Nothing changed');
    const otherAdmin = cli(dataDir, ['setup', '--workspace', '华南电子', '--slug', 'huanan', '--admin-email', 'someone@else.com']);
    expect(otherAdmin.code).toBe(1);
    const badZone = cli(dataDir, ['workspaces', 'create', '--workspace', 'X', '--admin-email', 'x@x.com', '--timezone', 'Mars/Olympus']);
    expect(badZone.code).toBe(1);
    expect(badZone.out).toContain('Mars/Olympus');
    expect(cli(dataDir, ['workspaces', 'frobnicate']).code).toBe(2);
    const list = cli(dataDir, ['workspaces', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/demo\s+云帆服务云\s+active/);
    expect(list.out).toMatch(/huanan\s+华南电子\s+active/);
  });

  it(
    "the new workspace's admin signs in and sees nothing of the demo's; suspending it signs everybody out",
    async () => {
      server = await spawnServer({ dataDir, timeoutMs: START_TIMEOUT_MS });
      const demo = await httpLogin(server.url, ADMIN, DEMO_PASSWORD);
      const demoAccounts = (await (await fetch(`${server.url}/api/accounts?pageSize=100`, { headers: demo.headers })).json()) as {
        total: number;
        items: { id: string }[];
      };
      expect(demoAccounts.total).toBeGreaterThan(30);
      const hn = await httpLogin(server.url, ADMIN2.email, ADMIN2.password);
      const me = (await (await fetch(`${server.url}/api/auth/me`, { headers: hn.headers })).json()) as { role: string; workspace: { name: string } };
      expect(me).toMatchObject({ role: 'admin', workspace: { name: '华南电子' } });
      const own = (await (await fetch(`${server.url}/api/accounts`, { headers: hn.headers })).json()) as { total: number };
      expect(own.total).toBe(0);
      const users = (await (await fetch(`${server.url}/api/users`, { headers: hn.headers })).json()) as { items: { email: string }[] };
      expect(users.items.map((u) => u.email)).toEqual([ADMIN2.email]);
      const foreign = await fetch(`${server.url}/api/accounts/${demoAccounts.items[0].id}`, { headers: hn.headers });
      expect(foreign.status).toBe(404);
      await server.kill('SIGTERM');

      expect(cli(dataDir, ['workspaces', 'suspend', 'huanan']).code).toBe(0);
      server = await spawnServer({ dataDir, timeoutMs: START_TIMEOUT_MS });
      const refused = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify(ADMIN2),
      });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { message: string }).message).toContain('suspended');
      // the demo workspace is untouched
      expect((await httpLogin(server.url, ADMIN, DEMO_PASSWORD)).csrf).toBeTruthy();
    },
    START_TIMEOUT_MS,
  );
});
