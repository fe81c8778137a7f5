// `npm run gen:api`: writes the server's OpenAPI document and its generated TypeScript types to
// web/src/api (see scripts/openapi-document.ts). Check both in; `npm run check:api` says when they are stale.
import fs from 'node:fs';
import path from 'node:path';
import { API_DIR, FILES, generateApi } from './openapi-document.js';

const { json, types } = await generateApi();
fs.mkdirSync(API_DIR, { recursive: true });
fs.writeFileSync(path.join(API_DIR, FILES.json), json);
fs.writeFileSync(path.join(API_DIR, FILES.types), types);
console.log(`wrote ${API_DIR}/${FILES.json} and ${API_DIR}/${FILES.types}`);
