// The operator's commands (server/cli.ts runs them): whoever runs them has the server's configuration,
// which is what makes them the installation's operator — no workspace admin can reach these.
import type { parseArgs as ParseArgs } from 'node:util';
import type { Db } from '../db/client.js';
import { purgeWorkspace } from '../db/purge.js';
import { AppError } from '../platform/errors.js';
import { translate } from '../platform/i18n.js';
import { DEFAULT_TIMEZONE } from '../platform/time.js';
import { accountCountsByWorkspace } from '../modules/accounts/index.js';
import {
  createWorkspace,
  customerModels,
  isAdminOf,
  findWorkspaceBySlug,
  listWorkspaces,
  setWorkspaceStatus,
  workspaceLocales,
  type WorkspaceInput,
} from '../modules/people/index.js';

export class UsageError extends Error {}

export const USAGE = `Keyward operator commands

  npm run setup -- --workspace NAME --admin-email EMAIL [--admin-name NAME] [options]
      The first workspace and its admin, for scripted installs. Idempotent: run again with the same
      workspace (by --slug, else by name) and admin, it changes nothing and exits 0.

  npm run workspaces -- list
  npm run workspaces -- create --workspace NAME --admin-email EMAIL [--admin-name NAME] [options]
  npm run workspaces -- suspend SLUG      sign everybody out, refuse sign-ins until resumed
  npm run workspaces -- resume SLUG
  npm run workspaces -- delete SLUG --confirm SLUG   every record of the workspace, for good

  options: --slug CODE (a-z 0-9 -) --timezone ${DEFAULT_TIMEZONE} --currency CNY --locale zh-CN|en --model to_b|to_c|both
  The admin's password comes from KW_ADMIN_PASSWORD (not a flag: command lines are visible to others);
  without it the admin gets an invitation mail (SMTP_URL or the workspace's SMTP) and the link is printed.`;

const options = {
  workspace: { type: 'string' },
  slug: { type: 'string' },
  timezone: { type: 'string', default: DEFAULT_TIMEZONE },
  currency: { type: 'string', default: 'CNY' },
  locale: { type: 'string', default: 'zh-CN' },
  model: { type: 'string', default: 'to_b' },
  'admin-email': { type: 'string' },
  'admin-name': { type: 'string' },
  confirm: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Columns a terminal gives the text: CJK and full-width characters take two. */
const width = (s: string) =>
  [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
function pad(rows: string[][]) {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => width(r[i]))));
  return rows
    .map((r) =>
      r
        .map((c, i) => c + ' '.repeat(w[i] - width(c)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** AppError → the words a person reads (zh-CN, the operator's language of the README). */
function say(err: unknown): never {
  if (err instanceof AppError) {
    const fields = err.fields?.length ? ` (${err.fields.map((f) => f.field).join(', ')})` : '';
    throw new Error(translate('zh-CN', err.key, err.params) + fields);
  }
  throw err;
}

export async function runOperatorCommand(
  db: Db,
  input: { command: string | undefined; args: string[]; publicUrl: string },
  parseArgs: typeof ParseArgs,
): Promise<string> {
  let sub = input.command;
  let args = input.args;
  if (sub === 'workspaces') [sub, ...args] = args.length ? args : ['list'];
  if (!sub || sub === 'help' || sub === '--help') throw new UsageError(USAGE);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError(USAGE);

  if (sub === 'list') {
    const rows = await listWorkspaces(db);
    if (!rows.length) return 'No workspace yet: npm run setup -- --workspace NAME --admin-email EMAIL';
    const accounts = await accountCountsByWorkspace(db);
    return pad([
      ['slug', 'name', 'status', 'time zone', 'active users', 'accounts'],
      ...rows.map((r) => [r.slug, r.name, r.status, r.timezone, String(r.users), String(accounts.get(r.id) ?? 0)]),
    ]);
  }

  if (sub === 'setup' || sub === 'create') {
    if (!v.workspace || !v['admin-email']) throw new UsageError(`--workspace and --admin-email are required\n\n${USAGE}`);
    if (!(customerModels as readonly string[]).includes(v.model)) throw new UsageError(`--model: one of ${customerModels.join(', ')}`);
    if (!(workspaceLocales as readonly string[]).includes(v.locale)) throw new UsageError(`--locale: one of ${workspaceLocales.join(', ')}`);
    if (!/^[A-Z]{3}$/.test(v.currency)) throw new UsageError('--currency: three capital letters (ISO 4217), e.g. CNY');
    const email = v['admin-email'].trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new UsageError('--admin-email: not an email address');
    const workspace: WorkspaceInput = {
      name: v.workspace.trim(),
      slug: v.slug,
      timezone: v.timezone,
      currency: v.currency,
      locale: v.locale as WorkspaceInput['locale'],
      customerModel: v.model as WorkspaceInput['customerModel'],
    };
    if (sub === 'setup') {
      const existing = (await listWorkspaces(db)).find((w) => (v.slug ? w.slug === v.slug.trim().toLowerCase() : w.name === workspace.name));
      if (existing) {
        if (await isAdminOf(db, existing.id, email))
          return `Already set up: workspace ${existing.name} (${existing.slug}) with admin ${email}. Nothing changed.`;
        throw new Error(`Workspace ${existing.name} (${existing.slug}) exists, but ${email} is not one of its admins. Nothing changed.`);
      }
    }
    const password = process.env.KW_ADMIN_PASSWORD || undefined;
    const r = await createWorkspace(db, {
      workspace,
      admin: { name: (v['admin-name'] ?? email.split('@')[0]).trim(), email, password },
      publicUrl: input.publicUrl,
    }).catch(say);
    const lines = [`Created workspace ${r.workspace.name} (code: ${r.workspace.slug}) with admin ${email}.`];
    if (r.inviteUrl)
      lines.push(
        `An invitation mail is queued for ${email}. If mail is not set up yet, hand over this link (valid 7 days, once):`,
        `  ${r.inviteUrl}`,
      );
    else lines.push(`Sign in at ${input.publicUrl}/login with ${email} and the password from KW_ADMIN_PASSWORD.`);
    return lines.join('\n');
  }

  if (sub === 'suspend' || sub === 'resume' || sub === 'delete') {
    const slug = parsed.positionals[0];
    if (!slug) throw new UsageError(`${sub} needs the workspace's code (see: npm run workspaces -- list)`);
    const ws = await findWorkspaceBySlug(db, slug);
    if (!ws) throw new Error(`No workspace with the code ${slug} (see: npm run workspaces -- list).`);
    if (sub === 'delete') {
      if (v.confirm !== ws.slug)
        throw new UsageError(`Deleting removes every record of ${ws.name} for good. Repeat its code to confirm: --confirm ${ws.slug}`);
      const counts = await purgeWorkspace(db, ws.id);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return `Deleted workspace ${ws.name} (${ws.slug}) and ${total} records in ${Object.keys(counts).length} tables.`;
    }
    const r = await setWorkspaceStatus(db, ws.slug, sub === 'suspend' ? 'suspended' : 'active').catch(say);
    return sub === 'suspend' ? `Suspended ${r.name} (${r.slug}): its people are signed out and cannot sign in.` : `Resumed ${r.name} (${r.slug}).`;
  }
  throw new UsageError(`unknown command: ${sub}\n\n${USAGE}`);
}
