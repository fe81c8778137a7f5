import { useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Dropdown,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Rate,
  Row,
  Segmented,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import {
  FireOutlined,
  LockOutlined,
  MoreOutlined,
  PaperClipOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  CheckCircleOutlined,
  SwapOutlined,
  DollarOutlined,
} from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCustomisationCover } from '../../commerce/api';
import { errorMessage, ApiError } from '../../../api/client';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { TierTag } from '../../components/labels';
import { toMinor } from '../../format';
import { useCan } from '../../session';
import { useTicket, useTicketAction, type Clock, type Ticket, type TicketAction } from '../api';
import { ClockTag, PriorityTag, StatusTag, fmt, useSd } from '../components/labels';

type Field = {
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'money' | 'select' | 'rate';
  options?: { value: string; label: string }[];
  required?: boolean;
};
type ActionDef = {
  key: string;
  label: string;
  icon?: ReactNode;
  fields: Field[];
  run: (v: Record<string, unknown>) => Promise<unknown>;
  danger?: boolean;
};

/** One action of the ticket page in a small modal form; the server's refusal is shown in its own words. */
function ActionModal({ def, onClose }: { def: ActionDef | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!def}
      title={def?.label}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ loading: busy, 'data-testid': 'action-ok' } as never}
      onOk={() => form.submit()}
    >
      {def && (
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            setBusy(true);
            try {
              await def.run(v);
              message.success(t('common.saved'));
              onClose();
            } catch (e) {
              if (e instanceof ApiError && e.fields.length) form.setFields(e.fields.map((f) => ({ name: f.field, errors: [e.message] })));
              message.error(errorMessage(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {def.fields.map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.label}
              rules={f.required === false ? [] : [{ required: true, message: t('common.required') }]}
            >
              {f.kind === 'textarea' ? (
                <Input.TextArea rows={4} data-testid={`action-${f.name}`} />
              ) : f.kind === 'money' ? (
                <InputNumber min={0} precision={2} style={{ width: 200 }} />
              ) : f.kind === 'select' ? (
                <Select options={f.options} allowClear={f.required === false} data-testid={`action-${f.name}`} />
              ) : f.kind === 'rate' ? (
                <Rate />
              ) : (
                <Input data-testid={`action-${f.name}`} />
              )}
            </Form.Item>
          ))}
        </Form>
      )}
    </Modal>
  );
}

function ClockCard({ c }: { c: Clock }) {
  const { t } = useTranslation();
  const sd = useSd();
  const pct = c.targetMinutes ? Math.min(100, Math.round((100 * c.elapsedMinutes) / c.targetMinutes)) : 100;
  return (
    <div style={{ marginBottom: 12 }} data-testid={`clock-card-${c.kind}`}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <ClockTag c={c} />
        <Typography.Text type="secondary">{t('sd.target', { v: c.target })}</Typography.Text>
      </Space>
      <Progress
        percent={pct}
        size="small"
        status={c.state === 'breached' ? 'exception' : c.state === 'met' ? 'success' : c.warning ? 'active' : 'normal'}
        strokeColor={c.warning ? '#fa8c16' : undefined}
        showInfo={false}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {c.state === 'met'
          ? `${sd('clockState', 'met')} ${fmt(c.metAt)}`
          : c.state === 'breached'
            ? `${t('sd.due')} ${fmt(c.dueAt)}`
            : `${t('sd.due')} ${fmt(c.dueAt)} · ${t('sd.remaining', { v: c.remaining })}`}
      </Typography.Text>
    </div>
  );
}

