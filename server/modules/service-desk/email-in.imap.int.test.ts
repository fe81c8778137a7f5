// The support mailbox read over IMAP from a real Dovecot (Debian's dovecot-imapd, started privately per run):
// messages APPENDed with imapflow become tickets when the poll job runs, are flagged \Seen, never twice.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../jobs.js';
import { createJobRunner, enqueue } from '../../platform/jobs.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type TestApp } from '../../test/harness.js';
import { DOVECOT, startDovecot } from './dovecot.test-support.js';
import { EMAIL_POLL_JOB } from './email-in.job.js';

const KP = 'chen@customer-imap.test';

describe.skipIf(!DOVECOT)('email in over IMAP (a real Dovecot)', () => {
  let t: TestApp;
  let dovecot: Awaited<ReturnType<typeof startDovecot>>;
  let account: Json;

  const imap = async <T>(fn: (c: ImapFlow) => Promise<T>) => {
    const c = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout();
    }
  };
  const append = (raw: string) => imap((c) => c.append('INBOX', raw.replace(/\n/g, '\r\n')));
  const poll = async () => {
    await enqueue(t.db, { kind: EMAIL_POLL_JOB, payload: {} });
    await createJobRunner(t.db, jobHandlers, { only: [EMAIL_POLL_JOB] }).runDue(new Date(), 10);
  };
  const emailTickets = async () => {
    const r = expectStatus(await (await t.as('admin')).get(`/api/tickets?queue=all&accountId=${account.id}&pageSize=100`), 200);
    return (r.items as Json[]).filter((i) => i.channel === 'email');
  };

  beforeAll(async () => {
    dovecot = await startDovecot();
    t = await startTestApp();
    account = await makeAccount(await t.as('sales'), await t.as('manager'), 'A');
    const admin = await t.as('admin');
    const c = expectStatus(await admin.post(`/api/accounts/${account.id}/contacts`, { name: '陈工', email: KP, side: 'operations_it' }), 201);
    expectStatus(await admin.post(`/api/contacts/${c.id}/key-person-login`, { email: KP, password: 'Portal-pass-2026' }), 201);
  });
  afterAll(async () => {
    delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
    await t?.close();
    await dovecot?.close();
  });

  it('a private address is refused unless the operator allowed the host', async () => {
    const admin = await t.as('admin');
    const body = {
      address: 'help@w1.test',
      enabled: true,
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapTls: false,
      imapUser: dovecot.user,
      imapPassword: dovecot.password,
    };
    const refused = await admin.put('/api/settings/email-in', body);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields[0].field).toBe('imapHost');
    process.env.KW_OUTBOUND_ALLOW_HOSTS = dovecot.host;
    expectStatus(await admin.put('/api/settings/email-in', body), 200);
  });

  it('the connection test signs in and counts the folder', async () => {
    await append(
      `From: 陈工 <${KP}>\nTo: help@w1.test\nSubject: =?UTF-8?B?${Buffer.from('打印机卡纸').toString('base64')}?=\nMessage-ID: <imap-1@customer-imap.test>\nContent-Type: text/plain; charset=utf-8\n\n打印机一直卡纸。\n`,
    );
    await append(
      `From: ${KP}\nTo: help@w1.test\nSubject: Out of office\nAuto-Submitted: auto-replied\nMessage-ID: <imap-ooo@customer-imap.test>\n\nAway\n`,
    );
    const r = expectStatus(await (await t.as('admin')).post('/api/settings/email-in/test'), 200);
    expect(r.ok).toBe(true);
    expect(r.message).toContain('2');
  });

  it('the poll job turns unseen mail into a ticket, ignores the auto-reply, flags both \\Seen', async () => {
    await poll();
    const list = await emailTickets();
    expect(list.map((x) => x.title)).toEqual(['打印机卡纸']);
    const full = expectStatus(await (await t.as('admin')).get(`/api/tickets/${list[0].id}`), 200);
    expect(full).toMatchObject({ accountId: account.id, requesterKind: 'key_person', requesterName: '陈工', description: '打印机一直卡纸。' });
    const unseen = await imap(async (c) => {
      await c.mailboxOpen('INBOX');
      return c.search({ seen: false });
    });
    expect(unseen).toEqual([]);
    const settings = expectStatus(await (await t.as('admin')).get('/api/settings/email-in'), 200);
    expect(settings.lastPolledAt).not.toBeNull();
    expect(settings.lastError).toBeNull();
  });

  it('the same message again (a copy, unseen) makes no second ticket', async () => {
    await append(`From: ${KP}\nTo: help@w1.test\nSubject: copy\nMessage-ID: <imap-1@customer-imap.test>\n\nsame id\n`);
    await poll();
    expect(await emailTickets()).toHaveLength(1);
  });

  it('when the operator withdraws the host, the poll records the refusal and reads nothing', async () => {
    delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
    await append(`From: ${KP}\nTo: help@w1.test\nSubject: later\nMessage-ID: <imap-2@customer-imap.test>\n\nlater\n`);
    await poll();
    expect(await emailTickets()).toHaveLength(1);
    const settings = expectStatus(await (await t.as('admin')).get('/api/settings/email-in'), 200);
    expect(settings.lastError).toContain('blocked');
  });
});
