// Single sign-on end to end against a real OpenID provider (oidc-provider) running in this process: the
// browser's redirects are followed by hand, the provider's sign-in and consent forms are submitted.
// A small relay in front of the provider can re-sign its ID token with altered claims (wrong audience,
// expired) using the provider's own key, as a misconfigured or replaying provider would send it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jose from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';

const PUBLIC_URL = 'http://keyward.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/sso/callback`;
const listen = (server: http.Server) => new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
const people: Record<string, { email: string; email_verified: boolean; name: string }> = {
  alice: { email: 'SALES@w1.test', email_verified: true, name: 'Alice' }, // an existing user (case differs)
  mallory: { email: 'csm@w1.test', email_verified: false, name: 'Mallory' }, // unverified address
  newbie: { email: 'newbie@w1.test', email_verified: true, name: '新人' }, // not a user of the workspace
};

async function startProvider() {
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const relay = http.createServer();
  const relayPort = await listen(relay);
  const issuer = `http://127.0.0.1:${relayPort}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'keyward', client_secret: 'provider-secret', redirect_uris: [CALLBACK], token_endpoint_auth_method: 'client_secret_post' },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key'] },
    conformIdTokenClaims: false, // email in the ID token itself
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub, ...people[sub] }) }),
    pkce: { required: () => true },
  });
  provider.proxy = true; // endpoints are named after the relay (X-Forwarded-Host), so every request passes it
  const inner = http.createServer(provider.callback());
  const innerPort = await listen(inner);
  let tamper: ((claims: jose.JWTPayload) => jose.JWTPayload) | null = null;
  relay.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<
        string,
        string
      >;
      const r = await fetch(`http://127.0.0.1:${innerPort}${req.url}`, {
        method: req.method,
        headers: { ...headers, 'x-forwarded-host': `127.0.0.1:${relayPort}`, 'x-forwarded-proto': 'http' },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      let body = Buffer.from(await r.arrayBuffer());
      if (tamper && req.url?.startsWith('/token') && r.status === 200) {
        const json = JSON.parse(body.toString());
        const claims = tamper(jose.decodeJwt(json.id_token));
        json.id_token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey);
        body = Buffer.from(JSON.stringify(json));
      }
      const out: Record<string, string | string[]> = {};
      r.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'set-cookie'].includes(k)) out[k] = v;
      });
      const cookies = r.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(r.status, out).end(body);
    });
  });
  void publicKey;
  return {
    issuer,
    setTamper: (f: typeof tamper) => (tamper = f),
    close: async () => {
      relay.close();
      inner.close();
    },
  };
}

