import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, CONSOLE_CSP, PORTAL_CSP } from './app.js';
import type { Database } from './db/client.js';
import { openTestDatabase } from './test/test-db.js';

// The two web entries as the server serves them (a stand-in build: the real one is Vite's, used by the
// Chromium journeys): which paths get which page, and each page's Content-Security-Policy.
let database: Database;
let app: FastifyInstance;
let dist: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-dist-'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/assets/index.js"></script>');
  fs.writeFileSync(path.join(dist, 'portal.html'), '<!doctype html><title>portal</title><script type="module" src="/assets/portal.js"></script>');
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'assets', 'index.js'), 'export {}');
  app = await buildApp({ database, logLevel: 'silent', webDist: dist });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

const scriptSrc = (csp: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src'))!;

describe('the web pages', () => {
  it.each(['/portal-admin', '/portal-admin/needs', '/portal-admin?tab=posts', '/', '/accounts', '/settings/users', '/portalx'])(
    '%s (opened directly or refreshed) is the staff console, with its CSP',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>console</title>');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    },
  );

  it.each(['/portal', '/portal/', '/portal/tickets', '/portal/tickets/0b7c0c55-8f5e-4a53-9c2b-1f1b0c0c0c0c', '/portal/accept?token=x'])(
    '%s is the customer portal, with its CSP',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<title>portal</title>');
      expect(res.headers['content-security-policy']).toBe(PORTAL_CSP);
    },
  );

  it("the console's CSP allows no inline or foreign script (styles may be inline for antd's CSS-in-JS)", async () => {
    const csp = String((await app.inject({ method: 'GET', url: '/' })).headers['content-security-policy']);
    expect(scriptSrc(csp)).toBe("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it('built files are served as files, and unknown API paths stay 404 JSON', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('export {}');
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
  });
});
