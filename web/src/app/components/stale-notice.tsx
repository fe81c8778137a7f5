import { useEffect, useRef, useState } from 'react';
import { Alert, Button, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { isStale } from '../../api/client';

/**
 * The one answer to a 412 (someone else changed the record since it was read): the server's words
 * ("林晓燕 于 12-03 14:05 修改了该客户…") and a reload action. The form around it keeps the user's
 * unsaved input: reloading takes the record's new version, so the next save is made deliberately over
 * the other person's change, not by accident.
 */
export function StaleNotice({ message, onReload, reloaded }: { message: string | null; onReload: () => Promise<unknown>; reloaded?: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  if (!message && !reloaded) return null;
  if (!message) return <Alert type="info" showIcon title={t('stale.reloaded')} style={{ marginBottom: 16 }} data-testid="stale-reloaded" />;
  return (
    <Alert
      type="warning"
      showIcon
      title={t('stale.title')}
      description={message}
      style={{ marginBottom: 16 }}
      data-testid="stale-notice"
      action={
        <Button
          size="small"
          type="primary"
          loading={busy}
          data-testid="stale-reload"
          onClick={async () => {
            setBusy(true);
            try {
              await onReload();
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('stale.reload')}
        </Button>
      }
    />
  );
}

/**
 * The version a form is edited from: taken when the form opens (not on every background refetch, which
 * would silently move it past someone else's change), moved on only by a reload or a save.
 */
export function useBaseVersion(open: boolean, current: number | undefined) {
  const [base, setBase] = useState<number | undefined>(current);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open && !wasOpen.current) setBase(current);
    wasOpen.current = open;
  }, [open, current]);
  return [base, setBase] as const;
}

type Values = Record<string, unknown>;
const isPlain = (v: unknown): v is Values =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * After a reload: every field still showing what the form was filled with (`shown`) takes the `fresh`
 * value; a field the user changed keeps their input. (Compared by value, not antd's "touched", which a
 * submit sets on every field.)
 */
export function fillUnchanged(form: FormInstance, shown: Values | null, fresh: Values, path: (string | number)[] = []) {
  for (const [k, v] of Object.entries(fresh)) {
    const name = [...path, k];
    const was = shown?.[k];
    if (isPlain(v) && isPlain(was)) fillUnchanged(form, was, v, name);
    else if (same(form.getFieldValue(name), was)) form.setFieldValue(name, v);
  }
}

/** Whether any field of the form differs from what it was filled with. */
export function editedSince(form: FormInstance, shown: Values | null, path: (string | number)[] = []): boolean {
  if (!shown) return false;
  return Object.entries(shown).some(([k, was]) =>
    isPlain(was) ? editedSince(form, was, [...path, k]) : !same(form.getFieldValue([...path, k]), was),
  );
}

/**
 * A settings form's optimistic concurrency (docs/concurrency.md), for a record read once per page:
 * `version` is the version of what the form shows — taken when the record fills an unedited form, moved
 * on by a save, or by the reload a 412 offers (which refills only the fields the user did not change) —
 * never by a background refetch while the user edits. Send `version` with the save; `saved(record)` after
 * one; `failed(error)` says whether it was the 412 (then `notice` shows StaleNotice).
 */
export function useSettingsVersion<T extends { version: number }>(
  form: FormInstance,
  data: T | undefined,
  refetch: () => Promise<{ data?: T }>,
  toForm: (d: T) => Values = (d) => d as unknown as Values,
) {
  const [version, setVersion] = useState<number | undefined>(data?.version);
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const toFormRef = useRef(toForm);
  toFormRef.current = toForm;
  // what the form was last filled with: a field that still shows it is not the user's edit
  const shown = useRef<Values | null>(null);
  useEffect(() => {
    if (!data || editedSince(form, shown.current)) return;
    shown.current = toFormRef.current(data);
    form.setFieldsValue(shown.current);
    setVersion(data.version);
  }, [data, form]);
  return {
    version,
    saved(d: T) {
      shown.current = toFormRef.current(d);
      form.resetFields();
      form.setFieldsValue(shown.current);
      setVersion(d.version);
      setStale(null);
      setReloaded(false);
    },
    failed(e: unknown): boolean {
      if (!isStale(e)) return false;
      setReloaded(false);
      setStale(e.message);
      return true;
    },
    notice: {
      message: stale,
      reloaded,
      onReload: async () => {
        const r = await refetch();
        if (r.data) {
          const fresh = toFormRef.current(r.data);
          fillUnchanged(form, shown.current, fresh);
          shown.current = fresh;
          setVersion(r.data.version);
        }
        setStale(null);
        setReloaded(true);
      },
    },
  };
}
