// Measures the module borders of server/ (ARCHITECTURE rules 10, 11, 13): cycles in the import graph,
// imports of another module's tables, raw SQL on another module's tables, queries per file, restated
// rules and zone literals. `node scripts/measure-borders.mjs [root]` (root: a checkout, default .).
// Cycles come from dependency-cruiser's graph (type imports included); the rest is text matching.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '.');
const rel = (f) => path.relative(root, f);
const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
})(path.join(root, 'server'));
const isTest = (f) => /\.test\.ts$|test-support|\/server\/test\//.test(f);
const isTable = (f) => f.endsWith('.table.ts');
const isDemo = (f) => f.includes('/server/demo/');
const modOf = (f) => (f.includes('/server/modules/') ? f.split('/server/modules/')[1].split('/')[0] : null);
const src = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
const code = files.filter((f) => !isTest(f) && !isDemo(f));

// 1. cycles (strongly connected components of more than one file, or a file importing itself)
const graph = JSON.parse(
  execFileSync(
    'npx',
    [
      'depcruise',
      'server',
      '--no-config',
      '--ts-pre-compilation-deps',
      '--do-not-follow',
      'node_modules',
      '--exclude',
      '\\.test\\.ts$',
      '--output-type',
      'json',
    ],
    { cwd: root, maxBuffer: 1 << 28 },
  ).toString(),
);
const edges = new Map(graph.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved).filter((r) => r.startsWith('server/'))]));
let index = 0;
const idx = new Map(),
  low = new Map(),
  onStack = new Set(),
  stack = [],
  sccs = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1 || (edges.get(v) ?? []).includes(v)) sccs.push(c);
  }
}
for (const v of edges.keys()) if (!idx.has(v)) strong(v);
const moduleEdges = new Set();
for (const [from, tos] of edges)
  for (const to of tos) {
    const a = modOf(`/${from}`),
      b = modOf(`/${to}`);
    if (a && b && a !== b) moduleEdges.add(`${a}->${b}`);
  }
const moduleCycles = [...moduleEdges]
  .filter((e) => {
    const [a, b] = e.split('->');
    return moduleEdges.has(`${b}->${a}`);
  })
  .map((e) => e.split('->').sort().join('<->'));

// 2. another module's tables: imported (from its index.ts or its *.table.ts) outside table files, and named in raw SQL
const tableOwner = {},
  sqlOwner = {};
for (const f of files.filter(isTable)) {
  for (const m of src.get(f).matchAll(/export const (\w+) = pgTable\(\s*'(\w+)'/g)) {
    tableOwner[m[1]] = modOf(f) ?? 'platform';
    sqlOwner[m[2]] = modOf(f) ?? 'platform';
  }
}
const tableImports = [],
  sqlRefs = [],
  tableUses = [];
for (const f of code.filter((f) => modOf(f) && !isTable(f))) {
  const m = modOf(f),
    s = src.get(f);
  for (const im of s.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/g)) {
    const owner = modOf(path.resolve(path.dirname(f), im[2]));
    if (!owner || owner === m) continue;
    const names = im[1]
      .split(',')
      .map((x) => x.trim().split(/\s+as\s+/))
      .filter(([n]) => tableOwner[n] === owner);
    if (names.length) tableImports.push(`${rel(f)} ← ${owner}: ${names.map(([n]) => n).join(', ')}`);
    // every later use of an imported table in the file is one reference
    for (const [n, alias] of names)
      for (let k = (s.match(new RegExp(`\\b${alias ?? n}\\b`, 'g'))?.length ?? 1) - 1; k > 0; k--) tableUses.push({ m, owner, f: rel(f) });
  }
  for (const x of s.matchAll(/\b(?:from|join)\s+(\w+)\b/gi)) {
    const owner = sqlOwner[x[1]];
    if (owner && owner !== m && owner !== 'platform') sqlRefs.push({ m, owner, f: rel(f) });
  }
}
const byPair = (rows) => {
  const p = {};
  for (const r of rows) p[`${r.m}->${r.owner}`] = (p[`${r.m}->${r.owner}`] ?? 0) + 1;
  return p;
};
const outside = sqlRefs.filter((r) => r.m !== 'reporting');

