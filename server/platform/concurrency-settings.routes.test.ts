/**
 * Optimistic concurrency (issue 17, point 2) of the settings records and of bookings, over HTTP on a real
 * database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), one block per route family: a stale save
 * gets 412 naming who saved last and changes nothing; two saves from the same version at once: exactly one
 * passes; a console save without a version gets 428. (The first families are in concurrency.routes.test.ts.)
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../test/harness.js';
import { expectStatus, type Json, makeAccount, yuan } from '../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client;

/** A request with extra headers (If-Match, X-KW-Client), as the signed-in `as`, in zh-CN. */
const send = (as: Client, method: 'GET' | 'PATCH' | 'PUT' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
  as.request(method, url, body, { 'accept-language': 'zh-CN', ...headers });
const etag = (r: LightMyRequestResponse) => r.headers.etag as string | undefined;
const console_ = { 'x-kw-client': 'console' };

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm] = await Promise.all([t.as('admin'), t.as('manager'), t.as('sales'), t.as('csm')]);
});
afterAll(() => t?.close());

/**
 * The contract of one settings record: `read` gives its version, `save(v, change)` saves change number `change`
 * from version v (undefined: none), `value` reads what the change set, so "nothing changed" can be checked.
 */
type Family = {
  name: string;
  read: (as?: Client) => Promise<number>;
  save: (version: number | undefined, change: number, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  value: () => Promise<unknown>;
  noun: string;
  /** who saves (default admin) */
  by?: () => Client;
};

function suite(f: Family) {
  describe(`settings: ${f.name}`, () => {
    it('a fresh version passes and bumps; a stale one is 412 naming who saved, and changes nothing; the console must send one (428)', async () => {
      const v0 = await f.read();
      const ok = expectStatus(await f.save(v0, 1), 200);
      const v1 = await f.read();
      expect(v1).toBe(v0 + 1);
      if (typeof ok.version === 'number') expect(ok.version).toBe(v1);
      const saved = await f.value();
      const stale = expectStatus(await f.save(v0, 2), 412);
      expect(stale.error).toBe('precondition_failed');
      expect(stale.message).toContain(f.noun);
      expect(stale.message).toContain((f.by?.() ?? admin) === manager ? t.w1.users.manager.name : t.w1.users.admin.name);
      expect(await f.value()).toEqual(saved);
      expect(await f.read()).toBe(v1);
      // the console must name the version it showed; another API client may save blind (last writer wins)
      expectStatus(await f.save(undefined, 3, console_), 428);
      expect(await f.read()).toBe(v1);
      expectStatus(await f.save(undefined, 3), 200);
      expect(await f.read()).toBe(v1 + 1);
    });

    it('two saves from the same version at once: exactly one passes', async () => {
      for (let round = 0; round < 3; round++) {
        const v = await f.read();
        const [a, b] = await Promise.all([f.save(v, 4 + 2 * round), f.save(v, 5 + 2 * round)]);
        expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
        expect(await f.read()).toBe(v + 1);
      }
    });
  });
}

// ---- SLA calendar and policies: one GET, two PUTs, each with its own version
const sla = async () => expectStatus(await send(admin, 'GET', '/api/settings/sla'), 200);
suite({
  name: 'PUT /api/settings/sla/calendar',
  noun: '工作日历',
  read: async () => (await sla()).calendar.version,
  value: async () => (await sla()).calendar.name,
  save: async (version, change, headers) => {
    const { isDefault: _d, version: _v, ...cal } = (await sla()).calendar;
    return send(
      admin,
      'PUT',
      '/api/settings/sla/calendar',
      { ...cal, name: `日历 ${change}`, ...(version === undefined ? {} : { version }) },
      headers,
    );
  },
});
suite({
  name: 'PUT /api/settings/sla/policies',
  noun: 'SLA 策略',
  by: () => manager,
  read: async () => (await sla()).policiesVersion,
  value: async () => (await sla()).policies.find((p: Json) => p.tier === 'A' && p.severity === 'critical').firstResponseMinutes,
  save: (version, change, headers) =>
    send(
      manager,
      'PUT',
      '/api/settings/sla/policies',
      {
        policies: [
          { tier: 'A', severity: 'critical', firstResponseMinutes: 10 + change, nextResponseMinutes: 60, resolutionMinutes: 480, warnPct: 80 },
        ],
        ...(version === undefined ? {} : { version }),
      },
      headers,
    ),
});

// ---- health weights: one record per scope
const healthScope = async () =>
  (expectStatus(await send(admin, 'GET', '/api/health/models'), 200).models as Json[]).find((m) => m.scope === 'tier:B');
suite({
  name: 'PUT /api/health/models (per scope)',
  noun: '健康度权重',
  by: () => manager,
  read: async () => (await healthScope())?.version ?? 0,
  value: async () => (await healthScope())?.weights,
  save: (version, change, headers) =>
    send(
      manager,
      'PUT',
      '/api/health/models',
      {
        scope: 'tier:B',
        weights: { relationship: 20 + change, tickets: 20 - change, engagement: 20, value: 20, payment: 20 },
        amberBelow: 70,
        redBelow: 50,
        ...(version === undefined ? {} : { version }),
      },
      headers,
    ),
});

// ---- KPI weights
const kpi = async () => expectStatus(await send(admin, 'GET', '/api/kpi/settings'), 200);
suite({
  name: 'PUT /api/kpi/settings',
  noun: 'KPI 权重',
  by: () => manager,
  read: async () => {
    const r = await send(admin, 'GET', '/api/kpi/settings');
    expect(etag(r)).toBe(`"${r.json().version}"`);
    return r.json().version;
  },
  value: async () => (await kpi()).restrictPersonal,
  save: async (version, change, headers) => {
    const { weights } = await kpi();
    return send(
      manager,
      'PUT',
      '/api/kpi/settings',
      { weights, restrictPersonal: change % 2 === 1, ...(version === undefined ? {} : { version }) },
      headers,
    );
  },
});

// ---- value-add settings (the row is made on first read: version 1 then)
const valueAdd = async () => expectStatus(await send(admin, 'GET', '/api/value-add/settings'), 200);
suite({
  name: 'PUT /api/value-add/settings',
  noun: '增值服务设置',
  read: async () => (await valueAdd()).version,
  value: async () => (await valueAdd()).budgetRatioBp,
  save: (version, change, headers) =>
    send(admin, 'PUT', '/api/value-add/settings', { ratioPercent: 2 + change / 10, ...(version === undefined ? {} : { version }) }, headers),
});

// ---- commerce settings
const commerce = async () => expectStatus(await send(admin, 'GET', '/api/commerce/settings'), 200);
suite({
  name: 'PUT /api/commerce/settings',
  noun: '商务设置',
  read: async () => {
    const r = await send(admin, 'GET', '/api/commerce/settings');
    expect(etag(r)).toBe(`"${r.json().version}"`);
    return r.json().version;
  },
  value: async () => (await commerce()).renewalWindowDays,
  save: (version, change, headers) =>
    send(
      admin,
      'PUT',
      '/api/commerce/settings',
      { renewalWindowDays: 60 + change, orderYears: 2 },
      {
        ...headers,
        ...(version === undefined ? {} : { 'if-match': `"${version}"` }),
      },
    ),
});

// ---- workspace settings (a PATCH of the workspace row; the ticket counter does not bump its version)
const workspace = async () => expectStatus(await send(admin, 'GET', '/api/settings/workspace'), 200);
suite({
  name: 'PATCH /api/settings/workspace',
  noun: '工作区设置',
  read: async () => {
    const r = await send(admin, 'GET', '/api/settings/workspace');
    expect(etag(r)).toBe(`"${r.json().version}"`);
    return r.json().version;
  },
  value: async () => (await workspace()).name,
  save: (version, change, headers) =>
    send(admin, 'PATCH', '/api/settings/workspace', { name: `并发工作区 ${change}`, ...(version === undefined ? {} : { version }) }, headers),
});

// ---- single sign-on, support mailbox, webhook, notification preferences
const sso = async () => expectStatus(await send(admin, 'GET', '/api/settings/sso'), 200);
suite({
  name: 'PUT /api/settings/sso',
  noun: '单点登录设置',
  read: async () => (await sso()).version,
  value: async () => (await sso()).clientId,
  save: (version, change, headers) =>
    send(
      admin,
      'PUT',
      '/api/settings/sso',
      { issuer: 'https://idp.example.com', clientId: `client-${change}`, enabled: false, ...(version === undefined ? {} : { version }) },
      headers,
    ),
});
const mailbox = async () => expectStatus(await send(admin, 'GET', '/api/settings/email-in'), 200);
suite({
  name: 'PUT /api/settings/email-in',
  noun: '支持邮箱设置',
  read: async () => (await mailbox()).version,
  value: async () => (await mailbox()).imapFolder,
  save: (version, change, headers) =>
    send(
      admin,
      'PUT',
      '/api/settings/email-in',
      { address: 'support-versions@example.com', imapFolder: `Folder${change}`, ...(version === undefined ? {} : { version }) },
      headers,
    ),
});
const webhook = async () => expectStatus(await send(admin, 'GET', '/api/opportunities/webhook'), 200).webhook;
suite({
  name: 'PUT /api/opportunities/webhook',
  noun: 'Webhook 设置',
  read: async () => (await webhook())?.version ?? 0,
  value: async () => (await webhook())?.url,
  save: (version, change, headers) =>
    send(
      admin,
      'PUT',
      '/api/opportunities/webhook',
      { url: `https://crm.example.com/hook/${change}`, ...(version === undefined ? {} : { version }) },
      headers,
    ),
});

describe('settings: PUT /api/notifications/preferences (one person’s own record)', () => {
  const url = '/api/notifications/preferences';
  it('version 0 until saved; stale is 412 and changes nothing; the console must send one; two saves at once: one passes', async () => {
    const first = await send(sales, 'GET', url);
    expect(expectStatus(first, 200).version).toBe(0);
    expect(etag(first)).toBe('"0"');
    expect(expectStatus(await send(sales, 'PUT', url, { quietStart: '22:00', quietEnd: '07:00', version: 0 }), 200).version).toBe(1);
    const stale = expectStatus(await send(sales, 'PUT', url, { quietStart: '23:00', quietEnd: '06:00' }, { 'if-match': '"0"' }), 412);
    expect(stale.message).toContain('通知偏好');
    expect(expectStatus(await send(sales, 'GET', url), 200)).toMatchObject({ quietStart: '22:00', version: 1 });
    expectStatus(await send(sales, 'PUT', url, { quietStart: null, quietEnd: null }, console_), 428);
    const [a, b] = await Promise.all([
      send(sales, 'PUT', url, { quietStart: '21:00', quietEnd: '07:00', version: 1 }),
      send(sales, 'PUT', url, { quietStart: '20:00', quietEnd: '07:00', version: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(expectStatus(await send(sales, 'GET', url), 200).version).toBe(2);
  });
});

describe('bookings: approve / reject / cancel honour If-Match (optional)', () => {
  let accountId: string;
  /** a 3万 booking on a fresh C account with 2万 budget (2% of 100万): it waits for approval */
  const pendingBooking = async () => {
    accountId = (await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(1_000_000) })).id;
    const catalog = expectStatus(await send(csm, 'GET', '/api/value-add/catalog'), 200).items as Json[];
    const item = catalog.find((i) => i.code === 'core.brainstorming')!;
    const r = expectStatus(await send(csm, 'POST', `/api/accounts/${accountId}/value-add/bookings`, { catalogItemId: item.id }), 201);
    expect(r.booking.status).toBe('pending_approval');
    return r.booking as Json;
  };
  const listed = async (id: string) =>
    (expectStatus(await send(admin, 'GET', `/api/value-add/bookings?accountId=${accountId}`), 200).items as Json[]).find((b) => b.id === id)!;

  beforeAll(async () => {
    const s = expectStatus(await send(admin, 'GET', '/api/value-add/settings'), 200);
    expectStatus(await send(admin, 'PUT', '/api/value-add/settings', { overflowPolicy: 'approval', ratioPercent: 2, version: s.version }), 200);
  });

  it('the version is in the list; a stale If-Match is 412 naming who changed it and changes nothing; a fresh one passes and bumps', async () => {
    const b = await pendingBooking();
    expect(b.version).toBe(1);
    expect((await listed(b.id)).version).toBe(1);
    const approved = expectStatus(await send(admin, 'POST', `/api/value-add/bookings/${b.id}/approve`, undefined, { 'if-match': '"1"' }), 200);
    expect(approved.booking.version).toBe(2);
    const stale = expectStatus(await send(csm, 'POST', `/api/value-add/bookings/${b.id}/cancel`, undefined, { 'if-match': '"1"' }), 412);
    expect(stale.message).toContain(t.w1.users.admin.name);
    expect(stale.message).toContain('预订');
    expect(await listed(b.id)).toMatchObject({ status: 'booked', version: 2 });
    // commands never require a version, also from the console
    const cancelled = expectStatus(await send(csm, 'POST', `/api/value-add/bookings/${b.id}/cancel`, undefined, console_), 200);
    expect(cancelled.booking).toMatchObject({ status: 'cancelled', version: 3 });
    // the account's plan carries each task's booking with its version (the cancel there sends it)
    const tasks = expectStatus(await send(csm, 'GET', `/api/accounts/${accountId}/value-add/tasks`), 200).items as Json[];
    expect(tasks.find((x) => x.booking?.id === b.id)?.booking.version).toBe(3);
  });

  it('approve and reject from the same version at once: exactly one applies', async () => {
    const b = await pendingBooking();
    const [a, r] = await Promise.all([
      send(admin, 'POST', `/api/value-add/bookings/${b.id}/approve`, undefined, { 'if-match': `"${b.version}"` }),
      send(manager, 'POST', `/api/value-add/bookings/${b.id}/reject`, { reason: '预算不足' }, { 'if-match': `"${b.version}"` }),
    ]);
    expect([a.statusCode, r.statusCode].sort()).toEqual([200, 412]);
    const now = await listed(b.id);
    expect(now.version).toBe(b.version + 1);
    expect(now.status).toBe(a.statusCode === 200 ? 'booked' : 'rejected');
  });
});
