// The outbound-address guard applied to real connections: the rules are in outbound.ts (pure), this
// resolves names, checks every address and pins the socket to it.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { checkTarget, normaliseHost } from './outbound.js';

/**
 * Hosts that outbound calls configured by a workspace (webhooks, IM robots, the LLM endpoint, SMTP,
 * single sign-on issuers) may reach although they are loopback or private: set by the operator only
 * (KW_OUTBOUND_ALLOW_HOSTS, comma-separated, read at every call), never by a workspace admin.
 */
export function operatorAllowHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KW_OUTBOUND_ALLOW_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/** Thrown when a connection would reach an address the guard refuses. */
export class BlockedOutboundTarget extends Error {}

/**
 * Resolves a host and checks every address it answers with (one internal address refuses the whole
 * name: DNS rebinding); returns the address to connect to, so the caller pins its socket to it.
 */
export async function resolveGuarded(rawHost: string, allowHosts: string[]): Promise<{ address: string; family: number }> {
  const host = normaliseHost(rawHost);
  const list = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.promises.lookup(host, { all: true, verbatim: true });
  if (!list.length) throw new Error(`no address for ${host}`);
  for (const a of list) {
    if (!checkTarget(host, a.address, allowHosts).ok) throw new BlockedOutboundTarget(`refused internal address ${host} (${a.address})`);
  }
  return list[0];
}

/**
 * A fetch whose every socket is checked against the SSRF rules (checkTarget on each resolved address) and
 * pinned to the checked address, with a response size cap: the LLM client, IM robots and single sign-on use it.
 */
export function guardedFetch(allowHosts: string[], maxBytes = 1_000_000): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    const host = normaliseHost(u.hostname);
    if (net.isIP(host)) {
      const r = checkTarget(host, host, allowHosts);
      if (!r.ok) throw new BlockedOutboundTarget(`refused internal address ${host}`);
    }
    const lookup: net.LookupFunction = (hostname, options, cb) => {
      dns.lookup(hostname, { all: true, verbatim: true }, (err, addrs) => {
        if (err) return (cb as (e: Error) => void)(err);
        const list = addrs as dns.LookupAddress[];
        for (const a of list) {
          if (!checkTarget(hostname, a.address, allowHosts).ok)
            return (cb as (e: Error) => void)(new BlockedOutboundTarget(`refused internal address ${hostname} (${a.address})`));
        }
        const pinned = list[0];
        if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [pinned]);
        else cb(null, pinned.address, pinned.family);
      });
    };
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((v, k) => {
      headers[k] = v;
    });
    const body =
      init?.body == null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(await new Response(init.body).arrayBuffer());
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const req = mod.request(u, { method: init?.method ?? 'GET', headers, lookup }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) req.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: h }));
        });
        res.on('error', reject);
      });
      const signal = init?.signal;
      if (signal) {
        if (signal.aborted) req.destroy(new Error('aborted'));
        signal.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      }
      req.on('error', reject);
      req.end(body);
    });
  }) as typeof fetch;
}
