import { useEffect, useRef, useState } from 'react';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';

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
