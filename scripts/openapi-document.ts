// The web's typed contract, generated from the server's routes: the OpenAPI document (openapi.json) and
// its TypeScript types (schema.d.ts, by openapi-typescript). `npm run gen:api` writes them to web/src/api;
// `npm run check:api` regenerates them and fails when the checked-in copies differ.
//
// Deterministic on purpose: the app is built without a database (route registration never queries; a
// query would throw here), keys keep the routes' registration order, and nothing reads the clock,
// the environment or the machine.
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { buildApp } from '../server/app.js';
import type { Database } from '../server/db/client.js';

export const API_DIR = 'web/src/api';
export const FILES = { json: 'openapi.json', types: 'schema.d.ts' } as const;

/** A database that is never opened: building the app only closes over it. */
function noDatabase(): Database {
  const refuse = new Proxy(
    {},
    {
      get(_t, prop) {
        throw new Error(`the OpenAPI document is generated without a database (something read db.${String(prop)} while building the app)`);
      },
    },
  );
  return {
    db: refuse as Database['db'],
    kind: 'pglite',
    migrate: async () => undefined,
    exclusive: (fn) => fn(),
    close: async () => undefined,
  };
}

export type Generated = { json: string; types: string };

export async function generateApi(): Promise<Generated> {
  const app = await buildApp({ database: noDatabase(), logLevel: 'silent', webDist: null, publicUrl: 'http://127.0.0.1:3000' });
  try {
    await app.ready();
    const json = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    const ast = await openapiTS(JSON.parse(json), { silent: true });
    return { json, types: COMMENT_HEADER + astToString(ast) };
  } finally {
    await app.close();
  }
}
