// `npm start` runs compiled JavaScript, not a TypeScript loader: this builds what is missing or older
// than its sources, then returns. Run by `npm start`, the browser journeys and the ops drills.
//   web/dist/        the console and portal bundles (Vite)
//   dist/main.js     the server, bundled by esbuild with every npm package left external
//   dist/cli.js      the operator's commands (`npm run setup`, `npm run workspaces`)
//   dist/migrations/ the SQL migrations the server applies at start (read beside the bundle)
//   dist/pglite-template.tar.gz  a migrated, empty PGlite folder: a first start loads it instead of initdb
// `node scripts/build.mjs --force` rebuilds everything.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}
const stale = (output, inputs) =>
  force || !fs.existsSync(output) || fs.statSync(output).mtimeMs < Math.max(...inputs.map((i) => newest(path.join(root, i))));

const webOut = path.join(root, 'web/dist/index.html');
if (stale(webOut, ['web/src', 'web/index.html', 'web/portal.html', 'web/vite.config.ts', 'package-lock.json'])) {
  console.log('Building the web console (first start or changed sources)…');
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { cwd: root, stdio: 'inherit' });
}

const serverOut = path.join(root, 'dist/main.js');
const cliOut = path.join(root, 'dist/cli.js');
const serverInputs = ['server', 'package-lock.json', 'scripts/build.mjs'];
const hasCli = fs.existsSync(path.join(root, 'server/cli.ts'));
if (stale(serverOut, serverInputs) || (hasCli && stale(cliOut, serverInputs))) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const outdir = path.join(root, 'dist');
  fs.rmSync(path.join(outdir, 'migrations'), { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: hasCli ? { main: 'server/main.ts', cli: 'server/cli.ts' } : { main: 'server/main.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    // bundled ESM has no require(); a few CommonJS dependencies call it through esbuild's shim
    banner: { js: "import { createRequire as __kwCreateRequire } from 'node:module'; const require = __kwCreateRequire(import.meta.url);" },
  });
  fs.cpSync(path.join(root, 'server/db/migrations'), path.join(outdir, 'migrations'), { recursive: true });
  console.log(`Built the server into dist/ in ${Date.now() - started} ms`);
}

// the migrated, empty PGlite folder a first start loads instead of initdb + every migration (db/client.ts)
const template = path.join(root, 'dist/pglite-template.tar.gz');
if (stale(template, ['server/db/migrations', 'package-lock.json'])) {
  const started = Date.now();
  execSync(`node dist/cli.js pglite-template ${JSON.stringify(template)}`, { cwd: root, stdio: 'inherit' });
  console.log(`Made the empty database template in ${Date.now() - started} ms`);
}
