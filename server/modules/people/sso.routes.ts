import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { startSession } from '../../platform/auth.service.js';
import { expectedVersion } from '../../platform/concurrency.js';
import { ErrorReply, PreconditionReplies, setSessionCookie, SettingsVersion, SettingsVersionIn, staff } from '../../platform/http.js';
import * as svc from './sso.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const tags = ['identity'];
const STATE_COOKIE = 'kw_sso';
const ssoRoles = ['manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert'] as const;

const SsoSettings = z.object({
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  secretSet: z.boolean(),
  enabled: z.boolean(),
  label: z.string().nullable(),
  jitCreate: z.boolean(),
  jitRole: z.string(),
  callbackUrl: z.string().describe('register this as the redirect URI at the identity provider'),
  version: SettingsVersion,
});

export function ssoRoutes(db: Db, opts: { secureCookies: boolean; publicUrl: string }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/settings/sso',
      {
        schema: {
          tags,
          summary: 'Single sign-on (OpenID Connect) of my workspace; the secret is never returned',
          response: { 200: SsoSettings, ...errors },
        },
      },
      async (req) => svc.getSsoSettings(db, staff(req), opts.publicUrl),
    );
    app.put(
      '/api/settings/sso',
      {
        schema: {
          tags,
          summary: 'Configure single sign-on (admins): issuer, client, and whether unknown users are created on first sign-in',
          body: z.strictObject({
            issuer: z.string().trim().min(8).max(500),
            clientId: z.string().trim().min(1).max(200),
            clientSecret: z.string().min(1).max(500).nullish().describe('omit to keep the stored secret, null to remove it'),
            enabled: z.boolean(),
            label: z.string().trim().max(40).nullish(),
            jitCreate: z.boolean().default(false),
            jitRole: z.enum(ssoRoles).default('sales'),
            version: SettingsVersionIn,
          }),
          description: 'Send the ETag of the settings read as If-Match (or `version`; 0 while none are saved): 412 if someone saved since.',
          response: { 200: SsoSettings, ...errors, ...PreconditionReplies },
        },
      },
      async (req) => {
        const { version, ...input } = req.body;
        return svc.putSsoSettings(db, staff(req), input, opts.publicUrl, expectedVersion(req, version));
      },
    );

    app.get(
      '/api/auth/sso/:workspace',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Whether a workspace (by its code) offers single sign-on',
          params: z.object({ workspace: z.string().min(1).max(40) }),
          response: { 200: z.object({ enabled: z.boolean(), label: z.string().nullable(), workspace: z.string().nullable() }) },
        },
      },
      async (req) => svc.ssoOffer(db, req.params.workspace),
    );
    app.get(
      '/api/auth/sso/:workspace/start',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: "Starts single sign-on: redirects to the workspace's identity provider",
          params: z.object({ workspace: z.string().min(1).max(40) }),
        },
      },
      async (req, reply) => {
        try {
          const r = await svc.startSso(db, req.params.workspace, opts.publicUrl);
          reply.setCookie(STATE_COOKIE, r.state, { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/api/auth/sso', maxAge: 600 });
          return reply.redirect(r.url, 302);
        } catch (err) {
          if (err instanceof svc.SsoError) {
            req.log.warn({ reason: err.reason, detail: err.message }, 'single sign-on could not start');
            return reply.redirect(`/login?sso=${err.reason}`, 302);
          }
          throw err;
        }
      },
    );
    app.get(
      '/api/auth/sso/callback',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Where the identity provider sends the browser back; signs the person in',
          querystring: z.looseObject({
            code: z.string().max(2000).optional(),
            state: z.string().max(500).optional(),
            error: z.string().max(200).optional(),
            error_description: z.string().max(1000).optional(),
          }),
        },
      },
      async (req, reply) => {
        reply.clearCookie(STATE_COOKIE, { path: '/api/auth/sso' });
        try {
          const r = await svc.finishSso(db, {
            callbackUrl: new URL(req.url, 'http://callback.local'),
            cookieState: req.cookies[STATE_COOKIE],
            publicUrl: opts.publicUrl,
          });
          const s = await startSession(db, 'staff', r.userId, r.workspaceId, new Date(), 'sso');
          setSessionCookie(reply, s.sessionId, opts.secureCookies);
          return reply.redirect('/', 302);
        } catch (err) {
          if (err instanceof svc.SsoError) {
            req.log.warn({ reason: err.reason, detail: err.message }, 'single sign-on refused');
            return reply.redirect(`/login?sso=${err.reason}`, 302);
          }
          throw err;
        }
      },
    );
  };
}
