import { describe, expect, it } from 'vitest';
import {
  baseSubject,
  bodyOf,
  chooseThread,
  decideSender,
  domainOf,
  htmlToText,
  ignoreReason,
  isAddress,
  mayReplyTo,
  normaliseMessageId,
  referencedIds,
  referencesHeader,
  replySubject,
  stripQuoted,
  ticketRefOf,
} from './email-in.domain.js';

const own = ['support@vendor.test', 'noreply@vendor.test'];

describe('ignoreReason: auto-replies and loops', () => {
  it('lets a person writing through', () => {
    expect(ignoreReason({ from: 'li@customer.test' }, own)).toBeNull();
    expect(ignoreReason({ from: 'li@customer.test', autoSubmitted: 'no', returnPath: '<li@customer.test>' }, own)).toBeNull();
  });
  it('drops Auto-Submitted other than "no"', () => {
    expect(ignoreReason({ from: 'li@customer.test', autoSubmitted: 'auto-replied' }, own)).toBe('auto_submitted');
    expect(ignoreReason({ from: 'li@customer.test', autoSubmitted: 'auto-generated' }, own)).toBe('auto_submitted');
  });
  it('drops bulk, junk and list mail', () => {
    for (const p of ['bulk', 'junk', 'list', 'Bulk ']) expect(ignoreReason({ from: 'a@b.test', precedence: p }, own)).toBe('bulk');
    expect(ignoreReason({ from: 'a@b.test', precedence: 'first-class' }, own)).toBeNull();
    expect(ignoreReason({ from: 'a@b.test', listId: '<news.b.test>' }, own)).toBe('bulk');
  });
  it('drops X-Autoreply and X-Auto-Response-Suppress', () => {
    expect(ignoreReason({ from: 'a@b.test', xAutoreply: 'yes' }, own)).toBe('auto_reply');
    expect(ignoreReason({ from: 'a@b.test', xAutoResponseSuppress: 'All' }, own)).toBe('auto_reply');
  });
  it('drops bounces: an empty Return-Path or a mailer daemon', () => {
    expect(ignoreReason({ from: 'a@b.test', returnPath: '<>' }, own)).toBe('bounce');
    expect(ignoreReason({ from: 'a@b.test', returnPath: '' }, own)).toBe('bounce');
    expect(ignoreReason({ from: 'MAILER-DAEMON@b.test' }, own)).toBe('bounce');
  });
  it('drops our own mail: our addresses (any case) and our ticket header', () => {
    expect(ignoreReason({ from: '<Support@Vendor.test>' }, own)).toBe('own_address');
    expect(ignoreReason({ from: 'a@b.test', keywardTicket: '12' }, own)).toBe('own_mail');
  });
});

describe('ticket references and subjects', () => {
  it('reads [#n] from a subject, the last one when several', () => {
    expect(ticketRefOf('Re: 设备无法启动 [#1024]')).toBe(1024);
    expect(ticketRefOf('Fwd: [#3] about [#17]')).toBe(17);
    expect(ticketRefOf('order #1024 late')).toBeNull();
    expect(ticketRefOf('[#0]')).toBeNull();
    expect(ticketRefOf(null)).toBeNull();
  });
  it('builds the reply subject once, whatever the prefixes', () => {
    expect(replySubject('设备无法启动', 7)).toBe('Re: 设备无法启动 [#7]');
    expect(replySubject('Re: RE: 回复：设备无法启动 [#7]', 7)).toBe('Re: 设备无法启动 [#7]');
    expect(replySubject('', 7)).toBe('Re: #7 [#7]');
    expect(baseSubject('答复: Fwd: Printer down [#12]')).toBe('Printer down');
  });
});

