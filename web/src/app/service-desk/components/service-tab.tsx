import { useState } from 'react';
import { Button, Card, Col, Empty, Row, Statistic, Table, Tag } from 'antd';
import { PlusOutlined, FireOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../components/states';
import { useAccountService, type AccountService } from '../api';
import { NewTicketDrawer } from './new-ticket-drawer';
import { PriorityTag, StatusTag, fmt, useSd } from './labels';

/** The account 360's 服务 tab: the account's tickets, SLA compliance, satisfaction and key moments. */
export function ServiceTab({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { t } = useTranslation();
  const sd = useSd();
  const q = useAccountService(accountId);
  const [creating, setCreating] = useState(false);
  if (q.isPending)
    return (
      <div className="kw-card">
        <LoadingState rows={8} />
      </div>
    );
  if (q.isError)
    return (
      <div className="kw-card">
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const s = q.data;
  type Row = AccountService['tickets'][number];
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('sd.serviceTab.open')} value={s.open} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small" data-testid="sla-compliance">
            <Statistic
              title={t('sd.serviceTab.compliance')}
              value={s.compliance.pct ?? '—'}
              suffix={s.compliance.pct === null ? undefined : '%'}
              styles={{ content: { color: (s.compliance.pct ?? 100) < 90 ? '#cf1322' : '#389e0d' } }}
            />
            <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
              {s.compliance.byKind.map((k) => `${sd('clock', k.kind)} ${k.pct ?? '—'}%`).join(' · ')}
            </div>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('sd.serviceTab.csat')}
              value={s.csat.average ?? '—'}
              suffix={s.csat.average ? `/ 5 (${s.csat.responses})` : undefined}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('sd.serviceTab.keyMoments')} value={s.keyMoments.length} />
          </Card>
        </Col>
      </Row>
      <div className="kw-card">
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('sd.serviceTab.create')}
          </Button>
        </div>
        <Table<Row>
          rowKey="id"
          size="small"
          dataSource={s.tickets}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sd.serviceTab.noTickets')} /> }}
          pagination={{ pageSize: 10 }}
          columns={[
            {
              title: t('sd.cols.number'),
              dataIndex: 'number',
              width: 80,
              render: (n: number, r) => <Link to={`/service-desk/tickets/${r.id}`}>#{n}</Link>,
            },
            {
              title: t('sd.cols.title'),
              dataIndex: 'title',
              render: (v: string, r) => (
                <>
                  {r.major && <FireOutlined style={{ color: '#cf1322', marginInlineEnd: 4 }} />}
                  <Link to={`/service-desk/tickets/${r.id}`}>{v}</Link>
                </>
              ),
            },
            { title: t('sd.cols.kind'), dataIndex: 'kind', width: 110, render: (v: string) => sd('kind', v) },
            { title: t('sd.cols.priority'), dataIndex: 'priority', width: 80, render: (v: string) => <PriorityTag priority={v} /> },
            {
              title: t('sd.cols.status'),
              dataIndex: 'status',
              width: 120,
              render: (v: string, r) => (
                <>
                  <StatusTag status={v} />
                  {r.breached && <Tag color="red">{sd('clockState', 'breached')}</Tag>}
                </>
              ),
            },
            { title: t('sd.cols.owner'), dataIndex: 'ownerName', width: 110, render: (v: string | null) => v ?? '—' },
            { title: t('sd.cols.requester'), dataIndex: 'requesterName', width: 110 },
            { title: t('sd.cols.created'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmt(v) },
          ]}
        />
      </div>
      <NewTicketDrawer open={creating} onClose={() => setCreating(false)} accountId={accountId} accountName={accountName} />
    </>
  );
}
