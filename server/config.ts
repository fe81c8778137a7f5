import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  /** PostgreSQL only: a streaming replica for dashboards, reports, exports and search */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  KW_REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  KW_SEND_DUTY: z.coerce.number().min(0.05).max(1).default(1),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  JOBS: z.enum(['on', 'off']).default('on'),
  NODE_ENV: z.string().optional(),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)(,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
      'true, false, a hop count, or proxy addresses/CIDRs (e.g. 127.0.0.1 or loopback)',
    )
    .optional(),
  /** the installation's own mail server: used for workspaces without SMTP settings of their own (invitations of new workspaces, resets) */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'smtp://user:password@host:port or smtps://…')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  KW_PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9][0-9]{0,5}(kB|MB|GB)$/, 'a size such as 32MB')
    .optional(),
  // read where they are used (modules), validated here so a bad value stops the start with its name
  KW_CHROMIUM_PATH: z.string().min(1).optional(),
  /** PGlite: the longest a request waits for the database before a 503 with Retry-After (ms) */
  KW_ADMISSION_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).optional(),
  // the LLM's own list is gone: one operator list for every outbound call; an installation that still
  // sets it is told so at start instead of losing its LLM silently
  KW_LLM_ALLOW_HOSTS: z
    .string()
    .max(0, 'replaced by KW_OUTBOUND_ALLOW_HOSTS (one operator list for webhooks, IM robots, the LLM and SMTP)')
    .optional(),
  /** internal hosts (loopback, private, link-local) workspace-configured outbound calls may reach: the operator's list only */
  KW_OUTBOUND_ALLOW_HOSTS: z
    .string()
    .regex(/^\s*([A-Za-z0-9.:[\]-]+\s*)(,\s*[A-Za-z0-9.:[\]-]+\s*)*$/, 'comma-separated host names')
    .optional(),
  KW_MEETINGS_SCAN_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  /** the inbound SMTP gateway of the support mailboxes (off unless a port is set) */
  KW_INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  KW_INBOUND_SMTP_HOST: z.string().min(1).max(253).optional(),
  KW_INBOUND_SMTP_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(100 * 1024 * 1024)
    .optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  /** PostgreSQL only: the streaming replica reads that may lag go to (docs/scaling.md) */
  replicaUrl?: string;
  /** the replica is not used while it is more than this many seconds behind */
  replicaMaxLagSeconds: number;
  /** the share of time a campaign send may run: after a batch of d ms it pauses d × (1 / duty − 1) ms */
  sendDuty: number;
  dataDir: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  publicUrl: string;
  seedDemo: boolean;
  secureCookies: boolean;
  jobs: boolean;
  /** fastify's trustProxy: false (default), true, a hop count, or the proxies' addresses */
  trustProxy: boolean | number | string;
  /** PGlite only: its shared buffers (default in db/client.ts) */
  pgliteSharedBuffers?: string;
  /** PGlite only: the bounded wait for admission (default in platform/http.ts, 5 s) */
  admissionTimeoutMs?: number;
  /** the inbound SMTP gateway (email in); null = off */
  inboundSmtp: { port: number; host: string; maxBytes: number } | null;
};

/** Reads the environment once; a bad variable stops the start with its name in the message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    replicaUrl: e.DATABASE_REPLICA_URL,
    replicaMaxLagSeconds: e.KW_REPLICA_MAX_LAG_SECONDS,
    sendDuty: e.KW_SEND_DUTY,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    publicUrl,
    seedDemo: e.SEED_DEMO === 'auto',
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === 'true' : publicUrl.startsWith('https://'),
    jobs: e.JOBS === 'on',
    pgliteSharedBuffers: e.KW_PGLITE_SHARED_BUFFERS,
    admissionTimeoutMs: e.KW_ADMISSION_TIMEOUT_MS,
    inboundSmtp: e.KW_INBOUND_SMTP_PORT
      ? { port: e.KW_INBOUND_SMTP_PORT, host: e.KW_INBOUND_SMTP_HOST ?? '127.0.0.1', maxBytes: e.KW_INBOUND_SMTP_MAX_BYTES ?? 25 * 1024 * 1024 }
      : null,
    trustProxy:
      !e.TRUST_PROXY || e.TRUST_PROXY === 'false'
        ? false
        : e.TRUST_PROXY === 'true'
          ? true
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY,
  };
}
