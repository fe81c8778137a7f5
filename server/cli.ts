// The operator's commands, compiled with the server (dist/cli.js) and run through npm:
//   npm run setup -- --workspace NAME --admin-email EMAIL [...]   first workspace and admin, for scripted installs
//   npm run workspaces -- list | create | suspend | resume | delete  more workspaces (the hosting operator's)
//   node dist/cli.js pglite-template FILE                          the build's migrated, empty PGlite folder
// Exit code 0 on success (also when there was nothing to do), 1 with a message on an error, 2 on bad usage.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { loadConfig } from './config.js';
import { openDatabase, openPglite } from './db/client.js';
import { runOperatorCommand, UsageError } from './operator/commands.js';

async function pgliteTemplate(file: string) {
  const database = await openPglite({});
  await database.migrate();
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const blob = await client.dumpDataDir('gzip');
  fs.writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await database.close();
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'pglite-template') {
    if (!rest[0]) throw new UsageError('usage: cli.js pglite-template FILE');
    await pgliteTemplate(rest[0]);
    return 0;
  }
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    await database.exclusive(() => database.migrate());
    const out = await runOperatorCommand(database.db, { command, args: rest, publicUrl: config.publicUrl }, parseArgs);
    console.log(out);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err instanceof UsageError ? err.message : `error: ${err.message}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
