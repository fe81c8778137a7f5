import { describe, expect, it } from 'vitest';
import { capAllows, nextSendableAt, readToken, reasonBeforeCap, render, tokenValid, unknownVariables, unsubscribeToken } from './outreach.domain.js';

const ws = '11111111-2222-4333-8444-555555555555';
const person = '66666666-7777-4888-9999-000000000000';

describe('content', () => {
  it('fills {{name}} and {{account}}, names unknown variables', () => {
    expect(render('{{ name }}，{{account}} 新品 {{x}}', { name: '张三', account: '甲公司' })).toBe('张三，甲公司 新品 {{x}}');
    expect(unknownVariables('{{name}} {{phone}} {{ account }}')).toEqual(['phone']);
  });
});

describe('who is reached', () => {
  it('a withdrawal wins; no address; opt-in required without a grant', () => {
    const granted = { granted: true, source: 'form' };
    expect(reasonBeforeCap({ email: 'a@b.test', consent: { granted: false, source: 'unsubscribe_link' } }, 'email', false)).toBe('unsubscribed');
    expect(reasonBeforeCap({ email: null, consent: granted }, 'email', true)).toBe('no_address');
    expect(reasonBeforeCap({ email: 'a@b.test', consent: null }, 'email', true)).toBe('no_consent');
    expect(reasonBeforeCap({ email: 'a@b.test', consent: null }, 'email', false)).toBeNull();
    expect(reasonBeforeCap({ email: 'a@b.test', consent: granted }, 'email', true)).toBeNull();
  });
  it('a cap of n allows the n-th touch, not the n+1-th', () => {
    expect(capAllows(1, 2)).toBe(true);
    expect(capAllows(2, 2)).toBe(false);
  });
});

describe('quiet hours (local time of the zone)', () => {
  const zone = 'Asia/Shanghai';
  it('outside: now; inside a window over midnight: its end, the next morning when needed', () => {
    const noon = new Date('2026-03-02T04:00:00Z'); // 12:00 Shanghai
    expect(nextSendableAt(noon, zone, '22:00', '08:00')).toEqual(noon);
    expect(nextSendableAt(new Date('2026-03-02T15:00:00Z'), zone, '22:00', '08:00').toISOString()).toBe('2026-03-03T00:00:00.000Z'); // 23:00 → 08:00
    expect(nextSendableAt(new Date('2026-03-02T21:30:00Z'), zone, '22:00', '08:00').toISOString()).toBe('2026-03-03T00:00:00.000Z'); // 05:30 → 08:00
    expect(nextSendableAt(new Date('2026-03-02T05:00:00Z'), zone, '12:00', '14:00').toISOString()).toBe('2026-03-02T06:00:00.000Z'); // 13:00 → 14:00
    expect(nextSendableAt(noon, zone, null, null)).toEqual(noon);
  });
});

describe('unsubscribe token', () => {
  it('round-trips, and any change of claims or key fails', () => {
    const tok = unsubscribeToken('secret-a', { workspaceId: ws, contactId: person, channel: 'email' });
    const t = readToken(tok)!;
    expect(t).toMatchObject({ workspaceId: ws, contactId: person, channel: 'email' });
    expect(tokenValid('secret-a', t)).toBe(true);
    expect(tokenValid('secret-b', t)).toBe(false);
    const forged = unsubscribeToken('secret-a', { workspaceId: ws, contactId: person, channel: 'portal' }).split('.')[0];
    expect(tokenValid('secret-a', { ...t, payload: forged })).toBe(false);
    expect(readToken('x')).toBeNull();
    expect(readToken(`${Buffer.from('a.b.email').toString('base64url')}.${'A'.repeat(43)}`)).toBeNull();
  });
});
