import net from 'node:net';
import { fail, ok, type RuleResult } from './errors.js';

/**
 * The outbound-address guard (SSRF) every server-side request to an admin-configured URL passes:
 * webhooks, the meeting-summary LLM endpoint, … Pure: callers resolve names and ask these rules
 * about every address they are about to connect to (also after redirects).
 */

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
const v4 = (cidr: string): [number, number] => {
  const [base, bits] = cidr.split('/');
  return [ipv4ToInt(base), Number(bits)];
};
const BLOCKED_V4 = [
  '0.0.0.0/8', // "this" network
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local (cloud metadata lives here)
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
].map(v4);

function blockedV4(ip: string): boolean {
  const n = ipv4ToInt(ip);
  return BLOCKED_V4.some(([base, bits]) => bits === 0 || Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** Expands an IPv6 address to its 8 groups. */
function v6Groups(ip: string): number[] {
  let s = ip.toLowerCase().split('%')[0];
  // embedded IPv4 tail (::ffff:1.2.3.4)
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const n = ipv4ToInt(tail[1]);
    s = `${s.slice(0, -tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const fill = rest !== undefined ? Array(8 - h.length - r.length).fill('0') : [];
  return [...h, ...fill, ...r].map((g) => parseInt(g || '0', 16));
}

function blockedV6(ip: string): boolean {
  const g = v6Groups(ip);
  if (g.every((x) => x === 0)) return true; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true; // ::1 loopback
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible: judge the IPv4 inside
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    const v = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
    return blockedV4(v);
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) return true; // NAT64 can reach IPv4 internals
  if ((g[0] & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return true; // site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  return false;
}

/** Loopback, private, link-local and other non-public addresses an outbound request must not reach. */
export function isBlockedAddress(ip: string): boolean {
  const kind = net.isIP(ip);
  if (kind === 4) return blockedV4(ip);
  if (kind === 6) return blockedV6(ip);
  return true; // not an address at all: refuse
}

export function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * May the sender connect to `address` (resolved from `host`)? Only public addresses, unless the host
 * name or the address itself is on the allow-list — the operator's (KW_OUTBOUND_ALLOW_HOSTS,
 * `operatorAllowHosts()`), never one a workspace admin sets.
 */
export function checkTarget(host: string, address: string, allowList: string[]): RuleResult<true> {
  const allowed = new Set(allowList.map(normaliseHost));
  if (allowed.has(normaliseHost(host)) || allowed.has(normaliseHost(address))) return ok(true);
  if (isBlockedAddress(address)) return fail('webhook.blocked_address', { host, address }, 'url');
  return ok(true);
}

/** A URL an admin configures: http(s), no credentials; literal internal addresses refused up front. */
export function checkOutboundUrl(raw: string, allowList: string[]): RuleResult<URL> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return fail('webhook.bad_url', {}, 'url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail('webhook.bad_url', {}, 'url');
  if (u.username || u.password) return fail('webhook.credentials_in_url', {}, 'url');
  const r = checkOutboundHost(u.hostname, allowList);
  return r.ok ? ok(u) : r;
}

/**
 * A host name an admin configures (an SMTP server, the host of a URL): `localhost` and literal internal
 * addresses are refused up front unless allow-listed; names are checked again on every connection.
 */
export function checkOutboundHost(raw: string, allowList: string[]): RuleResult<string> {
  const host = normaliseHost(raw.trim());
  if (!host) return fail('webhook.bad_url', {}, 'url');
  const allowed = allowList.map(normaliseHost).includes(host);
  if (!allowed && (host === 'localhost' || host.endsWith('.localhost'))) return fail('webhook.blocked_address', { host, address: host }, 'url');
  if (net.isIP(host)) {
    const r = checkTarget(host, host, allowList);
    if (!r.ok) return r;
  }
  return ok(host);
}
