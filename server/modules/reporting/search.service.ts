// The global search and the account timeline: staff reads that span modules (tickets, opportunities, meetings,
// bookings, portal activity, value actuals next to accounts and contacts), each scoped by account visibility.
import type { Db } from '../../db/client.js';
import { assertCan, type Actor } from '../../platform/actor.js';
import { can, type Permission } from '../../platform/permissions.js';
import { notFound } from '../../platform/errors.js';
import { charCount, searchKind, searchKinds, type SearchHit, type SearchKind } from './search.repo.js';
import { timelineKinds, timelinePage, visibleAccount, type TimelineKind } from './timeline.repo.js';

/** What a staff member needs to read each kind (every role has them today; a narrower role would lose the group). */
const kindPermission: Record<SearchKind, Permission> = {
  account: 'accounts.read',
  contact: 'accounts.read',
  ticket: 'tickets.read',
  opportunity: 'opportunities.read',
  meeting: 'meetings.read',
};

/** The console page each hit opens. */
export function linkOf(h: Pick<SearchHit, 'kind' | 'id' | 'accountId'>): string {
  switch (h.kind) {
    case 'account':
      return `/accounts/${h.id}`;
    case 'contact':
      return `/accounts/${h.accountId}?tab=relationships&contact=${h.id}`;
    case 'ticket':
      return `/service-desk/tickets/${h.id}`;
    case 'opportunity':
      return `/opportunities?open=${h.id}`;
    case 'meeting':
      return `/meetings/${h.id}`;
  }
}

export type SearchQuery = { q: string; kinds?: SearchKind[]; limit?: number; offset?: number };

export async function globalSearch(db: Db, actor: Actor, input: SearchQuery) {
  assertCan(actor, 'accounts.read');
  const q = input.q.trim();
  const limit = input.limit ?? 5;
  const offset = input.offset ?? 0;
  const kinds = (input.kinds?.length ? searchKinds.filter((k) => input.kinds!.includes(k)) : [...searchKinds]).filter((k) =>
    can(actor.role, kindPermission[k]),
  );
  // one query per kind; on PostgreSQL they run side by side on the pool (PGlite queues them on its one connection)
  const found = q ? await Promise.all(kinds.map((k) => searchKind(db, actor, k, q, limit, offset))) : kinds.map(() => []);
  return {
    q,
    offset,
    limit,
    /** 1–2 characters match by prefix (accounts by any substring), 3 or more by any substring */
    mode: q && charCount(q) < 3 ? ('prefix' as const) : ('substring' as const),
    groups: kinds.map((kind, i) => ({
      kind,
      more: found[i].length > limit,
      items: found[i].slice(0, limit).map((h) => ({ ...h, at: h.at?.toISOString() ?? null, link: linkOf(h) })),
    })),
  };
}

export type TimelineQuery = { kinds?: TimelineKind[]; offset?: number; limit?: number };

/** Everything that happened to one account, newest first, a page at a time. */
export async function accountTimeline(db: Db, actor: Actor, accountId: string, input: TimelineQuery) {
  assertCan(actor, 'accounts.read');
  if (!(await visibleAccount(db, actor, accountId))) throw notFound('account.noun');
  const kinds = input.kinds?.length ? timelineKinds.filter((k) => input.kinds!.includes(k)) : [...timelineKinds];
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 30;
  const rows = await timelinePage(db, actor.workspaceId, accountId, kinds, offset, limit + 1, actor.locale);
  return {
    items: rows.slice(0, limit),
    offset,
    limit,
    hasMore: rows.length > limit,
  };
}
