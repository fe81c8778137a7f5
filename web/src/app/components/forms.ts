import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';

/** Puts the server's field errors next to the fields they belong to; returns the general message. */
export function applyServerErrors(form: FormInstance, e: unknown, map: Record<string, string | (string | number)[]> = {}): string {
  if (e instanceof ApiError && e.fields.length) {
    const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
    const fieldErrors = e.fields
      .map((f) => ({ name: map[f.field] ?? f.field, errors: [e.message] }))
      .filter((f) => (Array.isArray(f.name) ? true : known.has(f.name)));
    if (fieldErrors.length) form.setFields(fieldErrors.map((f) => ({ name: f.name as never, errors: f.errors })));
  }
  return e instanceof Error ? e.message : String(e);
}

/** Empty strings from inputs become null for the API. */
export function blankToNull<T extends Record<string, unknown>>(v: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' && x.trim() === '' ? null : x;
  return out as T;
}
