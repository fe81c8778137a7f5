import { useState } from 'react';
import { App, Button, Checkbox, Drawer, Form, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { useAccounts } from '../../accounts/api';
import { applyServerErrors } from '../../components/forms';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { useDismissInbound, useInbound, useTriageToTicket, type InboundMail, type InboundStatus, type TriageToTicket } from '../api';
import { fmt, useSd } from '../components/labels';

const STATUSES: InboundStatus[] = ['triage', 'ticketed', 'ignored'];

/** 服务台 › 来信分拣: mail to the support mailbox nobody could place — make a ticket on an account, or dismiss it. */
export function TriagePage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [status, setStatus] = useState<InboundStatus>('triage');
  const [page, setPage] = useState(1);
  const [converting, setConverting] = useState<InboundMail | null>(null);
  const allowed = can('tickets.assign');
  const q = useInbound({ status, page, pageSize: 20 }, allowed);
  const dismiss = useDismissInbound();
  const crumbs = [{ title: t('sd.title'), to: '/service-desk' }, { title: t('ei.triage.title') }];
  if (!allowed) return <Forbidden />;

  const reason = (r: string | null) => (r ? t(`ei.triage.reasons.${r}` as 'ei.triage.reasons.unknown_sender', { defaultValue: '—' }) : '—');
  const columns = [
    {
      title: t('ei.triage.from'),
      key: 'from',
      render: (_: unknown, m: InboundMail) => (
        <>
          <div>{m.fromName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.fromEmail}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('ei.triage.subject'),
      key: 'subject',
      render: (_: unknown, m: InboundMail) => (
        <>
          <div>{m.subject || t('ei.triage.noSubject')}</div>
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true, symbol: '…' }} style={{ marginBottom: 0, fontSize: 12 }}>
            {m.body}
          </Typography.Paragraph>
        </>
      ),
    },
    { title: t('ei.triage.received'), key: 'received', width: 150, render: (_: unknown, m: InboundMail) => fmt(m.receivedAt) },
    {
      title: t('ei.triage.reason'),
      key: 'reason',
      width: 200,
      render: (_: unknown, m: InboundMail) => (status === 'ticketed' ? null : <Tag>{reason(m.reason)}</Tag>),
    },
    {
      title: t('ei.triage.files'),
      key: 'files',
      width: 90,
      render: (_: unknown, m: InboundMail) => (
        <>
          {m.fileCount || (status === 'triage' ? 0 : '—')}
          {m.skippedFiles.length > 0 && (
            <Typography.Text
              type="warning"
              style={{ display: 'block', fontSize: 12 }}
              title={m.skippedFiles.map((f) => `${f.fileName}: ${f.reason}`).join('\n')}
            >
              {t('ei.triage.skipped')} {m.skippedFiles.length}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: status === 'triage' ? t('common.actions') : t('ei.triage.ticket'),
      key: 'actions',
      width: 200,
      render: (_: unknown, m: InboundMail) =>
        status === 'triage' ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setConverting(m)} data-testid="triage-to-ticket">
              {t('ei.triage.toTicket')}
            </Button>
            <Popconfirm
              title={t('ei.triage.dismissConfirm')}
              onConfirm={() =>
                dismiss.mutate(m.id, {
                  onSuccess: () => void message.success(t('ei.triage.dismissed')),
                  onError: (e) => void message.error(errorMessage(e)),
                })
              }
            >
              <Button size="small">{t('ei.triage.dismiss')}</Button>
            </Popconfirm>
          </Space>
        ) : m.ticketId ? (
          <Link to={`/service-desk/tickets/${m.ticketId}`}>#{m.ticketNumber}</Link>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('ei.triage.title')} breadcrumb={crumbs} sub={<Typography.Text type="secondary">{t('ei.triage.intro')}</Typography.Text>} />
      <div className="kw-content">
        <div className="kw-card">
          <Tabs
            activeKey={status}
            onChange={(k) => {
              setStatus(k as InboundStatus);
              setPage(1);
            }}
            items={STATUSES.map((s) => ({ key: s, label: t(`ei.triage.tabs.${s}`) }))}
          />
          {q.isPending ? (
            <LoadingState />
          ) : q.isError ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : q.data.items.length === 0 ? (
            <EmptyState text={status === 'triage' ? t('ei.triage.empty') : t('ei.triage.emptyOther')} />
          ) : (
            <Table
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={q.data.items}
              pagination={{ current: page, pageSize: 20, total: q.data.total, onChange: setPage, showSizeChanger: false }}
              data-testid="triage-table"
            />
          )}
        </div>
      </div>
      {converting && <ToTicketDrawer mail={converting} onClose={() => setConverting(null)} />}
    </>
  );
}

function ToTicketDrawer({ mail, onClose }: { mail: InboundMail; onClose: () => void }) {
  const { t } = useTranslation();
  const sd = useSd();
  const can = useCan();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const accounts = useAccounts({ q: search || undefined, pageSize: 20, sort: 'name', order: 'asc' });
  const convert = useTriageToTicket();
  const [form] = Form.useForm<TriageToTicket>();

  const submit = async (v: TriageToTicket) => {
    try {
      const r = await convert.mutateAsync({ id: mail.id, body: { ...v, rememberContact: !!v.rememberContact } });
      void message.success(t('ei.triage.created', { n: r.ticketNumber }));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
      void message.error(errorMessage(e));
    }
  };

  return (
    <Drawer
      open
      title={t('ei.triage.toTicket')}
      onClose={onClose}
      size="default"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={convert.isPending} onClick={() => form.submit()} data-testid="triage-submit">
            {t('ei.triage.toTicket')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph>
        <strong>{mail.fromName}</strong> &lt;{mail.fromEmail}&gt;
        <br />
        {mail.subject || t('ei.triage.noSubject')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ kind: 'product_issue', severity: 'medium', rememberContact: true }}
      >
        <Form.Item name="accountId" label={t('ei.triage.account')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={accounts.isFetching}
            options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.name}（${a.tier}）` }))}
            data-testid="triage-account"
          />
        </Form.Item>
        <Form.Item name="kind" label={t('sd.fields.kind')}>
          <Select
            options={(['product_issue', 'expert_request', 'customisation', 'complaint', 'new_need'] as const).map((k) => ({
              value: k,
              label: sd('kind', k),
            }))}
          />
        </Form.Item>
        <Form.Item name="severity" label={t('sd.fields.severity')}>
          <Select options={(['critical', 'high', 'medium', 'low'] as const).map((k) => ({ value: k, label: sd('severity', k) }))} />
        </Form.Item>
        {can('contacts.write') && (
          <Form.Item name="rememberContact" valuePropName="checked">
            <Checkbox>{t('ei.triage.remember')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
