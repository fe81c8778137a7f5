// Use cases of business value assessment: the indicator library, per-account value projects
// (indicators chosen with the customer, baseline, target, customer parameters, monthly actuals) and
// the money they make.
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalid, notFound, unwrap, type FieldError } from '../../platform/errors.js';
import { translate, type Locale } from '../../platform/i18n.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { announce } from '../../platform/events.js';
import { ValueActualRecorded } from './value.events.js';
import { DEFAULT_SOLUTION, defaultLibrary, dimensions, solutionTypes, stages, unitKeys, units, type SolutionType } from './library.data.js';
import {
  checkActualPeriod,
  checkIndicatorFormula,
  checkMeasure,
  checkParamValues,
  checkTarget,
  checkUnit,
  isPeriod,
  moneyAt,
  monetiseProject,
  promiseStatus,
  type Direction,
  type Money,
  type ParamDef,
} from './monetise.domain.js';
import * as repo from './value.repo.js';

// ---- the library

/** Copies the shipped default library into the workspace the first time it is used. */
export async function ensureLibrary(tx: Db, workspaceId: string, solutionType: SolutionType = DEFAULT_SOLUTION) {
  if (await repo.countIndicators(tx, workspaceId, solutionType)) return;
  await repo.insertIndicators(
    tx,
    defaultLibrary
      .filter((i) => i.solutionType === solutionType)
      .map((i) => ({
        workspaceId,
        solutionType,
        key: i.key,
        stage: i.stage,
        dimension: i.dimension,
        nameZh: i.name['zh-CN'],
        nameEn: i.name.en,
        unit: i.unit,
        direction: i.direction,
        formula: i.formula,
        params: i.params,
        sort: i.sort,
      })),
  );
}

const meta = () => ({
  solutionTypes: Object.entries(solutionTypes).map(([key, label]) => ({ key, label })),
  stages: stages.map(([key, zh, en]) => ({ key, label: { 'zh-CN': zh, en } })),
  dimensions: dimensions.map(([key, zh, en]) => ({ key, label: { 'zh-CN': zh, en } })),
  units: unitKeys.map((key) => ({ key, label: units[key] })),
});

const indicatorDto = (r: repo.IndicatorRow) => ({
  id: r.id,
  solutionType: r.solutionType,
  key: r.key,
  stage: r.stage,
  dimension: r.dimension,
  name: { 'zh-CN': r.nameZh, en: r.nameEn },
  unit: r.unit,
  direction: r.direction as Direction,
  formula: r.formula,
  params: r.params,
  sort: r.sort,
  active: r.active,
});

export async function getLibrary(db: Db, actor: Actor, solutionType: SolutionType = DEFAULT_SOLUTION) {
  assertCan(actor, 'value.read');
  if (!(await repo.countIndicators(db, actor.workspaceId, solutionType))) {
    await db.transaction((tx) => ensureLibrary(tx, actor.workspaceId, solutionType));
  }
  const rows = await repo.listIndicators(db, actor.workspaceId, solutionType);
  return { ...meta(), indicators: rows.map(indicatorDto) };
}

export type IndicatorInput = {
  solutionType?: SolutionType;
  key?: string;
  stage: string;
  dimension: string;
  name: { 'zh-CN': string; en: string };
  unit: string;
  direction: Direction;
  formula: string;
  params: ParamDef[];
  active?: boolean;
};

function checkIndicator(i: Pick<IndicatorInput, 'unit' | 'formula' | 'params'>) {
  if (!(unitKeys as string[]).includes(i.unit))
    throw invalid('value.bad_unit', { unit: i.unit, allowed: unitKeys.join(', ') }, [{ field: 'unit', message: 'unknown unit' }]);
  unwrap(checkIndicatorFormula(i.formula, i.params));
}

export async function createIndicator(db: Db, actor: Actor, input: IndicatorInput) {
  assertCan(actor, 'value.library');
  checkIndicator(input);
  const solutionType = input.solutionType ?? DEFAULT_SOLUTION;
  return db.transaction(async (tx) => {
    await ensureLibrary(tx, actor.workspaceId, solutionType);
    const key = input.key ?? `custom_${Date.now().toString(36)}`;
    if (await repo.findIndicatorByKey(tx, actor.workspaceId, solutionType, key)) {
      throw new AppError('conflict', 'error.name_taken', { name: key }, [{ field: 'key', message: 'taken' }]);
    }
    const existing = await repo.listIndicators(tx, actor.workspaceId, solutionType);
    const [row] = await repo.insertIndicators(tx, [
      {
        workspaceId: actor.workspaceId,
        solutionType,
        key,
        stage: input.stage,
        dimension: input.dimension,
        nameZh: input.name['zh-CN'],
        nameEn: input.name.en,
        unit: input.unit,
        direction: input.direction,
        formula: input.formula,
        params: input.params,
        active: input.active ?? true,
        sort: existing.reduce((m, r) => Math.max(m, r.sort), 0) + 1,
      },
    ]);
    await recordAudit(tx, actor, { action: 'value.indicator.create', entityType: 'value_indicator', entityId: row.id, after: row });
    return indicatorDto(row);
  });
}

