// Fixtures shared by the route/integration tests of every module (not shipped code).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Client } from './harness.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Asserts the status (showing the body when it differs) and returns the JSON body, or {} when there is none. */
export function expectStatus(res: LightMyRequestResponse, code: number): Json {
  expect(res.statusCode, `${res.statusCode} ${res.body.slice(0, 500)}`).toBe(code);
  return (res.body && res.headers['content-type']?.toString().includes('json') ? res.json() : {}) as Json;
}

let n = 0;
export const uniq = (p = '客户') => `${p}-${++n}-${Math.random().toString(36).slice(2, 6)}`;

/** An account of the wanted tier: created by sales, then the tier set by a manager (override) if the model graded it otherwise. */
export async function makeAccount(sales: Client, manager: Client, tier: 'A' | 'B' | 'C' | 'D', body: Json = {}): Promise<Json> {
  const a = expectStatus(await sales.post('/api/accounts', { name: uniq(), industry: '制造', region: '华东', ...body }), 201);
  if (a.tier !== tier) {
    const o = expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier, reason: '测试：设定分级' }), 200);
    expect(o.tier).toBe(tier);
    return o;
  }
  return a;
}

export const yuan = (v: number) => Math.round(v * 100);

export type UploadFile = { name: string; type: string; data: Buffer | string };

/** A multipart/form-data body with one file part (named `file` unless said otherwise). */
export function multipartBody(file: UploadFile, field = 'file'): { payload: Buffer; contentType: string } {
  const boundary = `----kwtest${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), Buffer.from(file.data), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads one file as a signed-in client (cookie and CSRF header). */
export function uploadFile(app: FastifyInstance, c: Client, url: string, file: UploadFile, opts: { lang?: string; field?: string } = {}) {
  const m = multipartBody(file, opts.field);
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'accept-language': opts.lang ?? 'en', 'content-type': m.contentType },
    payload: m.payload,
  });
}
