import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { conflict, notFound, unwrap } from '../../platform/errors.js';
import { ratioFromPercent } from './budget.domain.js';
import { defaultCatalog, validateCatalogItem, type CatalogItemFields, type Menu } from './catalog.domain.js';
import * as repo from './value-add.repo.js';

/**
 * The workspace's value-add settings; on first use they are created together with both default
 * menus (seed 001 and seed 003), so every workspace starts with the shipped catalog and edits its own copy.
 */
export async function ensureSetup(db: Db, workspaceId: string) {
  const inserted = await repo.insertSettingsIfMissing(db, workspaceId);
  if (inserted.length)
    await repo.insertCatalogItems(
      db,
      defaultCatalog.map((i) => ({ ...i, workspaceId })),
    );
  return inserted[0] ?? (await repo.findSettings(db, workspaceId))!;
}

export async function listCatalog(db: Db, actor: Actor, f: { menu?: Menu; includeRetired?: boolean }) {
  assertCan(actor, 'value_add.read');
  await db.transaction((tx) => ensureSetup(tx, actor.workspaceId));
  return repo.listCatalog(db, actor.workspaceId, { menu: f.menu, activeOnly: !f.includeRetired });
}

export type CatalogItemBody = CatalogItemFields & { menu: Menu; code?: string };

export async function createCatalogItem(db: Db, actor: Actor, input: CatalogItemBody) {
  assertCan(actor, 'catalog.manage');
  return db.transaction(async (tx) => {
    await ensureSetup(tx, actor.workspaceId);
    const v = unwrap(validateCatalogItem(input));
    const code = input.code?.trim() || `${input.menu}.custom_${Date.now().toString(36)}`;
    if (await repo.findCatalogItemByCode(tx, actor.workspaceId, code)) throw conflict('catalog.code_taken', { code });
    const position = await repo.nextPosition(tx, actor.workspaceId, input.menu);
    const [row] = await repo.insertCatalogItems(tx, [{ ...v, menu: input.menu, code, position, workspaceId: actor.workspaceId }]);
    await recordAudit(tx, actor, { action: 'catalog.create', entityType: 'catalog_item', entityId: row.id, after: row });
    return row;
  });
}

export async function updateCatalogItem(db: Db, actor: Actor, id: string, patch: Partial<CatalogItemFields> & { position?: number }) {
  assertCan(actor, 'catalog.manage');
  return db.transaction(async (tx) => {
    const before = await repo.findCatalogItem(tx, actor.workspaceId, id);
    if (!before) throw notFound('catalog_item.noun');
    const merged = { ...before, ...patch } as CatalogItemFields & { position: number };
    const v = unwrap(validateCatalogItem({ ...merged, pricing: merged.pricing as 'free' | 'paid' }));
    const after = await repo.updateCatalogItem(tx, actor.workspaceId, id, {
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      description: v.description ?? null,
      processSteps: v.processSteps,
      executorRole: v.executorRole,
      pricing: v.pricing,
      priceMinor: v.priceMinor,
      internalCostMinor: v.internalCostMinor,
      kpiCredit: v.kpiCredit,
      tasks: v.tasks,
      eligibleTiers: v.eligibleTiers,
      active: v.active,
      customerVisible: v.customerVisible,
      customerNameZh: v.customerNameZh,
      customerNameEn: v.customerNameEn,
      customerDescriptionZh: v.customerDescriptionZh,
      customerDescriptionEn: v.customerDescriptionEn,
      position: merged.position,
    });
    await recordAudit(tx, actor, {
      action: before.active && !after.active ? 'catalog.retire' : 'catalog.update',
      entityType: 'catalog_item',
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

export async function getSettings(db: Db, actor: Actor) {
  assertCan(actor, 'value_add.read');
  const s = await db.transaction((tx) => ensureSetup(tx, actor.workspaceId));
  return {
    budgetRatioBp: s.budgetRatioBp,
    budgetRatioPercent: s.budgetRatioBp / 100,
    overflowPolicy: s.overflowPolicy as 'refuse' | 'approval',
    version: s.version,
  };
}

/** Budgets follow a new ratio lazily (the next time each is read or drawn), never below what is committed. */
export async function updateSettings(
  db: Db,
  actor: Actor,
  input: { ratioPercent?: number; overflowPolicy?: 'refuse' | 'approval' },
  expectedVersion?: number,
) {
  assertCan(actor, 'value_add.settings');
  // the trail names the workspace as the settings' id, so a stale save can say who saved last
  const entity = { type: 'value_add_settings', id: actor.workspaceId, noun: 'value_add_settings.noun' };
  return db.transaction(async (tx) => {
    const before = await ensureSetup(tx, actor.workspaceId);
    await assertFresh(tx, actor.workspaceId, entity, before.version, expectedVersion);
    const values: { budgetRatioBp?: number; overflowPolicy?: string } = {};
    if (input.ratioPercent !== undefined) values.budgetRatioBp = unwrap(ratioFromPercent(input.ratioPercent));
    if (input.overflowPolicy) values.overflowPolicy = input.overflowPolicy;
    const after = await repo.updateSettings(tx, actor.workspaceId, values, expectedVersion);
    if (!after) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'value_add.settings', entityType: 'value_add_settings', entityId: actor.workspaceId, before, after });
    return {
      budgetRatioBp: after.budgetRatioBp,
      budgetRatioPercent: after.budgetRatioBp / 100,
      overflowPolicy: after.overflowPolicy as 'refuse' | 'approval',
      version: after.version,
    };
  });
}
