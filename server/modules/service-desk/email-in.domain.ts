// Email in (support mailbox → tickets): the pure rules. Which mail is an auto-reply or a loop, which ticket
// a reply belongs to, who the sender is, and the headers of our replies. No I/O: the service feeds it data.
import sanitizeHtml from 'sanitize-html';

/** Why an incoming mail was dropped without a ticket. */
export const ignoreReasons = ['auto_submitted', 'bulk', 'auto_reply', 'bounce', 'own_address', 'own_mail', 'rate_limited'] as const;
export type IgnoreReason = (typeof ignoreReasons)[number];
/** Why an incoming mail waits for a person to decide (the triage queue). */
export const triageReasons = ['unknown_sender', 'ambiguous_sender', 'stranger_reply'] as const;
export type TriageReason = (typeof triageReasons)[number];
export const inboundStatuses = ['triage', 'ticketed', 'ignored'] as const;
export type InboundStatus = (typeof inboundStatuses)[number];

/** The header we put on every mail we send about a ticket: a mail carrying it coming back in is our own. */
export const TICKET_HEADER = 'X-Keyward-Ticket';
/** Mails from one sender per hour past which more are dropped (a loop with a system that does not mark its mail). */
export const SENDER_HOURLY_CAP = 30;

export type InboundHeaders = {
  from: string;
  autoSubmitted?: string | null;
  precedence?: string | null;
  xAutoreply?: string | null;
  xAutoResponseSuppress?: string | null;
  /** the envelope sender or Return-Path; '' (or '<>') for bounces */
  returnPath?: string | null;
  keywardTicket?: string | null;
  listId?: string | null;
};

export const normaliseAddress = (a: string) => a.trim().replace(/^<|>$/g, '').toLowerCase();

/** Null when the mail is a person writing; otherwise why it must not become a ticket (or a reply). */
export function ignoreReason(h: InboundHeaders, ownAddresses: string[]): IgnoreReason | null {
  const from = normaliseAddress(h.from);
  if (h.keywardTicket?.trim()) return 'own_mail';
  if (ownAddresses.some((a) => normaliseAddress(a) === from)) return 'own_address';
  if (h.returnPath != null && normaliseAddress(h.returnPath) === '') return 'bounce';
  if (/^(mailer-daemon|postmaster)@/i.test(from)) return 'bounce';
  const auto = h.autoSubmitted?.trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto_submitted';
  if (h.precedence && /^(bulk|junk|list|auto_reply)$/i.test(h.precedence.trim())) return 'bulk';
  if (h.listId?.trim()) return 'bulk';
  if (h.xAutoreply?.trim() || h.xAutoResponseSuppress?.trim()) return 'auto_reply';
  return null;
}

