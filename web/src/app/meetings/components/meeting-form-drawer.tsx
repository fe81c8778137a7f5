import { useState } from 'react';
import { Alert, App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { fromPicker, pickerNow } from '../../format';
import { ApiError, errorMessage } from '../../../api/client';
import { useAccount, useAccounts } from '../../accounts/api';
import { useUsers } from '../../people/api';
import { useCan } from '../../session';
import { presetRule, useCreateMeeting, type CreateMeetingBody } from '../api';
import { useMt } from './labels';

const causesOf: Record<string, string[]> = {
  key_moment: ['sow_review', 'complaint', 'major_issue'],
  periodic: ['status_review'],
  ad_hoc: ['requirement_change', 'customer_change', 'other'],
};
const oneLine = /^[^\r\n]*$/;

/** Call a meeting: key-moment (iron triangle invited), periodic (bounded recurrence) or ad hoc. */
export function MeetingFormDrawer({
  open,
  onClose,
  accountId,
  accountName,
}: {
  open: boolean;
  onClose: () => void;
  accountId?: string;
  accountName?: string;
}) {
  const { t } = useTranslation();
  const mt = useMt();
  const can = useCan();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [search, setSearch] = useState('');
  const accounts = useAccounts({ q: search || undefined, pageSize: 20, sort: 'name', order: 'asc' });
  const users = useUsers(open);
  const create = useCreateMeeting();
  const kind = Form.useWatch('kind', form) as string | undefined;
  const chosenAccount = Form.useWatch('accountId', form) as string | undefined;
  const kinds = ['ad_hoc', 'key_moment', ...(can('meetings.periodic') ? ['periodic'] : [])];

  async function submit(v: {
    accountId?: string;
    kind: CreateMeetingBody['kind'];
    cause: CreateMeetingBody['cause'];
    title: string;
    agenda?: string;
    location?: string;
    time: [Dayjs, Dayjs];
    attendeeIds?: string[];
    keyPersonIds?: string[];
    preset?: 'semimonthly' | 'monthly' | 'biweekly';
    count?: number;
  }) {
    try {
      const r = await create.mutateAsync({
        accountId: accountId ?? v.accountId!,
        kind: v.kind,
        cause: v.cause,
        title: v.title,
        agenda: v.agenda ?? '',
        location: v.location || null,
        startsAt: fromPicker(v.time[0]),
        endsAt: fromPicker(v.time[1]),
        attendeeIds: v.attendeeIds ?? [],
        keyPersonIds: v.keyPersonIds ?? [],
        rrule: v.kind === 'periodic' ? presetRule(v.preset ?? 'semimonthly', v.count ?? 6) : null,
      });
      message.success(t('common.created'));
      form.resetFields();
      onClose();
      navigate(`/meetings/${r.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length)
        form.setFields(
          e.fields.map((f) => ({
            name: f.field.startsWith('attendeeIds')
              ? 'attendeeIds'
              : f.field.startsWith('keyPersonIds')
                ? 'keyPersonIds'
                : f.field === 'startsAt' || f.field === 'endsAt'
                  ? 'time'
                  : f.field === 'rrule'
                    ? 'count'
                    : f.field,
            errors: [e.message],
          })),
        );
      message.error(errorMessage(e));
    }
  }

  return (
    <Drawer
      title={t('mt.newMeeting')}
      open={open}
      onClose={onClose}
      width={600}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="meeting-submit">
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          kind: 'ad_hoc',
          cause: 'requirement_change',
          // tomorrow 10:00–11:00 in the workspace's zone
          time: [
            pickerNow().add(1, 'day').hour(10).minute(0).second(0).millisecond(0),
            pickerNow().add(1, 'day').hour(11).minute(0).second(0).millisecond(0),
          ],
          preset: 'semimonthly',
          count: 6,
        }}
        onValuesChange={(ch) => {
          if (ch.kind) form.setFieldValue('cause', causesOf[ch.kind][0]);
        }}
      >
        {accountId ? (
          <Form.Item label={t('mt.form.account')}>{accountName}</Form.Item>
        ) : (
          <Form.Item name="accountId" label={t('mt.form.account')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setSearch }}
              loading={accounts.isFetching}
              options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name}（${a.tier}）` }))}
              data-testid="meeting-account"
            />
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item name="kind" label={t('mt.form.kind')}>
            <Select style={{ width: 180 }} options={kinds.map((k) => ({ value: k, label: mt('kind', k) }))} data-testid="meeting-kind" />
          </Form.Item>
          <Form.Item name="cause" label={t('mt.form.cause')}>
            <Select style={{ width: 240 }} options={(causesOf[kind ?? 'ad_hoc'] ?? []).map((c) => ({ value: c, label: mt('cause', c) }))} />
          </Form.Item>
        </Space>
        {kind === 'key_moment' && <Alert type="info" showIcon message={t('mt.form.keyMomentHint')} style={{ marginBottom: 16 }} />}
        <Form.Item
          name="title"
          label={t('mt.form.title')}
          rules={[{ required: true, message: t('common.required') }, { max: 200 }, { pattern: oneLine, message: t('mt.form.oneLine') }]}
        >
          <Input data-testid="meeting-title" />
        </Form.Item>
        <Form.Item name="time" label={t('mt.form.time')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm', minuteStep: 15 }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        {kind === 'periodic' && (
          <Space wrap>
            <Form.Item name="preset" label={t('mt.form.recurrence')}>
              <Select
                style={{ width: 240 }}
                options={(['semimonthly', 'monthly', 'biweekly'] as const).map((p) => ({ value: p, label: t(`mt.form.preset.${p}`) }))}
              />
            </Form.Item>
            <Form.Item name="count" label={t('mt.form.count')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={1} max={60} />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="location" label={t('mt.form.location')} rules={[{ max: 200 }, { pattern: oneLine, message: t('mt.form.oneLine') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="attendeeIds" label={t('mt.form.attendees')}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            loading={users.isPending}
            options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <GuestsField accountId={accountId ?? chosenAccount} />
        <Form.Item name="agenda" label={t('mt.form.agenda')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** The account's key persons with a portal login: they can be invited (ICS, and the meeting in their portal). */
function GuestsField({ accountId }: { accountId?: string }) {
  const { t } = useTranslation();
  const account = useAccount(accountId ?? '', !!accountId);
  const options = (account.data?.contacts ?? []).filter((c) => c.keyPersonId).map((c) => ({ value: c.keyPersonId!, label: c.name }));
  if (!accountId) return null;
  return (
    <Form.Item name="keyPersonIds" label={t('mt.form.guests')} extra={options.length ? t('mt.form.guestsHint') : t('mt.form.guestsNone')}>
      <Select
        mode="multiple"
        optionFilterProp="label"
        loading={account.isPending}
        options={options}
        disabled={!options.length}
        data-testid="meeting-guests"
      />
    </Form.Item>
  );
}
