// Outreach measures (issue 18 point 4): the funnel, the five growth actions per stage, and the people behind a number.
import { Button, Card, Drawer, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { EChart } from '../../kpi/components/echart';
import { ErrorState, LoadingState } from '../../components/states';
import {
  PEOPLE_PAGE,
  funnelMetrics,
  growthActions,
  stageKeys,
  useMeasurePeople,
  type CampaignMeasures,
  type Counts,
  type Drill,
  type Growth,
  type MeasurePeople,
  type MetricKey,
  type StageKey,
} from '../measures-api';
import type { ExcludeReason } from '../api';

type Action = (typeof growthActions)[number];
const isAction = (m: MetricKey): m is Action => (growthActions as readonly string[]).includes(m);

type ByStage = CampaignMeasures['byStage'];

/** A number that opens the people behind it. */
export function OpenNumber({ value, onOpen, testId }: { value: number; onOpen: () => void; testId?: string }) {
  return (
    <Button type="link" size="small" style={{ padding: 0 }} onClick={onOpen} data-testid={testId}>
      {value.toLocaleString()}
    </Button>
  );
}

/** The funnel (planned → referrals) as bars; a bar opens its people. */
export function FunnelChart({ counts, onOpen, testId }: { counts: Counts; onOpen: (d: Drill) => void; testId?: string }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: funnelMetrics.map((m) => t(`om.metric.${m}`)) },
      series: [{ type: 'bar', data: funnelMetrics.map((m) => counts[m]), label: { show: true, position: 'right' }, barMaxWidth: 22 }],
    }),
    [counts, t],
  );
  return <EChart option={option} height={340} testId={testId} onClick={(e) => onOpen({ metric: funnelMetrics[e.dataIndex] })} />;
}

