/**
 * Transitional: the old untyped `api.get/post/…` calls, now sent through the typed client in web/src/api
 * (same CSRF, language, errors and 401 handling). Modules move to typed hooks one by one; this file goes
 * when the last one has.
 */
import { call, client, toSearch } from '../api/client';

export { ApiError, errorMessage, setCsrfToken, setUnauthorizedHandler, type FieldError } from '../api/client';

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export function withQuery(path: string, query?: Query): string {
  const s = toSearch(query);
  return s ? `${path}?${s}` : path;
}

type Options = { query?: Query; body?: unknown; form?: FormData; /** do not redirect on 401 (login, me) */ quiet401?: boolean };

export function request<T>(method: string, path: string, opts: Options = {}): Promise<T> {
  const init = { params: { query: opts.query }, body: opts.form ?? opts.body, ...(opts.form ? { bodySerializer: (b: FormData) => b } : {}) };
  const send = client.request as unknown as (m: string, p: string, i: object) => Promise<{ data?: T; error?: unknown; response: Response }>;
  return call(send(method.toLowerCase(), path, init), { quiet401: opts.quiet401 });
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<Options, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<Options, 'body'>) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, file: File, field = 'file') => {
    const form = new FormData();
    form.append(field, file);
    return request<T>('POST', path, { form });
  },
};
