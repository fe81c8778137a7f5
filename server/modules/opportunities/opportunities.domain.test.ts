import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boardColumns, decideIncubationOutcome, decideOpportunityMove } from './opportunities.domain.js';
import { checkOutboundUrl as checkWebhookUrl, checkTarget, isBlockedAddress } from '../../platform/outbound.js';
import { signPayload, verifySignature } from './webhook.domain.js';

describe('opportunity stages', () => {
  it('moves captured → incubating → handed_to_sales → won, one step at a time', () => {
    expect(decideOpportunityMove({ from: 'captured', to: 'incubating' })).toEqual({
      ok: true,
      value: { to: 'incubating', handOver: false, closes: false },
    });
    expect(decideOpportunityMove({ from: 'incubating', to: 'handed_to_sales' })).toEqual({
      ok: true,
      value: { to: 'handed_to_sales', handOver: true, closes: false },
    });
    expect(decideOpportunityMove({ from: 'handed_to_sales', to: 'won' })).toEqual({ ok: true, value: { to: 'won', handOver: false, closes: true } });
    expect(decideOpportunityMove({ from: 'captured', to: 'handed_to_sales' })).toMatchObject({ ok: false, key: 'opportunity.illegal_move' });
    expect(decideOpportunityMove({ from: 'won', to: 'lost', reason: 'x' })).toMatchObject({ ok: false, key: 'opportunity.illegal_move' });
    expect(decideOpportunityMove({ from: 'captured', to: 'captured' })).toMatchObject({ ok: false, key: 'opportunity.same_stage' });
  });
  it('lost needs a reason', () => {
    expect(decideOpportunityMove({ from: 'incubating', to: 'lost', reason: '  ' })).toMatchObject({ ok: false, field: 'reason' });
    expect(decideOpportunityMove({ from: 'incubating', to: 'lost', reason: '预算取消' }).ok).toBe(true);
  });
  it('a successful incubation hands over; a failed one is lost with its reason', () => {
    expect(decideIncubationOutcome({ from: 'incubating', success: true })).toEqual({ ok: true, value: ['handed_to_sales'] });
    expect(decideIncubationOutcome({ from: 'incubating', success: false, reason: '客户无预算' })).toEqual({ ok: true, value: ['lost'] });
    expect(decideIncubationOutcome({ from: 'incubating', success: false })).toMatchObject({ ok: false, key: 'opportunity.lost_reason' });
    expect(decideIncubationOutcome({ from: 'captured', success: true })).toMatchObject({ ok: false, key: 'opportunity.not_incubating' });
  });
  it('the board has every stage in order with counts and amounts', () => {
    const cols = boardColumns([
      { id: '1', stage: 'captured', amountMinor: 5 },
      { id: '2', stage: 'captured', amountMinor: 7 },
      { id: '3', stage: 'won', amountMinor: 1 },
    ]);
    expect(cols.map((c) => [c.stage, c.count, c.amountMinor])).toEqual([
      ['captured', 2, 12],
      ['incubating', 0, 0],
      ['handed_to_sales', 0, 0],
      ['won', 1, 1],
      ['lost', 0, 0],
    ]);
  });
});

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 and verifies within the tolerance', () => {
    const h = signPayload('s3cret', '{"a":1}', 1_700_000_000);
    // independent recomputation of the MAC
    expect(h.split('v1=')[1]).toBe(crypto.createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex'));
    expect(h).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', '{"a":1}', h, 1_700_000_100)).toBe(true);
    expect(verifySignature('wrong', '{"a":1}', h, 1_700_000_100)).toBe(false);
    expect(verifySignature('s3cret', '{"a":2}', h, 1_700_000_100)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', h, 1_700_001_000)).toBe(false); // replayed too late
  });
});

describe('SSRF guard', () => {
  it('blocks loopback, private, link-local, CGNAT, unspecified and mapped addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'not-an-ip',
    ]) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
  });
  it('lets public addresses through', () => {
    for (const ip of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isBlockedAddress(ip), ip).toBe(false);
  });
  it('allows an internal target only when the host or address is allow-listed', () => {
    expect(checkTarget('crm.internal', '10.0.0.5', [])).toMatchObject({ ok: false, key: 'webhook.blocked_address' });
    expect(checkTarget('crm.internal', '10.0.0.5', ['crm.internal'])).toEqual({ ok: true, value: true });
    expect(checkTarget('127.0.0.1', '127.0.0.1', ['127.0.0.1'])).toEqual({ ok: true, value: true });
  });
  it('checks the configured URL up front', () => {
    expect(checkWebhookUrl('ftp://x.example/', [])).toMatchObject({ ok: false, key: 'webhook.bad_url' });
    expect(checkWebhookUrl('https://u:p@x.example/', [])).toMatchObject({ ok: false, key: 'webhook.credentials_in_url' });
    expect(checkWebhookUrl('http://localhost:8080/hook', [])).toMatchObject({ ok: false, key: 'webhook.blocked_address' });
    expect(checkWebhookUrl('http://[::1]/hook', [])).toMatchObject({ ok: false, key: 'webhook.blocked_address' });
    expect(checkWebhookUrl('http://169.254.169.254/latest', [])).toMatchObject({ ok: false });
    expect(checkWebhookUrl('https://crm.example.com/hooks/keyward', []).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:9000/hook', ['127.0.0.1']).ok).toBe(true);
  });
});
