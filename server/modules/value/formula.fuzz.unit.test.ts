// Property tests of the monetisation formula language: the parser never throws on any string and
// refuses with its own error keys; printing a tree and parsing it back gives the same tree and the
// same value; arithmetic is exact; no JavaScript property (constructor, __proto__, …) is reachable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { moneyAt } from './monetise.domain.js';
import {
  builtinVariables,
  checkFormula,
  evaluate,
  evaluateFormula,
  functions,
  MAX_FORMULA_LENGTH,
  parseDecimal,
  parseFormula,
  type Node,
  type Rational,
} from './formula.domain.js';

const tokens = [
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  ',',
  ' ',
  '1',
  '0',
  '.5',
  '2.25',
  '1e3',
  '7E-2',
  'baseline',
  'target',
  'min',
  'max',
  'round',
  'x',
  '__proto__',
  'constructor',
  '.',
  'e',
  '9'.repeat(16),
  '\t',
  '\n',
];
/** Strings that look like formulas (so the parser gets past the lexer), and arbitrary text. */
const formulaLike = fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((xs) => xs.join(''));
const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  formulaLike,
  fc.string({ minLength: 490, maxLength: 520, unit: fc.constantFrom('(', '-', '1', '+') }),
);

// ---- a printer (the domain has none): the fewest parentheses that keep the tree

function decimal(v: Rational): string {
  // v.d divides a power of ten (numbers are written in decimal): digits × 10^-k
  let k = 0n;
  let d = v.d;
  let n = v.n;
  while (d !== 1n) {
    if (d % 10n === 0n) [d, k] = [d / 10n, k + 1n];
    else if (d % 2n === 0n) [n, d] = [n * 5n, d * 5n];
    else [n, d] = [n * 2n, d * 2n];
  }
  let exp = -k;
  while (n !== 0n && n % 10n === 0n) [n, exp] = [n / 10n, exp + 1n];
  return exp === 0n ? `${n}` : `${n}e${exp}`;
}
const prec = (n: Node) => (n.t === 'bin' ? (n.op === '+' || n.op === '-' ? 1 : 2) : n.t === 'neg' ? 3 : 4);
function print(n: Node): string {
  switch (n.t) {
    case 'num':
      return decimal(n.v);
    case 'name':
      return n.name;
    case 'neg':
      return `-${prec(n.x) < 3 ? `(${print(n.x)})` : print(n.x)}`;
    case 'call':
      return `${n.fn}(${n.args.map(print).join(', ')})`;
    case 'bin': {
      const p = prec(n);
      const l = prec(n.l) < p ? `(${print(n.l)})` : print(n.l);
      const r = prec(n.r) <= p ? `(${print(n.r)})` : print(n.r);
      return `${l} ${n.op} ${r}`;
    }
  }
}

const vars = new Map<string, Rational>([
  ['baseline', { n: 120n, d: 1n }],
  ['target', { n: 95n, d: 1n }],
  ['actual', { n: 1001n, d: 10n }],
  ['improvement', { n: -3n, d: 4n }],
  ['x', { n: 7n, d: 1n }],
]);

/** Trees of the grammar, small enough to stay within the length and depth limits once printed. */
const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.record({
        t: fc.constant('num' as const),
        v: fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 3 })).map(([n, k]) => parseDecimal(`${n}e-${k}`)!),
      }),
      fc.record({ t: fc.constant('name' as const), name: fc.constantFrom(...vars.keys()) }),
    ),
    fc.record({ t: fc.constant('neg' as const), x: tie('node') }),
    fc.record({
      t: fc.constant('bin' as const),
      op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const),
      l: tie('node'),
      r: tie('node'),
    }),
    fc.record({
      t: fc.constant('call' as const),
      fn: fc.constantFrom('min' as const, 'max' as const),
      args: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      t: fc.constant('call' as const),
      fn: fc.constant('round' as const),
      args: fc
        .tuple(
          tie('node'),
          fc.integer({ min: 0, max: 6 }).map((p): Node => ({ t: 'num', v: { n: BigInt(p), d: 1n } })),
        )
        .map((xs) => [...xs]),
    }),
  ),
})).node;

