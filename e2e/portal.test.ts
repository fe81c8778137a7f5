import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, useJourneyEnv } from './support.js';

describe.runIf(runJourneys)('customer portal journey in Chromium', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });

  it('a key person requests a service product and posts a need; the CSM sees it live and answers; the key person sees the answer; stored XSS stays inert', async () => {
    const kpCtx = await env.browser.newContext({ viewport: { width: 420, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const staffCtx = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const kp = await kpCtx.newPage();
    const csm = await staffCtx.newPage();
    const scriptErrors: string[] = [];
    kp.on('pageerror', (e) => scriptErrors.push(String(e)));
    try {
      // staff publish content carrying a stored-XSS payload (sanitised on save and on render)
      await csm.goto(`${env.server.url}/login?next=/portal-admin`);
      await csm.getByTestId('login-email').fill('csm@demo.keyward.cn');
      await csm.getByTestId('login-password').fill('Keyward2026!');
      await csm.getByTestId('login-submit').click();
      await csm.getByTestId('needs-list').waitFor();
      const me = (await (await staffCtx.request.get(`${env.server.url}/api/auth/me`)).json()) as { csrfToken: string };
      const post = await staffCtx.request.post(`${env.server.url}/api/portal-admin/posts`, {
        headers: { 'x-csrf-token': me.csrfToken },
        data: {
          kind: 'news',
          title: 'e2e <img src=x onerror="window.__xss=1"> 标题',
          bodyHtml: '<p>正文<img src=x onerror="window.__xss=2"><script>window.__xss=3</script></p>',
        },
      });
      expect(post.status()).toBe(201);

      // the key person signs in: the portal page has a CSP without inline scripts
      const res = await kp.goto(`${env.server.url}/portal`);
      expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
      const scriptSrc = res!
        .headers()
        ['content-security-policy'].split(';')
        .find((d) => d.trim().startsWith('script-src'))!;
      expect(scriptSrc).not.toContain('unsafe-inline');
      // benchmark: time to first render of the portal on localhost (first contentful paint), printed for the closing note
      await kp.getByTestId('portal-login-form').waitFor();
      const fcp = await kp.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null");
      const nav = await kp.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? Math.round(n.domContentLoadedEventEnd) : null })()",
      );
      console.log(`portal first render on localhost: FCP ${Math.round(Number(fcp))} ms, DOMContentLoaded ${nav} ms`);
      await kp.getByTestId('login-email').fill('kp1@customer.demo');
      await kp.getByTestId('login-password').fill('Keyward2026!');
      await kp.getByTestId('login-submit').click();
      await kp.getByTestId('portal-welcome').waitFor();
      expect(await kp.getByTestId('portal-account').innerText()).toContain('华东重工');
      await kp.getByTestId('your-team').waitFor();
      await kp.getByTestId('home-news').waitFor();
      // only their account: the portal API answers for 华东重工 only
      const team = (await (await kpCtx.request.get(`${env.server.url}/api/portal/team`)).json()) as { account: { name: string } };
      expect(team.account.name).toContain('华东重工');
      await shot(kp, 'portal-home.png');

      // the XSS post renders as text; no script ran
      await kp.getByText('e2e <img src=x onerror="window.__xss=1"> 标题').first().click();
      await kp.getByTestId('post').waitFor();
      expect(await kp.evaluate('window.__xss')).toBeUndefined();
      expect(await kp.getByTestId('post').locator('script').count()).toBe(0);

      // request a service product from the menu
      await kp.getByTestId('nav-catalog').click();
      await kp.getByTestId('catalog-item').first().waitFor();
      await kp.getByTestId('request-open').first().click();
      await kp.getByTestId('request-note').fill('希望下月安排');
      await kp.getByTestId('request-send').click();
      await kp.getByTestId('requested').waitFor();

      // post a need (with a harmless-looking payload in its title)
      await kp.getByTestId('nav-needs').click();
      const title = `e2e：能耗看板需求 <script>window.__xss=4</script>`;
      await kp.getByTestId('need-title').fill(title);
      await kp.getByTestId('need-body').fill('希望在平台上增加分厂能耗看板。');
      await kp.getByTestId('need-submit').click();
      await kp.getByTestId('needs').getByText(title).waitFor();

      // the CSM sees it appear without reloading (server-sent events) and answers
      const row = csm.getByTestId('need-row').filter({ hasText: 'e2e：能耗看板需求' });
      await row.first().waitFor({ timeout: 15_000 });
      await row.first().click();
      await csm.getByTestId('need-thread').waitFor();
      await csm.getByTestId('answer-input').fill('收到，本周五给您看原型。');
      await csm.getByTestId('answer-send').click();
      await csm.getByTestId('need-thread').getByText('收到，本周五给您看原型。').waitFor();
      await shot(csm, 'portal-staff-needs.png');

      // a ticket with a stored-XSS payload in its title and description shows inertly too
      await kp.getByTestId('nav-tickets').click();
      await kp.getByTestId('ticket-title').fill('e2e <img src=x onerror="window.__xss=5"> 工单');
      await kp.getByTestId('ticket-description').fill('<script>window.__xss=6</script> 描述');
      await kp.getByTestId('ticket-submit').click();
      await kp.getByTestId('tickets').getByText('e2e <img src=x onerror="window.__xss=5"> 工单', { exact: false }).click();
      await kp.getByTestId('ticket').getByText('<script>window.__xss=6</script> 描述').waitFor();
      expect(await kp.evaluate('window.__xss')).toBeUndefined();
      await kp.getByTestId('nav-needs').click();

      // the key person sees the answer (the need view refreshes on its own)
      await kp.getByTestId('needs').getByText(title).click();
      await kp.getByTestId('need-thread').getByText('收到，本周五给您看原型。').waitFor({ timeout: 15_000 });
      expect(await kp.evaluate('window.__xss')).toBeUndefined();
      await shot(kp, 'portal-need-answered.png');
      expect(scriptErrors).toEqual([]);

      // the 360's 门户 tab shows the request and the need
      const accId = ((await (await kpCtx.request.get(`${env.server.url}/api/portal/team`)).json()) as { account: { id: string } }).account.id;
      await csm.goto(`${env.server.url}/accounts/${accId}?tab=portal`);
      await csm.getByTestId('portal-suggestions').waitFor();
      await shot(csm, 'portal-360-tab.png');
    } finally {
      await kpCtx.close();
      await staffCtx.close();
    }
  }, 180_000);
});
