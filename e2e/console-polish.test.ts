import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

// The staff console as one finished product: it runs under its Content-Security-Policy (no inline
// script; nothing blocked), /portal-admin opened directly is the console, the settings menu holds only
// what a role can use, and the audit trail is worded.
describe.runIf(runJourneys)('console: CSP, /portal-admin, role-shaped settings, worded audit (Chromium)', () => {
  const env = useJourneyEnv();

  /** Collects page errors and CSP violations (Chromium reports them on the console). */
  function watch(page: Page) {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
    return problems;
  }

  const settingsItems = async (page: Page) => {
    const menu = page.getByTestId('main-menu');
    const settings = menu.getByRole('menuitem', { name: /设置|Settings/ });
    if (!(await settings.count())) return [];
    await settings.first().click();
    await page.waitForTimeout(300);
    return (await menu.locator('.ant-menu-sub .ant-menu-item').allInnerTexts()).map((s) => s.trim());
  };

  it('the admin works through the console under its CSP; /portal-admin opened directly is the console; the audit trail has no raw keys', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const problems = watch(page);
    try {
      const res = await page.goto(`${env.server.url}/login`);
      const csp = res!.headers()['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe');
      await signIn(page, env.server.url, 'admin@demo.keyward.cn');
      for (const url of ['/workbench', '/accounts', '/value-add', '/dashboards', '/kpi', '/settings/catalog']) {
        await page.goto(`${env.server.url}${url}`);
        await page.waitForLoadState('networkidle');
      }
      // opened directly (or refreshed): the console's 门户 page, not the customer portal
      const direct = await page.goto(`${env.server.url}/portal-admin`);
      expect(direct!.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.getByTestId('main-menu').waitFor();
      await page.reload();
      await page.getByTestId('main-menu').waitFor();
      expect(await page.locator('body').innerText()).not.toContain('您当前以员工身份登录');

      // a fresh entry whose after-state holds enum values, ids and times: the newest row of the trail
      const me = (await (await ctx.request.get(`${env.server.url}/api/auth/me`)).json()) as { csrfToken: string };
      const account = ((await (await ctx.request.get(`${env.server.url}/api/accounts?pageSize=1`)).json()) as { items: { id: string }[] }).items[0];
      const created = await ctx.request.post(`${env.server.url}/api/tickets`, {
        data: {
          accountId: account.id,
          title: 'e2e 审计字段',
          description: '审计日志的前后对比',
          kind: 'complaint',
          severity: 'high',
          channel: 'phone',
        },
        headers: { 'x-csrf-token': me.csrfToken },
      });
      expect(created.status()).toBe(201);

      await page.goto(`${env.server.url}/settings/audit`);
      await page.getByTestId('audit-action').first().waitFor();
      expect(await page.getByTestId('audit-action').first().innerText()).toContain('工单');
      await page.locator('.ant-table-row-expand-icon').first().click();
      await page.getByTestId('audit-field').first().waitFor();
      const fields = await page.getByTestId('audit-field').allInnerTexts();
      expect(fields).toEqual(expect.arrayContaining(['状态', '严重程度', '类型', '渠道', '标题', '创建时间']));
      for (const f of fields) {
        expect(f).not.toMatch(/[a-z][A-Z]|_|^[a-z]/); // no ownerId, no account_id, no raw key
        expect(f).toMatch(/[\u4e00-\u9fff]/); // a zh-CN label, not an English stand-in
      }
      expect(fields).not.toContain('工作空间'); // bookkeeping left out
      const diff = await page.locator('.ant-table-expanded-row').first().innerText();
      expect(diff).toContain('新建'); // status open
      expect(diff).toContain('投诉'); // kind complaint
      expect(await page.locator('.ant-table-expanded-row .kw-diff').allInnerTexts()).toContain('高'); // severity high
      expect(diff).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:|\b(complaint|waiting_customer|product_issue)\b/);
      expect(diff).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      const actions = await page.getByTestId('audit-action').allInnerTexts();
      const entities = await page.getByTestId('audit-entity').allInnerTexts();
      for (const text of [...actions, ...entities]) {
        expect(text).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$|[a-z]+_[a-z]+|· [0-9a-f]{8}$/);
        expect(text).not.toContain('其他操作');
      }
      await page.screenshot({ path: path.join(artifactsDir, 'console-audit-words.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  }, 180_000);

  it('the settings menu holds only what a role can use: a manager has no 集成, a channel implementer no 用户与角色 and no one’s email', async () => {
    const seen: Record<string, string[]> = {};
    for (const who of ['admin', 'manager', 'channel', 'csm']) {
      const ctx = await env.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
      const page = await ctx.newPage();
      try {
        await signIn(page, env.server.url, `${who}@demo.keyward.cn`);
        await page.getByTestId('main-menu').waitFor();
        seen[who] = await settingsItems(page);
        if (who === 'channel') {
          const users = (await (await ctx.request.get(`${env.server.url}/api/users`)).json()) as {
            items: { email: string | null; name: string }[];
          };
          expect(users.items.filter((u) => u.email !== null)).toHaveLength(1); // their own
        }
      } finally {
        await ctx.close();
      }
    }
    const has = (who: string, label: string) => seen[who].some((s) => s.startsWith(label));
    expect([has('admin', '集成'), has('admin', '用户与角色'), has('admin', '审计日志')]).toEqual([true, true, true]);
    expect([has('manager', '集成'), has('manager', '审计日志'), has('manager', '服务产品菜单')]).toEqual([false, false, true]);
    expect(has('channel', '用户与角色')).toBe(false);
    expect([has('csm', '集成'), has('csm', '服务产品菜单')]).toEqual([false, false]);
  }, 180_000);
});
