import path from 'node:path';
import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.runIf(runJourneys)('service desk journey in Chromium', () => {
  const env = useJourneyEnv();

  /** The key person's side, through the portal API (their own cookie jar and CSRF token). */
  async function portal(): Promise<{ req: APIRequestContext; csrf: string }> {
    const ctx = await env.browser.newContext();
    const res = await ctx.request.post(`${env.server.url}/api/portal/auth/login`, { data: { email: 'kp1@customer.demo', password: 'Keyward2026!' } });
    expect(res.status()).toBe(200);
    return { req: ctx.request, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  it('a product issue of an A account: lands with the CSM, then a desk engineer; paused, answered by the customer, resolved, rated', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    try {
      await page.goto(`${env.server.url}/login?next=/service-desk`);
      await page.getByTestId('login-email').fill('csm@demo.keyward.cn');
      await page.getByTestId('login-password').fill('Keyward2026!');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('queue-mine').waitFor();

      // open a product issue for 华东重工 (tier A) as taken on the phone
      await page.getByTestId('new-ticket').click();
      await page.getByTestId('ticket-account').click();
      await page.keyboard.type('华东重工');
      await page.locator('.ant-select-item-option').filter({ hasText: '华东重工' }).first().click();
      await page.getByTestId('ticket-title').fill('e2e：工单列表打开缓慢');
      await page.getByTestId('ticket-description').fill('服务站反映打开工单列表要 30 秒以上。');
      await page.getByTestId('ticket-submit').click();
      await page.waitForURL(/\/service-desk\/tickets\//);
      const id = page.url().split('/tickets/')[1].split(/[?#]/)[0];

      // it landed with the CSM (一票到底) and then with a service-desk engineer, and says why
      const reason = page.getByTestId('dispatch-reason');
      await reason.waitFor();
      expect(await reason.innerText()).toMatch(/^A 类客户：客户成功经理 何静 一票到底；产品问题 → 客服团队，SLA P3；按当前负载选定 /);
      await expect.poll(() => page.getByTestId('history-assigned').count()).toBe(2);
      const hops = await page.getByTestId('history-assigned').allInnerTexts();
      expect(hops[0]).toContain('客户成功经理 何静 一票到底');
      expect(hops[1]).toMatch(/客服团队/);
      const owner = (await page.getByTestId('ticket-owner').innerText()).trim();
      expect(['张伟', '李娜', '黄志强']).toContain(owner);
      expect(await page.getByTestId('clock-first_response').getAttribute('data-state')).toBe('running');

      // we ask the customer for something, then pause the clocks while we wait
      await page.getByTestId('reply-body').fill('您好，请提供浏览器版本和出现缓慢的时间段。');
      await page.getByTestId('reply-send').click();
      await expect.poll(() => page.getByTestId('clock-first_response').getAttribute('data-state')).toBe('met');
      await page.getByTestId('action-pause').click();
      await page.getByTestId('action-reason').fill('等待客户提供浏览器版本');
      await page.getByTestId('action-ok').click();
      await expect.poll(() => page.getByTestId('ticket-status').innerText()).toBe('等待客户');
      expect(await page.getByTestId('clock-resolution').getAttribute('data-state')).toBe('paused');

      // the customer answers in the portal: the clocks resume
      const kp = await portal();
      const mine = (await (await kp.req.get(`${env.server.url}/api/portal/tickets`)).json()) as { items: { id: string }[] };
      expect(mine.items.map((i) => i.id)).toContain(id);
      const reply = await kp.req.post(`${env.server.url}/api/portal/tickets/${id}/messages`, {
        data: { body: 'Chrome 120，每天上午 9 点左右最慢。' },
        headers: { 'x-csrf-token': kp.csrf },
      });
      expect(reply.status()).toBe(201);
      await page.reload();
      await expect.poll(() => page.getByTestId('ticket-status').innerText(), { timeout: 10_000 }).toBe('处理中');
      expect(await page.getByTestId('clock-resolution').getAttribute('data-state')).toBe('running');
      expect(await page.getByTestId('history-resumed').count()).toBeGreaterThan(0);

      // resolve it
      await page.getByTestId('action-resolve').click();
      await page.getByTestId('action-resolution').fill('已为工单列表增加索引，打开时间降到 1 秒以内。');
      await page.getByTestId('action-ok').click();
      await expect.poll(() => page.getByTestId('ticket-status').innerText()).toBe('已解决');

      // the customer is asked for satisfaction and rates it
      const view = (await (await kp.req.get(`${env.server.url}/api/portal/tickets/${id}`)).json()) as Json;
      expect(view.canRate).toBe(true);
      expect(JSON.stringify(view)).not.toContain('dispatchReason');
      const rate = await kp.req.post(`${env.server.url}/api/portal/tickets/${id}/csat`, {
        data: { score: 5, comment: '响应及时，解决彻底' },
        headers: { 'x-csrf-token': kp.csrf },
      });
      expect(rate.status()).toBe(201);
      await page.reload();
      await page.getByTestId('csat').waitFor();
      expect(await page.getByTestId('csat').innerText()).toContain('响应及时，解决彻底');
      await expect.poll(() => page.getByTestId('ticket-status').innerText()).toBe('已关闭');
      await page.screenshot({ path: path.join(artifactsDir, 'service-desk-ticket.png'), fullPage: true });

      // the account's 服务 tab shows it, with SLA compliance
      await page.goto(`${env.server.url}/service-desk?queue=breached`);
      await page.getByTestId('queue-breached').waitFor();
      await expect.poll(() => page.getByTestId('ticket-link').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(800); // let the rows finish their entrance animation
      await page.screenshot({ path: path.join(artifactsDir, 'service-desk-queues.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: path.join(artifactsDir, 'service-desk-failure.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await page.close();
    }
  });
});
