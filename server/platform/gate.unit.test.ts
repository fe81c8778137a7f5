import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installDatabaseGate } from './http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gatedApp(limit: number, admissionTimeoutMs?: number) {
  const app = Fastify({ logger: false });
  installDatabaseGate(app, limit, admissionTimeoutMs);
  const seen = { active: 0, max: 0, order: [] as number[] };
  app.get('/work', async (req) => {
    const n = Number((req.query as { n: string }).n);
    seen.order.push(n);
    seen.active++;
    seen.max = Math.max(seen.max, seen.active);
    await sleep(15);
    seen.active--;
    return { n };
  });
  app.get('/fail', async () => {
    throw new Error('boom');
  });
  let hold!: () => void;
  const held = new Promise<void>((r) => (hold = r));
  app.get('/hold', async () => {
    await held;
    return { held: true };
  });
  app.get('/stream', { config: { longLived: true } }, async (_req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.write(': open\n\n'); // stays open until the client goes
  });
  return { app, seen, hold };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('the PGlite request gate', () => {
  it('admits at most `limit` requests at once, first come first served, and answers them all', async () => {
    const { app, seen } = gatedApp(2);
    close = () => app.close();
    const res = await Promise.all(Array.from({ length: 10 }, (_, n) => app.inject({ url: `/work?n=${n}` })));
    expect(res.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(seen.max).toBe(2);
    expect(seen.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the slot back when a request fails', async () => {
    const { app } = gatedApp(1);
    close = () => app.close();
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/fail' })).statusCode).toBe(500);
    expect((await app.inject({ url: '/work?n=1' })).statusCode).toBe(200);
  });

  it('does not count a long-lived stream, and gives back the slot of a client that left while waiting', async () => {
    const { app, hold } = gatedApp(1);
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const stream = new AbortController();
    const open = await fetch(`${base}/stream`, { signal: stream.signal });
    expect(open.status).toBe(200);
    // the stream holds no slot: /hold gets the only one
    const holding = fetch(`${base}/hold`);
    await sleep(50);
    // a client that gives up while queued behind /hold
    const quitter = new AbortController();
    const gone = fetch(`${base}/work?n=9`, { signal: quitter.signal }).catch((e: Error) => e.name);
    await sleep(50);
    quitter.abort();
    expect(await gone).toBe('AbortError');
    hold();
    expect((await holding).status).toBe(200);
    // were the quitter's slot leaked, this would wait forever
    const after = await fetch(`${base}/work?n=2`, { signal: AbortSignal.timeout(10_000) });
    expect(after.status).toBe(200);
    stream.abort();
    app.server.closeAllConnections();
  });

  it('answers 503 with Retry-After to a request not admitted within the timeout, runs nothing of it, and keeps the queue going', async () => {
    const { app, seen, hold } = gatedApp(1, 200);
    close = () => app.close();
    const held = app.inject({ url: '/hold' });
    await sleep(20);
    const t0 = performance.now();
    const shed = await app.inject({ url: '/work?n=1', headers: { 'accept-language': 'en' } });
    const waited = performance.now() - t0;
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.json().message).toMatch(/busy.*nothing was done/);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(2000);
    expect(seen.order).toEqual([]); // the handler never ran
    // one queued behind the held request that is admitted in time still gets its answer
    const queued = app.inject({ url: '/work?n=2' });
    await sleep(50);
    hold();
    expect((await held).statusCode).toBe(200);
    expect((await queued).statusCode).toBe(200);
    expect(seen.order).toEqual([2]);
    // and the slot count is right afterwards: two in a row pass at once
    expect((await app.inject({ url: '/work?n=3' })).statusCode).toBe(200);
  });
});
