// Email in over real SMTP: a real client (nodemailer) sends to the inbound gateway on a free port; staff replies
// go out through the outbox to a real SMTP sink, in the thread. Settings and the triage queue over HTTP.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../jobs.js';
import { createJobRunner } from '../../platform/jobs.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { startSmtp } from '../meetings/meetings.test-support.js';
import { startInboundSmtp, type InboundGateway } from './email-in.gateway.js';

const PDF = Buffer.from('%PDF-1.4\n% a small test file\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const PW = 'Portal-pass-2026';

let t: TestApp;
let gateway: InboundGateway;
let sink: Awaited<ReturnType<typeof startSmtp>>;
let account: Json;
let otherAccount: Json;
const KP = 'li.gong@customer-a.test';
const CONTACT = 'wang@customer-a.test';

const transport = () =>
  nodemailer.createTransport({ host: '127.0.0.1', port: gateway.port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } });
type Mail = Parameters<ReturnType<typeof transport>['sendMail']>[0];
async function send(mail: Mail) {
  const tr = transport();
  try {
    return await tr.sendMail({ to: 'support@w1.test', ...mail });
  } finally {
    tr.close();
  }
}
const runJobs = () => createJobRunner(t.db, jobHandlers, { only: ['meetings.mail'] }).runDue(new Date(), 50);
const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw)?.[1]
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();

async function emailTickets(accountId: string) {
  const admin = await t.as('admin');
  const r = expectStatus(await admin.get(`/api/tickets?queue=all&accountId=${accountId}&pageSize=100`), 200);
  return (r.items as Json[]).filter((i) => i.channel === 'email');
}
async function inbound(status: string) {
  const admin = await t.as('admin');
  return expectStatus(await admin.get(`/api/email-in/inbound?status=${status}&pageSize=100`), 200).items as Json[];
}

beforeAll(async () => {
  t = await startTestApp();
  sink = await startSmtp();
  process.env.SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
  process.env.MAIL_FROM = 'Keyward <noreply@vendor.test>';
  const admin = await t.as('admin');
  expectStatus(await admin.put('/api/settings/email-in', { address: 'Support@w1.test', enabled: true }), 200);
  account = await makeAccount(await t.as('sales'), await t.as('manager'), 'A');
  otherAccount = await makeAccount(await t.as('sales'), await t.as('manager'), 'B');
  const kpContact = expectStatus(await admin.post(`/api/accounts/${account.id}/contacts`, { name: '李工', email: KP, side: 'operations_it' }), 201);
  expectStatus(await admin.post(`/api/contacts/${kpContact.id}/key-person-login`, { email: KP, password: PW }), 201);
  expectStatus(await admin.post(`/api/accounts/${account.id}/contacts`, { name: '王经理', email: CONTACT, side: 'business_head' }), 201);
  gateway = await startInboundSmtp(t.db, { port: 0, host: '127.0.0.1', maxBytes: 2 * 1024 * 1024 });
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
  await gateway?.close();
  await sink?.close();
  await t?.close();
});

