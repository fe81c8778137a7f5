import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { spawnServer } from '../ops/server-process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
export const artifactsDir = path.resolve('test-results/e2e');

export type RunningServer = { url: string; output: () => string; stop(): Promise<number | null>; startupMs: number };

/** Starts Keyward the way `npm start` does (a fresh PGlite folder, demo seeded), and waits until it serves. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const s = await spawnServer({ env });
  return {
    url: s.url,
    output: s.output,
    startupMs: s.startupMs,
    async stop() {
      const code = await s.kill('SIGTERM');
      fs.rmSync(s.dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Journeys run where Chromium is, and always under CI (where a missing browser must fail). */
export const runJourneys = hasChromium || !!process.env.CI;
if (!runJourneys) console.warn('e2e skipped: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');

export const DEMO_PASSWORD = 'Keyward2026!';

/**
 * For one describe block: the real server on a fresh PGlite with the demo seeded, and Chromium;
 * both stopped afterwards, and SIGTERM must end the server cleanly (exit code 0).
 */
export function useJourneyEnv(env: Record<string, string> = {}): { server: RunningServer; browser: Browser } {
  const ctx = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    ctx.server = await startServer(env);
    ctx.browser = await launchBrowser();
    fs.mkdirSync(artifactsDir, { recursive: true });
  });
  afterAll(async () => {
    await ctx.browser?.close();
    if (ctx.server) expect(await ctx.server.stop()).toBe(0);
  });
  return ctx;
}

/** Signs in through the console's login form and waits until it has left the login page. */
export async function signIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * The signed-in browser context's own API calls (its session cookie and CSRF token), for a journey's setup and
 * checks: every write must answer 2xx, else the journey fails with the server's answer.
 */
export async function contextApi(ctx: BrowserContext, baseUrl: string) {
  const me = (await (await ctx.request.get(`${baseUrl}/api/auth/me`)).json()) as { csrfToken: string };
  const send = async (method: 'post' | 'put' | 'patch', url: string, data?: unknown) => {
    const r = await ctx.request[method](`${baseUrl}${url}`, { headers: { 'x-csrf-token': me.csrfToken }, data });
    expect(r.status(), await r.text()).toBeLessThan(300);
    return r.json();
  };
  return {
    get: async (url: string) => (await ctx.request.get(`${baseUrl}${url}`)).json(),
    post: (url: string, data?: unknown) => send('post', url, data),
    put: (url: string, data: unknown) => send('put', url, data),
    patch: (url: string, data: unknown) => send('patch', url, data),
  };
}
