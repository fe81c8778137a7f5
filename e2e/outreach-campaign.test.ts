import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, DEMO_PASSWORD, runJourneys, signIn, useJourneyEnv, contextApi } from './support.js';

// A campaign from the console (issue 18): a manager fills the editor through the UI — a saved segment's conditions
// brought in, a person tag narrowing it, subject and body with the variable buttons — saves it, reads the send
// preview (who gets it, who not and why, in words), sends it from the confirmation that names how many get it,
// waits for the job runner to send it, reads the recipients and the campaign's results and opens the people
// behind a number. Then a portal campaign reaches a key person, who reads it in the portal and opts out.
describe.runIf(runJourneys)('outreach campaign from the editor to the key person (Chromium)', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true, animations: 'disabled' });
  const api = (ctx: BrowserContext) => contextApi(ctx, env.server.url);
  // raw values that must never reach the screen
  const raw = /\bno_consent\b|\bno_address\b|\bcap_reached\b|\bunsubscribed\b|\bplanned\b|\bexcluded\b|\binterest\b|\d{4}-\d{2}-\d{2}T|\{\{/;

  it('a manager builds a campaign in the editor, previews, sends, reads recipients and results; a key person reads and opts out', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'America/Los_Angeles' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const a = await api(ctx);
      // the journey must not depend on the clock: no quiet hours, a cap that the demo's touches leave room under;
      // opt-in stays required, so a person who never agreed is left out with that reason
      const s = await a.get('/api/outreach/settings');
      await a.put('/api/outreach/settings', { capCount: 10, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: true, version: s.version });

      // three accounts of a tag and a saved segment of it; two of their people carry the person tag 旅程重点 and are
      // at the person stage 兴趣
      const mk = async (name: string, person: string, contact: Record<string, string>) => {
        const acc = await a.post('/api/accounts', { name, industry: '零售', region: '华东', tags: ['触达旅程'], toCStage: 'interest' });
        const c = await a.post(`/api/accounts/${acc.id}/contacts`, { name: person, ...contact });
        return c.id as string;
      };
      const x = await mk('触达旅程客户甲', '触达甲', { email: 'reach-a@customer.test' });
      const y = await mk('触达旅程客户乙', '触达乙', { email: 'reach-b@customer.test' });
      const z = await mk('触达旅程客户丙', '触达丙', { email: 'reach-c@customer.test' });
      await a.post(`/api/outreach/contacts/${x}/consents`, { channel: 'email', granted: true, source: 'form' });
      await a.post(`/api/outreach/contacts/${z}/consents`, { channel: 'email', granted: true, source: 'form' });
      for (const id of [x, y]) {
        await a.post(`/api/outreach/people/${id}/tags`, { tag: '旅程重点' });
        const p = await a.get(`/api/outreach/people/${id}`);
        await a.put(`/api/outreach/people/${id}`, { stage: 'interest', timeZone: null, version: p.version });
      }
      await a.post('/api/segments', { name: '触达旅程分群', rules: [{ field: 'tag', values: ['触达旅程'] }] });

      // 精准触达 › 触达活动 through the menu, then 新建触达活动
      await page.goto(`${env.server.url}/`);
      const menu = page.getByTestId('main-menu');
      await menu.getByText('精准触达', { exact: true }).click();
      await menu.getByText('触达活动', { exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/outreach');
      await page.getByTestId('campaigns').waitFor();
      await page.getByRole('button', { name: '新建触达活动' }).click();
      const editor = page.getByTestId('campaign-editor');
      await editor.waitFor();
      await page.getByTestId('campaign-name').fill('新品体验邀请（旅程）');
      await editor.getByText('邮件', { exact: true }).click();
      await page.getByTestId('campaign-segment').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '触达旅程分群' }).click();
      // the segment's rule is in the form now
      await expect.poll(async () => (await editor.innerText()).includes('触达旅程'), { timeout: 10_000 }).toBe(true);
      // typed to find it: the demo's people carry tags of their own, the list is long
      await page.getByTestId('campaign-person-tags').click();
      await page.getByTestId('campaign-person-tags').locator('input').fill('旅程重点');
      await page.locator('.ant-select-item-option').filter({ hasText: '旅程重点' }).click();
      await page.keyboard.press('Escape');
      await page.getByTestId('campaign-person-stages').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '兴趣' }).click();
      await page.keyboard.press('Escape');
      // subject and body with the variable buttons
      await page.getByTestId('campaign-subject').fill('新品体验邀请：');
      await editor.getByRole('button', { name: '联系人姓名' }).click();
      await page.getByTestId('campaign-body').fill('您好，诚邀');
      await editor.getByRole('button', { name: '客户名称' }).click();
      await page.getByTestId('campaign-body').press('End');
      await page.getByTestId('campaign-body').pressSequentially(' 参加新品体验：https://shop.example.com/new');
      expect(await page.getByTestId('campaign-subject').inputValue()).toBe('新品体验邀请：{{name}}');
      expect(await page.getByTestId('campaign-body').inputValue()).toBe('您好，诚邀{{account}} 参加新品体验：https://shop.example.com/new');
      await shot(page, 'outreach-campaign-editor.png');
      await page.getByTestId('campaign-save').click();

      // the drawer shows the saved campaign, its audience in words
      const drawer = page.getByTestId('campaign-drawer');
      await drawer.getByRole('tab', { name: '概览' }).waitFor();
      await expect.poll(async () => (await drawer.innerText()).includes('新品体验邀请（旅程）'), { timeout: 10_000 }).toBe(true);
      const overview = await drawer.innerText();
      expect(overview).toContain('草稿');
      expect(overview).toContain('触达旅程');
      expect(overview).toContain('旅程重点');
      expect(overview).toContain('兴趣');
      // the template's variables in words
      expect(overview).toContain('新品体验邀请：联系人姓名');
      expect(overview).not.toMatch(raw);
      await shot(page, 'outreach-campaign-overview.png');
      // 编辑 opens the draft with its person tag and stage chosen; 取消 leaves it as it was
      await drawer.getByRole('button', { name: /编\s*辑/ }).click();
      await page.getByTestId('campaign-person-tags').getByText('旅程重点').waitFor();
      await page.getByTestId('campaign-person-stages').getByText('兴趣').waitFor();
      await page
        .getByTestId('campaign-editor')
        .getByRole('button', { name: /取\s*消/ })
        .click();
      const campaignId = new URL(page.url()).searchParams.get('c')!;
      const saved = await a.get(`/api/outreach/campaigns/${campaignId}`);
      expect(saved.audience).toMatchObject({
        conditions: [{ field: 'tag', values: ['触达旅程'] }],
        personTags: ['旅程重点'],
        personStages: ['interest'],
      });
      expect(saved.channel).toBe('email');

      // 发送预览: 触达甲 gets it, 触达乙 is left out for want of consent (触达丙 has no person tag: not in the audience)
      await drawer.getByRole('tab', { name: '发送预览' }).click();
      const preview = page.getByTestId('campaign-preview');
      await preview.getByRole('cell', { name: '触达乙' }).waitFor();
      const previewText = await preview.innerText();
      expect(previewText).toContain('触达甲');
      expect(previewText).toContain('未同意接收');
      expect(previewText).toContain('将收到');
      expect(previewText).not.toContain('触达丙');
      // the content as the first person of the list gets it: the variables filled in
      expect(previewText).toMatch(/新品体验邀请：触达[甲乙]/);
      expect(previewText).toMatch(/您好，诚邀触达旅程客户[甲乙] 参加新品体验/);
      expect(previewText).not.toMatch(raw);
      await preview.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
      await shot(page, 'outreach-campaign-preview.png');

      // 发送, confirmed: the confirmation names how many get it
      await drawer.getByRole('tab', { name: '概览' }).click();
      await page.getByTestId('campaign-send').click();
      const confirm = page.locator('.ant-popconfirm');
      await confirm.getByText(/将发送给 1 人，1 人不发送/).waitFor();
      await shot(page, 'outreach-campaign-confirm.png');
      await confirm.locator('.ant-btn-primary').click();
      // the server's job runner sends it; the drawer refreshes while it sends
      await expect
        .poll(async () => drawer.locator('.ant-descriptions .ant-tag').first().innerText(), { timeout: 60_000, interval: 500 })
        .toBe('已发送');
      await page.getByTestId('campaign-counts').waitFor();

      // 收件人: sent and left out, in words, with the workspace's times
      await drawer.getByRole('tab', { name: '收件人' }).click();
      const recipients = page.getByTestId('campaign-recipients');
      await recipients.getByText('触达甲').waitFor();
      const recText = await recipients.innerText();
      expect(recText).toContain('已发送');
      expect(recText).toContain('未同意接收');
      expect(recText).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(recText).not.toMatch(raw);
      await shot(page, 'outreach-campaign-recipients.png');
      await drawer.locator('.ant-drawer-close').click();
      await drawer.waitFor({ state: 'hidden' });
      // the list followed the campaign to 已发送 on its own
      const listRow = page.getByTestId('campaigns').locator('tr').filter({ hasText: '新品体验邀请（旅程）' });
      await expect.poll(async () => listRow.locator('.ant-tag').innerText(), { timeout: 15_000 }).toBe('已发送');

      // 效果: the funnel's numbers; the 已发送 number of the 兴趣 stage opens 触达甲
      await page.getByTestId(`campaign-results-${campaignId}`).click();
      const results = page.getByTestId('campaign-results');
      await results.getByTestId('growth-numbers').waitFor();
      const table = results.locator('.ant-table').last();
      await table.getByText('兴趣').waitFor();
      const headers = await table.locator('thead th').allInnerTexts();
      const row = table.locator('tbody tr').filter({ hasText: '兴趣' });
      const sentCell = row.locator('td').nth(headers.findIndex((h) => h.trim() === '已发送'));
      expect(await sentCell.innerText()).toBe('1');
      const resultsText = await results.innerText();
      expect(resultsText).toContain('未同意接收 1');
      expect(resultsText).not.toMatch(raw);
      await shot(page, 'outreach-campaign-results-funnel.png');
      await sentCell.getByRole('button').click();
      const people = page.getByTestId('measure-people');
      await people.getByText('触达甲').waitFor();
      const peopleText = await people.innerText();
      expect(peopleText).toContain('触达旅程客户甲');
      expect(peopleText).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(peopleText).not.toContain('触达乙');
      expect(peopleText).not.toMatch(raw);
      await shot(page, 'outreach-campaign-results-people.png');
      expect(errors).toEqual([]);

      // a portal campaign to the demo's key person kp1, who agreed to portal messages
      const kp = (await a.get(`/api/outreach/people?q=${encodeURIComponent('kp1@customer.demo')}`)) as { items: { contactId: string }[] };
      expect(kp.items.length).toBeGreaterThan(0);
      const kpId = kp.items[0].contactId;
      await a.post(`/api/outreach/contacts/${kpId}/consents`, { channel: 'portal', granted: true, source: 'form' });
      const pc = await a.post('/api/outreach/campaigns', {
        name: '门户消息旅程',
        channel: 'portal',
        audience: { conditions: [], contactIds: [kpId] },
        subject: '{{name}}，新品体验会邀请',
        body: '{{name}} 您好：{{account}} 受邀参加下周的新品体验会。',
      });
      await a.post(`/api/outreach/campaigns/${pc.id}/send`);
      await expect.poll(async () => (await a.get(`/api/outreach/campaigns/${pc.id}`)).status, { timeout: 60_000, interval: 500 }).toBe('sent');
      const rec = (await a.get(`/api/outreach/campaigns/${pc.id}/recipients`)) as { items: { state: string }[] };
      expect(rec.items.map((r) => r.state)).toEqual(['sent']);

      // the key person in the portal: 消息, the message opened (read), then the opt-out
      const kpCtx = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
      const kpPage = await kpCtx.newPage();
      const kpErrors: string[] = [];
      kpPage.on('pageerror', (e) => kpErrors.push(String(e)));
      try {
        await kpPage.goto(`${env.server.url}/portal`);
        await kpPage.getByTestId('login-email').fill('kp1@customer.demo');
        await kpPage.getByTestId('login-password').fill(DEMO_PASSWORD);
        await kpPage.getByTestId('login-submit').click();
        await kpPage.getByTestId('portal-welcome').waitFor();
        await kpPage.getByRole('link', { name: '消息', exact: true }).click();
        const inbox = kpPage.getByTestId('portal-messages');
        const item = inbox.locator('li').filter({ hasText: '新品体验会邀请' });
        // (polled on the page's text, so a failure says what the page showed)
        await expect.poll(() => kpPage.locator('body').innerText(), { timeout: 30_000 }).toContain('新品体验会邀请');
        expect(await item.innerText()).toContain('未读');
        expect(await item.innerText()).not.toMatch(/\{\{|\d{4}-\d{2}-\d{2}T/);
        await shot(kpPage, 'outreach-portal-inbox.png');
        await item.getByRole('button').click();
        await item.getByText('受邀参加下周的新品体验会').waitFor();
        await expect.poll(async () => (await item.innerText()).includes('未读'), { timeout: 10_000 }).toBe(false);
        const receiving = kpPage.getByTestId('portal-receiving');
        expect(await receiving.isChecked()).toBe(true);
        // the box follows the server's answer (it is the person's recorded choice), so it is clicked, then awaited
        await receiving.click();
        await kpPage.getByText('您已不再接收这些消息').waitFor();
        await expect.poll(() => receiving.isChecked(), { timeout: 10_000 }).toBe(false);
        await shot(kpPage, 'outreach-portal-opted-out.png');
        expect(kpErrors).toEqual([]);
      } finally {
        await kpCtx.close();
      }
      // the opt-out is the person's own withdrawal on the portal channel
      const consents = (await a.get(`/api/outreach/contacts/${kpId}/consents`)) as { current: { portal: { granted: boolean } | null } };
      expect(consents.current.portal?.granted).toBe(false);
    } finally {
      await ctx.close();
    }
  });
});
