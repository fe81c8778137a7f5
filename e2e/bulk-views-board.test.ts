import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, runJourneys, signIn, useJourneyEnv } from './support.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Issue 19's daily-work tools, walked in Chromium: bulk actions on the account list (stage, tag, export of a
// selection) and on the service desk (reassign, export), saved views (save, reopen, shared with a colleague),
// the pipeline board's drag and drop (persisted), and the offline summariser on real-style minutes.
describe.runIf(runJourneys)('bulk actions, saved views, pipeline drag and drop, summariser (Chromium)', () => {
  const env = useJourneyEnv();

  async function session(email: string, opts: { timezoneId?: string } = {}) {
    const ctx = await env.browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN', acceptDownloads: true, ...opts });
    const page = await ctx.newPage();
    await signIn(page, env.server.url, email);
    const me = (await (await ctx.request.get(`${env.server.url}/api/auth/me`)).json()) as Json;
    const api = async (url: string) => {
      const r = await ctx.request.get(`${env.server.url}${url}`);
      expect(r.status(), url).toBe(200);
      return (await r.json()) as Json;
    };
    return { ctx, page, csrf: me.csrfToken as string, me, api };
  }

  /** Ticks the rows of a table by their ids (antd puts the row key on the row). */
  async function tick(page: Page, ids: string[]) {
    for (const id of ids) {
      const box = page.locator(`tr[data-row-key="${id}"] .ant-checkbox-input`);
      await box.waitFor();
      await box.check();
    }
  }

  /** Picks an option of an antd Select by its label. */
  async function pick(page: Page, select: ReturnType<Page['getByTestId']>, label: string) {
    await select.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first().click();
  }

  /** Closes the bulk result (its OK button) and waits until it is gone. */
  async function closeResult(page: Page) {
    await page
      .getByRole('dialog')
      .filter({ has: page.getByTestId('bulk-result') })
      .locator('.ant-btn-primary')
      .click();
    await page.getByTestId('bulk-result').waitFor({ state: 'hidden' });
  }

  async function download(page: Page, ctx: BrowserContext, trigger: string, item: string) {
    await page.getByTestId(trigger).hover();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(item).click()]);
    const p = await file.path();
    expect(p).toBeTruthy();
    void ctx;
    return { name: file.suggestedFilename(), rows: parse(fs.readFileSync(p!, 'utf8'), { bom: true, relax_column_count: true }) as string[][] };
  }

  it('accounts: tick two, move their stage, add a tag, export just them; the service desk: tick two, reassign, export', async () => {
    const s = await session('manager@demo.keyward.cn');
    const { page, api } = s;
    try {
      // two accounts in one stage that moves on (the lifecycle allows one step forward)
      const forward: Record<string, string> = { handover: 'startup', startup: 'adaptation', adaptation: 'renewal', renewal: 'adaptation' };
      const all = (await api('/api/accounts?pageSize=200')).items as Json[];
      const from = Object.keys(forward).find((st) => all.filter((a) => a.stage === st).length >= 2);
      expect(from, 'two accounts share a live stage').toBeTruthy();
      const to = forward[from!];
      await page.goto(`${env.server.url}/accounts?stage=${from}`);
      const first = ((await api(`/api/accounts?stage=${from}&pageSize=20`)).items as Json[]).slice(0, 2);
      const ids = first.map((a) => a.id as string);
      await tick(page, ids);
      await page.getByTestId('account-bulk-bar').waitFor();
      expect(await page.getByTestId('account-bulk-bar').innerText()).toContain('2');

      // stage: the dialog is the confirmation
      await page.getByTestId('bulk-stage').click();
      const label = { handover: '交接期', startup: '启动期', adaptation: '适应期', renewal: '续约期' }[to]!;
      await pick(page, page.getByTestId('bulk-stage-to'), label);
      await page.getByRole('button', { name: '确认执行' }).click();
      await page.getByTestId('bulk-result').waitFor();
      expect(await page.getByTestId('bulk-result').innerText()).toContain('2');
      await expect.poll(async () => (await Promise.all(ids.map((id) => api(`/api/accounts/${id}`)))).map((a) => a.stage)).toEqual([to, to]);
      await closeResult(page);

      // the list still shows the moved rows until it refetches; tick them again (by id) on the unfiltered list
      const tag = `e2e批量${Date.now() % 100000}`;
      await page.goto(`${env.server.url}/accounts?stage=${to}`);
      await tick(page, ids);
      await page.getByTestId('bulk-tag').click();
      const tagInput = page.getByTestId('bulk-tag-input').locator('input');
      await tagInput.fill(tag);
      // the tag suggestions open over the dialog's buttons: leave the field as a user would, and see them go
      await tagInput.blur();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
      await page.getByRole('button', { name: '确认执行' }).click();
      await page.getByTestId('bulk-result').waitFor();
      await expect
        .poll(async () => (await Promise.all(ids.map((id) => api(`/api/accounts/${id}`)))).every((a) => (a.tags as string[]).includes(tag)))
        .toBe(true);
      await closeResult(page);

      // export of the selection: exactly these two, labelled
      await tick(page, ids);
      const file = await download(page, s.ctx, 'bulk-export', 'export-selection-csv');
      expect(file.name).toMatch(/^accounts-\d{8}\.csv$/);
      const [header, ...rows] = file.rows;
      expect(header[0]).toBe('客户名称');
      expect(rows.map((r) => r[0]).sort()).toEqual(first.map((a) => a.name as string).sort());
      expect(rows.every((r) => r[header.indexOf('阶段')] === label)).toBe(true);
      await page.screenshot({ path: path.join(artifactsDir, 'bulk-accounts.png'), fullPage: true });

      // the service desk: two open tickets of one team on the first page, reassigned to another member of it
      const tickets = (await api('/api/tickets?queue=all&pageSize=20')).items as Json[];
      const teams = (await api('/api/teams')).items as Json[];
      let chosen: { ids: string[]; owner: Json } | null = null;
      for (const team of teams) {
        const mine = tickets.filter((t) => t.teamId === team.id && ['open', 'in_progress'].includes(t.status)).slice(0, 2);
        if (mine.length < 2) continue;
        const owner = (team.members as Json[] | undefined)?.find((m) => mine.every((t) => t.ownerId !== m.id));
        if (owner) {
          chosen = { ids: mine.map((t) => t.id as string), owner };
          break;
        }
      }
      expect(chosen, 'two open tickets of one team and another member to take them').toBeTruthy();
      await page.goto(`${env.server.url}/service-desk?queue=all`);
      await tick(page, chosen!.ids);
      await page.getByTestId('bulk-assign').click();
      await pick(page, page.getByTestId('bulk-assign-owner'), chosen!.owner.name);
      await page.getByTestId('bulk-assign-reason').fill('集中处理（e2e）');
      await page.getByRole('button', { name: '确认执行' }).click();
      await page.getByTestId('bulk-result').waitFor();
      await expect
        .poll(async () => (await Promise.all(chosen!.ids.map((id) => api(`/api/tickets/${id}`)))).map((t) => t.ownerId))
        .toEqual([chosen!.owner.id, chosen!.owner.id]);
      await closeResult(page);
      await tick(page, chosen!.ids);
      const tf = await download(page, s.ctx, 'ticket-bulk-export', 'ticket-export-selection-csv');
      expect(tf.name).toMatch(/^tickets-\d{8}\.csv$/);
      const [th, ...trs] = tf.rows;
      expect(trs).toHaveLength(2);
      expect(trs.every((r) => r[th.indexOf('处理人')] === chosen!.owner.name)).toBe(true);
      expect(tf.rows.flat().join(' ')).not.toMatch(/\d{4}-\d{2}-\d{2}T|\b(in_progress|product_issue|medium)\b/);
    } finally {
      await s.ctx.close();
    }
  }, 180_000);

  it('saved views: a manager saves a filtered list as a shared view, reopens it, and a CSM finds and applies it', async () => {
    const name = `A 类续约 ${Date.now() % 100000}`;
    const m = await session('manager@demo.keyward.cn');
    try {
      await m.page.goto(`${env.server.url}/accounts?tier=A`);
      await m.page.getByTestId('account-link').first().waitFor();
      await m.page.getByTestId('view-save').click();
      await m.page.getByLabel('视图名称').fill(name);
      await m.page.getByText('共享给整个工作区').click();
      await m.page.getByRole('dialog').filter({ hasText: '共享给整个工作区' }).locator('.ant-btn-primary').click();
      await expect
        .poll(async () => ((await m.api('/api/saved-views?page=accounts')).items as Json[]).find((v) => v.name === name)?.shared)
        .toBe(true);
      // reopen: from an unfiltered list, pick the view
      await m.page.goto(`${env.server.url}/accounts`);
      await pick(m.page, m.page.getByTestId('saved-views-accounts'), name);
      await m.page.waitForURL((u) => u.searchParams.getAll('tier').join() === 'A');
      await expect.poll(async () => [...new Set(await m.page.getByTestId('tier-tag').allInnerTexts())].map((x) => x.trim()[0])).toEqual(['A']);
    } finally {
      await m.ctx.close();
    }
    const c = await session('csm@demo.keyward.cn');
    try {
      await c.page.goto(`${env.server.url}/accounts`);
      await pick(c.page, c.page.getByTestId('saved-views-accounts'), name);
      await c.page.waitForURL((u) => u.searchParams.getAll('tier').join() === 'A');
      await c.page.screenshot({ path: path.join(artifactsDir, 'saved-view-shared.png'), fullPage: true });
    } finally {
      await c.ctx.close();
    }
  }, 120_000);

  it('pipeline: a card dragged to the next stage is moved on the server and stays there after a reload', async () => {
    const s = await session('manager@demo.keyward.cn');
    try {
      const board = await s.api('/api/opportunities/board');
      const cols = board.columns as Json[];
      let card: Json | null = null;
      let to = '';
      const everyCard = cols.flatMap((c) => c.items as Json[]);
      for (const c of cols)
        for (const o of c.items as Json[]) {
          const next = (o.allowedNext as string[]).find((x) => x !== 'lost' && x !== 'won');
          // a title no other card has, so the card on screen is this one
          if (!card && next && everyCard.filter((y) => y.title === o.title).length === 1) {
            card = o;
            to = next;
          }
        }
      expect(card, 'a card that can move forward').toBeTruthy();
      await s.page.goto(`${env.server.url}/opportunities`);
      const src = s.page.getByTestId('opp-card').filter({ hasText: card!.title }).first();
      await src.waitFor();
      // a drag as a hand does it: press on the card, start moving, see it picked up, then drop it on the column
      await src.scrollIntoViewIfNeeded();
      const box = (await src.boundingBox())!;
      await s.page.mouse.move(box.x + box.width / 2, box.y + 12);
      await s.page.mouse.down();
      await s.page.mouse.move(box.x + box.width / 2 + 8, box.y + 20, { steps: 4 });
      await expect.poll(() => src.getAttribute('style')).toContain('opacity: 0.5'); // this card is the one being dragged
      const target = s.page.getByTestId(`column-${to}`);
      const tb = (await target.boundingBox())!;
      await s.page.mouse.move(tb.x + tb.width / 2, tb.y + 60, { steps: 10 });
      await s.page.mouse.up();
      await expect.poll(async () => (await s.api(`/api/opportunities/${card!.id}`)).stage, { timeout: 10_000 }).toBe(to);
      await s.page.reload();
      await s.page.getByTestId(`column-${to}`).getByTestId('opp-card').filter({ hasText: card!.title }).first().waitFor();
      await s.page.screenshot({ path: path.join(artifactsDir, 'pipeline-dragged.png'), fullPage: true });
    } finally {
      await s.ctx.close();
    }
  }, 120_000);

  it('summariser: minutes with an amount, a Chinese due date and an owner give a summary that shows all three', async () => {
    const s = await session('manager@demo.keyward.cn');
    try {
      const account = ((await s.api('/api/accounts?pageSize=1')).items as Json[])[0];
      const users = ((await s.api('/api/users')).items as Json[]).filter((u) => u.active !== false && u.role === 'after_sales');
      const owner = users[0];
      expect(owner).toBeTruthy();
      const held = new Date(Date.now() - 2 * 86_400_000);
      const res = await s.ctx.request.post(`${env.server.url}/api/meetings`, {
        data: {
          accountId: account.id,
          kind: 'ad_hoc',
          cause: 'requirement_change',
          title: 'e2e 扩容方案沟通',
          startsAt: held.toISOString(),
          endsAt: new Date(held.getTime() + 3_600_000).toISOString(),
          attendeeIds: [owner.id],
        },
        headers: { 'x-csrf-token': s.csrf },
      });
      expect(res.status()).toBe(201);
      const meeting = (await res.json()) as Json;
      await s.page.goto(`${env.server.url}/meetings/${meeting.id}`);
      await s.page
        .getByTestId('minutes')
        .fill(
          `扩容方案沟通\n客户担心高峰期系统响应变慢，影响月底结算。\n会议决定：采用分阶段扩容方案。\n预计追加投入 120 万元预算，需客户侧审批。\n${owner.name}负责 12 月 10 日前提交扩容方案和报价。`,
        );
      await s.page.getByTestId('save-minutes').click();
      await s.page.getByTestId('summary-action').first().waitFor({ timeout: 30_000 });
      await expect.poll(() => s.page.getByTestId('summary-amounts').innerText(), { timeout: 10_000 }).toContain('120 万元');
      const action = await s.page.getByTestId('summary-action').first().innerText();
      expect(action).toContain(owner.name);
      expect(action).toMatch(/\d{4}-12-10/);
      expect(await s.page.getByTestId('summary').innerText()).toContain('客户担心高峰期系统响应变慢');
      await s.page.screenshot({ path: path.join(artifactsDir, 'summariser.png'), fullPage: true });
    } finally {
      await s.ctx.close();
    }
  }, 120_000);
});
