import { describe, expect, it } from 'vitest';
import {
  allowedNext,
  decideAttachment,
  decidePause,
  decideRating,
  decideReassign,
  decideReply,
  decideResolve,
  decideResume,
  decideTransition,
  keyMomentCause,
  statuses,
  type ReassignInput,
} from './tickets.domain.js';

describe('status lifecycle', () => {
  it('allows only the listed moves', () => {
    const legal: [string, string][] = [];
    for (const f of statuses) for (const t of statuses) if (decideTransition(f, t, 'zh-CN').ok) legal.push([f, t]);
    expect(legal).toEqual([
      ['open', 'in_progress'],
      ['open', 'waiting_customer'],
      ['open', 'resolved'],
      ['in_progress', 'waiting_customer'],
      ['in_progress', 'resolved'],
      ['waiting_customer', 'in_progress'],
      ['waiting_customer', 'resolved'],
      ['resolved', 'in_progress'],
      ['resolved', 'closed'],
    ]);
    expect(allowedNext('closed')).toEqual([]);
    const r = decideTransition('closed', 'open', 'zh-CN');
    expect(r.ok === false && r.params).toEqual({ from: '已关闭', to: '新建', allowed: '无' });
  });
});

describe('pause and resume', () => {
  it('pauses only when our message is the last word on an open ticket', () => {
    expect(decidePause({ status: 'in_progress', lastPublicFrom: 'staff' }).ok).toBe(true);
    expect(decidePause({ status: 'in_progress', lastPublicFrom: 'customer' })).toMatchObject({ ok: false, key: 'ticket.pause_not_waiting' });
    expect(decidePause({ status: 'open', lastPublicFrom: null })).toMatchObject({ ok: false, key: 'ticket.pause_not_waiting' });
    expect(decidePause({ status: 'waiting_customer', lastPublicFrom: 'staff' })).toMatchObject({ ok: false, key: 'ticket.already_paused' });
    expect(decidePause({ status: 'resolved', lastPublicFrom: 'staff' }).ok).toBe(false);
    expect(decideResume({ status: 'in_progress' }).ok).toBe(false);
    expect(decideResume({ status: 'waiting_customer' }).ok).toBe(true);
  });
});

describe('replies', () => {
  it('refuses replies to a closed ticket', () => {
    expect(decideReply('closed', 'customer', 'public')).toMatchObject({ ok: false, key: 'ticket.closed' });
    expect(decideReply('closed', 'staff', 'internal')).toMatchObject({ ok: false, key: 'ticket.closed' });
  });
  it('a customer reply resumes a paused ticket and reopens a resolved one', () => {
    expect(decideReply('waiting_customer', 'customer', 'public')).toEqual({
      ok: true,
      value: { status: 'in_progress', resume: true, reopen: false, meetsResponse: false, startsNextResponse: true },
    });
    expect(decideReply('resolved', 'customer', 'public')).toMatchObject({ ok: true, value: { status: 'in_progress', reopen: true } });
    expect(decideReply('open', 'customer', 'internal').ok).toBe(false);
  });
  it('our first public reply meets the response clock and starts work; a note changes nothing', () => {
    expect(decideReply('open', 'staff', 'public')).toMatchObject({ ok: true, value: { status: 'in_progress', meetsResponse: true } });
    expect(decideReply('open', 'staff', 'internal')).toMatchObject({ ok: true, value: { status: 'open', meetsResponse: false } });
  });
  it('resolving needs words and an open ticket', () => {
    expect(decideResolve('in_progress', ' ').ok).toBe(false);
    expect(decideResolve('closed', '已修复').ok).toBe(false);
    expect(decideResolve('waiting_customer', '已修复').ok).toBe(true);
  });
});

