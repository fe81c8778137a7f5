// Email in: a mail to the support mailbox (IMAP poll or the inbound SMTP gateway) becomes a ticket on the
// sender's account, a reply in its ticket, an entry of the triage queue, or is ignored (auto-replies, loops).
// One function, receiveEmail, serves both paths; tickets open through the service desk's one path (openTicket).
import crypto from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { translate } from '../../platform/i18n.js';
import { createContact, findAccount, loadVisibleAccount, seesEveryAccount, sendersByEmail } from '../accounts/index.js';
import type { Severity, TicketKind } from './dispatch.domain.js';
import {
  SENDER_HOURLY_CAP,
  TICKET_HEADER,
  baseSubject,
  bodyOf,
  chooseThread,
  decideSender,
  ignoreReason,
  isAddress,
  mayReplyTo,
  normaliseAddress,
  normaliseMessageId,
  referencedIds,
  ticketRefOf,
  type InboundStatus,
} from './email-in.domain.js';
import { ImapTargetBlocked, imapHostBlocked, pollImap, testImap, type ImapSettings } from './email-in.imap.js';
import * as repo from './email-in.repo.js';
import { decideAttachment } from './tickets.domain.js';
import * as tickets from './tickets.repo.js';
import { appendMessage, openTicket, type Requester } from './tickets.service.js';

export type InboundSource = 'imap' | 'smtp';
export type ReceiveResult = {
  status: InboundStatus | 'duplicate';
  reason?: string | null;
  ticketId?: string | null;
  threaded?: boolean;
  inboundId?: string;
};

type File = { fileName: string; contentType: string; data: Buffer };
const system = (workspaceId: string) => ({ kind: 'system' as const, workspaceId });

// loaded when the first mail comes in, not at every server start
const loadParser = async () => (await import('mailparser')).simpleParser;

/** Our own addresses: the support address and the installation's sender (MAIL_FROM); mail from them is a loop. */
function ownAddresses(support: string): string[] {
  const from = process.env.MAIL_FROM ?? '';
  const inAngle = /<([^>]+)>/.exec(from)?.[1] ?? (from.includes('@') ? from : '');
  return [support, inAngle].filter(Boolean);
}

/**
 * Takes one raw mail (RFC 5322) for the workspace: records it once per Message-ID and decides what it becomes.
 * `envelopeFrom` is the SMTP MAIL FROM when the gateway received it ('' for a bounce).
 */
