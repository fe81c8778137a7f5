import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to PGlite in ./data on 127.0.0.1:3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      seedDemo: true,
      jobs: true,
      secureCookies: false,
    });
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('turns on secure cookies for an https public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://kw.example.com' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://kw.example.com', SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['JOBS', 'maybe'],
    ['KW_MEETINGS_SCAN_SECONDS', '0'],
    ['KW_MEETINGS_SCAN_SECONDS', 'soon'],
    ['KW_OUTBOUND_ALLOW_HOSTS', 'llm.local; rm -rf /'],
    ['KW_LLM_ALLOW_HOSTS', 'llm.internal'], // replaced by KW_OUTBOUND_ALLOW_HOSTS: said at start, not ignored
    ['KW_CHROMIUM_PATH', ''],
  ])('refuses %s=%j naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid configuration:[\\s\\S]*${name}`));
  });

  it('accepts the module variables when well formed', () => {
    expect(() =>
      loadConfig({ KW_MEETINGS_SCAN_SECONDS: '5', KW_OUTBOUND_ALLOW_HOSTS: 'llm.internal, 10.0.0.5:8080', KW_CHROMIUM_PATH: '/usr/bin/chromium' }),
    ).not.toThrow();
  });
});
