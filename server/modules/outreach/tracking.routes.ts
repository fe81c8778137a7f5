/**
 * The public links of a sent mail (issue 18 point 4): the open pixel, the tracked links and a person's referral
 * link with its form. No sign-in: the signed token is the only credential, and a token that is not genuine
 * answers 404 and records nothing.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { localeOf } from '../../platform/http.js';
import { translate } from '../../platform/i18n.js';
import * as svc from './measures.service.js';

const tags = ['outreach'];
const TokenParam = z.strictObject({ token: z.string().min(1).max(500) });
/** a transparent 1×1 GIF */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const html = (reply: FastifyReply, status: number) =>
  reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer');

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** The referral form, posted as a form (the page) or as JSON; an empty field is left out. */
export const ReferralBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: z.preprocess(blank, z.email().max(254).optional()),
  phone: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{4,19}$/)
      .optional(),
  ),
  company: z.preprocess(blank, z.string().trim().max(200).optional()),
  consent: z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean()),
});

type Lang = 'zh-CN' | 'en';
const t = (lang: Lang, key: string, params?: Record<string, string>) => escapeHtml(translate(lang, `outreach.referral.${key}`, params));

function referralPage(lang: Lang, o: { token?: string; message?: string; field?: string; done?: boolean; invalid?: boolean }) {
  const head = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${t(lang, 'title')}</title></head><body>`;
  if (o.invalid) return `${head}<p>${t(lang, 'invalid')}</p></body></html>`;
  if (o.done) return `${head}<p>${t(lang, 'done')}</p></body></html>`;
  const input = (name: string, type: string, required = false) =>
    `<p><label>${t(lang, name)}<br><input name="${name}" type="${type}" maxlength="200"${required ? ' required' : ''}></label></p>`;
  const error = o.message ? `<p role="alert" data-field="${escapeHtml(o.field ?? '')}">${escapeHtml(o.message)}</p>` : '';
  return `${head}<h1>${t(lang, 'title')}</h1><p>${t(lang, 'intro')}</p>${error}<form method="post" action="/api/outreach/ref/${escapeHtml(encodeURIComponent(o.token ?? ''))}">${input('name', 'text', true)}${input('email', 'email')}${input('phone', 'tel')}${input('company', 'text')}<p><label><input name="consent" type="checkbox" required> ${t(lang, 'consent')}</label></p><button type="submit">${t(lang, 'submit')}</button></form></body></html>`;
}

export function trackingRoutes(db: Db): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/outreach/o/:token',
      {
        config: { auth: 'public' },
        schema: { tags, summary: 'The open pixel of a campaign mail: records the open, answers a 1×1 GIF', params: TokenParam },
      },
      async (req, reply) => {
        const ok = await svc.recordOpen(db, req.params.token);
        return reply
          .status(ok ? 200 : 404)
          .header('content-type', 'image/gif')
          .header('cache-control', 'no-store, private')
          .send(PIXEL);
      },
    );
    app.get(
      '/api/outreach/c/:token',
      {
        config: { auth: 'public' },
        schema: { tags, summary: "A tracked link of a campaign mail: records the click and redirects to the campaign's link", params: TokenParam },
      },
      async (req, reply) => {
        const target = await svc.recordClick(db, req.params.token);
        if (!target) throw new AppError('not_found', 'error.not_found', { what: 'link' });
        return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(target, 302);
      },
    );
    app.get(
      '/api/outreach/ref/:token',
      {
        config: { auth: 'public' },
        schema: { tags, summary: "A person's referral link (裂变): the page with the form (the visit is counted)", params: TokenParam },
      },
      async (req, reply) => {
        const ok = await svc.visitReferral(db, req.params.token);
        html(reply, ok ? 200 : 404);
        return referralPage(localeOf(req), ok ? { token: req.params.token } : { invalid: true });
      },
    );
    app.post(
      '/api/outreach/ref/:token',
      {
        config: { auth: 'public' },
        schema: {
          tags,
          summary: 'Recommend a person through a referral link: stores a lead with its consent (20 per link and hour)',
          description: 'A form post (the page) answers a page; JSON answers JSON (201, or 400 naming the field).',
          params: TokenParam,
        },
      },
      async (req, reply) => {
        const lang = localeOf(req);
        const raw = req.body as { form?: string } | Record<string, unknown> | undefined;
        const asForm = !!raw && typeof (raw as { form?: unknown }).form === 'string';
        const input = asForm ? Object.fromEntries(new URLSearchParams((raw as { form: string }).form)) : (raw ?? {});
        const parsed = ReferralBody.safeParse(input);
        const fail = (field: string, message: string) => {
          if (!asForm) throw new AppError('invalid', 'error.validation', { detail: `${field}: ${message}` }, [{ field, message }]);
          html(reply, 400);
          return referralPage(lang, { token: req.params.token, field, message });
        };
        if (!parsed.success) {
          const field = String(parsed.error.issues[0]?.path[0] ?? 'name');
          return fail(field, translate(lang, 'outreach.referral.bad_field', { field: translate(lang, `outreach.referral.${field}`) }));
        }
        try {
          const row = await svc.submitReferral(db, req.params.token, parsed.data, translate(lang, 'outreach.referral.consent'));
          if (!row) {
            if (!asForm) throw new AppError('not_found', 'error.not_found', { what: 'link' });
            html(reply, 404);
            return referralPage(lang, { invalid: true });
          }
          if (!asForm) return reply.status(201).send({ id: row.id });
          html(reply, 201);
          return referralPage(lang, { done: true });
        } catch (e) {
          if (e instanceof AppError && e.code === 'invalid' && e.fields[0]) return fail(e.fields[0].field, translate(lang, e.fields[0].message));
          throw e;
        }
      },
    );
  };
}
