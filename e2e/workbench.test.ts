import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.runIf(runJourneys)('workbench journey in Chromium', () => {
  const env = useJourneyEnv();

  it("the CSM opens 工作台 from the menu: the queue most urgent first, today's meetings, accounts at risk with their health; each links to its page", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1300 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'csm@demo.keyward.cn');
      await page.waitForURL(/\/workbench$/); // staff land on 工作台
      await page.getByTestId('wb-queue').waitFor();
      await page.goto(`${env.server.url}/accounts`);
      await page.getByRole('menuitem', { name: '工作台' }).click();
      await page.waitForURL(/\/workbench$/);
      await page.getByTestId('wb-queue').waitFor();

      // what the server says this user has (the seed is relative to its start time)
      const wb = (await (await context.request.get(`${env.server.url}/api/workbench`)).json()) as Json;
      expect(wb.queue.total).toBeGreaterThan(0);
      expect(wb.meetingsToday.total).toBeGreaterThan(0);
      expect(wb.atRisk.total).toBeGreaterThan(0);

      // the queue: as many rows as the server sent, in its order, most urgent first
      await expect.poll(() => page.getByTestId('wb-queue-item').count()).toBe(wb.queue.items.length);
      expect((await page.getByTestId('wb-queue-total').innerText()).trim()).toBe(String(wb.queue.total));
      const states = await page.getByTestId('wb-queue-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-sla')));
      expect(states).toEqual(wb.queue.items.map((i: Json) => i.slaState));
      const rank = { breached: 0, warning: 1 } as Record<string, number>;
      const ranks = states.map((s) => rank[s ?? ''] ?? 2);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      await expect.poll(() => page.getByTestId('wb-ticket-link').first().innerText()).toContain(`#${wb.queue.items[0].number}`);

      // today's meetings and the accounts at risk, with the health band in words
      await expect.poll(() => page.getByTestId('wb-meeting-item').count()).toBe(wb.meetingsToday.items.length);
      await expect.poll(() => page.getByTestId('wb-risk-item').count()).toBe(wb.atRisk.items.length);
      const bands = await page.getByTestId('wb-health-band').allInnerTexts();
      expect(bands.length).toBeGreaterThan(0);
      expect(bands.every((b) => /风险|关注|健康/.test(b))).toBe(true);
      await page.screenshot({ path: path.join(artifactsDir, 'workbench.png'), fullPage: true });

      // every item opens its record: the most urgent ticket, then today's first meeting, then an account
      await page.getByTestId('wb-ticket-link').first().click();
      await page.waitForURL(new RegExp(`/service-desk/tickets/${wb.queue.items[0].id}$`));
      await page.goBack();
      await page.getByTestId('wb-meeting-link').first().click();
      await page.waitForURL(new RegExp(`/meetings/${wb.meetingsToday.items[0].id}$`));
      await page.goBack();
      await page.getByTestId('wb-risk-link').first().click();
      await page.waitForURL(new RegExp(`/accounts/${wb.atRisk.items[0].id}$`));
      await page.goBack();

      // the at-risk number opens exactly the accounts it counts: the list filtered to them, as many rows as the card says
      await page.getByTestId('wb-stat-risk').click();
      await page.waitForURL((u) => u.pathname === '/accounts' && u.searchParams.get('risk') === 'at_risk');
      await page.getByTestId('filter-risk').waitFor();
      const expected = Math.min(wb.atRisk.total, 20);
      await expect.poll(() => page.getByTestId('account-link').count(), { timeout: 10_000 }).toBe(expected);
      const listed = await page.getByTestId('account-link').allInnerTexts();
      // one page (20) holds them all in the demo: then every account the card shows is in it
      if (wb.atRisk.total <= 20) for (const x of wb.atRisk.items) expect(listed).toContain(x.name);
    } finally {
      await context.close();
    }
  });

  it('someone with nothing to do sees the empty states with a next step', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'admin@demo.keyward.cn');
      await page.goto(`${env.server.url}/workbench`);
      await page.getByTestId('wb-queue').waitFor();
      const wb = (await (await context.request.get(`${env.server.url}/api/workbench`)).json()) as Json;
      expect(wb.queue.total).toBe(0);
      await expect.poll(() => page.getByTestId('wb-queue').innerText()).toContain('没有待处理的工单');
      await expect.poll(() => page.getByTestId('wb-queue-item').count()).toBe(0);
      await page.getByTestId('wb-queue').getByRole('link', { name: '打开服务台' }).click();
      await page.waitForURL(/\/service-desk$/);
    } finally {
      await context.close();
    }
  });
});
