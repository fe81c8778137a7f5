import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactsDir, DEMO_PASSWORD, runJourneys, useJourneyEnv } from './support.js';

// Every page of the customer portal, as a key person of the demo reads it, on a 390 px phone and on a
// desktop, in zh-CN and in en: the visible text carries no code (a raw enum such as `in_progress`, a
// snake_case key) and no ISO timestamp; the service menu carries no internal tactic.

/** Every enum value the portal's data carries (ticket/need/milestone/meeting statuses, kinds, severities, pricing, seats, post kinds). */
const ENUMS = new Set([
  'open',
  'in_progress',
  'waiting_customer',
  'resolved',
  'closed',
  'answered',
  'planned',
  'done',
  'delayed',
  'scheduled',
  'held',
  'cancelled',
  'product_issue',
  'expert_request',
  'customisation',
  'complaint',
  'new_need',
  'critical',
  'high',
  'medium',
  'low',
  'free',
  'paid',
  'sales',
  'delivery',
  'after_sales',
  'csm',
  'news',
  'event',
  'product',
  'solution',
]);
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const SNAKE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;
const INTERNAL = ['私下拜会', '行为规律', '特别预算', 'Private visit', 'Special budget', '内部结算', 'improvement *', 'visit_cost'];

type Problem = { page: string; what: string };

/** What a reader sees on the page (and in its tags and form options), checked for codes. */
async function problemsOn(page: Page, name: string, locale: 'zh-CN' | 'en'): Promise<Problem[]> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  const tags = (await page.evaluate(
    "[...document.querySelectorAll('.p-tag, option, th, h1, h2, h3, b, small')].map((e) => (e.innerText || e.textContent || '').trim())",
  )) as string[];
  const out: Problem[] = [];
  const iso = ISO.exec(text);
  if (iso) out.push({ page: name, what: `ISO timestamp ${iso[0]}` });
  const snake = SNAKE.exec(text);
  if (snake) out.push({ page: name, what: `code ${snake[0]}` });
  for (const t of tags) if (ENUMS.has(t)) out.push({ page: name, what: `raw enum in a label: ${t}` });
  // in Chinese no lower-case English word of the enum lists belongs on screen at all
  if (locale === 'zh-CN') for (const w of text.match(/\b[a-z_]+\b/g) ?? []) if (ENUMS.has(w)) out.push({ page: name, what: `raw enum ${w}` });
  for (const w of INTERNAL) if (text.includes(w)) out.push({ page: name, what: `internal words: ${w}` });
  return out;
}

