import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastSerializerCompiler } from './serializer.js';

const compile = (schema: z.ZodType, check = false) =>
  fastSerializerCompiler({ check })({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never) as (d: unknown) => string;

describe('the compiled answer writers', () => {
  const Person = z.object({ id: z.string(), name: z.string(), at: z.date(), note: z.string().nullable(), age: z.number().optional() });
  const Answer = z.object({
    person: Person,
    items: z.array(Person),
    byKey: z.record(z.string(), z.object({ n: z.number() })),
    either: z.union([z.object({ kind: z.literal('a'), a: z.string() }), z.object({ kind: z.literal('b'), b: z.number() })]),
    words: z.object({ 'zh-CN': z.string(), en: z.string() }),
  });
  const at = new Date('2026-12-04T10:00:00.000Z');
  const secret = { passwordHash: 'x', workspaceId: 'w' };
  const data = {
    person: { id: '1', name: '周明', at, note: null, ...secret },
    items: [{ id: '2', name: 'Li', at, note: 'n', age: 3, ...secret }],
    byKey: { k: { n: 1, ...secret } },
    either: { kind: 'b', b: 2, ...secret },
    words: { 'zh-CN': '好', en: 'good', ...secret },
    ...secret,
  };

  it('write only what the schema declares, at every depth, as zod does', () => {
    const got = JSON.parse(compile(Answer)(data));
    expect(got).toEqual(JSON.parse(JSON.stringify(Answer.parse(data))));
    expect(JSON.stringify(got)).not.toContain('passwordHash');
    expect(JSON.stringify(got)).not.toContain('workspaceId');
    expect(got.person.at).toBe('2026-12-04T10:00:00.000Z');
    expect(got.items[0]).not.toHaveProperty('passwordHash');
  });

  it('in the checked mode (the tests) the answer is the same and a difference is an error', () => {
    expect(JSON.parse(compile(Answer, true)(data))).toEqual(JSON.parse(JSON.stringify(Answer.parse(data))));
    // an answer zod refuses is refused in both modes' zod pass
    expect(() => compile(Answer, true)({ ...data, person: { ...data.person, name: 5 } })).toThrow();
  });
});
