import { describe, expect, it } from 'vitest';
import {
  attribute,
  countFacts,
  countGrowth,
  growthFacts,
  growthOf,
  isForward,
  linksOf,
  readTrackToken,
  recordedAt,
  trackedBody,
  trackToken,
  trackTokenValid,
  type Fact,
  type Outcome,
  type Touch,
} from './measures.domain.js';
import { render, unknownVariables } from './outreach.domain.js';

const ws = '11111111-1111-4111-8111-111111111111';
const camp = '22222222-2222-4222-8222-222222222222';
const person = '33333333-3333-4333-8333-333333333333';
const at = (iso: string) => new Date(iso);

describe('tracking tokens', () => {
  it('sign the purpose with the ids; a forged, altered or other-purpose token is refused', () => {
    const o = trackToken('k', { kind: 'o', workspaceId: ws, campaignId: camp, contactId: person });
    const t = readTrackToken(o, 'o')!;
    expect(t).toMatchObject({ workspaceId: ws, campaignId: camp, contactId: person });
    expect(trackTokenValid('k', t)).toBe(true);
    expect(trackTokenValid('other', t)).toBe(false);
    expect(readTrackToken(o, 'c')).toBeNull();
    const c = trackToken('k', { kind: 'c', workspaceId: ws, campaignId: camp, contactId: person, index: 2 });
    expect(readTrackToken(c, 'c')).toMatchObject({ index: 2 });
    // the index changed and the signature kept: refused
    const bytes = Buffer.from(c, 'base64url');
    bytes[49] = 3;
    expect(trackTokenValid('k', readTrackToken(bytes.toString('base64url'), 'c')!)).toBe(false);
    expect(c.length).toBeLessThan(100);
    const r = trackToken('k', { kind: 'r', workspaceId: ws, contactId: person, campaignId: null });
    expect(readTrackToken(r, 'r')).toMatchObject({ contactId: person, campaignId: null });
    expect(readTrackToken('nonsense', 'r')).toBeNull();
  });
});

describe('the tracked body', () => {
  it('rewrites the template links by index, keeps the text, ends with the unsubscribe link and the pixel', () => {
    const b = trackedBody('{{name}}，看看 https://shop.test/new?a=1&b=2。再见 http://x.test/p.', (p) => render(p, { name: '张三', account: '甲' }), {
      click: (i) => `https://kw/c/${i}`,
      pixel: 'https://kw/o/t',
      unsubscribe: 'https://kw/u',
    });
    expect(b.links).toEqual(['https://shop.test/new?a=1&b=2', 'http://x.test/p']);
    expect(b.text).toBe('张三，看看 https://kw/c/0。再见 https://kw/c/1.\n\n--\nhttps://kw/u');
    expect(b.html).toContain('<a href="https://kw/c/0">https://shop.test/new?a=1&#38;b=2</a>');
    expect(b.html).toContain('<img src="https://kw/o/t" width="1" height="1"');
    expect(b.html).not.toContain('href="https://shop.test');
  });
  it('does not track a link that a variable brings in, nor the referral link', () => {
    const b = trackedBody(
      '{{name}} {{referral_link}}',
      (p) => render(p, { name: 'http://evil.test', account: '', referralLink: 'https://kw/ref/x' }),
      {
        click: (i) => `https://kw/c/${i}`,
        pixel: 'p',
        unsubscribe: 'u',
        referral: 'https://kw/ref/x',
      },
    );
    expect(b.links).toEqual([]);
    expect(b.html).toContain('<a href="https://kw/ref/x">');
    expect(linksOf('见（https://a.test/x）')).toEqual([{ url: 'https://a.test/x', start: 2, end: 18 }]);
  });
  it('knows {{referral_link}} as a variable; a preview leaves it as written', () => {
    expect(unknownVariables('{{referral_link}} {{phone}}')).toEqual(['phone']);
    expect(render('{{referral_link}}', { name: 'a', account: 'b' })).toBe('{{referral_link}}');
    expect(render('{{constructor}}', { name: 'a', account: 'b' })).toBe('{{constructor}}');
  });
});

