import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv, contextApi } from './support.js';

// People and portraits (issue 18 point 1): a lead adds behaviour rules and runs them; the 人群 page lists people with
// their stage and tags in words; the 用户画像 page says why each tag is there, takes a manual tag and a stage change.
// The browser runs in another zone than the workspace's: dates on screen must still be the workspace's.
describe.runIf(runJourneys)('people and portraits (Chromium)', () => {
  const env = useJourneyEnv();
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, name), fullPage: true });
  const api = (ctx: BrowserContext) => contextApi(ctx, env.server.url);
  const raw = /\d{4}-\d{2}-\d{2}T|portal_views|purchases|repurchase|\bmanual\b|\brule\b|\bimport\b/;

  it('a manager runs behaviour rules, filters people by tag, reads why a tag is there, tags by hand and moves the stage', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'America/Los_Angeles' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      await signIn(page, env.server.url, 'manager@demo.keyward.cn');
      const a = await api(ctx);

      // the rules page: a rule added through the form, another through the API, then run now
      await page.goto(`${env.server.url}/outreach/tag-rules`);
      await page.getByTestId('tag-rules').waitFor();
      await page.getByTestId('rules-add').click();
      const form = page.getByTestId('rule-form');
      await form.locator('input').first().fill('签过合同');
      await form.locator('.ant-select').nth(0).click();
      await page.locator('.ant-select-item-option').filter({ hasText: '客户签约' }).click();
      await form.locator('.ant-input-number-input').nth(0).fill('1');
      await form.locator('.ant-input-number-input').nth(1).fill('3650');
      await form.locator('input').nth(4).fill('已签约');
      await form.locator('.ant-select').nth(1).click();
      await page.locator('.ant-select-item-option').filter({ hasText: '购买' }).click();
      await page.locator('.ant-modal .ant-btn-primary').click();
      await page.getByTestId('tag-rules').getByText('签过合同').waitFor();
      await a.post('/api/outreach/tag-rules', { name: '常看门户', kind: 'portal_views', minCount: 1, days: 365, tag: '门户活跃' });
      await page.getByTestId('rules-run').click();
      await page.getByText(/已运行 \d+ 条规则/).waitFor();
      const rulesText = await page.getByTestId('tag-rules').innerText();
      expect(rulesText).toContain('近 3650 天客户签约至少 1 次');
      expect(rulesText).toContain('购买');
      expect(rulesText).not.toMatch(raw);
      await shot(page, 'outreach-tag-rules.png');

      // the people page, filtered by the rule's tag: stages and tags in words
      await page.goto(`${env.server.url}/outreach/people`);
      await page.getByTestId('people').waitFor();
      await page.getByTestId('people-tag-filter').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '已签约' }).click();
      await expect.poll(async () => (await page.getByTestId('people').innerText()).includes('已签约'), { timeout: 15_000 }).toBe(true);
      const listText = await page.getByTestId('people').innerText();
      expect(listText).toContain('购买');
      expect(listText).not.toMatch(raw);
      await shot(page, 'outreach-people.png');

      // a portrait: why the rule tag is there, in words and the workspace's dates
      const people = (await a.get(`/api/outreach/people?tag=${encodeURIComponent('已签约')}`)) as { items: { contactId: string; name: string }[] };
      expect(people.items.length).toBeGreaterThan(0);
      // one the rule moved (the demo's end users of 美凌家电 also carry the tag, but their stage was set by hand)
      let person = people.items[0];
      for (const p of people.items) {
        const got = (await a.get(`/api/outreach/people/${p.contactId}`)) as { stageHistory: { source: string }[] };
        if (got.stageHistory.some((h) => h.source === 'rule')) {
          person = p;
          break;
        }
      }
      await page.getByTestId('people').getByText(person.name, { exact: true }).first().click();
      await page.waitForURL((u) => u.pathname === `/outreach/people/${person.contactId}`);
      await page.getByTestId('portrait-tags').waitFor();
      const tags = await page.getByTestId('portrait-tags').innerText();
      expect(tags).toMatch(/规则「签过合同」：近 3650 天客户签约 \d+ 次（至少 1 次）/);
      expect(tags).not.toMatch(raw);
      expect(await page.getByTestId('portrait-stage').innerText()).toBe('购买');
      expect(await page.getByTestId('stage-history').innerText()).toContain('规则');

      // a manual tag and a stage change by hand
      const addTag = page.getByTestId('add-tag-form');
      await addTag.locator('input').first().fill('重点培育');
      await addTag.locator('input').nth(1).fill('展会认识');
      await addTag.locator('button[type=submit]').click();
      await page.getByTestId('portrait-tags').getByText('重点培育').waitFor();
      expect(await page.getByTestId('portrait-tags').innerText()).toContain('展会认识');
      await page.getByTestId('portrait-edit').click();
      const edit = page.getByTestId('portrait-form');
      await edit.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option').filter({ hasText: '忠诚' }).click();
      await edit.locator('input').last().fill('老客户推荐');
      await edit.locator('button[type=submit]').click();
      await expect.poll(async () => page.getByTestId('portrait-stage').innerText(), { timeout: 15_000 }).toBe('忠诚');
      const history = await page.getByTestId('stage-history').innerText();
      expect(history).toContain('购买 → 忠诚');
      expect(history).toContain('老客户推荐');
      expect(history).not.toMatch(raw);
      const saved = (await a.get(`/api/outreach/people/${person.contactId}`)) as { stage: string; tags: { tag: string; source: string }[] };
      expect(saved.stage).toBe('loyalty');
      expect(saved.tags).toContainEqual(expect.objectContaining({ tag: '重点培育', source: 'manual' }));
      await shot(page, 'outreach-portrait.png');
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
