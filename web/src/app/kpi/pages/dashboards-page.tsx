import { useMemo, useState } from 'react';
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Drawer, Progress, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useEnum } from '../../components/labels';
import { formatDateTime, formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { useChartRecords, useDashboard, type Chart, type DashFilter, type Point } from '../api';
import { EChart } from '../components/echart';
import { defaultPeriod, Filters } from '../components/filters';
import { bandColor, TrendArrow } from '../components/health-card';

type Drill = { chart: Chart; key: string; title: string } | null;

const tierOrder = ['A', 'B', 'C', 'D', 'E'];
const stageOrder = ['handover', 'startup', 'adaptation', 'renewal', 'churn'];
const oppOrder = ['captured', 'incubating', 'handed_to_sales', 'won', 'lost'];
const agingOrder = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'];

function bar(points: Point[], order: string[] | null, label: (k: string) => string, opts: { color?: string; extra?: (p: Point) => string } = {}) {
  const keys = order ? order.filter((k) => points.some((p) => p.key === k)) : points.map((p) => p.key);
  const byKey = new Map(points.map((p) => [p.key, p]));
  return {
    keys,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: keys.map(label), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 48,
          itemStyle: opts.color ? { color: opts.color } : undefined,
          label: {
            show: true,
            position: 'top',
            formatter: (e: { dataIndex: number }) => {
              const p = byKey.get(keys[e.dataIndex])!;
              return opts.extra ? `${p.n} · ${opts.extra(p)}` : String(p.n);
            },
          },
          data: keys.map((k) => byKey.get(k)!.n),
        },
      ],
    },
  };
}

function pie(points: Point[], label: (k: string) => string, colors: Record<string, string>) {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        label: { formatter: '{b}: {c}' },
        data: points.map((p) => ({ name: label(p.key), value: p.n, key: p.key, itemStyle: { color: colors[p.key] } })),
      },
    ],
  };
}

