import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerCompiler = Parameters<FastifyInstance['setSerializerCompiler']>[0];

/**
 * Answers written with fast-json-stringify compiled from each route's zod response schema (issue 17, point 4:
 * zod's encode and JSON.stringify were a tenth of the server's CPU under the console's mix). Like zod, it writes
 * only the properties the schema declares — nothing a schema leaves out reaches a client. A schema JSON Schema cannot
 * say is written by zod as before.
 *
 * Under the tests (`KW_CHECK_SERIALIZER`, set by the test set-up) every answer is also written by zod and the two
 * must be the same JSON value, so the whole suite checks the compiled writers against zod's. A mismatch is a 500
 * there, and its message is logged.
 */
export function fastSerializerCompiler(opts: { check?: boolean } = {}): SerializerCompiler {
  return (route) => {
    const viaZod = zodSerializerCompiler(route as never) as (data: unknown) => string;
    const schema = route.schema instanceof z.ZodType ? route.schema : null;
    if (!schema) return viaZod;
    let write: (data: unknown) => string;
    try {
      const json = lenient(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-7' }));
      write = fastJson(json as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
    } catch {
      return viaZod;
    }
    if (!opts.check) return write;
    return (data) => {
      const expected = viaZod(data);
      const got = write(data);
      // the same JSON value (the order of an object's keys aside)
      if (!isDeepStrictEqual(JSON.parse(got), JSON.parse(expected)))
        throw new Error(`the compiled writer of ${route.method} ${route.url} wrote ${got.slice(0, 500)} where zod wrote ${expected.slice(0, 500)}`);
      return got;
    };
  };
}

/**
 * Without `additionalProperties: false`: the writer still writes only the declared properties, but a union's branch is
 * then chosen by what it declares (a record with more fields than a branch names is stripped, as zod strips it,
 * instead of matching no branch).
 */
function lenient(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lenient);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (!(k === 'additionalProperties' && v === false)) out[k] = lenient(v);
  return out;
}
