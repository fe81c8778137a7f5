// A small, safe expression language for monetisation formulas, evaluated exactly.
//
// Why our own parser rather than expr-eval/mathjs: the language we need is tiny (numbers, + - * / ( ),
// named parameters, min/max/round), and owning it lets us (1) never reach a JS object or global —
// names are looked up in a Map, so `constructor`, `__proto__`, `process` are simply unknown names;
// (2) bound everything (length, depth, digits, magnitude) so no input can hang or blow memory; and
// (3) compute with exact rationals (BigInt numerator/denominator), so money rounds to the fen
// exactly: 0.1 + 0.2 is 3/10, and the only rounding is the one we ask for. expr-eval has had
// prototype-pollution and code-injection advisories; mathjs is large and reaches far more than this.
//
// Grammar:   expr   := term (('+' | '-') term)*
//            term   := unary (('*' | '/') unary)*
//            unary  := ('-' | '+') unary | primary
//            primary:= NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const MAX_FORMULA_LENGTH = 500;
export const MAX_DEPTH = 30;
const MAX_NUMBER_DIGITS = 15;
/** Results (and parameters) beyond ±1e13 are refused: money of that size in fen would exceed 2^53. */
const MAX_MAGNITUDE = 10n ** 13n;
/** Intermediate values may not grow beyond this many bits (bounded work, no huge exponents). */
const MAX_BITS = 2048;

export const functions = ['min', 'max', 'round'] as const;
type FnName = (typeof functions)[number];

export type Node =
  | { t: 'num'; v: Rational }
  | { t: 'name'; name: string }
  | { t: 'neg'; x: Node }
  | { t: 'bin'; op: '+' | '-' | '*' | '/'; l: Node; r: Node }
  | { t: 'call'; fn: FnName; args: Node[] };

// ---- exact rationals

export type Rational = { n: bigint; d: bigint }; // d > 0, gcd(n, d) = 1

const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function rat(n: bigint, d: bigint = 1n): Rational {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const bits = (x: bigint) => abs(x).toString(2).length;
const add = (a: Rational, b: Rational) => rat(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Rational, b: Rational) => rat(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Rational, b: Rational) => rat(a.n * b.n, a.d * b.d);
const cmp = (a: Rational, b: Rational) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};

/** Rounds half away from zero to an integer: the rule for fen (and for round()). */
export function roundHalfAwayFromZero(x: Rational): bigint {
  const q = abs(x.n) / x.d;
  const r = abs(x.n) % x.d;
  const up = 2n * r >= x.d ? q + 1n : q;
  return x.n < 0n ? -up : up;
}

/** A decimal text ("12.5", "-3", "1.2e3") to an exact rational; null for anything else. */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = BigInt(int + frac);
  const e = Number(exp) - frac.length;
  if (Math.abs(e) > 40) return null;
  const r = e >= 0 ? rat(digits * 10n ** BigInt(e)) : rat(digits, 10n ** BigInt(-e));
  return sign === '-' ? rat(-r.n, r.d) : r;
}

/** A JS number (a measured value or a parameter) as the exact decimal it prints as. */
export function fromNumber(x: number): Rational | null {
  if (!Number.isFinite(x)) return null;
  return parseDecimal(String(x));
}

export function toNumber(x: Rational): number {
  return Number(x.n) / Number(x.d);
}

// ---- tokens and parsing

type Token = { k: 'num'; v: Rational; at: number } | { k: 'name'; v: string; at: number } | { k: 'op'; v: string; at: number };

export type FormulaError = { key: string; params: Record<string, string | number> };
const err = (key: string, params: Record<string, string | number> = {}): FormulaError => ({ key, params });

function tokenize(src: string): Token[] | FormulaError {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ((c >= '0' && c <= '9') || (c === '.' && /\d/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) return err('formula.bad_number', { text: c, at: i + 1 });
      const text = m[0];
      const mantissa = text.split(/[eE]/)[0].replace('.', '').replace(/^0+/, '');
      const value = parseDecimal(text.startsWith('.') ? `0${text}` : text);
      if (!value || mantissa.length > MAX_NUMBER_DIGITS || (value.n !== 0n && (bits(value.n) > 64 || bits(value.d) > 64)))
        return err('formula.bad_number', { text, at: i + 1 });
      out.push({ k: 'num', v: value, at: i });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      if (name.length > 40) return err('formula.bad_name', { name: name.slice(0, 40), at: i + 1 });
      out.push({ k: 'name', v: name, at: i });
      i += name.length;
      continue;
    }
    if ('+-*/(),'.includes(c)) {
      out.push({ k: 'op', v: c, at: i });
      i++;
      continue;
    }
    return err('formula.bad_char', { char: c, at: i + 1 });
  }
  return out;
}

