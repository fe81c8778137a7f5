import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { applyServerErrors } from '../../components/forms';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../format';
import { type Robot, type RobotPlatform, robotPlatforms, useCreateRobot, useDeleteRobot, useRobots, useTestRobot, useUpdateRobot } from '../api';

const platformColor: Record<RobotPlatform, string> = { wecom: 'green', dingtalk: 'blue', feishu: 'cyan' };

type RobotForm = { platform: RobotPlatform; name: string; webhookUrl?: string; secret?: string; enabled: boolean };

/** The robots of the workspace (accountId null) or of one account's iron-triangle group: list, add, edit, test, delete. */
export function RobotsPanel({ accountId, compact = false }: { accountId: string | null; compact?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useRobots(accountId);
  const update = useUpdateRobot(accountId);
  const remove = useDeleteRobot(accountId);
  const test = useTestRobot(accountId);
  const [editing, setEditing] = useState<Robot | 'new' | null>(null);
  const platformLabel = (p: RobotPlatform) => t(`ch.platform.${p}`);

  const sendTest = (r: Robot) =>
    test.mutate(r.id, {
      onSuccess: (res) => (res.ok ? void message.success(t('ch.testOk')) : void message.error(res.message)),
      onError: (e) => void message.error(errorMessage(e)),
    });

  if (q.isPending) return <LoadingState rows={compact ? 3 : 5} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data.items;

  return (
    <>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} gap={12}>
        <Typography.Text type="secondary">{accountId ? t('ch.accountIntro') : t('ch.intro')}</Typography.Text>
        <Button type="primary" size={compact ? 'small' : 'middle'} icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="robot-add">
          {t('ch.add')}
        </Button>
      </Flex>
      {items.length === 0 ? (
        <EmptyState
          text={accountId ? t('ch.emptyAccount') : t('ch.empty')}
          action={
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('ch.add')}
            </Button>
          }
        />
      ) : (
        <Table<Robot>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={items}
          scroll={{ x: compact ? undefined : 900 }}
          columns={[
            {
              title: t('ch.name'),
              key: 'name',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <span>
                    <Tag color={platformColor[r.platform]}>{platformLabel(r.platform)}</Tag>
                    {r.name}
                  </span>
                  {!compact && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.webhookHint}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('ch.status'),
              key: 'enabled',
              width: 90,
              render: (_, r) => (
                <Switch
                  size="small"
                  checked={r.enabled}
                  loading={update.isPending && update.variables?.id === r.id}
                  aria-label={t('ch.enabled')}
                  onChange={(enabled) => update.mutate({ id: r.id, body: { enabled } }, { onError: (e) => void message.error(errorMessage(e)) })}
                />
              ),
            },
            {
              title: `${t('ch.lastSuccess')} / ${t('ch.lastFailure')}`,
              key: 'last',
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type="success" style={{ fontSize: 12 }}>
                    {t('ch.lastSuccess')}：{r.lastSuccessAt ? formatDateTime(r.lastSuccessAt) : t('ch.never')}
                  </Typography.Text>
                  {r.lastFailureAt && r.lastFailure && (
                    <Tooltip title={r.lastFailure.message}>
                      <Typography.Text type="danger" style={{ fontSize: 12 }}>
                        {t('ch.lastFailure')}：{formatDateTime(r.lastFailureAt)} · {r.lastFailure.message}
                      </Typography.Text>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: compact ? 120 : 230,
              render: (_, r) => (
                <Space size={4} wrap>
                  <Popconfirm
                    title={t('ch.test')}
                    description={<div style={{ maxWidth: 320 }}>{t('ch.testConfirm', { name: r.name, platform: platformLabel(r.platform) })}</div>}
                    okText={t('ch.test')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => sendTest(r)}
                  >
                    <Button size="small" icon={<SendOutlined />} loading={test.isPending && test.variables === r.id} data-testid="robot-test">
                      {compact ? null : t('ch.test')}
                    </Button>
                  </Popconfirm>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('ch.edit')}>
                    {compact ? null : t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('common.delete')}
                    description={t('ch.deleteConfirm', { name: r.name })}
                    okText={t('common.delete')}
                    okButtonProps={{ danger: true }}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      remove.mutate(r.id, {
                        onSuccess: () => void message.success(t('ch.deleted')),
                        onError: (e) => void message.error(errorMessage(e)),
                      })
                    }
                  >
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing && <RobotDrawer accountId={accountId} robot={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RobotDrawer({ accountId, robot, onClose }: { accountId: string | null; robot: Robot | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RobotForm>();
  const create = useCreateRobot(accountId);
  const update = useUpdateRobot(accountId);
  const platform = (Form.useWatch('platform', form) ?? robot?.platform ?? 'wecom') as RobotPlatform;
  const [error, setError] = useState<string | null>(null);

  const submit = async (clearSecret = false) => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    const secret = v.secret?.trim() ? v.secret.trim() : undefined;
    const done = {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (e: unknown) => setError(applyServerErrors(form, e)),
    };
    if (robot)
      update.mutate(
        {
          id: robot.id,
          body: {
            name: v.name.trim(),
            enabled: v.enabled,
            ...(v.webhookUrl?.trim() ? { webhookUrl: v.webhookUrl.trim() } : {}),
            ...(clearSecret ? { secret: null } : secret ? { secret } : {}),
          },
        },
        done,
      );
    else
      create.mutate(
        { platform: v.platform, name: v.name.trim(), webhookUrl: (v.webhookUrl ?? '').trim(), secret: secret ?? null, enabled: v.enabled },
        done,
      );
  };

  return (
    <Drawer
      open
      width={520}
      title={robot ? t('ch.edit') : t('ch.add')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void submit()} data-testid="robot-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<RobotForm>
        form={form}
        layout="vertical"
        initialValues={{ platform: robot?.platform ?? 'wecom', name: robot?.name ?? '', webhookUrl: '', secret: '', enabled: robot?.enabled ?? true }}
      >
        <Form.Item name="platform" label={t('ch.platformLabel')} rules={[{ required: true, message: t('common.required') }]}>
          <Select disabled={!!robot} options={robotPlatforms.map((p) => ({ value: p, label: t(`ch.platform.${p}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('ch.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={60} placeholder={t('ch.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="webhookUrl"
          label={t('ch.webhookUrl')}
          extra={robot ? t('ch.webhookKeep', { hint: robot.webhookHint }) : t(`ch.webhookHint.${platform}`)}
          rules={robot ? [] : [{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={2000} spellCheck={false} autoComplete="off" />
        </Form.Item>
        {platform === 'wecom' ? (
          <Typography.Paragraph type="secondary">{t('ch.secretNone')}</Typography.Paragraph>
        ) : (
          <Form.Item
            name="secret"
            label={t('ch.secret')}
            extra={robot?.secretHint ? t('ch.secretKeep', { hint: robot.secretHint }) : t('ch.secretHint')}
          >
            <Input.Password maxLength={200} autoComplete="new-password" />
          </Form.Item>
        )}
        {robot?.secretSet && platform !== 'wecom' && (
          <Popconfirm title={t('ch.removeSecret')} onConfirm={() => void submit(true)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
            <Button size="small" danger style={{ marginBottom: 16 }}>
              {t('ch.removeSecret')}
            </Button>
          </Popconfirm>
        )}
        <Form.Item name="enabled" label={t('ch.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('ch.operatorNote')}
        </Typography.Paragraph>
      </Form>
    </Drawer>
  );
}
