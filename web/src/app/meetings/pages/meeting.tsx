import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { errorMessage, isStale } from '../../../api/client';
import { StaleNotice } from '../../components/stale-notice';
import { toMinor } from '../../format';
import { useMe } from '../../session';
import { useEnum } from '../../components/labels';
import { useMeeting, useMeetingActions, type MeetingDetail, type MeetingResponse } from '../api';
import { ActionItemsTable } from '../components/action-items-table';
import { KindTag, MeetingStatusTag, ResponseTag, useMt, when } from '../components/labels';

/** A meeting: agenda, attendees and their replies, minutes, summary, action items, outcomes. */
export function MeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const mt = useMt();
  const q = useMeeting(id);
  const m = q.data;
  const crumbs = [{ title: t('mt.title'), to: '/meetings' }, { title: m?.title ?? '…' }];
  if (q.isPending)
    return (
      <>
        <PageHeader title="…" breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <LoadingState rows={10} />
          </div>
        </div>
      </>
    );
  if (q.isError)
    return (
      <>
        <PageHeader title={t('mt.title')} breadcrumb={crumbs} />
        <div className="kw-content">
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        </div>
      </>
    );
  return <MeetingView m={m!} crumbs={crumbs} mt={mt} />;
}

function MeetingView({ m, crumbs, mt }: { m: MeetingDetail; crumbs: { title: string; to?: string }[]; mt: ReturnType<typeof useMt> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const label = useEnum();
  const acts = useMeetingActions(m.id);
  const [minutes, setMinutes] = useState(m.minutes ?? '');
  const [adding, setAdding] = useState(false);
  const [capturing, setCapturing] = useState(false);
  // optimistic concurrency: the minutes are edited from the version last taken into the box; a refetch
  // shows newer minutes only while there are no unsaved edits (those stay, and their save meets the 412)
  const synced = useRef({ text: m.minutes ?? '', version: m.version });
  const typed = useRef(minutes);
  typed.current = minutes;
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const latest = useMeeting(m.id);
  useEffect(() => {
    if (typed.current !== synced.current.text) return;
    synced.current = { text: m.minutes ?? '', version: m.version };
    setMinutes(m.minutes ?? '');
  }, [m.minutes, m.version]);
  const saveMinutes = async () => {
    try {
      const r = await acts.saveMinutes.mutateAsync({ minutes, version: synced.current.version });
      synced.current = { text: minutes, version: r.version };
      setStale(null);
      setReloaded(false);
      message.success(t('mt.page.saved'));
    } catch (e) {
      if (isStale(e)) {
        setReloaded(false);
        setStale(e.message);
      } else message.error(errorMessage(e));
    }
  };
  const reloadMinutes = async () => {
    const r = await latest.refetch();
    if (r.data) {
      synced.current = { text: synced.current.text, version: r.data.version };
      setStale(null);
      setReloaded(true);
    }
  };
  const myReply = m.attendees.find((a) => a.userId === me.data?.id)?.response;

  async function run<T>(p: Promise<T>, ok = t('mt.page.saved')) {
    try {
      await p;
      message.success(ok);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  }

  return (
    <>
      <PageHeader
        title={m.title}
        breadcrumb={crumbs}
        tags={
          <>
            <KindTag kind={m.kind} />
            <Tag>{mt('cause', m.cause)}</Tag>
            <MeetingStatusTag status={m.status} />
          </>
        }
        extra={
          <>
            {m.can.respond && m.status === 'scheduled' && (
              <Select
                style={{ width: 140 }}
                placeholder={t('mt.page.respond')}
                value={myReply === 'needs_action' ? undefined : (myReply as MeetingResponse | undefined)}
                onChange={(v) => void run(acts.respond.mutateAsync(v))}
                options={(['accepted', 'tentative', 'declined'] as const).map((r) => ({ value: r, label: mt('response', r) }))}
                data-testid="respond"
              />
            )}
            {m.can.capture && <Button onClick={() => setCapturing(true)}>{t('mt.page.capture')}</Button>}
            {m.can.manage && m.status === 'scheduled' && (
              <Popconfirm title={t('mt.page.cancelConfirm')} onConfirm={() => void run(acts.cancel.mutateAsync())}>
                <Button danger>{t('mt.page.cancel')}</Button>
              </Popconfirm>
            )}
          </>
        }
      />
      <div className="kw-content">
        <Row gutter={16}>
          <Col xs={24} lg={15}>
            <div className="kw-card" style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('mt.cols.account')}>
                  <Link to={`/accounts/${m.accountId}`}>{m.accountName}</Link>
                </Descriptions.Item>
                <Descriptions.Item label={t('mt.cols.when')}>{when(m.startsAt, m.endsAt)}</Descriptions.Item>
                <Descriptions.Item label={t('mt.cols.organizer')}>{m.organizerName}</Descriptions.Item>
                <Descriptions.Item label={t('mt.form.location')}>{m.location ?? '—'}</Descriptions.Item>
                {m.rrule && (
                  <Descriptions.Item label={t('mt.page.series')}>
                    <Typography.Text code>{m.rrule}</Typography.Text>
                  </Descriptions.Item>
                )}
                {m.ticketId && (
                  <Descriptions.Item label={t('mt.page.ticket')}>
                    <Link to={`/service-desk/tickets/${m.ticketId}`}>{t('mt.page.ticket')}</Link>
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Typography.Title level={5}>{t('mt.page.agenda')}</Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{m.agenda || '—'}</Typography.Paragraph>
            </div>
            <div className="kw-card" style={{ marginBottom: 16 }}>
              <Typography.Title level={5}>{t('mt.page.minutes')}</Typography.Title>
              {m.can.minutes && m.status !== 'cancelled' ? (
                <>
                  <StaleNotice message={stale} onReload={reloadMinutes} reloaded={reloaded} />
                  {reloaded && latest.data?.minutes && latest.data.minutes !== minutes && (
                    <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }} data-testid="minutes-theirs">
                      {latest.data.minutes}
                    </Typography.Paragraph>
                  )}
                  <Input.TextArea
                    rows={8}
                    value={minutes}
                    onChange={(e) => setMinutes(e.target.value)}
                    placeholder={t('mt.page.minutesPlaceholder')}
                    maxLength={50_000}
                    data-testid="minutes"
                  />
                  <Button
                    type="primary"
                    style={{ marginTop: 8 }}
                    loading={acts.saveMinutes.isPending}
                    onClick={() => void saveMinutes()}
                    data-testid="save-minutes"
                  >
                    {t('mt.page.saveMinutes')}
                  </Button>
                </>
              ) : (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{m.minutes || '—'}</Typography.Paragraph>
              )}
            </div>
            <div className="kw-card" data-testid="summary">
              <Space style={{ marginBottom: 8 }}>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t('mt.page.summary')}
                </Typography.Title>
                {m.summary && (
                  <Tag>
                    {t(`mt.page.source.${m.summary.source}` as 'mt.page.source.llm')}
                    {m.summary.model ? ` · ${m.summary.model}` : ''}
                  </Tag>
                )}
              </Space>
              {m.summaryStatus === 'pending' ? (
                <Spin tip={t('mt.page.summarising')}>
                  <div style={{ minHeight: 60 }} />
                </Spin>
              ) : !m.summary ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('mt.page.noSummary')} />
              ) : (
                <>
                  {m.summary.error && <Alert type="warning" showIcon message={t('mt.page.fallback')} style={{ marginBottom: 8 }} />}
                  <Typography.Paragraph>{m.summary.summary}</Typography.Paragraph>
                  {(m.summary.amounts?.length ?? 0) > 0 && (
                    <List
                      size="small"
                      data-testid="summary-amounts"
                      header={<b>{t('mt.page.amounts')}</b>}
                      dataSource={m.summary.amounts ?? []}
                      renderItem={(a) => (
                        <List.Item>
                          <span>
                            <Tag color="gold">{a.text}</Tag>
                            <Typography.Text type="secondary">{a.context}</Typography.Text>
                          </span>
                        </List.Item>
                      )}
                    />
                  )}
                  {(m.summary.scope?.length ?? 0) > 0 && (
                    <List
                      size="small"
                      data-testid="summary-scope"
                      header={<b>{t('mt.page.scope')}</b>}
                      dataSource={m.summary.scope ?? []}
                      renderItem={(d) => <List.Item>{d}</List.Item>}
                    />
                  )}
                  {(m.summary.concerns?.length ?? 0) > 0 && (
                    <List
                      size="small"
                      data-testid="summary-concerns"
                      header={<b>{t('mt.page.concerns')}</b>}
                      dataSource={m.summary.concerns ?? []}
                      renderItem={(d) => <List.Item>{d}</List.Item>}
                    />
                  )}
                  {m.summary.decisions.length > 0 && (
                    <List
                      size="small"
                      header={<b>{t('mt.page.decisions')}</b>}
                      dataSource={m.summary.decisions}
                      renderItem={(d) => <List.Item>{d}</List.Item>}
                    />
                  )}
                  {m.summary.actionItems.length > 0 && (
                    <List
                      size="small"
                      header={<b>{t('mt.page.actionItems')}</b>}
                      dataSource={m.summary.actionItems}
                      renderItem={(a) => (
                        <List.Item data-testid="summary-action">
                          {a.title}
                          <span>
                            {a.ownerName && <Tag>{a.ownerName}</Tag>}
                            {a.dueOn && <Tag color="blue">{a.dueOn}</Tag>}
                          </span>
                        </List.Item>
                      )}
                    />
                  )}
                  {(m.summary.dates?.length ?? 0) > 0 && (
                    <div data-testid="summary-dates" style={{ marginTop: 8 }}>
                      <b>{t('mt.page.dates')}</b>
                      <div style={{ marginTop: 4 }}>
                        {(m.summary.dates ?? []).map((d) => (
                          <Tag key={`${d.text}-${d.on}`} title={d.text}>
                            {d.text === d.on ? d.on : `${d.text} · ${d.on}`}
                          </Tag>
                        ))}
                      </div>
                    </div>
                  )}
                </>
              )}
            </div>
          </Col>
          <Col xs={24} lg={9}>
            <div className="kw-card" style={{ marginBottom: 16 }}>
              <Typography.Title level={5}>{t('mt.page.attendees')}</Typography.Title>
              <List
                size="small"
                dataSource={m.attendees}
                renderItem={(a) => (
                  <List.Item data-testid="attendee">
                    <span>
                      {a.name} <Typography.Text type="secondary">· {label('role', a.role)}</Typography.Text>
                    </span>
                    <ResponseTag response={a.response} />
                  </List.Item>
                )}
              />
              {m.guests.length > 0 && (
                <div data-testid="meeting-guests" style={{ marginTop: 12 }}>
                  <Typography.Title level={5}>{t('mt.page.guests')}</Typography.Title>
                  <Space wrap>
                    {m.guests.map((g) => (
                      <Tag key={g.keyPersonId}>{g.name}</Tag>
                    ))}
                  </Space>
                  {m.guestTitle && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                      {t('mt.page.guestTitle')} · {m.guestTitle}
                    </Typography.Paragraph>
                  )}
                </div>
              )}
            </div>
            <Alert
              type="info"
              message={t('mt.page.assessmentSeam')}
              action={
                <Link to={`/accounts/${m.accountId}?tab=relationships`}>
                  <Button size="small">{t('mt.page.assessmentGo')}</Button>
                </Link>
              }
            />
          </Col>
        </Row>
        <div className="kw-card" style={{ marginTop: 16 }} data-testid="action-items">
          <Space style={{ marginBottom: 8, justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('mt.page.actionItems')}
            </Typography.Title>
            {m.can.minutes && (
              <Button size="small" onClick={() => setAdding(true)}>
                {t('mt.page.addAction')}
              </Button>
            )}
          </Space>
          <ActionItemsTable items={m.actionItems} meId={me.data?.id} canEditAll={m.can.manage} />
        </div>
      </div>
      <AddActionModal
        open={adding}
        onClose={() => setAdding(false)}
        m={m}
        onSubmit={async (v) => (await run(acts.addAction.mutateAsync(v))) && setAdding(false)}
      />
      <CaptureModal
        open={capturing}
        onClose={() => setCapturing(false)}
        onSubmit={async (v) => (await run(acts.capture.mutateAsync(v), t('common.created'))) && setCapturing(false)}
      />
    </>
  );
}

