import { useState } from 'react';
import { formatIn } from '../../format';
import { Badge, Button, Input, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { FireOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { useCan } from '../../session';
import { EmptyState, ErrorState } from '../../components/states';
import { TierTag } from '../../components/labels';
import { useTickets, type Queue, type TicketRow } from '../api';
import { NewTicketDrawer } from '../components/new-ticket-drawer';
import { CsatReport } from '../components/csat-report';
import { PriorityTag, StatusTag, fmt, useSd } from '../components/labels';

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
  const list = useTickets({ queue, page, pageSize: 20, q: sp.get('q') ?? undefined });
  const counts = list.data?.counts;
  const set = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setSp(next, { replace: true });
  };

  const columns = [
    {
      title: t('sd.cols.number'),
      dataIndex: 'number',
      width: 80,
      render: (n: number, r: TicketRow) => <Link to={`/service-desk/tickets/${r.id}`}>#{n}</Link>,
    },
    {
      title: t('sd.cols.title'),
      dataIndex: 'title',
      width: 280,
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
      width: 240,
      ellipsis: true,
      render: (v: string, r: TicketRow) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <TierTag tier={r.tier} />
          <Link to={`/accounts/${r.accountId}?tab=service`}>{v}</Link>
        </span>
      ),
    },
    { title: t('sd.cols.kind'), dataIndex: 'kind', width: 110, render: (v: string) => sd('kind', v) },
    { title: t('sd.cols.priority'), dataIndex: 'priority', width: 80, render: (v: string) => <PriorityTag priority={v} /> },
    { title: t('sd.cols.status'), dataIndex: 'status', width: 110, render: (v: string) => <StatusTag status={v} /> },
    { title: t('sd.cols.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v ?? <Tag>{t('sd.queues.unassigned')}</Tag> },
    { title: t('sd.cols.team'), dataIndex: 'teamName', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: t('sd.cols.due'),
      dataIndex: 'nextDueAt',
      width: 170,
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
    { title: t('sd.cols.created'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmt(v) },
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
              locale={{ emptyText: <EmptyState text={t(`sd.empty.${queue}`)} /> }}
              pagination={{
                current: page,
                pageSize: 20,
                total: list.data?.total ?? 0,
                showTotal: (n) => t('common.total', { count: n }),
                onChange: (p) => set({ page: String(p) }),
              }}
              scroll={{ x: 1500 }}
            />
          )}
        </div>
        <CsatReport />
      </div>
      <NewTicketDrawer open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
