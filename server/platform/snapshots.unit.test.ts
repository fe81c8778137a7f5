import { describe, expect, it } from 'vitest';
import { snapshotCache } from './snapshots.js';

describe('snapshotCache', () => {
  const setup = (maxEntries?: number) => {
    let clock = 1_000_000;
    let computed = 0;
    const cache = snapshotCache<number>({ maxAgeMs: 60_000, maxEntries, now: () => clock });
    const compute = async () => ++computed;
    return { cache, compute, tick: (ms: number) => (clock += ms), count: () => computed, now: () => clock };
  };

  it('reuses a snapshot younger than the max age, with the time it was taken', async () => {
    const s = setup();
    const a = await s.cache.get('w|1', s.compute);
    s.tick(59_000);
    const b = await s.cache.get('w|1', s.compute);
    expect(b).toEqual(a);
    expect(b.at.getTime()).toBe(1_000_000);
    s.tick(1_000);
    const c = await s.cache.get('w|1', s.compute);
    expect(c.value).toBe(2);
    expect(c.at.getTime()).toBe(1_060_000);
  });

  it('computes anew on fresh, and the others get the new one', async () => {
    const s = setup();
    await s.cache.get('k', s.compute);
    s.tick(10);
    expect((await s.cache.get('k', s.compute, { fresh: true })).value).toBe(2);
    s.tick(10);
    expect(await s.cache.get('k', s.compute)).toEqual({ value: 2, at: new Date(1_000_010) });
    expect(s.count()).toBe(2);
  });

  it('one computation for requests that arrive while it runs; a failure is not kept', async () => {
    const s = setup();
    let release!: (n: number) => void;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const p1 = s.cache.get('k', slow);
    const p2 = s.cache.get('k', slow);
    release(7);
    expect((await p1).value).toBe(7);
    expect((await p2).value).toBe(7);
    expect(calls).toBe(1);
    await expect(s.cache.get('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect((await s.cache.get('bad', s.compute)).value).toBe(1);
  });

  it('keys are separate, the oldest go first past the bound, and forget drops a prefix', async () => {
    const s = setup(2);
    await s.cache.get('w1|a', s.compute);
    await s.cache.get('w1|b', s.compute);
    await s.cache.get('w2|a', s.compute);
    expect(s.cache.size).toBe(2);
    expect((await s.cache.get('w1|a', s.compute)).value).toBe(4); // evicted: computed again
    s.cache.forget('w1|');
    expect(s.cache.size).toBe(1);
    expect((await s.cache.get('w2|a', s.compute)).value).toBe(3);
  });
});
