import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { fastSerializerCompiler } from './platform/serializer.js';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from './db/client.js';
import { ping } from './db/client.js';
import { installEtags } from './platform/concurrency.js';
import { audienceOf, installAuth, installDatabaseGate, installErrorHandler, installInputGuards, type RouteAuth } from './platform/http.js';
import { pickLocale, translate } from './platform/i18n.js';
import { installIdempotency } from './platform/idempotency.js';
import { createReadRouter, installReads } from './platform/reads.js';
import { authRoutes } from './platform/auth.routes.js';
import { auditRoutes } from './platform/audit.routes.js';
import { identityRoutes, peopleRoutes, ssoRoutes } from './modules/people/index.js';
import { accountsRoutes, transferRoutes } from './modules/accounts/index.js';
import { opportunitiesRoutes } from './modules/opportunities/index.js';
import { valueAddRoutes } from './modules/value-add/index.js';
import { emailInRoutes, ticketsRoutes } from './modules/service-desk/index.js';
import { valueRoutes } from './modules/value/index.js';
import { meetingsRoutes } from './modules/meetings/index.js';
import { relationshipsRoutes } from './modules/relationships/index.js';
import { kpiRoutes, myAtRiskAccountIds } from './modules/kpi/index.js';
import { reportingRoutes } from './modules/reporting/index.js';
import { portalRoutes } from './modules/portal/index.js';
import { notificationsRoutes } from './modules/notifications/index.js';
import { startLiveListener } from './platform/live.js';
import { configurePublicUrl } from './platform/public-url.js';
import { workbenchRoutes } from './modules/workbench/index.js';
import { channelsRoutes } from './modules/channels/index.js';
import { commerceImportRoutes, commerceRoutes } from './modules/commerce/index.js';
import { viewsRoutes } from './modules/views/index.js';
import { outreachRoutes } from './modules/outreach/index.js';

export type AppOptions = {
  database: Database;
  logLevel?: string;
  secureCookies?: boolean;
  webDist?: string | null;
  /** base of links in mail (portal invitations, resets) */
  publicUrl?: string;
  /**
   * The first-run setup page's one-time token (printed in the log at start while there is no workspace);
   * null once set up or when the installation was set up by command
   */
  setupToken?: () => string | null;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client (TRUST_PROXY); false = none */
  trustProxy?: boolean | string | number;
  /** PGlite only: requests admitted at once (the rest wait their turn); default 4 */
  pgliteConcurrency?: number;
  /** PGlite only: how long a request may wait for admission before it is answered 503 + Retry-After (KW_ADMISSION_TIMEOUT_MS) */
  admissionTimeoutMs?: number;
  /** PostgreSQL only: a streaming replica for reads that may lag (DATABASE_REPLICA_URL); docs/scaling.md */
  replica?: Database | null;
  /** the replica's URL, for the log only (masked) */
  replicaUrl?: string;
  /** the replica is not used while it is more than this far behind (KW_REPLICA_MAX_LAG_SECONDS) */
  replicaMaxLagSeconds?: number;
};

export const BODY_LIMIT = 1024 * 1024;

export type RouteEntry = { method: string; url: string; auth: RouteAuth };
declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
}

/** Content-Security-Policy of the customer portal page: no inline or foreign scripts. */
export const PORTAL_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/**
 * Content-Security-Policy of the staff console page: scripts only from this origin (the Vite build
 * emits module scripts, never inline ones); styles may be inline because Ant Design's CSS-in-JS injects
 * <style> elements at run time; data: images for the favicon and antd's icons.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** `/portal` and `/portal/…` are the customer portal; `/portal-admin` (staff) and everything else is the console. */
export const isPortalPath = (url: string) => url === '/portal' || url.startsWith('/portal/');

