import path from 'node:path';
import { DateTime } from 'luxon';
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

  it("the palette's 'see all' opens /search: every account hit by kind, paged as the API pages it", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const api = async (url: string) => (await (await context.request.get(`${env.server.url}${url}`)).json()) as Json;
      // the character most account names share: accounts match any substring, so it has more than the palette's five
      const names = ((await api('/api/accounts?pageSize=200')).items as Json[]).map((a) => a.name as string);
      const counts = new Map<string, number>();
      for (const n of names) for (const c of new Set(n)) counts.set(c, (counts.get(c) ?? 0) + 1);
      const [ch, many] = [...counts].sort((a, b) => b[1] - a[1])[0];
      expect(many).toBeGreaterThan(5);
      await page.getByTestId('search-open').waitFor();
      await page.keyboard.press('Control+k');
      await page.getByTestId('search-input').fill(ch);
      await page.getByTestId('search-more-account').click();
      await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('kind') === 'account' && u.searchParams.get('q') === ch);
      await page.getByTestId('search-page-list').waitFor();
      // page by page, the titles the API gives for the same offset; the last page has no next
      for (let p = 1; ; p++) {
        const want = (await api(`/api/search?q=${encodeURIComponent(ch)}&kind=account&limit=20&offset=${(p - 1) * 20}`)).groups[0] as Json;
        await expect.poll(() => page.getByTestId('search-page-number').innerText()).toContain(String(p));
        await expect
          .poll(async () => (await page.getByTestId('search-page-hit').locator('.ant-list-item-meta-title').allInnerTexts()).map((x) => x.trim()), {
            timeout: 10_000,
          })
          .toEqual((want.items as Json[]).map((h) => h.title));
        if (p === 1) await page.screenshot({ path: path.join(artifactsDir, 'search-page.png'), fullPage: true });
        if (!want.more) {
          expect(await page.getByTestId('search-page-next').isDisabled()).toBe(true);
          break;
        }
        await page.getByTestId('search-page-next').click();
      }
      // the overview tab lists every kind with hits; a hit opens its record
      await page.getByRole('tab', { name: '概览' }).click();
      await page.getByTestId('search-page-group-account').waitFor();
      await page.getByTestId('search-page-group-account').locator('a').first().click();
      await page.waitForURL(/\/accounts\/[0-9a-f-]{36}$/);
    } finally {
      await context.close();
    }
  });

  it("a manager previews SLA deadlines on 设置 › SLA with the browser in another zone: the picked time is the workspace's", async () => {
    // the browser in Los Angeles, the workspace in its own zone (the demo: Asia/Shanghai): what is typed is read in the workspace's zone
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1300 }, locale: 'zh-CN', timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const me = (await (await context.request.get(`${env.server.url}/api/auth/me`)).json()) as Json;
      const zone = me.workspace.timezone as string;
      expect(zone).not.toBe('America/Los_Angeles');
      const expected = DateTime.fromISO('2026-01-09T17:00', { zone }).toUTC().toISO();
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');
      await page.goto(`${env.server.url}/settings/sla`);
      await page.getByTestId('sla-preview').waitFor();
      await page.getByTestId('sla-preview-opened').click();
      await page.keyboard.type('2026-01-09 17:00');
      await page.keyboard.press('Enter');
      const sent = page.waitForRequest((r) => r.url().endsWith('/api/service-desk/sla/preview') && r.method() === 'POST');
      await page.getByTestId('sla-preview-run').click();
      const body = (await sent).postDataJSON() as Json;
      expect(body.openedAt).toBe(expected); // 17:00 in the workspace's zone, not in Los Angeles
      await expect.poll(() => page.getByTestId('sla-preview-due').count(), { timeout: 10_000 }).toBe(2);
      const dues = (await page.getByTestId('sla-preview-due').allInnerTexts()).map((d) => d.trim());
      expect(dues.every((d) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(d))).toBe(true);
      // and the deadlines shown are the server's, read in the workspace's zone (not the browser's)
      const answer = (await (
        await context.request.post(`${env.server.url}/api/service-desk/sla/preview`, {
          data: { openedAt: expected, tier: 'A', severity: 'medium', pauses: [] },
          headers: { 'x-csrf-token': me.csrfToken },
        })
      ).json()) as Json;
      const inZone = (iso: string) => DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
      expect(dues).toEqual([inZone(answer.firstResponse.dueAt), inZone(answer.resolution.dueAt)]);
      await page.screenshot({ path: path.join(artifactsDir, 'sla-preview.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