describe('threading by headers', () => {
  it('normalises Message-IDs', () => {
    expect(normaliseMessageId(' abc@x.test ')).toBe('<abc@x.test>');
    expect(normaliseMessageId('<abc@x.test>')).toBe('<abc@x.test>');
    expect(normaliseMessageId('')).toBeNull();
  });
  it('lists In-Reply-To first, then References newest first, without repeats', () => {
    expect(referencedIds('<c@x>', '<a@x> <b@x> <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(referencedIds(null, ['<a@x>', '<b@x>'])).toEqual(['<b@x>', '<a@x>']);
    expect(referencedIds('bare@x', null)).toEqual(['<bare@x>']);
    expect(referencedIds(null, null)).toEqual([]);
  });
  it('prefers a header match over a subject reference', () => {
    expect(chooseThread({ headerTicketIds: ['t1'], subjectTicketId: 't2' })).toEqual({ ticketId: 't1', by: 'headers' });
    expect(chooseThread({ headerTicketIds: [], subjectTicketId: 't2' })).toEqual({ ticketId: 't2', by: 'subject' });
    expect(chooseThread({ headerTicketIds: [], subjectTicketId: null })).toBeNull();
  });
  it('keeps the first and the 19 newest ids in References', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const h = referencesHeader(ids).split(' ');
    expect(h).toHaveLength(20);
    expect(h[0]).toBe('<m0@x>');
    expect(h[19]).toBe('<m29@x>');
  });
});

describe('senders', () => {
  const m = (accountId: string, keyPersonId: string | null) => ({ accountId, contactId: `c-${accountId}`, keyPersonId, name: '李工' });
  it('matches one account, preferring key-person logins', () => {
    expect(decideSender([m('a1', null)])).toMatchObject({ ok: true, accountId: 'a1', keyPersonId: null });
    expect(decideSender([m('a1', null), m('a2', 'kp2')])).toMatchObject({ ok: true, accountId: 'a2', keyPersonId: 'kp2' });
  });
  it('sends unknown and ambiguous senders to triage', () => {
    expect(decideSender([])).toEqual({ ok: false, reason: 'unknown_sender' });
    expect(decideSender([m('a1', null), m('a2', null)])).toEqual({ ok: false, reason: 'ambiguous_sender' });
  });
  it('lets the thread starter or the account’s contacts reply, nobody else', () => {
    const base = { threadEmail: 'Li@Customer.test', ticketAccountId: 'a1' };
    expect(mayReplyTo({ ...base, senderEmail: 'li@customer.test', senderAccountIds: [] })).toBe(true);
    expect(mayReplyTo({ ...base, senderEmail: 'wang@customer.test', senderAccountIds: ['a1'] })).toBe(true);
    expect(mayReplyTo({ ...base, senderEmail: 'x@evil.test', senderAccountIds: ['a2'] })).toBe(false);
  });
  it('checks addresses and takes the domain for Message-IDs', () => {
    expect(isAddress('support@vendor.test')).toBe(true);
    expect(isAddress('support@vendor')).toBe(false);
    expect(isAddress('a b@vendor.test')).toBe(false);
    expect(domainOf('Support@Vendor.test')).toBe('vendor.test');
  });
});

describe('bodies', () => {
  it('turns HTML into text without scripts or styles', () => {
    const t = htmlToText('<style>p{color:red}</style><p>设备&nbsp;无法启动</p><script>alert(1)</script><div>第二行<br>第三行 &amp; &#x4e2d;</div>');
    expect(t).toBe('设备 无法启动\n第二行\n第三行 & 中');
  });
  it('cuts the quoted history off a reply', () => {
    expect(stripQuoted('好的，已重启。\n\nOn Mon, 1 Jun 2026 at 10:00, Support <s@v.test> wrote:\n> 请重启')).toBe('好的，已重启。');
    expect(stripQuoted('收到\n在 2026年6月1日 10:00，客服 写道：\n> 请重启')).toBe('收到');
    expect(stripQuoted('ok\n-----Original Message-----\nFrom: x')).toBe('ok');
    expect(stripQuoted('> only quoted')).toBe('> only quoted');
  });
  it('takes text before HTML and bounds the length', () => {
    expect(bodyOf({ text: 'plain', html: '<p>html</p>' })).toBe('plain');
    expect(bodyOf({ text: '', html: '<p>html</p>' })).toBe('html');
    expect(bodyOf({ text: 'x'.repeat(50) }, { max: 10 })).toBe(`${'x'.repeat(9)}…`);
  });
});
