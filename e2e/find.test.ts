import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.runIf(runJourneys)('find and follow in Chromium (issue 19)', () => {
  const env = useJourneyEnv();

  it('Ctrl+K finds an account by part of its Chinese name, Enter opens it, and its timeline links to the records', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'csm@demo.keyward.cn');
      await page.waitForURL(/\/workbench$/);
      const accounts = (await (await context.request.get(`${env.server.url}/api/accounts?pageSize=5`)).json()) as Json;
      const target = accounts.items[0] as Json;
      const part = [...target.name].slice(1, 4).join(''); // three characters from inside the name
      // the header (and with it the shortcut's listener) is there before the shortcut is pressed
      await page.getByTestId('search-open').waitFor();
      await page.keyboard.press('Control+k');
      await page.getByTestId('search-input').fill(part);
      await expect.poll(() => page.getByTestId('search-group-account').innerText(), { timeout: 10_000 }).toContain(target.name);
      await page.screenshot({ path: path.join(artifactsDir, 'search-palette.png') });
      // ↓/↑ move the choice; the account group comes first, so Enter on the first hit opens the account
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/accounts/${target.id}$`));

      // '/' opens the palette too (outside a field), Esc closes it
      await page.locator('body').click();
      await page.keyboard.press('/');
      await page.getByTestId('search-input').waitFor();
      await page.keyboard.press('Escape');

      await page.getByTestId('tab-timeline').click();
      await page.getByTestId('account-timeline').waitFor();
      const tl = (await (await context.request.get(`${env.server.url}/api/accounts/${target.id}/timeline`)).json()) as Json;
      expect(tl.items.length).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('timeline-item').count()).toBe(tl.items.length);
      await page.screenshot({ path: path.join(artifactsDir, 'account-timeline.png'), fullPage: true });
      await page.getByTestId('timeline-item').first().locator('a').click();
      await page.waitForURL((u) => u.pathname + u.search === tl.items[0].link);
    } finally {
      await context.close();
    }
  });

  it('a manager previews SLA deadlines on 设置 › SLA', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1300 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      await page.goto(`${env.server.url}/settings/sla`);
      await page.getByTestId('sla-preview').waitFor();
      await page.getByTestId('sla-preview-opened').click();
      await page.keyboard.type('2026-01-09 17:00');
      await page.keyboard.press('Enter');
      await page.getByTestId('sla-preview-run').click();
      await expect.poll(() => page.getByTestId('sla-preview-due').count(), { timeout: 10_000 }).toBe(2);
      const dues = await page.getByTestId('sla-preview-due').allInnerTexts();
      expect(dues.every((d) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(d.trim()))).toBe(true);
      await page.screenshot({ path: path.join(artifactsDir, 'sla-preview.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
