import { describe, expect, it } from 'vitest';
import { suggest, tokenUsable, INVITE_TTL_MS, type Signal } from './signals.domain.js';
import { sanitizeRichText } from './content.domain.js';

const now = new Date('2026-11-22T08:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
const view = (over: Partial<Signal> = {}): Signal => ({
  kind: 'view',
  subjectType: 'post',
  subjectId: 'p1',
  label: '智能运维平台',
  tasks: ['solution'],
  keyPersonId: 'k1',
  createdAt: ago(1),
  ...over,
});

describe('suggestions from behaviour signals', () => {
  it('an open need not yet captured becomes a suggested opportunity, with who and how much discussion', () => {
    const s = suggest([], [{ id: 'd1', title: '产线数据接入', messages: 3, hasOpportunity: false, by: '钱工' }], now);
    expect(s).toEqual([
      {
        kind: 'opportunity',
        subjectType: 'demand',
        subjectId: 'd1',
        label: '产线数据接入',
        task: 'capture',
        reasonKey: 'portal.reason.need',
        params: { by: '钱工', messages: 3 },
        score: 103,
      },
    ]);
    expect(suggest([], [{ id: 'd1', title: 'x', messages: 0, hasOpportunity: true, by: 'x' }], now)).toEqual([]);
  });
  it('two views of a product by two people → interest; one view is not enough; old views do not count', () => {
    expect(suggest([view()], [], now).filter((s) => s.subjectType === 'post')).toEqual([]);
    const s = suggest([view(), view({ keyPersonId: 'k2' })], [], now).find((x) => x.subjectType === 'post')!;
    expect(s.params).toEqual({ views: 2, people: 2, days: 30 });
    expect(suggest([view({ createdAt: ago(40) }), view({ createdAt: ago(31) })], [], now).filter((x) => x.subjectType === 'post')).toEqual([]);
  });
  it('something already requested is not suggested again as interest', () => {
    const s = suggest([view(), view(), { ...view(), kind: 'request', subjectType: 'catalog_item', subjectId: 'c1' }], [], now);
    expect(s.filter((x) => x.subjectType === 'post')).toEqual([]);
  });
  it('the six tasks are weighted request 3, discuss 2, view 1; the top ones suggest service products', () => {
    const s = suggest([view({ tasks: ['closeness'] }), { ...view({ tasks: ['price'] }), kind: 'request' }], [], now).filter(
      (x) => x.kind === 'service_product',
    );
    expect(s.map((x) => [x.task, x.params.weight])).toEqual([['price', 3]]);
  });
});

describe('one-time links', () => {
  it('usable once, before expiry', () => {
    expect(tokenUsable({ expiresAt: new Date(now.getTime() + INVITE_TTL_MS), usedAt: null }, now)).toBe('ok');
    expect(tokenUsable({ expiresAt: now, usedAt: null }, now)).toBe('expired');
    expect(tokenUsable({ expiresAt: new Date(now.getTime() + 1), usedAt: ago(0) }, now)).toBe('used');
  });
});

describe('rich text sanitiser', () => {
  it('keeps formatting and drops scripts, handlers and javascript: links', () => {
    const out = sanitizeRichText(
      '<h2>标题</h2><p onclick="x()">正文<strong>加粗</strong><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a><a href="https://keyward.cn">b</a></p><iframe src="//evil"></iframe>',
    );
    expect(out).toBe(
      '<h2>标题</h2><p>正文<strong>加粗</strong><a rel="noopener noreferrer nofollow" target="_blank">a</a><a href="https://keyward.cn" rel="noopener noreferrer nofollow" target="_blank">b</a></p>',
    );
  });
});
