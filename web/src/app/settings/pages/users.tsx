import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { roles } from '../../domain';
import { useCan, useMe } from '../../session';
import { useEnum, useEnumOptions } from '../../components/labels';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { EmptyState, ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useCreateUser, usePartners, usePatchUser, useUsers, type NewUser, type User, type UserPatch } from '../../people/api';
import { SettingsPage } from './settings-page';

function CreateUserDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const { message } = App.useApp();
  const partners = usePartners();
  const [form] = Form.useForm<NewUser>();
  const role = Form.useWatch('role', form);
  const m = useCreateUser();
  const submit = async () => {
    const v = blankToNull(await form.validateFields());
    m.mutate(
      { ...v, email: v.email.trim(), name: v.name.trim(), channelPartnerId: v.role === 'channel_implementer' ? v.channelPartnerId : null },
      {
        onSuccess: () => {
          message.success(t('settings.users.createdOk'));
          onClose();
        },
        onError: (e) => applyServerErrors(form, e),
      },
    );
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('settings.users.create')}
      size={440}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={m.isPending} onClick={() => void submit()}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'sales' }}>
        <Form.Item name="name" label={t('settings.users.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="email" label={t('settings.users.email')} rules={[{ required: true, type: 'email', message: t('common.required') }]}>
          <Input maxLength={254} autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('settings.users.role')} rules={[{ required: true }]}>
          <Select options={options('role', roles)} />
        </Form.Item>
        {role === 'channel_implementer' && (
          <Form.Item name="channelPartnerId" label={t('settings.users.channelPartner')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
        )}
        <Form.Item name="password" label={t('settings.users.password')} extra={t('settings.users.passwordHint')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="phone" label={t('settings.users.phone')}>
          <Input maxLength={40} />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Drawer>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const label = useEnum();
  const options = useEnumOptions();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const users = useUsers(can('users.read'));
  const partners = usePartners();
  const [creating, setCreating] = useState(false);
  const manage = can('users.manage');
  const patch = usePatchUser();
  const update = (v: UserPatch & { id: string }) =>
    patch.mutate(v, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (e) => void message.error(errorMessage(e)),
    });
  if (!can('users.read')) return <Forbidden />;
  const partnerName = (id?: string | null) => (id ? (partners.data?.find((p) => p.id === id)?.name ?? '—') : '—');
  return (
    <SettingsPage
      title={t('settings.users.title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('settings.users.create')}
          </Button>
        )
      }
    >
      {users.isPending ? (
        <LoadingState />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Table<User>
          rowKey="id"
          size="middle"
          dataSource={users.data}
          scroll={{ x: 860 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { count: n }) }}
          locale={{ emptyText: <EmptyState text={t('settings.users.empty')} /> }}
          columns={[
            { title: t('settings.users.name'), dataIndex: 'name', width: 140, fixed: 'left' },
            { title: t('settings.users.email'), dataIndex: 'email', width: 220, ellipsis: true },
            {
              title: t('settings.users.role'),
              dataIndex: 'role',
              width: 200,
              filters: roles.map((r) => ({ text: label('role', r), value: r })),
              onFilter: (v, u) => u.role === v,
              render: (v: string, u) =>
                manage && u.id !== me.data?.id && v !== 'channel_implementer' ? (
                  <Select
                    size="small"
                    value={v as UserPatch['role']}
                    style={{ width: 180 }}
                    options={options('role', roles.filter((r) => r !== 'channel_implementer'))}
                    onChange={(role: UserPatch['role']) => update({ id: u.id, role })}
                  />
                ) : (
                  <Tag>{label('role', v)}</Tag>
                ),
            },
            { title: t('settings.users.channelPartner'), dataIndex: 'channelPartnerId', width: 140, render: (v: string | null) => partnerName(v) },
            { title: t('settings.users.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
            {
              title: t('settings.users.active'),
              dataIndex: 'active',
              width: 90,
              render: (v: boolean, u) =>
                manage && u.id !== me.data?.id ? (
                  <Switch size="small" checked={v} onChange={(active) => update({ id: u.id, active })} />
                ) : v ? (
                  <Tag color="green">{t('common.active')}</Tag>
                ) : (
                  <Tag>{t('common.inactive')}</Tag>
                ),
            },
          ]}
        />
      )}
      <CreateUserDrawer open={creating} onClose={() => setCreating(false)} />
    </SettingsPage>
  );
}