export async function updateIndicator(db: Db, actor: Actor, id: string, patch: Partial<Omit<IndicatorInput, 'solutionType' | 'key'>>) {
  assertCan(actor, 'value.library');
  return db.transaction(async (tx) => {
    const before = await repo.findIndicator(tx, actor.workspaceId, id);
    if (!before) throw notFound('value.indicator.noun');
    // the formula is checked with the parameters it will have after the change
    checkIndicator({ unit: patch.unit ?? before.unit, formula: patch.formula ?? before.formula, params: patch.params ?? before.params });
    const after = await repo.updateIndicator(tx, actor.workspaceId, id, {
      ...(patch.stage ? { stage: patch.stage } : {}),
      ...(patch.dimension ? { dimension: patch.dimension } : {}),
      ...(patch.name ? { nameZh: patch.name['zh-CN'], nameEn: patch.name.en } : {}),
      ...(patch.unit ? { unit: patch.unit } : {}),
      ...(patch.direction ? { direction: patch.direction } : {}),
      ...(patch.formula ? { formula: patch.formula } : {}),
      ...(patch.params ? { params: patch.params } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    });
    await recordAudit(tx, actor, { action: 'value.indicator.update', entityType: 'value_indicator', entityId: id, before, after });
    return indicatorDto(after);
  });
}

// ---- the project of one account

type ItemWithActuals = repo.ItemRow & { actuals: repo.ActualRow[] };

async function loadProject(db: Db, workspaceId: string, accountId: string): Promise<ItemWithActuals[]> {
  const items = await repo.listItems(db, workspaceId, accountId);
  const actuals = await repo.listActuals(
    db,
    workspaceId,
    items.map((i) => i.id),
  );
  return items.map((i) => ({ ...i, actuals: actuals.filter((a) => a.itemId === i.id) }));
}

const money = (m: Money, locale: Locale) => (m.ok ? { minor: m.minor, error: null } : { minor: null, error: translate(locale, m.key, m.params) });

export type PromiseRow = Awaited<ReturnType<typeof repo.listPromises>>[number];

/** The project in the form the console shows: every figure computed by the domain, errors in words. */
export function projectView(items: ItemWithActuals[], locale: Locale, promises: PromiseRow[] = []) {
  const result = monetiseProject(
    items.map((i) => ({
      id: i.id,
      direction: i.direction as Direction,
      formula: i.formula,
      params: i.params,
      paramValues: i.paramValues,
      baseline: i.baseline,
      baselinePeriod: i.baselinePeriod,
      target: i.target,
      actuals: i.actuals.map((a) => ({ period: a.period, value: a.value })),
    })),
  );
  return {
    items: items.map((i, k) => {
      const r = result.items[k];
      const expected = money(r.expectedPerPeriod, locale);
      return {
        id: i.id,
        indicatorId: i.indicatorId,
        key: i.key,
        stage: i.stage,
        dimension: i.dimension,
        name: { 'zh-CN': i.nameZh, en: i.nameEn },
        unit: i.unit,
        direction: i.direction as Direction,
        formula: i.formula,
        params: i.params.map((p) => ({ ...p, value: Object.hasOwn(i.paramValues, p.name) ? i.paramValues[p.name] : p.default })),
        baseline: i.baseline,
        baselinePeriod: i.baselinePeriod,
        target: i.target,
        internalNote: i.internalNote,
        status: r.status,
        progressPct: r.progressPct,
        latest: r.latest,
        expectedPerPeriodMinor: expected.minor,
        expectedError: expected.error,
        expectedToDateMinor: r.expectedToDateMinor,
        realisedTotalMinor: r.realisedTotalMinor,
        actuals: r.periods.map((p) => {
          const a = i.actuals.find((x) => x.period === p.period)!;
          const m = money(p.realised, locale);
          return {
            id: a.id,
            period: p.period,
            value: p.actual,
            improvement: p.improvement,
            realisedMinor: m.minor,
            error: m.error,
            source: a.source,
            note: a.note,
          };
        }),
      };
    }),
    promises: promises.map((p) => {
      const linked = (p.itemIds ?? []).filter((id) => items.some((i) => i.id === id));
      const realisedMinor = result.items.filter((r) => linked.includes(r.id)).reduce((sum, r) => sum + r.realisedTotalMinor, 0);
      const promisedValueMinor = p.promisedValueMinor ?? 0;
      return {
        bookingId: p.bookingId,
        service: { 'zh-CN': p.serviceZh, en: p.serviceEn },
        bookedAt: p.bookedAt,
        promisedValueMinor,
        itemIds: linked,
        realisedMinor,
        status: promiseStatus(promisedValueMinor, linked.length, realisedMinor),
      };
    }),
    byPeriod: result.byPeriod,
    totals: {
      expectedPerPeriodMinor: result.expectedPerPeriodMinor,
      expectedToDateMinor: result.expectedToDateMinor,
      realisedTotalMinor: result.realisedTotalMinor,
      errors: result.errors,
    },
  };
}

export async function getProject(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'value.read');
  const account = await loadVisibleAccount(db, actor, accountId);
  const [items, promises] = [await loadProject(db, actor.workspaceId, accountId), await repo.listPromises(db, actor.workspaceId, accountId)];
  return { account: { id: account.id, name: account.name, currency: account.currency }, ...projectView(items, actor.locale, promises) };
}

