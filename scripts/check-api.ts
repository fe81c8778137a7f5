// `npm run check:api` (part of `npm test`): regenerates the web's API contract into a temporary folder
// and fails when the checked-in web/src/api differs, so a route change cannot ship with stale web types.
// Needs neither the network nor a database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_DIR, FILES, generateApi } from './openapi-document.js';

const generated = await generateApi();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-api-'));
const stale: string[] = [];
try {
  for (const [key, name] of Object.entries(FILES) as [keyof typeof FILES, string][]) {
    const fresh = path.join(tmp, name);
    fs.writeFileSync(fresh, generated[key]);
    const checkedIn = path.join(API_DIR, name);
    const current = fs.existsSync(checkedIn) ? fs.readFileSync(checkedIn, 'utf8') : null;
    if (current === null) {
      stale.push(`${checkedIn}: missing`);
    } else if (current !== fs.readFileSync(fresh, 'utf8')) {
      const a = current.split('\n');
      const b = generated[key].split('\n');
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      stale.push(
        `${checkedIn}: differs from line ${i + 1}\n    checked in: ${(a[i] ?? '<end of file>').trim()}\n    generated:  ${(b[i] ?? '<end of file>').trim()}`,
      );
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (stale.length) {
  console.error(`web/src/api is stale: run npm run gen:api\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.log('web/src/api is up to date');
