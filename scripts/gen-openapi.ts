// Writes the server's OpenAPI document to web/src/api/openapi.json; `npm run gen:api` then
// generates the typed client's schema (web/src/api/schema.d.ts) from it with openapi-typescript.
import fs from 'node:fs';
import { buildApp } from '../server/app.js';
import { openPglite } from '../server/db/client.js';

const database = await openPglite({});
const app = await buildApp({ database, logLevel: 'silent' });
await app.ready();
fs.mkdirSync('web/src/api', { recursive: true });
fs.writeFileSync('web/src/api/openapi.json', JSON.stringify(app.swagger(), null, 2) + '\n');
await app.close();
await database.close();
console.log('wrote web/src/api/openapi.json');