/** 驾驶舱: the manager's charts; clicking a bar or slice lists the records behind it. */
export function DashboardsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const label = useEnum();
  const locale = currentLocale();
  const [f, setF] = useState<DashFilter>(defaultPeriod(12));
  const [drill, setDrill] = useState<Drill>(null);
  const d = useDashboard(f);
  const rec = useChartRecords(drill?.chart ?? null, drill?.key ?? null, f);
  const money = (minor: number) => formatMoney(minor, locale);

  const charts = useMemo(() => {
    if (!d.data) return null;
    const c = d.data.charts;
    return {
      tier: bar(c.tier, tierOrder, (k) => k),
      move: bar(c.tier_move, null, (k) => k.replace('>', '→'), { color: '#722ed1' }),
      stage: bar(c.stage, stageOrder, (k) => label('stage', k), { color: '#13c2c2', extra: (p) => t('kp.dash.days', { n: p.days ?? 0 }) }),
      pipeline: bar(c.pipeline, oppOrder, (k) => t(`va.stage.${k}` as 'va.stage.won', { defaultValue: k }), { color: '#fa8c16' }),
      health: pie(c.health, (k) => t(`kp.band.${k}` as 'kp.band.red'), bandColor),
      sla: pie(c.sla, (k) => t(`kp.dash.${k}` as 'kp.dash.met'), { met: '#52c41a', breached: '#ff4d4f' }),
      aging: bar(c.collections, agingOrder, (k) => t(`cm.aging.${k}` as 'cm.aging.not_due'), {
        color: '#f5222d',
        extra: (p) => formatMoney(p.amount, locale),
      }),
      renewals: bar(c.renewals, ['30', '60', '90'], (k) => t(`cm.renewals.within.d${k}` as 'cm.renewals.within.d30'), {
        color: '#2f54eb',
        extra: (p) => formatMoney(p.amount, locale),
      }),
    };
  }, [d.data, label, t, locale]);

  if (!can('dashboards.read')) return <Forbidden />;
  const open = (chart: Chart, keys: string[] | null, title: string) => (e: { dataIndex: number; data: unknown; name?: string }) => {
    const key = keys ? keys[e.dataIndex] : (e.data as { key: string }).key;
    // the drawer is titled with the category as the chart shows it (never its code)
    if (key) setDrill({ chart, key, title: `${title} · ${e.name || key}` });
  };
  const drillItems = rec.data?.items ?? [];
  const onlyAccounts = drillItems.length > 0 && drillItems.every((r) => r.kind === 'account');
  const anyAmount = drillItems.some((r) => r.amountMinor !== null);
  return (
    <>
      <PageHeader
        title={t('kp.dash.title')}
        breadcrumb={[{ title: t('kp.dash.title') }]}
        sub={<Typography.Text type="secondary">{t('kp.dash.clickHint')}</Typography.Text>}
        extra={
          d.data ? (
            <Space>
              <Typography.Text type="secondary" data-testid="dash-as-of">
                {t('kp.dash.asOf', { at: formatDateTime(d.data.asOf) })}
              </Typography.Text>
              <Button icon={<ReloadOutlined />} loading={d.isFetching} onClick={() => void d.refresh()} data-testid="dash-refresh">
                {t('kp.dash.refresh')}
              </Button>
            </Space>
          ) : null
        }
      />
      <Space orientation="vertical" size={16} className="kw-content" style={{ width: '100%' }}>
        <Filters value={f} onChange={setF} industries={d.data?.industries} />
        {d.isError ? (
          <ErrorState error={d.error} onRetry={() => void d.refetch()} />
        ) : !d.data || !charts ? (
          <LoadingState />
        ) : (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.tiers')}>
                  <EChart option={charts.tier.option} onClick={open('tier', charts.tier.keys, t('kp.dash.tiers'))} testId="chart-tier" />
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.moves')}>
                  <EChart option={charts.move.option} onClick={open('tier_move', charts.move.keys, t('kp.dash.moves'))} testId="chart-tier-move" />
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.health')}>
                  <EChart option={charts.health} onClick={open('health', null, t('kp.dash.health'))} testId="chart-health" />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('kp.dash.funnel')}>
                  <EChart option={charts.stage.option} onClick={open('stage', charts.stage.keys, t('kp.dash.funnel'))} testId="chart-stage" />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('kp.dash.pipeline')}>
                  <Space size={24}>
                    <Statistic title={t('kp.dash.count')} value={d.data.pipeline.count} />
                    <Statistic title={t('kp.dash.amount')} value={money(d.data.pipeline.amountMinor)} />
                    <Statistic
                      title={t('kp.dash.conversion')}
                      value={d.data.pipeline.conversionPct ?? '—'}
                      suffix={d.data.pipeline.conversionPct === null ? undefined : '%'}
                    />
                  </Space>
                  <EChart
                    option={charts.pipeline.option}
                    height={220}
                    onClick={open('pipeline', charts.pipeline.keys, t('kp.dash.pipeline'))}
                    testId="chart-pipeline"
                  />
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.sla')}>
                  <Statistic value={d.data.sla.pct ?? '—'} suffix={d.data.sla.pct === null ? undefined : '%'} />
                  <EChart option={charts.sla} height={220} onClick={open('sla', null, t('kp.dash.sla'))} testId="chart-sla" />
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.budget')}>
                  <Space orientation="vertical">
                    <Statistic title={t('kp.dash.budgetTotal')} value={money(d.data.budget.budgetMinor)} />
                    <Statistic title={t('kp.dash.committed')} value={money(d.data.budget.committedMinor)} />
                    <Statistic title={t('kp.dash.remaining')} value={money(d.data.budget.remainingMinor)} />
                    <Statistic title={t('kp.dash.output')} value={money(d.data.budget.outputMinor)} />
                    <Typography.Link onClick={() => setDrill({ chart: 'budget', key: `fy${f.to!.slice(0, 4)}`, title: t('kp.dash.budget') })}>
                      {t('kp.dash.accounts')}: {d.data.budget.accounts}
                    </Typography.Link>
                  </Space>
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                <Card size="small" title={t('kp.dash.leaderboard')}>
                  <Table
                    size="small"
                    rowKey="userId"
                    pagination={false}
                    dataSource={d.data.leaderboard}
                    columns={[
                      { title: t('kp.kpi.rank'), dataIndex: 'rank', width: 56 },
                      { title: t('kp.kpi.person'), dataIndex: 'name', render: (n: string) => <Link to="/kpi">{n}</Link> },
                      { title: t('kp.kpi.total'), dataIndex: 'total' },
                    ]}
                  />
                </Card>
              </Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={10}>
                <Card size="small" title={t('kp.dash.collections')} data-testid="dash-collections">
                  <Space size={24} wrap>
                    <Statistic title={t('kp.dash.collectionsDue')} value={money(d.data.collections.dueMinor)} />
                    <Statistic title={t('kp.dash.collectionsReceived')} value={money(d.data.collections.receivedMinor)} />
                    <Statistic
                      title={t('kp.dash.collectionsOverdue')}
                      value={money(d.data.collections.overdueMinor)}
                      valueStyle={d.data.collections.overdueMinor > 0 ? { color: '#cf1322' } : undefined}
                    />
                  </Space>
                  <EChart
                    option={charts.aging.option}
                    height={220}
                    onClick={open('collections', charts.aging.keys, t('cm.aging.title'))}
                    testId="chart-aging"
                  />
                </Card>
              </Col>
              <Col xs={24} lg={7}>
                <Card size="small" title={t('cm.renewals.title')} extra={<Link to="/renewals">{t('kp.dash.openBoard')}</Link>}>
                  <EChart
                    option={charts.renewals.option}
                    height={260}
                    onClick={open('renewals', charts.renewals.keys, t('cm.renewals.title'))}
                    testId="chart-renewals"
                  />
                </Card>
              </Col>
              <Col xs={24} lg={7}>
                <Card size="small" title={t('kp.kpi.measures.ut_pct')}>
                  <Table
                    size="small"
                    rowKey="userId"
                    pagination={{ pageSize: 6 }}
                    dataSource={d.data.utilisation}
                    locale={{ emptyText: t('kp.dash.noUtilisation') }}
                    columns={[
                      { title: t('kp.kpi.person'), dataIndex: 'name', render: (n: string) => <Link to="/kpi">{n}</Link> },
                      {
                        title: t('kp.kpi.value'),
                        dataIndex: 'pct',
                        render: (v: number | null) => (
                          <Progress percent={v ?? 0} size="small" status={(v ?? 0) < 60 ? 'exception' : 'normal'} format={() => `${v ?? 0}%`} />
                        ),
                      },
                    ]}
                  />
                </Card>
              </Col>
            </Row>
            <Card
              size="small"
              title={t('kp.dash.atRisk')}
              extra={
                <Space size={4} data-testid="at-risk-counts">
                  <Tag color="error">
                    {t('kp.band.red')} {d.data.atRisk.filter((r) => r.band === 'red').length}
                  </Tag>
                  <Tag color="warning">
                    {t('kp.band.amber')} {d.data.atRisk.filter((r) => r.band === 'amber').length}
                  </Tag>
                </Space>
              }
            >
              <Table
                size="small"
                rowKey="id"
                dataSource={d.data.atRisk}
                pagination={{ pageSize: 10 }}
                data-testid="at-risk"
                columns={[
                  { title: t('accounts.name'), dataIndex: 'name', render: (n: string, r) => <Link to={`/accounts/${r.id}`}>{n}</Link> },
                  { title: t('accounts.tier'), dataIndex: 'tier', width: 70 },
                  {
                    title: t('kp.health.title'),
                    dataIndex: 'score',
                    width: 120,
                    render: (s: number, r) => (
                      <Space>
                        <Tag color={r.band === 'red' ? 'error' : 'warning'}>
                          {t(`kp.band.${r.band as 'red' | 'amber'}`)} {s}
                        </Tag>
                        <TrendArrow trend={r.trend} />
                      </Space>
                    ),
                  },
                  {
                    title: t('kp.health.reasons'),
                    dataIndex: 'reasons',
                    render: (rs: { 'zh-CN': string; en: string }[]) => rs.map((x) => x[locale]).join('；'),
                  },
                ]}
              />
            </Card>
          </>
        )}
      </Space>
      <Drawer open={!!drill} onClose={() => setDrill(null)} size={640} title={drill ? t('kp.dash.records', { what: drill.title }) : ''}>
        <Table
          size="small"
          rowKey="id"
          loading={rec.isPending}
          dataSource={rec.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          data-testid="drill-records"
          columns={[
            {
              title: onlyAccounts ? t('accounts.name') : t('kp.kpi.record'),
              dataIndex: 'label',
              render: (l: string, r) => (r.kind === 'account' ? <Link to={`/accounts/${r.accountId}`}>{l}</Link> : l),
            },
            // an account's own row needs no second column naming it; amounts only where the chart counts money
            ...(onlyAccounts
              ? []
              : [
                  {
                    title: t('accounts.name'),
                    dataIndex: 'accountName',
                    render: (n: string, r: (typeof drillItems)[number]) => <Link to={`/accounts/${r.accountId}`}>{n}</Link>,
                  },
                ]),
            ...(anyAmount
              ? [{ title: t('kp.dash.amount'), dataIndex: 'amountMinor', render: (v: number | null) => (v === null ? '—' : money(v)) }]
              : []),
          ]}
        />
      </Drawer>
    </>
  );
}
