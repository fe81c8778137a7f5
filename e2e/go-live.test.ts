import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp } from '../server/modules/meetings/meetings.test-support.js';
import { artifactsDir, launchBrowser, runJourneys, startServer, type RunningServer } from './support.js';

/**
 * Going live for real: a server with no workspace (SEED_DEMO=never) and a real SMTP server. The first
 * admin sets Keyward up in the browser with the token from the server log, invites a colleague, the
 * invitation arrives over SMTP, the colleague sets a password from its link and is signed in; later
 * they forget it, reset it from the mailed link and sign in with the new one.
 */
describe.runIf(runJourneys)('go-live journey in Chromium', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    // the mail server first: the Keyward server is started pointing at it
    smtp = await startSmtp();
    server = await startServer({
      SEED_DEMO: 'never',
      JOBS: 'on',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: 'Keyward <noreply@yuanhang.test>',
    });
    browser = await launchBrowser();
    fs.mkdirSync(artifactsDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
    await smtp?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
  /** The link of the newest mail to `to` that carries `/<kind>?token=`, once the job runner has sent it. */
  async function mailedLink(to: string, kind: 'accept-invite' | 'reset-password'): Promise<string> {
    let link: string | undefined;
    await expect
      .poll(
        () => {
          const mail = [...smtp.inbox].reverse().find((m) => m.to.includes(to) && m.text.includes(`/${kind}?token=`));
          link = mail ? new RegExp(`https?://\\S+/${kind}\\?token=[A-Za-z0-9_-]+`).exec(mail.text)?.[0] : undefined;
          return link;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeDefined();
    return link ?? '';
  }
  const headerName = (page: Page) => page.getByTestId('user-menu').innerText();

  const ADMIN = { name: '林远航', email: 'lin@yuanhang.test', password: 'Yuanhang2026admin' };
  const COLLEAGUE = { name: '周晓雨', email: 'zhou@yuanhang.test', password: 'Xiaoyu2026first', newPassword: 'Xiaoyu2026second' };

  it('sets up the first workspace from the token in the log, invites a colleague by mail, who sets a password and is signed in; later they reset a forgotten password from the mail and sign in with it', async () => {
    const token = /setup token: (\S+)/.exec(server.output())?.[1] ?? '';
    expect(token, 'the server printed a setup token').toBeTruthy();

    const adminCtx = await browser.newContext({ viewport: { width: 1360, height: 960 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const colleagueCtx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const admin = await adminCtx.newPage();
    const colleague = await colleagueCtx.newPage();
    try {
      // a fresh installation: the console sends people to the setup page
      await admin.goto(`${server.url}/`);
      await admin.waitForURL((u) => u.pathname === '/setup');
      await admin.getByTestId('setup-form').waitFor();

      // a wrong token: the server's answer shows on the token field, nothing is created
      await admin.getByTestId('setup-token').fill('not-the-right-token');
      await admin.getByTestId('setup-workspace-name').fill('远航科技');
      await admin.getByTestId('setup-workspace-slug').fill('yuanhang');
      await admin.getByTestId('setup-admin-name').fill(ADMIN.name);
      await admin.getByTestId('setup-admin-email').fill(ADMIN.email);
      await admin.getByTestId('setup-admin-password').fill(ADMIN.password);
      await admin.getByTestId('setup-admin-password-confirm').fill(ADMIN.password);
      await admin.getByTestId('setup-submit').click();
      const tokenItem = admin.locator('.ant-form-item').filter({ has: admin.getByTestId('setup-token') });
      await expect.poll(async () => tokenItem.locator('.ant-form-item-explain-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(((await (await adminCtx.request.get(`${server.url}/api/setup`)).json()) as { needed: boolean }).needed).toBe(true);
      await shot(admin, 'go-live-setup-wrong-token.png');

      // the right token: the workspace and its admin exist, and the admin lands signed in on the workbench
      await admin.getByTestId('setup-token').fill(token);
      await admin.getByTestId('setup-submit').click();
      await admin.waitForURL((u) => u.pathname === '/workbench', { timeout: 20_000 });
      await expect.poll(() => headerName(admin), { timeout: 10_000 }).toContain(ADMIN.name);
      expect(((await (await adminCtx.request.get(`${server.url}/api/setup`)).json()) as { needed: boolean }).needed).toBe(false);
      const me = (await (await adminCtx.request.get(`${server.url}/api/auth/me`)).json()) as {
        role: string;
        workspace: { name: string; currency: string };
      };
      expect(me).toMatchObject({ role: 'admin', workspace: { name: '远航科技', currency: 'CNY' } });

      // invite a colleague from 设置 › 用户与角色; sending asks first
      await admin.goto(`${server.url}/settings/users`);
      await admin.getByTestId('invite-open').click();
      await admin.getByTestId('invite-email').fill(COLLEAGUE.email);
      await admin.getByTestId('invite-name').fill(COLLEAGUE.name);
      await admin.getByTestId('invite-role').click();
      await admin.locator('.ant-select-item-option').filter({ hasText: '客户成功经理' }).click();
      await admin.getByTestId('invite-submit').click();
      const confirm = admin.locator('.ant-modal-confirm');
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain(COLLEAGUE.email);
      await admin.getByTestId('invite-confirm').click();
      await confirm.waitFor({ state: 'detached' });
      await admin.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
      const row = admin.locator('.ant-table-row').filter({ hasText: COLLEAGUE.email });
      await row.getByTestId('user-invited').waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain('客户成功经理');
      await shot(admin, 'go-live-users-invited.png');

      // the job runner sends the invitation over SMTP; its link opens in the colleague's own browser
      const invite = await mailedLink(COLLEAGUE.email, 'accept-invite');
      expect(invite.startsWith(server.url)).toBe(true);
      await colleague.goto(invite);
      await colleague.getByTestId('redeem-form').waitFor();
      await colleague.getByTestId('new-password').fill(COLLEAGUE.password);
      await colleague.getByTestId('new-password-confirm').fill(COLLEAGUE.password);
      await shot(colleague, 'go-live-accept-invite.png');
      await colleague.getByTestId('redeem-submit').click();
      await colleague.waitForURL((u) => u.pathname === '/workbench', { timeout: 20_000 });
      await expect.poll(() => headerName(colleague), { timeout: 10_000 }).toContain(COLLEAGUE.name);
      await colleague.getByTestId('wb-queue').waitFor();
      await shot(colleague, 'go-live-colleague-signed-in.png');

      // the link worked once: opened again it says so and what to do next
      const again = await colleagueCtx.newPage();
      await again.goto(invite);
      await again.getByTestId('new-password').fill(COLLEAGUE.password);
      await again.getByTestId('new-password-confirm').fill(COLLEAGUE.password);
      await again.getByTestId('redeem-submit').click();
      await again.getByTestId('link-result').waitFor({ timeout: 10_000 });
      await again.close();

      // accepted: the users page no longer shows the invitation as pending
      await admin.reload();
      await row.waitFor();
      await expect.poll(async () => row.getByTestId('user-invited').count(), { timeout: 10_000 }).toBe(0);

      // forgot password: sign out, ask for a reset link, follow the mail, set a new password
      await colleague.getByTestId('user-menu').click();
      await colleague.locator('.ant-dropdown-menu-item-danger').click();
      await colleague.waitForURL((u) => u.pathname === '/login');
      await colleague.getByTestId('forgot-link').click();
      await colleague.waitForURL((u) => u.pathname === '/forgot-password');
      await colleague.getByTestId('forgot-email').fill(COLLEAGUE.email);
      await colleague.getByTestId('forgot-submit').click();
      await colleague.getByTestId('forgot-sent').waitFor();
      const reset = await mailedLink(COLLEAGUE.email, 'reset-password');
      await colleague.goto(reset);
      await colleague.getByTestId('new-password').fill(COLLEAGUE.newPassword);
      await colleague.getByTestId('new-password-confirm').fill(COLLEAGUE.newPassword);
      await colleague.getByTestId('redeem-submit').click();
      await colleague.waitForURL((u) => u.pathname === '/workbench', { timeout: 20_000 });

      // signed out once more, the new password signs in and the old one does not
      await colleague.getByTestId('user-menu').click();
      await colleague.locator('.ant-dropdown-menu-item-danger').click();
      await colleague.waitForURL((u) => u.pathname === '/login');
      await colleague.getByTestId('login-email').fill(COLLEAGUE.email);
      await colleague.getByTestId('login-password').fill(COLLEAGUE.password);
      await colleague.getByTestId('login-submit').click();
      await colleague.getByTestId('login-error').waitFor();
      await colleague.getByTestId('login-password').fill(COLLEAGUE.newPassword);
      await colleague.getByTestId('login-submit').click();
      await colleague.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20_000 });
      await expect.poll(() => headerName(colleague), { timeout: 10_000 }).toContain(COLLEAGUE.name);
      await colleague.getByTestId('wb-queue').waitFor();
      await shot(colleague, 'go-live-after-reset.png');
    } catch (err) {
      await shot(admin, 'go-live-failure-admin.png').catch(() => {});
      await shot(colleague, 'go-live-failure-colleague.png').catch(() => {});
      throw err;
    } finally {
      await adminCtx.close();
      await colleagueCtx.close();
    }
  });
});
