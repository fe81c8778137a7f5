// The send preview of a campaign: how many get it, who is left out and why, the content for the first person.
import { Alert, Card, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../components/states';
import { usePreview, type ExcludeReason, type Preview } from '../api';

export const reasons: ExcludeReason[] = ['no_consent', 'unsubscribed', 'cap_reached', 'no_address', 'cancelled'];
type Person = Preview['people'][number];

export function PreviewPanel({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<ExcludeReason | 'included' | undefined>();
  const [page, setPage] = useState(1);
  const q = usePreview(campaignId, reason, page);
  if (q.isPending) return <LoadingState rows={6} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="campaign-preview">
      <Alert type="info" showIcon title={t('or.preview.hint')} />
      <Space size={32} wrap>
        <Statistic title={t('or.preview.total')} value={q.data.total} />
        <Statistic title={t('or.preview.included')} value={q.data.included} />
        <Statistic title={t('or.preview.excluded')} value={q.data.total - q.data.included} />
      </Space>
      <Space wrap>
        {reasons
          .filter((r) => q.data.excluded[r])
          .map((r) => (
            <Tag
              key={r}
              style={{ cursor: 'pointer' }}
              onClick={() => {
                setReason(r);
                setPage(1);
              }}
            >
              {t(`or.reason.${r}`)} {q.data.excluded[r]}
            </Tag>
          ))}
      </Space>
      {q.data.sample && (
        <Card size="small" title={t('or.preview.sample')}>
          <Typography.Text strong>{q.data.sample.subject}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8, marginBottom: 0 }}>{q.data.sample.body}</Typography.Paragraph>
        </Card>
      )}
      <Segmented
        value={reason ?? 'all'}
        onChange={(v) => {
          setReason(v === 'all' ? undefined : (v as ExcludeReason | 'included'));
          setPage(1);
        }}
        options={[
          { value: 'all', label: t('or.preview.all') },
          { value: 'included', label: t('or.preview.willGet') },
          ...reasons.filter((r) => q.data.excluded[r] || r === reason).map((r) => ({ value: r, label: t(`or.reason.${r}`) })),
        ]}
      />
      <Table<Person>
        rowKey="contactId"
        size="small"
        dataSource={q.data.people}
        loading={q.isFetching}
        pagination={{ current: page, pageSize: 50, total: q.data.matching, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('or.preview.empty') }}
        columns={[
          { title: t('or.preview.person'), dataIndex: 'name' },
          { title: t('or.preview.account'), dataIndex: 'accountName' },
          { title: t('or.preview.email'), dataIndex: 'email', render: (v: string | null) => v ?? '—' },
          {
            title: t('or.preview.result'),
            dataIndex: 'reason',
            render: (r: Person['reason']) =>
              r ? <Tag color="orange">{t(`or.reason.${r}`)}</Tag> : <Tag color="green">{t('or.preview.willGet')}</Tag>,
          },
        ]}
      />
    </Space>
  );
}
