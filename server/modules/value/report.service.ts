// The value report of one account: what the customer sees (console's printable page, the PDF, the
// portal). Staff see it for any account they may see; a key person only for their own account.
// Internal-only fields (internal notes, who entered what, actual notes, ids) are never in it.
import type { Db } from '../../db/client.js';
import type { Actor, KeyPersonActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { fileStamp, formatDateTime } from '../../platform/time.js';
import { formulaInWords } from './formula.domain.js';
import { dimensions, stages, units } from './library.data.js';
import * as repo from './value.repo.js';
import { projectView } from './value.service.js';

const label = (list: readonly (readonly [string, string, string])[], key: string, locale: Locale) => {
  const f = list.find((x) => x[0] === key);
  return f ? (locale === 'en' ? f[2] : f[1]) : key;
};

export type ValueReport = Awaited<ReturnType<typeof buildReport>>;

async function buildReport(db: Db, workspaceId: string, account: { id: string; name: string; currency: string }, locale: Locale, now: Date) {
  const items = await repo.listItems(db, workspaceId, account.id);
  const actuals = await repo.listActuals(
    db,
    workspaceId,
    items.map((i) => i.id),
  );
  const promises = await repo.listPromises(db, workspaceId, account.id);
  const view = projectView(
    items.map((i) => ({ ...i, actuals: actuals.filter((a) => a.itemId === i.id) })),
    locale,
    promises,
  );
  const timeZone = await workspaceTimeZone(db, workspaceId);
  return {
    account: { id: account.id, name: account.name, currency: account.currency },
    locale,
    generatedAt: now.toISOString(),
    /** when, as a reader reads it: the workspace's zone, `YYYY-MM-DD HH:mm` */
    generatedAtText: formatDateTime(now, timeZone),
    /** the workspace's day, for file names (`YYYYMMDD`) */
    generatedStamp: fileStamp(now, timeZone),
    items: view.items.map((i) => ({
      key: i.key,
      stage: i.stage,
      stageLabel: label(stages, i.stage, locale),
      dimension: i.dimension,
      dimensionLabel: label(dimensions, i.dimension, locale),
      name: i.name[locale],
      unit: i.unit,
      unitLabel: (units as Record<string, { 'zh-CN': string; en: string }>)[i.unit]?.[locale] ?? i.unit,
      direction: i.direction,
      // the customer reads how the money is worked out in words, never the formula's code
      formulaInWords: formulaInWords(i.formula, Object.fromEntries(i.params.map((p) => [p.name, p.label[locale]])), locale),
      params: i.params.map((p) => ({ label: p.label[locale], unit: p.unit, value: p.value })),
      baseline: i.baseline,
      baselinePeriod: i.baselinePeriod,
      target: i.target,
      latest: i.latest,
      status: i.status,
      progressPct: i.progressPct,
      expectedPerPeriodMinor: i.expectedPerPeriodMinor,
      expectedError: i.expectedError,
      expectedToDateMinor: i.expectedToDateMinor,
      realisedTotalMinor: i.realisedTotalMinor,
      periods: i.actuals.map((a) => ({
        period: a.period,
        value: a.value,
        improvement: a.improvement,
        realisedMinor: a.realisedMinor,
        error: a.error,
      })),
    })),
    promises: view.promises.map((p) => ({
      service: p.service[locale],
      promisedValueMinor: p.promisedValueMinor,
      indicators: p.itemIds.map((id) => view.items.find((i) => i.id === id)!.name[locale]),
      realisedMinor: p.realisedMinor,
      status: p.status,
    })),
    byPeriod: view.byPeriod,
    totals: view.totals,
  };
}

/** Staff: the report of an account they may see (404 otherwise). */
export async function getReport(db: Db, actor: Actor, accountId: string, now = new Date()) {
  assertCan(actor, 'value.read');
  const account = await loadVisibleAccount(db, actor, accountId);
  return buildReport(db, actor.workspaceId, account, actor.locale, now);
}

/** A key person: the report of their own account, and only that one. */
export async function getPortalReport(db: Db, actor: Actor, now = new Date()) {
  if (actor.kind !== 'key_person') throw forbidden();
  const kp: KeyPersonActor = actor;
  const account = await loadVisibleAccount(db, kp, kp.accountId);
  return buildReport(db, kp.workspaceId, account, kp.locale, now);
}
