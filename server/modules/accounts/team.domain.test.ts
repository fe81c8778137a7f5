import { describe, expect, it } from 'vitest';
import { describeMissing, missingSeats, requiredSeats, seatName, seatRole, type TeamSeats } from './team.domain.js';

const empty: TeamSeats = { salesId: null, deliveryId: null, afterSalesId: null, csmId: null };
const triangle: TeamSeats = { salesId: 's', deliveryId: 'd', afterSalesId: 'a', csmId: null };

describe('required seats per tier', () => {
  it('A and C need the iron triangle and a CSM', () => {
    expect(requiredSeats('A')).toEqual(['salesId', 'deliveryId', 'afterSalesId', 'csmId']);
    expect(requiredSeats('C')).toEqual(['salesId', 'deliveryId', 'afterSalesId', 'csmId']);
  });
  it('B and D need the iron triangle only', () => {
    expect(requiredSeats('B')).toEqual(['salesId', 'deliveryId', 'afterSalesId']);
    expect(requiredSeats('D')).toEqual(['salesId', 'deliveryId', 'afterSalesId']);
  });
  it('E (channel) needs only a sales rep: the partner’s implementer serves it', () => {
    expect(requiredSeats('E')).toEqual(['salesId']);
  });
  it('each seat is held by its role', () => {
    expect(seatRole).toEqual({ salesId: 'sales', deliveryId: 'delivery', afterSalesId: 'after_sales', csmId: 'csm' });
  });
});

describe('missingSeats', () => {
  it('an A account with the triangle but no CSM misses the CSM', () => {
    expect(missingSeats('A', triangle)).toEqual(['csmId']);
  });
  it('a B account with the triangle misses nothing', () => {
    expect(missingSeats('B', triangle)).toEqual([]);
  });
  it('an empty team misses every required seat', () => {
    expect(missingSeats('C', empty)).toEqual(['salesId', 'deliveryId', 'afterSalesId', 'csmId']);
    expect(missingSeats('D', empty)).toEqual(['salesId', 'deliveryId', 'afterSalesId']);
    expect(missingSeats('E', empty)).toEqual(['salesId']);
  });
  it('an E account with a sales rep misses nothing', () => {
    expect(missingSeats('E', { ...empty, salesId: 's' })).toEqual([]);
  });
  it('a full team misses nothing at any tier', () => {
    for (const t of ['A', 'B', 'C', 'D', 'E'] as const) expect(missingSeats(t, { ...triangle, csmId: 'c' })).toEqual([]);
  });
});

describe('describeMissing', () => {
  it('says why a CSM is required, in zh-CN and en', () => {
    expect(describeMissing('zh-CN', 'A', ['csmId'])).toEqual(['A 类客户缺少客户成功经理（A、C 类重点客户必须配备）。']);
    expect(describeMissing('en', 'C', ['csmId'])).toEqual(['Tier C account without a customer success manager (required for A and C key accounts).']);
  });
  it('one message per missing seat', () => {
    expect(describeMissing('en', 'D', ['salesId', 'afterSalesId'])).toEqual([
      'Tier D account without a sales rep.',
      'Tier D account without an after-sales engineer.',
    ]);
    expect(describeMissing('zh-CN', 'B', ['deliveryId'])).toEqual(['B 类客户缺少交付工程师。']);
    expect(describeMissing('en', 'B', [])).toEqual([]);
  });
  it('names seats', () => {
    expect(seatName('zh-CN', 'afterSalesId')).toBe('售后工程师');
    expect(seatName('en', 'csmId')).toBe('customer success manager');
  });
});
