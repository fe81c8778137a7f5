import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv, signIn } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The month `back` months before now, YYYY-MM (the browser and the server share this clock). */
const monthAgo = (back: number) => {
  const d = new Date();
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1));
  return `${x.getUTCFullYear()}-${String(x.getUTCMonth() + 1).padStart(2, '0')}`;
};

describe.runIf(runJourneys)('business value journey in Chromium', () => {
  const env = useJourneyEnv();

  const getJson = async (page: Page, url: string): Promise<Json> => (await page.request.get(`${env.server.url}${url}`)).json();

  it('picks three indicators for an account, enters baseline, target and two actuals, sees the money realised on the chart, downloads the PDF', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      await page.goto(`${env.server.url}/accounts`); // staff land on 工作台
      await page.getByTestId('account-link').first().waitFor();

      // an A or C account with no value project yet
      const list = (await getJson(page, '/api/accounts?tier=A&tier=C&pageSize=200')).items as Json[];
      let account: Json | undefined;
      let seeded = 0;
      for (const a of list) {
        const p = await getJson(page, `/api/accounts/${a.id}/value`);
        if (p.items.length === 0) account ??= a;
        else {
          // the demo's value projects: three indicators each, every figure computable, money realised
          seeded++;
          expect(p.items).toHaveLength(3);
          expect(p.totals.errors).toBe(0);
          expect(p.totals.realisedTotalMinor).toBeGreaterThan(0);
        }
      }
      expect(seeded).toBeGreaterThanOrEqual(3);
      expect(account, 'an A/C account without a value project').toBeTruthy();
      await page.goto(`${env.server.url}/accounts/${account!.id}?tab=value`);
      await page.getByTestId('value-choose').waitFor();

      const baselinePeriod = monthAgo(3);
      const picks = [
        { name: '月上门次数', key: 'onsite_visits', baseline: '120', target: '80', actuals: ['100', '85'] },
        { name: '一次修复率', key: 'first_time_fix_rate', baseline: '72.5', target: '85', actuals: ['76', '80.5'] },
        { name: '月投诉量', key: 'complaints', baseline: '30', target: '18', actuals: ['26', '22'] },
      ];
      for (const p of picks) {
        await page.getByTestId('value-choose').click();
        const modal = page.locator('.ant-modal').filter({ hasText: '与客户商定' });
        await modal.waitFor();
        await modal.locator('.ant-select').first().click();
        await page.keyboard.type(p.name);
        await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: p.name }).first().click();
        await modal.getByTestId('value-baseline').fill(p.baseline);
        await modal.getByTestId('value-baseline-period').fill(baselinePeriod);
        await modal.getByTestId('value-target').fill(p.target);
        await modal.getByTestId('value-choose-ok').click();
        await page.getByTestId(`value-item-${p.key}`).waitFor();
        await modal.waitFor({ state: 'detached' });
      }
      for (const p of picks) {
        for (const [k, v] of p.actuals.entries()) {
          await page.getByTestId(`value-record-${p.key}`).click();
          const modal = page.locator('.ant-modal').filter({ hasText: '录入实际值' });
          await modal.waitFor();
          await modal.getByTestId('value-actual-period').fill(monthAgo(2 - k));
          await modal.getByTestId('value-actual-value').fill(v);
          await modal.getByTestId('value-actual-ok').click();
          await modal.waitFor({ state: 'detached' });
        }
      }

      // hand-computed: month 1 = (120−100)×350 + 3.5%×800×400 + (30−26)×800 = 7,000 + 11,200 + 3,200 = 21,400 yuan
      //                month 2 = (120−85)×350 + 8%×800×400 + (30−22)×800 = 12,250 + 25,600 + 6,400 = 44,250 yuan
      const chart = page.getByTestId('value-money-chart');
      await expect.poll(async () => chart.getAttribute('data-realised'), { timeout: 10_000 }).toBe('2140000,4425000');
      await expect.poll(async () => page.getByTestId('value-realised-total').innerText()).toContain('¥65,650.00');
      expect(await chart.getAttribute('aria-label')).toContain(`${monthAgo(1)}: ¥44,250.00`);
      expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
      const project = await getJson(page, `/api/accounts/${account!.id}/value`);
      expect(project.items.map((i: Json) => [i.key, i.actuals.length])).toEqual(picks.map((p) => [p.key, 2]));
      expect(project.totals.realisedTotalMinor).toBe(6_565_000);
      await page.getByTestId('value-realised-onsite_visits').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(artifactsDir, 'value-360.png'), fullPage: true });

      // the PDF, printed by the server's Chromium, carries the same figures
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('value-pdf').click()]);
      expect(download.suggestedFilename()).toMatch(/^value-report-\d{8}\.pdf$/);
      const file = path.join(artifactsDir, 'value-report.pdf');
      await download.saveAs(file);
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(account!.name);
      expect(text).toContain('业务价值评估报告');
      expect(text).toContain('¥65,650.00');
      expect(text).toContain('月上门次数');

      // settings › indicator library: the workspace's copy of the 9 × 3 default, editable by a manager
      await page.goto(`${env.server.url}/settings/indicators`);
      await page
        .getByTestId('library-add')
        .waitFor()
        .catch(async (e) => {
          await page.screenshot({ path: path.join(artifactsDir, 'value-library-fail.png') });
          throw e;
        });
      await expect.poll(async () => page.locator('.ant-table-row').filter({ hasText: '月上门次数' }).count()).toBe(1);
      expect(await page.locator('.ant-table-row').filter({ hasText: 'improvement * visit_cost' }).count()).toBe(1);
      await page.screenshot({ path: path.join(artifactsDir, 'value-library.png') });
    } finally {
      await context.close();
    }
  });
});
