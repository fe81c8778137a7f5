// Going live over HTTP against a real database: the first-run setup, staff invitations and resets with
// mail caught by a real SMTP server, per-workspace email addresses, suspended workspaces, spraying defence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createJobRunner } from '../../platform/jobs.js';
import { jobHandlers } from '../../jobs.js';
import { openTestDatabase } from '../../test/test-db.js';
import { startTestApp, PASSWORD, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startSmtp } from '../meetings/meetings.test-support.js';
import { IP_MAX_FAILURES } from '../../platform/auth.service.js';
import { createWorkspace, setWorkspaceStatus } from './identity.service.js';

const NEW_PW = 'Fresh-pass-2027';
const linkIn = (text: string, path: string) => new RegExp(`/${path}\\?token=([A-Za-z0-9_-]+)`).exec(text)?.[1];

describe('first run: the setup page', () => {
  it('needs the token from the log, makes one workspace and its admin, signs the admin in, then is gone', async () => {
    const database = await openTestDatabase();
    // the test database comes with no workspace: the state of `SEED_DEMO=never npm start`
    const app = await buildApp({ database, logLevel: 'silent', setupToken: () => 'the-token-from-the-log' });
    try {
      expect(expectStatus(await app.inject({ method: 'GET', url: '/api/setup' }), 200)).toEqual({ needed: true });
      const body = (token: string, over: Json = {}) => ({
        token,
        workspace: { name: '华南电子', timezone: 'Asia/Shanghai', currency: 'CNY', locale: 'zh-CN', customerModel: 'to_b', ...over },
        admin: { name: '李雷', email: 'li.lei@hn.test', password: NEW_PW },
      });
      const post = (payload: Json) => app.inject({ method: 'POST', url: '/api/setup', payload, headers: { 'accept-language': 'en' } });

      const wrong = await post(body('somebody-guessing'));
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().fields[0].field).toBe('token');
      const tz = await post(body('the-token-from-the-log', { timezone: 'Mars/Olympus' }));
      expect(tz.statusCode).toBe(400);
      expect(tz.json().fields[0].field).toBe('timezone');
      expect(tz.json().message).toContain('Mars/Olympus');
      expect(expectStatus(await app.inject({ method: 'GET', url: '/api/setup' }), 200)).toEqual({ needed: true }); // refusals made nothing

      const ok = await post(body('the-token-from-the-log'));
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ kind: 'staff', role: 'admin', name: '李雷', workspace: { name: '华南电子', currency: 'CNY' } });
      const cookie = ok.cookies.find((c) => c.name === 'kw_sid')!;
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `kw_sid=${cookie.value}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json().permissions).toContain('users.manage');

      expect(expectStatus(await app.inject({ method: 'GET', url: '/api/setup' }), 200)).toEqual({ needed: false });
      const again = await post(body('the-token-from-the-log', { name: '第二个' }));
      expect(again.statusCode).toBe(409);
      // the new admin signs in with the password chosen on the page
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'LI.LEI@hn.test', password: NEW_PW } });
      expect(login.statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('without a token (set up by command, or already set up) the page refuses', async () => {
    const database = await openTestDatabase();
    const app = await buildApp({ database, logLevel: 'silent' });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: {
          token: 'anything',
          workspace: { name: 'x', timezone: 'UTC', currency: 'CNY', locale: 'en', customerModel: 'to_b' },
          admin: { name: 'x', email: 'x@x.test', password: NEW_PW },
        },
      });
      expect(res.statusCode).toBe(403);
      expect(expectStatus(await app.inject({ method: 'GET', url: '/api/setup' }), 200)).toEqual({ needed: true });
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('staff identity', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const runJobs = () => createJobRunner(t.db, jobHandlers).runDue(new Date(), 50);
  beforeAll(async () => {
    t = await startTestApp();
    smtp = await startSmtp();
    // the installation's mail server carries mail of workspaces without SMTP settings of their own
    process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    process.env.MAIL_FROM = 'Keyward <noreply@keyward.test>';
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    delete process.env.MAIL_FROM;
    await smtp?.close();
    await t?.close();
  });

  it('an admin invites a colleague by mail; the link sets their password once and signs them in', async () => {
    const admin = await t.as('admin');
    const res = expectStatus(await admin.post('/api/users/invite', { email: 'new.colleague@w1.test', name: '新同事', role: 'csm' }), 201);
    expect(res).toMatchObject({ email: 'new.colleague@w1.test', role: 'csm', active: true, invited: true });
    const invitedIn = async () => (expectStatus(await admin.get('/api/users'), 200).items as Json[]).find((u) => u.id === res.id)?.invited;
    expect(await invitedIn(), 'the users page shows the invitation as pending').toBe(true);
    // no password yet: nothing signs in
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'new.colleague@w1.test', password: '' } })).statusCode,
    ).toBe(400);
    await runJobs();
    const mail = smtp.inbox.find((m) => m.to.includes('new.colleague@w1.test'));
    expect(mail, 'the invitation reached the SMTP server').toBeDefined();
    expect(mail!.subject).toContain('WS w1');
    const token = linkIn(mail!.text, 'accept-invite');
    expect(token).toBeDefined();

    const weak = await t.anon.post('/api/auth/accept-invite', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].field).toBe('password');
    const accepted = await t.anon.post('/api/auth/accept-invite', { token, password: NEW_PW });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ name: '新同事', role: 'csm' });
    const reused = await t.anon.post('/api/auth/accept-invite', { token, password: NEW_PW });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().fields[0]).toMatchObject({ field: 'token' });
    expect((await t.login('new.colleague@w1.test', NEW_PW)).csrf).toBeTruthy();
    expect(await invitedIn(), 'accepted: no longer pending').toBe(false);

    const audit = expectStatus(await admin.get('/api/audit?entityType=user'), 200).items as Json[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.invite', 'user.invite.accept']));
  });

  it('inviting is for admins, and never reaches into another workspace', async () => {
    const sales = await t.as('sales');
    expect((await sales.post('/api/users/invite', { email: 'x1@w1.test', name: 'x', role: 'sales' })).statusCode).toBe(403);
    const admin2 = await t.as('admin', t.w2);
    const w1User = t.w1.users.delivery.id;
    expect((await admin2.post(`/api/users/${w1User}/invite`)).statusCode).toBe(404);
    expect((await t.anon.post('/api/users/invite', { email: 'x2@w1.test', name: 'x', role: 'sales' })).statusCode).toBe(401);
  });

  it('forgot password: the same answer for anybody, a mail only to a real person, the link resets once', async () => {
    const before = smtp.inbox.length;
    const unknown = await t.anon.post('/api/auth/forgot', { email: 'nobody@nowhere.test' });
    const known = await t.anon.post('/api/auth/forgot', { email: t.w1.users.expert.email.toUpperCase() });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(known.body).toBe(unknown.body);
    await t.anon.post('/api/auth/forgot', { email: t.w1.users.expert.email }); // a second request within minutes sends nothing more
    await runJobs();
    const mails = smtp.inbox.slice(before);
    expect(mails.map((m) => m.to[0])).toEqual([t.w1.users.expert.email]);
    const token = linkIn(mails[0].text, 'reset-password');
    const session = await t.login(t.w1.users.expert.email);
    const reset = await t.anon.post('/api/auth/reset', { token, password: NEW_PW });
    expect(reset.statusCode, reset.body).toBe(200);
    // the old password and the sessions it opened are gone
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.w1.users.expert.email, password: PASSWORD } })).statusCode,
    ).toBe(401);
    expect((await t.anon.post('/api/auth/reset', { token, password: 'Another-pass-1' })).statusCode).toBe(400);
  });

  it('an address is unique per workspace: two workspaces may share one, and the password picks the person', async () => {
    const admin1 = await t.as('admin');
    const admin2 = await t.as('admin', t.w2);
    const email = 'shared.person@example.test';
    expectStatus(await admin1.post('/api/users', { email, name: '共享一', role: 'sales', password: 'Pass-one-2026' }), 201);
    expectStatus(await admin2.post('/api/users', { email, name: '共享二', role: 'sales', password: 'Pass-two-2026' }), 201);
    expect((await admin1.post('/api/users', { email: email.toUpperCase(), name: '重复', role: 'sales', password: 'Pass-one-2026' })).statusCode).toBe(
      409,
    );
    const one = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'Pass-one-2026' } });
    const two = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'Pass-two-2026' } });
    expect(one.json().workspace.id).toBe(t.w1.id);
    expect(two.json().workspace.id).toBe(t.w2.id);
    // the same password in both: the workspace's code decides
    expectStatus(await admin2.post('/api/users', { email: 'twice@example.test', name: '两边', role: 'sales', password: 'Same-pass-2026' }), 201);
    expectStatus(await admin1.post('/api/users', { email: 'twice@example.test', name: '两边', role: 'sales', password: 'Same-pass-2026' }), 201);
    const ambiguous = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'twice@example.test', password: 'Same-pass-2026' },
      headers: { 'accept-language': 'en' },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().fields[0].field).toBe('workspace');
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'twice@example.test', password: 'Same-pass-2026', workspace: 'w2' },
    });
    expect(chosen.json().workspace.id).toBe(t.w2.id);
  });

  it('a suspended workspace signs nobody in and its sessions end at once; resuming restores sign-in', async () => {
    const [first] = [
      await createWorkspace(t.db, {
        workspace: { name: 'Suspend Me', slug: 'suspend-me', timezone: 'UTC', currency: 'EUR', locale: 'en', customerModel: 'to_b' },
        admin: { name: 'Sam', email: 'sam@suspend.test', password: NEW_PW },
        publicUrl: 'http://x',
      }),
    ];
    expect(first.inviteUrl).toBeNull();
    const session = await t.login('sam@suspend.test', NEW_PW);
    await setWorkspaceStatus(t.db, 'suspend-me', 'suspended');
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'sam@suspend.test', password: NEW_PW },
      headers: { 'accept-language': 'en' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toContain('suspended');
    await setWorkspaceStatus(t.db, 'suspend-me', 'active');
    expect((await t.login('sam@suspend.test', NEW_PW)).csrf).toBeTruthy();
  });

  it('password spraying: many addresses from one client lock that client only; failures are in the audit trail', async () => {
    const attacker = '203.0.113.7';
    for (let i = 0; i < IP_MAX_FAILURES; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `guess${i}@w1.test`, password: 'Spring2026!' },
        remoteAddress: attacker,
      });
      expect(r.statusCode).toBe(401);
    }
    // now even a right password from that client is slowed down…
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.w1.users.manager.email, password: PASSWORD },
      remoteAddress: attacker,
    });
    expect(locked.statusCode).toBe(429);
    // …while everybody else signs in as usual
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.w1.users.manager.email, password: PASSWORD },
      remoteAddress: '198.51.100.9',
    });
    expect(other.statusCode).toBe(200);
    // a failure against a real person is in that workspace's audit trail, with the client address
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.w1.users.sales.email, password: 'not-it-1234' },
      remoteAddress: '198.51.100.10',
    });
    const admin = await t.as('admin');
    const failed = (expectStatus(await admin.get(`/api/audit?entityId=${t.w1.users.sales.id}`), 200).items as Json[]).filter(
      (a) => a.action === 'login.failed',
    );
    expect(failed[0].after).toMatchObject({ ip: '198.51.100.10', reason: 'password' });
  });

  it('a refused request (403) is in the audit trail of the person who tried', async () => {
    const sales = await t.as('sales');
    expect((await sales.get('/api/audit')).statusCode).toBe(403);
    const admin = await t.as('admin');
    // recorded after the reply, in its own statement (the refused request changed nothing): wait for it
    const latestDenied = async () =>
      (expectStatus(await admin.get(`/api/audit?actorId=${t.w1.users.sales.id}`), 200).items as Json[]).filter((a) => a.action === 'access.denied')[0]
        ?.after;
    await expect.poll(latestDenied, { timeout: 5000, interval: 50 }).toMatchObject({ method: 'GET', url: '/api/audit' });
  });
});
