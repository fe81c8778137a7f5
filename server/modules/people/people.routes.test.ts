import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json, uniq } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, channel: Client, admin2: Client;
const w2 = { team: '' };

const PASSWORD = 'Strong-pass-2026';

function expectField(res: LightMyRequestResponse, code: number, field: string) {
  const body = expectStatus(res, code);
  expect((body.fields ?? []).map((f: { field: string }) => f.field)).toContain(field);
  expect(typeof body.message).toBe('string');
  return body;
}
async function lastAudit(as: Client = admin): Promise<Json> {
  return expectStatus(await as.get('/api/audit?limit=1'), 200).items[0];
}
async function expectAudit(action: string, entityId?: string) {
  const e = await lastAudit();
  expect(e.action).toBe(action);
  if (entityId) expect(e.entityId).toBe(entityId);
  return e;
}
/** Everything of w2 that a w1 request could touch. */
async function w2Snapshot() {
  const rs = await Promise.all(['/api/users', '/api/teams', '/api/channel-partners', '/api/settings/workspace'].map((u) => admin2.get(u)));
  for (const r of rs) expect(r.statusCode).toBe(200);
  return rs.map((r) => r.body).join('\n');
}
async function createUser(body: Json = {}) {
  return expectStatus(
    await admin.post('/api/users', { email: `${uniq('u')}@w1.test`, name: uniq('用户'), role: 'sales', password: PASSWORD, ...body }),
    201,
  );
}
async function createTeam(body: Json = {}) {
  return expectStatus(await manager.post('/api/teams', { name: uniq('团队'), kind: 'service_desk', ...body }), 201);
}
async function createPartner(body: Json = {}) {
  return expectStatus(await manager.post('/api/channel-partners', { name: uniq('渠道商'), ...body }), 201);
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, channel, admin2] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('sales'),
    t.as('csm'),
    t.as('channel_implementer'),
    t.as('admin', t.w2),
  ]);
  w2.team = expectStatus(await admin2.post('/api/teams', { name: 'W2 服务台', kind: 'service_desk', leadId: t.w2.users.manager.id }), 201).id;
});
afterAll(() => t?.close());

describe('GET /api/users', () => {
  it('lists the workspace’s staff, with filters, and no secrets', async () => {
    const body = expectStatus(await csm.get('/api/users'), 200);
    expect(body.items.map((u: Json) => u.email).sort()).toEqual(
      Object.values(t.w1.users)
        .map((u) => u.email)
        .sort(),
    );
    expect(body.items.find((u: Json) => u.role === 'channel_implementer')).toMatchObject({ channelPartnerId: t.w1.partnerId, active: true });
    expect(JSON.stringify(body)).not.toMatch(/password|scrypt/i);
    expect(expectStatus(await csm.get('/api/users?role=csm'), 200).items.map((u: Json) => u.id)).toEqual([t.w1.users.csm.id]);
    expect(expectStatus(await csm.get('/api/users?active=false'), 200).items.every((u: Json) => u.active === false)).toBe(true);
  });
  it("a channel implementer sees who people are but not the vendor's employees' email or phone (their own row stays whole)", async () => {
    const body = expectStatus(await channel.get('/api/users'), 200);
    const me = body.items.find((u: Json) => u.id === t.w1.users.channel_implementer.id);
    expect(me.email).toBe(t.w1.users.channel_implementer.email);
    const others = body.items.filter((u: Json) => u.id !== me.id);
    expect(others.length).toBeGreaterThan(0);
    for (const u of others) expect([u.name.length > 0, u.email, u.phone]).toEqual([true, null, null]);
    const text = JSON.stringify(body);
    for (const u of Object.values(t.w1.users)) if (u.id !== me.id) expect(text).not.toContain(u.email);
    // everyone else still reads the list with emails
    expect(expectStatus(await manager.get('/api/users'), 200).items.every((u: Json) => typeof u.email === 'string')).toBe(true);
  });
  it('401; 400 for an unknown role or query field', async () => {
    expectStatus(await t.anon.get('/api/users'), 401);
    expectField(await csm.get('/api/users?role=boss'), 400, 'role');
    expectField(await csm.get('/api/users?active=yes'), 400, 'active');
    expectField(await csm.get('/api/users?workspaceId=x'), 400, 'workspaceId');
  });
});

