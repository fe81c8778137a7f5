/**
 * Types of the API, read from the generated OpenAPI schema (schema.d.ts, `npm run gen:api`) — never
 * written by hand. Each module's `api.ts` names the ones its screens use, e.g.
 *
 *   export type Opportunity = Res<'/api/opportunities/{id}'>;
 *   export type StageBody = Body<'/api/opportunities/{id}/stage', 'post'>;
 *
 * Times are ISO strings (the server's dates serialise so); format them with `format.ts` as before.
 */
import type { paths } from './schema';

export type Path = keyof paths;
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The operation behind a path and method (`never` when the path has no such method). */
type Op<P extends Path, M extends Method> = NonNullable<paths[P][M]>;
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Success<R> = R extends { 200: infer X } ? X : R extends { 201: infer X } ? X : R extends { 202: infer X } ? X : never;

/** Paths that answer the method. */
export type PathWith<M extends Method> = { [P in Path]: [paths[P][M]] extends [undefined] ? never : P }[Path];
export type GetPath = PathWith<'get'>;

/** The JSON a successful call answers with. */
export type Res<P extends Path, M extends Method = 'get'> = Json<Success<Op<P, M>['responses']>>;
/** The JSON body a call takes. */
export type Body<P extends Path, M extends Method> = Json<NonNullable<Op<P, M>['requestBody']>>;
/** The query string a call takes (all of it optional unless the server says otherwise). */
export type QueryOf<P extends Path, M extends Method = 'get'> = NonNullable<Op<P, M>['parameters']['query']>;
/** The path parameters a call takes. */
export type PathParams<P extends Path, M extends Method = 'get'> = Op<P, M>['parameters'] extends { path: infer X } ? X : never;

/** One element of a list type. */
export type Item<T> = T extends readonly (infer U)[] ? U : never;

/** Every error answer has this shape (server/platform/http.ts); the login route's 400 documents it. */
export type ErrorBody = Json<Op<'/api/auth/login', 'post'>['responses'][400]>;
export type FieldError = Item<NonNullable<ErrorBody['fields']>>;
