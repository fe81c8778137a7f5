import { useState } from 'react';
import { Alert, App, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldErrors } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useLibrary, useSaveIndicator, type Indicator, type IndicatorBody, type Library } from '../api';

/** Settings › indicator library: the workspace's copy of the default library, editable by leads. */
export function IndicatorLibraryPage() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const can = useCan();
  const q = useLibrary();
  const [editing, setEditing] = useState<Indicator | 'new' | null>(null);
  const [stage, setStage] = useState<string | undefined>();
  const editable = can('value.library');
  const crumbs = [{ title: t('menu.settings') }, { title: t('vl.library.title') }];
  const lib = q.data;
  const label = (list: Library['stages'] | undefined, k: string) => list?.find((x) => x.key === k)?.label[locale] ?? k;
  return (
    <>
      <PageHeader
        title={t('vl.library.title')}
        breadcrumb={crumbs}
        extra={
          editable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="library-add">
              {t('vl.library.add')}
            </Button>
          )
        }
      />
      <div className="kw-content">
        <div className="kw-card">
          {q.isPending ? (
            <LoadingState rows={12} />
          ) : q.isError || !lib ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : (
            <>
              <Alert type="info" showIcon message={t('vl.library.help')} style={{ marginBottom: 12 }} />
              <Space style={{ marginBottom: 12 }}>
                <Select
                  allowClear
                  placeholder={t('vl.field.stage')}
                  style={{ width: 220 }}
                  value={stage}
                  onChange={setStage}
                  options={lib.stages.map((s) => ({ value: s.key, label: s.label[locale] }))}
                />
              </Space>
              <Table<Indicator>
                rowKey="id"
                size="small"
                dataSource={lib.indicators.filter((i) => !stage || i.stage === stage)}
                pagination={{ pageSize: 30, showSizeChanger: false }}
                scroll={{ x: 1000 }}
                columns={[
                  { title: t('vl.field.stage'), key: 'stage', width: 130, render: (_, i) => label(lib.stages, i.stage) },
                  { title: t('vl.field.dimension'), key: 'dim', width: 110, render: (_, i) => label(lib.dimensions, i.dimension) },
                  {
                    title: t('vl.field.name'),
                    key: 'name',
                    render: (_, i) => (
                      <>
                        <Typography.Text strong>{i.name[locale]}</Typography.Text> {!i.active && <Tag>{t('vl.library.inactive')}</Tag>}
                        <div style={{ fontSize: 12, color: '#8c8c8c' }}>{locale === 'en' ? i.name['zh-CN'] : i.name.en}</div>
                      </>
                    ),
                  },
                  { title: t('vl.field.unit'), key: 'unit', width: 90, render: (_, i) => label(lib.units, i.unit) },
                  { title: t('vl.field.direction'), key: 'dir', width: 110, render: (_, i) => t(`vl.direction.${i.direction}`) },
                  {
                    title: t('vl.field.formula'),
                    key: 'f',
                    render: (_, i) => (
                      <Typography.Text code style={{ fontSize: 12 }}>
                        {i.formula}
                      </Typography.Text>
                    ),
                  },
                  ...(editable
                    ? [
                        {
                          title: '',
                          key: 'a',
                          width: 80,
                          render: (_: unknown, i: Indicator) => (
                            <Button size="small" type="link" onClick={() => setEditing(i)}>
                              {t('common.edit')}
                            </Button>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </>
          )}
        </div>
      </div>
      {editing && lib && <IndicatorModal lib={lib} indicator={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function IndicatorModal({ lib, indicator, onClose }: { lib: Library; indicator: Indicator | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const [form] = Form.useForm();
  const save = useSaveIndicator(indicator?.id);
  const initial = indicator
    ? {
        ...indicator,
        nameZh: indicator.name['zh-CN'],
        nameEn: indicator.name.en,
        params: indicator.params.map((p) => ({ name: p.name, labelZh: p.label['zh-CN'], labelEn: p.label.en, unit: p.unit, default: p.default })),
      }
    : {
        stage: lib.stages[0]?.key,
        dimension: lib.dimensions[0]?.key,
        unit: 'percent',
        direction: 'up',
        formula: 'improvement * ',
        params: [],
        active: true,
      };
  const submit = async () => {
    const v = await form.validateFields();
    const body: IndicatorBody = {
      stage: v.stage,
      dimension: v.dimension,
      name: { 'zh-CN': v.nameZh, en: v.nameEn },
      unit: v.unit,
      direction: v.direction,
      formula: v.formula,
      params: (v.params ?? []).map((p: { name: string; labelZh: string; labelEn: string; unit?: string; default: number }) => ({
        name: p.name,
        label: { 'zh-CN': p.labelZh, en: p.labelEn },
        unit: p.unit ?? '',
        default: p.default,
      })),
      active: v.active,
    };
    try {
      await save.mutateAsync(body);
      message.success(t('vl.library.saved'));
      onClose();
    } catch (e) {
      const fields = fieldErrors(e);
      const f = fields.find((x) => ['formula', 'unit'].includes(x.field));
      if (f) form.setFields([{ name: f.field, errors: [errorMessage(e)] }]);
      else message.error(errorMessage(e));
    }
  };
  const opts = (list: Library['stages']) => list.map((s) => ({ value: s.key, label: s.label[locale] }));
  return (
    <Modal
      open
      title={indicator ? t('vl.library.edit') : t('vl.library.add')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={save.isPending}
      width={760}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="nameZh" label={t('vl.field.nameZh')} rules={[{ required: true, max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameEn" label={t('vl.field.nameEn')} rules={[{ required: true, max: 200 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="stage" label={t('vl.field.stage')} rules={[{ required: true }]}>
              <Select options={opts(lib.stages)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="dimension" label={t('vl.field.dimension')} rules={[{ required: true }]}>
              <Select options={opts(lib.dimensions)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="unit" label={t('vl.field.unit')} rules={[{ required: true }]}>
              <Select options={opts(lib.units)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="direction" label={t('vl.field.direction')} rules={[{ required: true }]}>
              <Select options={(['down', 'up'] as const).map((d) => ({ value: d, label: t(`vl.direction.${d}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="formula" label={t('vl.field.formula')} extra={t('vl.library.help')} rules={[{ required: true, max: 500 }]}>
          <Input style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Typography.Text strong>{t('vl.field.params')}</Typography.Text>
        <Form.List name="params">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="middle">
                  <Col span={5}>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/ }]}>
                      <Input placeholder={t('vl.field.paramName')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[f.name, 'labelZh']} rules={[{ required: true }]}>
                      <Input placeholder={t('vl.field.nameZh')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[f.name, 'labelEn']} rules={[{ required: true }]}>
                      <Input placeholder={t('vl.field.nameEn')} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[f.name, 'unit']}>
                      <Input placeholder={t('vl.field.unit')} />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[f.name, 'default']} rules={[{ required: true }]}>
                      <InputNumber style={{ width: '100%' }} placeholder={t('vl.field.paramDefault')} />
                    </Form.Item>
                  </Col>
                  <Col span={1}>
                    <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginBottom: 24 }} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" onClick={() => add({ default: 0 })} icon={<PlusOutlined />} style={{ marginBottom: 16 }}>
                {t('vl.library.addParam')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="active" label={t('vl.field.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