describe('POST /api/users', () => {
  it('creates a user who can sign in; the reply and the audit entry carry no password', async () => {
    const email = `${uniq('new')}@w1.test`;
    const res = expectStatus(
      await admin.post('/api/users', {
        email,
        name: '新同事',
        role: 'csm',
        password: PASSWORD,
        phone: '1380000',
        skills: ['ERP', 'MES'],
        managerId: t.w1.users.manager.id,
      }),
      201,
    );
    expect(res).toMatchObject({
      email,
      name: '新同事',
      role: 'csm',
      phone: '1380000',
      skills: ['ERP', 'MES'],
      managerId: t.w1.users.manager.id,
      channelPartnerId: null,
      active: true,
    });
    expect(JSON.stringify(res)).not.toMatch(/password|scrypt/i);
    const e = await expectAudit('user.create', res.id);
    expect(JSON.stringify(e)).not.toMatch(/scrypt\$/);
    const c = await t.login(email, PASSWORD);
    expect(expectStatus(await c.get('/api/auth/me'), 200)).toMatchObject({ role: 'csm', workspace: { id: t.w1.id } });
  });

  it('creates a channel implementer bound to a partner of the workspace', async () => {
    const u = await createUser({ role: 'channel_implementer', channelPartnerId: t.w1.partnerId });
    expect(u.channelPartnerId).toBe(t.w1.partnerId);
  });

  it('401; 403 for a manager', async () => {
    expectStatus(await t.anon.post('/api/users', { email: 'x@w1.test', name: 'x', role: 'sales', password: PASSWORD }), 401);
    const email = `${uniq('m')}@w1.test`;
    expectStatus(await manager.post('/api/users', { email, name: 'x', role: 'sales', password: PASSWORD }), 403);
    expect(expectStatus(await admin.get('/api/users'), 200).items.map((u: Json) => u.email)).not.toContain(email);
  });

  it.each([
    ['a weak password', { password: 'password' }, 'password'],
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an unknown role', { role: 'root' }, 'role'],
    ['an unknown field', { workspaceId: randomUUID() }, 'workspaceId'],
    ['a wrong type', { skills: 'ERP' }, 'skills'],
    ['a channel implementer without a partner', { role: 'channel_implementer' }, 'channelPartnerId'],
    ['a partner for a role that is not a channel implementer', { role: 'sales', channelPartnerId: 'PARTNER' }, 'channelPartnerId'],
    ['a partner of another workspace', { role: 'channel_implementer', channelPartnerId: 'W2PARTNER' }, 'channelPartnerId'],
    ['a manager of another workspace', { managerId: 'W2MANAGER' }, 'managerId'],
  ])('400 for %s, naming the field, and no user is created', async (_what, patch, field) => {
    const body: Json = { email: `${uniq('bad')}@w1.test`, name: '坏', role: 'sales', password: PASSWORD, ...patch };
    if (body.channelPartnerId === 'PARTNER') body.channelPartnerId = t.w1.partnerId;
    if (body.channelPartnerId === 'W2PARTNER') body.channelPartnerId = t.w2.partnerId;
    if (body.managerId === 'W2MANAGER') body.managerId = t.w2.users.manager.id;
    const before = (await admin.get('/api/users')).body;
    expectField(await admin.post('/api/users', body), 400, field);
    expect((await admin.get('/api/users')).body).toBe(before);
  });

  it("409 for an email taken in this workspace, whatever its case; one used in another workspace is not this one's business", async () => {
    expectField(
      await admin.post('/api/users', { email: t.w1.users.sales.email.toUpperCase(), name: 'x', role: 'sales', password: PASSWORD }),
      409,
      'email',
    );
    // unique per workspace: a 409 here would tell one tenant who works at another
    const other = expectStatus(await admin.post('/api/users', { email: t.w2.users.sales.email, name: 'x', role: 'sales', password: PASSWORD }), 201);
    expect(other.email).toBe(t.w2.users.sales.email);
  });
});