export function TicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const sd = useSd();
  const can = useCan();
  const { message } = App.useApp();
  const q = useTicket(id);
  const [action, setAction] = useState<ActionDef | null>(null);
  const [mode, setMode] = useState<'public' | 'internal'>('public');
  const [body, setBody] = useState('');
  const act = useTicketAction(id);
  const crumbs = [{ title: t('sd.title'), to: '/service-desk' }, { title: q.data ? `#${q.data.number}` : '…' }];

  if (q.isPending)
    return (
      <>
        <PageHeader title="…" breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <LoadingState rows={12} />
          </div>
        </div>
      </>
    );
  if (q.isError || !q.data)
    return (
      <>
        <PageHeader title={t('sd.title')} breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          </div>
        </div>
      </>
    );
  const tk: Ticket = q.data;
  const open = ['open', 'in_progress', 'waiting_customer'].includes(tk.status);
  const run = (a: TicketAction) => act.mutateAsync(a);
  // the action forms hold what each endpoint takes; the server checks it
  const asBody = <B,>(v: Record<string, unknown>) => v as B;

  const defs: Record<string, ActionDef> = {
    pause: {
      key: 'pause',
      label: t('sd.actions.pause'),
      icon: <PauseCircleOutlined />,
      fields: [{ name: 'reason', label: t('sd.pauseReason') }],
      run: (v) => run({ do: 'pause', body: asBody(v) }),
    },
    resolve: {
      key: 'resolve',
      label: t('sd.actions.resolve'),
      icon: <CheckCircleOutlined />,
      fields: [{ name: 'resolution', label: t('sd.resolution'), kind: 'textarea' }],
      run: (v) => run({ do: 'resolve', body: asBody(v) }),
    },
    reassign: {
      key: 'reassign',
      label: t('sd.actions.reassign'),
      icon: <SwapOutlined />,
      fields: [
        {
          name: 'ownerId',
          label: t('sd.reassignTo'),
          kind: 'select',
          options: tk.teamMembers.filter((m) => m.id !== tk.ownerId).map((m) => ({ value: m.id, label: m.name })),
        },
        { name: 'reason', label: t('sd.reason') },
      ],
      run: (v) => run({ do: 'assign', body: asBody(v) }),
    },
    major: {
      key: 'major',
      label: t('sd.actions.major'),
      icon: <FireOutlined />,
      fields: [{ name: 'reason', label: t('sd.majorReason') }],
      run: (v) => run({ do: 'major', body: asBody(v) }),
    },
    opportunity: {
      key: 'opportunity',
      label: t('sd.actions.opportunity'),
      icon: <DollarOutlined />,
      fields: [
        { name: 'title', label: t('sd.oppTitle') },
        { name: 'amount', label: t('sd.oppAmount'), kind: 'money', required: false },
      ],
      run: (v) => run({ do: 'opportunity', body: { title: String(v.title), amountMinor: v.amount ? toMinor(v.amount as number) : undefined } }),
    },
    csat: {
      key: 'csat',
      label: t('sd.actions.csat'),
      fields: [
        { name: 'score', label: t('sd.csatScore'), kind: 'rate' },
        { name: 'comment', label: t('sd.csatComment'), kind: 'textarea', required: false },
      ],
      run: (v) => run({ do: 'csat', body: asBody(v) }),
    },
  };

  const mainActions = (
    <>
      {open && tk.status !== 'waiting_customer' && (
        <Button icon={<PauseCircleOutlined />} onClick={() => setAction(defs.pause)} data-testid="action-pause">
          {t('sd.actions.pause')}
        </Button>
      )}
      {tk.status === 'waiting_customer' && (
        <Button
          icon={<PlayCircleOutlined />}
          onClick={() => void run({ do: 'resume' }).catch((e) => message.error(errorMessage(e)))}
          data-testid="action-resume"
        >
          {t('sd.actions.resume')}
        </Button>
      )}
      {open && (
        <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setAction(defs.resolve)} data-testid="action-resolve">
          {t('sd.actions.resolve')}
        </Button>
      )}
      {tk.status === 'resolved' && (
        <Button onClick={() => void run({ do: 'close' }).catch((e) => message.error(errorMessage(e)))}>{t('sd.actions.close')}</Button>
      )}
      <Dropdown
        menu={{
          items: [
            open && can('tickets.assign') ? { key: 'reassign', icon: <SwapOutlined />, label: t('sd.actions.reassign') } : null,
            !tk.major && can('tickets.major') ? { key: 'major', icon: <FireOutlined />, label: t('sd.actions.major') } : null,
            can('opportunities.capture') ? { key: 'opportunity', icon: <DollarOutlined />, label: t('sd.actions.opportunity') } : null,
            tk.canRate ? { key: 'csat', label: t('sd.actions.csat') } : null,
          ].filter(Boolean) as never,
          onClick: ({ key }) => setAction(defs[key]),
        }}
      >
        <Button icon={<MoreOutlined />} data-testid="more-actions" />
      </Dropdown>
    </>
  );

  async function send() {
    if (!body.trim()) return;
    try {
      await run({ do: 'messages', body: { body, visibility: mode } });
      setBody('');
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <>
      <PageHeader
        title={`#${tk.number} ${tk.title}`}
        breadcrumb={crumbs}
        tags={
          <>
            <StatusTag status={tk.status} />
            <PriorityTag priority={tk.priority} />
            <Tag>{sd('kind', tk.kind)}</Tag>
            {tk.major && (
              <Tag color="red" icon={<FireOutlined />}>
                {t('sd.fields.major')}
              </Tag>
            )}
          </>
        }
        extra={mainActions}
      />
      <div className="kw-content">
        <Row gutter={16}>
          <Col xs={24} lg={16}>
            <Card title={t('sd.conversation')} size="small" style={{ marginBottom: 16 }}>
              <div style={{ marginBottom: 12 }}>
                <Typography.Text type="secondary">
                  {tk.requesterName} · {fmt(tk.createdAt)} · {sd('channel', tk.channel)}
                </Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>{tk.description}</Typography.Paragraph>
              </div>
              <List
                dataSource={tk.messages}
                locale={{ emptyText: <EmptyState text={t('common.none')} /> }}
                renderItem={(m) => (
                  <List.Item
                    style={{ background: m.visibility === 'internal' ? '#fffbe6' : undefined, paddingInline: 8 }}
                    data-testid={`message-${m.visibility}`}
                  >
                    <List.Item.Meta
                      title={
                        <Space size={6}>
                          <span>{m.authorName}</span>
                          {m.visibility === 'internal' && (
                            <Tag icon={<LockOutlined />} color="gold">
                              {t('sd.internal')}
                            </Tag>
                          )}
                          {m.authorKind === 'key_person' && <Tag color="blue">{t('sd.requester')}</Tag>}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {fmt(m.createdAt)}
                          </Typography.Text>
                        </Space>
                      }
                      description={<span style={{ whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,0.88)' }}>{m.body}</span>}
                    />
                  </List.Item>
                )}
              />
              {tk.status !== 'closed' && (
                <div style={{ marginTop: 12 }}>
                  <Segmented<'public' | 'internal'>
                    value={mode}
                    onChange={setMode}
                    options={[
                      { value: 'public', label: t('sd.public') },
                      { value: 'internal', label: t('sd.internal') },
                    ]}
                    style={{ marginBottom: 8 }}
                  />
                  <Input.TextArea
                    rows={3}
                    value={body}
                    onChange={(e) => setBody(e.target.value)}
                    placeholder={mode === 'public' ? t('sd.replyPlaceholder') : t('sd.notePlaceholder')}
                    data-testid="reply-body"
                  />
                  <Space style={{ marginTop: 8 }}>
                    <Button type="primary" onClick={() => void send()} loading={act.isPending} disabled={!body.trim()} data-testid="reply-send">
                      {t('sd.send')}
                    </Button>
                    <Upload
                      showUploadList={false}
                      customRequest={({ file, onSuccess, onError }) => {
                        run({ do: 'attach', file: file as File, visibility: mode })
                          .then((r) => onSuccess?.(r))
                          .catch((e) => {
                            message.error(errorMessage(e));
                            onError?.(e);
                          });
                      }}
                    >
                      <Button icon={<PaperClipOutlined />}>{mode === 'public' ? t('sd.upload') : t('sd.uploadInternal')}</Button>
                    </Upload>
                  </Space>
                </div>
              )}
            </Card>
            {tk.attachments.length > 0 && (
              <Card title={t('sd.attachments')} size="small" style={{ marginBottom: 16 }}>
                <List
                  size="small"
                  dataSource={tk.attachments}
                  renderItem={(a) => (
                    <List.Item>
                      <Space>
                        <PaperClipOutlined />
                        <a href={`/api/tickets/${id}/attachments/${a.id}`}>{a.fileName}</a>
                        <Typography.Text type="secondary">
                          {Math.ceil(a.sizeBytes / 1024)} KB · {a.uploadedByName}
                        </Typography.Text>
                        {a.visibility === 'internal' && <Tag color="gold">{t('sd.internal')}</Tag>}
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            )}
            <Card title={t('sd.historyTitle')} size="small">
              <Timeline
                items={tk.history.map((h) => ({
                  color:
                    h.kind === 'breached' || h.kind === 'escalated'
                      ? 'red'
                      : h.kind === 'warned'
                        ? 'orange'
                        : h.kind === 'assigned'
                          ? 'blue'
                          : 'gray',
                  children: (
                    <div data-testid={`history-${h.kind}`}>
                      <Space size={6}>
                        <Tag>{sd('history', h.kind)}</Tag>
                        {h.toStatus && h.kind === 'status' && (
                          <span>
                            {sd('status', h.fromStatus)} → {sd('status', h.toStatus)}
                          </span>
                        )}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {h.actorName} · {fmt(h.at)}
                        </Typography.Text>
                      </Space>
                      {h.reason && <div>{h.reason}</div>}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card size="small" style={{ marginBottom: 16 }}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('sd.fields.account')}>
                  <Space size={2}>
                    <TierTag tier={tk.tier} />
                    <Link to={`/accounts/${tk.accountId}?tab=service`}>{tk.accountName}</Link>
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('sd.requester')}>{tk.requesterName}</Descriptions.Item>
                <Descriptions.Item label={t('sd.accountable')}>{tk.accountableName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('sd.owner')}>
                  <span data-testid="ticket-owner">{tk.ownerName ?? t('sd.queues.unassigned')}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('sd.team')}>{tk.teamName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('sd.fields.severity')}>{sd('severity', tk.severity)}</Descriptions.Item>
                {tk.product && <Descriptions.Item label={t('sd.fields.product')}>{tk.product}</Descriptions.Item>}
                {tk.contractNo && <Descriptions.Item label={t('sd.fields.contractNo')}>{tk.contractNo}</Descriptions.Item>}
              </Descriptions>
              <Alert
                type="info"
                showIcon
                style={{ marginTop: 8 }}
                title={t('sd.dispatchReason')}
                description={<span data-testid="dispatch-reason">{tk.dispatchReason}</span>}
              />
              {tk.kind === 'customisation' && <CustomisationCover accountId={tk.accountId} />}
            </Card>
            <Card
              title={t('sd.clocks')}
              size="small"
              style={{ marginBottom: 16 }}
              extra={
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('sd.policy', { tier: tk.policy.tier, severity: sd('severity', tk.policy.severity) })}
                </Typography.Text>
              }
            >
              {tk.clocks.map((c) => (
                <ClockCard key={c.id} c={c} />
              ))}
            </Card>
            <Card title={t('sd.csatGiven')} size="small" style={{ marginBottom: 16 }}>
              {tk.csat ? (
                <div data-testid="csat">
                  <Rate disabled value={tk.csat.score} /> <Typography.Text>{tk.csat.byName}</Typography.Text>
                  {tk.csat.comment && <Typography.Paragraph style={{ marginTop: 4 }}>“{tk.csat.comment}”</Typography.Paragraph>}
                </div>
              ) : (
                <Typography.Text type="secondary">{t('sd.noCsat')}</Typography.Text>
              )}
            </Card>
            {(tk.keyMoments.length > 0 || tk.opportunities.length > 0 || tk.escalations.length > 0) && (
              <Card size="small">
                {tk.keyMoments.length > 0 && (
                  <>
                    <Typography.Title level={5}>{t('sd.keyMoments')}</Typography.Title>
                    {tk.keyMoments.map((k) => (
                      <Tag key={k.id} color="red">
                        {t(`sd.keyMomentCause.${k.cause}` as 'sd.title')} · {fmt(k.createdAt)}
                      </Tag>
                    ))}
                  </>
                )}
                {tk.opportunities.length > 0 && (
                  <>
                    <Typography.Title level={5}>{t('sd.opportunities')}</Typography.Title>
                    {tk.opportunities.map((o) => (
                      <div key={o.id}>
                        {o.title} · {o.capturedByName}
                      </div>
                    ))}
                  </>
                )}
                {tk.escalations.length > 0 && (
                  <>
                    <Typography.Title level={5}>{t('sd.escalations')}</Typography.Title>
                    {tk.escalations.map((e) => (
                      <div key={e.id}>
                        {e.recipientName} · {fmt(e.at)}
                      </div>
                    ))}
                  </>
                )}
              </Card>
            )}
          </Col>
        </Row>
      </div>
      <ActionModal def={action} onClose={() => setAction(null)} />
    </>
  );
}

/** A customisation ticket says whether a contract in force covers the work (seed 003: the contract's customised services). */
function CustomisationCover({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const q = useCustomisationCover(accountId, true);
  if (!q.data) return null;
  const c = q.data;
  return (
    <Alert
      type={c.covered ? 'success' : 'warning'}
      showIcon
      style={{ marginTop: 8 }}
      data-testid="customisation-cover"
      title={
        c.covered
          ? t('cm.cover.covered', {
              contracts: c.contracts.map((x) => x.number).join('、'),
              services: [...new Set(c.contracts.flatMap((x) => x.services))].join('、'),
            })
          : t('cm.cover.notCovered')
      }
    />
  );
}
