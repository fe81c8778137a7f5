// The global search (Ctrl+K): accounts, contacts, tickets, opportunities and meetings whose name or title
// contains the query, scoped by the one account-visibility rule. Reads across modules, hence here.
//
// Matching (docs/performance.md, "Global search"):
// - 3 characters or more: any substring (`ilike '%q%'`), served by the pg_trgm GIN indexes (migration 0012);
//   Chinese is matched like any other text (the database's ctype classifies CJK as word characters).
// - 1–2 characters: a trigram index cannot serve an unanchored 1–2 character pattern, so tickets, opportunities,
//   meetings and contacts match by prefix (`ilike 'q%'`, which the trigram index does serve); accounts (one row
//   per customer, small) still match any substring. A ticket number (`#1024` or `1024`) finds that ticket.
// - Each kind takes at most CANDIDATES rows from the index before ordering (a word in a third of 2,000,000
//   tickets must not sort 600,000 rows): the newest/best of those are shown, `more` says there are others.
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

/** How many rows one kind may take from its index before ordering. */
export const CANDIDATES = 500;

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

/** One kind's hits (limit + 1 rows: the extra one says there are more). */
export async function searchKind(db: Db, actor: StaffActor, kind: SearchKind, q: string, limit: number): Promise<SearchHit[]> {
  const m = matchOf(q);
  const ws = actor.workspaceId;
  const n = limit + 1;
  let query: SQL;
  switch (kind) {
    case 'account': {
      // accounts are few (one per customer): any substring even for one character
      const p = `%${likeEscape(q)}%`;
      query = sql`select a.id, a.name as title, a.industry as detail, a.tier as status, a.id as account_id, a.name as account_name,
                    a.updated_at as at, null as number
                  from accounts a
                  where a.workspace_id = ${ws} and a.name ilike ${p} and ${accountVisibility(actor, 'a')}
                  order by (a.name ilike ${m.prefix}) desc, length(a.name), a.name
                  limit ${n}`;
      break;
    }
    case 'contact': {
      const cond =
        m.mode === 'substring'
          ? sql`(c.name ilike ${m.pattern} or c.email ilike ${m.pattern} or c.phone ilike ${m.pattern})`
          : sql`(c.name ilike ${m.pattern} or c.email ilike ${m.pattern})`;
      query = sql`select c.id, c.name as title, concat_ws(' · ', c.title, c.department) as detail, null as status,
                    a.id as account_id, a.name as account_name, c.updated_at as at, null as number
                  from (select c.id from contacts c
                        where c.workspace_id = ${ws} and c.archived_at is null and ${cond}
                          and ${accountVisibility(actor, { id: sql`c.account_id` })}
                        limit ${CANDIDATES}) k
                  join contacts c on c.id = k.id join accounts a on a.id = c.account_id
                  order by (c.name ilike ${m.prefix}) desc, c.name, c.id
                  limit ${n}`;
      break;
    }
    case 'ticket': {
      const num = /^#?(\d{1,15})$/.exec(q.trim());
      const byNumber = num ? sql`or t.number = ${Number(num[1])}` : sql``;
      query = sql`select t.id, t.title, null as detail, t.status, a.id as account_id, a.name as account_name, t.created_at as at, t.number
                  from (select t.id from tickets t
                        where t.workspace_id = ${ws} and (t.title ilike ${m.pattern} ${byNumber})
                          and ${accountVisibility(actor, { id: sql`t.account_id` })}
                        limit ${CANDIDATES}) k
                  join tickets t on t.id = k.id join accounts a on a.id = t.account_id
                  order by ${num ? sql`(t.number = ${Number(num[1])}) desc,` : sql``} (t.title ilike ${m.prefix}) desc, t.created_at desc, t.id
                  limit ${n}`;
      break;
    }
    case 'opportunity':
      query = sql`select o.id, o.title, o.product as detail, o.stage as status, a.id as account_id, a.name as account_name,
                    o.created_at as at, null as number
                  from (select o.id from opportunities o
                        where o.workspace_id = ${ws} and o.title ilike ${m.pattern}
                          and ${accountVisibility(actor, { id: sql`o.account_id` })}
                        limit ${CANDIDATES}) k
                  join opportunities o on o.id = k.id join accounts a on a.id = o.account_id
                  order by (o.title ilike ${m.prefix}) desc, o.created_at desc, o.id
                  limit ${n}`;
      break;
    case 'meeting':
      query = sql`select mt.id, mt.title, mt.location as detail, mt.status, a.id as account_id, a.name as account_name,
                    mt.starts_at as at, null as number
                  from (select mt.id from meetings mt
                        where mt.workspace_id = ${ws} and mt.title ilike ${m.pattern}
                          and ${accountVisibility(actor, { id: sql`mt.account_id` })}
                        limit ${CANDIDATES}) k
                  join meetings mt on mt.id = k.id join accounts a on a.id = mt.account_id
                  order by (mt.title ilike ${m.prefix}) desc, mt.starts_at desc, mt.id
                  limit ${n}`;
      break;
  }
  return (await queryRows<Row>(db, query)).map(toHit(kind));
}