describe('PATCH /api/users/:id', () => {
  it('changes a user; a role change or deactivation ends their sessions at once', async () => {
    const u = await createUser({ role: 'delivery' });
    const session = await t.login(u.email, PASSWORD);
    const res = expectStatus(await admin.patch(`/api/users/${u.id}`, { name: '改名了', role: 'after_sales', skills: ['网络'] }), 200);
    expect(res).toMatchObject({ id: u.id, name: '改名了', role: 'after_sales', skills: ['网络'], active: true });
    const e = await expectAudit('user.update', u.id);
    expect(e.before).toMatchObject({ role: 'delivery' });
    expect(e.after).toMatchObject({ role: 'after_sales' });
    expectStatus(await session.get('/api/auth/me'), 401);

    const again = await t.login(u.email, PASSWORD);
    expect(expectStatus(await admin.patch(`/api/users/${u.id}`, { active: false }), 200).active).toBe(false);
    expectStatus(await again.get('/api/accounts'), 401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: PASSWORD } });
    expect(login.statusCode).toBe(401);
    expect(expectStatus(await admin.get('/api/users?active=false'), 200).items.map((x: Json) => x.id)).toContain(u.id);
  });

  it('moves a channel implementer to another role, dropping the partner', async () => {
    const u = await createUser({ role: 'channel_implementer', channelPartnerId: t.w1.partnerId });
    expect(expectStatus(await admin.patch(`/api/users/${u.id}`, { role: 'sales' }), 200)).toMatchObject({ role: 'sales', channelPartnerId: null });
  });

  it('400: an admin cannot demote or deactivate themself; bad fields; nothing changes', async () => {
    const before = (await admin.get('/api/users')).body;
    expectField(await admin.patch(`/api/users/${t.w1.users.admin.id}`, { role: 'sales' }), 400, 'role');
    expectField(await admin.patch(`/api/users/${t.w1.users.admin.id}`, { active: false }), 400, 'active');
    expectField(await admin.patch(`/api/users/${t.w1.users.sales.id}`, { password: PASSWORD }), 400, 'password');
    expectField(await admin.patch(`/api/users/${t.w1.users.sales.id}`, { active: 'no' }), 400, 'active');
    expectField(await admin.patch(`/api/users/${t.w1.users.sales.id}`, { role: 'channel_implementer' }), 400, 'channelPartnerId');
    expectField(await admin.patch(`/api/users/${t.w1.users.sales.id}`, { email: t.w1.users.csm.email }), 409, 'email');
    expectField(await admin.patch('/api/users/not-a-uuid', { name: 'x' }), 400, 'id');
    expect((await admin.get('/api/users')).body).toBe(before);
  });

  it('401; 403 for a manager; 404 for a user of another workspace (left unchanged)', async () => {
    expectStatus(await t.anon.patch(`/api/users/${t.w1.users.sales.id}`, { name: 'x' }), 401);
    expectStatus(await manager.patch(`/api/users/${t.w1.users.sales.id}`, { name: 'x' }), 403);
    const before = await w2Snapshot();
    expectStatus(await admin.patch(`/api/users/${t.w2.users.sales.id}`, { name: '被改了', active: false }), 404);
    expectStatus(await admin.patch(`/api/users/${randomUUID()}`, { name: 'x' }), 404);
    expect(await w2Snapshot()).toBe(before);
  });
});

describe('the staff directory the other screens read (kept a minute per workspace)', () => {
  it('a new user, a rename and a new team member show at once on the screens that name them', async () => {
    const account = expectStatus(await sales.post('/api/accounts', { name: uniq('名录客户'), industry: '制造', region: '华东' }), 201);
    const seat = async () => expectStatus(await manager.get(`/api/accounts/${account.id}`), 200).team.csm;
    expect(await seat()).toBeNull(); // the directory is read now, before the user exists
    const u = await createUser({ role: 'csm', name: '新来的客户成功' });
    const w = t.w1.users;
    expectStatus(
      await manager.put(`/api/accounts/${account.id}/team`, {
        salesId: w.sales.id,
        deliveryId: w.delivery.id,
        afterSalesId: w.after_sales.id,
        csmId: u.id,
      }),
      200,
    );
    expect(await seat()).toEqual({ id: u.id, name: '新来的客户成功' });
    expectStatus(await admin.patch(`/api/users/${u.id}`, { name: '客户成功·改名' }), 200);
    expect(await seat()).toEqual({ id: u.id, name: '客户成功·改名' });
    // a team's queue follows its members: the ticket queue 'team' of a new member
    const engineer = await createUser({ role: 'after_sales', name: '新来的工程师' });
    const team = await createTeam({ leadId: t.w1.users.manager.id });
    const who = await t.login(engineer.email, PASSWORD);
    const teamQueue = async () => expectStatus(await who.get('/api/tickets?queue=team'), 200).total;
    expect(await teamQueue()).toBe(0);
    expectStatus(await manager.put(`/api/teams/${team.id}/members`, { userIds: [engineer.id] }), 200);
    const ticket = expectStatus(
      await manager.post('/api/tickets', {
        accountId: account.id,
        title: '名录工单',
        description: '—',
        kind: 'product_issue',
        severity: 'low',
        channel: 'phone',
      }),
      201,
    );
    // dispatch may already have given it to the new member (it reads the same directory); else hand it over
    if (ticket.ownerId !== engineer.id)
      expectStatus(await manager.post(`/api/tickets/${ticket.id}/assign`, { ownerId: engineer.id, teamId: team.id, reason: '新成员接手' }), 200);
    expect(await teamQueue()).toBe(1);
  });
});

