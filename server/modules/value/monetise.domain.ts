// Pure rules of a value project: checks of baseline, target, actuals and parameters, and the money
// each indicator makes per period (expected on the target, realised on every actual).
//
// Money: a formula gives yuan for one period (a month) as an exact rational; it is turned into fen
// once, rounded half away from zero (formula.domain `yuanToFen`). Totals are sums of those fen, so a
// total always equals the sum of the lines a customer sees.
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import { checkFormula, evaluate, fromNumber, toNumber, yuanToFen, type Rational } from './formula.domain.js';

export type Direction = 'up' | 'down';
export type Bilingual = { 'zh-CN': string; en: string };
export type ParamDef = { name: string; label: Bilingual; unit: string; default: number };

export type ItemInput = {
  id: string;
  direction: Direction;
  formula: string;
  params: ParamDef[];
  paramValues: Record<string, number>;
  baseline: number;
  baselinePeriod: string;
  target: number;
  actuals: { period: string; value: number }[];
};

export type Status = 'no_data' | 'behind' | 'improving' | 'reached';
export type Money = { ok: true; minor: number } | { ok: false; key: string; params: Record<string, string | number> };

export type PeriodLine = { period: string; actual: number; improvement: number; realised: Money };
export type ItemResult = {
  id: string;
  expectedPerPeriod: Money;
  periods: PeriodLine[];
  realisedTotalMinor: number;
  /** the expected value over the same periods that have actuals (target × periods measured) */
  expectedToDateMinor: number;
  latest: number | null;
  status: Status;
  /** how much of the way from baseline to target the latest actual went, in whole percent */
  progressPct: number | null;
  errors: number;
};

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const isPeriod = (p: string) => PERIOD.test(p);

/** 'YYYY-MM' months compare as text; the next month of one. */
export function nextPeriod(p: string): string {
  const [y, m] = p.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Measured values: finite, at most 6 decimals, within ±1e12. */
export function checkMeasure(x: number, field: string): RuleResult<number> {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e12) return fail('value.bad_number', { field }, field);
  const r = fromNumber(x);
  if (!r || r.d > 1_000_000n) return fail('value.bad_number', { field }, field);
  return ok(x);
}

/** The target must be better than the baseline in the indicator's direction. */
export function checkTarget(direction: Direction, baseline: number, target: number): RuleResult<number> {
  const better = direction === 'down' ? target < baseline : target > baseline;
  if (!better) return fail(direction === 'down' ? 'value.target_not_lower' : 'value.target_not_higher', { baseline, target }, 'target');
  return ok(target);
}

/** An actual measures a month after the baseline's month. */
export function checkActualPeriod(baselinePeriod: string, period: string): RuleResult<string> {
  if (!isPeriod(period)) return fail('value.bad_period', { period }, 'period');
  if (period <= baselinePeriod) return fail('value.actual_before_baseline', { period, baseline: baselinePeriod }, 'period');
  return ok(period);
}

export function checkUnit(expected: string, given: string | undefined | null): RuleResult<string> {
  if (given != null && given.trim() !== '' && given.trim() !== expected)
    return fail('value.unit_mismatch', { given: given.trim(), expected }, 'unit');
  return ok(expected);
}

/** Customer-specific parameter values: only the formula's own parameters, each a plain number. */
export function checkParamValues(defs: ParamDef[], values: Record<string, number>): RuleResult<Record<string, number>> {
  const known = new Set(defs.map((d) => d.name));
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length) return fail('value.unknown_param', { names: unknown.join(', '), allowed: [...known].join(', ') }, 'paramValues');
  for (const [k, v] of Object.entries(values)) {
    const c = checkMeasure(v, `paramValues.${k}`);
    if (!c.ok) return c;
  }
  return ok(values);
}

/** A library indicator's formula must read only its parameters and the built-in variables; defaults must be numbers. */
export function checkIndicatorFormula(formula: string, params: ParamDef[]): RuleResult<string> {
  const names = params.map((p) => p.name);
  if (new Set(names).size !== names.length) return fail('formula.duplicate_param', {}, 'params');
  const c = checkFormula(formula, names);
  if (!c.ok) return c;
  for (const p of params) {
    const m = checkMeasure(p.default, `params.${p.name}`);
    if (!m.ok) return m;
  }
  return ok(formula);
}

const improvementOf = (direction: Direction, baseline: number, value: number): Rational => {
  const b = fromNumber(baseline)!;
  const v = fromNumber(value)!;
  const d = direction === 'down' ? { n: b.n * v.d - v.n * b.d, d: b.d * v.d } : { n: v.n * b.d - b.n * v.d, d: b.d * v.d };
  return d;
};

