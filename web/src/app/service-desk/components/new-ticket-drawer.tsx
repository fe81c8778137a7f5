import { useState } from 'react';
import { App, Button, Checkbox, Drawer, Form, Input, Select, Space } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../../api/client';
import { useAccounts } from '../../accounts/api';
import { useCreateTicket, type NewTicket } from '../api';
import { useSd } from './labels';

const kinds = ['product_issue', 'expert_request', 'customisation', 'complaint', 'new_need'];
const severities = ['critical', 'high', 'medium', 'low'];
const channels = ['phone', 'email', 'meeting', 'portal', 'staff'];

/** Opens a ticket on behalf of a customer (phone, email, meeting); the server dispatches it and says why. */
export function NewTicketDrawer({
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
  const { t, i18n } = useTranslation();
  const sd = useSd();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [search, setSearch] = useState('');
  const accounts = useAccounts({ q: search || undefined, pageSize: 20, sort: 'name', order: 'asc' });
  const create = useCreateTicket();

  async function submit(values: NewTicket) {
    try {
      const r = await create.mutateAsync({ ...values, accountId: accountId ?? values.accountId });
      message.success(r.dispatchReason[i18n.language === 'en' ? 'en' : 'zh-CN'], 6);
      form.resetFields();
      onClose();
      navigate(`/service-desk/tickets/${r.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) form.setFields(e.fields.map((f) => ({ name: f.field, errors: [f.message] })));
      message.error(errorMessage(e));
    }
  }

  return (
    <Drawer
      title={t('sd.newTicket')}
      open={open}
      onClose={onClose}
      width={560}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="ticket-submit">
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'product_issue', severity: 'medium', channel: 'phone' }}>
        {accountId ? (
          <Form.Item label={t('sd.fields.account')}>{accountName}</Form.Item>
        ) : (
          <Form.Item name="accountId" label={t('sd.fields.account')} rules={[{ required: true, message: t('common.required') }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setSearch }}
              loading={accounts.isFetching}
              options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name}（${a.tier}）` }))}
              data-testid="ticket-account"
            />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('sd.fields.title')} rules={[{ required: true, message: t('common.required') }, { max: 200 }]}>
          <Input data-testid="ticket-title" />
        </Form.Item>
        <Form.Item name="description" label={t('sd.fields.description')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.TextArea rows={4} data-testid="ticket-description" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={t('sd.fields.kind')}>
            <Select style={{ width: 150 }} options={kinds.map((k) => ({ value: k, label: sd('kind', k) }))} />
          </Form.Item>
          <Form.Item name="severity" label={t('sd.fields.severity')}>
            <Select style={{ width: 110 }} options={severities.map((k) => ({ value: k, label: sd('severity', k) }))} />
          </Form.Item>
          <Form.Item name="channel" label={t('sd.fields.channel')}>
            <Select style={{ width: 130 }} options={channels.map((k) => ({ value: k, label: sd('channel', k) }))} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="product" label={t('sd.fields.product')}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="contractNo" label={t('sd.fields.contractNo')}>
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Form.Item name="major" valuePropName="checked">
          <Checkbox>{t('sd.fields.major')}</Checkbox>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
