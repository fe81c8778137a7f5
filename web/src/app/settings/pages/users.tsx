import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { MailOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { roles } from '../../domain';
import { useCan, useMe } from '../../session';
import { useEnum, useEnumOptions } from '../../components/labels';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { EmptyState, ErrorState, Forbidden, LoadingState } from '../../components/states';
import {
  useCreateUser,
  useInviteUser,
  usePartners,
  usePatchUser,
  useResendInvite,
  useUsers,
  type Invitation,
  type NewUser,
  type User,
  type UserPatch,
} from '../../people/api';
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
        <Form.Item
          name="password"
          label={t('settings.users.password')}
          extra={t('settings.users.passwordHint')}
          rules={[{ required: true, message: t('common.required') }]}
        >
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

/**
 * Invite a colleague by mail: they choose their own password from the link. Sending asks first, since
 * a mail goes to that address.
 */
function InviteUserDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const { message, modal } = App.useApp();
  const partners = usePartners();
  const users = useUsers();
  const [form] = Form.useForm<Invitation>();
  const role = Form.useWatch('role', form);
  const m = useInviteUser();
  const submit = async () => {
    const filled = await form.validateFields().catch(() => null);
    if (!filled) return; // the form shows what is missing
    const v = blankToNull(filled);
    const body: Invitation = {
      email: v.email.trim(),
      name: v.name.trim(),
      role: v.role,
      phone: v.phone ?? null,
      managerId: v.managerId ?? null,
      channelPartnerId: v.role === 'channel_implementer' ? v.channelPartnerId : null,
    };
    modal.confirm({
      title: t('settings.users.inviteConfirmTitle'),
      icon: <MailOutlined />,
      content: t('settings.users.inviteConfirm', { email: body.email, name: body.name }),
      okText: t('settings.users.inviteSend'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'invite-confirm' },
      onOk: () =>
        m.mutateAsync(body).then(
          () => {
            message.success(t('settings.users.inviteSent', { email: body.email }));
            onClose();
          },
          (e) => {
            applyServerErrors(form, e);
          },
        ),
    });
  };
  const managers = (users.data ?? []).filter((u) => u.active && u.role !== 'channel_implementer');
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('settings.users.inviteTitle')}
      size={440}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" icon={<SendOutlined />} loading={m.isPending} onClick={() => void submit()} data-testid="invite-submit">
            {t('settings.users.inviteSend')}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('settings.users.inviteHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'sales' }} data-testid="invite-form">
        <Form.Item name="email" label={t('settings.users.email')} rules={[{ required: true, type: 'email', message: t('login.emailRequired') }]}>
          <Input maxLength={254} autoComplete="off" type="email" data-testid="invite-email" />
        </Form.Item>
        <Form.Item name="name" label={t('settings.users.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} data-testid="invite-name" />
        </Form.Item>
        <Form.Item name="role" label={t('settings.users.role')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={options('role', roles)} data-testid="invite-role" />
        </Form.Item>
        {role === 'channel_implementer' && (
          <Form.Item name="channelPartnerId" label={t('settings.users.channelPartner')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
        )}
        <Form.Item name="managerId" label={t('identity.optional', { label: t('settings.users.manager') })}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={users.isPending}
            options={managers.map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item name="phone" label={t('identity.optional', { label: t('settings.users.phone') })}>
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
  const [inviting, setInviting] = useState(false);
  const manage = can('users.manage');
  const patch = usePatchUser();
  const resend = useResendInvite();
  const update = (v: UserPatch & { id: string }, done?: string) =>
    patch.mutateAsync(v).then(
      () => void message.success(done ?? t('common.saved')),
      (e) => void message.error(errorMessage(e)),
    );
  const resendTo = (u: User) =>
    resend.mutateAsync(u.id).then(
      () => void message.success(t('settings.users.resent')),
      (e) => void message.error(errorMessage(e)),
    );
  if (!can('users.read')) return <Forbidden />;
  const partnerName = (id?: string | null) => (id ? (partners.data?.find((p) => p.id === id)?.name ?? '—') : '—');
  return (
    <SettingsPage
      title={t('settings.users.title')}
      extra={
        manage && (
          <>
            <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('settings.users.createWithPassword')}
            </Button>
            <Button type="primary" icon={<MailOutlined />} onClick={() => setInviting(true)} data-testid="invite-open">
              {t('settings.users.invite')}
            </Button>
          </>
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
          scroll={{ x: 1040 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t('common.total', { count: n }) }}
          locale={{ emptyText: <EmptyState text={t('settings.users.empty')} /> }}
          columns={[
            {
              title: t('settings.users.name'),
              dataIndex: 'name',
              width: 170,
              fixed: 'left',
              render: (v: string, u) => (
                <Flex gap={4} align="center" wrap>
                  {v}
                  {u.invited && (
                    <Tooltip title={t('settings.users.invitedTip')}>
                      <Tag color="gold" data-testid="user-invited">
                        {t('settings.users.invited')}
                      </Tag>
                    </Tooltip>
                  )}
                </Flex>
              ),
            },
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
                    options={options(
                      'role',
                      roles.filter((r) => r !== 'channel_implementer'),
                    )}
                    onChange={(role: UserPatch['role']) => void update({ id: u.id, role })}
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
                  <Popconfirm
                    title={
                      <div style={{ maxWidth: 320 }}>
                        {v ? t('settings.users.deactivateConfirm', { name: u.name }) : t('settings.users.reactivateConfirm', { name: u.name })}
                      </div>
                    }
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: v }}
                    onConfirm={() =>
                      update({ id: u.id, active: !v }, v ? t('settings.users.deactivated', { name: u.name }) : t('settings.users.reactivated'))
                    }
                  >
                    <Switch size="small" checked={v} aria-label={t('settings.users.active')} />
                  </Popconfirm>
                ) : v ? (
                  <Tag color="green">{t('common.active')}</Tag>
                ) : (
                  <Tag>{t('common.inactive')}</Tag>
                ),
            },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 150,
                    fixed: 'right' as const,
                    render: (_: unknown, u: User) =>
                      u.invited && u.active ? (
                        <Popconfirm
                          title={<div style={{ maxWidth: 320 }}>{t('settings.users.resendConfirm', { email: u.email })}</div>}
                          okText={t('settings.users.inviteSend')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => resendTo(u)}
                        >
                          <Button type="link" size="small" icon={<SendOutlined />} data-testid="user-resend">
                            {t('settings.users.resend')}
                          </Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
      <CreateUserDrawer open={creating} onClose={() => setCreating(false)} />
      <InviteUserDrawer open={inviting} onClose={() => setInviting(false)} />
    </SettingsPage>
  );
}
