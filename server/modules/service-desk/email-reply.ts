// Staff answers by mail: a public reply on a ticket that has a mail thread goes to the sender through the
// outbox, in the thread (In-Reply-To, References, `Re: … [#n]`), with our own Message-ID remembered so the
// customer's answer threads back, and X-Keyward-Ticket so our own mail coming back in is recognised as a loop.
import type { Db } from '../../db/client.js';
import { queueMail } from '../../platform/mail.js';
import { domainOf, referencesHeader, replySubject, TICKET_HEADER } from './email-in.domain.js';
import * as repo from './email-in.repo.js';

export async function queueTicketReplyMail(
  tx: Db,
  t: { id: string; workspaceId: string; number: number },
  msg: { id: string; body: string; authorName: string },
) {
  const thread = await repo.threadOf(tx, t.workspaceId, t.id);
  if (!thread) return false;
  const mailbox = await repo.getMailbox(tx, t.workspaceId);
  if (!mailbox) return false;
  const messageId = `<kw.${t.id}.${msg.id}@${domainOf(mailbox.address)}>`;
  const inReplyTo = await repo.lastIncomingId(tx, t.workspaceId, t.id);
  const ids = await repo.threadMessageIds(tx, t.workspaceId, t.id);
  await repo.addThreadMessage(tx, { workspaceId: t.workspaceId, ticketId: t.id, messageId, direction: 'out' });
  await queueMail(
    tx,
    t.workspaceId,
    {
      to: [{ name: thread.name, email: thread.email }],
      subject: replySubject(thread.subject, t.number),
      text: [
        msg.body,
        '',
        `— ${msg.authorName}`,
        '',
        `直接回复本邮件即可补充工单 #${t.number}，请保留主题中的 [#${t.number}]。`,
        `Reply to this mail to add to ticket #${t.number}; keep [#${t.number}] in the subject.`,
      ].join('\n'),
      messageId,
      inReplyTo,
      references: ids.length ? referencesHeader(ids) : null,
      replyTo: mailbox.address,
      headers: { [TICKET_HEADER]: String(t.number) },
    },
    `ticket-reply:${msg.id}`,
  );
  return true;
}
