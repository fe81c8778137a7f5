/**
 * SMTP delivery with nodemailer, configured per workspace (host, port, TLS, credentials). Used only
 * by the outbox job and the admin's "send test" button; the password is never logged or returned.
 * A workspace's SMTP host passes the outbound guard like every other admin-configured target: it is
 * resolved, every address checked (internal ones only when the operator allows the host,
 * KW_OUTBOUND_ALLOW_HOSTS), and the connection made to the checked address with the name kept for
 * TLS (SNI and certificate check), so a second DNS answer cannot slip in. The operator's own server
 * (SMTP_URL) is trusted as configured.
 */
// loaded when the first mail goes out, not at every server start
const loadNodemailer = async () => (await import('nodemailer')).default;
import net from 'node:net';
import type { OutgoingMail } from '../../platform/mail.js';
import { operatorAllowHosts, resolveGuarded } from '../../platform/outbound-fetch.js';
import { oneLine } from './ics.domain.js';

export type SmtpConfig = {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** the operator's SMTP_URL: connected to as configured, without the outbound guard */
  trusted?: boolean;
};
export type { OutgoingMail };

export async function sendMail(cfg: SmtpConfig, mail: OutgoingMail, opts: { timeoutMs?: number } = {}) {
  const timeout = opts.timeoutMs ?? 15_000;
  const target = cfg.trusted ? { host: cfg.host, servername: undefined } : await pinned(cfg.host);
  const transport = (await loadNodemailer()).createTransport({
    host: target.host,
    ...(target.servername ? { servername: target.servername } : {}),
    port: cfg.port,
    secure: cfg.secure,
    auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: cfg.from,
      to: mail.to.map((r) => ({ name: oneLine(r.name).replace(/["<>]/g, ''), address: r.email })),
      // one line only: nodemailer encodes it, and titles with CR/LF are refused at the edge anyway
      subject: oneLine(mail.subject),
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.ics ? { icalEvent: { method: mail.ics.method, filename: 'invite.ics', content: mail.ics.content } } : {}),
      // a ticket's thread: our Message-ID, what it answers, where replies go, and our marker header
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references ? { references: mail.references } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      ...(mail.headers || mail.listUnsubscribe
        ? {
            headers: {
              ...mail.headers,
              ...(mail.listUnsubscribe
                ? { 'List-Unsubscribe': `<${mail.listUnsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
                : {}),
            },
          }
        : {}),
    });
    return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
  } finally {
    transport.close();
  }
}

/** The checked address to connect to, and the name TLS must present and verify (none for a literal address). */
async function pinned(host: string) {
  const a = await resolveGuarded(host, operatorAllowHosts());
  return { host: a.address, servername: net.isIP(host.replace(/^\[|\]$/g, '')) ? undefined : host };
}
