// The global search (Ctrl+K): accounts, contacts, tickets, opportunities and meetings whose name or title
// contains the query, scoped by the one account-visibility rule. Reads across modules, hence here.
//
// Matching (docs/performance.md, "Global search"):
// - 3 characters or more: any substring (`ilike '%q%'`), served by the pg_trgm GIN indexes (migration 0012);
//   Chinese is matched like any other text (the database's ctype classifies CJK as word characters).
// - 1–2 characters: a trigram index cannot serve an unanchored 1–2 character pattern, so tickets, opportunities
//   and meetings match by title prefix (`ilike 'q%'`, which the trigram index does serve) and contacts by name
//   prefix (a range on contacts_ws_name); accounts (one row per customer, small) still match any substring.
//   A ticket number (`#1024` or `1024`) finds that ticket.
// - Each kind shows its newest matches (contacts by name), `limit + 1` rows at most: a common word walks the
//   (workspace, created_at) index backwards and stops at the page's end instead of sorting every match; a rare
//   one is a trigram lookup and a small sort. PostgreSQL's planner picks, per query, from the statistics.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { StaffActor } from '../../platform/actor.js';
import { accountVisibility } from '../accounts/index.js';

export const searchKinds = ['account', 'contact', 'ticket', 'opportunity', 'meeting'] as const;
export type SearchKind = (typeof searchKinds)[number];

export type SearchHit = {
  kind: SearchKind;
  id: string;
  title: string;
  /** a second line: the contact's title and company, a ticket's number… (data, never a code) */
  detail: string | null;
  /** a vocabulary value the UI labels (tier, ticket/opportunity/meeting status) */
  status: string | null;
  accountId: string;
  accountName: string;
  at: Date | null;
  number: number | null;
};

/** `%`, `_` and `\` typed by the user are literal. */
export function likeEscape(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Characters, not UTF-16 units: "重工" is 2. */
export const charCount = (q: string) => [...q].length;

export type Match = { mode: 'substring' | 'prefix'; pattern: string; prefix: string };

export function matchOf(q: string): Match {
  const e = likeEscape(q);
  return charCount(q) >= 3 ? { mode: 'substring', pattern: `%${e}%`, prefix: `${e}%` } : { mode: 'prefix', pattern: `${e}%`, prefix: `${e}%` };
}

type Row = {
  id: string;
  title: string;
  detail: string | null;
  status: string | null;
  account_id: string;
  account_name: string;
  at: string | Date | null;
  number: number | string | null;
};

const toHit =
  (kind: SearchKind) =>
  (r: Row): SearchHit => ({
    kind,
    id: r.id,
    title: r.title,
    detail: r.detail,
    status: r.status,
    accountId: r.account_id,
    accountName: r.account_name,
    at: r.at ? new Date(r.at) : null,
    number: r.number == null ? null : Number(r.number),
  });

/** One kind's hits from `offset` on (limit + 1 rows: the extra one says there are more): the search page's paging. */
export async function searchKind(db: Db, actor: StaffActor, kind: SearchKind, q: string, limit: number, offset = 0): Promise<SearchHit[]> {
  const m = matchOf(q);
  const ws = actor.workspaceId;
  const n = limit + 1;
  switch (kind) {
    case 'account': {
      // accounts are few (one per customer): any substring even for one character, names that start with it first
      const p = `%${likeEscape(q)}%`;
      return rows(
        kind,
        db,
        sql`select a.id, a.name as title, a.industry as detail, a.tier as status, a.id as account_id, a.name as account_name,
                    a.updated_at as at, null as number
                  from accounts a
                  where a.workspace_id = ${ws} and a.name ilike ${p} and ${accountVisibility(actor, 'a')}
                  order by (a.name ilike ${m.prefix}) desc, length(a.name), a.name, a.id
                  limit ${n} offset ${offset}`,
      );
    }
    case 'contact': {
      // 3+ characters: any part of the name, e-mail or phone; 1–2: the start of the name, as a range on
      // contacts_ws_name (lower(name) in code-point order) so that "王" reads only the names starting with it
      const lower = q.toLowerCase();
      const match =
        m.mode === 'substring'
          ? sql`(c.name ilike ${m.pattern} or c.email ilike ${m.pattern} or c.phone ilike ${m.pattern})`
          : sql`lower(c.name) collate "C" >= ${lower} and lower(c.name) collate "C" < ${`${lower}\u{10FFFF}`}`;
      return rows(
        kind,
        db,
        sql`select c.id, c.name as title, concat_ws(' · ', c.title, c.department) as detail, null as status,
                    a.id as account_id, a.name as account_name, c.updated_at as at, null as number
                  from contacts c join accounts a on a.id = c.account_id and a.workspace_id = c.workspace_id
                  where c.workspace_id = ${ws} and c.archived_at is null and ${match}
                    and ${accountVisibility(actor, { id: sql`c.account_id` })}
                  order by lower(c.name) collate "C", c.id
                  limit ${n} offset ${offset}`,
      );
    }
    case 'ticket': {
      const num = /^#?(\d{1,15})$/.exec(q.trim());
      const byTitle = await rows(
        kind,
        db,
        sql`select t.id, t.title, null as detail, t.status, a.id as account_id, a.name as account_name, t.created_at as at, t.number
                  from tickets t join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
                  where t.workspace_id = ${ws} and t.title ilike ${m.pattern} and ${accountVisibility(actor, { id: sql`t.account_id` })}
                  order by t.created_at desc, t.id desc
                  limit ${num ? n + offset : n} offset ${num ? 0 : offset}`,
      );
      if (!num) return byTitle;
      // a ticket number (#1024) comes first
      const byNumber = await rows(
        kind,
        db,
        sql`select t.id, t.title, null as detail, t.status, a.id as account_id, a.name as account_name, t.created_at as at, t.number
                  from tickets t join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
                  where t.workspace_id = ${ws} and t.number = ${Number(num[1])} and ${accountVisibility(actor, { id: sql`t.account_id` })}`,
      );
      // paged as one list: the number's ticket, then the titles
      return [...byNumber, ...byTitle.filter((h) => !byNumber.some((b) => b.id === h.id))].slice(offset, offset + n);
    }
    case 'opportunity':
      return rows(
        kind,
        db,
        sql`select o.id, o.title, o.product as detail, o.stage as status, a.id as account_id, a.name as account_name,
                    o.created_at as at, null as number
                  from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id
                  where o.workspace_id = ${ws} and o.title ilike ${m.pattern} and ${accountVisibility(actor, { id: sql`o.account_id` })}
                  order by o.created_at desc, o.id desc
                  limit ${n} offset ${offset}`,
      );
    case 'meeting':
      return rows(
        kind,
        db,
        sql`select mt.id, mt.title, mt.location as detail, mt.status, a.id as account_id, a.name as account_name,
                    mt.starts_at as at, null as number
                  from meetings mt join accounts a on a.id = mt.account_id and a.workspace_id = mt.workspace_id
                  where mt.workspace_id = ${ws} and mt.title ilike ${m.pattern} and ${accountVisibility(actor, { id: sql`mt.account_id` })}
                  order by mt.starts_at desc, mt.id desc
                  limit ${n} offset ${offset}`,
      );
  }
}

async function rows(kind: SearchKind, db: Db, query: SQL): Promise<SearchHit[]> {
  return (await queryRows<Row>(db, query)).map(toHit(kind));
}