function AddActionModal({
  open,
  onClose,
  m,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  m: MeetingDetail;
  onSubmit: (v: { title: string; ownerId: string; dueOn: string | null }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  return (
    <Modal open={open} onCancel={onClose} onOk={() => form.submit()} title={t('mt.page.addAction')} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { title: string; ownerId: string; due?: Dayjs }) =>
          onSubmit({ title: v.title, ownerId: v.ownerId, dueOn: v.due ? v.due.format('YYYY-MM-DD') : null })
        }
      >
        <Form.Item
          name="title"
          label={t('mt.cols.title')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[^\r\n]*$/, message: t('mt.form.oneLine') },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="ownerId" label={t('mt.cols.owner')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={m.attendees.map((a) => ({ value: a.userId, label: a.name }))} />
        </Form.Item>
        <Form.Item name="due" label={t('mt.cols.due')}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CaptureModal({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  onSubmit: (v: { title: string; amountMinor?: number }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  return (
    <Modal open={open} onCancel={onClose} onOk={() => form.submit()} title={t('mt.page.capture')} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: { title: string; amount?: number }) => onSubmit({ title: v.title, amountMinor: v.amount ? toMinor(v.amount) : undefined })}
      >
        <Form.Item
          name="title"
          label={t('mt.page.captureTitle')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[^\r\n]*$/, message: t('mt.form.oneLine') },
          ]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="amount" label={t('mt.page.amount')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
