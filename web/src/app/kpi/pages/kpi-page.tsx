import { useState } from 'react';
import { Button, Card, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { ErrorState } from '../../components/states';
import { formatDate } from '../../format';
import { useBoard, useEvidence, type BoardQuery, type Line, type Measure } from '../api';
import { defaultPeriod, Filters } from '../components/filters';

type Pick = { userId: string; name: string; measure: Measure } | null;

/** 绩效: scorecards per person and team for a period; every number opens the records behind it. */
export function KpiPage() {
  const { t } = useTranslation();
  const [f, setF] = useState<BoardQuery>(defaultPeriod(3));
  const [pick, setPick] = useState<Pick>(null);
  const board = useBoard(f);
  const ev = useEvidence(pick?.userId ?? null, pick?.measure ?? null, { from: f.from, to: f.to });
  const mLabel = (m: string) => t(`kp.kpi.measures.${m}` as 'kp.kpi.measures.tasks_done');
  return (
    <>
      <PageHeader title={t('kp.kpi.title')} breadcrumb={[{ title: t('kp.kpi.title') }]} />
      <Space orientation="vertical" size={16} className="kw-content" style={{ width: '100%' }}>
        <Space wrap>
          <Filters value={f} onChange={(v) => setF({ ...f, ...v })} />
          <Select
            allowClear
            placeholder={t('kp.kpi.role')}
            style={{ width: 160 }}
            value={f.role}
            onChange={(v) => setF({ ...f, role: v })}
            options={(['delivery', 'after_sales', 'sales', 'csm', 'expert'] as const).map((r) => ({ value: r, label: t(`kp.kpi.roles.${r}`) }))}
          />
        </Space>
        {board.isError ? (
          <ErrorState error={board.error} onRetry={() => void board.refetch()} />
        ) : (
          <>
            <Card size="small" title={t('kp.kpi.leaderboard')}>
              <Table
                size="small"
                rowKey="userId"
                loading={board.isPending}
                dataSource={board.data?.items ?? []}
                pagination={{ pageSize: 20 }}
                data-testid="kpi-leaderboard"
                expandable={{
                  expandedRowRender: (p) => (
                    <Table<Line>
                      size="small"
                      rowKey="measure"
                      pagination={false}
                      dataSource={p.lines}
                      columns={[
                        { title: t('kp.kpi.measure'), dataIndex: 'measure', render: (m: string) => mLabel(m) },
                        {
                          title: t('kp.kpi.kind'),
                          dataIndex: 'kind',
                          render: (k: string) => <Tag color={k === 'growth' ? 'green' : 'blue'}>{t(`kp.kpi.${k}` as 'kp.kpi.growth')}</Tag>,
                        },
                        {
                          title: t('kp.kpi.value'),
                          dataIndex: 'value',
                          render: (v: number | null, l) => (
                            <Button
                              type="link"
                              size="small"
                              onClick={() => setPick({ userId: p.userId, name: p.name, measure: l.measure as Measure })}
                              data-testid={`kpi-value-${l.measure}`}
                            >
                              {v ?? '—'}
                            </Button>
                          ),
                        },
                        { title: t('kp.kpi.target'), dataIndex: 'target' },
                        { title: t('kp.kpi.weight'), dataIndex: 'weight' },
                        { title: t('kp.kpi.points'), dataIndex: 'points' },
                      ]}
                    />
                  ),
                }}
                columns={[
                  { title: t('kp.kpi.rank'), dataIndex: 'rank', width: 70 },
                  { title: t('kp.kpi.person'), dataIndex: 'name' },
                  {
                    title: t('kp.kpi.role'),
                    dataIndex: 'kpiRole',
                    // a channel implementer is a partner's person with their own label, scored with the delivery weights
                    render: (r: string, row) =>
                      row.role === 'channel_implementer' ? (
                        <span data-testid="kpi-role">
                          {t('kp.kpi.roles.channel_implementer')}{' '}
                          <Typography.Text type="secondary">
                            ({t('kp.kpi.scoredAs', { role: t(`kp.kpi.roles.${r}` as 'kp.kpi.roles.sales') })})
                          </Typography.Text>
                        </span>
                      ) : (
                        <span data-testid="kpi-role">{t(`kp.kpi.roles.${r}` as 'kp.kpi.roles.sales')}</span>
                      ),
                  },
                  { title: t('kp.kpi.total'), dataIndex: 'total', render: (v: number) => <Typography.Text strong>{v}</Typography.Text> },
                ]}
              />
            </Card>
            <Card size="small" title={t('kp.kpi.teams')}>
              <Table
                size="small"
                rowKey="teamId"
                pagination={false}
                dataSource={board.data?.teams ?? []}
                columns={[
                  {
                    title: t('kp.kpi.team'),
                    dataIndex: 'name',
                    render: (n: string, r) => <Typography.Link onClick={() => setF({ ...f, teamId: r.teamId })}>{n}</Typography.Link>,
                  },
                  { title: t('kp.kpi.members'), dataIndex: 'members' },
                  { title: t('kp.kpi.average'), dataIndex: 'average' },
                ]}
              />
            </Card>
          </>
        )}
      </Space>
      <Drawer
        open={!!pick}
        onClose={() => setPick(null)}
        size={640}
        title={pick ? `${pick.name} · ${mLabel(pick.measure)} · ${t('kp.kpi.evidence')}` : ''}
      >
        {ev.data?.availableHours != null && (
          <Typography.Paragraph type="secondary" data-testid="available-hours">
            {t('kp.kpi.availableHours', { hours: ev.data.availableHours, value: ev.data.value ?? '—' })}
          </Typography.Paragraph>
        )}
        <Table
          size="small"
          rowKey={(r) => `${r.kind}:${r.id}`}
          loading={ev.isPending}
          dataSource={ev.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('kp.kpi.record'),
              dataIndex: 'label',
              render: (l: string, r) =>
                r.kind === 'ticket' || r.kind === 'csat' ? (
                  <Link to={`/service-desk/tickets/${r.id}`}>{l}</Link>
                ) : r.kind === 'meeting' ? (
                  <Link to={`/meetings/${r.id}`}>{l}</Link>
                ) : r.kind === 'opportunity' ? (
                  <Link to={`/opportunities?open=${r.id}`}>{l}</Link>
                ) : ['plan_item', 'project', 'milestone', 'time_entry'].includes(r.kind) && r.accountId ? (
                  <Link to={`/accounts/${r.accountId}?tab=contracts`}>{l}</Link>
                ) : (
                  l
                ),
            },
            {
              title: t('accounts.name'),
              dataIndex: 'accountName',
              render: (n: string, r) => (r.accountId ? <Link to={`/accounts/${r.accountId}`}>{n}</Link> : '—'),
            },
            { title: t('kp.kpi.date'), dataIndex: 'at', render: (v: string | null) => formatDate(v) },
            {
              title: t('kp.kpi.value'),
              dataIndex: 'num',
              // a rate over amounts shows what was received of what fell due
              render: (n: number | null, r) => (r.den !== null && r.den !== undefined ? `${n ?? 0} / ${r.den}` : (n ?? '—')),
            },
          ]}
        />
      </Drawer>
    </>
  );
}