/** Parses a formula into a tree; refuses anything outside the grammar with where it went wrong. */
export function parseFormula(src: string): RuleResult<Node> {
  if (typeof src !== 'string' || !src.trim()) return fail('formula.empty', {}, 'formula');
  if (src.length > MAX_FORMULA_LENGTH) return fail('formula.too_long', { max: MAX_FORMULA_LENGTH }, 'formula');
  const lexed = tokenize(src);
  if (!Array.isArray(lexed)) return fail(lexed.key, lexed.params, 'formula');
  const tokens: Token[] = lexed;
  let pos = 0;
  let problem: FormulaError | null = null;
  const peek = () => tokens[pos];
  const at = () => (tokens[pos]?.at ?? src.length) + 1;
  const isOp = (v: string) => peek()?.k === 'op' && peek()!.v === v;

  function expr(depth: number): Node | null {
    if (depth > MAX_DEPTH) {
      problem ??= err('formula.too_deep', { max: MAX_DEPTH });
      return null;
    }
    let l = term(depth);
    while (l && (isOp('+') || isOp('-'))) {
      const op = tokens[pos++].v as '+' | '-';
      const r = term(depth);
      if (!r) return null;
      l = { t: 'bin', op, l, r };
    }
    return l;
  }
  function term(depth: number): Node | null {
    let l = unary(depth);
    while (l && (isOp('*') || isOp('/'))) {
      const op = tokens[pos++].v as '*' | '/';
      const r = unary(depth);
      if (!r) return null;
      l = { t: 'bin', op, l, r };
    }
    return l;
  }
  function unary(depth: number): Node | null {
    if (depth > MAX_DEPTH) {
      problem ??= err('formula.too_deep', { max: MAX_DEPTH });
      return null;
    }
    if (isOp('-') || isOp('+')) {
      const neg = tokens[pos++].v === '-';
      const x = unary(depth + 1);
      return x && (neg ? { t: 'neg', x } : x);
    }
    return primary(depth);
  }
  function primary(depth: number): Node | null {
    const tok = peek();
    if (!tok) {
      problem ??= err('formula.unexpected_end');
      return null;
    }
    if (tok.k === 'num') {
      pos++;
      return { t: 'num', v: tok.v };
    }
    if (tok.k === 'name') {
      pos++;
      if (isOp('(')) {
        if (!(functions as readonly string[]).includes(tok.v)) {
          problem ??= err('formula.unknown_function', { name: tok.v, allowed: functions.join(', ') });
          return null;
        }
        pos++;
        const args: Node[] = [];
        if (!isOp(')')) {
          for (;;) {
            const a = expr(depth + 1);
            if (!a) return null;
            args.push(a);
            if (isOp(',')) {
              pos++;
              continue;
            }
            break;
          }
        }
        if (!isOp(')')) {
          problem ??= err('formula.expected', { what: ')', at: at() });
          return null;
        }
        pos++;
        const fn = tok.v as FnName;
        const arity = fn === 'round' ? args.length >= 1 && args.length <= 2 : args.length >= 1 && args.length <= 20;
        if (!arity) {
          problem ??= err('formula.arity', { name: fn });
          return null;
        }
        return { t: 'call', fn, args };
      }
      return { t: 'name', name: tok.v };
    }
    if (tok.v === '(') {
      pos++;
      const x = expr(depth + 1);
      if (!x) return null;
      if (!isOp(')')) {
        problem ??= err('formula.expected', { what: ')', at: at() });
        return null;
      }
      pos++;
      return x;
    }
    problem ??= err('formula.unexpected', { text: tok.v, at: tok.at + 1 });
    return null;
  }

  const tree = expr(0);
  if (!tree || problem) {
    const p: FormulaError = problem ?? err('formula.unexpected_end');
    return fail(p.key, p.params, 'formula');
  }
  if (pos < tokens.length) {
    const t = tokens[pos];
    return fail('formula.unexpected', { text: String(t.k === 'num' ? 'number' : t.v), at: t.at + 1 }, 'formula');
  }
  return ok(tree);
}

/** The names a formula reads (parameters and the built-in variables). */
export function namesIn(node: Node, into = new Set<string>()): Set<string> {
  switch (node.t) {
    case 'name':
      into.add(node.name);
      break;
    case 'neg':
      namesIn(node.x, into);
      break;
    case 'bin':
      namesIn(node.l, into);
      namesIn(node.r, into);
      break;
    case 'call':
      for (const a of node.args) namesIn(a, into);
      break;
  }
  return into;
}

/** Variables every monetisation formula may read besides its own parameters. */
export const builtinVariables = ['baseline', 'target', 'actual', 'improvement'] as const;
const PARAM_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Checks a formula against the names it may use: its parameters and the built-in variables. */
export function checkFormula(src: string, paramNames: string[]): RuleResult<Node> {
  for (const p of paramNames) {
    if (!PARAM_NAME.test(p) || (builtinVariables as readonly string[]).includes(p) || (functions as readonly string[]).includes(p)) {
      return fail('formula.bad_param_name', { name: p }, 'params');
    }
  }
  const tree = parseFormula(src);
  if (!tree.ok) return tree;
  const allowed = new Set<string>([...builtinVariables, ...paramNames]);
  const unknown = [...namesIn(tree.value)].filter((n) => !allowed.has(n));
  if (unknown.length) return fail('formula.unknown_name', { names: unknown.join(', '), allowed: [...allowed].join(', ') }, 'formula');
  return ok(tree.value);
}

