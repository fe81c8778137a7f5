import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../service-desk/sla.domain.js';
import {
  aging,
  allocate,
  availableHours,
  collectionsPct,
  customisationCoverage,
  dueForRenewal,
  milestoneState,
  onTimePaymentPct,
  orderAmountMinor,
  profitMarginPct,
  renewalBucket,
  slaBoughtOn,
  utilisationPct,
  validateTerms,
} from './commerce.domain.js';

const item = (id: string, dueOn: string, amountMinor: number, contractId = 'c1') => ({ id, contractId, dueOn, amountMinor });
const pay = (id: string, receivedOn: string, amountMinor: number, planItemId: string | null = null, contractId = 'c1') => ({
  id,
  contractId,
  planItemId,
  receivedOn,
  amountMinor,
});

describe('collections: allocation and the credit factor from a hand-made payment history', () => {
  // A contract paid in four instalments of ¥100k over 2026, the customer's habits written out by hand:
  //   i1 due 01-31, paid 01-20 in full                         → on time
  //   i2 due 04-30, paid 60k on 04-28 and 40k on 05-10         → late (paid in full on 05-10)
  //   i3 due 07-31, paid 07-31 (the due day itself)            → on time
  //   i4 due 10-31, nothing received by 12-01                  → late (due and open)
  //   i5 due 2027-01-31                                        → not due: not counted
  // and an older item (2025-06-30, paid on time) that falls outside the 12 months.
  const items = [
    item('i0', '2025-06-30', 5_000_000),
    item('i1', '2026-01-31', 10_000_000),
    item('i2', '2026-04-30', 10_000_000),
    item('i3', '2026-07-31', 10_000_000),
    item('i4', '2026-10-31', 10_000_000),
    item('i5', '2027-01-31', 10_000_000),
  ];
  const payments = [
    pay('p0', '2025-06-01', 5_000_000),
    pay('p1', '2026-01-20', 10_000_000),
    pay('p2', '2026-04-28', 6_000_000),
    pay('p3', '2026-05-10', 4_000_000),
    pay('p4', '2026-07-31', 10_000_000, 'i3'),
  ];
  const today = '2026-12-01';
  const a = allocate(items, payments);
  const by = (id: string) => a.find((x) => x.id === id)!;

  it('pays each item first-due-first-paid, and the item a payment names first', () => {
    expect(by('i1')).toMatchObject({ paidOn: '2026-01-20', outstandingMinor: 0 });
    expect(by('i2')).toMatchObject({ paidOn: '2026-05-10', paidMinor: 10_000_000 });
    expect(by('i3')).toMatchObject({ paidOn: '2026-07-31' });
    expect(by('i4')).toMatchObject({ paidOn: null, outstandingMinor: 10_000_000 });
  });

  it('credit = items of the last 12 months paid in full by their due day: 2 of 4 = 50', () => {
    expect(onTimePaymentPct(a, today)).toBe(50);
    // a year later only i5 would be due and unpaid: 0; before anything fell due there is no history
    expect(onTimePaymentPct(a, '2027-12-01')).toBe(0);
    expect(onTimePaymentPct(a, '2025-01-01')).toBeNull();
  });

  it('a payment that names a later item does not settle an earlier one', () => {
    const named = allocate([item('x1', '2026-01-31', 100), item('x2', '2026-02-28', 100)], [pay('q', '2026-01-15', 100, 'x2')]);
    expect(named.find((x) => x.id === 'x1')!.paidOn).toBeNull();
    expect(named.find((x) => x.id === 'x2')!.paidOn).toBe('2026-01-15');
    // money on another contract never pays this one
    const other = allocate([item('y1', '2026-01-31', 100)], [pay('q', '2026-01-15', 100, null, 'c2')]);
    expect(other[0].outstandingMinor).toBe(100);
  });

  it('ages what is outstanding and rates collections over a period', () => {
    expect(aging(a, today)).toEqual({ not_due: 10_000_000, d0_30: 0, d31_60: 10_000_000, d61_90: 0, d90_plus: 0 });
    expect(aging(a, '2027-03-15')).toMatchObject({ d0_30: 0, d31_60: 10_000_000, d90_plus: 10_000_000 });
    // H1 2026: i1 and i2 fell due, both received by 06-30 → 100; Q4: i4 fell due, nothing received → 0
    expect(collectionsPct(a, '2026-01-01', '2026-06-30')).toBe(100);
    expect(collectionsPct(a, '2026-10-01', '2026-12-31')).toBe(0);
    // April alone: i2 fell due; of it, only what arrived by 04-30 counts — 60k of 100k
    expect(collectionsPct(a, '2026-04-01', '2026-04-30')).toBe(60);
    expect(collectionsPct(a, '2026-02-01', '2026-03-31')).toBeNull();
  });
});

describe('order amount and profit contribution', () => {
  const cs = [
    { signedOn: '2024-06-01', amountMinor: 50_000_000, costMinor: 10_000_000 },
    { signedOn: '2025-03-01', amountMinor: 30_000_000, costMinor: 18_000_000 },
    { signedOn: '2026-09-01', amountMinor: 20_000_000, costMinor: null },
  ];
  it('counts contracts signed over the last one or two years', () => {
    expect(orderAmountMinor(cs, '2026-12-01', 2)).toBe(50_000_000);
    expect(orderAmountMinor(cs, '2026-12-01', 1)).toBe(20_000_000);
  });
  it('takes the margin of the contracts whose cost is known', () => {
    expect(profitMarginPct(cs, '2026-12-01', 2)).toBe(40);
    expect(profitMarginPct(cs, '2026-12-01', 1)).toBeNull();
    expect(profitMarginPct([{ signedOn: '2026-01-01', amountMinor: 100, costMinor: 300 }], '2026-12-01', 1)).toBe(-100);
  });
});

