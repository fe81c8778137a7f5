import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv, contextApi } from './support.js';

// Outreach measures in the console (issue 18 point 4): a campaign sent to people at two to-C stages, one account
// moving forward after it; the 触达效果 page shows the funnel and the five growth actions per stage, a number opens
// the people behind it (names, stages in words, times formatted), and the campaign's results open from its row.
describe.runIf(runJourneys)('outreach results (Chromium)', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
  const api = (ctx: BrowserContext) => contextApi(ctx, env.server.url);

  it('a manager sends a campaign, reads its funnel and growth actions, and opens the people behind a number', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const a = await api(ctx);
      const s = await a.get('/api/outreach/settings');
      await a.put('/api/outreach/settings', { capCount: 10, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: false, version: s.version });
      const mk = async (name: string, toCStage: string, person: string, email: string) => {
        const acc = await a.post('/api/accounts', { name, industry: '零售', region: '华东', tags: ['效果旅程'], toCStage });
        const c = await a.post(`/api/accounts/${acc.id}/contacts`, { name: person, email });
        return { account: acc.id as string, contact: c.id as string };
      };
      const x = await mk('效果旅程客户甲', 'contact', '旅程甲', 'journey-a@customer.test');
      const y = await mk('效果旅程客户乙', 'interest', '旅程乙', 'journey-b@customer.test');
      const c = await a.post('/api/outreach/campaigns', {
        name: '效果旅程活动',
        audience: { contactIds: [x.contact, y.contact] },
        subject: '{{name}}，新品',
        body: '{{name}} 您好，新品见 https://shop.example.com/new',
      });
      await a.post(`/api/outreach/campaigns/${c.id}/send`);
      await expect.poll(async () => (await a.get(`/api/outreach/campaigns/${c.id}`)).status, { timeout: 60_000, interval: 500 }).toBe('sent');
      await a.patch(`/api/accounts/${y.account}`, { toCStage: 'purchase' });

      await page.goto(`${env.server.url}/outreach/measures`);
      await page.getByTestId('measures-funnel').locator('canvas').waitFor();
      await page.getByTestId('measures-growth-by-stage').locator('canvas').waitFor();
      const body = await page.locator('.kw-content').innerText();
      expect(body).toContain('效果旅程活动');
      expect(body).toContain('拉新');
      expect(body).toContain('末次触达');
      expect(body).not.toMatch(/stage_moves|referral_visits|\bacquire\b|\d{4}-\d{2}-\d{2}T/);
      await shot(page, 'outreach-measures.png');

      // 拉新 of this campaign: 旅程甲 reached at the contact stage
      const row = page.getByTestId('measures-campaigns').locator('tr').filter({ hasText: '效果旅程活动' });
      const cells = row.locator('td');
      const headers = await page.getByTestId('measures-campaigns').locator('thead th').allInnerTexts();
      await cells
        .nth(headers.findIndex((h) => h.trim() === '拉新'))
        .getByRole('button')
        .click();
      const drawer = page.getByTestId('measure-people');
      await drawer.getByText('旅程甲').waitFor();
      const people = await drawer.innerText();
      expect(people).toContain('接触');
      expect(people).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(people).not.toMatch(/\bcontact\b|\d{4}-\d{2}-\d{2}T/);
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // 转化 through the campaign's results from its row of the list: 旅程乙 moved from interest to purchase
      await page.goto(`${env.server.url}/outreach`);
      await page.getByTestId(`campaign-results-${c.id}`).click();
      const results = page.getByTestId('campaign-results');
      await results.getByTestId('growth-convert').waitFor();
      expect(await results.getByTestId('growth-convert').innerText()).toBe('1');
      await results.getByTestId('growth-convert').click();
      await page.getByTestId('measure-people').getByText('旅程乙').waitFor();
      expect(await page.getByTestId('measure-people').innerText()).toContain('推进至购买');
      await shot(page, 'outreach-campaign-results.png');
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
