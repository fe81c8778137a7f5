import crypto from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Me } from '../../platform/auth.routes.js';
import { profileOf, startSession } from '../../platform/auth.service.js';
import { AppError } from '../../platform/errors.js';
import { ErrorReply, IdParam, Ok, localeOf, setSessionCookie, staff } from '../../platform/http.js';
import { roles } from '../../platform/permissions.js';
import { customerModels, workspaceLocales } from './identity.domain.js';
import * as svc from './identity.service.js';

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply };
const tags = ['identity'];
const text = (max = 100) => z.string().trim().min(1).max(max);
const Email = z.email().max(254);
const Password = z.string().min(1).max(200);
const TokenBody = z.strictObject({ token: z.string().min(10).max(200), password: Password });

export const SetupBody = z.strictObject({
  token: z.string().min(1).max(200).describe('the one-time setup token printed in the server log at start'),
  workspace: z.strictObject({
    name: text(100),
    slug: z.string().max(40).optional(),
    timezone: z.string().min(1).max(64),
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. CNY'),
    locale: z.enum(workspaceLocales),
    customerModel: z.enum(customerModels),
  }),
  admin: z.strictObject({ name: text(100), email: Email, password: Password }),
});

/** Compares without leaking the token's length or prefix through timing. */
function sameToken(given: string, expected: string) {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function identityRoutes(db: Db, opts: { secureCookies: boolean; publicUrl: string; setupToken: () => string | null }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/setup',
      {
        config: { auth: 'public' },
        schema: { tags, summary: 'Whether this installation still needs its first workspace', response: { 200: z.object({ needed: z.boolean() }) } },
      },
      async () => ({ needed: await svc.setupNeeded(db) }),
    );
    app.post(
      '/api/setup',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'First run: create the first workspace and its admin, and sign the admin in (needs the setup token from the server log)',
          body: SetupBody,
          response: { 201: Me, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply },
        },
      },
      async (req, reply) => {
        if (!(await svc.setupNeeded(db))) throw new AppError('conflict', 'error.setup_done');
        const expected = opts.setupToken();
        if (!expected || !sameToken(req.body.token, expected))
          throw new AppError('forbidden', 'error.setup_token', {}, [{ field: 'token', message: 'wrong' }]);
        const r = await svc.createWorkspace(db, {
          workspace: req.body.workspace,
          admin: req.body.admin,
          publicUrl: opts.publicUrl,
          onlyIfEmpty: true,
        });
        const s = await startSession(db, 'staff', r.adminId, r.workspace.id, new Date(), 'setup');
        setSessionCookie(reply, s.sessionId, opts.secureCookies);
        return reply.status(201).send(await profileOf(db, s.actor, s.csrfToken));
      },
    );

    app.post(
      '/api/users/invite',
      {
        schema: {
          tags,
          summary: 'Invite a colleague by email: the account exists at once, they set their own password from the link (admins)',
          body: z.strictObject({
            email: Email,
            name: text(),
            role: z.enum(roles),
            phone: z.string().max(40).nullish(),
            channelPartnerId: z.uuid().nullish(),
            managerId: z.uuid().nullish(),
          }),
          response: {
            201: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string(), active: z.boolean(), invited: z.boolean() }),
            ...errors,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await svc.inviteUser(db, staff(req), req.body, { publicUrl: opts.publicUrl })),
    );
    app.post(
      '/api/users/:id/invite',
      { schema: { tags, summary: 'Send the invitation again (the earlier link stops working)', params: IdParam, response: { 200: Ok, ...errors } } },
      async (req) => svc.resendInvite(db, staff(req), req.params.id, { publicUrl: opts.publicUrl }),
    );

    for (const [url, purpose, summary] of [
      ['/api/auth/accept-invite', 'invite', 'Accept an invitation: choose a password and sign in'],
      ['/api/auth/reset', 'reset', 'Reset a forgotten password from the mailed link and sign in'],
    ] as const) {
      app.post(
        url,
        { config: { auth: 'public' }, schema: { tags, summary, body: TokenBody, response: { 200: Me, 400: ErrorReply } } },
        async (req, reply) => {
          const r = await svc.redeemStaffToken(db, { token: req.body.token, password: req.body.password, purpose });
          const s = await startSession(db, 'staff', r.userId, r.workspaceId, new Date(), purpose === 'invite' ? 'invite' : 'login');
          setSessionCookie(reply, s.sessionId, opts.secureCookies);
          return profileOf(db, s.actor, s.csrfToken);
        },
      );
    }
    app.post(
      '/api/auth/forgot',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Forgot password: mails a reset link if the address belongs to someone (the answer is the same either way)',
          body: z.strictObject({ email: Email }),
          response: { 200: Ok, 400: ErrorReply },
        },
      },
      async (req) => {
        await svc.requestStaffReset(db, { email: req.body.email, publicUrl: opts.publicUrl, locale: localeOf(req) });
        return { ok: true as const };
      },
    );
  };
}
