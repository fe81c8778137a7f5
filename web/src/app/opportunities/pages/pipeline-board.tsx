import { useState } from 'react';
import { App, Alert, Button, Card, Checkbox, Flex, Form, Input, Modal, Switch, Table, Tag, Typography } from 'antd';
import { ApiOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, formatDateTime, formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { TierTag } from '../../components/labels';
import { useBoard, useSaveWebhook, useWebhook, useWebhookDeliveries } from '../api';
import { OpportunityDrawer, StageBadge } from '../components/opportunity-drawers';

/** 商机 menu: the pipeline board, one column per stage. */
export function PipelineBoardPage() {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  const [mine, setMine] = useState(false);
  // ?open=<id> opens an opportunity's drawer (links from notices and other records)
  const [sp, setSp] = useSearchParams();
  const open = sp.get('open');
  const setOpen = (id: string | null) => setSp(id ? { open: id } : {}, { replace: true });
  const [hooks, setHooks] = useState(false);
  const q = useBoard({ mine });
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
            {can('webhooks.manage') && (
              <Button icon={<ApiOutlined />} onClick={() => setHooks(true)}>
                {t('va.opp.webhook')}
              </Button>
            )}
          </>
        }
        sub={<Typography.Text type="secondary">{t('va.opp.boardHelp')}</Typography.Text>}
      />
      <div className="kw-content">
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
            {q.data.map((c) => (
              <Card
                key={c.stage}
                size="small"
                data-testid={`column-${c.stage}`}
                title={
                  <Flex justify="space-between">
                    <StageBadge stage={c.stage} />
                    <span>{t('va.opp.count', { count: c.count })}</span>
                  </Flex>
                }
                extra={null}
                styles={{ body: { display: 'flex', flexDirection: 'column', gap: 8, minHeight: 200, background: '#fafafa' } }}
              >
                <Typography.Text type="secondary">{formatMoney(c.amountMinor, locale)}</Typography.Text>
                {c.items.map((o) => (
                  <Card key={o.id} size="small" hoverable onClick={() => setOpen(o.id)} data-testid="opp-card">
                    <div style={{ fontWeight: 500 }}>{o.title}</div>
                    <div style={{ fontSize: 12, color: '#666' }}>
                      <TierTag tier={o.accountTier} /> {o.accountName}
                    </div>
                    <Flex justify="space-between" style={{ fontSize: 12, marginTop: 4 }}>
                      <span>{formatMoney(o.amountMinor, locale)}</span>
                      <span>
                        {o.capturedByName} · {formatDate(o.createdAt)}
                      </span>
                    </Flex>
                  </Card>
                ))}
              </Card>
            ))}
          </div>
        )}
      </div>
      <OpportunityDrawer id={open} onClose={() => setOpen(null)} />
      {hooks && <WebhookModal onClose={() => setHooks(false)} />}
    </>
  );
}

function WebhookModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useWebhook(true);
  const deliveries = useWebhookDeliveries();
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<{ url: string; active: boolean }>();
  const save = useSaveWebhook();
  const w = q.data?.webhook;
  const submit = (rotateSecret?: boolean) =>
    form.validateFields().then((v) =>
      save.mutateAsync({ url: v.url, active: v.active, rotateSecret }).then(
        (r) => {
          message.success(t('common.saved'));
          if (r.webhook.secret) setSecret(r.webhook.secret);
        },
        (e) => message.error(errorMessage(e)),
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
          <Flex gap={8}>
            <Button type="primary" loading={save.isPending} onClick={() => void submit()}>
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
