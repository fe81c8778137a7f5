import { useMemo, useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, PlusOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldErrors } from '../../../api/client';
import { formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { ErrorState, LoadingState } from '../../components/states';
import {
  reportUrl,
  useAddItem,
  useImportActuals,
  useLibrary,
  useLinkPromise,
  useProject,
  useRecordActual,
  useRemoveItem,
  useUpdateItem,
  type Library,
  type Project,
  type ProjectItem,
  type Status,
  type ValuePromise,
} from '../api';
import { IndicatorChart, MoneyChart } from './value-charts';

const statusColor: Record<Status, string> = { no_data: 'default', behind: 'red', improving: 'blue', reached: 'green' };
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const lastMonth = () => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

function useLabels(lib: Library | undefined) {
  const locale = currentLocale();
  return useMemo(() => {
    const map = (list: { key: string; label: { 'zh-CN': string; en: string } }[] | undefined) =>
      new Map((list ?? []).map((x) => [x.key, x.label[locale]]));
    const stages = map(lib?.stages);
    const dims = map(lib?.dimensions);
    const units = map(lib?.units);
    return { stage: (k: string) => stages.get(k) ?? k, dim: (k: string) => dims.get(k) ?? k, unit: (k: string) => units.get(k) ?? k };
  }, [lib, locale]);
}

/** The account 360's 价值 tab: indicators agreed with the customer, baseline → target → actuals, money, the report. */
export function ValueTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const q = useProject(accountId);
  const lib = useLibrary();
  const L = useLabels(lib.data);
  const [choosing, setChoosing] = useState(false);
  const [recording, setRecording] = useState<ProjectItem | null>(null);
  const [editing, setEditing] = useState<ProjectItem | null>(null);
  const editable = can('value.manage');
  const remove = useRemoveItem();
  const importCsv = useImportActuals(accountId);

  if (q.isPending)
    return (
      <div className="kw-card">
        <LoadingState rows={10} />
      </div>
    );
  if (q.isError)
    return (
      <div className="kw-card">
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const p: Project = q.data;
  const m = (minor: number | null) => formatMoney(minor, locale, p.account.currency);
  const num = (x: number | null) => (x === null ? '—' : String(x));

  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={t('vl.tab.expectedMonth')} value={m(p.totals.expectedPerPeriodMinor)} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={t('vl.tab.expectedToDate')} value={m(p.totals.expectedToDateMinor)} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <div data-testid="value-realised-total" data-minor={p.totals.realisedTotalMinor}>
              <Statistic title={t('vl.tab.realised')} value={m(p.totals.realisedTotalMinor)} valueStyle={{ color: '#1677ff' }} />
            </div>
          </Card>
        </Col>
      </Row>

      <Card
        size="small"
        title={t('vl.tab.chartMoney')}
        extra={
          <Space wrap>
            <Button icon={<PrinterOutlined />} href={reportUrl(accountId, 'html')} target="_blank" data-testid="value-printable">
              {t('vl.tab.printable')}
            </Button>
            <Button icon={<DownloadOutlined />} href={reportUrl(accountId, 'pdf')} download data-testid="value-pdf">
              {t('vl.tab.pdf')}
            </Button>
          </Space>
        }
      >
        {p.byPeriod.length ? (
          <MoneyChart
            data={p.byPeriod}
            locale={locale}
            labels={{ realised: t('vl.field.realised'), expected: t('vl.field.expected'), cumulative: t('vl.tab.cumulative') }}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('vl.tab.noActuals')} />
        )}
      </Card>

      <Card
        size="small"
        title={t('vl.tab.indicators')}
        extra={
          editable && (
            <Space wrap>
              <Upload
                accept=".csv,text/csv"
                showUploadList={false}
                beforeUpload={(file) => {
                  importCsv.mutateAsync(file).then(
                    (r) => message.success(t('vl.tab.imported', { count: r.imported })),
                    (e) => Modal.error({ title: errorMessage(e), content: <ImportErrors error={e} />, width: 560 }),
                  );
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={importCsv.isPending} title={t('vl.tab.importHelp')} data-testid="value-import">
                  {t('vl.tab.importCsv')}
                </Button>
              </Upload>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setChoosing(true)} data-testid="value-choose">
                {t('vl.tab.choose')}
              </Button>
            </Space>
          )
        }
      >
        <Table<ProjectItem>
          rowKey="id"
          size="small"
          dataSource={p.items}
          pagination={false}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('vl.tab.empty')} /> }}
          expandable={{
            expandedRowRender: (i) => (
              <Row gutter={16}>
                <Col xs={24} lg={12}>
                  <IndicatorChart item={i} labels={{ baseline: t('vl.field.baseline'), target: t('vl.field.target'), actual: t('vl.field.value') }} />
                </Col>
                <Col xs={24} lg={12}>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    {t('vl.tab.formula')}: <Typography.Text code>{i.formula}</Typography.Text>
                    <br />
                    {t('vl.tab.params')}: {i.params.map((x) => `${x.label[locale]} = ${x.value}${x.unit ? ` ${x.unit}` : ''}`).join('；')}
                    {i.internalNote && (
                      <>
                        <br />
                        {t('vl.field.note')}: {i.internalNote}
                      </>
                    )}
                  </Typography.Paragraph>
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={i.actuals}
                    columns={[
                      { title: t('vl.field.period'), dataIndex: 'period' },
                      { title: t('vl.field.value'), dataIndex: 'value', align: 'right' },
                      {
                        title: t('vl.field.money'),
                        key: 'm',
                        align: 'right',
                        render: (_, a) => (a.error ? <Typography.Text type="danger">{a.error}</Typography.Text> : m(a.realisedMinor)),
                      },
                    ]}
                  />
                </Col>
              </Row>
            ),
          }}
          columns={[
            {
              title: t('vl.field.indicator'),
              key: 'name',
              fixed: 'left',
              width: 200,
              render: (_, i) => (
                <Flex vertical>
                  <Typography.Text strong data-testid={`value-item-${i.key}`}>
                    {i.name[locale]}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {L.stage(i.stage)} · {L.dim(i.dimension)} · {L.unit(i.unit)} · {t(`vl.direction.${i.direction}`)}
                  </Typography.Text>
                </Flex>
              ),
            },
            {
              title: t('vl.field.baseline'),
              key: 'b',
              align: 'right',
              render: (_, i) => (
                <>
                  {num(i.baseline)}
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>{i.baselinePeriod}</div>
                </>
              ),
            },
            { title: t('vl.field.target'), dataIndex: 'target', align: 'right' },
            { title: t('vl.field.latest'), key: 'l', align: 'right', render: (_, i) => num(i.latest) },
            {
              title: t('vl.field.status'),
              key: 's',
              render: (_, i) => (
                <Flex vertical gap={2}>
                  <Tag color={statusColor[i.status]}>{t(`vl.status.${i.status}`)}</Tag>
                  {i.progressPct !== null && (
                    <Progress percent={Math.max(0, Math.min(100, i.progressPct))} size="small" format={() => `${i.progressPct}%`} />
                  )}
                </Flex>
              ),
            },
            {
              title: t('vl.field.expected'),
              key: 'e',
              align: 'right',
              render: (_, i) => (i.expectedError ? <Typography.Text type="danger">{i.expectedError}</Typography.Text> : m(i.expectedPerPeriodMinor)),
            },
            {
              title: t('vl.field.realised'),
              key: 'r',
              align: 'right',
              render: (_, i) => <span data-testid={`value-realised-${i.key}`}>{m(i.realisedTotalMinor)}</span>,
            },
            ...(editable
              ? [
                  {
                    title: '',
                    key: 'actions',
                    width: 220,
                    render: (_: unknown, i: ProjectItem) => (
                      <Space size={4} wrap>
                        <Button size="small" type="link" onClick={() => setRecording(i)} data-testid={`value-record-${i.key}`}>
                          {t('vl.tab.recordActual')}
                        </Button>
                        <Button size="small" type="link" onClick={() => setEditing(i)}>
                          {t('common.edit')}
                        </Button>
                        <Popconfirm
                          title={t('vl.tab.removeConfirm')}
                          onConfirm={() => remove.mutateAsync(i.id).catch((e) => message.error(errorMessage(e)))}
                        >
                          <Button size="small" type="link" danger>
                            {t('vl.tab.remove')}
                          </Button>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {p.promises.length > 0 && <PromisesCard project={p} editable={editable} />}
      {choosing && <ChooseModal accountId={accountId} lib={lib.data} chosen={p.items.map((i) => i.indicatorId)} onClose={() => setChoosing(false)} />}
      {recording && <ActualModal item={recording} onClose={() => setRecording(null)} />}
      {editing && <TermsModal item={editing} onClose={() => setEditing(null)} />}
    </Flex>
  );
}

function ImportErrors({ error }: { error: unknown }) {
  const fields = fieldErrors(error);
  return (
    <ul style={{ maxHeight: 300, overflow: 'auto', paddingLeft: 18 }}>
      {fields.map((f) => (
        <li key={`${f.row ?? ''}:${f.field}:${f.message}`}>
          {f.row ? `#${f.row} ` : ''}
          {f.message}
        </li>
      ))}
    </ul>
  );
}

/** Server field errors onto the form's fields (by name; params map to their inputs). */
function applyFieldErrors(form: ReturnType<typeof Form.useForm>[0], e: unknown, known: string[]) {
  const fields = fieldErrors(e);
  const mapped = fields.filter((f) => known.includes(f.field.split('.')[0]));
  form.setFields(mapped.map((f) => ({ name: f.field.split('.')[0], errors: [f.message] })));
  return mapped.length > 0;
}

function ChooseModal({ accountId, lib, chosen, onClose }: { accountId: string; lib: Library | undefined; chosen: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const L = useLabels(lib);
  const [form] = Form.useForm();
  const indicatorId = Form.useWatch('indicatorId', form) as string | undefined;
  const ind = lib?.indicators.find((i) => i.id === indicatorId);
  const add = useAddItem(accountId);
  const options = (lib?.stages ?? []).map((s) => ({
    label: s.label[locale],
    options: (lib?.indicators ?? [])
      .filter((i) => i.stage === s.key && i.active && !chosen.includes(i.id))
      .map((i) => ({
        value: i.id,
        label: `${i.name[locale]} · ${L.dim(i.dimension)} (${L.unit(i.unit)})`,
        search: `${i.name['zh-CN']} ${i.name.en} ${i.key}`,
      })),
  }));
  const submit = async () => {
    const v = await form.validateFields();
    const paramValues: Record<string, number> = {};
    for (const p of ind?.params ?? [])
      if (v[`param_${p.name}`] !== undefined && v[`param_${p.name}`] !== null) paramValues[p.name] = Number(v[`param_${p.name}`]);
    try {
      await add.mutateAsync({
        indicatorId: v.indicatorId,
        baseline: v.baseline,
        baselinePeriod: v.baselinePeriod,
        target: v.target,
        paramValues,
        internalNote: v.internalNote || null,
      });
      message.success(t('vl.tab.saved'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['baseline', 'target', 'baselinePeriod', 'indicatorId', 'unit'])) message.error(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title={t('vl.tab.choose')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={add.isPending}
      width={620}
      okButtonProps={{ 'data-testid': 'value-choose-ok' } as never}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('vl.tab.chooseHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ baselinePeriod: lastMonth() }}>
        <Form.Item name="indicatorId" label={t('vl.field.indicator')} rules={[{ required: true }]}>
          <Select showSearch options={options} optionFilterProp="search" data-testid="value-choose-indicator" placeholder={t('vl.field.indicator')} />
        </Form.Item>
        {ind && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t(`vl.direction.${ind.direction}`)} · {t('vl.tab.formula')}: <Typography.Text code>{ind.formula}</Typography.Text>
          </Typography.Paragraph>
        )}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="baseline" label={`${t('vl.field.baseline')}${ind ? ` (${L.unit(ind.unit)})` : ''}`} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} data-testid="value-baseline" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="baselinePeriod"
              label={t('vl.field.baselinePeriod')}
              rules={[{ required: true, pattern: PERIOD, message: t('vl.periodFormat') }]}
            >
              <Input placeholder="YYYY-MM" data-testid="value-baseline-period" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="target" label={`${t('vl.field.target')}${ind ? ` (${L.unit(ind.unit)})` : ''}`} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} data-testid="value-target" />
            </Form.Item>
          </Col>
        </Row>
        {ind && ind.params.length > 0 && (
          <>
            <Typography.Text strong>{t('vl.tab.params')}</Typography.Text>
            <Row gutter={12} style={{ marginTop: 8 }}>
              {ind.params.map((p) => (
                <Col span={12} key={`${ind.id}-${p.name}`}>
                  <Form.Item name={`param_${p.name}`} label={`${p.label[locale]}${p.unit ? ` (${p.unit})` : ''}`} initialValue={p.default}>
                    <InputNumber style={{ width: '100%' }} data-testid={`value-param-${p.name}`} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
          </>
        )}
        <Form.Item name="internalNote" label={t('vl.field.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ActualModal({ item, onClose }: { item: ProjectItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const [form] = Form.useForm();
  const save = useRecordActual(item.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await save.mutateAsync({ period: v.period, value: v.value });
      message.success(t('vl.tab.saved'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['period', 'value'])) message.error(errorMessage(e));
    }
  };
  return (
    <Modal
      open
      title={`${t('vl.tab.recordActual')} · ${item.name[locale]}`}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'value-actual-ok' } as never}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('vl.field.baseline')} {item.baseline} ({item.baselinePeriod}) → {t('vl.field.target')} {item.target} ·{' '}
        {t(`vl.direction.${item.direction}`)}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ period: lastMonth() }}>
        <Form.Item name="period" label={t('vl.field.period')} rules={[{ required: true, pattern: PERIOD, message: t('vl.periodFormat') }]}>
          <Input placeholder="YYYY-MM" data-testid="value-actual-period" />
        </Form.Item>
        <Form.Item name="value" label={t('vl.field.value')} rules={[{ required: true }]}>
          <InputNumber style={{ width: '100%' }} data-testid="value-actual-value" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TermsModal({ item, onClose }: { item: ProjectItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const [form] = Form.useForm();
  const save = useUpdateItem(item.id);
  const submit = async () => {
    const v = await form.validateFields();
    const paramValues: Record<string, number> = {};
    for (const p of item.params)
      if (v[`param_${p.name}`] !== undefined && v[`param_${p.name}`] !== null) paramValues[p.name] = Number(v[`param_${p.name}`]);
    try {
      await save.mutateAsync({
        baseline: v.baseline,
        baselinePeriod: v.baselinePeriod,
        target: v.target,
        paramValues,
        internalNote: v.internalNote || null,
      });
      message.success(t('vl.tab.saved'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['baseline', 'target', 'baselinePeriod'])) message.error(errorMessage(e));
    }
  };
  const initial: Record<string, unknown> = {
    baseline: item.baseline,
    baselinePeriod: item.baselinePeriod,
    target: item.target,
    internalNote: item.internalNote,
  };
  for (const p of item.params) initial[`param_${p.name}`] = p.value;
  return (
    <Modal
      open
      title={`${t('vl.tab.editTerms')} · ${item.name[locale]}`}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={save.isPending}
      width={620}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="baseline" label={t('vl.field.baseline')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="baselinePeriod"
              label={t('vl.field.baselinePeriod')}
              rules={[{ required: true, pattern: PERIOD, message: t('vl.periodFormat') }]}
            >
              <Input placeholder="YYYY-MM" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="target" label={t('vl.field.target')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          {item.params.map((p) => (
            <Col span={12} key={p.name}>
              <Form.Item name={`param_${p.name}`} label={`${p.label[locale]}${p.unit ? ` (${p.unit})` : ''}`}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Form.Item name="internalNote" label={t('vl.field.note')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const promiseColor: Record<ValuePromise['status'], string> = { unlinked: 'default', open: 'blue', kept: 'green' };

/** Paid expert services with a promised value: link each to the indicators that will show it. */
function PromisesCard({ project, editable }: { project: Project; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const locale = currentLocale();
  const link = useLinkPromise();
  const m = (minor: number) => formatMoney(minor, locale, project.account.currency);
  return (
    <Card size="small" title={t('vl.promise.title')}>
      <Typography.Paragraph type="secondary">{t('vl.promise.help')}</Typography.Paragraph>
      <Table<ValuePromise>
        rowKey="bookingId"
        size="small"
        pagination={false}
        dataSource={project.promises}
        columns={[
          { title: t('vl.promise.service'), key: 's', render: (_, x) => x.service[locale] },
          {
            title: t('vl.promise.linked'),
            key: 'i',
            width: 360,
            render: (_, x) => (
              <Select
                mode="multiple"
                style={{ width: '100%' }}
                disabled={!editable}
                value={x.itemIds}
                placeholder={t('vl.promise.pick')}
                options={project.items.map((i) => ({ value: i.id, label: i.name[locale] }))}
                onChange={(itemIds: string[]) => link.mutateAsync({ bookingId: x.bookingId, itemIds }).catch((e) => message.error(errorMessage(e)))}
              />
            ),
          },
          { title: t('vl.promise.promised'), key: 'p', align: 'right', render: (_, x) => m(x.promisedValueMinor) },
          { title: t('vl.field.realised'), key: 'r', align: 'right', render: (_, x) => m(x.realisedMinor) },
          { title: t('vl.field.status'), key: 'st', render: (_, x) => <Tag color={promiseColor[x.status]}>{t(`vl.promise.${x.status}`)}</Tag> },
        ]}
      />
    </Card>
  );
}
