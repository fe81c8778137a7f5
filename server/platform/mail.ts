import { z } from 'zod';
import type { Db } from '../db/client.js';
import { defineEvent } from './events.js';
import { enqueue, enqueueMany } from './jobs.js';

/**
 * Outgoing mail is an outbox message: written in the transaction of the change that causes it and
 * sent over the workspace's SMTP by the job runner (handler: meetings module, which owns the
 * integration settings). Any module may queue mail; none sends it inline.
 */
export const MAIL_JOB = 'meetings.mail';

/** One mail as queued in the outbox (parsed again when the job is taken). */
export const OutgoingMail = z.object({
  to: z.array(z.object({ name: z.string(), email: z.string() })),
  subject: z.string(),
  text: z.string(),
  /** an HTML alternative of the text (both parts are sent) */
  html: z.string().max(200_000).nullish(),
  ics: z.object({ method: z.enum(['REQUEST', 'CANCEL']), content: z.string() }).nullish(),
  /** threading (a ticket's mail thread): our own Message-ID, and the ids this mail answers */
  messageId: z.string().max(998).nullish(),
  inReplyTo: z.string().max(998).nullish(),
  references: z.string().max(20_000).nullish(),
  /** where replies go (the support mailbox) when it is not the sender */
  replyTo: z.string().max(254).nullish(),
  /** one-click unsubscribe (RFC 8058): sent as List-Unsubscribe: <url> with List-Unsubscribe-Post: List-Unsubscribe=One-Click */
  listUnsubscribe: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullish(),
  /** extra headers, X-… only (e.g. X-Keyward-Ticket, which marks our own mail coming back as a loop) */
  headers: z
    .record(
      z.string().regex(/^X-[A-Za-z0-9-]{1,60}$/),
      z
        .string()
        .max(200)
        .regex(/^[^\r\n]*$/),
    )
    .nullish(),
  /** the sender's reference of this mail: once the mail server accepted it, `mail.delivered` is announced with it */
  deliveryRef: z.string().max(200).nullish(),
});
export type OutgoingMail = z.infer<typeof OutgoingMail>;

/** A queued mail that carried a `deliveryRef` was handed to the mail server (its job succeeded). */
export const MailDelivered = defineEvent('mail.delivered', z.object({ ref: z.string().min(1).max(200), at: z.iso.datetime() }));

/** Queues one mail; a dedupe key makes a repeated call (e.g. a rescan) queue it once; `runAt` holds it until then (quiet hours). */
export async function queueMail(tx: Db, workspaceId: string, mail: OutgoingMail, dedupeKey?: string, runAt?: Date) {
  if (!mail.to.length) return;
  await enqueue(tx, { kind: MAIL_JOB, workspaceId, payload: mail, dedupeKey, runAt });
}

/** Several mails in one statement (a campaign's batch); each dedupe key queues its mail once. */
export async function queueMails(tx: Db, workspaceId: string, list: { mail: OutgoingMail; dedupeKey?: string; runAt?: Date }[]) {
  await enqueueMany(
    tx,
    list.filter((m) => m.mail.to.length).map((m) => ({ kind: MAIL_JOB, workspaceId, payload: m.mail, dedupeKey: m.dedupeKey, runAt: m.runAt })),
  );
}

/**
 * The installation's own mail server (SMTP_URL, MAIL_FROM), set by the operator: it carries the mail of
 * workspaces that have no SMTP settings of their own, such as a new workspace's first invitation.
 */
export function operatorSmtp(env: NodeJS.ProcessEnv = process.env) {
  if (!env.SMTP_URL) return null;
  const u = new URL(env.SMTP_URL);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 465 : 587),
    secure,
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    from: env.MAIL_FROM ?? `Keyward <noreply@${u.hostname}>`,
    /** the operator's own server: not passed through the outbound guard (a workspace's SMTP host is) */
    trusted: true,
  };
}
