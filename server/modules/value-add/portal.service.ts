/**
 * The service product menu as a key person sees it: active items for their account's tier, without
 * internal cost or KPI credit; "request an item" plans a value-add task owned by the account's CSM
 * (or the first iron-triangle member there is), for the iron triangle to book or quote.
 */
import type { Db } from '../../db/client.js';
import type { KeyPersonActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { ensureSetup } from './catalog.service.js';
import * as repo from './value-add.repo.js';

export type PortalCatalogItem = {
  id: string;
  /** the customer-facing name and description, in the key person's language (never the internal ones) */
  name: string;
  description: string | null;
  pricing: 'free' | 'paid';
};

type CustomerFacing = {
  nameZh: string;
  nameEn: string;
  customerNameZh: string | null;
  customerNameEn: string | null;
  customerDescriptionZh: string | null;
  customerDescriptionEn: string | null;
};
/** An item's words for a customer: the customer-facing name (the other language's, then the internal one, as a last resort). */
export function customerFacing(i: CustomerFacing, locale: 'zh-CN' | 'en') {
  const en = locale === 'en';
  return {
    name: (en ? i.customerNameEn || i.customerNameZh : i.customerNameZh || i.customerNameEn) ?? (en ? i.nameEn : i.nameZh),
    description: (en ? i.customerDescriptionEn || i.customerDescriptionZh : i.customerDescriptionZh || i.customerDescriptionEn) ?? null,
  };
}

/**
 * The service menu a key person sees: active items marked visible to customers, for their account's
 * tier, in customer-facing words only — no internal name, process steps, tasks, cost or KPI credit.
 */
export async function listPortalCatalog(db: Db, actor: KeyPersonActor): Promise<PortalCatalogItem[]> {
  const account = await loadVisibleAccount(db, actor, actor.accountId);
  await db.transaction((tx) => ensureSetup(tx, actor.workspaceId));
  const items = await repo.listCatalog(db, actor.workspaceId, { activeOnly: true });
  return items
    .filter((i) => i.customerVisible && i.eligibleTiers.includes(account.tier))
    .map((i) => ({ id: i.id, ...customerFacing(i, actor.locale), pricing: i.pricing as 'free' | 'paid' }));
}

/** A key person asks for a catalog item: a planned task (a quote when paid) for the iron triangle. */
export async function requestFromPortal(db: Db, actor: KeyPersonActor, catalogItemId: string) {
  return db.transaction(async (tx) => {
    const account = await loadVisibleAccount(tx, actor, actor.accountId);
    const item = await repo.findCatalogItem(tx, actor.workspaceId, catalogItemId);
    if (!item?.active || !item.customerVisible || !item.eligibleTiers.includes(account.tier)) throw notFound('catalog_item.noun');
    const owner = account.csmId ?? account.salesId ?? account.deliveryId ?? account.afterSalesId;
    if (!owner) throw conflict('portal.no_team');
    const task = await repo.insertTask(tx, {
      workspaceId: actor.workspaceId,
      accountId: account.id,
      catalogItemId: item.id,
      title: `${item.nameZh}（${item.pricing === 'paid' ? '客户门户询价' : '客户门户申请'}）`,
      tasks: item.tasks,
      ownerId: owner,
      status: 'planned',
      createdById: owner,
    });
    await recordAudit(tx, actor, {
      action: 'portal.request',
      entityType: 'value_add_task',
      entityId: task.id,
      after: { catalogItemId: item.id, pricing: item.pricing },
    });
    return {
      taskId: task.id,
      item: { id: item.id, name: customerFacing(item, actor.locale).name, pricing: item.pricing as 'free' | 'paid', tasks: item.tasks },
      ownerId: owner,
    };
  });
}
