import type { Locale } from './i18n.js';
import { hasMessage, translate } from './i18n.js';

export type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'precondition_failed'
  | 'precondition_required'
  | 'rate_limited'
  | 'payload_too_large';

export const httpStatus: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** well-formed and valid, but cannot be done as asked (an idempotency key reused for another request) */
  unprocessable: 422,
  /** an update made from a version that is no longer the record's (If-Match / body version stale) */
  precondition_failed: 412,
  /** the console sent an update without the version it was made from */
  precondition_required: 428,
  payload_too_large: 413,
  rate_limited: 429,
};

export type FieldError = { field: string; message: string; row?: number };

/**
 * An expected failure a user can act on. `key` names a message in the server catalog (i18n.ts);
 * it is rendered in the request's language when the error is sent.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(`${code}: ${key}`);
  }
  render(locale: Locale): { error: ErrorCode; message: string; fields?: FieldError[] } {
    return {
      error: this.code,
      message: translate(locale, this.key, this.params),
      // a field's message may be a catalog key (rules return keys): the user reads words, not keys
      ...(this.fields.length
        ? { fields: this.fields.map((f) => (hasMessage(f.message) ? { ...f, message: translate(locale, f.message, this.params) } : f)) }
        : {}),
    };
  }
}

export const invalid = (key: string, params?: Record<string, string | number>, fields?: FieldError[]) => new AppError('invalid', key, params, fields);
export const notFound = (what: string) => new AppError('not_found', 'error.not_found', { what });
export const forbidden = () => new AppError('forbidden', 'error.forbidden');
export const conflict = (key: string, params?: Record<string, string | number>) => new AppError('conflict', key, params);

/** A rule in a *.domain.ts returns this instead of throwing. */
export type RuleResult<T> = { ok: true; value: T } | { ok: false; key: string; params?: Record<string, string | number>; field?: string };
export const ok = <T>(value: T): RuleResult<T> => ({ ok: true, value });
export const fail = (key: string, params?: Record<string, string | number>, field?: string): RuleResult<never> => ({
  ok: false,
  key,
  params,
  field,
});

/** Turns a refused rule into the error the HTTP layer sends (400 by default, or 409 for state conflicts). */
export function unwrap<T>(r: RuleResult<T>, code: ErrorCode = 'invalid'): T {
  if (r.ok) return r.value;
  throw new AppError(code, r.key, r.params ?? {}, r.field ? [{ field: r.field, message: r.key }] : []);
}