describe('email in through the inbound SMTP gateway', () => {
  let ticket: Json;
  let ourMessageId: string;

  it('a key person’s mail becomes a ticket on their account, by email, with the attachment kept under the upload rules', async () => {
    await send({
      from: '李工 <li.gong@customer-a.test>',
      subject: '设备无法启动',
      text: '今天早上设备无法启动，报错 E42。',
      messageId: '<first-1@customer-a.test>',
      attachments: [
        { filename: 'log.pdf', content: PDF, contentType: 'application/pdf' },
        { filename: 'run.exe', content: Buffer.from('MZ...'), contentType: 'application/octet-stream' },
      ],
    });
    const list = await emailTickets(account.id);
    expect(list).toHaveLength(1);
    const admin = await t.as('admin');
    ticket = expectStatus(await admin.get(`/api/tickets/${list[0].id}`), 200);
    expect(ticket).toMatchObject({
      title: '设备无法启动',
      channel: 'email',
      accountId: account.id,
      requesterKind: 'key_person',
      requesterName: '李工',
    });
    expect(ticket.description).toContain('E42');
    expect(ticket.attachments.map((a: Json) => a.fileName)).toEqual(['log.pdf']);
    // dispatched and clocked like any ticket
    expect(ticket.clocks.map((c: Json) => c.kind).sort()).toEqual(['first_response', 'resolution']);
    expect(ticket.history[0].reason).toContain('email');
    const done = (await inbound('ticketed')).find((m) => m.ticketId === ticket.id)!;
    expect(done.skippedFiles).toEqual([expect.objectContaining({ fileName: 'run.exe' })]);
    // the key person sees it in the portal too
  });

  it('the same Message-ID delivered twice makes one ticket', async () => {
    await send({ from: KP, subject: '设备无法启动', text: 'again', messageId: '<first-1@customer-a.test>' });
    expect(await emailTickets(account.id)).toHaveLength(1);
  });

  it('a staff reply reaches the sender in the thread: Re: … [#n], In-Reply-To, References, X-Keyward-Ticket', async () => {
    const csm = await t.as('admin');
    expectStatus(await csm.post(`/api/tickets/${ticket.id}/messages`, { body: '请先断电重启一次。', visibility: 'public' }), 201);
    expectStatus(await csm.post(`/api/tickets/${ticket.id}/messages`, { body: '内部：可能是电源', visibility: 'internal' }), 201);
    await runJobs();
    const mails = sink.inbox.filter((m) => m.to.includes(KP));
    expect(mails).toHaveLength(1); // the internal note stays inside
    const m = mails[0];
    expect(m.subject).toBe(`Re: 设备无法启动 [#${ticket.number}]`);
    expect(m.text).toContain('请先断电重启一次。');
    expect(header(m.raw, 'In-Reply-To')).toBe('<first-1@customer-a.test>');
    expect(header(m.raw, 'References')).toContain('<first-1@customer-a.test>');
    expect(header(m.raw, 'X-Keyward-Ticket')).toBe(String(ticket.number));
    expect(header(m.raw, 'Reply-To')).toContain('support@w1.test');
    ourMessageId = header(m.raw, 'Message-ID')!;
    expect(ourMessageId).toMatch(/^<kw\..+@w1\.test>$/);
  });

  it('the customer’s answer to our mail threads into the same ticket by In-Reply-To, even with the subject changed', async () => {
    await send({
      from: KP,
      subject: 'Re: 新的主题',
      text: '重启后可以了，谢谢。\n\nOn Mon, 1 Jun 2026, Support wrote:\n> 请先断电重启一次。',
      inReplyTo: ourMessageId,
      references: ['<first-1@customer-a.test>', ourMessageId],
      messageId: '<reply-1@customer-a.test>',
    });
    expect(await emailTickets(account.id)).toHaveLength(1);
    const admin = await t.as('admin');
    const after = expectStatus(await admin.get(`/api/tickets/${ticket.id}`), 200);
    const last = after.messages[after.messages.length - 1];
    expect(last).toMatchObject({ body: '重启后可以了，谢谢。', authorKind: 'key_person', visibility: 'public' });
    // and our next reply answers it, with the whole thread in References
    expectStatus(await admin.post(`/api/tickets/${ticket.id}/messages`, { body: '好的，稍后关闭工单。', visibility: 'public' }), 201);
    await runJobs();
    const m = sink.inbox.filter((x) => x.to.includes(KP)).at(-1)!;
    expect(header(m.raw, 'In-Reply-To')).toBe('<reply-1@customer-a.test>');
    expect(header(m.raw, 'References')).toBe(`<first-1@customer-a.test> ${ourMessageId} <reply-1@customer-a.test>`);
  });

  it('a reply by [#n] in the subject alone threads too; from a stranger it waits in triage instead', async () => {
    await send({ from: CONTACT, subject: `Re: 设备无法启动 [#${ticket.number}]`, text: '我也遇到了。', messageId: '<ref-1@customer-a.test>' });
    const admin = await t.as('admin');
    const after = expectStatus(await admin.get(`/api/tickets/${ticket.id}`), 200);
    expect(after.messages.at(-1)).toMatchObject({ body: '我也遇到了。', authorKind: 'email', authorName: '王经理' });
    await send({ from: 'mallory@evil.test', subject: `Re: [#${ticket.number}]`, text: 'hello', messageId: '<evil-1@evil.test>' });
    const waiting = (await inbound('triage')).find((m) => m.fromEmail === 'mallory@evil.test')!;
    expect(waiting.reason).toBe('stranger_reply');
  });

  it('auto-replies, bulk mail, bounces and our own mail are ignored', async () => {
    const before = (await emailTickets(account.id)).length;
    await send({ from: KP, subject: '自动回复：不在办公室', text: 'OOO', headers: { 'Auto-Submitted': 'auto-replied' }, messageId: '<ooo@a>' });
    await send({ from: KP, subject: 'Newsletter', text: 'news', headers: { Precedence: 'bulk' }, messageId: '<bulk@a>' });
    await send({ from: KP, subject: 'Out of office', text: 'x', headers: { 'X-Autoreply': 'yes' }, messageId: '<xar@a>' });
    await send({ from: KP, subject: 'loop', text: 'x', headers: { 'X-Keyward-Ticket': '1' }, messageId: '<loop@a>' });
    await send({ from: 'support@w1.test', subject: 'self', text: 'x', messageId: '<self@a>' });
    await send({ envelope: { from: '', to: 'support@w1.test' }, from: KP, subject: 'Undelivered', text: 'bounce', messageId: '<bounce@a>' });
    expect(await emailTickets(account.id)).toHaveLength(before);
    const reasons = Object.fromEntries((await inbound('ignored')).map((m) => [m.subject, m.reason]));
    expect(reasons).toMatchObject({
      '自动回复：不在办公室': 'auto_submitted',
      Newsletter: 'bulk',
      'Out of office': 'auto_reply',
      loop: 'own_mail',
      self: 'own_address',
      Undelivered: 'bounce',
    });
  });

  it('a contact without a portal login opens a ticket as an email requester; HTML is turned into text', async () => {
    await send({
      from: '王经理 <wang@customer-a.test>',
      subject: '发票问题',
      html: '<p>请补开<b>发票</b></p><script>alert(1)</script>',
      messageId: '<inv@a>',
    });
    const tk = (await emailTickets(account.id)).find((x) => x.title === '发票问题')!;
    const admin = await t.as('admin');
    const full = expectStatus(await admin.get(`/api/tickets/${tk.id}`), 200);
    expect(full).toMatchObject({ requesterKind: 'email', requesterName: '王经理', description: '请补开发票' });
    expectStatus(await admin.post(`/api/tickets/${tk.id}/messages`, { body: '已补开。', visibility: 'public' }), 201);
    await runJobs();
    expect(sink.inbox.filter((m) => m.to.includes(CONTACT)).map((m) => m.subject)).toEqual([`Re: 发票问题 [#${tk.number}]`]);
  });

  it('mail for an address that is no support mailbox is refused at RCPT TO', async () => {
    await expect(send({ to: 'nobody@w1.test', from: KP, subject: 'x', text: 'x' })).rejects.toThrow(/550|No such mailbox/);
  });
});

