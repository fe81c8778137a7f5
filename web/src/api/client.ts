/**
 * The one client both web apps (console and portal) call the Keyward API with: openapi-fetch typed by the
 * generated schema (`npm run gen:api`), plus what every call needs — same-origin cookies, the UI's
 * language, the CSRF token on every write, an `Idempotency-Key` on every POST (so the server runs a
 * submit once even if it arrives twice), and failures as `ApiError` carrying the server's (already
 * localized) message and field problems.
 *
 *   const opp = await call(client.GET('/api/opportunities/{id}', { params: { path: { id } } }));
 *
 * Components do not call it directly: each module's `api.ts` wraps it in query and mutation hooks.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import type { ErrorBody, FieldError, GetPath, PathParams, QueryOf, Res } from './types';

export type { FieldError } from './types';

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

/** The app decides what "go to /login" means (the console keeps the current page to come back to). */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn;
}

function uiLang(): 'en' | 'zh-CN' {
  return typeof document !== 'undefined' && document.documentElement.lang === 'en' ? 'en' : 'zh-CN';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `a=1&b=x&b=y`: empty, null and undefined values are left out; arrays repeat the key. */
export function toSearch(query: Record<string, unknown> | undefined): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) sp.append(k, String(x));
    else sp.append(k, String(v));
  }
  return sp.toString();
}

export const client = createClient<paths>({ credentials: 'same-origin', querySerializer: toSearch });

async function ensureCsrf(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  const { data } = await client.GET('/api/auth/me');
  csrfToken = data?.csrfToken ?? null;
  return csrfToken;
}

/**
 * A fresh idempotency key. `crypto.randomUUID` exists only in secure contexts (https, localhost): over
 * plain http on an office network the same version-4 UUID is made from `crypto.getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const networkError = () =>
  new ApiError(0, 'network', uiLang() === 'en' ? 'Cannot reach the server; check the network and try again.' : '无法连接服务器，请检查网络后重试。');
/**
 * Optimistic concurrency (server/platform/concurrency.ts): the ETag of each GET/PATCH/PUT answer is kept
 * per URL, and a PATCH/PUT to that URL sends it as `If-Match` — unless the body names the `version` it was
 * made from, which a module passes where the record came from a list or a form captured it on opening
 * (the more exact of the two: a background refetch moves the URL's ETag on, not the form's version).
 * Every request says it is the console/portal (`X-KW-Client`), so the server refuses (428) an update that
 * names no version instead of silently applying it over someone else's change.
 */
const etags = new Map<string, string>();
const urlKey = (url: string) => {
  const u = new URL(url, 'http://x');
  return u.pathname;
};
/** Forget what was read (sign-out). */
export function forgetEtags() {
  etags.clear();
}

async function bodyNamesVersion(request: Request): Promise<boolean> {
  if (!(request.headers.get('content-type') ?? '').includes('json')) return false;
  try {
    const body = JSON.parse(await request.clone().text()) as unknown;
    return !!body && typeof body === 'object' && typeof (body as { version?: unknown }).version === 'number';
  } catch {
    return false;
  }
}

const session: Middleware = {
  async onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    request.headers.set('x-kw-client', 'console');
    if ((request.method === 'PATCH' || request.method === 'PUT') && !request.headers.has('if-match')) {
      const tag = etags.get(urlKey(request.url));
      if (tag && !(await bodyNamesVersion(request))) request.headers.set('if-match', tag);
    }
    // the server words its messages in the signed-in user's language, else in this header's: keep it the UI's
    request.headers.set('accept-language', uiLang());
    if (UNSAFE.has(request.method)) {
      const token = await ensureCsrf();
      if (token) request.headers.set('x-csrf-token', token);
    }
    // one key per call (this runs once per call; a caller retrying the same submit may pass its own key)
    if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', newIdempotencyKey());
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401) {
      csrfToken = null;
      etags.clear();
    }
    const tag = response.headers.get('etag');
    if (response.ok && tag && ['GET', 'PATCH', 'PUT'].includes(request.method)) etags.set(urlKey(request.url), tag);
  },
  onError() {
    return networkError();
  },
};
client.use(session);

