import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv, signIn } from './support.js';

describe.runIf(runJourneys)('accounts journey in Chromium', () => {
  const env = useJourneyEnv();

  it('logs in, filters to tier A, opens an account, moves its stage, sees the timeline grow, switches to English', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      await page.goto(`${env.server.url}/accounts`); // staff land on 工作台
      await page.getByTestId('account-link').first().waitFor();

      // filter to tier A through the filter bar
      await page.getByTestId('filter-tier').click();
      await page.locator('.ant-select-item-option').filter({ hasText: /^A/ }).first().click();
      await page.keyboard.press('Escape');
      await page.waitForURL(/tier=A/);
      const api = await page.request.get(`${env.server.url}/api/accounts?tier=A&pageSize=200`);
      const expected = (await api.json()) as { total: number; items: { name: string }[] };
      expect(expected.total).toBeGreaterThan(0);
      await expect.poll(async () => page.getByTestId('account-link').count(), { timeout: 10_000 }).toBe(expected.total);
      const tiers = await page.locator('.ant-table-row [data-testid="tier-tag"]').allInnerTexts();
      expect(tiers.length).toBe(expected.total);
      expect(tiers.every((t) => t.trim().startsWith('A'))).toBe(true);

      // open the first A account and move its stage
      const name = (await page.getByTestId('account-link').first().innerText()).trim();
      expect(expected.items.map((i) => i.name)).toContain(name);
      await page.getByTestId('account-link').first().click();
      await page.getByTestId('stage-timeline').waitFor();
      await expect.poll(async () => page.getByTestId('stage-timeline-item').count()).toBeGreaterThan(0);
      const before = await page.getByTestId('stage-timeline-item').count();
      const id = page.url().split('/accounts/')[1].split(/[?#]/)[0];
      const stageBefore = (await (await page.request.get(`${env.server.url}/api/accounts/${id}`)).json()) as {
        stage: string;
        allowedNextStages: string[];
      };
      await page.getByTestId('stage-move').click();
      const target = stageBefore.allowedNextStages[0];
      // the options are in the order the server allows them; the first is the usual next stage
      await page.locator('.ant-modal .ant-radio-button-wrapper').first().click();
      await page.getByTestId('stage-move-note').fill('e2e：客户进入下一阶段');
      await page.getByTestId('stage-move-confirm').click();
      await expect.poll(async () => page.getByTestId('stage-timeline-item').count(), { timeout: 10_000 }).toBe(before + 1);
      const after = (await (await page.request.get(`${env.server.url}/api/accounts/${id}`)).json()) as { stage: string; daysInStage: number };
      expect(after.stage).toBe(target);
      expect(after.daysInStage).toBe(0);

      // switch to English; the choice sticks across a reload
      await expect(page.getByTestId('tab-overview')).toBeDefined();
      expect(await page.getByTestId('tab-overview').innerText()).not.toBe('Overview');
      await page.getByTestId('lang-switch').click();
      await expect.poll(async () => page.getByTestId('tab-overview').innerText(), { timeout: 10_000 }).toBe('Overview');
      await page.reload();
      await expect.poll(async () => page.getByTestId('tab-overview').innerText(), { timeout: 10_000 }).toBe('Overview');
      await page.screenshot({ path: path.join(artifactsDir, 'accounts-360-en.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: path.join(artifactsDir, 'accounts-failure.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await page.close();
    }
  });

  it('started from an empty folder within the measured time and printed the demo logins', () => {
    expect(env.server.output()).toContain('admin@demo.keyward.cn');
    expect(env.server.output()).toContain('Keyward2026!');
    console.log(`e2e server: start to serving in ${env.server.startupMs} ms (fresh PGlite, demo seeded)`);
  });
});
