import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv, signIn } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.runIf(runJourneys)('manager dashboards in Chromium', () => {
  const env = useJourneyEnv();

  it('opens the dashboard, clicks the tier A bar, lands on the accounts behind it and opens one', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      await page.goto(`${env.server.url}/accounts`); // staff land on 工作台
      await page.getByTestId('account-link').first().waitFor();

      await page.getByRole('menuitem', { name: '驾驶舱' }).click();
      const chart = page.getByTestId('chart-tier');
      await chart.locator('canvas').waitFor();
      // the snapshot says when it was taken, in the workspace's time (no ISO string); 刷新 takes a new one
      const asOf = page.getByTestId('dash-as-of');
      await expect.poll(async () => asOf.textContent()).toMatch(/^数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      const fresh = page.waitForResponse((r) => r.url().includes('/api/dashboards?') && r.url().includes('fresh=true'));
      await page.getByTestId('dash-refresh').click();
      expect((await fresh).status()).toBe(200);
      await page.waitForTimeout(800); // the bars animate in (again, after the refresh)
      const dash = (await (await page.request.get(`${env.server.url}/api/dashboards`)).json()) as Json;
      // the demo's own period is the page's default (last 12 months); tier counts do not depend on it
      const tiers = (dash.charts.tier as Json[]).filter((p) => ['A', 'B', 'C', 'D', 'E'].includes(p.key));
      const idx = tiers.findIndex((p) => p.key === 'A');
      const a = tiers[idx];
      expect(a.n).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(artifactsDir, 'dashboards.png'), fullPage: true });

      // click the middle of the A bar, low enough to be inside even the shortest bar
      const box = (await chart.boundingBox())!;
      const left = 40;
      const right = 16;
      const bottom = 40;
      const x = box.x + left + ((idx + 0.5) * (box.width - left - right)) / tiers.length;
      const y = box.y + box.height - bottom - 4;
      await page.mouse.click(x, y);

      const drawer = page.getByTestId('drill-records');
      await drawer.waitFor();
      await expect.poll(async () => drawer.locator('tbody tr.ant-table-row').count()).toBe(Math.min(a.n, 20));
      const first = drawer.locator('tbody tr.ant-table-row').first().locator('a').first();
      const name = (await first.textContent())!.trim();
      await page.screenshot({ path: path.join(artifactsDir, 'dashboards-drill.png') });
      await first.click();
      await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
      await page.getByText(name).first().waitFor();
      await page.getByTestId('health-card').waitFor();
      await page.getByTestId('health-band').waitFor();
      await page.screenshot({ path: path.join(artifactsDir, 'dashboards-account.png') });
      // the drilled account really is tier A
      const id = page.url().split('/').pop()!;
      const acc = (await (await page.request.get(`${env.server.url}/api/accounts/${id}`)).json()) as Json;
      expect(acc.tier).toBe('A');
    } finally {
      await context.close();
    }
  });
});
