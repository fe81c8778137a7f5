// The house rules of ARCHITECTURE.md, held by a tool: `npm run lint:deps` (part of `npm test`).
// A rule that fails means the code crossed a border: fix the code, not the rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules react through events, not calls: the import graph has no cycle (type-only imports included).',
      from: { path: '^(server|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'module-through-index',
      severity: 'error',
      comment:
        "A module is used only through its index.ts. Table files may reference other modules' table files for foreign keys; " +
        "tests may read other modules' tables to check what a change stored.",
      from: { path: '^server/modules/([^/]+)/', pathNot: ['\\.table\\.ts$', '\\.domain\\.ts$', '\\.test\\.ts$', '\\.test-support\\.ts$'] },
      to: { path: '^server/modules/([^/]+)/', pathNot: ['^server/modules/$1/', '^server/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'domain-shares-only-domain',
      severity: 'error',
      comment:
        "A pure rule may use another module's pure vocabulary (e.g. the key tiers) from its *.domain.ts directly — an index.ts would drag " +
        'services and I/O into a pure file — and nothing else of that module.',
      from: { path: '^server/modules/([^/]+)/.+\\.domain\\.ts$' },
      to: { path: '^server/modules/([^/]+)/', pathNot: ['^server/modules/$1/', '\\.domain\\.ts$'] },
    },
    {
      name: 'table-files-only-reference-tables',
      severity: 'error',
      comment: 'A table file may reach into another module only for its table files (foreign keys).',
      from: { path: '^server/modules/([^/]+)/.+\\.table\\.ts$' },
      to: { path: '^server/modules/([^/]+)/', pathNot: ['^server/modules/$1/', '\\.table\\.ts$'] },
    },
    {
      name: 'tables-are-private',
      severity: 'error',
      comment: 'index.ts exports use cases and types, never tables: other modules read through use cases.',
      from: { path: '^server/modules/[^/]+/index\\.ts$' },
      to: { path: '\\.table\\.ts$' },
    },
    {
      name: 'only-reporting-reads-every-table',
      severity: 'error',
      comment:
        'db/schema.ts re-exports every table. Only the reporting module (the read-everything dashboards and scorecards), ' +
        'the db layer, the demo seed and tests/benches may import it.',
      from: {
        pathNot: [
          '^server/modules/reporting/',
          '^server/db/',
          '^server/demo/',
          '\\.test\\.ts$',
          '^server/test/',
          '^bench/',
          '^ops/',
          '^scripts/',
          '^drizzle\\.config\\.ts$',
        ],
      },
      to: { path: '^server/db/schema\\.ts$' },
    },
    {
      name: 'outside-modules-through-index',
      severity: 'error',
      comment:
        'The app, platform and jobs reach a module only through its index.ts (platform may read the identity tables it authenticates against).',
      from: {
        path: '^server/',
        pathNot: ['^server/modules/', '^server/db/', '^server/demo/', '^server/test/', '^server/security/', '\\.test\\.ts$'],
      },
      to: { path: '^server/modules/[^/]+/', pathNot: ['^server/modules/[^/]+/index\\.ts$', '^server/modules/(people|accounts)/\\1\\.table\\.ts$'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: '*.domain.ts is pure: no database, HTTP, file system, network, clock-owning services or other I/O.',
      from: { path: '\\.domain\\.ts$' },
      to: {
        pathNot: [
          '\\.domain\\.ts$',
          '\\.data\\.ts$',
          '^server/platform/(errors|i18n|permissions|time|cells)\\.ts$',
          '^node_modules/(zod|luxon|rrule|ics|sanitize-html)/',
          '^crypto$', // hashing and HMAC only: deterministic, no randomness
        ],
      },
    },
    {
      name: 'platform-below-modules',
      severity: 'error',
      comment: 'platform/ is cross-cutting and carries no business rules: it does not call modules.',
      from: { path: '^server/platform/', pathNot: ['\\.test\\.ts$'] },
      to: { path: '^server/modules/', pathNot: ['^server/modules/(people|accounts)/\\1\\.table\\.ts$'] },
    },
    {
      name: 'web-not-server',
      severity: 'error',
      comment: 'The web apps never import server code; they use the types generated from the OpenAPI document (web/src/api).',
      from: { path: '^web/' },
      to: { path: '^(server|scripts|bench|ops)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^web/dist/', '^node_modules/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