/** `[#1024]` in a subject: the ticket number it names (the last one, as ours is appended), or null. */
export function ticketRefOf(subject: string | null | undefined): number | null {
  const all = [...(subject ?? '').matchAll(/\[#(\d{1,12})\]/g)];
  if (!all.length) return null;
  const n = Number(all[all.length - 1][1]);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|sv|回复|答复|转发)\s*[:：]\s*)+/i;

/** The subject without reply prefixes and our ticket reference: what the ticket is called. */
export function baseSubject(subject: string | null | undefined): string {
  return (subject ?? '')
    .replace(/\s*\[#\d{1,12}\]/g, '')
    .replace(REPLY_PREFIX, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `Re: <subject> [#n]` for our reply. */
export function replySubject(subject: string, number: number): string {
  const s = baseSubject(subject) || `#${number}`;
  return `Re: ${s} [#${number}]`.slice(0, 300);
}

/** A Message-ID as `<id@host>` (angle brackets added, whitespace dropped), or null if there is none. */
export function normaliseMessageId(id: string | null | undefined): string | null {
  const s = (id ?? '').trim().replace(/\s+/g, '');
  if (!s) return null;
  const inner = s.replace(/^<|>$/g, '');
  if (!inner || inner.length > 900) return null;
  return `<${inner}>`;
}

/** Every Message-ID this mail answers: In-Reply-To first, then References from the newest back. */
export function referencedIds(inReplyTo: string | null | undefined, references: string | string[] | null | undefined): string[] {
  const refs = Array.isArray(references) ? references.join(' ') : (references ?? '');
  const ids = [...(inReplyTo ?? '').matchAll(/<[^<>\s]+>/g), ...[...refs.matchAll(/<[^<>\s]+>/g)].reverse()].map((m) => m[0]);
  const bare = !ids.length && inReplyTo?.trim() ? [normaliseMessageId(inReplyTo)!] : [];
  return [...new Set([...ids, ...bare])].slice(0, 50);
}

/**
 * Which ticket a mail belongs to. A Message-ID we sent or received for a ticket is the stronger proof
 * (it cannot be guessed from a subject); `[#n]` in the subject counts when the headers name none.
 */
export function chooseThread(x: {
  headerTicketIds: string[];
  subjectTicketId: string | null;
}): { ticketId: string; by: 'headers' | 'subject' } | null {
  if (x.headerTicketIds.length) return { ticketId: x.headerTicketIds[0], by: 'headers' };
  if (x.subjectTicketId) return { ticketId: x.subjectTicketId, by: 'subject' };
  return null;
}

export type SenderMatch = { accountId: string; contactId: string; keyPersonId: string | null; name: string };
export type SenderDecision =
  | { ok: true; accountId: string; contactId: string; keyPersonId: string | null; name: string }
  | { ok: false; reason: TriageReason };

/**
 * The sender's account: an active key person's login first, else a contact with that address. Matches on
 * two accounts are not guessed between: a person decides (triage).
 */
export function decideSender(matches: SenderMatch[]): SenderDecision {
  const withLogin = matches.filter((m) => m.keyPersonId);
  const pool = withLogin.length ? withLogin : matches;
  const accounts = new Set(pool.map((m) => m.accountId));
  if (!pool.length) return { ok: false, reason: 'unknown_sender' };
  if (accounts.size > 1) return { ok: false, reason: 'ambiguous_sender' };
  const m = pool[0];
  return { ok: true, accountId: m.accountId, contactId: m.contactId, keyPersonId: m.keyPersonId, name: m.name };
}

/**
 * Who may add to a ticket by mail: the address the thread started from, or a contact of the ticket's account.
 * Anyone else quoting a ticket number waits in triage (a subject is easy to copy).
 */
export function mayReplyTo(x: { senderEmail: string; threadEmail: string | null; senderAccountIds: string[]; ticketAccountId: string }): boolean {
  if (x.threadEmail && normaliseAddress(x.threadEmail) === normaliseAddress(x.senderEmail)) return true;
  return x.senderAccountIds.includes(x.ticketAccountId);
}

/** HTML mail as plain text: tags dropped (scripts and styles with their content), paragraphs and breaks kept as lines. */
export function htmlToText(html: string): string {
  const marked = html.replace(/<\s*br\s*\/?>/gi, '\n').replace(/<\/\s*(p|div|li|tr|h[1-6]|blockquote)\s*>/gi, '\n');
  const text = sanitizeHtml(marked, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['style', 'script', 'textarea', 'noscript', 'head', 'title'],
  });
  return decodeEntities(text)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return named[e.toLowerCase()] ?? m;
  });
}

/** The new part of a reply: quoted history ("On … wrote:", "-----Original Message-----", 「在…写道：」, "> …") cut off. */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*-{2,}\s*(original message|原始邮件|回复的原邮件)\s*-{2,}/i.test(line)) break;
    if (/^\s*On .{3,200} wrote:\s*$/i.test(line)) break;
    if (/^\s*在.{2,200}写道[:：]\s*$/.test(line)) break;
    if (/^\s*(From|发件人)\s*[:：].+/i.test(line) && out.length && out[out.length - 1].trim() === '') break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  const s = out.join('\n').trim();
  return s || text.trim();
}

/** The message body a ticket keeps: text (or the HTML turned into text), bounded. */
export function bodyOf(x: { text?: string | null; html?: string | null }, opts: { reply?: boolean; max?: number } = {}): string {
  const raw = x.text?.trim() ? x.text : x.html ? htmlToText(x.html) : '';
  const body = (opts.reply ? stripQuoted(raw) : raw.trim()).replaceAll(String.fromCharCode(0), '');
  const max = opts.max ?? 10_000;
  return body.length > max ? `${body.slice(0, max - 1)}…` : body;
}

/** The References header of our reply: the thread's ids, oldest first, the last 20 (RFC 5322 keeps the first and the recent). */
export function referencesHeader(threadIds: string[]): string {
  const ids = [...new Set(threadIds)];
  const kept = ids.length > 20 ? [ids[0], ...ids.slice(-19)] : ids;
  return kept.join(' ');
}

/** The domain of an address, for our Message-IDs (`<kw.…@support.example.com>`). */
export function domainOf(address: string): string {
  const d = normaliseAddress(address).split('@')[1] ?? '';
  return /^[a-z0-9.-]+$/.test(d) && d ? d : 'keyward.invalid';
}

/** A plausible single address (the settings' support address). */
export function isAddress(s: string): boolean {
  return /^[^\s@<>"(),;:]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(s.trim()) && s.length <= 254;
}
