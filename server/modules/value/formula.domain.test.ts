import { describe, expect, it } from 'vitest';
import { checkFormula, evaluateFormula, parseDecimal, parseFormula, yuanToFen, type Rational } from './formula.domain.js';

const value = (src: string, vars: Record<string, number> = {}) => {
  const r = evaluateFormula(src, vars);
  if (!r.ok) throw new Error(`${src}: ${r.key}`);
  return r.value;
};
const fen = (src: string, vars: Record<string, number> = {}) => yuanToFen(value(src, vars));
const refused = (src: string, vars: Record<string, number> = {}) => {
  const r = evaluateFormula(src, vars);
  expect(r.ok, src).toBe(false);
  return r.ok ? '' : r.key;
};

describe('formula evaluation', () => {
  it('follows precedence, parentheses and unary minus', () => {
    expect(value('1 + 2 * 3')).toEqual({ n: 7n, d: 1n });
    expect(value('(1 + 2) * 3')).toEqual({ n: 9n, d: 1n });
    expect(value('-2 * -3 - -1')).toEqual({ n: 7n, d: 1n });
    expect(value('10 / 4 / 5')).toEqual({ n: 1n, d: 2n });
    expect(value('8 - 3 - 2')).toEqual({ n: 3n, d: 1n });
  });

  it('is exact where floating point is not', () => {
    expect(value('0.1 + 0.2')).toEqual({ n: 3n, d: 10n });
    expect(value('1 / 3 * 3')).toEqual({ n: 1n, d: 1n });
    // 1.005 yuan is exactly 100.5 fen and rounds up; 1.005 * 100 in doubles is 100.49999…
    expect(fen('1.005')).toBe(101);
    expect(fen('improvement * cost', { improvement: 3, cost: 0.335 })).toBe(101); // 1.005 yuan
  });

  it('rounds money to the fen half away from zero, once', () => {
    expect(fen('0.125')).toBe(13);
    expect(fen('-0.125')).toBe(-13);
    expect(fen('0.124999')).toBe(12);
    expect(fen('2 / 3')).toBe(67);
    expect(fen('1 / 3 + 1 / 3 + 1 / 3')).toBe(100);
  });

  it('has min, max and round (half away from zero, 0–6 places)', () => {
    expect(value('min(3, 1, 2)')).toEqual({ n: 1n, d: 1n });
    expect(value('max(3, 1, 2) * 2')).toEqual({ n: 6n, d: 1n });
    expect(value('round(2.5)')).toEqual({ n: 3n, d: 1n });
    expect(value('round(-2.5)')).toEqual({ n: -3n, d: 1n });
    expect(value('round(1.2345, 2)')).toEqual({ n: 123n, d: 100n });
    expect(refused('round(1.5, 7)')).toBe('formula.round_places');
    expect(refused('round(1, 2, 3)')).toBe('formula.arity');
  });

  it('reads named parameters and reports unknown ones', () => {
    expect(fen('improvement * visit_cost', { improvement: 40, visit_cost: 350 })).toBe(1_400_000);
    expect(refused('improvement * visit_cost', { improvement: 40 })).toBe('formula.unknown_name');
  });

  it('reports division by zero and non-finite results instead of computing them', () => {
    expect(refused('1 / (a - a)', { a: 5 })).toBe('formula.division_by_zero');
    expect(refused('1 / 0')).toBe('formula.division_by_zero');
    expect(refused('99999999999999 * 99999999999999')).toBe('formula.not_finite');
  });

  it('parses decimals exactly', () => {
    expect(parseDecimal('12.50')).toEqual({ n: 25n, d: 2n } satisfies Rational);
    expect(parseDecimal('1.2e3')).toEqual({ n: 1200n, d: 1n });
    expect(parseDecimal('abc')).toBeNull();
  });
});

describe('formula safety: injection attempts are refused, never run', () => {
  const attempts: [string, string][] = [
    ['constructor', 'formula.unknown_name'],
    ['__proto__', 'formula.unknown_name'],
    ['toString', 'formula.unknown_name'],
    ['valueOf + 1', 'formula.unknown_name'],
    ['hasOwnProperty', 'formula.unknown_name'],
    ['process.exit()', 'formula.bad_char'],
    ['process', 'formula.unknown_name'],
    ['exit()', 'formula.unknown_function'],
    ['constructor("return process")()', 'formula.bad_char'],
    ['constructor(1)', 'formula.unknown_function'],
    ['eval(1)', 'formula.unknown_function'],
    ['Function(1)', 'formula.unknown_function'],
    ['a;b', 'formula.bad_char'],
    ['a = 1', 'formula.bad_char'],
    ['x[0]', 'formula.bad_char'],
    ['"abc"', 'formula.bad_char'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the formula text itself holds a template literal, which must be refused
    ['`${1}`', 'formula.bad_char'],
    ['min.constructor', 'formula.bad_char'],
    ['this', 'formula.unknown_name'],
    ['globalThis', 'formula.unknown_name'],
    ['1e999', 'formula.bad_number'],
    ['1e99999', 'formula.bad_number'],
    ['9 ** 9 ** 9', 'formula.unexpected'],
    ['9 ^ 999', 'formula.bad_char'],
    ['123456789012345678 * 2', 'formula.bad_number'],
    ['1 +', 'formula.unexpected_end'],
    ['(1', 'formula.expected'],
    ['1 2', 'formula.unexpected'],
    ['', 'formula.empty'],
  ];
  for (const [src, key] of attempts) {
    it(`refuses ${JSON.stringify(src)}`, () => {
      const r = checkFormula(src, ['a', 'b']);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.key).toBe(key);
      expect(evaluateFormula(src, { a: 1, b: 2 }).ok).toBe(false);
    });
  }

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = `${'('.repeat(100)}1${')'.repeat(100)}`;
    expect(parseFormula(deep)).toMatchObject({ ok: false, key: 'formula.too_deep' });
    const minus = `${'-'.repeat(200)}1`;
    expect(parseFormula(minus)).toMatchObject({ ok: false, key: 'formula.too_deep' });
    const calls = `${'min('.repeat(60)}1${')'.repeat(60)}`;
    expect(parseFormula(calls)).toMatchObject({ ok: false, key: 'formula.too_deep' });
  });

  it('refuses over-long formulas and repeated multiplication beyond the money range', () => {
    expect(parseFormula(`${'1+'.repeat(300)}1`)).toMatchObject({ ok: false, key: 'formula.too_long' });
    expect(refused(Array(20).fill('999999999').join(' * '))).toBe('formula.not_finite');
  });

  it('does not let a parameter named like an object key leak through', () => {
    expect(checkFormula('__proto__ * 2', ['__proto__'])).toMatchObject({ ok: false, key: 'formula.bad_param_name' });
    expect(checkFormula('constructor * 2', ['constructor'])).toMatchObject({ ok: true });
    // a name is only what was given: nothing from Object.prototype
    expect(evaluateFormula('constructor', { a: 1 })).toMatchObject({ ok: false, key: 'formula.unknown_name' });
  });

  it('refuses parameters that shadow built-in variables', () => {
    expect(checkFormula('improvement * 2', ['improvement'])).toMatchObject({ ok: false, key: 'formula.bad_param_name' });
    expect(checkFormula('improvement * cost', ['cost'])).toMatchObject({ ok: true });
    expect(checkFormula('improvement * cost', [])).toMatchObject({ ok: false, key: 'formula.unknown_name' });
  });
});