/** For health and dashboards: the money realised and expected of one account. */
export async function valueTotals(db: Db, workspaceId: string, accountId: string) {
  const v = projectView(await loadProject(db, workspaceId, accountId), 'en');
  return { indicators: v.items.length, ...v.totals };
}

export type ItemInput = {
  indicatorId: string;
  baseline: number;
  baselinePeriod: string;
  target: number;
  unit?: string | null;
  paramValues?: Record<string, number>;
  internalNote?: string | null;
};

type Refusal = { ok: false; key: string; params?: Record<string, string | number>; field?: string };

/** Several refused rules as one 400 naming every wrong field, in the user's words. */
function refuse(locale: Locale, bad: Refusal[]): AppError {
  return new AppError(
    'invalid',
    bad[0].key,
    bad[0].params ?? {},
    bad.map((b) => ({ field: b.field ?? 'body', message: translate(locale, b.key, b.params ?? {}) })),
  );
}

/** Checks baseline, target and parameters together, so one answer names every wrong field. */
function checkTerms(
  locale: Locale,
  i: { direction: Direction; formula: string; params: ParamDef[]; unit: string },
  v: { baseline: number; target: number; baselinePeriod: string; paramValues: Record<string, number>; unit?: string | null },
) {
  const checks = [
    checkUnit(i.unit, v.unit),
    checkMeasure(v.baseline, 'baseline'),
    checkMeasure(v.target, 'target'),
    isPeriod(v.baselinePeriod)
      ? { ok: true as const }
      : { ok: false as const, key: 'value.bad_period', params: { period: v.baselinePeriod }, field: 'baselinePeriod' },
    checkParamValues(i.params, v.paramValues),
  ];
  const bad = checks.filter((c) => !c.ok) as Refusal[];
  if (bad.length) throw refuse(locale, bad);
  const target = checkTarget(i.direction, v.baseline, v.target);
  if (!target.ok) throw refuse(locale, [target]);
  // the money must be computable on these terms: a formula error is reported now, not stored
  const m = moneyAt(
    { direction: i.direction, formula: i.formula, params: i.params, paramValues: v.paramValues, baseline: v.baseline, target: v.target },
    v.target,
  );
  if (!m.ok) throw invalid(m.key, m.params, [{ field: 'paramValues', message: m.key }]);
}

async function loadItem(tx: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  const item = await repo.findItem(tx, actor.workspaceId, id, opts);
  if (!item) throw notFound('value.item.noun');
  await loadVisibleAccount(tx, actor, item.accountId); // 404 for another channel's account
  return item;
}

