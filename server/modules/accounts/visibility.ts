// Which accounts an actor may see — the rule written once (SPEC §Users, ARCHITECTURE rule 4): a channel
// implementer only its channel partner's accounts (none if it has no partner), a key person only their
// one account, other staff every account of the workspace (the workspace itself is every query's own filter).
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Actor, StaffActor } from '../../platform/actor.js';
import type { AccountFilter } from './segments.domain.js';

/** The columns of an account in a query: with its `channelPartnerId` when the query has the account row, else the id is enough. */
export type AccountColumns = { id: SQLWrapper; channelPartnerId?: SQLWrapper };

/** Does the rule restrict this actor at all (other staff see the whole workspace)? */
export function seesEveryAccount(actor: Actor): boolean {
  return actor.kind === 'staff' && actor.role !== 'channel_implementer';
}

/** The rule on one account row in memory. */
export function canSeeAccount(actor: Actor, account: { id: string; channelPartnerId: string | null }): boolean {
  if (actor.kind === 'key_person') return account.id === actor.accountId;
  if (actor.role === 'channel_implementer') return !!actor.channelPartnerId && account.channelPartnerId === actor.channelPartnerId;
  return true;
}

/**
 * The rule as a SQL condition on an account: `on` is the accounts row's alias in raw SQL (e.g. 'a') or its
 * columns. Always a condition (`true` when the actor sees every account), to be and-ed into a where clause.
 */
export function accountVisibility(actor: Actor, on: string | AccountColumns): SQL {
  const cols: AccountColumns = typeof on === 'string' ? { id: sql.raw(`${on}.id`), channelPartnerId: sql.raw(`${on}.channel_partner_id`) } : on;
  if (actor.kind === 'key_person') return sql`${cols.id} = ${actor.accountId}`;
  if (actor.role !== 'channel_implementer') return sql`true`;
  if (!actor.channelPartnerId) return sql`false`;
  return cols.channelPartnerId
    ? sql`${cols.channelPartnerId} = ${actor.channelPartnerId}`
    : // the actor's workspace too: a sharded database (Citus) routes the subquery to the workspace's shard by it
      sql`${cols.id} in (select id from accounts where workspace_id = ${actor.workspaceId} and channel_partner_id = ${actor.channelPartnerId})`;
}

/** The rule in the account list's filter language (segments): no filter, or the actor's channel partner (none matches without one). */
export function scopeOf(actor: StaffActor): AccountFilter[] {
  return seesEveryAccount(actor) ? [] : [{ channelPartnerId: actor.channelPartnerId ?? '00000000-0000-0000-0000-000000000000' }];
}
