import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

// Two people edit the same account from the same snapshot (issue 17, lost updates): the first save wins;
// the second is told who changed it and when, keeps what they typed, reloads, and saves on top —
// the first person's change survives in the fields the second did not touch.
describe.runIf(runJourneys)('concurrent edits of one account (Chromium)', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
  const open = async (browser: Browser, email: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    await signIn(page, env.server.url, email);
    return { ctx, page };
  };

  it('the second of two editors gets the reload prompt with their input kept, and saving after reload keeps both changes', async () => {
    const manager = await open(env.browser, 'manager@demo.keyward.cn');
    const admin = await open(env.browser, 'admin@demo.keyward.cn');
    const errors: string[] = [];
    for (const p of [manager.page, admin.page]) p.on('pageerror', (e) => errors.push(String(e)));
    try {
      const list = (await (await manager.ctx.request.get(`${env.server.url}/api/accounts?q=华东重工`)).json()) as { items: { id: string }[] };
      const id = list.items[0].id;
      // both open the edit drawer on the same version
      for (const { page } of [manager, admin]) {
        await page.goto(`${env.server.url}/accounts/${id}`);
        await page.getByRole('button', { name: '编辑基本信息' }).click();
        await page.getByTestId('account-form-region').waitFor();
      }
      // the manager saves first
      await manager.page.getByTestId('account-form-region').fill('华东（苏州）');
      await manager.page.getByTestId('account-form-submit').click();
      await manager.page.getByText('已保存').waitFor();

      // the admin, still on the old version, changes another field and saves: refused, told who and when
      await admin.page.getByTestId('account-form-industry').fill('高端装备制造');
      await admin.page.getByTestId('account-form-submit').click();
      const notice = admin.page.getByTestId('stale-notice');
      await notice.waitFor();
      const text = await notice.innerText();
      expect(text).toContain('该记录已被他人修改');
      expect(text).toMatch(/林晓燕 于 \d{2}-\d{2} \d{2}:\d{2} 修改了该客户/);
      // what they typed is still there
      expect(await admin.page.getByTestId('account-form-industry').inputValue()).toBe('高端装备制造');
      await shot(admin.page, 'concurrency-stale-notice.png');
      let server = (await (await admin.ctx.request.get(`${env.server.url}/api/accounts/${id}`)).json()) as Record<string, unknown>;
      expect(server.industry).not.toBe('高端装备制造');

      // reload: their change stays, the untouched region now shows the manager's; saving keeps both
      await admin.page.getByTestId('stale-reload').click();
      await admin.page.getByTestId('stale-reloaded').waitFor();
      expect(await admin.page.getByTestId('account-form-industry').inputValue()).toBe('高端装备制造');
      expect(await admin.page.getByTestId('account-form-region').inputValue()).toBe('华东（苏州）');
      await admin.page.getByTestId('account-form-submit').click();
      await admin.page.getByText('已保存').waitFor();
      server = (await (await admin.ctx.request.get(`${env.server.url}/api/accounts/${id}`)).json()) as Record<string, unknown>;
      expect(server.industry).toBe('高端装备制造');
      expect(server.region).toBe('华东（苏州）');
      expect(errors).toEqual([]);
    } finally {
      await manager.ctx.close();
      await admin.ctx.close();
    }
  });
});

// The same for a settings page (issue 17: every settings save is versioned): two admins open 设置 › 合同与交付
// on the same version; the second save is refused naming who saved, keeps its input, and after the reload
// the field the second admin did not touch shows the first admin's value — saving keeps both.
describe.runIf(runJourneys)('concurrent saves of one settings page (Chromium)', () => {
  const env = useJourneyEnv();
  const open = async (browser: Browser, email: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    await signIn(page, env.server.url, email);
    return { ctx, page };
  };

  it('the second admin sees StaleNotice, keeps the choice, and the reload brings in the first admin’s window', async () => {
    const first = await open(env.browser, 'admin@demo.keyward.cn');
    const second = await open(env.browser, 'admin@demo.keyward.cn');
    const errors: string[] = [];
    for (const p of [first.page, second.page]) p.on('pageerror', (e) => errors.push(String(e)));
    const read = async () => (await (await first.ctx.request.get(`${env.server.url}/api/commerce/settings`)).json()) as Record<string, number>;
    try {
      const before = await read();
      const window = before.renewalWindowDays === 120 ? 150 : 120;
      const years = before.orderYears === 1 ? 2 : 1;
      for (const { page } of [first, second]) {
        await page.goto(`${env.server.url}/settings/commerce`);
        await page.getByTestId('commerce-window').waitFor();
      }
      await first.page.getByTestId('commerce-window').fill(String(window));
      await first.page.getByTestId('commerce-settings-save').click();
      await first.page.getByText('已保存').waitFor();

      await second.page.getByTestId('commerce-years').getByText(`最近 ${years} 年`).click();
      await second.page.getByTestId('commerce-settings-save').click();
      const notice = second.page.getByTestId('stale-notice');
      await notice.waitFor();
      expect(await notice.innerText()).toMatch(/于 \d{2}-\d{2} \d{2}:\d{2} 修改了该商务设置/);
      expect(await second.page.getByTestId('commerce-window').inputValue()).toBe(String(before.renewalWindowDays));
      await second.page.screenshot({ path: path.join(artifactsDir, 'concurrency-settings-stale.png'), fullPage: true });
      expect((await read()).orderYears).toBe(before.orderYears);

      await second.page.getByTestId('stale-reload').click();
      await second.page.getByTestId('stale-reloaded').waitFor();
      expect(await second.page.getByTestId('commerce-window').inputValue()).toBe(String(window));
      await second.page.getByTestId('commerce-settings-save').click();
      await second.page.getByText('已保存').waitFor();
      const after = await read();
      expect([after.renewalWindowDays, after.orderYears]).toEqual([window, years]);
      expect(errors).toEqual([]);
      // as it was, for the other journeys
      const csrf = ((await (await first.ctx.request.get(`${env.server.url}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken;
      const put = await first.ctx.request.put(`${env.server.url}/api/commerce/settings`, {
        data: { renewalWindowDays: before.renewalWindowDays, orderYears: before.orderYears, version: after.version },
        headers: { 'x-csrf-token': csrf },
      });
      expect(put.status()).toBe(200);
    } finally {
      await first.ctx.close();
      await second.ctx.close();
    }
  });
});