// 3. queries per file (drizzle builder calls on db/tx and raw queryRows/execute)
const queries = (f) =>
  (src.get(f)?.match(/\b(?:db|tx)\s*\.\s*(?:select|insert|update|delete|execute)\b|\bqueryRows\s*(?:<[^(]*?>)?\(/g) ?? []).length;
const at = (p) => path.join(root, p);
const perFile = Object.fromEntries(
  [
    'server/modules/portal/portal.service.ts',
    'server/modules/people/people.service.ts',
    'server/modules/meetings/meetings.jobs.ts',
    'server/modules/workbench/workbench.service.ts',
  ].map((p) => [p, src.has(at(p)) ? queries(at(p)) : null]),
);
const modulesWithQueriesButNoRepo = [...new Set(code.map(modOf).filter(Boolean))].filter((m) => {
  const fs_ = code.filter((f) => modOf(f) === m && !isTable(f));
  return fs_.some((f) => !f.endsWith('.repo.ts') && queries(f) > 0) && !fs_.some((f) => f.endsWith('.repo.ts'));
});
const queriesOutsideRepos = code
  .filter((f) => modOf(f) && !f.endsWith('.repo.ts') && !isTable(f))
  .map((f) => [rel(f), queries(f)])
  .filter(([, n]) => n > 0);

// 4. restated rules and zone literals
const lines = (re, keep = () => true) =>
  code
    .filter(keep)
    .flatMap((f) =>
      src
        .get(f)
        .split('\n')
        .map((l, i) => [f, i + 1, l]),
    )
    .filter(([, , l]) => re.test(l))
    .map(([f, n, l]) => `${rel(f)}:${n}: ${l.trim().slice(0, 140)}`);
const visibility = lines(
  /channel_partner_id\s*(=|is null)|eq\(accounts\.channelPartnerId|role (===|!==) 'channel_implementer'|channelPartnerId !== actor\.channelPartnerId/,
  (f) => !isTable(f),
);
const keyTiers = lines(/\['A', ?'C'\]|\('A', ?'C'\)|=== 'A' \|\| [\w.]+ === 'C'/);
const zones = lines(/['"]Asia\/Shanghai['"]/);
const casts = lines(/job\.payload as\b/);

const out = {
  cycles: { count: sccs.length, filesInCycles: sccs.reduce((n, c) => n + c.length, 0), modulePairs: [...new Set(moduleCycles)] },
  tableImportsAcrossModules: tableImports.length,
  indexFilesExportingTables: files.filter((f) => f.endsWith('/index.ts') && modOf(f) && /table\.js'/.test(src.get(f))).map(rel),
  rawSqlOnOtherModulesTables: { total: sqlRefs.length, outsideReporting: outside.length, pairsOutsideReporting: byPair(outside) },
  readsOfOtherModulesTablesOutsideReporting: (() => {
    const all = [...outside, ...tableUses.filter((r) => r.m !== 'reporting')];
    return { references: all.length, modulePairs: Object.keys(byPair(all)).length };
  })(),
  queriesPerFile: perFile,
  modulesWithQueriesButNoRepo,
  filesWithQueriesOutsideRepos: queriesOutsideRepos.length,
  visibilityClause: visibility.length,
  keyTierRule: keyTiers.length,
  zoneLiterals: zones.length,
  payloadCasts: casts.length,
};
console.log(JSON.stringify(out, null, 2));
if (process.argv.includes('-v'))
  console.log(
    [
      '',
      'cycles:',
      ...sccs.map((c) => c.join(' → ')),
      '',
      'table imports:',
      ...tableImports,
      '',
      'visibility:',
      ...visibility,
      '',
      'key tiers:',
      ...keyTiers,
      '',
      'zones:',
      ...zones,
      '',
      'queries outside repos:',
      ...queriesOutsideRepos.map(([f, n]) => `${f} ${n}`),
    ].join('\n'),
  );