describe('teams', () => {
  it('POST creates a team; GET lists it with its members', async () => {
    const team = await createTeam({ kind: 'expert', leadId: t.w1.users.expert.id });
    expect(team).toMatchObject({ kind: 'expert', industry: null, leadId: t.w1.users.expert.id });
    await expectAudit('team.create', team.id);
    const center = await createTeam({ kind: 'industry_center', industry: '烟草' });
    expect(center.industry).toBe('烟草');
    const listed = expectStatus(await csm.get('/api/teams'), 200).items;
    expect(listed.find((x: Json) => x.id === team.id)).toMatchObject({ name: team.name, members: [] });
    expect(listed.map((x: Json) => x.id)).not.toContain(w2.team);
  });

  it('POST: 400 for an industry center without an industry, an industry on another kind, a lead of another workspace, a bad kind; 409 for a taken name; 401; 403 for sales', async () => {
    expectField(await manager.post('/api/teams', { name: uniq('t'), kind: 'industry_center' }), 400, 'industry');
    expectField(await manager.post('/api/teams', { name: uniq('t'), kind: 'expert', industry: '烟草' }), 400, 'industry');
    expectField(await manager.post('/api/teams', { name: uniq('t'), kind: 'expert', leadId: t.w2.users.manager.id }), 400, 'leadId');
    expectField(await manager.post('/api/teams', { name: uniq('t'), kind: 'sales_team' }), 400, 'kind');
    const team = await createTeam();
    expectField(await manager.post('/api/teams', { name: team.name, kind: 'expert' }), 409, 'name');
    expectStatus(await t.anon.post('/api/teams', { name: uniq('t'), kind: 'expert' }), 401);
    const name = uniq('t');
    expectStatus(await sales.post('/api/teams', { name, kind: 'expert' }), 403);
    expect(expectStatus(await csm.get('/api/teams'), 200).items.map((x: Json) => x.name)).not.toContain(name);
    // names are per workspace
    expectStatus(await manager.post('/api/teams', { name: 'W2 服务台', kind: 'service_desk' }), 201);
  });

  it('PATCH renames a team and changes its lead; an empty patch changes nothing', async () => {
    const team = await createTeam();
    const name = uniq('新名');
    expect(expectStatus(await manager.patch(`/api/teams/${team.id}`, { name, leadId: t.w1.users.manager.id }), 200)).toMatchObject({
      id: team.id,
      name,
      leadId: t.w1.users.manager.id,
      kind: 'service_desk',
    });
    await expectAudit('team.update', team.id);
    expect(expectStatus(await manager.patch(`/api/teams/${team.id}`, {}), 200)).toMatchObject({ id: team.id, name });
  });

  it('PATCH: 400; 409; 401; 403 for sales; 404 for another workspace (left unchanged)', async () => {
    const team = await createTeam();
    const center = await createTeam({ kind: 'industry_center', industry: '电力' });
    const other = await createTeam();
    const before = (await csm.get('/api/teams')).body;
    expectField(await manager.patch(`/api/teams/${center.id}`, { industry: null }), 400, 'industry');
    expectField(await manager.patch(`/api/teams/${team.id}`, { industry: '电力' }), 400, 'industry');
    expectField(await manager.patch(`/api/teams/${team.id}`, { kind: 'expert' }), 400, 'kind');
    expectField(await manager.patch(`/api/teams/${team.id}`, { name: other.name }), 409, 'name');
    expectStatus(await t.anon.patch(`/api/teams/${team.id}`, { name: 'x' }), 401);
    expectStatus(await sales.patch(`/api/teams/${team.id}`, { name: 'x' }), 403);
    expect((await csm.get('/api/teams')).body).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await manager.patch(`/api/teams/${w2.team}`, { name: '偷改' }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('PUT members replaces the members (duplicates once); an empty list clears them', async () => {
    const team = await createTeam();
    const ids = [t.w1.users.after_sales.id, t.w1.users.expert.id, t.w1.users.after_sales.id];
    const res = expectStatus(await manager.put(`/api/teams/${team.id}/members`, { userIds: ids }), 200);
    expect(res).toEqual({ teamId: team.id, userIds: [t.w1.users.after_sales.id, t.w1.users.expert.id] });
    const e = await expectAudit('team.members', team.id);
    expect(e.after).toEqual({ members: [t.w1.users.after_sales.id, t.w1.users.expert.id].sort() });
    const listed = expectStatus(await csm.get('/api/teams'), 200).items.find((x: Json) => x.id === team.id);
    expect(listed.members.map((m: Json) => m.id).sort()).toEqual([t.w1.users.after_sales.id, t.w1.users.expert.id].sort());
    expect(listed.members.find((m: Json) => m.id === t.w1.users.expert.id)).toEqual({ id: t.w1.users.expert.id, name: 'w1-expert', role: 'expert' });
    expect(expectStatus(await manager.put(`/api/teams/${team.id}/members`, { userIds: [] }), 200).userIds).toEqual([]);
    expect(expectStatus(await csm.get('/api/teams'), 200).items.find((x: Json) => x.id === team.id).members).toEqual([]);
  });

  it('PUT members: 400 for a user of another workspace or a bad id; 401; 403 for a CSM; 404 for another workspace', async () => {
    const team = await createTeam();
    expectStatus(await manager.put(`/api/teams/${team.id}/members`, { userIds: [t.w1.users.csm.id] }), 200);
    const before = (await csm.get('/api/teams')).body;
    expectField(await manager.put(`/api/teams/${team.id}/members`, { userIds: [t.w1.users.sales.id, t.w2.users.sales.id] }), 400, 'userIds');
    expectField(await manager.put(`/api/teams/${team.id}/members`, { userIds: ['bob'] }), 400, 'userIds.0');
    expectField(await manager.put(`/api/teams/${team.id}/members`, {}), 400, 'userIds');
    expectStatus(await t.anon.put(`/api/teams/${team.id}/members`, { userIds: [] }), 401);
    expectStatus(await csm.put(`/api/teams/${team.id}/members`, { userIds: [] }), 403);
    expect((await csm.get('/api/teams')).body).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await manager.put(`/api/teams/${w2.team}/members`, { userIds: [t.w1.users.sales.id] }), 404);
    expectStatus(await manager.put(`/api/teams/${w2.team}/members`, { userIds: [] }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('GET: 401', async () => {
    expectStatus(await t.anon.get('/api/teams'), 401);
  });
});

describe('channel partners', () => {
  it('GET lists the workspace’s partners; the channel implementer sees only its own', async () => {
    const p = await createPartner({ region: '西北' });
    const all = expectStatus(await csm.get('/api/channel-partners'), 200).items.map((x: Json) => x.id);
    expect(all).toEqual(expect.arrayContaining([t.w1.partnerId, p.id]));
    expect(all).not.toContain(t.w2.partnerId);
    const mine = expectStatus(await channel.get('/api/channel-partners'), 200).items;
    expect(mine).toEqual([{ id: t.w1.partnerId, name: 'w1 渠道商', region: '华南', contactName: null, contactPhone: null, active: true }]);
    expectStatus(await t.anon.get('/api/channel-partners'), 401);
  });

  it('POST adds a partner; 400; 409 for a taken name; 401; 403 for sales', async () => {
    const res = expectStatus(
      await manager.post('/api/channel-partners', { name: '华南集成商', region: '华南', contactName: '陈工', contactPhone: '020-1234' }),
      201,
    );
    expect(res).toMatchObject({ name: '华南集成商', region: '华南', contactName: '陈工', contactPhone: '020-1234', active: true });
    await expectAudit('partner.create', res.id);
    expectField(await manager.post('/api/channel-partners', { name: '' }), 400, 'name');
    expectField(await manager.post('/api/channel-partners', { name: uniq('p'), active: 'yes' }), 400, 'active');
    expectField(await manager.post('/api/channel-partners', { name: uniq('p'), discount: 10 }), 400, 'discount');
    expectField(await manager.post('/api/channel-partners', { name: '华南集成商' }), 409, 'name');
    expectStatus(await t.anon.post('/api/channel-partners', { name: uniq('p') }), 401);
    const name = uniq('p');
    expectStatus(await sales.post('/api/channel-partners', { name }), 403);
    expect(expectStatus(await csm.get('/api/channel-partners'), 200).items.map((x: Json) => x.name)).not.toContain(name);
  });

  it('PATCH changes a partner; an empty patch changes nothing; 409; 401; 403; 404 for another workspace', async () => {
    const p = await createPartner();
    const other = await createPartner();
    expect(expectStatus(await manager.patch(`/api/channel-partners/${p.id}`, { active: false, contactName: '赵工' }), 200)).toMatchObject({
      id: p.id,
      active: false,
      contactName: '赵工',
    });
    await expectAudit('partner.update', p.id);
    expect(expectStatus(await manager.patch(`/api/channel-partners/${p.id}`, {}), 200)).toMatchObject({ id: p.id, name: p.name, active: false });
    const before = (await csm.get('/api/channel-partners')).body;
    expectField(await manager.patch(`/api/channel-partners/${p.id}`, { name: other.name }), 409, 'name');
    expectField(await manager.patch(`/api/channel-partners/${p.id}`, { region: 42 }), 400, 'region');
    expectStatus(await t.anon.patch(`/api/channel-partners/${p.id}`, { region: 'x' }), 401);
    expectStatus(await sales.patch(`/api/channel-partners/${p.id}`, { region: 'x' }), 403);
    expect((await csm.get('/api/channel-partners')).body).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await manager.patch(`/api/channel-partners/${t.w2.partnerId}`, { name: '偷改' }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });
});

describe('workspace settings', () => {
  it('GET returns my workspace; 401', async () => {
    expect(expectStatus(await sales.get('/api/settings/workspace'), 200)).toMatchObject({ id: t.w1.id, slug: 'w1', name: 'WS w1' });
    expectStatus(await t.anon.get('/api/settings/workspace'), 401);
  });

  it('PATCH changes my workspace only', async () => {
    const w2before = await w2Snapshot();
    // the profile has read (and may keep) the workspace before the change
    expect(expectStatus(await sales.get('/api/auth/me'), 200).workspace).toMatchObject({ id: t.w1.id, name: 'WS w1' });
    const res = expectStatus(
      await admin.patch('/api/settings/workspace', { name: '一号厂商', timezone: 'Asia/Shanghai', defaultLocale: 'en', customerModel: 'both' }),
      200,
    );
    expect(res).toMatchObject({ id: t.w1.id, name: '一号厂商', timezone: 'Asia/Shanghai', defaultLocale: 'en', customerModel: 'both' });
    await expectAudit('workspace.update', t.w1.id);
    expect(expectStatus(await sales.get('/api/settings/workspace'), 200).name).toBe('一号厂商');
    // and shows the change at once: the saved settings drop what it kept
    expect(expectStatus(await sales.get('/api/auth/me'), 200).workspace).toMatchObject({ id: t.w1.id, name: '一号厂商', customerModel: 'both' });
    expect(await w2Snapshot()).toBe(w2before);
    expect(expectStatus(await admin.patch('/api/settings/workspace', {}), 200)).toMatchObject({ id: t.w1.id, name: '一号厂商' });
  });

  it('400 for an unknown time zone, locale or field; 401; 403 for a manager — nothing changes', async () => {
    const before = (await admin.get('/api/settings/workspace')).body;
    expectField(await admin.patch('/api/settings/workspace', { timezone: 'Mars/Olympus_Mons' }), 400, 'timezone');
    expectField(await admin.patch('/api/settings/workspace', { defaultLocale: 'fr' }), 400, 'defaultLocale');
    expectField(await admin.patch('/api/settings/workspace', { slug: 'w2' }), 400, 'slug');
    expectField(await admin.patch('/api/settings/workspace', { name: '' }), 400, 'name');
    expectStatus(await t.anon.patch('/api/settings/workspace', { name: 'x' }), 401);
    expectStatus(await manager.patch('/api/settings/workspace', { name: 'x' }), 403);
    expect((await admin.get('/api/settings/workspace')).body).toBe(before);
  });
});
