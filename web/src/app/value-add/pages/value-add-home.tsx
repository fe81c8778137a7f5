import { lazy, Suspense, useState } from 'react';
import {
  App,
  Alert,
  Button,
  Checkbox,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Segmented,
  Select,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined, WarningFilled } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, formatMoney, fromMinor, toMinor } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { TierTag } from '../../components/labels';
import {
  coreTasks,
  executorRoles,
  useApproveBooking,
  useBookings,
  useCatalog,
  useInputOutput,
  useRejectBooking,
  useSaveCatalogItem,
  useSaveSettings,
  useSettings,
  type BookingQuery,
  type BookingRow,
  type CatalogInput,
  type CatalogItem,
  type IoItem,
  type Settings,
  type SettingsBody,
} from '../api';

const IoChart = lazy(() => import('../components/io-chart').then((m) => ({ default: m.IoChart })));
const tabKeys = ['catalog', 'bookings', 'io', 'settings'] as const;

/** 增值服务 menu: the catalog (both menus), bookings & approvals, input vs output, budget settings. */
export function ValueAddHomePage({ only }: { only?: 'catalog' }) {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const tab = only ?? ((tabKeys as readonly string[]).includes(sp.get('tab') ?? '') ? (sp.get('tab') as (typeof tabKeys)[number]) : 'catalog');
  const all = [
    { key: 'catalog', label: t('va.home.tabs.catalog'), children: <CatalogEditor /> },
    { key: 'bookings', label: t('va.home.tabs.bookings'), children: <BookingsView /> },
    { key: 'io', label: t('va.home.tabs.io'), children: <InputOutputView /> },
    { key: 'settings', label: t('va.home.tabs.settings'), children: <SettingsView /> },
  ];
  return (
    <>
      <PageHeader
        title={only ? t('menu.catalog') : t('va.home.title')}
        breadcrumb={only ? [{ title: t('menu.settings') }, { title: t('menu.catalog') }] : [{ title: t('menu.valueAdd') }]}
      />
      <div className="kw-content">
        {only ? (
          <CatalogEditor />
        ) : (
          <Tabs activeKey={tab} onChange={(k) => setSp(k === 'catalog' ? {} : { tab: k }, { replace: true })} items={all} destroyOnHidden />
        )}
      </div>
    </>
  );
}

