// 触达活动: the workspace's campaigns, newest first, with status, channel, own cap and times (issue 18).
import { Button, Select, Space, Table, Tag } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { CreateButton } from '../../components/create-button';
import { useCan } from '../../session';
import { useCampaigns, type CampaignRow, type CampaignStatus } from '../api';
import { CampaignDrawer, statusColor } from '../components/campaign-drawer';
import { CampaignResultsDrawer } from '../components/campaign-results-drawer';

const statuses: CampaignStatus[] = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'];

export function CampaignsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CampaignStatus | undefined>();
  const q = useCampaigns(status);
  const can = useCan();
  // the open campaign lives in the address (?c=…), so a link or a reload opens it again
  const [params, setParams] = useSearchParams();
  const open = params.get('c');
  const setOpen = (id: string | null) => setParams(id ? { c: id } : {}, { replace: !id });
  const [results, setResults] = useState<CampaignRow | null>(null);
  return (
    <>
      <PageHeader
        title={t('or.title')}
        sub={t('or.sub')}
        extra={
          <Space>
            {can('outreach.read') && (
              <Link to="/outreach/settings">
                <Button icon={<SettingOutlined />}>{t('or.settings.title')}</Button>
              </Link>
            )}
            {can('outreach.manage') && <CreateButton onClick={() => setOpen('new')}>{t('or.drawer.new')}</CreateButton>}
          </Space>
        }
      />
      <div className="kw-content">
        <Select
          allowClear
          style={{ width: 180, marginBottom: 16 }}
          placeholder={t('or.filterStatus')}
          value={status}
          onChange={(v) => setStatus(v)}
          options={statuses.map((s) => ({ value: s, label: t(`or.status.${s}`) }))}
          data-testid="campaign-status-filter"
        />
        {q.isPending ? (
          <LoadingState rows={6} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<CampaignRow>
            rowKey="id"
            size="middle"
            dataSource={q.data}
            locale={{ emptyText: t('or.empty') }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            data-testid="campaigns"
            onRow={(c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('or.col.name'), dataIndex: 'name' },
              { title: t('or.col.channel'), dataIndex: 'channel', render: (c: CampaignRow['channel']) => t(`or.channel.${c}`) },
              {
                title: t('or.col.status'),
                dataIndex: 'status',
                render: (s: CampaignStatus) => <Tag color={statusColor[s]}>{t(`or.status.${s}`)}</Tag>,
              },
              {
                title: t('or.col.cap'),
                dataIndex: 'cap',
                render: (c: CampaignRow['cap']) => (c ? t('or.cap', { count: c.count, days: c.days }) : t('or.noCap')),
              },
              {
                title: t('or.col.scheduledAt'),
                dataIndex: 'scheduledAt',
                render: (v: string | null) => (v ? formatDateTime(v) : t('or.now')),
              },
              { title: t('or.col.sentAt'), dataIndex: 'sentAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
              { title: t('or.col.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
              {
                title: t('om.results'),
                key: 'results',
                render: (_: unknown, c: CampaignRow) =>
                  c.status === 'draft' ? (
                    '—'
                  ) : (
                    <Button
                      size="small"
                      data-testid={`campaign-results-${c.id}`}
                      onClick={(e) => {
                        e.stopPropagation(); // the row opens the preview
                        setResults(c);
                      }}
                    >
                      {t('om.results')}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </div>
      <CampaignDrawer id={open} onClose={() => setOpen(null)} onCreated={(id) => setOpen(id)} />
      <CampaignResultsDrawer campaign={results} onClose={() => setResults(null)} />
    </>
  );
}