/** A browser at the provider: follows redirects, keeps its cookies, signs in as `who` and consents; returns the callback URL. */
async function signInAtProvider(authUrl: string, who: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  let url = authUrl;
  let form: Record<string, string> | null = null;
  for (let hops = 0; hops < 20; hops++) {
    const r = await fetch(
      url,
      form
        ? {
            method: 'POST',
            headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(form),
            redirect: 'manual',
          }
        : { headers: { cookie: cookieHeader() }, redirect: 'manual' },
    );
    keep(r);
    form = null;
    if (r.status >= 300 && r.status < 400) {
      const next = new URL(r.headers.get('location')!, url);
      if (next.href.startsWith(CALLBACK)) return next;
      url = next.href;
      continue;
    }
    const html = await r.text();
    expect(r.status, html.slice(0, 300)).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`unexpected provider page: ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    form = prompt === 'login' ? { prompt, login: who, password: 'any' } : { prompt };
  }
  throw new Error('too many redirects at the provider');
}

describe('single sign-on (OpenID Connect) against a real provider', () => {
  let t: TestApp;
  let idp: Awaited<ReturnType<typeof startProvider>>;
  beforeAll(async () => {
    process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1'; // the operator lets Keyward reach this provider
    t = await startTestApp({ publicUrl: PUBLIC_URL });
    idp = await startProvider();
  });
  afterAll(async () => {
    delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
    await idp?.close();
    await t?.close();
  });

  async function configure(over: Json = {}) {
    const admin = await t.as('admin');
    return admin.put('/api/settings/sso', {
      issuer: idp.issuer,
      clientId: 'keyward',
      clientSecret: 'provider-secret',
      enabled: true,
      label: '企业账号登录',
      ...over,
    });
  }

  /** start at Keyward, sign in at the provider, come back: the callback's reply */
  async function roundTrip(who: string) {
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/sso/w1/start' });
    expect(start.statusCode, start.body).toBe(302);
    const state = start.cookies.find((c) => c.name === 'kw_sso')!.value;
    const back = await signInAtProvider(start.headers.location as string, who);
    return t.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: `kw_sso=${state}` } });
  }

  it('an admin configures it; the secret is never returned; a workspace admin cannot aim it at an internal address', async () => {
    const res = expectStatus(await configure(), 200);
    expect(res).toMatchObject({ issuer: idp.issuer, clientId: 'keyward', secretSet: true, enabled: true, callbackUrl: CALLBACK });
    expect(JSON.stringify(res)).not.toContain('provider-secret');
    expect(JSON.stringify(expectStatus(await (await t.as('admin')).get('/api/settings/sso'), 200))).not.toContain('provider-secret');
    const internal = await configure({ issuer: 'http://10.1.2.3/realms/x' });
    expect(internal.statusCode).toBe(400);
    expect(internal.json().fields[0].field).toBe('issuer');
    expect((await (await t.as('sales')).put('/api/settings/sso', { issuer: idp.issuer, clientId: 'x', enabled: true })).statusCode).toBe(403);
    expect(expectStatus(await t.anon.get('/api/auth/sso/w1'), 200)).toEqual({ enabled: true, label: '企业账号登录', workspace: 'WS w1' });
    expect(expectStatus(await t.anon.get('/api/auth/sso/w2'), 200)).toMatchObject({ enabled: false });
  });

  it('signs a known user in by verified email', async () => {
    expectStatus(await configure(), 200);
    const back = await roundTrip('alice');
    expect(back.statusCode, back.body).toBe(302);
    expect(back.headers.location).toBe('/');
    const sid = back.cookies.find((c) => c.name === 'kw_sid')!.value;
    const me = expectStatus(await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `kw_sid=${sid}` } }), 200);
    expect(me).toMatchObject({ id: t.w1.users.sales.id, role: 'sales' });
  });

  it('refuses an unknown user (no account is created unless turned on), an unverified email, and a stolen state', async () => {
    expectStatus(await configure({ jitCreate: false }), 200);
    const unknown = await roundTrip('newbie');
    expect(unknown.headers.location).toBe('/login?sso=unknown_user');
    expect(unknown.cookies.find((c) => c.name === 'kw_sid')).toBeUndefined();
    const admin = await t.as('admin');
    expect(JSON.stringify(expectStatus(await admin.get('/api/users'), 200))).not.toContain('newbie@w1.test');

    const unverified = await roundTrip('mallory');
    expect(unverified.headers.location).toBe('/login?sso=not_verified');

    // a callback without this browser's state cookie (login CSRF) is refused
    const start = await t.app.inject({ method: 'GET', url: '/api/auth/sso/w1/start' });
    const back = await signInAtProvider(start.headers.location as string, 'alice');
    const csrf = await t.app.inject({ method: 'GET', url: back.pathname + back.search, headers: { cookie: 'kw_sso=somebody-elses' } });
    expect(csrf.headers.location).toBe('/login?sso=failed');

    // just-in-time creation, when the admin turns it on, makes the user with the chosen role
    expectStatus(await configure({ jitCreate: true, jitRole: 'csm' }), 200);
    const created = await roundTrip('newbie');
    expect(created.headers.location).toBe('/');
    const users = expectStatus(await admin.get('/api/users'), 200).items as Json[];
    expect(users.find((u) => u.email === 'newbie@w1.test')).toMatchObject({ role: 'csm', name: '新人' });
  });

  it('refuses an ID token for another audience, or an expired one, signed by the provider itself', async () => {
    expectStatus(await configure({ jitCreate: false }), 200);
    idp.setTamper((c) => ({ ...c, aud: 'some-other-client' }));
    const wrongAudience = await roundTrip('alice');
    expect(wrongAudience.headers.location).toBe('/login?sso=failed');
    idp.setTamper((c) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }));
    const expired = await roundTrip('alice');
    expect(expired.headers.location).toBe('/login?sso=failed');
    idp.setTamper(null);
    expect((await roundTrip('alice')).headers.location).toBe('/'); // the same provider, untampered, still works
    const audit = (expectStatus(await (await t.as('admin')).get('/api/audit?limit=50'), 200).items as Json[]).filter(
      (a) => a.action === 'login.sso_failed',
    );
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });
});