function CatalogEditor() {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  const menu = 'core';
  const [retired, setRetired] = useState(false);
  const [editing, setEditing] = useState<CatalogItem | 'new' | null>(null);
  const q = useCatalog(retired);
  const manage = can('catalog.manage');
  // one list: a workspace set up before the menus were merged still has its second menu, listed after the first
  const items = q.data ?? [];
  return (
    <div className="kw-card">
      <Flex justify="flex-end" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Flex gap={12} align="center">
          <Checkbox checked={retired} onChange={(e) => setRetired(e.target.checked)}>
            {t('va.catalog.showRetired')}
          </Checkbox>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('va.catalog.add')}
            </Button>
          )}
        </Flex>
      </Flex>
      {q.isPending ? (
        <LoadingState rows={8} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<CatalogItem>
          rowKey="id"
          size="middle"
          dataSource={items}
          pagination={false}
          data-testid="catalog-table"
          columns={[
            { title: t('va.catalog.position'), dataIndex: 'position', width: 60 },
            {
              title: t('common.name'),
              key: 'name',
              render: (_, r) => (
                <span style={{ opacity: r.active ? 1 : 0.5 }}>
                  {locale === 'en' ? r.nameEn : r.nameZh}
                  {r.menu !== 'core' && <Tag style={{ marginInlineStart: 6 }}>{t(`va.menuName.${r.menu}` as 'va.menuName.core')}</Tag>}
                  {!r.active && <Tag style={{ marginInlineStart: 6 }}>{t('va.catalog.retired')}</Tag>}
                </span>
              ),
            },
            {
              title: t('va.catalog.customerColumn'),
              key: 'customer',
              render: (_, r) =>
                r.customerVisible ? (
                  <Tag color="green" data-testid="catalog-customer-visible">
                    {(locale === 'en' ? r.customerNameEn : r.customerNameZh) ?? ''}
                  </Tag>
                ) : (
                  <Tag>{t('va.catalog.customerHidden')}</Tag>
                ),
            },
            {
              title: t('va.catalog.tasks'),
              dataIndex: 'tasks',
              render: (ts: string[]) =>
                ts.map((k) => (
                  <Tag key={k} color="blue">
                    {t(`va.coreTask.${k}` as 'va.coreTask.capture')}
                  </Tag>
                )),
            },
            { title: t('va.catalog.executor'), dataIndex: 'executorRole', render: (r: string) => t(`va.role.${r}` as 'va.role.csm') },
            {
              title: t('va.catalog.pricing'),
              key: 'p',
              render: (_, r) =>
                r.pricing === 'paid' ? <Tag color="purple">{formatMoney(r.priceMinor, locale)}</Tag> : <Tag>{t('va.pricing.free')}</Tag>,
            },
            { title: t('va.catalog.cost'), dataIndex: 'internalCostMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
            { title: t('va.catalog.kpi'), dataIndex: 'kpiCredit', align: 'right' },
            { title: t('va.catalog.tiers'), dataIndex: 'eligibleTiers', render: (ts: string[]) => ts.join(' / ') },
            ...(manage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'a',
                    render: (_: unknown, r: CatalogItem) => (
                      <Button size="small" onClick={() => setEditing(r)}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
          expandable={{ expandedRowRender: (r) => <ProcessSteps steps={r.processSteps} />, rowExpandable: (r) => r.processSteps.length > 0 }}
        />
      )}
      {editing && <ItemDrawer item={editing === 'new' ? null : editing} menu={menu} onClose={() => setEditing(null)} />}
    </div>
  );
}

/** The item form: money in yuan, steps one per line. */
type ItemForm = Pick<
  CatalogInput,
  | 'nameZh'
  | 'nameEn'
  | 'executorRole'
  | 'pricing'
  | 'kpiCredit'
  | 'tasks'
  | 'eligibleTiers'
  | 'active'
  | 'menu'
  | 'customerVisible'
  | 'customerNameZh'
  | 'customerNameEn'
  | 'customerDescriptionZh'
  | 'customerDescriptionEn'
> & {
  priceYuan?: number;
  costYuan?: number;
  steps?: string;
};

function ItemDrawer({ item, menu, onClose }: { item: CatalogItem | null; menu: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemForm>();
  const pricing = Form.useWatch('pricing', form);
  const visible = Form.useWatch('customerVisible', form);
  const save = useSaveCatalogItem(item?.id);
  const toBody = (v: ItemForm): CatalogInput => ({
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    executorRole: v.executorRole,
    pricing: v.pricing,
    priceMinor: v.pricing === 'paid' ? toMinor(v.priceYuan) : 0,
    internalCostMinor: toMinor(v.costYuan),
    kpiCredit: v.kpiCredit ?? 0,
    tasks: v.tasks,
    eligibleTiers: v.eligibleTiers,
    processSteps: String(v.steps ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    active: v.active,
    menu: v.menu,
    customerVisible: !!v.customerVisible,
    customerNameZh: v.customerNameZh?.trim() || null,
    customerNameEn: v.customerNameEn?.trim() || null,
    customerDescriptionZh: v.customerDescriptionZh?.trim() || null,
    customerDescriptionEn: v.customerDescriptionEn?.trim() || null,
  });
  const init = item
    ? { ...item, priceYuan: fromMinor(item.priceMinor), costYuan: fromMinor(item.internalCostMinor), steps: item.processSteps.join('\n') }
    : {
        menu,
        pricing: 'free',
        executorRole: 'expert',
        tasks: [],
        eligibleTiers: ['A', 'C'],
        active: true,
        customerVisible: false,
        kpiCredit: 0,
        costYuan: 0,
        priceYuan: 0,
        steps: '',
      };
  return (
    <Drawer
      open
      onClose={onClose}
      title={item ? t('va.catalog.edit') : t('va.catalog.add')}
      size="large"
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() =>
            form.validateFields().then((v) =>
              save.mutateAsync(toBody(v)).then(
                () => {
                  message.success(t('va.catalog.saved'));
                  onClose();
                },
                (e) => message.error(errorMessage(e)),
              ),
            )
          }
        >
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" initialValues={init}>
        <Form.Item name="menu" hidden>
          <Input />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="nameZh" label={t('va.catalog.nameZh')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('va.catalog.nameEn')} rules={[{ required: true, message: t('common.required') }]} style={{ flex: 1 }}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="tasks" label={t('va.catalog.tasks')} rules={[{ required: true, message: t('common.required') }]}>
          <Checkbox.Group options={coreTasks.map((k) => ({ value: k, label: t(`va.coreTask.${k}`) }))} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="executorRole" label={t('va.catalog.executor')} style={{ flex: 1 }}>
            <Select options={executorRoles.map((r) => ({ value: r, label: t(`va.role.${r}`) }))} />
          </Form.Item>
          <Form.Item name="pricing" label={t('va.catalog.pricing')} style={{ flex: 1 }}>
            <Radio.Group
              options={[
                { value: 'free', label: t('va.pricing.free') },
                { value: 'paid', label: t('va.pricing.paid') },
              ]}
            />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          {pricing === 'paid' && (
            <Form.Item name="priceYuan" label={t('va.catalog.price')} style={{ flex: 1 }} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          )}
          <Form.Item name="costYuan" label={t('va.catalog.cost')} style={{ flex: 1 }}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="kpiCredit" label={t('va.catalog.kpi')} style={{ flex: 1 }}>
            <InputNumber min={0} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="eligibleTiers" label={t('va.catalog.tiers')} rules={[{ required: true, message: t('common.required') }]}>
          <Checkbox.Group options={['A', 'B', 'C', 'D', 'E']} />
        </Form.Item>
        <Form.Item name="steps" label={t('va.catalog.steps')} extra={t('va.catalog.stepsHelp')}>
          <Input.TextArea rows={5} />
        </Form.Item>
        <Form.Item name="active" label={t('common.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Divider titlePlacement="start">{t('va.catalog.customerSection')}</Divider>
        <Form.Item name="customerVisible" label={t('va.catalog.customerVisible')} valuePropName="checked" extra={t('va.catalog.customerVisibleHelp')}>
          <Switch data-testid="catalog-customer-visible-switch" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item
            name="customerNameZh"
            label={t('va.catalog.customerNameZh')}
            rules={[{ required: !!visible, whitespace: true, message: t('common.required') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="customerNameEn"
            label={t('va.catalog.customerNameEn')}
            rules={[{ required: !!visible, whitespace: true, message: t('common.required') }]}
            style={{ flex: 1 }}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="customerDescriptionZh" label={t('va.catalog.customerDescriptionZh')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="customerDescriptionEn" label={t('va.catalog.customerDescriptionEn')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function BookingsView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const [status, setStatus] = useState<BookingQuery['status'] | ''>('pending_approval');
  const q = useBookings({ status: status || undefined });
  const approve = useApproveBooking();
  const reject = useRejectBooking();
  const [rejecting, setRejecting] = useState<BookingRow | null>(null);
  const [reason, setReason] = useState('');
  return (
    <div className="kw-card">
      <Segmented
        style={{ marginBottom: 12 }}
        value={status}
        onChange={(v) => setStatus(v as BookingQuery['status'] | '')}
        options={[
          { value: 'pending_approval', label: t('va.bookings.queue') },
          { value: '', label: t('va.bookings.all') },
        ]}
      />
      {q.isPending ? (
        <LoadingState />
      ) : !q.data?.length ? (
        <EmptyState text={t('common.none')} />
      ) : (
        <Table<BookingRow>
          rowKey="id"
          size="middle"
          dataSource={q.data}
          columns={[
            {
              title: t('va.bookings.account'),
              dataIndex: 'accountName',
              render: (v: string, r) => <Link to={`/accounts/${r.accountId}?tab=valueAdd`}>{v}</Link>,
            },
            { title: t('va.tab.item'), dataIndex: 'itemName' },
            { title: t('va.tab.amount'), dataIndex: 'amountMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag>{t(`va.bookingStatus.${s}` as 'va.bookingStatus.booked')}</Tag>,
            },
            { title: t('va.bookings.requestedBy'), dataIndex: 'requestedByName' },
            { title: t('common.at'), dataIndex: 'createdAt', render: (v: string) => formatDate(v) },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_, r) =>
                r.status === 'pending_approval' && can('value_add.approve') ? (
                  <Flex gap={4}>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() =>
                        approve.mutateAsync(r).then(
                          () => message.success(t('va.bookings.approved')),
                          (e) => message.error(errorMessage(e)),
                        )
                      }
                    >
                      {t('va.bookings.approve')}
                    </Button>
                    <Button size="small" onClick={() => setRejecting(r)}>
                      {t('va.bookings.reject')}
                    </Button>
                  </Flex>
                ) : null,
            },
          ]}
        />
      )}
      {rejecting && (
        <Drawer
          open
          onClose={() => setRejecting(null)}
          title={t('va.bookings.rejectReason')}
          extra={
            <Button
              type="primary"
              onClick={() =>
                reject.mutateAsync({ id: rejecting.id, version: rejecting.version, reason }).then(
                  () => {
                    setRejecting(null);
                    setReason('');
                    message.success(t('va.bookings.rejected'));
                  },
                  (e) => message.error(errorMessage(e)),
                )
              }
            >
              {t('common.confirm')}
            </Button>
          }
        >
          <Input.TextArea rows={4} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Drawer>
      )}
    </div>
  );
}

function InputOutputView() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const [fy, setFy] = useState<number | undefined>(undefined);
  const q = useInputOutput(fy);
  const year = q.data?.fiscalYear ?? new Date().getFullYear();
  return (
    <div className="kw-card">
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Typography.Text type="secondary" style={{ maxWidth: 720 }}>
          {t('va.io.help')}
        </Typography.Text>
        <Select
          value={year}
          style={{ width: 120 }}
          onChange={(v) => setFy(v)}
          options={[year - 1, year, year + 1].map((y) => ({ value: y, label: `${t('va.io.fiscalYear')} ${y}` }))}
        />
      </Flex>
      {q.isPending ? (
        <LoadingState rows={8} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.items.length ? (
        <EmptyState text={t('va.io.empty')} />
      ) : (
        <>
          {q.data.totals.flagged > 0 && (
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`${t('va.io.flagged')}: ${q.data.totals.flagged}`} />
          )}
          <Suspense fallback={<LoadingState rows={6} />}>
            <IoChart items={q.data.items} labels={{ spend: t('va.io.chartSpend'), output: t('va.io.chartOutput') }} />
          </Suspense>
          <Table<IoItem>
            rowKey="accountId"
            size="middle"
            dataSource={q.data.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="io-table"
            rowClassName={(r) => (r.flagged ? 'kw-row-flagged' : '')}
            onRow={(r) => ({ style: r.flagged ? { background: '#fff1f0' } : undefined })}
            columns={[
              { title: t('va.io.rank'), dataIndex: 'rank', width: 60 },
              {
                title: t('va.io.account'),
                dataIndex: 'accountName',
                render: (v: string, r) => (
                  <>
                    <TierTag tier={r.tier} /> <Link to={`/accounts/${r.accountId}?tab=valueAdd`}>{v}</Link>
                  </>
                ),
              },
              { title: t('va.io.spend'), dataIndex: 'spendMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
              { title: t('va.io.captured'), dataIndex: 'capturedMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
              { title: t('va.io.incubated'), dataIndex: 'incubatedMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
              { title: t('va.io.won'), dataIndex: 'wonMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
              { title: t('va.io.multiple'), dataIndex: 'multiple', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v}×`) },
              {
                title: t('va.io.uplift'),
                dataIndex: 'relationshipUplift',
                align: 'right',
                render: (v: number | null) => (v === null ? '—' : v > 0 ? `+${v}` : `${v}`),
              },
              {
                title: t('va.io.flag'),
                key: 'f',
                render: (_, r) =>
                  r.flagged ? (
                    <Tag color="red" icon={<WarningFilled />} title={r.reason ?? ''}>
                      {t('va.io.flagged')}
                    </Tag>
                  ) : null,
              },
            ]}
            expandable={{ expandedRowRender: (r) => r.reason, rowExpandable: (r) => !!r.reason }}
          />
        </>
      )}
    </div>
  );
}

function SettingsView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const q = useSettings();
  const save = useSaveSettings();
  const [form] = Form.useForm<SettingsBody>();
  // optimistic concurrency: saved from the version the form showed; a 412 offers a reload that keeps the input
  const version = useSettingsVersion(form, q.data, q.refetch, settingsForm);
  const editable = can('value_add.settings');
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} />;
  return (
    <div className="kw-card" style={{ maxWidth: 640 }}>
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={settingsForm(q.data)}
        onFinish={(v: SettingsBody) =>
          save.mutateAsync({ ...v, version: version.version }).then(
            (r) => {
              version.saved(r);
              message.success(t('va.settings.saved'));
            },
            (e) => {
              if (!version.failed(e)) message.error(errorMessage(e));
            },
          )
        }
      >
        <Form.Item
          name="ratioPercent"
          label={t('va.settings.ratio')}
          extra={t('va.settings.ratioHelp')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <InputNumber min={0} max={100} precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="overflowPolicy" label={t('va.settings.policy')}>
          <Radio.Group
            options={[
              { value: 'refuse', label: t('va.settings.refuse') },
              { value: 'approval', label: t('va.settings.approval') },
            ]}
          />
        </Form.Item>
        <StaleNotice {...version.notice} />
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="va-settings-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </div>
  );
}

const settingsForm = (s: Settings) => ({ ratioPercent: s.budgetRatioPercent, overflowPolicy: s.overflowPolicy });

function ProcessSteps({ steps }: { steps: string[] }) {
  return (
    <ol style={{ margin: 0 }}>
      {steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an ordered process: a step's place is its identity, and two steps may read the same
        <li key={i}>{s}</li>
      ))}
    </ol>
  );
}