/** Evaluates exactly; unknown names, division by zero and runaway sizes are reported, not computed. */
export function evaluate(node: Node, vars: ReadonlyMap<string, Rational>): RuleResult<Rational> {
  let problem: FormulaError | null = null;
  function ev(n: Node): Rational | null {
    if (problem) return null;
    switch (n.t) {
      case 'num':
        return n.v;
      case 'name': {
        const v = vars.get(n.name);
        if (!v) problem = err('formula.unknown_name', { names: n.name, allowed: [...vars.keys()].join(', ') });
        return v ?? null;
      }
      case 'neg': {
        const x = ev(n.x);
        return x && rat(-x.n, x.d);
      }
      case 'bin': {
        const l = ev(n.l);
        const r = ev(n.r);
        if (!l || !r) return null;
        let out: Rational;
        if (n.op === '+') out = add(l, r);
        else if (n.op === '-') out = sub(l, r);
        else if (n.op === '*') out = mul(l, r);
        else {
          if (r.n === 0n) {
            problem = err('formula.division_by_zero');
            return null;
          }
          out = rat(l.n * r.d, l.d * r.n);
        }
        if (bits(out.n) > MAX_BITS || bits(out.d) > MAX_BITS) {
          problem = err('formula.not_finite');
          return null;
        }
        return out;
      }
      case 'call': {
        const args: Rational[] = [];
        for (const a of n.args) {
          const v = ev(a);
          if (!v) return null;
          args.push(v);
        }
        if (n.fn === 'min') return args.reduce((a, b) => (cmp(a, b) <= 0 ? a : b));
        if (n.fn === 'max') return args.reduce((a, b) => (cmp(a, b) >= 0 ? a : b));
        // round(x) or round(x, places) with 0..6 places, half away from zero
        const places = args[1] ? args[1] : rat(0n);
        if (places.d !== 1n || places.n < 0n || places.n > 6n) {
          problem = err('formula.round_places');
          return null;
        }
        const scale = 10n ** places.n;
        return rat(roundHalfAwayFromZero(mul(args[0], rat(scale))), scale);
      }
    }
  }
  const v = ev(node);
  if (!v || problem) {
    const p: FormulaError = problem ?? err('formula.not_finite');
    return fail(p.key, p.params, 'formula');
  }
  if (abs(v.n) > MAX_MAGNITUDE * v.d) return fail('formula.not_finite', {}, 'formula');
  return ok(v);
}

/** Yuan (an exact rational) to fen, rounded half away from zero at the fen — the one rounding. */
export function yuanToFen(yuan: Rational): number {
  return Number(roundHalfAwayFromZero(mul(yuan, rat(100n))));
}

/** Convenience for tests and previews: parse, check names, evaluate with plain numbers. */
export function evaluateFormula(src: string, values: Record<string, number>): RuleResult<Rational> {
  const tree = parseFormula(src);
  if (!tree.ok) return tree;
  const vars = new Map<string, Rational>();
  for (const [k, v] of Object.entries(values)) {
    const r = fromNumber(v);
    if (!r) return fail('formula.not_finite', {}, k);
    vars.set(k, r);
  }
  return evaluate(tree.value, vars);
}

const builtinWords: Record<(typeof builtinVariables)[number], { 'zh-CN': string; en: string }> = {
  baseline: { 'zh-CN': '基线值', en: 'baseline' },
  target: { 'zh-CN': '目标值', en: 'target' },
  actual: { 'zh-CN': '实际值', en: 'actual value' },
  improvement: { 'zh-CN': '改善幅度', en: 'improvement' },
};
const fnWords: Record<FnName, { 'zh-CN': string; en: string }> = {
  min: { 'zh-CN': '取较小值', en: 'the smaller of' },
  max: { 'zh-CN': '取较大值', en: 'the larger of' },
  round: { 'zh-CN': '取整', en: 'rounded' },
};

/**
 * A formula as a customer reads it: every name in words (a parameter's label, the built-in variables'
 * names), `×` and `÷` for `*` and `/` — never the formula's code (`improvement * visit_cost`).
 */
export function formulaInWords(src: string, paramLabels: Record<string, string>, locale: 'zh-CN' | 'en'): string {
  return src
    .replace(/[A-Za-z_][A-Za-z0-9_]*/g, (name) => {
      if (name in paramLabels) return paramLabels[name];
      if (name in builtinWords) return builtinWords[name as keyof typeof builtinWords][locale];
      if (name in fnWords) return fnWords[name as FnName][locale];
      return locale === 'en' ? 'a parameter' : '参数';
    })
    .replace(/\s*\*\s*/g, ' × ')
    .replace(/\s*\/\s*/g, ' ÷ ')
    .replace(/\s+/g, ' ')
    .trim();
}
