// The renewal board (续约期, seed 002): contracts ending in 30 / 60 / 90 days, with the account's health, its
// open tickets and its renewal opportunity beside each, and the stage move suggested with the reason.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { translate } from '../../platform/i18n.js';
import { accountVisibility } from '../accounts/index.js';
import { commerceDomain } from '../commerce/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { dayOf } from '../../platform/time.js';

type Row = {
  contract_id: string;
  number: string;
  title: string;
  ends_on: string;
  amount_minor: string | number;
  account_id: string;
  account_name: string;
  tier: string;
  stage: string;
  health_score: number | null;
  health_band: string | null;
  open_tickets: string | number;
  opp_id: string | null;
  opp_stage: string | null;
  opp_amount: string | number | null;
};

export async function renewalBoard(db: Db, actor: Actor, q: { within?: number }) {
  assertCan(actor, 'contracts.read');
  const today = dayOf(new Date(), await workspaceTimeZone(db, actor.workspaceId));
  const within = q.within ?? 90;
  const until = commerceDomain.plusDays(today, within);
  const rows = await queryRows<Row>(
    db,
    sql`select c.id as contract_id, c.number, c.title, c.ends_on::text as ends_on, c.amount_minor,
               a.id as account_id, a.name as account_name, a.tier, a.stage,
               h.score as health_score, h.band as health_band,
               (select count(*) from tickets t where t.workspace_id = c.workspace_id and t.account_id = a.id and t.status not in ('resolved','closed')) as open_tickets,
               o.id as opp_id, o.stage as opp_stage, o.amount_minor as opp_amount
        from contracts c
        join accounts a on a.id = c.account_id and a.workspace_id = c.workspace_id
        left join account_health h on h.account_id = a.id and h.workspace_id = a.workspace_id
        left join opportunities o on o.id = c.renewal_opportunity_id and o.workspace_id = c.workspace_id
        where c.workspace_id = ${actor.workspaceId} and c.ends_on >= ${today}::date and c.ends_on <= ${until}::date
          and not exists (select 1 from contracts r where r.workspace_id = c.workspace_id and r.renewal_of = c.id)
          and ${accountVisibility(actor, 'a')}
        order by c.ends_on, c.number`,
  );
  return {
    today,
    items: rows.map((r) => {
      const days = commerceDomain.daysBetween(today, r.ends_on);
      const suggestStage = r.stage !== 'renewal' && r.stage !== 'churn';
      return {
        contractId: r.contract_id,
        number: r.number,
        title: r.title,
        endsOn: r.ends_on,
        daysLeft: days,
        bucket: commerceDomain.renewalBucket(r.ends_on, today) ?? (90 as const),
        amountMinor: Number(r.amount_minor),
        accountId: r.account_id,
        accountName: r.account_name,
        tier: r.tier,
        stage: r.stage,
        health: r.health_band ? { score: r.health_score!, band: r.health_band } : null,
        openTickets: Number(r.open_tickets),
        opportunity: r.opp_id ? { id: r.opp_id, stage: r.opp_stage!, amountMinor: Number(r.opp_amount ?? 0) } : null,
        suggestStage,
        reason: suggestStage ? translate(actor.locale, 'commerce.renewal.reason', { number: r.number, endsOn: r.ends_on, days }) : null,
      };
    }),
  };
}
