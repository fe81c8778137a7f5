import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { AppError, httpStatus, type FieldError } from './errors.js';
import { pickLocale, translate, type Locale } from './i18n.js';
import type { Actor, KeyPersonActor, StaffActor } from './actor.js';
import { recordAudit } from './audit.js';
import { resolveSession } from './auth.service.js';

export const SESSION_COOKIE = 'kw_sid';
export const CSRF_HEADER = 'x-csrf-token';

/** Who may call a route: nobody signed in, staff, key persons, or either. Staff is the default. */
export type RouteAuth = 'public' | 'staff' | 'key_person' | 'any';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** a stream that stays open (server-sent events): not counted by the database gate */
    longLived?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
}

export function localeOf(req: FastifyRequest): Locale {
  return req.actor?.locale ?? pickLocale(null, req.headers['accept-language']);
}

export function staff(req: FastifyRequest): StaffActor {
  if (req.actor?.kind !== 'staff') throw new AppError('forbidden', 'error.forbidden');
  return req.actor;
}

export function keyPerson(req: FastifyRequest): KeyPersonActor {
  if (req.actor?.kind !== 'key_person') throw new AppError('forbidden', 'error.forbidden');
  return req.actor;
}

export function actor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'error.unauthenticated');
  return req.actor;
}

const zodLocales = { 'zh-CN': z.locales.zhCN(), en: z.locales.en() };

function describeIssue(locale: Locale, issue: Record<string, unknown>): string {
  try {
    return zodLocales[locale].localeError!(issue as never) as unknown as string;
  } catch {
    return String(issue.message ?? issue.code);
  }
}

/** Errors → HTTP, once: a code, a message in the user's language, and the fields that were wrong. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const locale = localeOf(req);
    if (err instanceof AppError) {
      return reply.status(httpStatus[err.code]).send(err.render(locale));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext;
      const fields: FieldError[] = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const issue = { code: v.keyword, path: path.split('.'), ...(v.params as object) } as Record<string, unknown>;
        const message = describeIssue(locale, issue);
        if (v.keyword === 'unrecognized_keys') {
          const keys = (v.params as { keys?: string[] }).keys ?? [];
          return { field: keys.join(',') || path || where || 'body', message };
        }
        return { field: path || where || 'body', message };
      });
      const detail = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      return reply.status(400).send({ error: 'invalid', message: translate(locale, 'error.validation', { detail }), fields });
    }
    const e = err as { code?: string; statusCode?: number; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) {
      return reply.status(413).send({ error: 'payload_too_large', message: translate(locale, 'error.payload_too_large', { limit: '1 MB' }) });
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: 'invalid', message: translate(locale, 'error.unsupported_media') });
    }
    if (
      e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (e.statusCode === 400 && err instanceof SyntaxError)
    ) {
      return reply
        .status(400)
        .send({ error: 'invalid', message: translate(locale, 'error.malformed_json'), fields: [{ field: 'body', message: 'malformed JSON' }] });
    }
    // database constraints are the last line: a unique clash is a conflict, a check a bad input
    const pgCode = (err as { code?: string; cause?: { code?: string } }).cause?.code ?? e.code;
    // (never the database's own code or text: a person reads this)
    const dbError: Record<string, [number, string, string]> = {
      '23505': [409, 'conflict', 'error.duplicate'],
      '23503': [409, 'conflict', 'error.in_use'],
      '23514': [400, 'invalid', 'error.value_not_allowed'],
      '22P02': [400, 'invalid', 'error.bad_format'],
      '22021': [400, 'invalid', 'error.bad_text'],
      '22P05': [400, 'invalid', 'error.bad_text'],
    };
    const pgDetail = String((err as { cause?: { detail?: string } }).cause?.detail ?? (err as { detail?: string }).detail ?? '');
    if (pgCode === '23503' && !pgDetail.includes('still referenced')) dbError['23503'] = [400, 'invalid', 'error.bad_reference'];
    if (pgCode && dbError[pgCode]) {
      const [status, error, key] = dbError[pgCode];
      req.log.warn({ pgCode, url: req.url }, 'database constraint refused a write');
      return reply.status(status).send({ error, message: translate(locale, key) });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ error: 'invalid', message: e.message ?? 'bad request' });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: translate(locale, 'error.internal') });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: 'not_found', message: translate(localeOf(req), 'error.not_found', { what: req.url.split('?')[0] }) });
  });
}

/** The first place (dotted path, '' = the value itself) where a string or key holds U+0000, which PostgreSQL text cannot store. */
function findNul(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path : null;
  if (v === null || typeof v !== 'object' || depth > 64) return null;
  for (const [k, x] of Object.entries(v)) {
    const p = (path ? `${path}.${k}` : k).replace(/\u0000/g, '\\0');
    if (k.includes('\u0000')) return p;
    const r = findNul(x, p, depth + 1);
    if (r !== null) return r;
  }
  return null;
}

/**
 * Input guards before any schema runs: a JSON body must be valid UTF-8 (not silently turned into
 * U+FFFD) and goes through fastify's own parser with prototype/constructor poisoning refused;
 * no string in the path, query or body may hold a NUL character (a 400 naming the field, not a database error).
 */
export function installInputGuards(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError('invalid', 'error.malformed_json', {}, [{ field: 'body', message: 'not valid UTF-8' }]), undefined);
      return;
    }
    parseJson(req, text, done);
  });
  app.addHook('preValidation', async (req) => {
    const where = findNul(req.params, '') ?? findNul(req.query, '') ?? findNul(req.body, '');
    if (where === null) return;
    const field = where || 'body';
    throw new AppError('invalid', 'error.validation', { detail: `${field}: NUL (U+0000) is not allowed` }, [
      { field, message: 'NUL (U+0000) is not allowed' },
    ]);
  });
}

