import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { startTestApp, type Client, type TestApp } from '../test/harness.js';
import { expectStatus, makeAccount, yuan, type Json } from '../test/fixtures.js';
import { cleanupIdempotencyKeys } from './idempotency.js';

let t: TestApp;
let manager: Client, sales: Client, csm: Client, manager2: Client, sales2: Client, csm2: Client;
let catalog: Json[], catalog2: Json[];
const itemId = (code: string, items = catalog) => items.find((i) => i.code === code)!.id as string;

/** A POST with an Idempotency-Key (the harness client sends none). */
function postWithKey(c: Client, url: string, body: unknown, key: string | undefined) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: c.cookie,
      'x-csrf-token': c.csrf,
      'accept-language': 'en',
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    payload: JSON.stringify(body),
  });
}
const bookingsUrl = (accountId: string) => `/api/accounts/${accountId}/value-add/bookings`;
const budgetOf = async (accountId: string, c: Client = csm) => expectStatus(await c.get(`/api/accounts/${accountId}/value-add/budget`), 200).budget;
const bookingsOf = async (accountId: string, c: Client = csm) =>
  expectStatus(await c.get(`/api/value-add/bookings?accountId=${accountId}`), 200).items as Json[];
const newAccount = () => makeAccount(sales, manager, 'A', { revenueTargetMinor: yuan(10_000_000) });

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, csm] = await Promise.all([t.as('manager'), t.as('sales'), t.as('csm')]);
  [manager2, sales2, csm2] = await Promise.all([t.as('manager', t.w2), t.as('sales', t.w2), t.as('csm', t.w2)]);
  catalog = expectStatus(await csm.get('/api/value-add/catalog'), 200).items;
  catalog2 = expectStatus(await csm2.get('/api/value-add/catalog'), 200).items;
});
afterAll(async () => {
  await t?.close();
});

