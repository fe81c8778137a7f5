import { useState } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { formatDate, formatDateTime, formatMoney, toMinor } from '../../format';
import { ErrorState, LoadingState } from '../../components/states';
import { useUsers } from '../../people/api';
import { useMe } from '../../session';
import { useBook, useBookingPreview } from '../api';

type Values = { dueOn?: Dayjs | null; ownerId?: string; note?: string; promised?: number | null };

/**
 * Booking a service product (UX.md: money confirms first): date, owner and note; what it draws from the budget
 * (remaining before → after) or that it needs approval; a warning when the same item was booked for this account
 * this quarter; and an explicit confirmation saying what will happen before anything is spent.
 */
export function BookingDrawer({
  accountId,
  accountName,
  itemId,
  onClose,
}: {
  accountId: string;
  accountName?: string;
  itemId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const me = useMe();
  const users = useUsers(!!itemId);
  const preview = useBookingPreview(accountId, itemId);
  const book = useBook(accountId);
  const [form] = Form.useForm<Values>();
  const [confirming, setConfirming] = useState<Values | null>(null);
  const p = preview.data;
  const money = (m: number | null | undefined) => formatMoney(m, locale, p?.currency);

  const close = () => {
    setConfirming(null);
    form.resetFields();
    onClose();
  };
  const submit = async (v: Values) => {
    if (!itemId) return;
    try {
      const r = await book.mutateAsync({
        catalogItemId: itemId,
        ownerId: v.ownerId ?? null,
        dueOn: v.dueOn ? v.dueOn.format('YYYY-MM-DD') : null,
        note: v.note?.trim() || null,
        promisedValueMinor: p?.pricing === 'paid' ? toMinor(v.promised ?? 0) : null,
      });
      message.success(r.booking.status === 'pending_approval' ? t('fd.booking.pending') : t('fd.booking.done'));
      close();
    } catch (e) {
      setConfirming(null);
      message.error(errorMessage(e));
    }
  };

  return (
    <Drawer
      open={!!itemId}
      onClose={close}
      width={520}
      title={p ? t('fd.booking.title', { name: p.name }) : t('va.tab.book')}
      destroyOnHidden
      data-testid="booking-drawer"
      extra={
        <Button
          type="primary"
          disabled={!p || p.outcome === 'refused'}
          onClick={() => void form.validateFields().then((v) => setConfirming(v))}
          data-testid="booking-confirm"
        >
          {t('fd.booking.confirm')}
        </Button>
      }
    >
      {preview.isPending ? (
        <LoadingState rows={6} />
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      ) : p ? (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('fd.booking.cost')}>
              <Typography.Text strong data-testid="booking-cost">
                {money(p.amountMinor)}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.pricing === 'paid' ? t('fd.booking.costPaid') : t('fd.booking.costFree')}
                </Typography.Text>
              </div>
            </Descriptions.Item>
            {p.remainingBeforeMinor != null && (
              <Descriptions.Item label={t('fd.booking.remainingBefore')}>{money(p.remainingBeforeMinor)}</Descriptions.Item>
            )}
            {p.remainingAfterMinor != null && p.outcome === 'draw' && (
              <Descriptions.Item label={t('fd.booking.remainingAfter')}>
                <span data-testid="booking-remaining-after">{money(p.remainingAfterMinor)}</span>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Alert
            type={p.outcome === 'refused' ? 'error' : p.outcome === 'needs_approval' ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 12 }}
            title={t(`fd.booking.outcome.${p.outcome}`)}
            description={p.reason ?? undefined}
            data-testid="booking-outcome"
          />
          {p.sameQuarter.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="booking-duplicate"
              title={t('fd.booking.duplicate', { count: p.sameQuarter.length, from: formatDate(p.quarterFrom) })}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {p.sameQuarter.map((b) => (
                    <li key={b.bookingId}>
                      {t('fd.booking.duplicateItem', {
                        at: formatDateTime(b.createdAt),
                        who: b.requestedBy ?? '',
                        status: t(`va.bookingStatus.${b.status}` as 'va.bookingStatus.booked', { defaultValue: b.status }),
                        amount: money(b.amountMinor),
                      })}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
          <Form<Values> form={form} layout="vertical" initialValues={{ ownerId: me.data?.id }} disabled={p.outcome === 'refused'}>
            <Form.Item name="dueOn" label={t('fd.booking.dueOn')}>
              <DatePicker style={{ width: '100%' }} data-testid="booking-due" />
            </Form.Item>
            <Form.Item name="ownerId" label={t('fd.booking.owner')}>
              <Select
                showSearch
                optionFilterProp="label"
                loading={users.isPending}
                options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
                data-testid="booking-owner"
              />
            </Form.Item>
            {p.pricing === 'paid' && (
              <Form.Item name="promised" label={t('fd.booking.promised')} rules={[{ required: true, message: t('fd.booking.promisedRequired') }]}>
                <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            )}
            <Form.Item name="note" label={t('fd.booking.note')}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </Form>
        </>
      ) : null}
      <Modal
        open={!!confirming && !!p}
        title={p?.outcome === 'draw' ? t('fd.booking.confirmTitle') : t('fd.booking.confirm')}
        onCancel={() => setConfirming(null)}
        footer={
          <Space>
            <Button onClick={() => setConfirming(null)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={book.isPending} onClick={() => confirming && void submit(confirming)} data-testid="booking-confirm-ok">
              {t('fd.booking.confirm')}
            </Button>
          </Space>
        }
      >
        {p && (
          <>
            <Typography.Paragraph>
              {t('fd.booking.confirmBody', { account: accountName ?? '', name: p.name, amount: money(p.amountMinor) })}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t(`fd.booking.outcome.${p.outcome}`)}</Typography.Paragraph>
            {p.outcome === 'draw' && (
              <Typography.Paragraph>
                {t('fd.booking.remainingBefore')} {money(p.remainingBeforeMinor)} → {t('fd.booking.remainingAfter')} {money(p.remainingAfterMinor)}
              </Typography.Paragraph>
            )}
            {p.sameQuarter.length > 0 && <Alert type="warning" showIcon title={t('fd.booking.confirmDuplicate')} />}
          </>
        )}
      </Modal>
    </Drawer>
  );
}