/** A boolean query flag: exactly "true" or "false" (z.coerce.boolean would read "false" as true). */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * PGlite has one connection: every statement of every request queues on it in turn, so under many
 * concurrent requests each one's queries interleave with all the others' and the slow ones starve
 * (p99 of 14–25 s and timeouts at 100 connections, docs/performance.md). Admitting `limit` requests
 * at a time, first come first served, keeps the same throughput with a fair wait.
 *
 * The wait is bounded (issue 17): a request not admitted within `admissionTimeoutMs` is answered at
 * once with 503 and `Retry-After` (the server says it cannot serve in time, instead of a client timing
 * out after 30 s), and leaves the queue. Nothing of it has run, so any request may be retried as is.
 */
export const DEFAULT_ADMISSION_TIMEOUT_MS = 5000;

export function installDatabaseGate(app: FastifyInstance, limit: number, admissionTimeoutMs = DEFAULT_ADMISSION_TIMEOUT_MS) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const released = Symbol('gate');
  type Gated = FastifyRequest & { [released]?: boolean };
  const release = (req: Gated) => {
    if (req[released] !== false) return; // not admitted, or already released
    req[released] = true;
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  // how long a shed client should wait: about one timeout's worth of the queue draining, at least 1 s
  const retryAfter = String(Math.max(1, Math.ceil(admissionTimeoutMs / 1000)));
  app.addHook('onRequest', async (req: Gated, reply) => {
    if (req.routeOptions.config?.longLived) return;
    if (active < limit) active++;
    else {
      // the slot is handed over (active unchanged) — or, after the timeout, the request gives up its place
      const admitted = await new Promise<boolean>((resolve) => {
        const take = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const i = waiting.indexOf(take);
          if (i < 0) return; // the slot was handed over already: admitted
          waiting.splice(i, 1);
          resolve(false);
        }, admissionTimeoutMs);
        waiting.push(take);
      });
      if (!admitted) {
        reply.header('retry-after', retryAfter);
        return reply.status(503).send({ error: 'unavailable', message: translate(localeOf(req), 'error.overloaded', { seconds: retryAfter }) });
      }
    }
    req[released] = false;
    // the client may have gone while it waited: give the slot back at once (no 'close' will come)
    if (req.raw.destroyed || reply.raw.closed) return release(req);
    reply.raw.once('close', () => release(req));
  });
  app.addHook('onResponse', async (req: Gated) => release(req));
  app.addHook('onRequestAbort', async (req: Gated) => release(req));
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who may call a route: its `config.auth`, else API routes are staff-only and the web bundles and their assets public. */
export function audienceOf(url: string | undefined, config?: { auth?: RouteAuth }): RouteAuth {
  return config?.auth ?? (url?.startsWith('/api/') ? 'staff' : 'public');
}

/** Resolves the session cookie, enforces the route's audience and CSRF on cookie-authenticated writes. */
export function installAuth(app: FastifyInstance, db: Db) {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req) => {
    const auth = audienceOf(req.routeOptions.url, req.routeOptions.config);
    const sid = req.cookies?.[SESSION_COOKIE];
    if (sid) {
      const s = await resolveSession(db, sid, req.headers['accept-language']);
      if (s) {
        req.actor = s.actor;
        req.csrfToken = s.csrfToken;
      }
    }
    if (auth === 'public' || !req.routeOptions.url) return;
    if (!req.actor) throw new AppError('unauthenticated', 'error.unauthenticated');
    if (auth === 'staff' && req.actor.kind !== 'staff') throw new AppError('forbidden', 'error.forbidden');
    if (auth === 'key_person' && req.actor.kind !== 'key_person') throw new AppError('forbidden', 'error.forbidden');
    if (UNSAFE.has(req.method) && req.headers[CSRF_HEADER] !== req.csrfToken) {
      throw new AppError('forbidden', 'error.csrf');
    }
  });
  // a refused request by a signed-in person goes to their workspace's audit trail (after the reply, in its own
  // statement: the refused request itself changed nothing)
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode !== 403 || !req.actor) return;
    await recordAudit(db, req.actor, {
      action: 'access.denied',
      entityType: 'route',
      entityId: null,
      after: { method: req.method, url: req.url.split('?')[0], ip: req.ip },
    }).catch((err) => req.log.warn({ err: (err as Error).message }, 'could not record a refused request'));
  });
}

export function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 12 * 60 * 60 });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Shared reply pieces for OpenAPI. */
export const ErrorReply = z.object({
  error: z.string(),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string(), row: z.number().optional() })).optional(),
});
export const Ok = z.object({ ok: z.literal(true) });
export const IdParam = z.object({ id: z.uuid() });
/** A settings record's version (docs/concurrency.md): 0 while nothing is saved, then bumped by every save. */
export const SettingsVersion = z.number().int().describe('optimistic concurrency: send it back (body or If-Match) with a change; 412 if stale');
/** The version a settings save was made from (alternative to If-Match); 0 = nothing saved yet. */
export const SettingsVersionIn = z
  .number()
  .int()
  .min(0)
  .optional()
  .describe('the version read (0: nothing saved yet); 412 if someone saved since; the console must send it (428)');
/** The answers a versioned update adds: 412 stale, 428 no version from the console. */
export const PreconditionReplies = { 412: ErrorReply, 428: ErrorReply };