describe('reassignment', () => {
  const base: ReassignInput = {
    actor: { id: 'me', role: 'after_sales', teamIds: ['desk'] },
    ticket: { ownerId: 'x', teamId: 'desk', accountableId: 'csm', status: 'in_progress' },
    targetTeamId: 'desk',
    target: { id: 'y', active: true, teamIds: ['desk'] },
    accountPeople: [],
  };
  it('a member of the team may pass it to a teammate', () => {
    expect(decideReassign(base)).toEqual({ ok: true, value: { ownerId: 'y', teamId: 'desk' } });
  });
  it('an engineer of another team may not', () => {
    expect(decideReassign({ ...base, actor: { id: 'me', role: 'after_sales', teamIds: ['other'] } })).toMatchObject({
      ok: false,
      key: 'ticket.reassign_forbidden',
    });
  });
  it('the owner, the CSM and leads may; only the CSM and leads may change the team', () => {
    expect(decideReassign({ ...base, actor: { id: 'x', role: 'delivery', teamIds: [] } }).ok).toBe(true);
    expect(
      decideReassign({
        ...base,
        actor: { id: 'x', role: 'delivery', teamIds: [] },
        targetTeamId: 'exp',
        target: { id: 'e', active: true, teamIds: ['exp'] },
      }),
    ).toMatchObject({ ok: false, key: 'ticket.team_change_forbidden' });
    expect(
      decideReassign({
        ...base,
        actor: { id: 'csm', role: 'csm', teamIds: [] },
        targetTeamId: 'exp',
        target: { id: 'e', active: true, teamIds: ['exp'] },
      }).ok,
    ).toBe(true);
    expect(decideReassign({ ...base, actor: { id: 'm', role: 'manager', teamIds: [] } }).ok).toBe(true);
  });
  it('refuses someone outside the team, an inactive person and the same owner', () => {
    expect(decideReassign({ ...base, target: { id: 'z', active: true, teamIds: ['other'] } })).toMatchObject({
      ok: false,
      key: 'ticket.assignee_outside_team',
      field: 'ownerId',
    });
    expect(decideReassign({ ...base, target: { id: 'y', active: false, teamIds: ['desk'] } })).toMatchObject({
      ok: false,
      key: 'ticket.assignee_unknown',
    });
    expect(decideReassign({ ...base, target: { id: 'x', active: true, teamIds: ['desk'] } })).toMatchObject({
      ok: false,
      key: 'ticket.assignee_same',
    });
    expect(decideReassign({ ...base, ticket: { ...base.ticket, status: 'closed' } })).toMatchObject({ ok: false, key: 'ticket.reassign_status' });
  });
  it('a ticket without a team goes to a team member or the account’s own people', () => {
    const noTeam = { ...base, actor: { id: 'm', role: 'manager', teamIds: [] }, ticket: { ...base.ticket, teamId: null }, targetTeamId: null };
    expect(decideReassign({ ...noTeam, target: { id: 'sales', active: true, teamIds: [] }, accountPeople: ['sales'] }).ok).toBe(true);
    expect(decideReassign({ ...noTeam, target: { id: 'stranger', active: true, teamIds: [] } }).ok).toBe(false);
  });
});

describe('satisfaction and key moments', () => {
  it('asks once, after resolution, 1–5', () => {
    expect(decideRating('resolved', false, 5)).toEqual({ ok: true, value: 5 });
    expect(decideRating('in_progress', false, 5)).toMatchObject({ ok: false, key: 'csat.not_resolved' });
    expect(decideRating('closed', true, 4)).toMatchObject({ ok: false, key: 'csat.already' });
    expect(decideRating('resolved', false, 6).ok).toBe(false);
  });
  it('complaints and major issues are key moments', () => {
    expect(keyMomentCause('complaint', false)).toBe('complaint');
    expect(keyMomentCause('product_issue', true)).toBe('major_issue');
    expect(keyMomentCause('product_issue', false)).toBeNull();
  });
});

describe('attachments', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
  it('accepts an image whose bytes match its type', () => {
    expect(decideAttachment({ fileName: '报错截图.png', contentType: 'image/png', size: 1000, head: png })).toEqual({
      ok: true,
      value: { fileName: '报错截图.png', contentType: 'image/png' },
    });
  });
  it('refuses too large, forbidden types, lying extensions and scripts in text', () => {
    expect(decideAttachment({ fileName: 'a.png', contentType: 'image/png', size: 6 * 1024 * 1024, head: png })).toMatchObject({
      ok: false,
      key: 'attachment.too_large',
    });
    expect(decideAttachment({ fileName: 'a.html', contentType: 'text/html', size: 10, head: new TextEncoder().encode('<html>') })).toMatchObject({
      ok: false,
      key: 'attachment.type',
    });
    expect(decideAttachment({ fileName: 'a.svg', contentType: 'image/svg+xml', size: 10, head: new TextEncoder().encode('<svg>') })).toMatchObject({
      ok: false,
      key: 'attachment.type',
    });
    expect(decideAttachment({ fileName: 'a.exe', contentType: 'image/png', size: 10, head: png })).toMatchObject({
      ok: false,
      key: 'attachment.type',
    });
    expect(decideAttachment({ fileName: 'a.png', contentType: 'image/png', size: 10, head: new TextEncoder().encode('MZ..') })).toMatchObject({
      ok: false,
      key: 'attachment.type_mismatch',
    });
    expect(
      decideAttachment({ fileName: 'a.txt', contentType: 'text/plain', size: 20, head: new TextEncoder().encode('hi <script>x</script>') }),
    ).toMatchObject({ ok: false, key: 'attachment.type_mismatch' });
    expect(decideAttachment({ fileName: 'a.txt', contentType: 'text/plain', size: 0, head: new Uint8Array() })).toMatchObject({
      ok: false,
      key: 'attachment.empty',
    });
  });
  it('cleans path separators out of names', () => {
    expect(
      decideAttachment({ fileName: '../../etc/passwd.txt', contentType: 'text/plain', size: 3, head: new TextEncoder().encode('abc') }),
    ).toMatchObject({ ok: true, value: { fileName: '.._.._etc_passwd.txt' } });
  });
});
