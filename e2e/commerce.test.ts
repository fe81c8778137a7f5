import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv, contextApi } from './support.js';

// The commercial record in the console (issue 16): an account's contracts & delivery tab (grading factors,
// aging, a contract's plan and payments, projects with milestones), a payment recorded through the form, the
// renewal board suggesting the stage move for a contract ending in 60 days, and the portal's 交付进展.
describe.runIf(runJourneys)('contracts, collections and renewals (Chromium)', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
  const api = (ctx: BrowserContext) => contextApi(ctx, env.server.url);

  it('a manager records a payment on a contract, sees the figures move, and takes a renewal suggestion; the key person sees the delivery progress', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    let progress: string[] = [];
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const a = await api(ctx);
      const list = (await a.get('/api/accounts?q=华东重工')) as { items: { id: string; name: string }[] };
      const accountId = list.items[0].id;

      // the tab: computed factors, aging and the account's contracts (the demo's, as its ERP import wrote them)
      const contracts = (await a.get(`/api/accounts/${accountId}/contracts`)) as { items: { number: string; projects: number }[] };
      const number = (contracts.items.find((c) => c.projects > 0) ?? contracts.items[0]).number;
      progress = ((await a.get(`/api/accounts/${accountId}/milestones`)) as { items: { title: string }[] }).items.map((m) => m.title);
      expect(progress.length).toBeGreaterThan(0);
      await page.goto(`${env.server.url}/accounts/${accountId}?tab=contracts`);
      await page.getByTestId(`contract-${number}`).waitFor();
      const tab = await page.getByTestId('contracts-tab').innerText();
      expect(tab).toContain('回款及时率');
      expect(tab).toMatch(/逾期 1–30 天|未到期/);
      expect(tab).not.toMatch(/not_due|d0_30|in_force|\d{4}-\d{2}-\d{2}T/);
      await page.getByTestId(`contract-${number}`).click();
      const drawer = page.getByTestId('contract-detail');
      await drawer.getByText(number, { exact: true }).waitFor();
      await drawer.getByText('交付项目').first().waitFor();
      expect(await drawer.innerText()).toMatch(/按期结清|逾期结清|待收/);
      const paymentsBefore = await drawer.locator('.ant-card').filter({ hasText: '回款记录' }).locator('tbody tr').count();

      // record a payment through the form (confirmed by the modal's OK)
      await page.getByTestId('payment-add').click();
      const modal = page.locator('.ant-modal').filter({ hasText: '登记回款' });
      await modal.locator('input').first().click();
      await page.keyboard.type('2026-12-01');
      await page.keyboard.press('Enter');
      await modal.locator('.ant-input-number-input').fill('12345.67');
      await page.getByTestId('payment-save').click();
      await page.getByText('已登记回款').waitFor();
      await expect
        .poll(async () => drawer.locator('.ant-card').filter({ hasText: '回款记录' }).locator('tbody tr').count(), { timeout: 15_000 })
        .toBe(paymentsBefore + 1);
      expect(await drawer.innerText()).toContain('¥12,345.67');
      await shot(page, 'commerce-contract.png');
      await page.keyboard.press('Escape');

      // a contract ending in 60 days: on the renewal board with its renewal opportunity and the stage suggestion
      const today = new Date(Date.now() + 8 * 3_600_000);
      const day = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
      const target = list.items[0];
      const other = ((await a.get('/api/accounts?stage=adaptation&channel=direct')) as { items: { id: string; name: string }[] }).items.find(
        (x) => x.id !== target.id,
      )!;
      await a.post(`/api/accounts/${other.id}/contracts`, {
        number: 'E2E-REN-60',
        title: '年度维保',
        amountMinor: 36_000_000,
        signedOn: day(-300),
        startsOn: day(-300),
        endsOn: day(60),
      });
      await page.goto(`${env.server.url}/renewals`);
      const card = page.getByTestId('renewal-E2E-REN-60');
      await card.waitFor();
      expect(await page.getByTestId('renewal-col-60').innerText()).toContain('E2E-REN-60');
      expect(await card.innerText()).toContain('续约商机');
      expect(await card.innerText()).not.toContain('尚无续约商机');
      await page.getByTestId('renewal-move-E2E-REN-60').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.getByText('已移入续约期').waitFor();
      const moved = (await a.get(`/api/accounts/${other.id}`)) as { stage: string };
      expect(moved.stage).toBe('renewal');
      await shot(page, 'commerce-renewals.png');

      // the dashboard: collections and renewals, each number opening its records
      await page.goto(`${env.server.url}/dashboards`);
      await page.getByTestId('dash-collections').waitFor();
      expect(await page.getByTestId('dash-collections').innerText()).toContain('逾期未收');
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }

    // the key person's 交付进展: the project milestones in words, no internal figures
    const kpCtx = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const kp = await kpCtx.newPage();
    try {
      await kp.goto(`${env.server.url}/portal`);
      await kp.getByTestId('login-email').fill('kp1@customer.demo');
      await kp.getByTestId('login-password').fill('Keyward2026!');
      await kp.getByTestId('login-submit').click();
      await kp.getByTestId('portal-welcome').waitFor();
      await kp.goto(`${env.server.url}/portal/delivery`);
      await kp.getByTestId('milestones').waitFor();
      const text = await kp.getByTestId('milestones').innerText();
      // the milestones the console previews for 华东重工 are what its key person reads, in words
      for (const title of progress) expect(text).toContain(title);
      expect(text).toMatch(/已完成|进行中|计划中|延期/);
      expect(text).not.toMatch(/in_progress|delayed|done_on_time|工时|缺陷|合同金额/);
    } finally {
      await kpCtx.close();
    }
  });

  it('an engineer corrects a booked time entry; when a lead changed it meanwhile, the 412 says so and a reload keeps the typed hours', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await signIn(page, env.server.url, 'delivery@demo.keyward.cn');
      const a = await api(ctx);
      const projects = (await a.get('/api/projects')) as { items: { id: string; name: string }[] };
      expect(projects.items.length).toBeGreaterThan(0);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const entry = (await a.post(`/api/projects/${projects.items[0].id}/time-entries`, { workedOn: today, hours: 2, note: 'E2E 工时更正' })) as {
        id: string;
      };
      await page.goto(`${env.server.url}/time`);
      const row = page.locator('tr').filter({ hasText: 'E2E 工时更正' });
      await row.waitFor();
      // every row names its project, closed ones too
      expect(await row.innerText()).toContain(projects.items[0].name);
      expect(await page.locator('tbody').innerText()).not.toContain('—');

      // a plain correction
      await row.getByTestId('time-correct').click();
      await page.getByTestId('time-correct-hours').fill('3.5');
      await page.getByTestId('time-correct-save').click();
      await page.getByText('已更正').waitFor();
      await expect.poll(async () => row.innerText(), { timeout: 15_000 }).toContain('3.5');

      // someone changes it while the dialog is open: the save is refused with who and when, the reload keeps 4.5
      await row.getByTestId('time-correct').click();
      await page.getByTestId('time-correct-hours').fill('4.5');
      await a.patch(`/api/time-entries/${entry.id}`, { note: 'E2E 工时更正（组长改）' });
      await page.getByTestId('time-correct-save').click();
      const notice = page.getByTestId('stale-notice');
      await notice.waitFor();
      expect(await notice.innerText()).toContain('刘洋');
      await shot(page, 'time-correct-stale.png');
      await page.getByTestId('stale-reload').click();
      await page.getByTestId('stale-reloaded').waitFor();
      expect(await page.getByTestId('time-correct-hours').inputValue()).toBe('4.5');
      await page.getByTestId('time-correct-save').click();
      await page.getByText('已更正').first().waitFor();
      const fresh = (await a.get(`/api/time-entries?from=${today}&to=${today}`)) as {
        items: { id: string; hours: number; note: string; version: number }[];
      };
      expect(fresh.items.find((e) => e.id === entry.id)).toMatchObject({ hours: 4.5, note: 'E2E 工时更正（组长改）', version: 4 });
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
