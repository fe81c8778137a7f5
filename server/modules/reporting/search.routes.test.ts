// Find and follow (issue 19): the global search (Ctrl+K) and the account timeline, over HTTP on a real database
// (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), scoped by the one account-visibility rule.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, channel: Client, admin2: Client;
let heavy: Json, partnerAcc: Json, other: Json, contact: Json, ticket: Json, opp: Json, meeting: Json;
const tag = Math.random().toString(36).slice(2, 6);

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, channel] = await Promise.all(
    (['admin', 'manager', 'sales', 'csm', 'channel_implementer'] as const).map((r) => t.as(r)),
  );
  admin2 = await t.as('admin', t.w2);
  heavy = await makeAccount(sales, manager, 'A', { name: `华东重工集团${tag}` });
  // channel accounts are always tier E
  partnerAcc = expectStatus(
    await sales.post('/api/accounts', { name: `西南重工渠道${tag}`, industry: '制造', region: '西南', channelPartnerId: t.w1.partnerId }),
    201,
  );
  // the other workspace has a look-alike: it must never appear
  other = expectStatus(await admin2.post('/api/accounts', { name: `华东重工集团${tag}`, industry: '制造', region: '华东' }), 201);
  contact = expectStatus(
    await sales.post(`/api/accounts/${heavy.id}/contacts`, {
      name: `欧阳明月${tag}`,
      side: 'business_head',
      email: `ouyang.${tag}@heavy.test`,
      phone: '13800138000',
    }),
    201,
  );
  ticket = expectStatus(
    await csm.post('/api/tickets', {
      accountId: heavy.id,
      title: `液压泵站异响${tag}`,
      description: '二号泵站运行时有异响',
      kind: 'product_issue',
      severity: 'high',
    }),
    201,
  );
  expectStatus(
    await csm.post('/api/tickets', {
      accountId: partnerAcc.id,
      title: `液压阀门渗漏${tag}`,
      description: '渗漏',
      kind: 'product_issue',
      severity: 'low',
    }),
    201,
  );
  expectStatus(
    await admin2.post('/api/tickets', { accountId: other.id, title: `液压泵站异响${tag}`, description: 'x', kind: 'product_issue', severity: 'low' }),
    201,
  );
  opp = expectStatus(
    await csm.post(`/api/accounts/${heavy.id}/opportunities`, { title: `泵站智能化改造${tag}`, sourceKind: 'visit', amountMinor: 30_000_000 }),
    201,
  );
  const start = new Date(Date.now() + 48 * 3_600_000);
  meeting = expectStatus(
    await sales.post('/api/meetings', {
      accountId: heavy.id,
      kind: 'ad_hoc',
      cause: 'requirement_change',
      title: `泵站改造方案沟通${tag}`,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
    }),
    201,
  );
});
afterAll(async () => t?.close());

const search = async (c: Client, q: string, extra = '') => expectStatus(await c.get(`/api/search?q=${encodeURIComponent(q)}${extra}`), 200);
const group = (r: Json, kind: string) => (r.groups as Json[]).find((g) => g.kind === kind)!;
const ids = (r: Json, kind: string) => (group(r, kind)?.items ?? []).map((i: Json) => i.id);

