import { useState } from 'react';
import { formatIn } from '../../format';
import { App, Badge, Button, Dropdown, Flex, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { errorMessage, fileUrl } from '../../../api/client';
import { useUsers } from '../../people/api';
import { SavedViews, paramsOfQuery, queryOfParams } from '../../views/saved-views';
import { BulkResultModal } from '../../views/bulk-result';
import type { BulkResult } from '../../views/api';
import { DownloadOutlined, FireOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { useCan } from '../../session';
import { EmptyState, ErrorState } from '../../components/states';
import { TierTag } from '../../components/labels';
import { useBulkAssign, useTickets, type Queue, type TicketQuery, type TicketRow } from '../api';
import { useEnum } from '../../components/labels';
import { tiers } from '../../domain';
import { NewTicketDrawer } from '../components/new-ticket-drawer';
import { CsatReport } from '../components/csat-report';
import { PriorityTag, StatusTag, fmt, useSd } from '../components/labels';

/** The most tickets one bulk action takes (the server's limit). */
const BULK_MAX = 200;
const queues: Queue[] = ['mine', 'team', 'breaching', 'breached', 'unassigned', 'all'];

/** 服务台: the queues (mine, my team, breaching soon, breached, unassigned, all) → the ticket page. */
export function ServiceDeskPage() {
  const { t } = useTranslation();
  const sd = useSd();
  const can = useCan();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const queue = (queues as string[]).includes(sp.get('queue') ?? '') ? (sp.get('queue') as Queue) : 'mine';
  const page = Number(sp.get('page') ?? 1) || 1;
  const [q, setQ] = useState(sp.get('q') ?? '');
  const [creating, setCreating] = useState(false);
  // filters beyond search live in the address too (a saved view keeps them)
  const status = sp.getAll('status') as NonNullable<TicketQuery['status']>;
  const severity = sp.getAll('severity') as NonNullable<TicketQuery['severity']>;
  const tier = sp.getAll('tier') as NonNullable<TicketQuery['tier']>;
  const ownerId = sp.get('ownerId') ?? undefined;
  const filtered = !!(status.length || severity.length || tier.length || ownerId);
  const setList = (k: string, v: string[]) => {
    const next = new URLSearchParams(sp);
    next.delete(k);
    next.delete('page');
    for (const x of v) next.append(k, x);
    setSp(next, { replace: true });
  };
  const list = useTickets({ queue, page, pageSize: 20, q: sp.get('q') ?? undefined, status, severity, tier, ownerId });
  const counts = list.data?.counts;
  const { message } = App.useApp();
  const users = useUsers(can('tickets.assign'));
  const owners = useUsers();
  const label = useEnum();
  const bulkAssign = useBulkAssign();
  // the selection, kept across pages by id (with the number, for the result)
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [assigning, setAssigning] = useState(false);
  const [result, setResult] = useState<BulkResult>();
  const [assignForm] = Form.useForm<{ ownerId: string; reason: string }>();
  const ids = [...selected.keys()];
  // the dialog is the confirmation: it names the count, the new owner and the reason before anything is applied
  const applyAssign = async () => {
    const v = await assignForm.validateFields();
    try {
      const r = await bulkAssign.mutateAsync({ ids, ownerId: v.ownerId, reason: v.reason.trim() });
      setAssigning(false);
      setResult(r);
      setSelected(new Map(r.refused.map((x) => [x.id, selected.get(x.id) ?? x.id])));
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setSp(next, { replace: true });
  };

  // widths sum to about 1260 px with the selection box: at 1440 px the SLA due column sits in the first 1140 px, after the account
  const columns = [
    {
      title: t('sd.cols.number'),
      dataIndex: 'number',
      width: 70,
      render: (n: number, r: TicketRow) => <Link to={`/service-desk/tickets/${r.id}`}>#{n}</Link>,
    },
    {
      title: t('sd.cols.title'),
      dataIndex: 'title',
      width: 220,
      ellipsis: true,
      render: (v: string, r: TicketRow) => (
        <Space size={4}>
          {r.major && <FireOutlined style={{ color: '#cf1322' }} />}
          <Link to={`/service-desk/tickets/${r.id}`} data-testid="ticket-link">
            {v}
          </Link>
        </Space>
      ),
    },
    {
      title: t('sd.cols.account'),
      dataIndex: 'accountName',
      width: 180,
      ellipsis: true,
      render: (v: string, r: TicketRow) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <TierTag tier={r.tier} />
          <Link to={`/accounts/${r.accountId}?tab=service`}>{v}</Link>
        </span>
      ),
    },
    {
      title: t('sd.cols.due'),
      dataIndex: 'nextDueAt',
      width: 150,
      render: (v: string | null, r: TicketRow) =>
        r.breached && !v ? (
          <Tag color="red">{sd('clockState', 'breached')}</Tag>
        ) : (
          <Space size={4}>
            {r.breached && <Tag color="red">{sd('clockState', 'breached')}</Tag>}
            {r.warning && (
              <Tooltip title={t('sd.warning')}>
                <WarningOutlined style={{ color: '#fa8c16' }} />
              </Tooltip>
            )}
            <Typography.Text type={r.warning ? 'warning' : undefined}>{formatIn(v, 'MM-DD HH:mm')}</Typography.Text>
          </Space>
        ),
    },
    { title: t('sd.cols.priority'), dataIndex: 'priority', width: 76, render: (v: string) => <PriorityTag priority={v} /> },
    { title: t('sd.cols.status'), dataIndex: 'status', width: 96, render: (v: string) => <StatusTag status={v} /> },
    {
      title: t('sd.cols.owner'),
      dataIndex: 'ownerName',
      width: 100,
      ellipsis: true,
      render: (v: string | null) => v ?? <Tag>{t('sd.queues.unassigned')}</Tag>,
    },
    { title: t('sd.cols.team'), dataIndex: 'teamName', width: 110, ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: t('sd.cols.kind'), dataIndex: 'kind', width: 100, ellipsis: true, render: (v: string) => sd('kind', v) },
    { title: t('sd.cols.created'), dataIndex: 'createdAt', width: 130, render: (v: string) => fmt(v) },
  ];

  return (
    <>
      <PageHeader
        title={t('sd.title')}
        breadcrumb={[{ title: t('sd.title') }]}
        extra={
          <>
            {can('tickets.assign') && (
              <Button onClick={() => navigate('/service-desk/triage')} data-testid="open-triage">
                {t('ei.triage.open')}
              </Button>
            )}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-ticket">
              {t('sd.newTicket')}
            </Button>
          </>
        }
      />
      <div className="kw-content">
        <div className="kw-card">
          <Tabs
            activeKey={queue}
            onChange={(k) => set({ queue: k, page: null })}
            items={queues.map((k) => ({
              key: k,
              label: (
                <span data-testid={`queue-${k}`}>
                  {sd('queues', k)}{' '}
                  {k !== 'all' && counts ? (
                    <Badge count={counts[k]} showZero color={k === 'breached' ? 'red' : k === 'breaching' ? 'orange' : 'blue'} size="small" />
                  ) : null}
                </span>
              ),
            }))}
            tabBarExtraContent={
              <Input.Search
                allowClear
                placeholder={t('common.search')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
                onSearch={(v) => set({ q: v || null, page: null })}
                style={{ width: 220 }}
              />
            }
          />
          <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }} data-testid="ticket-tools">
            <SavedViews
              page="tickets"
              current={queryOfParams(sp)}
              onApply={(v) => {
                setQ(typeof v.q === 'string' ? v.q : '');
                setSp(paramsOfQuery(v), { replace: true });
              }}
            />
            <Select
              mode="multiple"
              allowClear
              placeholder={t('bk.ticketFilters.status')}
              value={status}
              onChange={(v: string[]) => setList('status', v)}
              options={['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'].map((x) => ({ value: x, label: sd('status', x) }))}
              style={{ minWidth: 130 }}
              maxTagCount="responsive"
              data-testid="ticket-filter-status"
            />
            <Select
              mode="multiple"
              allowClear
              placeholder={t('bk.ticketFilters.severity')}
              value={severity}
              onChange={(v: string[]) => setList('severity', v)}
              options={['critical', 'high', 'medium', 'low'].map((x) => ({ value: x, label: sd('severity', x) }))}
              style={{ minWidth: 130 }}
              maxTagCount="responsive"
              data-testid="ticket-filter-severity"
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('bk.ticketFilters.owner')}
              value={ownerId}
              onChange={(v?: string) => set({ ownerId: v ?? null, page: null })}
              options={(owners.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              style={{ width: 130 }}
              data-testid="ticket-filter-owner"
            />
            <Select
              mode="multiple"
              allowClear
              placeholder={t('bk.ticketFilters.tier')}
              value={tier}
              onChange={(v: string[]) => setList('tier', v)}
              options={tiers.map((x) => ({ value: x, label: label('tier', x) }))}
              style={{ minWidth: 120 }}
              maxTagCount="responsive"
              data-testid="ticket-filter-tier"
            />
            {filtered && (
              <Button
                type="link"
                onClick={() => {
                  const next = new URLSearchParams(sp);
                  for (const k of ['status', 'severity', 'tier', 'ownerId', 'page']) next.delete(k);
                  setSp(next, { replace: true });
                }}
              >
                {t('bk.ticketFilters.clear')}
              </Button>
            )}
            {selected.size > 0 && (
              <>
                <Typography.Text strong>{t('bk.bulk.selected', { count: selected.size })}</Typography.Text>
                {can('tickets.assign') && (
                  <Button onClick={() => setAssigning(true)} data-testid="bulk-assign">
                    {t('bk.bulk.assign')}
                  </Button>
                )}
                <Dropdown
                  menu={{
                    items: (['csv', 'xlsx'] as const).map((format) => ({
                      key: format,
                      label: (
                        <a
                          href={fileUrl('/api/tickets/export', { query: { ids, format } })}
                          download
                          data-testid={`ticket-export-selection-${format}`}
                        >
                          {t(format === 'csv' ? 'bk.bulk.exportTicketsCsv' : 'bk.bulk.exportTicketsXlsx')}
                        </a>
                      ),
                    })),
                  }}
                >
                  <Button icon={<DownloadOutlined />} data-testid="ticket-bulk-export">
                    {t('bk.bulk.export')}
                  </Button>
                </Dropdown>
                <Button type="link" onClick={() => setSelected(new Map())}>
                  {t('bk.bulk.clear')}
                </Button>
              </>
            )}
          </Flex>
          {list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <Table<TicketRow>
              rowKey="id"
              size="middle"
              loading={list.isFetching && !list.data}
              dataSource={list.data?.items ?? []}
              columns={columns}
              rowClassName={(r) => (r.breached ? 'kw-row-breached' : '')}
              locale={{ emptyText: <EmptyState text={filtered ? t('bk.ticketFilters.empty') : t(`sd.empty.${queue}`)} /> }}
              pagination={{
                current: page,
                pageSize: 20,
                total: list.data?.total ?? 0,
                showTotal: (n) => t('common.total', { count: n }),
                onChange: (p) => set({ page: String(p) }),
              }}
              scroll={{ x: 1264 }}
              rowSelection={
                can('tickets.assign')
                  ? {
                      selectedRowKeys: ids,
                      preserveSelectedRowKeys: true,
                      onChange: (keys, rows) => {
                        const next = new Map<string, string>();
                        for (const k of keys.slice(0, BULK_MAX)) {
                          const id = String(k);
                          const row = rows.find((r) => r?.id === id);
                          next.set(id, row ? `#${row.number} ${row.title}` : (selected.get(id) ?? id));
                        }
                        if (keys.length > BULK_MAX) message.warning(t('bk.bulk.limit', { max: BULK_MAX }));
                        setSelected(next);
                      },
                    }
                  : undefined
              }
            />
          )}
        </div>
        <CsatReport />
      </div>
      <NewTicketDrawer open={creating} onClose={() => setCreating(false)} />
      <Modal
        open={assigning}
        title={t('bk.bulk.assignTitle', { count: ids.length })}
        okText={t('bk.bulk.apply')}
        onCancel={() => setAssigning(false)}
        onOk={() => void applyAssign()}
        confirmLoading={bulkAssign.isPending}
        destroyOnHidden
      >
        <Form form={assignForm} layout="vertical" preserve={false}>
          <Form.Item name="ownerId" label={t('bk.bulk.assignOwner')} rules={[{ required: true, message: t('bk.bulk.assignOwner') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={users.isPending}
              options={(users.data ?? []).filter((u) => u.active !== false).map((u) => ({ value: u.id, label: u.name }))}
              data-testid="bulk-assign-owner"
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('bk.bulk.assignReason')}
            rules={[{ required: true, whitespace: true, message: t('bk.bulk.assignReasonRequired') }, { max: 500 }]}
          >
            <Input.TextArea rows={2} maxLength={500} data-testid="bulk-assign-reason" />
          </Form.Item>
          <Typography.Paragraph type="secondary">{t('bk.bulk.confirmHint')}</Typography.Paragraph>
        </Form>
      </Modal>
      <BulkResultModal result={result} nameOf={(id) => selected.get(id) ?? id} onClose={() => setResult(undefined)} />
    </>
  );
}
