import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv, signIn } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.runIf(runJourneys)('value-add journey in Chromium', () => {
  const env = useJourneyEnv();

  const getJson = async (page: Page, url: string): Promise<Json> => (await page.request.get(`${env.server.url}${url}`)).json();
  const remaining = async (page: Page, id: string): Promise<number> =>
    (await getJson(page, `/api/accounts/${id}/value-add/budget`)).budget.remainingMinor;

  it('chooses focus tasks for an A account, books two recommended items, watches the budget drop, captures an opportunity, hands it to sales, sees it on the board', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    try {
      await signIn(page, env.server.url, 'csm@demo.keyward.cn');
      await page.goto(`${env.server.url}/accounts`); // staff land on 工作台
      await page.getByTestId('account-link').first().waitFor();

      // the A account with the most budget left
      const list = await getJson(page, '/api/accounts?tier=A&pageSize=200');
      let best = { id: '', name: '', left: -1 };
      for (const a of list.items as Json[]) {
        const left = await remaining(page, a.id);
        if (left > best.left) best = { id: a.id, name: a.name, left };
      }
      expect(best.left).toBeGreaterThan(0);
      await page.goto(`${env.server.url}/accounts/${best.id}?tab=valueAdd`);
      await page.getByTestId('budget-card').waitFor();
      await expect.poll(async () => Number(await page.getByTestId('budget-remaining').getAttribute('data-minor'))).toBe(best.left);

      // focus: exactly 捕捉商机 + 孵化商机, saved
      const focus = ['捕捉商机', '孵化商机'];
      const boxes = page.locator('.ant-card').first().locator('.ant-checkbox-wrapper');
      for (let i = 0; i < (await boxes.count()); i++) {
        const box = boxes.nth(i);
        const text = (await box.innerText()).trim();
        const checked = (await box.getAttribute('class'))!.includes('ant-checkbox-wrapper-checked');
        if (checked !== focus.includes(text)) await box.click();
      }
      await page.getByTestId('save-focus').click();
      await expect
        .poll(async () => (await getJson(page, `/api/accounts/${best.id}/value-add/focus`)).current?.tasks, { timeout: 10_000 })
        .toEqual(['capture', 'incubate']);

      // recommendations, each with its reasons; book the first two that fit
      await expect.poll(async () => page.getByTestId('rec-item').count(), { timeout: 10_000 }).toBeGreaterThan(1);
      const recs = (await getJson(page, `/api/accounts/${best.id}/value-add/recommendations`)).items as Json[];
      expect(recs[0].servedTasks.length).toBe(2);
      // the list follows the saved focus: the first item shows the server's reason for its rank
      await expect.poll(async () => page.getByTestId('rec-item').first().innerText(), { timeout: 10_000 }).toContain(recs[0].reasons[0]);
      let left = best.left;
      const booked: Json[] = [];
      for (let n = 0; n < 2; n++) {
        const fresh = (await getJson(page, `/api/accounts/${best.id}/value-add/recommendations`)).items as Json[];
        const pick = fresh.find((r) => r.fitsBudget && r.pricing === 'free' && !booked.some((b) => b.itemId === r.itemId))!;
        expect(pick, 'a recommended item that fits').toBeTruthy();
        // the booking drawer: what it draws (remaining before → after), then an explicit confirmation
        await page.getByTestId(`book-${pick.itemId}`).click();
        await expect
          .poll(async () => page.getByTestId('booking-remaining-after').innerText(), { timeout: 10_000 })
          .toContain(((left - pick.internalCostMinor) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }));
        await page.getByTestId('booking-confirm').click();
        await page.getByTestId('booking-confirm-ok').click();
        // the live remaining budget drops by exactly the item's internal cost
        await expect
          .poll(async () => Number(await page.getByTestId('budget-remaining').getAttribute('data-minor')), { timeout: 10_000 })
          .toBe(left - pick.internalCostMinor);
        left -= pick.internalCostMinor;
        booked.push(pick);
      }
      expect(await remaining(page, best.id)).toBe(left);
      await expect
        .poll(async () => page.locator('[data-testid="plan-table"] .ant-table-row').filter({ hasText: booked[1].nameZh }).count())
        .toBeGreaterThan(0);
      await page.screenshot({ path: path.join(artifactsDir, 'value-add-360.png'), fullPage: true });

      // capture an opportunity on the 商机 tab, incubate it, and hand it to sales
      const title = `e2e 商机 ${Date.now().toString(36)}`;
      await page.getByTestId('tab-opportunities').click();
      await page.getByTestId('capture-opportunity').first().click();
      await page.getByTestId('capture-title').fill(title);
      await page.getByTestId('capture-amount').fill('360000');
      await page.getByTestId('capture-submit').click();
      const row = page.locator('.ant-table-row').filter({ hasText: title });
      await row.waitFor();
      await row.click();
      await page.getByTestId('opp-start-incubation').click();
      await page.getByTestId('opp-incubation-success').click();
      await expect
        .poll(async () => ((await getJson(page, `/api/opportunities?accountId=${best.id}`)).items as Json[]).find((o) => o.title === title)?.stage, {
          timeout: 10_000,
        })
        .toBe('handed_to_sales');
      const opp = ((await getJson(page, `/api/opportunities?accountId=${best.id}`)).items as Json[]).find((o) => o.title === title)!;
      expect(opp).toMatchObject({ amountMinor: 36_000_000, capturedByName: '何静', sourceKind: 'visit' });

      // the pipeline board (商机 menu) shows it among the handed-over ones
      await page.goto(`${env.server.url}/opportunities`);
      const column = page.getByTestId('column-handed_to_sales');
      await column.waitFor();
      await expect.poll(async () => column.getByTestId('opp-card').filter({ hasText: title }).count(), { timeout: 10_000 }).toBe(1);
      await page.screenshot({ path: path.join(artifactsDir, 'value-add-board.png'), fullPage: true });

      // the catalog editor shows one list without twins (the two seed menus merged), with what customers see
      await page.goto(`${env.server.url}/value-add`);
      const rows = page.locator('[data-testid="catalog-table"] .ant-table-row');
      await expect.poll(async () => rows.count(), { timeout: 10_000 }).toBe(12);
      await expect.poll(async () => rows.first().innerText()).toContain('项目Review和效果评估');
      const names = (await rows.allInnerTexts()).map((r) => r.split('\t')[1] ?? r);
      expect(new Set(names).size).toBe(names.length);
      expect(await page.getByTestId('catalog-customer-visible').count()).toBe(10);
      await page.screenshot({ path: path.join(artifactsDir, 'value-add-catalog.png'), fullPage: true });

      // and the input/output view ranks accounts with the crying children flagged
      await page.goto(`${env.server.url}/value-add?tab=io`);
      await page.getByTestId('io-chart').waitFor();
      expect(await page.locator('.kw-row-flagged').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(artifactsDir, 'value-add-io.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: path.join(artifactsDir, 'value-add-failure.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await page.close();
    }
  });
});
