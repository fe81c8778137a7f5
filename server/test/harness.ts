import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import type { Database, Db } from '../db/client.js';
import { hashPassword } from '../platform/passwords.js';
import { roles, type Role } from '../platform/permissions.js';

import { openTestDatabase } from './test-db.js';
import { channelPartners, users, workspaces } from '../db/schema.js';

export const PASSWORD = 'Test-pass-2026';
let hash: Promise<string> | undefined;
const passwordHash = () => (hash ??= hashPassword(PASSWORD));

export type TestWorkspace = {
  id: string;
  slug: string;
  partnerId: string;
  users: Record<Role, { id: string; email: string; name: string }>;
};

/** A workspace with one user per role (the channel implementer bound to a partner). */
export async function makeWorkspace(db: Db, slug: string): Promise<TestWorkspace> {
  const [ws] = await db
    .insert(workspaces)
    .values({ name: `WS ${slug}`, slug })
    .returning();
  const [partner] = await db
    .insert(channelPartners)
    .values({ workspaceId: ws.id, name: `${slug} 渠道商`, region: '华南' })
    .returning();
  const h = await passwordHash();
  const rows = await db
    .insert(users)
    .values(
      roles.map((role) => ({
        workspaceId: ws.id,
        email: `${role}@${slug}.test`,
        name: `${slug}-${role}`,
        role,
        passwordHash: h,
        channelPartnerId: role === 'channel_implementer' ? partner.id : null,
      })),
    )
    .returning();
  const byRole = Object.fromEntries(rows.map((u) => [u.role, { id: u.id, email: u.email, name: u.name }])) as TestWorkspace['users'];
  return { id: ws.id, slug, partnerId: partner.id, users: byRole };
}

export type Client = {
  csrf: string;
  cookie: string;
  get(url: string): Promise<LightMyRequestResponse>;
  del(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** any method, with extra headers over the defaults (If-Match, X-KW-Client, Accept-Language …) */
  request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  db: Db;
  w1: TestWorkspace;
  w2: TestWorkspace;
  login(email: string, password?: string, path?: string): Promise<Client>;
  as(role: Role, ws?: TestWorkspace): Promise<Client>;
  anon: Client;
  close(): Promise<void>;
};

function client(app: FastifyInstance, cookie: string, csrf: string, lang = 'en'): Client {
  const request: Client['request'] = (method, url, body, headers = {}) =>
    app.inject({
      method,
      url,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        'accept-language': lang,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
  const send = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') => (url: string, body?: unknown) => request(method, url, body);
  return { csrf, cookie, get: send('GET'), post: send('POST'), put: send('PUT'), patch: send('PATCH'), del: send('DELETE'), request };
}

/** The app under test on a fresh database (PGlite, or PostgreSQL when KW_TEST_DB=postgres), with two workspaces. */
export async function startTestApp(opts: { publicUrl?: string } = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const app = await buildApp({ database, logLevel: 'silent', publicUrl: opts.publicUrl });
  await app.ready();
  const db = database.db;
  const w1 = await makeWorkspace(db, 'w1');
  const w2 = await makeWorkspace(db, 'w2');
  const sessions = new Map<string, Client>();
  async function login(email: string, password = PASSWORD, path = '/api/auth/login') {
    const res = await app.inject({ method: 'POST', url: path, payload: { email, password }, headers: { 'accept-language': 'en' } });
    if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.cookies.find((c) => c.name === 'kw_sid')!;
    return client(app, `kw_sid=${setCookie.value}`, res.json().csrfToken);
  }
  return {
    app,
    database,
    db,
    w1,
    w2,
    login,
    async as(role, ws = w1) {
      const key = `${ws.slug}:${role}`;
      if (!sessions.has(key)) sessions.set(key, await login(ws.users[role].email));
      return sessions.get(key)!;
    },
    anon: client(app, '', ''),
    async close() {
      await app.close();
      await database.close();
    },
  };
}
