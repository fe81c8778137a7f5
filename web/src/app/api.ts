/**
 * A small fetch wrapper for the Keyward API: same-origin cookies, JSON in and out, the CSRF token
 * on every write, and errors as `ApiError` carrying the server's (already localized) message.
 */
export type FieldError = { field: string; message: string; row?: number };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** The app decides what "go to /login" means (it keeps the current page to come back to). */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

function uiLang(): string {
  return typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'zh-CN';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function ensureCsrf(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.ok) {
    const me = (await res.json()) as { csrfToken?: string };
    csrfToken = me.csrfToken ?? null;
  }
  return csrfToken;
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => sp.append(k, String(x)));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; fields?: FieldError[] } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, body.error ?? 'http_' + res.status, body.message ?? res.statusText ?? `HTTP ${res.status}`, body.fields ?? []);
}

type Options = { query?: Query; body?: unknown; form?: FormData; /** do not redirect on 401 (login, me) */ quiet401?: boolean };

export async function request<T>(method: string, path: string, opts: Options = {}): Promise<T> {
  // the server words its messages in the signed-in user's language, else in this header's: keep it the UI's
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': uiLang() };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (UNSAFE.has(method)) {
    const token = await ensureCsrf();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), { method, credentials: 'same-origin', headers, body });
  } catch {
    throw new ApiError(0, 'network', uiLang() === 'en' ? 'Cannot reach the server; check the network and try again.' : '无法连接服务器，请检查网络后重试。');
  }
  if (res.status === 401) {
    csrfToken = null;
    if (!opts.quiet401) onUnauthorized?.();
    throw await toError(res);
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
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

/** The message to show for any error thrown by a query or mutation. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
