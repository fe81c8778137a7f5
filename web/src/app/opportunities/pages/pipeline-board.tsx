import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { App, Alert, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Switch, Table, Tag, Typography } from 'antd';
import { ApiOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, formatDateTime, formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { TierTag } from '../../components/labels';
import { useUsers } from '../../people/api';
import {
  useBoard,
  useMoveFromBoard,
  useSaveWebhook,
  useWebhook,
  useWebhookDeliveries,
  type Opportunity,
  type SourceKind,
  type StageMoveBody,
} from '../api';
import { OpportunityDrawer, StageBadge } from '../components/opportunity-drawers';

const sourceKinds: SourceKind[] = ['ticket', 'meeting', 'value_add_task', 'portal_demand', 'visit', 'contract', 'other'];

/**
 * 商机 menu: the pipeline board, one column per stage. Filters by account, owner and source, "captured by me" and
 * "handed to me" (sales); cards move between stages by drag and drop (native HTML5 events) where the server's
 * `allowedNext` allows it — a drop on 丢单 asks for the reason first.
 */
export function PipelineBoardPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const [mine, setMine] = useState(false);
  const [handedToMe, setHandedToMe] = useState(false);
  const [accountId, setAccountId] = useState<string | undefined>();
  const [ownerId, setOwnerId] = useState<string | undefined>();
  const [sourceKind, setSourceKind] = useState<SourceKind | undefined>();
  // ?open=<id> opens an opportunity's drawer (links from notices and other records)
  const [sp, setSp] = useSearchParams();
  const open = sp.get('open');
  const setOpen = (id: string | null) => setSp(id ? { open: id } : {}, { replace: true });
  const [hooks, setHooks] = useState(false);
  const q = useBoard({ mine, handedToMe, accountId, ownerId, sourceKind });
  const users = useUsers();
  const move = useMoveFromBoard();
  const canMove = can('opportunities.move');
  const [dragging, setDragging] = useState<Opportunity | null>(null);
  // the card being dragged, also as a ref: a quick drag reaches dragover/drop before React has re-rendered with the state
  const dragRef = useRef<Opportunity | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [losing, setLosing] = useState<Opportunity | null>(null);
  const [reason, setReason] = useState('');
  // the accounts seen on the board so far: the account filter's choices (kept while a filter narrows the board)
  const seen = useRef(new Map<string, string>());
  const accounts = useMemo(() => {
    for (const c of q.data ?? []) for (const o of c.items) seen.current.set(o.accountId, o.accountName);
    return [...seen.current].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [q.data]);
  const stageName = (s: string) => t(`va.stage.${s}` as 'va.stage.captured', { defaultValue: s });

  const doMove = (o: Opportunity, to: string, why?: string) =>
    move.mutateAsync({ id: o.id, body: { to: to as StageMoveBody['to'], reason: why } }).then(
      () => message.success(t('fd.pipeline.moved', { stage: stageName(to) })),
      (e) => message.error(errorMessage(e)),
    );
  const allowed = (o: Opportunity | null, stage: string) => !!o && o.stage !== stage && o.allowedNext.includes(stage);
  const onDrop = (stage: string) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const o = dragRef.current ?? dragging;
    dragRef.current = null;
    setDragging(null);
    if (!o || o.stage === stage) return;
    if (!allowed(o, stage)) {
      message.warning(t('fd.pipeline.notAllowed', { from: stageName(o.stage), to: stageName(stage) }));
      return;
    }
    if (stage === 'lost') {
      setReason('');
      setLosing(o);
      return;
    }
    void doMove(o, stage);
  };

  return (
    <>
      <PageHeader
        title={t('va.opp.board')}
        breadcrumb={[{ title: t('menu.opportunities') }]}
        extra={
          <>
            <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)}>
              {t('va.opp.mine')}
            </Checkbox>
            <Checkbox checked={handedToMe} onChange={(e) => setHandedToMe(e.target.checked)} data-testid="board-handed-to-me">
              {t('fd.pipeline.handedToMe')}
            </Checkbox>
            {can('webhooks.manage') && (
              <Button icon={<ApiOutlined />} onClick={() => setHooks(true)}>
                {t('va.opp.webhook')}
              </Button>
            )}
          </>
        }
        sub={
          <Typography.Text type="secondary">
            {t('va.opp.boardHelp')} {canMove && t('fd.pipeline.dragHint')}
          </Typography.Text>
        }
      />
      <div className="kw-content">
        <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="board-filters">
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('fd.pipeline.account')}
            style={{ minWidth: 220 }}
            value={accountId}
            onChange={setAccountId}
            options={accounts}
            data-testid="board-account"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('fd.pipeline.owner')}
            style={{ minWidth: 160 }}
            value={ownerId}
            onChange={setOwnerId}
            disabled={handedToMe}
            options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            data-testid="board-owner"
          />
          <Select
            allowClear
            placeholder={t('fd.pipeline.source')}
            style={{ minWidth: 140 }}
            value={sourceKind}
            onChange={setSourceKind}
            options={sourceKinds.map((k) => ({ value: k, label: t(`fd.pipeline.sources.${k}`) }))}
            data-testid="board-source"
          />
        </Flex>
        {q.isPending ? (
          <LoadingState rows={10} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : q.data.every((c) => c.count === 0) ? (
          <div className="kw-card">
            <EmptyState text={t('va.opp.empty')} action={<Link to="/accounts">{t('menu.accounts')}</Link>} />
          </div>
        ) : (
          <div
            style={{ display: 'grid', gridTemplateColumns: 'repeat(5, minmax(200px, 1fr))', gap: 12, overflowX: 'auto' }}
            data-testid="pipeline-board"
          >
            {q.data.map((c) => {
              const target = dragging ? allowed(dragging, c.stage) : false;
              return (
                <Card
                  key={c.stage}
                  size="small"
                  data-testid={`column-${c.stage}`}
                  onDragOver={(e) => {
                    const d = dragRef.current ?? dragging;
                    if (!d) return;
                    e.preventDefault();
                    e.dataTransfer.dropEffect = allowed(d, c.stage) ? 'move' : 'none';
                    if (over !== c.stage) setOver(c.stage);
                  }}
                  onDragLeave={() => over === c.stage && setOver(null)}
                  onDrop={onDrop(c.stage)}
                  title={
                    <Flex justify="space-between">
                      <StageBadge stage={c.stage} />
                      <span>{t('va.opp.count', { count: c.count })}</span>
                    </Flex>
                  }
                  extra={null}
                  styles={{
                    body: {
                      display: 'flex',
                      flexDirection: 'column',
                      gap: 8,
                      minHeight: 200,
                      background: dragging && target ? (over === c.stage ? '#e6f4ff' : '#f0f7ff') : '#fafafa',
                      outline: dragging && target && over === c.stage ? '2px dashed #1677ff' : undefined,
                    },
                  }}
                >
                  <Typography.Text type="secondary">{formatMoney(c.amountMinor, locale)}</Typography.Text>
                  {c.items.map((o) => (
                    <Card
                      key={o.id}
                      size="small"
                      hoverable
                      onClick={() => setOpen(o.id)}
                      data-testid="opp-card"
                      draggable={canMove && o.allowedNext.length > 0}
                      onDragStart={(e) => {
                        e.dataTransfer.effectAllowed = 'move';
                        e.dataTransfer.setData('text/plain', o.id);
                        dragRef.current = o;
                        setDragging(o);
                      }}
                      onDragEnd={() => {
                        dragRef.current = null;
                        setDragging(null);
                        setOver(null);
                      }}
                      style={{ opacity: dragging?.id === o.id ? 0.5 : 1, cursor: canMove && o.allowedNext.length ? 'grab' : undefined }}
                    >
                      <div style={{ fontWeight: 500 }}>{o.title}</div>
                      <div style={{ fontSize: 12, color: '#666' }}>
                        <TierTag tier={o.accountTier} /> {o.accountName}
                      </div>
                      <Flex justify="space-between" style={{ fontSize: 12, marginTop: 4 }}>
                        <span>{formatMoney(o.amountMinor, locale)}</span>
                        <span>
                          {o.ownerName ?? o.capturedByName} · {formatDate(o.createdAt)}
                        </span>
                      </Flex>
                    </Card>
                  ))}
                </Card>
              );
            })}
          </div>
        )}
      </div>
      <OpportunityDrawer id={open} onClose={() => setOpen(null)} />
      <Modal
        open={!!losing}
        title={t('va.opp.lostReason')}
        okButtonProps={{ disabled: !reason.trim(), loading: move.isPending }}
        onCancel={() => setLosing(null)}
        onOk={() => losing && void doMove(losing, 'lost', reason.trim()).then(() => setLosing(null))}
      >
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="board-lost-reason" />
      </Modal>
      {hooks && <WebhookModal onClose={() => setHooks(false)} />}
    </>
  );
}