/** The five growth actions, one series each, per to-C stage when reached; a bar opens its people. */
export function GrowthByStageChart({ byStage, onOpen, testId }: { byStage: ByStage; onOpen: (d: Drill) => void; testId?: string }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: stageKeys.map((s) => t(`om.stage.${s}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: growthActions.map((a) => ({
        type: 'bar',
        name: t(`om.action.${a}`),
        data: stageKeys.map((s) => byStage.find((b) => b.stage === s)?.growth[a] ?? 0),
      })),
    }),
    [byStage, t],
  );
  return (
    <EChart
      option={option}
      height={300}
      testId={testId}
      onClick={(e) => onOpen({ metric: growthActions[e.seriesIndex], stage: stageKeys[e.dataIndex] })}
    />
  );
}

/** The five growth actions as numbers, each with its definition. */
export function GrowthNumbers({ growth, onOpen }: { growth: Growth; onOpen: (d: Drill) => void }) {
  const { t } = useTranslation();
  return (
    <Space size={32} wrap data-testid="growth-numbers">
      {growthActions.map((a) => (
        <Tooltip key={a} title={t(`om.actionHint.${a}`)}>
          <Statistic
            title={t(`om.action.${a}`)}
            valueRender={() => <OpenNumber value={growth[a]} onOpen={() => onOpen({ metric: a })} testId={`growth-${a}`} />}
          />
        </Tooltip>
      ))}
    </Space>
  );
}

/** The funnel per stage as a table of numbers, each opening its people; excluded split by reason below. */
export function FunnelByStageTable({ byStage, totals, onOpen }: { byStage: ByStage; totals: Counts; onOpen: (d: Drill) => void }) {
  const { t } = useTranslation();
  const reasons = Object.entries(totals.excludedBy).filter(([, n]) => n > 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="stage"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={byStage.filter((b) => b.counts.planned > 0 || b.counts.referrals > 0)}
        columns={[
          { title: t('om.people.stage'), dataIndex: 'stage', fixed: 'left', render: (s: StageKey) => t(`om.stage.${s}`) },
          ...(['planned', 'excluded', ...funnelMetrics.slice(1)] as const).map((m) => ({
            title: t(`om.metric.${m}`),
            key: m,
            render: (_: unknown, b: ByStage[number]) => <OpenNumber value={b.counts[m]} onOpen={() => onOpen({ metric: m, stage: b.stage })} />,
          })),
        ]}
      />
      {reasons.length > 0 && (
        <Space wrap>
          <Typography.Text type="secondary">{t('om.metric.excluded')}</Typography.Text>
          {reasons.map(([r, n]) => (
            <Tag key={r} style={{ cursor: 'pointer' }} onClick={() => onOpen({ metric: 'excluded', reason: r as Drill['reason'] })}>
              {t(`or.reason.${r as ExcludeReason}`)} {n}
            </Tag>
          ))}
        </Space>
      )}
    </Space>
  );
}

type Person = MeasurePeople['items'][number];

/** The people behind one number, paged. */
export function PeopleDrawer({
  drill,
  scope,
  from,
  to,
  onClose,
}: {
  drill: Drill | null;
  scope?: string;
  from?: string;
  to?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const q = useMeasurePeople(drill, page, { scope, from, to });
  const what = drill
    ? [
        isAction(drill.metric) ? t(`om.action.${drill.metric}`) : t(`om.metric.${drill.metric}`),
        drill.stage ? t(`om.stage.${drill.stage}`) : null,
        drill.reason ? t(`or.reason.${drill.reason}`) : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  const close = () => {
    setPage(1);
    onClose();
  };
  const detail = (p: Person) =>
    p.metric === 'referrals'
      ? [t('om.people.lead'), p.referredBy ? t('om.people.referredBy', { name: p.referredBy }) : null].filter(Boolean).join(' · ')
      : p.reason
        ? t(`or.reason.${p.reason}`)
        : p.stageReached
          ? t('om.people.stageReached', { stage: t(`om.stage.${p.stageReached as StageKey}`) })
          : t(`om.metric.${p.metric}`);
  return (
    <Drawer
      open={!!drill}
      onClose={close}
      width={760}
      title={t('om.people.title', { what, count: q.data?.total ?? 0 })}
      destroyOnHidden
      data-testid="measure-people"
    >
      {q.isPending ? (
        <LoadingState rows={6} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<Person>
          rowKey={(p) => `${p.metric}:${p.campaignId}:${p.contactId}:${p.at}:${p.name}`}
          size="small"
          dataSource={q.data.items}
          locale={{ emptyText: t('om.people.empty') }}
          pagination={{
            current: page,
            pageSize: PEOPLE_PAGE,
            total: q.data.total,
            onChange: setPage,
            hideOnSinglePage: true,
            showSizeChanger: false,
          }}
          columns={[
            { title: t('om.people.name'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
            { title: t('om.people.account'), dataIndex: 'accountName', render: (v: string | null) => v ?? '—' },
            ...(scope ? [] : [{ title: t('om.people.campaign'), dataIndex: 'campaignName', render: (v: string | null) => v ?? '—' }]),
            { title: t('om.people.stage'), dataIndex: 'stage', render: (s: Person['stage']) => t(`om.stage.${s}`) },
            { title: t('om.people.detail'), key: 'detail', render: (_: unknown, p: Person) => detail(p) },
            { title: t('om.people.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
          ]}
        />
      )}
    </Drawer>
  );
}

/** One campaign's (or the period's) funnel, growth actions and per-stage numbers, in cards. */
export function MeasuresBody({
  data,
  onOpen,
}: {
  data: { totals: Counts; growth: Growth; byStage: ByStage; attributionDays: number };
  onOpen: (d: Drill) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('om.attribution', { days: data.attributionDays })} · {t('om.clickHint')}
      </Typography.Text>
      <Card size="small" title={t('om.growth')}>
        <GrowthNumbers growth={data.growth} onOpen={onOpen} />
      </Card>
      <Card size="small" title={t('om.funnel')}>
        <FunnelChart counts={data.totals} onOpen={onOpen} testId="measures-funnel" />
      </Card>
      <Card size="small" title={t('om.growthByStage')}>
        <GrowthByStageChart byStage={data.byStage} onOpen={onOpen} testId="measures-growth-by-stage" />
      </Card>
      <Card size="small" title={t('om.funnelByStage')}>
        <FunnelByStageTable byStage={data.byStage} totals={data.totals} onOpen={onOpen} />
      </Card>
    </Space>
  );
}
