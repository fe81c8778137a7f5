import { useState } from 'react';
import { Card, Rate, Segmented, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/states';
import { useCsatReport } from '../api';

/** Satisfaction per account, team and engineer (every resolved ticket asks for it). */
export function CsatReport() {
  const { t } = useTranslation();
  const [by, setBy] = useState<'account' | 'team' | 'owner'>('owner');
  const q = useCsatReport(by);
  return (
    <Card
      title={t('sd.csatReport')}
      style={{ marginTop: 16 }}
      extra={
        <Segmented<'account' | 'team' | 'owner'>
          value={by}
          onChange={setBy}
          options={(['owner', 'team', 'account'] as const).map((k) => ({ value: k, label: t(`sd.by.${k}`) }))}
        />
      }
    >
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table
          rowKey={(r) => r.id ?? '—'}
          size="small"
          loading={q.isPending}
          dataSource={q.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t(`sd.by.${by}`), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
            {
              title: t('sd.avg'),
              dataIndex: 'average',
              width: 220,
              render: (v: number) => (
                <>
                  <Rate disabled allowHalf value={Math.round(v * 2) / 2} style={{ fontSize: 14 }} /> {v.toFixed(2)}
                </>
              ),
            },
            { title: t('sd.responses'), dataIndex: 'responses', width: 100 },
          ]}
        />
      )}
    </Card>
  );
}
