/**
 * Answers that cost a lot to compute and may be a moment old, kept per instance for a short while and shown with
 * the time they were taken (issue 17, point 4: the dashboards were 2 % of the console's requests and a fifth of
 * its server CPU).
 *
 * - A snapshot is reused while it is younger than `maxAgeMs`; `fresh` (the screen's refresh, or the console after
 *   the person changed something) always computes anew.
 * - Requests that arrive while the same snapshot is being computed wait for that one computation.
 * - A failed computation is not kept.
 * - `at` is when the computation started: everything committed before then is in it.
 */
export type Snapshot<T> = { value: T; at: Date };

export type SnapshotCache<T> = {
  get(key: string, compute: () => Promise<T>, o?: { fresh?: boolean }): Promise<Snapshot<T>>;
  /** drops every snapshot whose key starts with `prefix` (a workspace's, when its settings change) */
  forget(prefix: string): void;
  readonly size: number;
};

export function snapshotCache<T>(opts: { maxAgeMs: number; maxEntries?: number; now?: () => number }): SnapshotCache<T> {
  const now = opts.now ?? Date.now;
  const max = opts.maxEntries ?? 1000;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    async get(key, compute, o = {}) {
      const t = now();
      const hit = entries.get(key);
      if (hit && !o.fresh && t >= hit.at && t - hit.at < opts.maxAgeMs) return { value: await hit.value, at: new Date(hit.at) };
      const entry = { at: t, value: compute() };
      entries.delete(key); // re-insert: the map's order is the age, the oldest go first
      entries.set(key, entry);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      try {
        return { value: await entry.value, at: new Date(t) };
      } catch (err) {
        if (entries.get(key) === entry) entries.delete(key);
        throw err;
      }
    },
    forget(prefix) {
      for (const k of entries.keys()) if (k.startsWith(prefix)) entries.delete(k);
    },
    get size() {
      return entries.size;
    },
  };
}