export async function addItem(db: Db, actor: Actor, accountId: string, input: ItemInput) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId, { forUpdate: true });
    await ensureLibrary(tx, actor.workspaceId);
    const ind = await repo.findIndicator(tx, actor.workspaceId, input.indicatorId);
    if (!ind) throw invalid('error.not_found', { what: 'value.indicator.noun' }, [{ field: 'indicatorId', message: 'unknown indicator' }]);
    if (!ind.active)
      throw invalid('value.indicator_inactive', { name: actor.locale === 'en' ? ind.nameEn : ind.nameZh }, [
        { field: 'indicatorId', message: 'inactive' },
      ]);
    const paramValues = input.paramValues ?? {};
    checkTerms(
      actor.locale,
      { direction: ind.direction as Direction, formula: ind.formula, params: ind.params, unit: ind.unit },
      { ...input, paramValues },
    );
    const existing = await repo.listItems(tx, actor.workspaceId, accountId);
    if (existing.some((e) => e.indicatorId === ind.id))
      throw new AppError('conflict', 'value.already_chosen', { name: actor.locale === 'en' ? ind.nameEn : ind.nameZh }, [
        { field: 'indicatorId', message: 'already chosen' },
      ]);
    const row = await repo.insertItem(tx, {
      workspaceId: actor.workspaceId,
      accountId,
      indicatorId: ind.id,
      key: ind.key,
      stage: ind.stage,
      dimension: ind.dimension,
      nameZh: ind.nameZh,
      nameEn: ind.nameEn,
      unit: ind.unit,
      direction: ind.direction,
      formula: ind.formula,
      params: ind.params,
      paramValues,
      baseline: input.baseline,
      baselinePeriod: input.baselinePeriod,
      target: input.target,
      internalNote: input.internalNote ?? null,
      sort: existing.length + 1,
      createdById: actor.userId,
    });
    await recordAudit(tx, actor, { action: 'value.item.add', entityType: 'value_item', entityId: row.id, after: row });
    return row.id;
  });
}

export type ItemPatch = Partial<Omit<ItemInput, 'indicatorId'>>;

export async function updateItem(db: Db, actor: Actor, id: string, patch: ItemPatch) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    const before = await loadItem(tx, actor, id, { forUpdate: true });
    const next = {
      baseline: patch.baseline ?? before.baseline,
      target: patch.target ?? before.target,
      baselinePeriod: patch.baselinePeriod ?? before.baselinePeriod,
      paramValues: patch.paramValues ?? before.paramValues,
      unit: patch.unit,
    };
    checkTerms(actor.locale, { direction: before.direction as Direction, formula: before.formula, params: before.params, unit: before.unit }, next);
    // a baseline moved later may not leave actuals before it
    if (patch.baselinePeriod && patch.baselinePeriod !== before.baselinePeriod) {
      const early = (await repo.listActuals(tx, actor.workspaceId, [id])).find((a) => a.period <= patch.baselinePeriod!);
      if (early) throw invalid('value.baseline_after_actuals', { period: early.period }, [{ field: 'baselinePeriod', message: 'actuals before it' }]);
    }
    const after = await repo.updateItem(tx, actor.workspaceId, id, {
      baseline: next.baseline,
      target: next.target,
      baselinePeriod: next.baselinePeriod,
      paramValues: next.paramValues,
      ...(patch.internalNote !== undefined ? { internalNote: patch.internalNote } : {}),
    });
    await recordAudit(tx, actor, { action: 'value.item.update', entityType: 'value_item', entityId: id, before, after });
    return after.accountId;
  });
}

export async function removeItem(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'value.manage');
  await db.transaction(async (tx) => {
    const before = await loadItem(tx, actor, id, { forUpdate: true });
    await repo.deleteItem(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'value.item.remove', entityType: 'value_item', entityId: id, before });
  });
}

export type ActualInput = { period: string; value: number; unit?: string | null; note?: string | null };

function checkActual(item: repo.ItemRow, a: ActualInput) {
  const checks = [checkActualPeriod(item.baselinePeriod, a.period), checkMeasure(a.value, 'value'), checkUnit(item.unit, a.unit)];
  return checks.filter((c) => !c.ok) as Refusal[];
}

/** Records (or replaces) one month's measured value. */
export async function recordActual(db: Db, actor: Actor, itemId: string, input: ActualInput) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    const item = await loadItem(tx, actor, itemId, { forUpdate: true });
    const bad = checkActual(item, input);
    if (bad.length) throw refuse(actor.locale, bad);
    const before = await repo.findActualByPeriod(tx, actor.workspaceId, itemId, input.period);
    const [row] = await repo.upsertActuals(tx, [
      {
        workspaceId: actor.workspaceId,
        itemId,
        period: input.period,
        value: input.value,
        note: input.note ?? null,
        source: 'form',
        createdById: actor.userId,
      },
    ]);
    await recordAudit(tx, actor, { action: 'value.actual.record', entityType: 'value_item', entityId: itemId, before: before ?? null, after: row });
    await announce(tx, actor.workspaceId, ValueActualRecorded, { accountId: item.accountId, itemId, period: input.period });
    return item.accountId;
  });
}