export async function receiveEmail(
  db: Db,
  workspaceId: string,
  raw: Buffer,
  opts: { source: InboundSource; envelopeFrom?: string | null; now?: Date },
): Promise<ReceiveResult> {
  const now = opts.now ?? new Date();
  const mailbox = await repo.getMailbox(db, workspaceId);
  if (!mailbox) return { status: 'ignored', reason: 'no_mailbox' };
  const parsed = await (await loadParser())(raw, { skipImageLinks: true });
  const header = (name: string): string | null => {
    const l = parsed.headerLines.find((h) => h.key === name);
    return l
      ? l.line
          .slice(l.line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim()
      : null;
  };
  const sender = parsed.from?.value.find((v) => v.address);
  const fromEmail = normaliseAddress(sender?.address ?? '');
  const fromName = (sender?.name || fromEmail.split('@')[0] || '?').slice(0, 200);
  const subject = (parsed.subject ?? '').replace(/[\r\n]+/g, ' ').slice(0, 500);
  const messageId = normaliseMessageId(parsed.messageId) ?? `<sha256.${crypto.createHash('sha256').update(raw).digest('hex')}@keyward.invalid>`;
  if (await repo.inboundByMessageId(db, workspaceId, messageId)) return { status: 'duplicate' };

  const base = {
    workspaceId,
    messageId,
    source: opts.source,
    fromEmail: fromEmail || '(none)',
    fromName,
    subject,
    inReplyTo: normaliseMessageId(parsed.inReplyTo),
    receivedAt: now,
  };
  const ignored =
    (fromEmail ? null : 'bounce') ??
    ignoreReason(
      {
        from: fromEmail,
        autoSubmitted: header('auto-submitted'),
        precedence: header('precedence'),
        xAutoreply: header('x-autoreply'),
        xAutoResponseSuppress: header('x-auto-response-suppress'),
        returnPath: opts.envelopeFrom !== undefined ? (opts.envelopeFrom ?? '') : header('return-path'),
        keywardTicket: header(TICKET_HEADER.toLowerCase()),
        listId: header('list-id'),
      },
      ownAddresses(mailbox.address),
    ) ??
    ((await repo.countFromSender(db, workspaceId, fromEmail, new Date(now.getTime() - 3600_000))) >= SENDER_HOURLY_CAP ? 'rate_limited' : null);
  if (ignored) {
    const row = await repo.insertInbound(db, { ...base, body: '', status: 'ignored', reason: ignored });
    return row ? { status: 'ignored', reason: ignored, inboundId: row.id } : { status: 'duplicate' };
  }

  // files under the upload rules (types, 5 MB, content agrees with the type); inline images of a signature are left out
  const files: File[] = [];
  const skipped: { fileName: string; reason: string }[] = [];
  for (const a of parsed.attachments) {
    if (a.related) continue;
    const fileName = a.filename || 'file';
    const r = decideAttachment({ fileName, contentType: a.contentType, size: a.size ?? a.content.length, head: a.content.subarray(0, 512) });
    if (r.ok) files.push({ fileName: r.value.fileName, contentType: r.value.contentType, data: a.content });
    else skipped.push({ fileName: fileName.slice(0, 200), reason: translate('zh-CN', r.key, r.params ?? {}) });
  }
  const html = typeof parsed.html === 'string' ? parsed.html : null;

  return db.transaction(async (tx) => {
    const inbound = await repo.insertInbound(tx, {
      ...base,
      body: bodyOf({ text: parsed.text, html }),
      status: 'triage',
      skippedFiles: skipped,
    });
    if (!inbound) return { status: 'duplicate' as const };
    const senders = await sendersByEmail(tx, workspaceId, fromEmail);
    const done = async (status: InboundStatus, reason: string | null, ticketId: string | null, threaded = false) => {
      await repo.updateInbound(tx, workspaceId, inbound.id, { status, reason, ticketId });
      return { status, reason, ticketId, threaded, inboundId: inbound.id };
    };

    // 1. a reply in a thread we know: by the Message-IDs it answers, else by [#n] in the subject
    const headerTicketIds = await repo.ticketsByMessageIds(tx, workspaceId, referencedIds(parsed.inReplyTo, parsed.references));
    const ref = ticketRefOf(subject);
    const thread = chooseThread({ headerTicketIds, subjectTicketId: ref ? await repo.ticketIdByNumber(tx, workspaceId, ref) : null });
    if (thread) {
      const t = (await tickets.findTicket(tx, workspaceId, thread.ticketId, { forUpdate: true }))!;
      const threadRow = await repo.threadOf(tx, workspaceId, t.id);
      const allowed = mayReplyTo({
        senderEmail: fromEmail,
        threadEmail: threadRow?.email ?? t.requesterEmail,
        senderAccountIds: senders.map((s) => s.accountId),
        ticketAccountId: t.accountId,
      });
      if (!allowed) {
        await repo.insertInboundFiles(
          tx,
          files.map((f) => fileRow(workspaceId, inbound.id, f)),
        );
        return done('triage', 'stranger_reply', null);
      }
      if (t.status !== 'closed') {
        const kp = senders.find((s) => s.accountId === t.accountId && s.keyPersonId);
        const contact = senders.find((s) => s.accountId === t.accountId);
        const author: Requester = kp?.keyPersonId
          ? { kind: 'key_person', keyPersonId: kp.keyPersonId, name: kp.name }
          : { kind: 'email', email: fromEmail, name: contact?.name || fromName };
        const body = bodyOf({ text: parsed.text, html }, { reply: true }) || subject || '—';
        await appendMessage(tx, system(workspaceId), t, author, 'public', body, now);
        await attachFiles(tx, t.id, workspaceId, author, files, now);
        await repo.addThreadMessage(tx, { workspaceId, ticketId: t.id, messageId, direction: 'in', createdAt: now });
        return done('ticketed', null, t.id, true);
      }
      // a closed ticket takes no reply: the mail opens a new one below, like any first mail
    }

    // 2. a first mail: the sender's account, or triage
    const who = decideSender(senders.map((s) => ({ accountId: s.accountId, contactId: s.contactId, keyPersonId: s.keyPersonId, name: s.name })));
    if (!who.ok) {
      await repo.insertInboundFiles(
        tx,
        files.map((f) => fileRow(workspaceId, inbound.id, f)),
      );
      return done('triage', who.reason, null);
    }
    const account = await findAccount(tx, workspaceId, who.accountId);
    if (!account) return done('triage', 'unknown_sender', null);
    const requester: Requester = who.keyPersonId
      ? { kind: 'key_person', keyPersonId: who.keyPersonId, name: who.name }
      : { kind: 'email', email: fromEmail, name: who.name || fromName };
    const t = await openFromMail(tx, system(workspaceId), account, requester, inbound, files, { contactId: who.contactId }, now);
    return done('ticketed', null, t.id);
  });
}

const fileRow = (workspaceId: string, inboundId: string, f: File) => ({
  workspaceId,
  inboundId,
  fileName: f.fileName,
  contentType: f.contentType,
  sizeBytes: f.data.length,
  data: f.data,
});

async function attachFiles(tx: Db, ticketId: string, workspaceId: string, by: Requester, files: File[], now: Date) {
  for (const f of files)
    await tickets.insertAttachment(tx, {
      workspaceId,
      ticketId,
      visibility: 'public',
      fileName: f.fileName,
      contentType: f.contentType,
      sizeBytes: f.data.length,
      data: f.data,
      uploadedByKind: by.kind,
      uploadedById: by.kind === 'staff' ? by.userId : by.kind === 'key_person' ? by.keyPersonId : null,
      uploadedByName: by.name,
      createdAt: now,
    });
}

/** A ticket from a mail (first mail or triage): opened the usual way, its thread and files kept. */
async function openFromMail(
  tx: Db,
  by: Parameters<typeof openTicket>[1],
  account: NonNullable<Awaited<ReturnType<typeof findAccount>>>,
  requester: Requester,
  inbound: repo.InboundRow,
  files: File[],
  opts: { contactId?: string | null; kind?: TicketKind; severity?: Severity; title?: string },
  now: Date,
) {
  const title = (opts.title ?? baseSubject(inbound.subject)).slice(0, 200) || `来自 ${inbound.fromEmail} 的邮件`;
  const t = await openTicket(
    tx,
    by,
    account,
    requester,
    { title, description: inbound.body || inbound.subject || '—', kind: opts.kind ?? 'product_issue', severity: opts.severity ?? 'medium' },
    'email',
    now,
  );
  await repo.insertThread(tx, {
    ticketId: t.id,
    workspaceId: t.workspaceId,
    accountId: account.id,
    email: inbound.fromEmail,
    name: inbound.fromName,
    contactId: opts.contactId ?? null,
    subject: baseSubject(inbound.subject) || title,
    createdAt: now,
  });
  await repo.addThreadMessage(tx, { workspaceId: t.workspaceId, ticketId: t.id, messageId: inbound.messageId, direction: 'in', createdAt: now });
  await attachFiles(tx, t.id, t.workspaceId, requester, files, now);
  return t;
}

// ---- the triage queue: mails nobody could place, decided by staff who see every account

function assertTriage(actor: Actor): asserts actor is StaffActor {
  assertCan(actor, 'tickets.assign');
  // unknown senders may belong to any account: only people who see every account sort them
  if (!seesEveryAccount(actor)) throw forbidden();
}

export async function listInbound(db: Db, actor: Actor, q: { status: InboundStatus; page: number; pageSize: number }) {
  assertTriage(actor);
  const r = await repo.listInbound(db, actor.workspaceId, { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { ...r, page: q.page, pageSize: q.pageSize };
}

async function loadUndecided(tx: Db, actor: Actor, id: string) {
  const m = await repo.findInbound(tx, actor.workspaceId, id, { forUpdate: true });
  if (!m) throw notFound('email_in.noun');
  if (m.status !== 'triage') throw conflict('email_in.already_decided', { status: `email_in.status.${m.status}` });
  return m;
}

export type TriageToTicketInput = { accountId: string; rememberContact?: boolean; title?: string; kind?: TicketKind; severity?: Severity };

/** Turns a mail of the triage queue into a ticket on the chosen account; optionally remembers the sender as its contact. */
export async function triageToTicket(db: Db, actor: Actor, id: string, input: TriageToTicketInput, now = new Date()) {
  assertTriage(actor);
  if (input.rememberContact) assertCan(actor, 'contacts.write');
  return db.transaction(async (tx) => {
    const m = await loadUndecided(tx, actor, id);
    const account = await loadVisibleAccount(tx, actor, input.accountId);
    let contactId: string | null = null;
    if (input.rememberContact) {
      const known = (await sendersByEmail(tx, actor.workspaceId, m.fromEmail)).find((s) => s.accountId === account.id);
      contactId = known?.contactId ?? (await createContact(tx, actor, account.id, { name: m.fromName, email: m.fromEmail, side: 'other' })).id;
    }
    const files = (await repo.inboundFiles(tx, actor.workspaceId, m.id)).map((f) => ({
      fileName: f.fileName,
      contentType: f.contentType,
      data: Buffer.from(f.data),
    }));
    const requester: Requester = { kind: 'email', email: m.fromEmail, name: m.fromName };
    const t = await openFromMail(tx, actor, account, requester, m, files, { contactId, ...input }, now);
    await repo.deleteInboundFiles(tx, actor.workspaceId, m.id);
    const after = await repo.updateInbound(tx, actor.workspaceId, m.id, {
      status: 'ticketed',
      ticketId: t.id,
      decidedById: actor.userId,
      decidedAt: now,
    });
    await recordAudit(tx, actor, {
      action: 'email_in.ticket',
      entityType: 'inbound_email',
      entityId: m.id,
      before: { status: m.status },
      after: { status: after.status, ticketId: t.id, accountId: account.id, contactId },
    });
    return { id: m.id, status: after.status, ticketId: t.id, ticketNumber: t.number };
  });
}

export async function dismissInbound(db: Db, actor: Actor, id: string, now = new Date()) {
  assertTriage(actor);
  return db.transaction(async (tx) => {
    const m = await loadUndecided(tx, actor, id);
    await repo.deleteInboundFiles(tx, actor.workspaceId, m.id);
    const after = await repo.updateInbound(tx, actor.workspaceId, m.id, {
      status: 'ignored',
      reason: 'dismissed',
      decidedById: actor.userId,
      decidedAt: now,
    });
    await recordAudit(tx, actor, {
      action: 'email_in.dismiss',
      entityType: 'inbound_email',
      entityId: m.id,
      before: { status: m.status },
      after: { status: after.status },
    });
    return { id: m.id, status: after.status, ticketId: null, ticketNumber: null };
  });
}

// ---- the workspace's mailbox settings (admins; the password is never returned)

export type MailboxInput = {
  address: string;
  enabled?: boolean;
  imapHost?: string | null;
  imapPort?: number | null;
  imapTls?: boolean;
  imapUser?: string | null;
  /** omitted = keep, null or '' = clear, text = replace */
  imapPassword?: string | null;
  imapFolder?: string;
};

function publicMailbox(m: repo.MailboxRow | null) {
  return {
    configured: !!m,
    address: m?.address ?? null,
    enabled: m?.enabled ?? false,
    imapHost: m?.imapHost ?? null,
    imapPort: m?.imapPort ?? null,
    imapTls: m?.imapTls ?? true,
    imapUser: m?.imapUser ?? null,
    imapPasswordSet: !!m?.imapPassword,
    imapFolder: m?.imapFolder ?? 'INBOX',
    lastPolledAt: m?.lastPolledAt ?? null,
    lastError: m?.lastError ?? null,
    updatedAt: m?.updatedAt ?? null,
    version: m?.version ?? 0,
  };
}

export async function getMailboxSettings(db: Db, actor: Actor) {
  assertCan(actor, 'workspace.manage');
  return publicMailbox(await repo.getMailbox(db, actor.workspaceId));
}

export async function putMailboxSettings(db: Db, actor: Actor, input: MailboxInput, expectedVersion?: number) {
  assertCan(actor, 'workspace.manage');
  const address = input.address.trim().toLowerCase();
  if (!isAddress(address)) throw invalid('email_in.bad_address', {}, [{ field: 'address', message: 'email_in.bad_address' }]);
  const host = input.imapHost?.trim() || null;
  if (host && (await imapHostBlocked(host)))
    throw invalid('email_in.host_blocked', { host }, [{ field: 'imapHost', message: 'email_in.host_blocked' }]);
  const entity = { type: 'support_mailbox', id: actor.workspaceId, noun: 'mailbox_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.getMailbox(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before?.version ?? 0, expectedVersion);
    const other = await repo.mailboxByAddress(tx, address);
    if (other && other.workspaceId !== actor.workspaceId)
      throw new AppError('conflict', 'email_in.address_taken', {}, [{ field: 'address', message: 'email_in.address_taken' }]);
    const merged = {
      address,
      enabled: input.enabled ?? before?.enabled ?? false,
      imapHost: input.imapHost !== undefined ? host : (before?.imapHost ?? null),
      imapPort: input.imapPort !== undefined ? input.imapPort : (before?.imapPort ?? null),
      imapTls: input.imapTls ?? before?.imapTls ?? true,
      imapUser: input.imapUser !== undefined ? input.imapUser?.trim() || null : (before?.imapUser ?? null),
      imapPassword: input.imapPassword !== undefined ? input.imapPassword || null : (before?.imapPassword ?? null),
      imapFolder: input.imapFolder?.trim() || before?.imapFolder || 'INBOX',
    };
    if (merged.imapHost && (!merged.imapPort || !merged.imapUser)) {
      const field = !merged.imapPort ? 'imapPort' : 'imapUser';
      throw invalid('email_in.imap_incomplete', { field }, [{ field, message: 'required with imapHost' }]);
    }
    const after = await repo.upsertMailbox(tx, actor.workspaceId, merged, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, {
      action: 'email_in.settings',
      entityType: 'support_mailbox',
      entityId: actor.workspaceId,
      before: before ? publicMailbox(before) : null,
      after: publicMailbox(after),
    });
    return publicMailbox(after);
  });
}

function imapOf(m: repo.MailboxRow | null): ImapSettings | null {
  if (!m?.imapHost || !m.imapPort || !m.imapUser || !m.imapPassword) return null;
  return { host: m.imapHost, port: m.imapPort, tls: m.imapTls, user: m.imapUser, password: m.imapPassword, folder: m.imapFolder };
}

/**
 * Tries the saved IMAP settings. One answer for every failure to connect or sign in (refused, timed out,
 * wrong password): the button must not tell a port scanner which ports are open.
 */
export async function testMailboxConnection(db: Db, actor: Actor) {
  assertCan(actor, 'workspace.manage');
  const s = imapOf(await repo.getMailbox(db, actor.workspaceId));
  if (!s) throw invalid('email_in.not_configured', {}, [{ field: 'imapHost', message: 'email_in.not_configured' }]);
  const started = Date.now();
  try {
    const r = await testImap(s);
    return { ok: true, message: translate(actor.locale, 'email_in.connected', { folder: s.folder, count: r.count }) };
  } catch (err) {
    if (err instanceof ImapTargetBlocked) return { ok: false, message: translate(actor.locale, 'email_in.host_blocked', { host: err.host }) };
    // answer no sooner than a slow failure would, so the timing says as little as the words
    const wait = 1500 - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return { ok: false, message: translate(actor.locale, 'email_in.connect_failed') };
  }
}

/** The poll job: every enabled mailbox with IMAP, its unseen mail received; each mailbox's failure is recorded on it, not thrown. */
export async function pollMailboxes(db: Db, now = new Date()) {
  let handled = 0;
  for (const m of await repo.pollableMailboxes(db)) {
    const s = imapOf(m);
    if (!s) continue;
    try {
      const r = await pollImap(
        s,
        async (raw) => {
          await receiveEmail(db, m.workspaceId, raw, { source: 'imap' });
        },
        { maxBytes: Number(process.env.KW_INBOUND_SMTP_MAX_BYTES) || undefined },
      );
      handled += r.handled;
      await repo.markPolled(db, m.workspaceId, now, r.failed ? `${r.failed} message(s) could not be processed` : null);
    } catch (err) {
      const msg = err instanceof ImapTargetBlocked ? `blocked: ${err.host}` : 'could not connect or sign in';
      await repo.markPolled(db, m.workspaceId, now, msg);
    }
  }
  return { handled };
}

/** The gateway's question for RCPT TO: the workspace whose enabled support address this is. */
export async function workspaceForAddress(db: Db, address: string): Promise<string | null> {
  const m = await repo.mailboxByAddress(db, address);
  return m?.enabled ? m.workspaceId : null;
}
