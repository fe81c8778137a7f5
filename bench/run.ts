// `npm run bench`: every benchmark in turn (never part of npm test). Each reports its figures as
// ratios against the raw SQL for the same answer, measured in the same run.
//   BENCH_DATABASE_URL  PostgreSQL to use (default: the local test database)
//   BENCH_TICKETS       tickets for the breach-scan benchmark (default 1,000,000)
// bench/timeline.ts: the account timeline (a busy account's stream, paged and filtered) against the plain union, both databases.
// `npm run bench -- startup` (bench/startup.ts): first start, restart and idle memory on PGlite beside a bare Fastify + PGlite process.
// Not in the default list: `npm run bench -- scale` (bench/scale.ts, hot paths on a 10M-event workspace) —
// it generates its data first when missing (bench/generate.ts: minutes on PostgreSQL, much longer on PGlite).
// Nor `npm run bench -- search` (bench/search.ts, the global search at 10,000 accounts / 2,000,000 tickets on
// PostgreSQL; builds the database kw_bench_search once, ~5 min, and reuses it).
// `npm run bench -- erp-import` (bench/erp-import.ts, issue 16): a 50,000-row payments CSV through the ERP import
// route against a raw COPY of the same file, on PGlite and PostgreSQL.
// `npm run bench -- queries` (bench/queries.ts, issue 17): statements and CPU per request of the HTTP mix's routes, in-process, PostgreSQL.
// `npm run bench -- routes` (bench/routes.ts): the server's CPU per request, route by route, over real HTTP; `npx tsx bench/profile.ts`: where an in-process mix's CPU goes.
// `npx tsx bench/http-load.ts`: the real server under autocannon, both databases (see docs/performance.md).
// `npm run bench -- outreach` (bench/outreach.ts, issue 18): a campaign to 1,000,000 contacts planned and sent by the real server's job
// runner, the console's HTTP mix measured with and without the send, the cap checked at that size; PostgreSQL.
import { spawnSync } from 'node:child_process';

const benches = process.argv.slice(2).length ? process.argv.slice(2) : ['service-desk', 'value-add', 'health', 'timeline', 'erp-import'];
let failed = 0;
for (const b of benches) {
  console.log(`\n=== bench/${b}.ts`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${b}.ts`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