describe('GET /api/search', () => {
  it('finds Chinese text by any substring of 3+ characters, grouped by kind, each with a link to its record', async () => {
    const r = await search(manager, '重工集');
    expect(r.mode).toBe('substring');
    expect(ids(r, 'account')).toEqual([heavy.id]);
    const acc = group(r, 'account').items[0];
    expect(acc).toMatchObject({ kind: 'account', title: heavy.name, status: 'A', link: `/accounts/${heavy.id}` });

    const pump = await search(manager, `泵站异响${tag}`);
    expect(ids(pump, 'ticket')).toEqual([ticket.id]);
    expect(group(pump, 'ticket').items[0]).toMatchObject({
      accountId: heavy.id,
      accountName: heavy.name,
      link: `/service-desk/tickets/${ticket.id}`,
    });

    const both = await search(manager, `泵站`);
    expect(both.mode).toBe('prefix');
    // "泵站…" starts the opportunity and the meeting titles; the ticket has it inside ("液压泵站…"): prefix only below 3 characters
    expect(ids(both, 'opportunity')).toContain(opp.id);
    expect(ids(both, 'meeting')).toContain(meeting.id);
    expect(ids(both, 'ticket')).not.toContain(ticket.id);
    expect(group(both, 'opportunity').items.find((i: Json) => i.id === opp.id).link).toBe(`/opportunities?open=${opp.id}`);
    expect(group(both, 'meeting').items.find((i: Json) => i.id === meeting.id).link).toBe(`/meetings/${meeting.id}`);
  });

  it('finds accounts by any substring even with 1–2 characters; contacts by name, email or phone', async () => {
    expect(ids(await search(manager, '重工'), 'account')).toEqual(expect.arrayContaining([heavy.id, partnerAcc.id]));
    for (const q of [`明月${tag}`, `ouyang.${tag}`, '138001380']) {
      const r = await search(manager, q);
      expect(ids(r, 'contact'), q).toEqual([contact.id]);
      expect(group(r, 'contact').items[0].link).toBe(`/accounts/${heavy.id}?tab=relationships&contact=${contact.id}`);
    }
    expect(ids(await search(manager, '欧阳'), 'contact')).toContain(contact.id);
  });

  it('finds a ticket by its number', async () => {
    const r = await search(csm, `#${ticket.number}`, '&kind=ticket');
    expect(r.groups.map((g: Json) => g.kind)).toEqual(['ticket']);
    expect(ids(r, 'ticket')[0]).toBe(ticket.id);
  });

  it('treats % and _ as text, limits each group and says when there are more', async () => {
    expect(ids(await search(manager, '%%%'), 'account')).toEqual([]);
    expect(ids(await search(manager, '___'), 'ticket')).toEqual([]);
    const one = await search(manager, '液压', '&limit=1&kind=ticket');
    expect(group(one, 'ticket').items).toHaveLength(1);
    expect(group(one, 'ticket').more).toBe(true);
  });

  it('pages one kind with offset (the search page): pages join up to the whole list, in the same order, and the last says no more', async () => {
    // five more tickets with a shared word, on the partner account (the manager sees them all; the timeline tests read the heavy one)
    for (let i = 0; i < 5; i++)
      expectStatus(
        await csm.post('/api/tickets', {
          accountId: partnerAcc.id,
          title: `分页检修${tag}-${i}`,
          description: 'x',
          kind: 'product_issue',
          severity: 'low',
        }),
        201,
      );
    const word = `分页检修${tag}`;
    const whole = await search(manager, word, '&kind=ticket&limit=20');
    expect(ids(whole, 'ticket')).toHaveLength(5);
    expect(group(whole, 'ticket').more).toBe(false);
    const pages: string[] = [];
    let more = true;
    for (let offset = 0; more; offset += 2) {
      const p = await search(manager, word, `&kind=ticket&limit=2&offset=${offset}`);
      expect(p).toMatchObject({ offset, limit: 2 });
      pages.push(...ids(p, 'ticket'));
      more = group(p, 'ticket').more;
    }
    expect(pages).toEqual(ids(whole, 'ticket'));
    // a ticket number comes first, and paging continues after it without repeating it
    const first = await search(manager, `#${ticket.number}`, '&kind=ticket&limit=1');
    expect(ids(first, 'ticket')).toEqual([ticket.id]);
    const second = await search(manager, `#${ticket.number}`, '&kind=ticket&limit=1&offset=1');
    expect(ids(second, 'ticket')).not.toContain(ticket.id);
    expect(JSON.stringify(expectStatus(await manager.get(`/api/search?q=abc&offset=-1`), 400))).toContain('offset');
  });

  it("scopes results: a channel implementer sees only its partner's accounts and their records; another workspace never", async () => {
    const r = await search(channel, '重工');
    expect(ids(r, 'account')).toEqual([partnerAcc.id]);
    expect(ids(await search(channel, '液压'), 'ticket').length).toBe(1);
    expect(ids(await search(channel, `泵站异响${tag}`), 'ticket')).toEqual([]);
    expect(ids(await search(channel, `明月${tag}`), 'contact')).toEqual([]);
    const w2 = await search(admin2, `重工集团${tag}`);
    expect(ids(w2, 'account')).toEqual([other.id]);
    expect(ids(await search(manager, `重工集团${tag}`), 'account')).toEqual([heavy.id]);
  });

  it('400 names the field; 401 without a session; a key person may not search', async () => {
    const empty = expectStatus(await manager.get('/api/search?q='), 400);
    expect(JSON.stringify(empty)).toContain('q');
    const long = expectStatus(await manager.get(`/api/search?q=${'长'.repeat(101)}`), 400);
    expect(JSON.stringify(long)).toContain('q');
    const kind = expectStatus(await manager.get('/api/search?q=abc&kind=invoice'), 400);
    expect(JSON.stringify(kind)).toContain('kind');
    expectStatus(await t.anon.get('/api/search?q=abc'), 401);
  });
});

