/**
 * Optimistic concurrency (issue 17, point 2), one block per route family, over HTTP on a real database
 * (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): a stale edit gets 412 naming who changed the
 * record and changes nothing; a fresh one passes, bumps the version and the ETag; two edits from the
 * same version at once: exactly one passes.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../test/harness.js';
import { expectStatus, type Json, uniq } from '../test/fixtures.js';
import { parseIfMatch } from './concurrency.js';

let t: TestApp;
let admin: Client, sales: Client;

/** A request with extra headers (If-Match, X-KW-Client), as the signed-in `as`, in zh-CN unless said. */
const send = (
  as: Client,
  method: 'GET' | 'PATCH' | 'PUT' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  lang = 'zh-CN',
) => as.request(method, url, body, { 'accept-language': lang, ...headers });
const etag = (r: LightMyRequestResponse) => r.headers.etag as string | undefined;

beforeAll(async () => {
  t = await startTestApp();
  [admin, sales] = await Promise.all([t.as('admin'), t.as('sales')]);
});
afterAll(() => t?.close());

describe('If-Match parsing', () => {
  it('reads strong, weak and bare versions; * is any; anything else is invalid', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"abc"')).toBe('invalid');
  });
});

describe('accounts: PATCH /api/accounts/:id', () => {
  let id: string;
  const url = () => `/api/accounts/${id}`;
  beforeAll(async () => {
    id = expectStatus(await sales.post('/api/accounts', { name: uniq('并发客户'), industry: '制造', region: '华东', tags: ['a'] }), 201).id;
  });

  it('GET carries the version and an ETag that names it', async () => {
    const r = await send(sales, 'GET', url());
    const body = expectStatus(r, 200);
    expect(body.version).toBe(1);
    expect(etag(r)).toBe('"1"');
  });

  it('a fresh If-Match passes, bumps the version and changes the ETag', async () => {
    const before = await send(sales, 'GET', url());
    const r = await send(sales, 'PATCH', url(), { tags: ['a', 'b'] }, { 'if-match': etag(before)! });
    const body = expectStatus(r, 200);
    expect(body.version).toBe(before.json().version + 1);
    expect(etag(r)).toBe(`"${body.version}"`);
    expect(etag(r)).not.toBe(etag(before));
    expect(body.tags).toEqual(['a', 'b']);
  });

  it('a stale If-Match gets 412 naming who changed it and when, and changes nothing (the lost update of issue 17)', async () => {
    const snap = await send(sales, 'GET', url());
    // admin edits from the same snapshot first
    expectStatus(await send(admin, 'PATCH', url(), { tags: ['a', 'b', 'admin'] }, { 'if-match': etag(snap)! }), 200);
    const afterAdmin = expectStatus(await send(sales, 'GET', url()), 200);
    const r = await send(sales, 'PATCH', url(), { tags: ['sales-only'] }, { 'if-match': etag(snap)! });
    const body = expectStatus(r, 412);
    expect(body.error).toBe('precondition_failed');
    expect(body.message).toContain(t.w1.users.admin.name);
    expect(body.message).toMatch(/于 \d{2}-\d{2} \d{2}:\d{2} 修改了该客户/);
    const now = expectStatus(await send(sales, 'GET', url()), 200);
    expect(now.tags).toEqual(['a', 'b', 'admin']);
    expect(now.version).toBe(afterAdmin.version);
  });

  it('the version in the body works like If-Match, in English too', async () => {
    const cur = expectStatus(await send(sales, 'GET', url()), 200);
    const stale = await send(sales, 'PATCH', url(), { region: '华南', version: cur.version - 1 }, {}, 'en');
    expect(expectStatus(stale, 412).message).toMatch(/changed this account at \d{2}-\d{2} \d{2}:\d{2}/);
    const fresh = expectStatus(await send(sales, 'PATCH', url(), { region: '华南', version: cur.version }), 200);
    expect(fresh.version).toBe(cur.version + 1);
  });

  it('If-Match and a different body version is a 400; a malformed If-Match is a 400', async () => {
    const cur = expectStatus(await send(sales, 'GET', url()), 200);
    expectStatus(await send(sales, 'PATCH', url(), { region: '华北', version: cur.version }, { 'if-match': `"${cur.version + 5}"` }), 400);
    expectStatus(await send(sales, 'PATCH', url(), { region: '华北' }, { 'if-match': 'yesterday' }), 400);
    expect(expectStatus(await send(sales, 'GET', url()), 200).region).toBe('华南');
  });

  it('the console must name a version (428); other API clients may write last-writer-wins', async () => {
    const cur = expectStatus(await send(sales, 'GET', url()), 200);
    expectStatus(await send(sales, 'PATCH', url(), { region: '西南' }, { 'x-kw-client': 'console' }), 428);
    expect(expectStatus(await send(sales, 'GET', url()), 200).version).toBe(cur.version);
    const blind = expectStatus(await send(sales, 'PATCH', url(), { region: '西南' }), 200);
    expect(blind.version).toBe(cur.version + 1);
  });

  it('two PATCHes from the same version at once: exactly one 200, one 412', async () => {
    for (let round = 0; round < 5; round++) {
      const cur = await send(sales, 'GET', url());
      const [a, b] = await Promise.all([
        send(sales, 'PATCH', url(), { tags: [`x${round}`] }, { 'if-match': etag(cur)! }),
        send(admin, 'PATCH', url(), { tags: [`y${round}`] }, { 'if-match': etag(cur)! }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
      const winner = a.statusCode === 200 ? a : b;
      const now = expectStatus(await send(sales, 'GET', url()), 200);
      expect(now.tags).toEqual(winner.json().tags);
      expect(now.version).toBe(cur.json().version + 1);
    }
  });
});

describe('contacts: PATCH /api/contacts/:id', () => {
  let accountId: string;
  let contact: Json;
  beforeAll(async () => {
    accountId = expectStatus(await sales.post('/api/accounts', { name: uniq('联系人客户'), industry: '制造', region: '华东' }), 201).id;
    contact = expectStatus(await sales.post(`/api/accounts/${accountId}/contacts`, { name: uniq('联系人'), side: 'business_head' }), 201);
  });
  const listed = async () =>
    (expectStatus(await send(sales, 'GET', `/api/accounts/${accountId}`), 200).contacts as Json[]).find((c) => c.id === contact.id)!;

  it('the version is in the 360 list; fresh passes and bumps, stale gets 412 and changes nothing', async () => {
    expect(contact.version).toBe(1);
    const r = await send(sales, 'PATCH', `/api/contacts/${contact.id}`, { title: '总监', version: 1 });
    expect(expectStatus(r, 200).version).toBe(2);
    expect(etag(r)).toBe('"2"');
    expect((await listed()).version).toBe(2);
    const stale = expectStatus(await send(admin, 'PATCH', `/api/contacts/${contact.id}`, { title: '副总', version: 1 }), 412);
    expect(stale.message).toContain(t.w1.users.sales.name);
    expect(stale.message).toContain('联系人');
    expect((await listed()).title).toBe('总监');
  });

  it('two PATCHes from the same version at once: exactly one passes', async () => {
    const cur = await listed();
    const [a, b] = await Promise.all([
      send(sales, 'PATCH', `/api/contacts/${contact.id}`, { title: 'A', version: cur.version }),
      send(admin, 'PATCH', `/api/contacts/${contact.id}`, { title: 'B', version: cur.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect((await listed()).version).toBe(cur.version + 1);
  });
});

describe('tickets: commands (POST /api/tickets/:id/major, /pause, /resume) honour If-Match', () => {
  let id: string;
  const url = () => `/api/tickets/${id}`;
  beforeAll(async () => {
    const accountId = expectStatus(await admin.post('/api/accounts', { name: uniq('工单客户'), industry: '制造', region: '华东' }), 201).id;
    id = expectStatus(
      await admin.post('/api/tickets', {
        accountId,
        title: '并发工单',
        description: '两人同时处理',
        kind: 'product_issue',
        severity: 'high',
        channel: 'phone',
      }),
      201,
    ).id;
  });

  it('GET has version and ETag; a fresh If-Match passes and bumps; a stale one is 412 and changes nothing', async () => {
    const first = await send(admin, 'GET', url());
    expect(first.json().version).toBe(1);
    expect(etag(first)).toBe('"1"');
    const major = expectStatus(await send(admin, 'POST', `${url()}/major`, { reason: '影响产线' }, { 'if-match': '"1"' }), 200);
    expect(major.version).toBe(2);
    const second = await send(admin, 'GET', url());
    expect(etag(second)).toBe('"2"');
    const stale = expectStatus(await send(admin, 'POST', `${url()}/resolve`, { resolution: '已修复' }, { 'if-match': '"1"' }), 412);
    expect(stale.message).toContain('修改了该工单');
    expect(stale.message).toContain(t.w1.users.admin.name);
    const after = expectStatus(await send(admin, 'GET', url()), 200);
    expect(after.status).not.toBe('resolved');
    expect(after.version).toBe(2);
  });

  it('two commands from the same version at once: exactly one passes', async () => {
    const cur = await send(admin, 'GET', url());
    const [a, b] = await Promise.all([
      send(admin, 'POST', `${url()}/resolve`, { resolution: 'A 的方案' }, { 'if-match': etag(cur)! }),
      send(sales, 'POST', `${url()}/resolve`, { resolution: 'B 的方案' }, { 'if-match': etag(cur)! }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const now = expectStatus(await send(admin, 'GET', url()), 200);
    expect(now.version).toBe(cur.json().version + 1);
    expect(now.resolution).toBe((a.statusCode === 200 ? 'A' : 'B') + ' 的方案');
  });
});

describe('opportunities: moves (POST /api/opportunities/:id/stage, /incubation) honour If-Match', () => {
  let id: string;
  const url = () => `/api/opportunities/${id}`;
  beforeAll(async () => {
    const accountId = expectStatus(await admin.post('/api/accounts', { name: uniq('商机客户'), industry: '制造', region: '华东' }), 201).id;
    id = expectStatus(await admin.post(`/api/accounts/${accountId}/opportunities`, { title: '扩容需求', sourceKind: 'visit' }), 201).id;
  });

  it('GET has version and ETag; fresh passes and bumps; stale is 412 naming who moved it, and changes nothing', async () => {
    const first = await send(admin, 'GET', url());
    expect(first.json().version).toBe(1);
    expect(etag(first)).toBe('"1"');
    const moved = expectStatus(await send(admin, 'POST', `${url()}/stage`, { to: 'incubating' }, { 'if-match': '"1"' }), 200);
    expect(moved.version).toBe(2);
    expect(etag(await send(admin, 'GET', url()))).toBe('"2"');
    const stale = expectStatus(await send(admin, 'POST', `${url()}/stage`, { to: 'lost', reason: '预算取消' }, { 'if-match': '"1"' }), 412);
    expect(stale.message).toContain('修改了该商机');
    const now = expectStatus(await send(admin, 'GET', url()), 200);
    expect(now.stage).toBe('incubating');
    expect(now.version).toBe(2);
  });

  it('two moves from the same version at once: exactly one passes', async () => {
    const cur = await send(admin, 'GET', url());
    const [a, b] = await Promise.all([
      send(admin, 'POST', `${url()}/incubation`, { success: false, reason: '客户放弃' }, { 'if-match': etag(cur)! }),
      send(admin, 'POST', `${url()}/stage`, { to: 'lost', reason: '预算取消' }, { 'if-match': etag(cur)! }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(expectStatus(await send(admin, 'GET', url()), 200).version).toBe(cur.json().version + 1);
  });
});

describe('meetings: PATCH /api/meetings/:id and PUT /api/meetings/:id/minutes', () => {
  let id: string;
  const url = () => `/api/meetings/${id}`;
  beforeAll(async () => {
    const accountId = expectStatus(await admin.post('/api/accounts', { name: uniq('会议客户'), industry: '制造', region: '华东' }), 201).id;
    const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    id = expectStatus(
      await admin.post('/api/meetings', {
        accountId,
        kind: 'ad_hoc',
        cause: 'requirement_change',
        title: '需求变化沟通',
        startsAt: at(48),
        endsAt: at(49),
      }),
      201,
    ).id;
  });

  it('GET has version and ETag; minutes from a stale version get 412 and change nothing; fresh ones pass and bump', async () => {
    const first = await send(admin, 'GET', url());
    expect(first.json().version).toBe(1);
    expect(etag(first)).toBe('"1"');
    const saved = expectStatus(await send(admin, 'PUT', `${url()}/minutes`, { minutes: '第一版纪要', version: 1 }), 200);
    expect(saved.version).toBe(2);
    // someone who may not write the minutes is refused for that, not told who wrote them
    expectStatus(await send(sales, 'PUT', `${url()}/minutes`, { minutes: '覆盖的纪要' }, { 'if-match': '"1"' }), 403);
    const stale = expectStatus(await send(admin, 'PUT', `${url()}/minutes`, { minutes: '覆盖的纪要' }, { 'if-match': '"1"' }), 412);
    expect(stale.message).toContain(t.w1.users.admin.name);
    expect(stale.message).toContain('会议');
    const now = expectStatus(await send(admin, 'GET', url()), 200);
    expect(now.minutes).toBe('第一版纪要');
    expect(now.version).toBe(2);
    expect(etag(await send(admin, 'GET', url()))).toBe('"2"');
  });

  it('the console must name a version on PATCH (428); a stale reschedule is 412; a fresh one bumps', async () => {
    const cur = expectStatus(await send(admin, 'GET', url()), 200);
    expectStatus(await send(admin, 'PATCH', url(), { title: '改名' }, { 'x-kw-client': 'console' }), 428);
    expectStatus(await send(admin, 'PATCH', url(), { title: '改名', version: cur.version - 1 }), 412);
    const ok = expectStatus(await send(admin, 'PATCH', url(), { title: '改名', version: cur.version }), 200);
    expect(ok.version).toBe(cur.version + 1);
    expect(expectStatus(await send(admin, 'GET', url()), 200).title).toBe('改名');
  });

  it('two minutes saves from the same version at once: exactly one passes', async () => {
    const cur = expectStatus(await send(admin, 'GET', url()), 200);
    const [a, b] = await Promise.all([
      send(admin, 'PUT', `${url()}/minutes`, { minutes: 'A 的纪要', version: cur.version }),
      send(admin, 'PUT', `${url()}/minutes`, { minutes: 'B 的纪要', version: cur.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const now = expectStatus(await send(admin, 'GET', url()), 200);
    expect(now.minutes).toBe(a.statusCode === 200 ? 'A 的纪要' : 'B 的纪要');
    expect(now.version).toBe(cur.version + 1);
  });
});

describe('settings: PUT /api/settings/grading (a one-per-workspace record)', () => {
  const url = '/api/settings/grading';
  it('reads as version 0 on the default model; fresh saves bump; a stale one gets 412 naming who saved, and changes nothing', async () => {
    const first = await send(admin, 'GET', url);
    const { version, ...model } = expectStatus(first, 200);
    expect(version).toBe(0);
    expect(etag(first)).toBe('"0"');
    const saved = await send(admin, 'PUT', url, model, { 'if-match': '"0"' });
    expect(expectStatus(saved, 200).version).toBe(1);
    expect(etag(saved)).toBe('"1"');
    const changed = { ...model, thresholds: { ...model.thresholds, valueHigh: model.thresholds.valueHigh - 1 } };
    const stale = expectStatus(await send(admin, 'PUT', url, { ...changed, version: 0 }), 412);
    expect(stale.message).toContain(t.w1.users.admin.name);
    expect(stale.message).toContain('分级模型');
    const now = expectStatus(await send(admin, 'GET', url), 200);
    expect(now.thresholds.valueHigh).toBe(model.thresholds.valueHigh);
    expect(now.version).toBe(1);
    expectStatus(await send(admin, 'PUT', url, changed, { 'x-kw-client': 'console' }), 428);
  });

  it('two saves from the same version at once: exactly one passes', async () => {
    const { version, ...model } = expectStatus(await send(admin, 'GET', url), 200);
    const [a, b] = await Promise.all([send(admin, 'PUT', url, { ...model, version }), send(admin, 'PUT', url, { ...model, version })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(expectStatus(await send(admin, 'GET', url), 200).version).toBe(version + 1);
  });
});

describe('settings: PUT /api/meetings/settings', () => {
  const url = '/api/meetings/settings';
  it('version 0 until saved; a fresh If-Match passes and bumps; a stale one is 412 naming who saved, nothing changes; the race has one winner', async () => {
    const first = await send(admin, 'GET', url);
    expect(expectStatus(first, 200).version).toBe(0);
    expect(etag(first)).toBe('"0"');
    const saved = expectStatus(await send(admin, 'PUT', url, { meetingReminderMinutes: 45 }, { 'if-match': '"0"' }), 200);
    expect(saved.version).toBe(1);
    const stale = expectStatus(await send(admin, 'PUT', url, { meetingReminderMinutes: 15 }, { 'if-match': '"0"' }), 412);
    expect(stale.message).toContain('会议设置');
    expect(stale.message).toContain(t.w1.users.admin.name);
    expect(expectStatus(await send(admin, 'GET', url), 200)).toMatchObject({ meetingReminderMinutes: 45, version: 1 });
    const [a, b] = await Promise.all([
      send(admin, 'PUT', url, { dueReminderHours: 12, version: 1 }),
      send(admin, 'PUT', url, { dueReminderHours: 36, version: 1 }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    expect(expectStatus(await send(admin, 'GET', url), 200).version).toBe(2);
  });
});