/** The money one period makes when the indicator stands at `value`, in fen. */
export function moneyAt(item: Pick<ItemInput, 'direction' | 'formula' | 'params' | 'paramValues' | 'baseline' | 'target'>, value: number): Money {
  const c = checkFormula(
    item.formula,
    item.params.map((p) => p.name),
  );
  if (!c.ok) return { ok: false, key: c.key, params: c.params ?? {} };
  const vars = new Map<string, Rational>();
  const put = (k: string, x: number) => {
    const r = fromNumber(x);
    if (r) vars.set(k, r);
  };
  put('baseline', item.baseline);
  put('target', item.target);
  put('actual', value);
  vars.set('improvement', improvementOf(item.direction, item.baseline, value));
  for (const p of item.params) put(p.name, Object.hasOwn(item.paramValues, p.name) ? item.paramValues[p.name] : p.default);
  const r = evaluate(c.value, vars);
  if (!r.ok) return { ok: false, key: r.key, params: r.params ?? {} };
  return { ok: true, minor: yuanToFen(r.value) };
}

export function statusOf(direction: Direction, baseline: number, target: number, latest: number | null): Status {
  if (latest === null) return 'no_data';
  const better = (a: number, b: number) => (direction === 'down' ? a <= b : a >= b);
  if (better(latest, target)) return 'reached';
  if (direction === 'down' ? latest < baseline : latest > baseline) return 'improving';
  return 'behind';
}

export function monetiseItem(item: ItemInput): ItemResult {
  const expected = moneyAt(item, item.target);
  const actuals = [...item.actuals].sort((a, b) => a.period.localeCompare(b.period));
  let errors = expected.ok ? 0 : 1;
  let realisedTotalMinor = 0;
  const periods: PeriodLine[] = actuals.map((a) => {
    const realised = moneyAt(item, a.value);
    if (realised.ok) realisedTotalMinor += realised.minor;
    else errors++;
    return { period: a.period, actual: a.value, improvement: toNumber(improvementOf(item.direction, item.baseline, a.value)), realised };
  });
  const latest = actuals.length ? actuals[actuals.length - 1].value : null;
  const full = toNumber(improvementOf(item.direction, item.baseline, item.target));
  const progressPct =
    latest === null || full === 0 ? null : Math.round((toNumber(improvementOf(item.direction, item.baseline, latest)) / full) * 100);
  return {
    id: item.id,
    expectedPerPeriod: expected,
    periods,
    realisedTotalMinor,
    expectedToDateMinor: expected.ok ? expected.minor * actuals.length : 0,
    latest,
    status: statusOf(item.direction, item.baseline, item.target, latest),
    progressPct,
    errors,
  };
}

export type PeriodTotal = { period: string; expectedMinor: number; realisedMinor: number; cumulativeRealisedMinor: number };
export type ProjectResult = {
  items: ItemResult[];
  byPeriod: PeriodTotal[];
  expectedPerPeriodMinor: number;
  expectedToDateMinor: number;
  realisedTotalMinor: number;
  errors: number;
};

/**
 * The project in money: per indicator, per month and in total. A month's expected value counts every
 * indicator whose baseline lies before it; its realised value counts the actuals measured in it.
 */
export function monetiseProject(items: ItemInput[]): ProjectResult {
  const results = items.map(monetiseItem);
  const months = [...new Set(results.flatMap((r) => r.periods.map((p) => p.period)))].sort();
  let cumulative = 0;
  const byPeriod = months.map((period) => {
    let expectedMinor = 0;
    let realisedMinor = 0;
    items.forEach((it, i) => {
      const r = results[i];
      if (period > it.baselinePeriod && r.expectedPerPeriod.ok) expectedMinor += r.expectedPerPeriod.minor;
      const line = r.periods.find((p) => p.period === period);
      if (line?.realised.ok) realisedMinor += line.realised.minor;
    });
    cumulative += realisedMinor;
    return { period, expectedMinor, realisedMinor, cumulativeRealisedMinor: cumulative };
  });
  return {
    items: results,
    byPeriod,
    expectedPerPeriodMinor: results.reduce((s, r) => s + (r.expectedPerPeriod.ok ? r.expectedPerPeriod.minor : 0), 0),
    expectedToDateMinor: results.reduce((s, r) => s + r.expectedToDateMinor, 0),
    realisedTotalMinor: results.reduce((s, r) => s + r.realisedTotalMinor, 0),
    errors: results.reduce((s, r) => s + r.errors, 0),
  };
}

export type PromiseStatus = 'unlinked' | 'open' | 'kept';

/**
 * A paid expert service's promised value against the money its linked indicators realised:
 * kept once they realised at least the promise.
 */
export function promiseStatus(promisedMinor: number, linkedItems: number, realisedMinor: number): PromiseStatus {
  if (linkedItems === 0) return 'unlinked';
  return realisedMinor >= promisedMinor ? 'kept' : 'open';
}
