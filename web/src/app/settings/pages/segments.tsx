import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { ladders, stages, tiers, toCStages } from '../../domain';
import { useCan, useMe } from '../../session';
import { useEnum, type EnumGroup } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useDeleteSegment, useSaveSegment, useSegments, useTags, type Segment, type SegmentInput } from '../../accounts/api';
import { SettingsPage } from './settings-page';
import { CreateButton } from '../../components/create-button';

/** What each rule field may hold; free-text fields take any value (typed as tags). */
const fieldValues: Record<string, { group?: EnumGroup; values?: readonly string[] }> = {
  tier: { group: 'tier', values: tiers },
  stage: { group: 'stage', values: stages },
  toCStage: { group: 'toCStage', values: toCStages },
  ladder: { group: 'ladder', values: ladders },
  channel: { group: 'channel', values: ['direct', 'channel'] },
  industry: {},
  region: {},
  tag: {},
};

function useFieldLabel() {
  const { t } = useTranslation();
  const label = useEnum();
  return (f: string) => (f === 'toCStage' ? t('settings.segments.toCStage') : label('segmentField', f));
}

function RuleValues({ field, value, onChange }: { field?: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const label = useEnum();
  const tags = useTags();
  const spec = field ? fieldValues[field] : undefined;
  const options = spec?.values
    ? spec.values.map((v) => ({ value: v, label: label(spec.group!, v) }))
    : field === 'tag'
      ? (tags.data ?? []).map((x) => ({ value: x, label: x }))
      : [];
  return (
    <Select
      mode={spec?.values ? 'multiple' : 'tags'}
      value={value}
      onChange={onChange}
      options={options}
      style={{ minWidth: 220, flex: 1 }}
      disabled={!field}
    />
  );
}

function SegmentDrawer({ segment, open, onClose }: { segment: Segment | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<SegmentInput>();
  const fields = Object.keys(fieldValues).filter((f) => f !== 'toCStage' || me.data?.workspace.customerModel !== 'to_b');
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
        <Form.List
          name="rules"
          rules={[{ validator: async (_, rules) => (rules?.length ? undefined : Promise.reject(new Error(t('settings.segments.needRule')))) }]}
        >
          {(items, { add, remove }, { errors }) => (
            <>
              {items.map((item) => (
                <Flex key={item.key} gap={8} align="baseline" wrap>
                  <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('common.required') }]} style={{ width: 140 }}>
                    <Select
                      options={fields.map((f) => ({ value: f, label: fieldLabel(f) }))}
                      onChange={() => form.setFieldValue(['rules', item.name, 'values'], [])}
                      placeholder={t('settings.segments.field')}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() => (
                      <Form.Item
                        name={[item.name, 'values']}
                        rules={[{ required: true, message: t('common.required') }]}
                        style={{ flex: 1, minWidth: 220 }}
                      >
                        <RuleValues field={form.getFieldValue(['rules', item.name, 'field'])} />
                      </Form.Item>
                    )}
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(item.name)} aria-label={t('common.delete')} />
                </Flex>
              ))}
              <Button type="dashed" onClick={() => add({ field: undefined, values: [] })} icon={<PlusOutlined />} block>
                {t('settings.segments.addRule')}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
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
