import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildRobotRequest, checkRobotUrl, checkSecret, fitBytes, interpretReply, maskWebhookUrl, nextSendSlot, withSend } from './im.domain.js';

const at = (ms: number) => new Date(Date.UTC(2026, 11, 3, 8, 0, 0) + ms);

describe('robot addresses', () => {
  it('each platform has its shape', () => {
    const ok = (p: 'wecom' | 'dingtalk' | 'feishu', u: string) => checkRobotUrl(p, new URL(u)).ok;
    expect(ok('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe(true);
    expect(ok('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).toBe(false);
    expect(ok('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef')).toBe(true);
    expect(ok('dingtalk', 'https://oapi.dingtalk.com/robot/send?key=0123456789abcdef')).toBe(false);
    expect(ok('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/2c6c1f4e-55a6-4b1e-9a4f-111111111111')).toBe(true);
    expect(ok('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/')).toBe(false);
    expect(checkSecret('wecom', 'SECabcdefgh').ok).toBe(false);
    expect(checkSecret('dingtalk', null).ok).toBe(true);
  });
  it('the token is masked', () => {
    expect(maskWebhookUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=0123…cdef',
    );
    expect(maskWebhookUrl('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/abcdefghijklmnop')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/abcd…mnop',
    );
  });
});

describe('signatures as the platforms document them', () => {
  const card = { title: '标题', markdown: '**内容**', link: 'https://kw.example.cn/accounts/1' };
  it('DingTalk: sign = base64(HMAC-SHA256(secret, ts + "\\n" + secret)), URL-encoded after the timestamp in ms', () => {
    const secret = 'SEC1234567890abcdef';
    const r = buildRobotRequest('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abcdefgh12', secret, card, 1_700_000_000_123);
    const expected = crypto.createHmac('sha256', secret).update(`1700000000123\n${secret}`).digest('base64');
    expect(r.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abcdefgh12&timestamp=1700000000123&sign=${encodeURIComponent(expected)}`);
    expect(JSON.parse(r.body)).toMatchObject({ msgtype: 'markdown', markdown: { title: '标题' }, at: { isAtAll: false } });
  });
  it('Feishu: sign = base64(HMAC-SHA256(key = ts + "\\n" + secret, "")), timestamp in seconds, both in the body', () => {
    const secret = 'feishu-secret-1';
    const r = buildRobotRequest('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh', secret, card, 1_700_000_000_999);
    const b = JSON.parse(r.body);
    expect(b.timestamp).toBe('1700000000');
    expect(b.sign).toBe(crypto.createHmac('sha256', `1700000000\n${secret}`).update('').digest('base64'));
    expect(b.card.elements[1].actions[0].url).toBe(card.link);
  });
  it('WeCom: no signature; markdown capped at 4096 bytes with the link kept', () => {
    const r = buildRobotRequest(
      'wecom',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh',
      null,
      { ...card, markdown: '长'.repeat(5000) },
      0,
    );
    const content = JSON.parse(r.body).markdown.content as string;
    expect(new TextEncoder().encode(content).length).toBeLessThanOrEqual(4096);
    expect(content.endsWith(`[查看详情](${card.link})`)).toBe(true);
    expect(fitBytes('长长长', 7)).toBe('长…');
  });
});

describe('answers', () => {
  it('code 0 is success, rate-limit codes wait, others refuse, anything else is unreachable', () => {
    expect(interpretReply('wecom', 200, '{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true });
    expect(interpretReply('wecom', 200, '{"errcode":45009}')).toEqual({ ok: false, reason: 'rate_limited', code: 45009 });
    expect(interpretReply('dingtalk', 200, '{"errcode":130101}')).toMatchObject({ reason: 'rate_limited' });
    expect(interpretReply('dingtalk', 200, '{"errcode":310000}')).toEqual({ ok: false, reason: 'rejected', code: 310000 });
    expect(interpretReply('feishu', 200, '{"code":9499}')).toMatchObject({ reason: 'rate_limited' });
    expect(interpretReply('feishu', 200, '{"code":11232}')).toMatchObject({ reason: 'rate_limited' });
    expect(interpretReply('feishu', 200, '{"StatusCode":0,"code":0}')).toEqual({ ok: true });
    expect(interpretReply('feishu', 200, '{"code":19021}')).toMatchObject({ reason: 'rejected' });
    expect(interpretReply('wecom', 502, '{"errcode":0}')).toMatchObject({ reason: 'unreachable' });
    expect(interpretReply('wecom', 429, '')).toMatchObject({ reason: 'rate_limited' });
    expect(interpretReply('wecom', 200, '<html>')).toMatchObject({ reason: 'unreachable' });
  });
});

describe('rate limits per robot', () => {
  it('WeCom / DingTalk: 20 a minute; the 21st waits until the oldest leaves the minute', () => {
    const sends = Array.from({ length: 20 }, (_, i) => at(i * 1000));
    expect(nextSendSlot('wecom', sends.slice(0, 19), at(30_000))).toEqual({ ok: true });
    expect(nextSendSlot('dingtalk', sends, at(30_000))).toEqual({ ok: false, retryAt: at(60_000) });
    expect(nextSendSlot('dingtalk', sends, at(60_000))).toEqual({ ok: true });
  });
  it('Feishu: 100 a minute and 5 a second', () => {
    const burst = Array.from({ length: 5 }, (_, i) => at(i * 100));
    expect(nextSendSlot('feishu', burst, at(500))).toEqual({ ok: false, retryAt: at(1000) });
    expect(nextSendSlot('feishu', burst, at(1000))).toEqual({ ok: true });
    const minute = Array.from({ length: 100 }, (_, i) => at(i * 500));
    expect(nextSendSlot('feishu', minute, at(55_000))).toEqual({ ok: false, retryAt: at(60_000) });
  });
  it('the record keeps the last minute only', () => {
    expect(withSend([at(0), at(2000)], at(61_000))).toEqual([at(2000), at(61_000)]);
  });
});
