import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { useCan } from '../../session';
import { useEnum } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useDeleteSegment, useSaveSegment, useSegments, type Segment, type SegmentInput } from '../../accounts/api';
import { SettingsPage } from './settings-page';
import { fieldValues, SegmentRules, useFieldLabel, useRuleFields } from '../../components/segment-rules';
import { CreateButton } from '../../components/create-button';

function SegmentDrawer({ segment, open, onClose }: { segment: Segment | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SegmentInput>();
  const fields = useRuleFields();
  const m = useSaveSegment(segment?.id);
  const submit = async () => {
    const v = await form.validateFields();
    m.mutate(
      { name: v.name.trim(), description: v.description?.trim() || null, rules: (v.rules ?? []).filter((r) => r.field && r.values?.length) },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
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
      title={segment ? t('settings.segments.edit') : t('settings.segments.create')}
      size={600}
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
      <Form form={form} layout="vertical" preserve={false} initialValues={segment ?? { rules: [{ field: 'tier', values: ['A', 'C'] }] }}>
        <Form.Item name="name" label={t('settings.segments.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="description" label={t('settings.segments.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Typography.Text strong>{t('settings.segments.rules')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('settings.segments.rulesHint')}
        </Typography.Paragraph>
        <SegmentRules form={form} name={['rules']} fields={fields} />
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} style={{ marginTop: 12 }} />}
      </Form>
    </Drawer>
  );
}

export function SegmentsPage() {
  const { t } = useTranslation();
  const label = useEnum();
  const fieldLabel = useFieldLabel();
  const can = useCan();
  const { message } = App.useApp();
  const segments = useSegments();
  const [editing, setEditing] = useState<Segment | null>(null);
  const [open, setOpen] = useState(false);
  const manage = can('segments.manage');
  const del = useDeleteSegment();
  const remove = (segmentId: string) =>
    del.mutate(segmentId, { onSuccess: () => void message.success(t('common.deleted')), onError: (e) => void message.error(errorMessage(e)) });
  const valueLabel = (field: string, v: string) => {
    const g = fieldValues[field]?.group;
    return g ? label(g, v) : v;
  };
  return (
    <SettingsPage
      title={t('settings.segments.title')}
      extra={
        manage && (
          <CreateButton
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
          >
            {t('settings.segments.create')}
          </CreateButton>
        )
      }
    >
      {segments.isPending ? (
        <LoadingState />
      ) : segments.isError ? (
        <ErrorState error={segments.error} onRetry={() => void segments.refetch()} />
      ) : (
        <Table<Segment>
          rowKey="id"
          dataSource={segments.data}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: <EmptyState text={t('settings.segments.empty')} /> }}
          columns={[
            { title: t('settings.segments.name'), dataIndex: 'name', width: 180 },
            {
              title: t('settings.segments.rules'),
              dataIndex: 'rules',
              render: (rules: Segment['rules']) => (
                <Space orientation="vertical" size={2}>
                  {rules.map((r) => (
                    <span key={`${r.field}:${r.values.join(',')}`}>
                      <Typography.Text type="secondary">{fieldLabel(r.field)}:</Typography.Text>{' '}
                      {r.values.map((v) => (
                        <Tag key={v}>{valueLabel(r.field, v)}</Tag>
                      ))}
                    </span>
                  ))}
                </Space>
              ),
            },
            { title: t('settings.segments.description'), dataIndex: 'description', ellipsis: true, render: (v: string | null) => v ?? '—' },
            {
              title: t('common.actions'),
              key: 'a',
              width: 200,
              render: (_, s) => (
                <Space size={0}>
                  <Link to={`/accounts?segmentId=${s.id}`}>
                    <Button type="link" size="small" icon={<UnorderedListOutlined />}>
                      {t('settings.segments.viewAccounts')}
                    </Button>
                  </Link>
                  {manage && (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('common.edit')}
                      onClick={() => {
                        setEditing(s);
                        setOpen(true);
                      }}
                    />
                  )}
                  {manage && (
                    <Popconfirm title={t('common.deleteConfirm')} onConfirm={() => remove(s.id)}>
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      <SegmentDrawer key={editing?.id ?? 'new'} segment={editing} open={open} onClose={() => setOpen(false)} />
    </SettingsPage>
  );
}
