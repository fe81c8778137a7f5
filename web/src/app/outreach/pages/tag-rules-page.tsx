// 标签规则 / Tag rules: tags (and stage moves) from what people do, listed, edited and run now (issue 18 point 1).
import { App, Button, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStale } from '../../../api/client';
import { formatDateTime } from '../../format';
import { applyServerErrors } from '../../components/forms';
import { useEnum, useEnumOptions } from '../../components/labels';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { ruleKinds, toCStages, useDeleteRule, useRunRules, useSaveRule, useTagRules, type RuleInput, type TagRule } from '../people-api';

export function TagRulesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const label = useEnum();
  const { message } = App.useApp();
  const rules = useTagRules();
  const run = useRunRules();
  const del = useDeleteRule();
  const [editing, setEditing] = useState<TagRule | 'new' | null>(null);
  const manage = can('outreach.manage');
  return (
    <>
      <PageHeader
        title={t('op.rules.title')}
        sub={t('op.rules.sub')}
        extra={
          manage ? (
            <Flex gap={8}>
              <Button
                loading={run.isPending}
                onClick={() =>
                  run.mutateAsync().then(
                    (r) => message.success(t('op.rules.ran', r)),
                    (e) => message.error(errorMessage(e)),
                  )
                }
                data-testid="rules-run"
              >
                {t('op.rules.run')}
              </Button>
              <Button type="primary" onClick={() => setEditing('new')} data-testid="rules-add">
                {t('op.rules.add')}
              </Button>
            </Flex>
          ) : undefined
        }
      />
      <div className="kw-content">
        <Typography.Paragraph type="secondary">{t('op.rules.nightly')}</Typography.Paragraph>
        {rules.isPending ? (
          <LoadingState rows={4} />
        ) : rules.isError ? (
          <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <Table<TagRule>
            rowKey="id"
            size="middle"
            dataSource={rules.data}
            locale={{ emptyText: t('op.rules.empty') }}
            pagination={false}
            data-testid="tag-rules"
            columns={[
              { title: t('op.rules.col.name'), dataIndex: 'name' },
              {
                title: t('op.rules.col.when'),
                key: 'when',
                render: (_: unknown, r) => t('op.rules.when', { days: r.days, count: r.minCount, kind: t(`op.kind.${r.kind}`) }),
              },
              { title: t('op.rules.col.tag'), dataIndex: 'tag', render: (v: string) => <Tag color="green">{v}</Tag> },
              {
                title: t('op.rules.col.stage'),
                dataIndex: 'stage',
                render: (s: TagRule['stage']) => (s ? label('toCStage', s) : t('op.rules.noStage')),
              },
              { title: t('op.rules.col.enabled'), dataIndex: 'enabled', render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
              {
                title: t('op.rules.col.lastRunAt'),
                dataIndex: 'lastRunAt',
                render: (v: string | null) => (v ? formatDateTime(v) : t('op.rules.never')),
              },
              ...(manage
                ? [
                    {
                      key: 'actions',
                      render: (_: unknown, r: TagRule) => (
                        <Flex gap={4}>
                          <Button size="small" type="link" onClick={() => setEditing(r)}>
                            {t('common.edit')}
                          </Button>
                          <Popconfirm
                            title={t('op.rules.deleteConfirm', { name: r.name })}
                            onConfirm={() => del.mutateAsync({ id: r.id, version: r.version }).catch((e) => message.error(errorMessage(e)))}
                          >
                            <Button size="small" type="link" danger>
                              {t('op.rules.delete')}
                            </Button>
                          </Popconfirm>
                        </Flex>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </div>
      {editing && <RuleModal rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RuleModal({ rule, onClose }: { rule: TagRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const { message } = App.useApp();
  const save = useSaveRule();
  const [form] = Form.useForm<RuleInput>();
  const submit = async (v: RuleInput) => {
    try {
      await save.mutateAsync({ ...v, stage: v.stage ?? null, ...(rule ? { id: rule.id, version: rule.version } : {}) });
      onClose();
    } catch (e) {
      if (isStale(e)) message.error(errorMessage(e));
      else applyServerErrors(form, e);
    }
  };
  return (
    <Modal
      open
      title={rule ? t('op.rules.edit') : t('op.rules.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={rule ?? { kind: 'portal_views', minCount: 3, days: 30, enabled: true, stage: null }}
        onFinish={(v) => void submit(v)}
        data-testid="rule-form"
      >
        <Form.Item name="name" label={t('op.rules.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('op.rules.kind')} rules={[{ required: true }]}>
          <Select options={ruleKinds.map((k) => ({ value: k, label: t(`op.kind.${k}`) }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="minCount" label={t('op.rules.minCount')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10_000} precision={0} />
          </Form.Item>
          <Form.Item name="days" label={t('op.rules.days')} rules={[{ required: true }]}>
            <InputNumber min={1} max={3650} precision={0} />
          </Form.Item>
        </Flex>
        <Form.Item name="tag" label={t('op.rules.tag')} rules={[{ required: true, whitespace: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="stage" label={t('op.rules.stage')}>
          <Select allowClear placeholder={t('op.rules.noStage')} options={options('toCStage', toCStages)} />
        </Form.Item>
        <Form.Item name="enabled" label={t('op.rules.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