describe('GET /api/accounts/:id/timeline', () => {
  it('shows tickets, meetings, opportunity moves, stage / tier changes and portal activity in one stream, newest first, each with a link', async () => {
    expectStatus(await sales.post(`/api/accounts/${heavy.id}/stage`, { to: 'startup' }), 200);
    const r = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline`), 200);
    const kinds = new Set(r.items.map((i: Json) => i.kind));
    for (const k of ['ticket', 'meeting', 'opportunity', 'stage', 'tier']) expect(kinds, k).toContain(k);
    const at = r.items.map((i: Json) => i.at);
    expect([...at].sort().reverse()).toEqual(at);
    expect(r.items.find((i: Json) => i.kind === 'ticket')).toMatchObject({
      id: ticket.id,
      link: `/service-desk/tickets/${ticket.id}`,
      status: 'open',
    });
    expect(r.items.find((i: Json) => i.kind === 'stage')).toMatchObject({ from: 'handover', to: 'startup', link: `/accounts/${heavy.id}` });
    expect(r.items.find((i: Json) => i.kind === 'opportunity')).toMatchObject({ to: 'captured', link: `/opportunities?open=${opp.id}` });
    expect(r.items.find((i: Json) => i.kind === 'meeting').link).toBe(`/meetings/${meeting.id}`);
  });

  it('filters by kind and pages', async () => {
    const only = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?kind=ticket&kind=stage`), 200);
    expect(new Set(only.items.map((i: Json) => i.kind))).toEqual(new Set(['ticket', 'stage']));
    const all = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?limit=100`), 200);
    const p1 = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?limit=2`), 200);
    const p2 = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?limit=2&offset=2`), 200);
    expect(p1.hasMore).toBe(true);
    expect([...p1.items, ...p2.items].map((i: Json) => i.id)).toEqual(all.items.slice(0, 4).map((i: Json) => i.id));
  });

  it('filters by any set of kinds, the ticket branch left out too (its columns no longer type the union)', async () => {
    // every kind but tickets: the first branch used to be the only one with typed nulls, and
    // "meeting, …, value" failed with "UNION types text and numeric cannot be matched"
    const kinds = ['meeting', 'booking', 'opportunity', 'portal', 'stage', 'tier', 'ladder', 'value'];
    const r = expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?${kinds.map((k) => `kind=${k}`).join('&')}`), 200);
    expect(r.items.length).toBeGreaterThan(0);
    expect(r.items.map((i: Json) => i.kind)).not.toContain('ticket');
    expect(expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?kind=meeting&kind=value`), 200).items.length).toBeGreaterThan(0);
  });

  it('404 for an account of another workspace or outside a channel; 400 names the field', async () => {
    expectStatus(await admin2.get(`/api/accounts/${heavy.id}/timeline`), 404);
    expectStatus(await channel.get(`/api/accounts/${heavy.id}/timeline`), 404);
    expectStatus(await channel.get(`/api/accounts/${partnerAcc.id}/timeline`), 200);
    expect(JSON.stringify(expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?kind=gossip`), 400))).toContain('kind');
    expect(JSON.stringify(expectStatus(await manager.get(`/api/accounts/${heavy.id}/timeline?limit=0`), 400))).toContain('limit');
  });
});