/** Builds the HTTP app with every module mounted; tests build it too (and call inject). */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { db } = opts.database;
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      redact: {
        paths: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers.authorization', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
    },
    bodyLimit: BODY_LIMIT,
    // a request that reached the server while it shuts down is served (with Connection: close, main.ts),
    // not answered 503: the client sent it before the signal and cannot know it was not yet read
    return503OnClosing: false,
    // the defaults, said out loud: a JSON body with "__proto__" or "constructor.prototype" is a 400
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // a path that is not valid percent-encoded UTF-8: the app's 400 shape, not fastify's
    frameworkErrors: (err, req, reply: FastifyReply) => {
      if (err.code === 'FST_ERR_BAD_URL') {
        return reply.status(400).send({
          error: 'invalid',
          message: translate(pickLocale(null, req.headers['accept-language']), 'error.validation', { detail: 'url: not a valid URL component' }),
          fields: [{ field: 'url', message: 'not a valid URL component' }],
        });
      }
      return reply.status(err.statusCode ?? 400).send({ error: 'invalid', message: err.message });
    },
    // behind the README's TLS proxy the client's address (sign-in throttling, audit) comes from X-Forwarded-For,
    // but only as far as the proxies named here: a client cannot forge its way past it
    // (a hop count is documented by fastify and proxy-addr, but missing from fastify's type)
    trustProxy: (opts.trustProxy ?? false) as boolean | string,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();

  // every route as registered (hidden ones included, which the OpenAPI document leaves out): the
  // permission-matrix test is generated from it
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routeTable.push({ method, url: r.url, auth: audienceOf(r.url, r.config) });
  });
  app.decorate('routeTable', routeTable);

  app.setValidatorCompiler(validatorCompiler);
  // answers written by compiled writers; the tests also write each with zod and compare (platform/serializer.ts)
  app.setSerializerCompiler(fastSerializerCompiler({ check: process.env.KW_CHECK_SERIALIZER === '1' }));
  installErrorHandler(app);
  installInputGuards(app);
  // ETag on answers that are one versioned record (optimistic concurrency, platform/concurrency.ts)
  installEtags(app);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keyward API',
        version: '0.1.0',
        description:
          'Key-account service operations. Cookie sessions; writes need the X-CSRF-Token header from /api/auth/me. ' +
          'Editable records carry `version` and an `ETag`; send `If-Match` (or `version` in the body) on PATCH/PUT: a stale one gets 412 (who changed it, when).',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kw_sid' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // before the auth hook, which already reads the session from the database
  if (opts.database.kind === 'pglite') installDatabaseGate(app, opts.pgliteConcurrency ?? 4, opts.admissionTimeoutMs);
  installAuth(app, db);
  // dashboards, reports, exports and search read from the replica when there is one, with read-your-own-writes
  installReads(
    app,
    createReadRouter({
      primary: opts.database,
      replica: opts.replica,
      replicaUrl: opts.replicaUrl,
      maxLagSeconds: opts.replicaMaxLagSeconds,
      log: { warn: (m) => app.log.warn(m), info: (m) => app.log.info(m) },
    }),
    db,
    { secureCookies: opts.secureCookies },
  );
  configurePublicUrl(opts.publicUrl);
  // live updates (portal feed, bell) across instances on PostgreSQL: LISTEN for as long as the app runs
  const stopLive = await startLiveListener(opts.database, (m) => app.log.warn(m));
  app.addHook('onClose', async () => stopLive());
  // Idempotency-Key on POSTs by a signed-in actor: claim/replay before the handler, store the answer after
  installIdempotency(app, db);

  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) },
      },
    },
    async () => {
      await ping(db);
      return { status: 'ok' as const, database: opts.database.kind };
    },
  );

  await app.register(authRoutes(db, { secureCookies: opts.secureCookies ?? false }));
  await app.register(auditRoutes(db));
  await app.register(peopleRoutes(db));
  await app.register(ssoRoutes(db, { secureCookies: opts.secureCookies ?? false, publicUrl: opts.publicUrl ?? 'http://127.0.0.1:3000' }));
  await app.register(
    identityRoutes(db, {
      secureCookies: opts.secureCookies ?? false,
      publicUrl: opts.publicUrl ?? 'http://127.0.0.1:3000',
      setupToken: opts.setupToken ?? (() => null),
    }),
  );
  // the list's `risk=at_risk` is kpi's rule, handed in here so that accounts imports nothing of kpi
  const accountPorts = { atRiskIds: myAtRiskAccountIds };
  await app.register(accountsRoutes(db, accountPorts));
  await app.register(transferRoutes(db, accountPorts));
  await app.register(opportunitiesRoutes(db));
  await app.register(valueAddRoutes(db));
  await app.register(ticketsRoutes(db));
  await app.register(emailInRoutes(db));
  await app.register(valueRoutes(db));
  await app.register(meetingsRoutes(db));
  await app.register(relationshipsRoutes(db));
  await app.register(kpiRoutes(db));
  await app.register(reportingRoutes(db));
  await app.register(workbenchRoutes(db));
  await app.register(notificationsRoutes(db));
  await app.register(viewsRoutes(db));
  await app.register(commerceRoutes(db));
  await app.register(commerceImportRoutes(db));
  await app.register(outreachRoutes(db));
  await app.register(channelsRoutes(db, { publicUrl: (opts.publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '') }));
  await app.register(portalRoutes(db, { publicUrl: (opts.publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '') }));

  const dist = opts.webDist;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, prefix: '/', wildcard: false, index: false });
    const indexHtml = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const portalHtml = fs.existsSync(path.join(dist, 'portal.html')) ? fs.readFileSync(path.join(dist, 'portal.html'), 'utf8') : indexHtml;
    // single-page app: unknown non-API paths serve the right entry
    app.get('/*', { config: { auth: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const url = req.url.split('?')[0];
      if (url.startsWith('/api/')) return reply.status(404).send({ error: 'not_found', message: 'Not found' });
      const file = path.join(dist, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
      if (file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile()) return reply.sendFile(path.relative(dist, file));
      reply.header('cache-control', 'no-cache');
      if (isPortalPath(url)) {
        // the portal page: no inline scripts, same-origin only
        reply.header('content-security-policy', PORTAL_CSP);
        return reply.type('text/html').send(portalHtml);
      }
      reply.header('content-security-policy', CONSOLE_CSP);
      return reply.type('text/html').send(indexHtml);
    });
  }
  // Graceful shutdown: once closing, answers tell keep-alive clients to go, so close() does not
  // wait for idle sockets while in-flight requests still finish.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (req, reply) => {
    if (closing) reply.header('connection', 'close');
    if (req.url.startsWith('/api/portal')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
  });
  return app;
}