export async function deleteActual(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    const a = await repo.findActual(tx, actor.workspaceId, id);
    if (!a) throw notFound('value.actual.noun');
    const item = await loadItem(tx, actor, a.itemId, { forUpdate: true });
    await repo.deleteActual(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'value.actual.delete', entityType: 'value_item', entityId: item.id, before: a });
    return item.accountId;
  });
}

// ---- CSV import of actuals: every row checked, all or nothing

export type ActualRowInput = { row: number; indicator: string; period: string; value: string; unit?: string; note?: string };

export async function importActuals(db: Db, actor: Actor, accountId: string, rows: ActualRowInput[], filename: string) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId, { forUpdate: true });
    const items = await repo.listItems(tx, actor.workspaceId, accountId);
    const byName = new Map<string, repo.ItemRow>();
    for (const i of items) for (const n of [i.key, i.nameZh, i.nameEn]) byName.set(n.trim().toLowerCase(), i);
    const fields: FieldError[] = [];
    const seen = new Set<string>();
    const out: { itemId: string; period: string; value: number; note: string | null }[] = [];
    const t = (key: string, params: Record<string, string | number> = {}) => translate(actor.locale, key, params);
    for (const r of rows) {
      const item = byName.get(r.indicator.trim().toLowerCase());
      if (!item) {
        fields.push({ row: r.row, field: 'indicator', message: t('value.import.unknown_indicator', { value: r.indicator }) });
        continue;
      }
      const period = normalisePeriod(r.period);
      const text = r.value.trim().replace(/,/g, '');
      const value = /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      for (const b of checkActual(item, { period, value, unit: r.unit }))
        fields.push({ row: r.row, field: b.field ?? 'value', message: t(b.key, b.params ?? { field: 'value' }) });
      const k = `${item.id}|${period}`;
      if (seen.has(k)) fields.push({ row: r.row, field: 'period', message: t('value.import.duplicate', { period }) });
      seen.add(k);
      out.push({ itemId: item.id, period, value, note: r.note?.trim() || null });
    }
    if (fields.length) throw invalid('import.rows_invalid', { count: new Set(fields.map((f) => f.row)).size }, fields);
    await repo.upsertActuals(
      tx,
      out.map((o) => ({ workspaceId: actor.workspaceId, ...o, source: 'import', createdById: actor.userId })),
    );
    await recordAudit(tx, actor, {
      action: 'value.actual.import',
      entityType: 'account',
      entityId: accountId,
      after: { imported: out.length, file: filename },
    });
    return { imported: out.length };
  });
}

/** 2026-03, 2026/3, 2026-3, 2026-03-31 → 2026-03; anything else stays as typed (and is refused). */
export function normalisePeriod(text: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?$/.exec(text.trim());
  if (!m) return text.trim();
  return `${m[1]}-${m[2].padStart(2, '0')}`;
}

// ---- promised value of paid expert services, linked to indicators

/** Links a paid expert service's promised value to indicators of the same account (an empty list unlinks it). */
export async function linkPromise(db: Db, actor: Actor, bookingId: string, itemIds: string[]) {
  assertCan(actor, 'value.manage');
  return db.transaction(async (tx) => {
    const booking = await repo.findBooking(tx, actor.workspaceId, bookingId);
    if (!booking) throw notFound('value.booking.noun');
    await loadVisibleAccount(tx, actor, booking.accountId, { forUpdate: true });
    if (booking.kind !== 'paid' || booking.promisedValueMinor == null || booking.status !== 'booked') {
      throw invalid('value.promise_not_paid', {}, [{ field: 'bookingId', message: 'not a booked paid service with a promised value' }]);
    }
    const items = new Set((await repo.listItems(tx, actor.workspaceId, booking.accountId)).map((i) => i.id));
    const foreign = itemIds.filter((id) => !items.has(id));
    if (foreign.length)
      throw invalid('value.promise_items', { count: foreign.length }, [{ field: 'itemIds', message: 'not indicators of this account' }]);
    const before = await repo.findPromise(tx, actor.workspaceId, bookingId);
    const unique = [...new Set(itemIds)];
    if (unique.length) {
      const after = await repo.savePromise(tx, {
        workspaceId: actor.workspaceId,
        accountId: booking.accountId,
        bookingId,
        itemIds: unique,
        createdById: actor.userId,
      });
      await recordAudit(tx, actor, { action: 'value.promise.link', entityType: 'booking', entityId: bookingId, before, after });
    } else if (before) {
      await repo.deletePromise(tx, actor.workspaceId, bookingId);
      await recordAudit(tx, actor, { action: 'value.promise.unlink', entityType: 'booking', entityId: bookingId, before });
    }
    return booking.accountId;
  });
}
