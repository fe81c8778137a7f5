import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { changePassword, login, logout, profileOf, setLocale } from './auth.service.js';
import { actor, clearSessionCookie, ErrorReply, Ok, SESSION_COOKIE, setSessionCookie } from './http.js';

const LoginBody = z.strictObject({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(200),
  /** only when the address has accounts in several workspaces: that workspace's code */
  workspace: z.string().trim().min(1).max(40).optional(),
});
export const Me = z.object({
  kind: z.enum(['staff', 'key_person']),
  id: z.string(),
  name: z.string(),
  role: z.string().nullable(),
  locale: z.enum(['zh-CN', 'en']),
  permissions: z.array(z.string()),
  workspace: z.object({
    id: z.string(),
    name: z.string(),
    customerModel: z.string(),
    currency: z.string(),
    /** IANA zone every screen formats times in (never the browser's) */
    timezone: z.string(),
  }),
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  csrfToken: z.string(),
});

export function authRoutes(db: Db, opts: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    for (const [prefix, kind] of [
      ['/api/auth', 'staff'],
      ['/api/portal/auth', 'key_person'],
    ] as const) {
      app.post(
        `${prefix}/login`,
        {
          config: { auth: 'public' },
          schema: {
            tags: ['auth'],
            summary: kind === 'staff' ? 'Staff sign-in' : 'Key-person (portal) sign-in',
            body: LoginBody,
            response: { 200: Me, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply },
          },
        },
        async (req, reply) => {
          const old = req.cookies[SESSION_COOKIE];
          if (old) await logout(db, old);
          const r = await login(db, { kind, email: req.body.email, password: req.body.password, workspace: req.body.workspace, ip: req.ip });
          setSessionCookie(reply, r.sessionId, opts.secureCookies);
          return profileOf(db, r.actor, r.csrfToken);
        },
      );
    }

    app.post(
      '/api/auth/logout',
      { config: { auth: 'any' }, schema: { tags: ['auth'], summary: 'Sign out (ends the session on the server)', response: { 200: Ok } } },
      async (req, reply) => {
        const sid = req.cookies[SESSION_COOKIE];
        if (sid) await logout(db, sid);
        clearSessionCookie(reply);
        return { ok: true as const };
      },
    );

    app.get(
      '/api/auth/me',
      {
        config: { auth: 'any' },
        schema: { tags: ['auth'], summary: 'Who is signed in, their permissions and CSRF token', response: { 200: Me, 401: ErrorReply } },
      },
      async (req) => profileOf(db, actor(req), req.csrfToken!),
    );

    app.patch(
      '/api/auth/me',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['auth'],
          summary: 'Set my language',
          body: z.strictObject({ locale: z.enum(['zh-CN', 'en']) }),
          response: { 200: Ok, 400: ErrorReply },
        },
      },
      async (req) => {
        await setLocale(db, actor(req), req.body.locale);
        return { ok: true as const };
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['auth'],
          summary: 'Change my password (ends all my sessions)',
          body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
          response: { 200: Ok, 400: ErrorReply },
        },
      },
      async (req, reply) => {
        await changePassword(db, actor(req), req.body);
        clearSessionCookie(reply);
        return { ok: true as const };
      },
    );
  };
}