function toApiError(response: Pick<Response, 'status' | 'statusText'>, body: unknown): ApiError {
  const b: Partial<ErrorBody> = body && typeof body === 'object' ? (body as Partial<ErrorBody>) : {};
  return new ApiError(
    response.status,
    b.error ?? `http_${response.status}`,
    b.message ?? response.statusText ?? `HTTP ${response.status}`,
    b.fields ?? [],
  );
}

export type CallOptions = { /** do not go to the sign-in page on 401 (signing in, asking who is signed in) */ quiet401?: boolean };

/**
 * The data of a successful answer, typed from the OpenAPI document; anything else throws an `ApiError`
 * (a 401 first hands over to the unauthorized handler unless `quiet401`).
 */
export async function call<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>, opts: CallOptions = {}): Promise<D> {
  const { data, error, response } = await pending;
  if (response.ok) return data as D;
  if (response.status === 401 && !opts.quiet401) onUnauthorized?.();
  throw toApiError(response, error);
}

/** Endpoints that take one file as multipart form data (the document does not describe such bodies). */
export type UploadPath =
  | '/api/accounts/import'
  | '/api/contacts/import'
  | '/api/tickets/{id}/attachments'
  | '/api/portal/tickets/{id}/attachments'
  | '/api/accounts/{id}/value/actuals/import'
  | '/api/commerce/import/contracts'
  | '/api/commerce/import/plan-items'
  | '/api/commerce/import/payments'
  | '/api/commerce/import/time-entries'
  | '/api/outreach/people-import';

/** A multipart upload of one file; the answer is typed from the document. */
export function upload<P extends UploadPath>(
  path: P,
  params: { path?: PathParams<P, 'post'>; query?: QueryOf<P, 'post'> },
  file: File,
  field = 'file',
): Promise<Res<P, 'post'>> {
  const form = new FormData();
  form.append(field, file);
  // openapi-fetch sends FormData as is (the browser sets the multipart boundary)
  const post = client.POST as unknown as (p: string, init: object) => Promise<{ data?: Res<P, 'post'>; error?: unknown; response: Response }>;
  return call(post(path, { params, body: form, bodySerializer: (b: FormData) => b }));
}

/**
 * The same upload, reporting the bytes sent as they go (fetch cannot): for large files (the ERP import). Sends what
 * every call sends (language, CSRF token, idempotency key) and fails with the same `ApiError`.
 */
export async function uploadWithProgress<P extends Exclude<UploadPath, `${string}{id}${string}`>>(
  path: P,
  file: File,
  onProgress: (sent: number, total: number) => void,
  field = 'file',
): Promise<Res<P, 'post'>> {
  const token = await ensureCsrf();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', uiLang());
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.setRequestHeader('idempotency-key', newIdempotencyKey());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as Res<P, 'post'>);
      if (xhr.status === 401) {
        csrfToken = null;
        onUnauthorized?.();
      }
      reject(toApiError({ status: xhr.status, statusText: xhr.statusText }, body));
    };
    xhr.onerror = () => reject(networkError());
    const form = new FormData();
    form.append(field, file);
    xhr.send(form);
  });
}

/** The address of a file the browser downloads itself (CSV/XLSX exports, PDFs, attachments), from a typed GET path. */
export function fileUrl<P extends GetPath>(path: P, params: { path?: PathParams<P>; query?: QueryOf<P> } = {}): string {
  const values = (params.path ?? {}) as Record<string, string>;
  const filled = path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? ''));
  const search = toSearch(params.query as Record<string, unknown> | undefined);
  return search ? `${filled}?${search}` : filled;
}

/** The field problems the server named (none for anything but an `ApiError`). */
export function fieldErrors(e: unknown): FieldError[] {
  return e instanceof ApiError ? e.fields : [];
}

/** The message to show for any error thrown by a query or mutation. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Someone else changed the record since it was read (412): the console offers to reload it (StaleNotice). */
export function isStale(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 412;
}