describe('the triage queue', () => {
  let item: Json;
  it('an unknown sender waits in triage with the files kept', async () => {
    await send({
      from: '赵总 <zhao@new-customer.test>',
      subject: '咨询扩容',
      text: '想了解扩容方案。',
      messageId: '<zhao-1@new>',
      attachments: [{ filename: 'need.txt', content: '扩容需求 100 台', contentType: 'text/plain' }],
    });
    item = (await inbound('triage')).find((m) => m.fromEmail === 'zhao@new-customer.test')!;
    expect(item).toMatchObject({ fromName: '赵总', subject: '咨询扩容', reason: 'unknown_sender', fileCount: 1, status: 'triage' });
  });

  it('only staff who see every account and may assign tickets reach it; another workspace gets 404', async () => {
    expect((await (await t.as('sales')).get('/api/email-in/inbound')).statusCode).toBe(403);
    expect((await (await t.as('channel_implementer')).get('/api/email-in/inbound')).statusCode).toBe(403);
    const w2admin = await t.as('admin', t.w2);
    expect(expectStatus(await w2admin.get('/api/email-in/inbound'), 200).items).toEqual([]);
    expect((await w2admin.post(`/api/email-in/inbound/${item.id}/dismiss`)).statusCode).toBe(404);
    const bad = await (await t.as('admin')).post(`/api/email-in/inbound/${item.id}/ticket`, { accountId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('accountId');
  });

  it('becomes a ticket on the chosen account, remembering the sender as its contact; the next mail is ticketed at once', async () => {
    const csm = await t.as('manager');
    const r = expectStatus(
      await csm.post(`/api/email-in/inbound/${item.id}/ticket`, { accountId: otherAccount.id, rememberContact: true, severity: 'high' }),
      201,
    );
    expect(r).toMatchObject({ status: 'ticketed', ticketId: expect.any(String), ticketNumber: expect.any(Number) });
    const full = expectStatus(await csm.get(`/api/tickets/${r.ticketId}`), 200);
    expect(full).toMatchObject({ accountId: otherAccount.id, channel: 'email', severity: 'high', requesterKind: 'email', requesterName: '赵总' });
    expect(full.attachments.map((a: Json) => a.fileName)).toEqual(['need.txt']);
    const again = await csm.post(`/api/email-in/inbound/${item.id}/dismiss`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('made a ticket');

    await send({ from: 'zhao@new-customer.test', subject: '第二个问题', text: '另一件事', messageId: '<zhao-2@new>' });
    expect((await emailTickets(otherAccount.id)).map((x) => x.title)).toContain('第二个问题');
  });

  it('can be dismissed', async () => {
    await send({ from: 'spam@nowhere.test', subject: '推广', text: 'buy', messageId: '<spam@x>' });
    const m = (await inbound('triage')).find((x) => x.fromEmail === 'spam@nowhere.test')!;
    expect(expectStatus(await (await t.as('manager')).post(`/api/email-in/inbound/${m.id}/dismiss`), 200)).toMatchObject({ status: 'ignored' });
    expect((await inbound('triage')).some((x) => x.id === m.id)).toBe(false);
  });
});

describe('mailbox settings', () => {
  it('admins only; the password is never returned, only whether one is set', async () => {
    expect((await (await t.as('manager')).get('/api/settings/email-in')).statusCode).toBe(403);
    const admin = await t.as('admin');
    const r = expectStatus(
      await admin.put('/api/settings/email-in', {
        address: 'support@w1.test',
        enabled: true,
        imapHost: 'imap.example.com',
        imapPort: 993,
        imapUser: 'support',
        imapPassword: 's3cret-imap',
      }),
      200,
    );
    expect(r).toMatchObject({ imapPasswordSet: true, imapHost: 'imap.example.com' });
    expect(JSON.stringify(r)).not.toContain('s3cret');
    const g = expectStatus(await admin.get('/api/settings/email-in'), 200);
    expect(JSON.stringify(g)).not.toContain('s3cret');
    // clear IMAP again so the poll job leaves this workspace alone
    expectStatus(await admin.put('/api/settings/email-in', { address: 'support@w1.test', imapHost: null, imapPassword: null }), 200);
  });

  it('400 names the field: a bad address, an internal IMAP host, a port missing', async () => {
    const admin = await t.as('admin');
    const a = await admin.put('/api/settings/email-in', { address: 'not an address' });
    expect(a.statusCode).toBe(400);
    expect(a.json().fields[0].field).toBe('address');
    const h = await admin.put('/api/settings/email-in', { address: 'support@w1.test', imapHost: '127.0.0.1', imapPort: 143, imapUser: 'x' });
    expect(h.statusCode).toBe(400);
    expect(h.json().fields[0].field).toBe('imapHost');
    expect(h.json().message).toContain('KW_OUTBOUND_ALLOW_HOSTS');
    const p = await admin.put('/api/settings/email-in', { address: 'support@w1.test', imapHost: 'imap.example.com', imapPort: null, imapUser: 'x' });
    expect(p.statusCode).toBe(400);
    expect(p.json().fields[0].field).toBe('imapPort');
  });

  it('another workspace cannot take the same support address', async () => {
    const r = await (await t.as('admin', t.w2)).put('/api/settings/email-in', { address: 'SUPPORT@w1.test' });
    expect(r.statusCode).toBe(409);
    expect(r.json().fields[0].field).toBe('address');
  });

  it('the connection test answers in words without telling which ports are open', async () => {
    const admin = await t.as('admin', t.w2);
    expectStatus(await admin.put('/api/settings/email-in', { address: 'help@w2.test' }), 200);
    const none = await admin.post('/api/settings/email-in/test');
    expect(none.statusCode).toBe(400);
    process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1';
    try {
      expectStatus(
        await admin.put('/api/settings/email-in', {
          address: 'help@w2.test',
          imapHost: '127.0.0.1',
          imapPort: 9,
          imapUser: 'x',
          imapPassword: 'y',
          imapTls: false,
        }),
        200,
      );
      const closed = expectStatus(await admin.post('/api/settings/email-in/test'), 200);
      expectStatus(await admin.put('/api/settings/email-in', { address: 'help@w2.test', imapPort: sink.port }), 200);
      const open = expectStatus(await admin.post('/api/settings/email-in/test'), 200); // an SMTP server, not IMAP
      expect(closed).toEqual({ ok: false, message: open.message });
      expect(open.ok).toBe(false);
    } finally {
      delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
      await admin.put('/api/settings/email-in', { address: 'help@w2.test', imapHost: null });
    }
  });
});