describe('utilisation from the business calendar', () => {
  it('counts the working hours of the calendar between two days', () => {
    const c = defaultCalendar('Asia/Shanghai'); // 7.5 h a weekday
    expect(availableHours(c, '2026-11-30', '2026-12-06')).toBe(37.5); // Mon–Sun
    expect(availableHours({ ...c, holidays: ['2026-12-01'], extraWorkdays: ['2026-12-05'] }, '2026-11-30', '2026-12-06')).toBe(37.5);
    expect(availableHours({ ...c, holidays: ['2026-12-01'] }, '2026-11-30', '2026-12-06')).toBe(30);
    expect(utilisationPct(30, 37.5)).toBe(80);
    expect(utilisationPct(3, 0)).toBeNull();
  });
});

describe('milestones, renewals, terms and customisation cover', () => {
  it('tells on-time from late milestones', () => {
    expect(milestoneState({ plannedOn: '2026-11-10', actualOn: '2026-11-10' }, '2026-12-01')).toBe('done_on_time');
    expect(milestoneState({ plannedOn: '2026-11-10', actualOn: '2026-11-11' }, '2026-12-01')).toBe('done_late');
    expect(milestoneState({ plannedOn: '2026-11-10', actualOn: null }, '2026-12-01')).toBe('late');
    expect(milestoneState({ plannedOn: '2026-12-10', actualOn: null }, '2026-12-01')).toBe('planned');
  });
  it('finds contracts ending within the window that are not renewed, in 30/60/90-day columns', () => {
    const cs = [
      { id: 'a', endsOn: '2026-12-20', renewed: false },
      { id: 'b', endsOn: '2027-01-30', renewed: false },
      { id: 'c', endsOn: '2027-01-30', renewed: true },
      { id: 'd', endsOn: '2027-06-30', renewed: false },
      { id: 'e', endsOn: '2026-11-30', renewed: false },
    ];
    expect(dueForRenewal(cs, '2026-12-01', 90).map((c) => c.id)).toEqual(['a', 'b']);
    expect(dueForRenewal(cs, '2026-12-01', 30).map((c) => c.id)).toEqual(['a']);
    expect([renewalBucket('2026-12-20', '2026-12-01'), renewalBucket('2027-01-30', '2026-12-01'), renewalBucket('2027-02-20', '2026-12-01')]).toEqual(
      [30, 60, 90],
    );
    expect(renewalBucket('2026-11-30', '2026-12-01')).toBeNull();
  });
  it('refuses dates out of order, naming the field', () => {
    expect(validateTerms({ signedOn: '2026-01-01', startsOn: '2026-02-01', endsOn: '2026-01-15', amountMinor: 1 })).toMatchObject({
      ok: false,
      field: 'endsOn',
    });
    expect(validateTerms({ signedOn: '2026-03-01', startsOn: '2026-01-01', endsOn: '2026-02-01', amountMinor: 1 })).toMatchObject({
      ok: false,
      field: 'signedOn',
    });
    expect(
      validateTerms({ signedOn: '2026-01-01', startsOn: '2026-01-01', endsOn: '2026-12-31', maintenanceEndsOn: '2026-06-30', amountMinor: 1 }),
    ).toMatchObject({ ok: false, field: 'maintenanceEndsOn' });
    expect(validateTerms({ signedOn: '2026-01-01', startsOn: '2026-01-01', endsOn: '2026-12-31', amountMinor: 1 }).ok).toBe(true);
  });
  it('covers a customisation while a contract with a customised service is in force (maintenance included)', () => {
    const c = {
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
      maintenanceEndsOn: '2026-12-31',
      services: [{ name: '报表定制', customisation: true }],
    };
    expect(customisationCoverage([c], '2026-06-01').covered).toBe(true);
    expect(customisationCoverage([c], '2027-01-01').covered).toBe(false);
    expect(customisationCoverage([{ ...c, services: [{ name: '标准维保', customisation: false }] }], '2026-06-01').covered).toBe(false);
  });
});

describe('the SLA contracts buy', () => {
  const c = (
    number: string,
    signedOn: string,
    startsOn: string,
    endsOn: string,
    slaTier: string | null,
    maintenanceEndsOn: string | null = null,
  ) => ({
    number,
    signedOn,
    startsOn,
    endsOn,
    slaTier,
    maintenanceEndsOn,
  });
  it('is the tier of the contract in force signed last that names one; maintenance keeps it in force', () => {
    const cs = [
      c('old', '2025-01-01', '2025-01-01', '2025-12-31', 'C', '2026-12-31'),
      c('new', '2026-03-01', '2026-03-01', '2027-02-28', 'A'),
      c('none', '2026-06-01', '2026-06-01', '2027-05-31', null),
    ];
    expect(slaBoughtOn(cs, '2026-02-01')).toEqual({ tier: 'C', number: 'old' });
    expect(slaBoughtOn(cs, '2026-07-01')).toEqual({ tier: 'A', number: 'new' });
    expect(slaBoughtOn(cs, '2027-04-01')).toBeNull();
  });
});