const noWebhook = { url: '', active: true, version: 0 };

function WebhookModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useWebhook(true);
  const deliveries = useWebhookDeliveries();
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<{ url: string; active: boolean }>();
  const save = useSaveWebhook();
  const w = q.data?.webhook;
  // optimistic concurrency: saved from the version the form showed (0: none configured yet); a 412 offers
  // a reload that keeps the input
  const shown = useMemo(() => (q.data ? (q.data.webhook ?? noWebhook) : undefined), [q.data]);
  const version = useSettingsVersion(
    form,
    shown,
    useCallback(async () => ({ data: (await q.refetch()).data?.webhook ?? noWebhook }), [q]),
    (x) => ({ url: x.url, active: x.active }),
  );
  const submit = (rotateSecret?: boolean) =>
    form.validateFields().then((v) =>
      save.mutateAsync({ url: v.url, active: v.active, rotateSecret, version: version.version }).then(
        (r) => {
          version.saved(r.webhook);
          message.success(t('common.saved'));
          if (r.webhook.secret) setSecret(r.webhook.secret);
        },
        (e) => {
          if (!version.failed(e)) message.error(errorMessage(e));
        },
      ),
    );
  return (
    <Modal open title={t('va.opp.webhook')} onCancel={onClose} width={760} footer={<Button onClick={onClose}>{t('common.close')}</Button>}>
      <Typography.Paragraph type="secondary">{t('va.opp.webhookHelp')}</Typography.Paragraph>
      {q.isPending ? (
        <LoadingState />
      ) : (
        <Form form={form} layout="vertical" initialValues={{ url: w?.url ?? '', active: w?.active ?? true }}>
          <Form.Item name="url" label={t('va.opp.webhookUrl')} rules={[{ required: true, message: t('common.required') }]}>
            <Input placeholder="https://crm.example.com/hooks/keyward" />
          </Form.Item>
          <Form.Item name="active" label={t('common.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <StaleNotice {...version.notice} />
          <Flex gap={8}>
            <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="webhook-save">
              {t('common.save')}
            </Button>
            {w && <Button onClick={() => void submit(true)}>{t('va.opp.webhookRotate')}</Button>}
            {w && <Tag>{w.secretHint}</Tag>}
          </Flex>
        </Form>
      )}
      {secret && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          message={t('va.opp.webhookSecret')}
          description={
            <Typography.Text copyable code>
              {secret}
            </Typography.Text>
          }
        />
      )}
      <h4 style={{ marginTop: 16 }}>{t('va.opp.deliveries')}</h4>
      <Table
        size="small"
        rowKey="id"
        pagination={{ pageSize: 5 }}
        dataSource={deliveries.data?.items ?? []}
        columns={[
          { title: t('common.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
          { title: '#', dataIndex: 'attempt' },
          {
            title: t('common.status'),
            dataIndex: 'outcome',
            render: (v: string) => <Tag color={v === 'delivered' ? 'green' : v === 'refused' ? 'red' : 'orange'}>{v}</Tag>,
          },
          { title: 'HTTP', dataIndex: 'statusCode' },
          { title: t('common.note'), dataIndex: 'error', ellipsis: true },
        ]}
      />
    </Modal>
  );
}