describe('last-touch attribution', () => {
  const touch = (campaignId: string, contactId: string, accountId: string, iso: string): Touch => ({ campaignId, contactId, accountId, at: at(iso) });
  const touches = [
    touch('c1', 'p1', 'a1', '2026-01-01T00:00:00Z'),
    touch('c2', 'p2', 'a1', '2026-01-05T00:00:00Z'),
    touch('c1', 'p3', 'a2', '2026-01-01T00:00:00Z'),
  ];
  const outcome = (id: string, accountId: string, iso: string, kind: Outcome['kind'] = 'payments'): Outcome => ({ kind, id, accountId, at: at(iso) });

  it('goes to the latest touch of a person of the account before it, within the window; each outcome once', () => {
    const r = attribute(
      touches,
      [
        outcome('x', 'a1', '2026-01-06T00:00:00Z'),
        outcome('x', 'a1', '2026-01-06T00:00:00Z'),
        outcome('y', 'a1', '2026-01-03T00:00:00Z'),
        outcome('z', 'a2', '2026-01-15T00:00:00Z'),
        outcome('early', 'a2', '2025-12-31T00:00:00Z'),
        outcome('late', 'a2', '2026-01-15T00:00:01Z'),
        outcome('nobody', 'a9', '2026-01-02T00:00:00Z'),
      ],
      14,
    );
    expect(r.map((a) => [a.outcome.id, a.touch.campaignId, a.touch.contactId])).toEqual([
      ['x', 'c2', 'p2'],
      ['y', 'c1', 'p1'],
      ['z', 'c1', 'p3'],
    ]);
  });
  it('counts a stage move forward only', () => {
    expect(isForward(null, 'contact')).toBe(true);
    expect(isForward('interest', 'purchase')).toBe(true);
    expect(isForward('loyalty', 'interest')).toBe(false);
    expect(isForward('purchase', null)).toBe(false);
  });
  it('places a back-dated record on its day, a same-day one at its recording', () => {
    const end = at('2026-01-01T15:59:59.999Z');
    expect(recordedAt(at('2026-03-01T00:00:00Z'), end)).toEqual(end);
    expect(recordedAt(at('2026-01-01T08:00:00Z'), end)).toEqual(at('2026-01-01T08:00:00Z'));
  });
});

describe('the five growth actions', () => {
  const f = (metric: Fact['metric'], stage: Fact['stage'], key: string, extra: Partial<Fact> = {}): Fact => ({
    metric,
    key,
    stage,
    campaignId: 'c',
    contactId: key,
    at: at('2026-01-01T00:00:00Z'),
    ...extra,
  });
  it('maps each fact as documented', () => {
    expect(growthOf(f('sent', 'contact', 'a'))).toEqual(['acquire']);
    expect(growthOf(f('sent', 'interest', 'a'))).toEqual([]);
    expect(growthOf(f('sent', 'loyalty', 'a'))).toEqual(['retain']);
    expect(growthOf(f('sent', 'repurchase', 'a', { churned: true }))).toEqual([]);
    expect(growthOf(f('opened', 'interest', 'a'))).toEqual(['activate']);
    expect(growthOf(f('clicked', 'purchase', 'a'))).toEqual([]);
    expect(growthOf(f('stage_moves', 'interest', 'm', { detail: 'purchase' }))).toEqual(['convert']);
    expect(growthOf(f('stage_moves', 'contact', 'm', { detail: 'interest' }))).toEqual([]);
    expect(growthOf(f('purchases', 'none', 'k'))).toEqual(['convert']);
    expect(growthOf(f('renewals', 'repurchase', 'k'))).toEqual(['retain']);
    expect(growthOf(f('payments', 'purchase', 'k'))).toEqual([]);
    expect(growthOf(f('referrals', 'loyalty', 'r'))).toEqual(['acquire', 'referral']);
    expect(growthOf(f('delivered', 'contact', 'a'))).toEqual([]);
  });
  it('counts a person who opened and clicked once for activate; counts equal the facts', () => {
    const facts = [f('opened', 'interest', 'c:p'), f('clicked', 'interest', 'c:p'), f('clicked', 'interest', 'c:q'), f('referrals', 'none', 'r1')];
    expect(growthFacts(facts, 'activate')).toHaveLength(2);
    expect(countGrowth(facts)).toEqual({ acquire: 1, activate: 2, retain: 0, convert: 0, referral: 1 });
    const c = countFacts([...facts, f('excluded', 'none', 'x', { detail: 'no_consent' }), f('excluded', 'none', 'y', { detail: 'no_consent' })]);
    expect(c).toMatchObject({ opened: 1, clicked: 2, referrals: 1, excluded: 2, excludedBy: { no_consent: 2 } });
  });
});
