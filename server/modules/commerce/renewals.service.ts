// Renewals (续约期, seed 002): a contract that comes within the workspace's renewal window raises a renewal
// opportunity, credited to the account's CSM (else its delivery, after-sales or sales seat, else its owner) like
// any opportunity captured in service; the renewal board suggests the stage move with the reason.
import type { Db } from '../../db/client.js';
import type { StaffActor } from '../../platform/actor.js';
import { translate } from '../../platform/i18n.js';
import { can, type Role } from '../../platform/permissions.js';
import { findAccount } from '../accounts/index.js';
import { captureOpportunity } from '../opportunities/index.js';
import { usersByIds } from '../people/index.js';
import { daysBetween, plusDays } from './commerce.domain.js';
import * as repo from './commerce.repo.js';
import { dayOf } from '../../platform/time.js';
import { workspaceTimeZone } from '../people/index.js';

export async function workspaceToday(db: Db, workspaceId: string, now = new Date()) {
  return dayOf(now, await workspaceTimeZone(db, workspaceId));
}

/** Raises the renewal opportunity of one contract if it is in the window and has none; returns its id (or null). */
export async function raiseRenewal(tx: Db, workspaceId: string, contract: repo.ContractRow, today: string, windowDays: number) {
  if (contract.renewalOpportunityId || contract.endsOn < today || contract.endsOn > plusDays(today, windowDays)) return null;
  const account = await findAccount(tx, workspaceId, contract.accountId);
  if (!account) return null;
  const creditId = account.csmId ?? account.deliveryId ?? account.afterSalesId ?? account.salesId ?? account.ownerId;
  if (!creditId) return null;
  const [u] = await usersByIds(tx, workspaceId, [creditId]);
  if (!u?.active || !can(u.role as Role, 'opportunities.capture')) return null;
  const actor: StaffActor = {
    kind: 'staff',
    workspaceId,
    userId: u.id,
    name: u.name,
    role: u.role as Role,
    channelPartnerId: u.channelPartnerId,
    locale: u.locale === 'en' ? 'en' : 'zh-CN',
  };
  const days = daysBetween(today, contract.endsOn);
  const opp = await captureOpportunity(tx, actor, {
    accountId: contract.accountId,
    title: translate(actor.locale, 'commerce.renewal.title', { number: contract.number, title: contract.title }),
    description: translate(actor.locale, 'commerce.renewal.reason', { number: contract.number, endsOn: contract.endsOn, days }),
    sourceKind: 'contract',
    sourceId: contract.id,
    amountMinor: contract.amountMinor,
    expectedCloseOn: contract.endsOn,
  });
  await repo.updateContract(tx, workspaceId, contract.id, { renewalOpportunityId: opp.id });
  return opp.id;
}

/** Every contract of the workspace in its renewal window without a renewal opportunity gets one. */
export async function scanRenewals(db: Db, workspaceId: string, now = new Date()) {
  const today = await workspaceToday(db, workspaceId, now);
  const { renewalWindowDays } = await repo.loadSettings(db, workspaceId);
  const due = await repo.contractsWithoutRenewalOpportunity(db, workspaceId, today, plusDays(today, renewalWindowDays));
  let raised = 0;
  for (const c of due) if (await db.transaction((tx) => raiseRenewal(tx, workspaceId, c, today, renewalWindowDays))) raised++;
  return { raised };
}