describe('POST /api/service-desk/sla/preview', () => {
  // default calendar (Asia/Shanghai, weekdays 09:00–12:00 and 13:30–18:00), default policies: A × medium = 4 h / 40 h
  const friday1700 = '2026-01-09T09:00:00Z'; // Friday 17:00 in Shanghai
  const mondayPause = { from: '2026-01-12T02:00:00Z', to: '2026-01-12T03:00:00Z' }; // Monday 10:00–11:00

  it('opened Friday 17:00, paused Monday 10:00–11:00: first response Monday 14:30, resolution the Monday after 11:30', async () => {
    const r = expectStatus(
      await csm.post('/api/service-desk/sla/preview', { openedAt: friday1700, tier: 'A', severity: 'medium', pauses: [mondayPause] }),
      200,
    );
    expect(r.policy).toMatchObject({ tier: 'A', severity: 'medium', firstResponseMinutes: 240, resolutionMinutes: 2400 });
    expect(r.calendar).toMatchObject({ timezone: 'Asia/Shanghai', isDefault: true });
    // Fri 17–18 (60) + Mon 09–10 (60) + pause + 11–12 (60) + 13:30–14:30 (60) = 240
    expect(r.firstResponse).toMatchObject({ dueAt: '2026-01-12T06:30:00.000Z', pausedMinutes: 60, target: '4 h' });
    // 60 + Mon 390 + Tue–Fri 4 × 450 = 2250, then 150 minutes on Monday the 19th: 11:30
    expect(r.resolution).toMatchObject({ dueAt: '2026-01-19T03:30:00.000Z', pausedMinutes: 60 });
    // without the pause: Monday 12:00 (the pause's hour pushed the first response over lunch), and one business hour earlier
    const none = expectStatus(await csm.post('/api/service-desk/sla/preview', { openedAt: friday1700, tier: 'A', severity: 'medium' }), 200);
    expect(none.firstResponse).toMatchObject({ dueAt: '2026-01-12T04:00:00.000Z', pausedMinutes: 0 });
    expect(none.resolution.dueAt).toBe('2026-01-19T02:30:00.000Z');
  });

  it('matches the deadline a real ticket opened then gets (the same engine and policy)', async () => {
    const [clock] = await queryRows<{ due_at: string | Date; started_at: string | Date }>(
      t.db,
      sql`select due_at, started_at from sla_clocks where ticket_id = ${ticket.id} and kind = 'resolution'`,
    );
    const openedAt = new Date(clock.started_at).toISOString();
    const r = expectStatus(await csm.post('/api/service-desk/sla/preview', { openedAt, tier: 'A', severity: 'high' }), 200);
    expect(new Date(r.resolution.dueAt).getTime()).toBe(new Date(clock.due_at).getTime());
  });

  it('follows the workspace calendar and policies', async () => {
    expectStatus(
      await admin.put('/api/settings/sla/policies', {
        policies: [{ tier: 'B', severity: 'low', firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 120, warnPct: 50 }],
      }),
      200,
    );
    const r = expectStatus(await sales.post('/api/service-desk/sla/preview', { openedAt: friday1700, tier: 'B', severity: 'low' }), 200);
    expect(r.firstResponse.dueAt).toBe('2026-01-09T09:30:00.000Z'); // Friday 17:30
    expect(r.resolution.dueAt).toBe('2026-01-12T02:00:00.000Z'); // Fri 17–18 (60) + Mon 09–10 (60)
    expect(r.resolution.warnAt).toBe('2026-01-09T10:00:00.000Z'); // 50 % = 60 minutes: Friday 18:00
  });

  it('400 names the field (unknown tier, a pause ending before it starts, before the opening); 401 without a session', async () => {
    const bad = expectStatus(await csm.post('/api/service-desk/sla/preview', { openedAt: friday1700, tier: 'Z', severity: 'medium' }), 400);
    expect(JSON.stringify(bad)).toContain('tier');
    const order = expectStatus(
      await csm.post('/api/service-desk/sla/preview', {
        openedAt: friday1700,
        tier: 'A',
        severity: 'medium',
        pauses: [{ from: mondayPause.to, to: mondayPause.from }],
      }),
      400,
    );
    expect(order.fields[0].field).toBe('pauses.0.to');
    const early = expectStatus(
      await csm.post('/api/service-desk/sla/preview', {
        openedAt: friday1700,
        tier: 'A',
        severity: 'medium',
        pauses: [{ from: '2026-01-09T08:00:00Z', to: '2026-01-09T09:30:00Z' }],
      }),
      400,
    );
    expect(early.fields[0].field).toBe('pauses.0.from');
    const missing = expectStatus(await csm.post('/api/service-desk/sla/preview', { tier: 'A', severity: 'medium' }), 400);
    expect(JSON.stringify(missing)).toContain('openedAt');
    expectStatus(await t.anon.post('/api/service-desk/sla/preview', { openedAt: friday1700, tier: 'A', severity: 'medium' }), 401);
  });
});
