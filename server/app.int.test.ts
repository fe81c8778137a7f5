import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import type { Database } from './db/client.js';
import { openTestDatabase } from './test/test-db.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('graceful shutdown', () => {
  it('lets an in-flight request finish while refusing new connections', async () => {
    const app = await buildApp({ database, logLevel: 'silent' });
    let release!: () => void;
    const started = new Promise<void>((r) => (release = r));
    // a slow route added for this test only, to hold a request open across close()
    app.get('/api/test-slow', { config: { auth: 'public' } }, async () => {
      release();
      await new Promise((r) => setTimeout(r, 400));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const inFlight = fetch(`http://127.0.0.1:${port}/api/test-slow`);
    await started;
    const closing = app.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
