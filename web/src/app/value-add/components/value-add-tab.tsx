import { useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { ErrorState, LoadingState } from '../../components/states';
import { CaptureModal, StageBadge } from '../../opportunities/components/opportunity-drawers';
import { BudgetCard } from './budget-card';
import { BookingDrawer } from './booking-drawer';
import {
  coreTasks,
  metrics,
  useBookings,
  useCancelBooking,
  useFocus,
  useMoveTask,
  usePlan,
  useRecommendations,
  useSaveFocus,
  type PlanTask,
  type TaskPatch,
} from '../api';

const statusColor: Record<string, string> = {
  planned: 'default',
  scheduled: 'blue',
  done: 'cyan',
  evaluated: 'green',
  cancelled: 'default',
  booked: 'green',
  pending_approval: 'orange',
  rejected: 'red',
};

/** The account 360's 增值 tab: focus, recommendations with reasons, the service plan, bookings and the live budget. */
export function ValueAddTab({ accountId, accountName }: { accountId: string; accountName?: string }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Flex vertical gap={16}>
          <FocusCard accountId={accountId} />
          <RecommendationsCard accountId={accountId} accountName={accountName} />
          <PlanCard accountId={accountId} />
        </Flex>
      </Col>
      <Col xs={24} xl={8}>
        <Flex vertical gap={16}>
          <BudgetCard accountId={accountId} />
          <BookingsCard accountId={accountId} />
        </Flex>
      </Col>
    </Row>
  );
}

function FocusCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const q = useFocus(accountId);
  const [tasks, setTasks] = useState<string[]>([]);
  const [note, setNote] = useState('');
  useEffect(() => {
    setTasks(q.data?.current?.tasks ?? []);
    setNote(q.data?.current?.note ?? '');
  }, [q.data]);
  const save = useSaveFocus(accountId);
  const editable = can('value_add.focus');
  return (
    <Card
      title={t('va.tab.focus')}
      size="small"
      extra={
        q.data?.current && (
          <Typography.Text type="secondary">
            {t('va.tab.period')}: {q.data.current.period} · {q.data.current.chosenByName}
          </Typography.Text>
        )
      }
    >
      {q.isPending ? (
        <LoadingState rows={2} />
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{q.data?.current ? t('va.tab.focusHelp') : t('va.tab.noFocus')}</Typography.Text>
          <Checkbox.Group value={tasks} onChange={(v) => setTasks(v as string[])} disabled={!editable} data-testid="focus-tasks">
            <Row gutter={[8, 8]}>
              {coreTasks.map((k) => (
                <Col key={k} xs={12} md={8}>
                  <Checkbox value={k} data-testid={`focus-${k}`}>
                    {t(`va.coreTask.${k}`)}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
          {editable && (
            <Flex gap={8}>
              <Input placeholder={t('common.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
              <Button
                type="primary"
                data-testid="save-focus"
                loading={save.isPending}
                disabled={!tasks.length}
                onClick={() =>
                  save.mutateAsync({ tasks, note }).then(
                    () => message.success(t('va.tab.focusSaved')),
                    (e) => message.error(errorMessage(e)),
                  )
                }
              >
                {t('va.tab.saveFocus')}
              </Button>
            </Flex>
          )}
        </Flex>
      )}
    </Card>
  );
}

function RecommendationsCard({ accountId, accountName }: { accountId: string; accountName?: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  const q = useRecommendations(accountId);
  const [booking, setBooking] = useState<string | null>(null);
  return (
    <Card title={t('va.tab.recommendations')} size="small">
      {q.isPending ? (
        <LoadingState rows={4} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data.focus.length || !q.data.items.length ? (
        <Empty description={t('va.tab.recommendationsEmpty')} />
      ) : (
        <List
          dataSource={q.data.items}
          data-testid="recommendations"
          renderItem={(r) => (
            <List.Item
              data-testid="rec-item"
              actions={
                can('value_add.book')
                  ? [
                      <Button
                        key="b"
                        size="small"
                        type={r.rank <= 3 ? 'primary' : 'default'}
                        data-testid={`book-${r.itemId}`}
                        onClick={() => setBooking(r.itemId)}
                      >
                        {t('fd.booking.open')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Flex gap={6} wrap align="center">
                    <Tag>#{r.rank}</Tag>
                    <span data-testid="rec-name">{locale === 'en' ? r.nameEn : r.nameZh}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`va.menuName.${r.menu}` as 'va.menuName.core')}
                    </Typography.Text>
                    {r.servedTasks.map((k) => (
                      <Tag key={k} color="blue">
                        {t(`va.coreTask.${k}` as 'va.coreTask.capture')}
                      </Tag>
                    ))}
                    <Tag color={r.pricing === 'paid' ? 'purple' : r.fitsBudget ? 'green' : 'red'}>
                      {r.pricing === 'paid' ? t('va.pricing.paid') : r.fitsBudget ? t('va.tab.fits') : t('va.tab.exceeds')}
                    </Tag>
                  </Flex>
                }
                description={
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {r.reasons.map((x) => (
                      <li key={x}>{x}</li>
                    ))}
                  </ul>
                }
              />
              <div style={{ minWidth: 120, textAlign: 'right' }}>
                {formatMoney(r.pricing === 'paid' ? r.priceMinor : r.internalCostMinor, locale)}
              </div>
            </List.Item>
          )}
        />
      )}
      <BookingDrawer accountId={accountId} accountName={accountName} itemId={booking} onClose={() => setBooking(null)} />
    </Card>
  );
}

function BookingsCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const q = useBookings({ accountId });
  return (
    <Card size="small" title={t('va.tab.bookings')}>
      {q.isPending ? (
        <LoadingState rows={3} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={{ pageSize: 6, hideOnSinglePage: true }}
          dataSource={q.data ?? []}
          columns={[
            { title: t('va.tab.item'), dataIndex: 'itemName', ellipsis: true },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag color={statusColor[s]}>{t(`va.bookingStatus.${s}` as 'va.bookingStatus.booked')}</Tag>,
            },
            {
              title: t('va.tab.amount'),
              dataIndex: 'amountMinor',
              align: 'right',
              render: (v: number, r) => (r.kind === 'paid' ? <Tag color="purple">{formatMoney(v, locale)}</Tag> : formatMoney(v, locale)),
            },
          ]}
        />
      )}
    </Card>
  );
}

function PlanCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const q = usePlan(accountId);
  const [moving, setMoving] = useState<{ task: PlanTask; to: NonNullable<TaskPatch['status']> } | null>(null);
  const [capturing, setCapturing] = useState<string | null>(null);
  const [form] = Form.useForm();
  const move = useMoveTask();
  const cancel = useCancelBooking();
  return (
    <Card size="small" title={t('va.tab.plan')}>
      {q.isPending ? (
        <LoadingState rows={4} />
      ) : !q.data?.length ? (
        <Empty description={t('va.tab.planEmpty')} />
      ) : (
        <Table<PlanTask>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={q.data}
          data-testid="plan-table"
          columns={[
            {
              title: t('va.tab.item'),
              dataIndex: 'title',
              render: (v: string, r) => <span style={{ opacity: r.status === 'cancelled' ? 0.5 : 1 }}>{v}</span>,
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag color={statusColor[s]}>{t(`va.taskStatus.${s}` as 'va.taskStatus.planned')}</Tag>,
            },
            { title: t('va.tab.owner'), dataIndex: 'ownerName' },
            { title: t('va.tab.due'), dataIndex: 'dueOn', render: (v: string | null) => v ?? '—' },
            { title: t('va.tab.amount'), key: 'b', align: 'right', render: (_, r) => (r.booking ? formatMoney(r.booking.amountMinor, locale) : '—') },
            {
              title: t('va.tab.metrics'),
              dataIndex: 'metricsMoved',
              render: (ms: string[]) => ms.map((m) => <Tag key={m}>{t(`va.metric.${m}` as 'va.metric.price')}</Tag>),
            },
            {
              title: t('va.tab.opportunities'),
              dataIndex: 'opportunities',
              render: (os: PlanTask['opportunities']) =>
                os.map((o) => (
                  <div key={o.id}>
                    <StageBadge stage={o.stage} /> {o.title} {formatMoney(o.amountMinor, locale)}
                  </div>
                )),
            },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_, r) => (
                <Flex gap={4} wrap>
                  {can('value_add.plan') && r.allowedNext.filter((s) => s !== 'cancelled').length > 0 && (
                    <Select
                      size="small"
                      placeholder={t('va.tab.move')}
                      style={{ width: 110 }}
                      value={null}
                      options={r.allowedNext
                        .filter((s) => s !== 'cancelled')
                        .map((s) => ({ value: s, label: t(`va.taskStatus.${s}` as 'va.taskStatus.planned') }))}
                      onChange={(to: NonNullable<TaskPatch['status']>) => {
                        form.setFieldsValue({ dueOn: r.dueOn ? dayjs(r.dueOn) : null, outcome: r.outcome ?? '', metricsMoved: r.metricsMoved });
                        setMoving({ task: r, to });
                      }}
                    />
                  )}
                  {can('opportunities.capture') && r.status !== 'cancelled' && (
                    <Button size="small" onClick={() => setCapturing(r.id)}>
                      {t('va.tab.captureFromTask')}
                    </Button>
                  )}
                  {can('value_add.book') &&
                    r.booking &&
                    (r.booking.status === 'booked' || r.booking.status === 'pending_approval') &&
                    (r.status === 'planned' || r.status === 'scheduled') && (
                      <Popconfirm
                        title={t('va.tab.cancelConfirm')}
                        onConfirm={() =>
                          cancel.mutateAsync(r.booking!).then(
                            () => message.success(t('common.saved')),
                            (e) => message.error(errorMessage(e)),
                          )
                        }
                      >
                        <Button size="small" danger type="text">
                          {t('va.tab.cancelBooking')}
                        </Button>
                      </Popconfirm>
                    )}
                </Flex>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={!!moving}
        title={moving ? `${moving.task.title} → ${t(`va.taskStatus.${moving.to}` as 'va.taskStatus.planned')}` : ''}
        onCancel={() => setMoving(null)}
        confirmLoading={move.isPending}
        onOk={() =>
          form.validateFields().then((v) =>
            move
              .mutateAsync({
                id: moving!.task.id,
                body: {
                  status: moving!.to,
                  dueOn: v.dueOn ? dayjs(v.dueOn).format('YYYY-MM-DD') : null,
                  outcome: v.outcome || null,
                  metricsMoved: v.metricsMoved ?? [],
                },
              })
              .then(
                () => setMoving(null),
                (e) => message.error(errorMessage(e)),
              ),
          )
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item name="dueOn" label={t('va.tab.due')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          {moving && (moving.to === 'done' || moving.to === 'evaluated') && (
            <Form.Item name="outcome" label={t('va.tab.outcome')}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {moving?.to === 'evaluated' && (
            <Form.Item name="metricsMoved" label={t('va.tab.metrics')}>
              <Checkbox.Group options={metrics.map((m) => ({ value: m, label: t(`va.metric.${m}`) }))} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <CaptureModal open={!!capturing} onClose={() => setCapturing(null)} taskId={capturing ?? undefined} />
    </Card>
  );
}
