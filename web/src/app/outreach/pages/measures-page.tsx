// 触达效果: what the campaigns of a period brought (issue 18 point 4): the funnel, the five growth actions per stage,
// per campaign; every number opens the people behind it.
import { Button, Card, DatePicker, Space, Table } from 'antd';
import type dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, fromPicker, pickerNow } from '../../format';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { CampaignResultsDrawer } from '../components/campaign-results-drawer';
import { MeasuresBody, OpenNumber, PeopleDrawer } from '../components/measures-charts';
import { growthActions, useMeasuresOverview, type Drill, type MeasuresOverview } from '../measures-api';

type Row = MeasuresOverview['campaigns'][number];
const columnsShown = ['sent', 'delivered', 'opened', 'clicked', 'stage_moves', 'purchases', 'payments', 'referrals'] as const;

export function MeasuresPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<[dayjs.Dayjs, dayjs.Dayjs]>(() => [pickerNow().subtract(89, 'day'), pickerNow()]);
  const range = useMemo(() => ({ from: fromPicker(days[0].startOf('day')), to: fromPicker(days[1].endOf('day')) }), [days]);
  const q = useMeasuresOverview(range);
  const [drill, setDrill] = useState<Drill | null>(null);
  const [campaign, setCampaign] = useState<{ id: string; name: string } | null>(null);
  return (
    <>
      <PageHeader title={t('om.title')} sub={t('om.sub')} />
      <div className="kw-content">
        <Space style={{ marginBottom: 16 }}>
          <span>{t('om.range')}</span>
          <DatePicker.RangePicker
            value={days}
            allowClear={false}
            format="YYYY-MM-DD"
            onChange={(v) => v?.[0] && v[1] && setDays([v[0], v[1]])}
            data-testid="measures-range"
          />
        </Space>
        {q.isPending ? (
          <LoadingState rows={10} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : !q.data.campaigns.length ? (
          <EmptyState text={t('om.noData')} />
        ) : (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <MeasuresBody data={q.data} onOpen={setDrill} />
            <Card size="small" title={t('om.byCampaign')}>
              <Table<Row>
                rowKey="id"
                size="small"
                dataSource={q.data.campaigns}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                scroll={{ x: true }}
                data-testid="measures-campaigns"
                columns={[
                  {
                    title: t('om.campaign'),
                    dataIndex: 'name',
                    fixed: 'left',
                    render: (name: string, c) => (
                      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setCampaign({ id: c.id, name })}>
                        {name}
                      </Button>
                    ),
                  },
                  { title: t('or.col.sentAt'), dataIndex: 'sentAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
                  ...columnsShown.map((m) => ({
                    title: t(`om.metric.${m}`),
                    key: m,
                    render: (_: unknown, c: Row) => <OpenNumber value={c.counts[m]} onOpen={() => setDrill({ metric: m, campaignId: c.id })} />,
                  })),
                  ...growthActions.map((a) => ({
                    title: t(`om.action.${a}`),
                    key: a,
                    render: (_: unknown, c: Row) => <OpenNumber value={c.growth[a]} onOpen={() => setDrill({ metric: a, campaignId: c.id })} />,
                  })),
                ]}
              />
            </Card>
          </Space>
        )}
      </div>
      <PeopleDrawer drill={drill} from={range.from} to={range.to} onClose={() => setDrill(null)} />
      <CampaignResultsDrawer campaign={campaign} onClose={() => setCampaign(null)} />
    </>
  );
}