describe('Idempotency-Key on a booking', () => {
  it('answers a repeated booking from the first one: same 201 and body, replay header, budget drawn once', async () => {
    const a = await newAccount();
    const before = await budgetOf(a.id);
    const key = randomUUID();
    const body = { catalogItemId: itemId('core.brainstorming') };
    const r1 = await postWithKey(csm, bookingsUrl(a.id), body, key);
    const first = expectStatus(r1, 201);
    expect(r1.headers['idempotent-replayed']).toBeUndefined();
    const r2 = await postWithKey(csm, bookingsUrl(a.id), body, key);
    expect(r2.statusCode).toBe(201);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.headers['content-type']).toBe(r1.headers['content-type']);
    expect(r2.body).toBe(r1.body);
    const after = await budgetOf(a.id);
    const drawn = before.remainingMinor - after.remainingMinor;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBe(first.booking.amountMinor);
    expect(after.committedMinor - before.committedMinor).toBe(first.booking.amountMinor);
    expect(await bookingsOf(a.id)).toHaveLength(1);
    // without a key, the same request books again, as it always did
    expectStatus(await postWithKey(csm, bookingsUrl(a.id), body, undefined), 201);
    expect(await bookingsOf(a.id)).toHaveLength(2);
  });

  it('refuses the same key for another body or another route with 422, changing nothing', async () => {
    const a = await newAccount();
    const key = randomUUID();
    expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key), 201);
    const before = JSON.stringify([await budgetOf(a.id), await bookingsOf(a.id)]);
    const other = expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.project_review') }, key), 422);
    expect(other.error).toBe('unprocessable');
    expect(other.message).toMatch(/Idempotency-Key was already used for a different request/);
    // another account's booking (same route, another path) is another request too
    const b = await newAccount();
    expectStatus(await postWithKey(csm, bookingsUrl(b.id), { catalogItemId: itemId('core.brainstorming') }, key), 422);
    expect(await bookingsOf(b.id)).toHaveLength(0);
    // another route (method + pattern) with the same key
    expectStatus(await postWithKey(csm, `/api/value-add/bookings/${randomUUID()}/cancel`, {}, key), 422);
    // another actor has a key space of its own
    expectStatus(await postWithKey(manager, bookingsUrl(b.id), { catalogItemId: itemId('core.brainstorming') }, key), 201);
    expect(JSON.stringify([await budgetOf(a.id), await bookingsOf(a.id)])).toBe(before);
    // in Chinese too
    const zh = await t.app.inject({
      method: 'POST',
      url: bookingsUrl(a.id),
      headers: {
        cookie: csm.cookie,
        'x-csrf-token': csm.csrf,
        'accept-language': 'zh-CN',
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      payload: JSON.stringify({ catalogItemId: itemId('core.case_visit') }),
    });
    expect(zh.statusCode).toBe(422);
  });

  it('keeps workspaces apart: the same key in w2 is a key of its own', async () => {
    const key = randomUUID();
    const a = await newAccount();
    const a2 = await makeAccount(sales2, manager2, 'A', { revenueTargetMinor: yuan(10_000_000) });
    const before2 = await budgetOf(a2.id, csm2);
    const r1 = await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key);
    expectStatus(r1, 201);
    const r2 = await postWithKey(csm2, bookingsUrl(a2.id), { catalogItemId: itemId('core.brainstorming', catalog2) }, key);
    const booked2 = expectStatus(r2, 201);
    expect(r2.headers['idempotent-replayed']).toBeUndefined();
    expect(booked2.booking.id).not.toBe(r1.json().booking.id);
    expect((await budgetOf(a2.id, csm2)).remainingMinor).toBe(before2.remainingMinor - booked2.booking.amountMinor);
    // and w1's key still replays w1's answer
    const again = await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key);
    expect([again.statusCode, again.headers['idempotent-replayed'], again.body]).toEqual([201, 'true', r1.body]);
  });

  it('does not spend the key on a 400: the corrected request runs', async () => {
    const a = await newAccount();
    const key = randomUUID();
    const bad = expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: 'not-a-uuid' }, key), 400);
    expect(bad.fields[0].field).toBe('catalogItemId');
    expect(await bookingsOf(a.id)).toHaveLength(0);
    const ok = await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key);
    expectStatus(ok, 201);
    expect(ok.headers['idempotent-replayed']).toBeUndefined();
    expect(await bookingsOf(a.id)).toHaveLength(1);
  });

  it('answers a malformed header with a 400 naming Idempotency-Key, and runs nothing', async () => {
    const a = await newAccount();
    for (const key of ['', 'has space', 'x'.repeat(256), 'ключ']) {
      const r = await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key);
      const body = expectStatus(r, 400);
      expect(body.message).toContain('Idempotency-Key');
      expect(body.fields[0].field).toBe('Idempotency-Key');
    }
    expect(await bookingsOf(a.id)).toHaveLength(0);
    expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, 'x'.repeat(255)), 201);
  });

  it('forgets keys after 24 hours: an old key is free again and the cleanup job removes it', async () => {
    const a = await newAccount();
    const key = randomUUID();
    expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.brainstorming') }, key), 201);
    await t.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = ${key}`);
    const r = await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.project_review') }, key);
    expectStatus(r, 201);
    expect(r.headers['idempotent-replayed']).toBeUndefined();
    await t.db.execute(sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = ${key}`);
    const fresh = randomUUID();
    expectStatus(await postWithKey(csm, bookingsUrl(a.id), { catalogItemId: itemId('core.case_visit') }, fresh), 201);
    await cleanupIdempotencyKeys(t.db);
    const left = await queryRows<{ key: string }>(t.db, sql`select key from idempotency_keys where key in (${key}, ${fresh})`);
    expect(left.map((r) => r.key)).toEqual([fresh]);
  });

  it('books once when requests with the same key race (one 201, the others 409 or the replay)', async () => {
    const a = await newAccount();
    const before = await budgetOf(a.id);
    const key = randomUUID();
    const body = { catalogItemId: itemId('core.brainstorming') };
    const rs = await Promise.all([1, 2, 3, 4].map(() => postWithKey(csm, bookingsUrl(a.id), body, key)));
    const seen = rs.map((r) => `${r.statusCode}${r.headers['idempotent-replayed'] ? ' replayed' : ''}`).join(', ');
    const fresh = rs.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(fresh, seen).toHaveLength(1);
    for (const other of rs.filter((r) => r !== fresh[0])) {
      if (other.statusCode === 201) expect([other.headers['idempotent-replayed'], other.body]).toEqual(['true', fresh[0].body]);
      else expect([other.statusCode, other.json().error], seen).toEqual([409, 'conflict']);
    }
    expect(await bookingsOf(a.id)).toHaveLength(1);
    expect(before.remainingMinor - (await budgetOf(a.id)).remainingMinor).toBe(fresh[0].json().booking.amountMinor);
  });
});