/** Polls an expression through CDP (a string waitForFunction would need 'unsafe-eval', which the portal's CSP forbids). */
async function until(page: Page, expression: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await until(page, '!/加载中…|Loading…/.test(document.body.innerText)');
}

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/portal`);
  await page.getByTestId('login-email').fill('kp1@customer.demo');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('portal-welcome').waitFor();
}

/**
 * A thread's times are the workspace's (the browser is elsewhere): the first message's time on screen is
 * the server's moment in that zone. Returns whether there was a message to compare.
 */
async function timesInWorkspaceZone(page: Page, ctx: BrowserContext, api: string, thread: string): Promise<boolean> {
  const me = (await (await ctx.request.get(new URL('/api/auth/me', page.url()).href)).json()) as { workspace: { timezone: string } };
  const id = new URL(page.url()).pathname.split('/')[3];
  const x = (await (await ctx.request.get(new URL(`${api}/${id}`, page.url()).href)).json()) as { messages: { createdAt: string }[] };
  if (!x.messages.length) return false;
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: me.workspace.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(x.messages[0].createdAt));
  const v = (k: string) => p.find((y) => y.type === k)!.value;
  expect(await page.locator(`${thread} .p-muted`).first().innerText()).toBe(`${v('year')}-${v('month')}-${v('day')} ${v('hour')}:${v('minute')}`);
  return true;
}

describe.runIf(runJourneys)('every portal page in words (Chromium)', () => {
  const env = useJourneyEnv();

  async function walk(ctx: BrowserContext, label: string, locale: 'zh-CN' | 'en') {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const problems: Problem[] = [];
    const visited: string[] = [];
    let zoneChecked = 0;
    const check = async (name: string) => {
      await settle(page);
      visited.push(name);
      problems.push(...(await problemsOn(page, `${label} ${name}`, locale)));
      await page.screenshot({ path: path.join(artifactsDir, `portal-words-${label}-${name}.png`), fullPage: true });
    };
    await signIn(page, env.server.url);
    const lang = (await page.evaluate('document.documentElement.lang')) as string;
    if (lang !== locale) {
      await page.getByTestId('lang-switch').click();
      await until(page, `document.documentElement.lang === ${JSON.stringify(locale)}`);
    }
    await check('home');
    // a post (news, event or product) from the home page
    const post = page.getByTestId('home-news').locator('a').first();
    if (await post.count()) {
      await post.click();
      await page.getByTestId('post').waitFor();
      await check('post');
    }
    for (const section of ['solutions', 'catalog', 'delivery', 'value', 'tickets', 'needs'] as const) {
      await page.getByTestId(`nav-${section}`).click();
      await check(section);
      if (section === 'catalog') {
        const items = await page.getByTestId('catalog-item').allInnerTexts();
        expect(items.length, 'the service menu lists items').toBeGreaterThan(0);
        // one list: no service twice
        const names = items.map((t) => t.split('\n')[0].trim());
        expect(new Set(names).size, names.join(' | ')).toBe(names.length);
      }
      if (section === 'tickets') {
        const tags = await page.getByTestId('tickets').locator('.p-tag').allInnerTexts();
        expect(tags.length, 'the demo account has tickets').toBeGreaterThan(0);
        const links = page.getByTestId('tickets').locator('a');
        for (let i = 0; i < Math.min(await links.count(), 5); i++) {
          await page.getByTestId('tickets').locator('a').nth(i).click();
          await page.getByTestId('ticket').waitFor();
          await check(`ticket-${i + 1}`);
          if (await timesInWorkspaceZone(page, ctx, '/api/portal/tickets', '[data-testid="ticket"] .p-thread')) zoneChecked++;
          await page.goBack();
          await page.getByTestId('tickets').waitFor();
        }
      }
      if (section === 'needs') {
        const link = page.getByTestId('needs').locator('a').first();
        if (await link.count()) {
          await link.click();
          await page.getByTestId('need').waitFor();
          await check('need');
          if (await timesInWorkspaceZone(page, ctx, '/api/portal/demands', '[data-testid="need-thread"]')) zoneChecked++;
        }
      }
    }
    await page.close();
    expect(errors).toEqual([]);
    expect(zoneChecked, 'some thread time was compared with the workspace zone').toBeGreaterThan(0);
    return { problems, visited };
  }

  it.each([
    ['phone-zh', { width: 390, height: 844 }, 'zh-CN'],
    ['phone-en', { width: 390, height: 844 }, 'en'],
    ['desktop-zh', { width: 1280, height: 900 }, 'zh-CN'],
  ] as const)('%s: no raw enum, snake_case code, ISO timestamp or internal tactic on any page', async (label, viewport, locale) => {
    // a browser far from the workspace's zone: the portal must format in the workspace's, not the browser's
    const ctx = await env.browser.newContext({ viewport, locale, timezoneId: 'America/Los_Angeles', isMobile: viewport.width < 500 });
    try {
      const { problems, visited } = await walk(ctx, label, locale);
      expect(visited).toEqual(expect.arrayContaining(['home', 'solutions', 'catalog', 'delivery', 'value', 'tickets', 'ticket-1', 'needs']));
      expect(problems).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the checker itself fails on codes and ISO timestamps', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.setContent('<body><span class="p-tag">in_progress</span> waiting_customer 2026-11-27T09:29:00.000Z</body>');
    const found = (await problemsOn(page, 'probe', 'zh-CN')).map((p) => p.what);
    expect(found).toEqual(
      expect.arrayContaining(['ISO timestamp 2026-11-27T09:29', 'code in_progress', 'raw enum in a label: in_progress', 'raw enum waiting_customer']),
    );
    await ctx.close();
  });
});