const same = (a: ReturnType<typeof evaluate>, b: ReturnType<typeof evaluate>) => {
  expect(a.ok).toBe(b.ok);
  if (a.ok && b.ok) expect(a.value).toEqual(b.value);
  if (!a.ok && !b.ok) expect(a.key).toBe(b.key);
};

describe('formula: properties', () => {
  it('the parser never throws: any string parses or is refused with a formula.* key on the formula field', () => {
    fc.assert(
      fc.property(anyText, (src) => {
        const r = parseFormula(src);
        if (!r.ok) {
          expect(r.key).toMatch(/^formula\.[a-z_]+$/);
          expect(r.field).toBe('formula');
          return;
        }
        // what parses also evaluates without throwing (missing names are refusals)
        const v = evaluate(r.value, vars);
        if (!v.ok) expect(v.key).toMatch(/^formula\.[a-z_]+$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('print then parse gives the same tree and the same value', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const src = print(node);
        fc.pre(src.length <= MAX_FORMULA_LENGTH);
        const back = parseFormula(src);
        if (!back.ok && back.key === 'formula.too_deep') return; // deeper than the language allows: refused, not mis-read
        expect(back.ok, `${src}: ${!back.ok && back.key}`).toBe(true);
        if (!back.ok) return;
        expect(back.value).toEqual(node);
        same(evaluate(back.value, vars), evaluate(node, vars));
      }),
      { numRuns: 500 },
    );
  });

  it('reparsing a printed formula from arbitrary text gives the same value', () => {
    fc.assert(
      fc.property(formulaLike, (src) => {
        const r = parseFormula(src);
        if (!r.ok) return;
        const again = parseFormula(print(r.value));
        expect(again.ok).toBe(true);
        if (again.ok) same(evaluate(again.value, vars), evaluate(r.value, vars));
      }),
      { numRuns: 1000 },
    );
  });

  it('arithmetic is exact: x − x = 0, (x × y) ÷ y = x, a + b − b = a, round is half away from zero', () => {
    const dec = fc.tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 6 })).map(([n, k]) => n / 10 ** k);
    fc.assert(
      fc.property(
        dec,
        dec.filter((y) => y !== 0),
        (x, y) => {
          const v = (src: string) => {
            const r = evaluateFormula(src, { x, y });
            expect(r.ok, src).toBe(true);
            return r.ok ? r.value : null;
          };
          expect(v('x - x')).toEqual({ n: 0n, d: 1n });
          expect(v('(x * y) / y')).toEqual(v('x'));
          expect(v('x + y - y')).toEqual(v('x'));
          expect(v('min(x, y) + max(x, y)')).toEqual(v('x + y'));
          const r = v('round(x)')!;
          expect(r.d).toBe(1n);
          expect(Number(r.n)).toBe(Math.sign(x) * Math.round(Math.abs(x)) || 0);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('no JavaScript property or global is reachable by name or call', () => {
    const dangerous = [
      'constructor',
      '__proto__',
      'prototype',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
      'process',
      'globalThis',
      'require',
      'eval',
      'Function',
      'this',
      'undefined',
      'NaN',
      'Infinity',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...dangerous), fc.constantFrom('', 'baseline + ', '1 * '), (name, prefix) => {
        const r = evaluateFormula(`${prefix}${name}`, { baseline: 1 });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(['formula.unknown_name', 'formula.bad_name']).toContain(r.key);
        const c = checkFormula(`${prefix}${name}`, ['rate']);
        expect(c.ok).toBe(false);
        const call = parseFormula(`${name}(1)`);
        expect(call.ok).toBe(false);
        if (!call.ok) expect(call.key).toBe('formula.unknown_function');
        // a parameter may be called so (lower-case names only): then it is that parameter's own value, nothing inherited
        if (/^[a-z][a-z0-9_]*$/.test(name)) {
          expect(checkFormula(`${prefix}${name}`, [name]).ok).toBe(true);
          const m = moneyAt(
            { direction: 'up', formula: `${name} * 100`, params: [{ name, default: 3 }] as never, paramValues: {}, baseline: 1, target: 2 },
            2,
          );
          expect(m).toEqual({ ok: true, minor: 300 * 100 });
        } else expect(checkFormula('baseline', [name]).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect([...functions].sort()).toEqual(['max', 'min', 'round']);
    expect(builtinVariables).not.toContain('constructor');
  });
});
