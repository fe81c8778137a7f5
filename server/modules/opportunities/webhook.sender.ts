import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { checkTarget, normaliseHost } from '../../platform/outbound.js';

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dns.lookup(host, { all: true, verbatim: true });

export class RefusedTarget extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`refused internal address ${host} (${address})`);
  }
}

/**
 * POSTs a JSON body with SSRF protection: every hop (the URL and each redirect) is resolved, every
 * resolved address must be public unless allow-listed, and the connection is pinned to the address
 * that was checked (no second DNS answer can slip in). At most `maxRedirects` redirects are followed.
 */
export async function safePost(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowHosts: string[]; timeoutMs?: number; maxRedirects?: number; resolve?: Resolver },
): Promise<{ status: number; body: string; finalUrl: string }> {
  const resolve = opts.resolve ?? systemResolver;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new Error(`unsupported scheme ${current.protocol}`);
    const host = normaliseHost(current.hostname);
    const addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await resolve(host);
    if (!addresses.length) throw new Error(`no address for ${host}`);
    for (const a of addresses) {
      const r = checkTarget(host, a.address, opts.allowHosts);
      if (!r.ok) throw new RefusedTarget(host, a.address);
    }
    const pinned = addresses[0];
    const res = await send(current, body, headers, pinned, opts.timeoutMs ?? 10_000);
    if (res.status >= 300 && res.status < 400 && res.location) {
      if (hop >= (opts.maxRedirects ?? 3)) throw new Error('too many redirects');
      current = new URL(res.location, current);
      continue;
    }
    return { status: res.status, body: res.body, finalUrl: current.toString() };
  }
}

function send(u: URL, body: string, headers: Record<string, string>, pinned: { address: string; family: number }, timeoutMs: number) {
  const lookup: LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else cb(null, pinned.address, pinned.family);
  };
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise<{ status: number; body: string; location?: string }>((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Keyward-Webhook/1',
          ...headers,
        },
        lookup,
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (data.length < 4096) data += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data.slice(0, 4096), location: res.headers.location }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
