import { useState } from 'react';
import { Button, Flex, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDate, formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { useBoard, type Opportunity } from '../api';
import { CaptureModal, OpportunityDrawer, StageBadge } from './opportunity-drawers';

/** The account 360's 商机 tab: this account's opportunities, capture, and moves. */
export function OpportunitiesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  const q = useBoard({ accountId });
  const [capturing, setCapturing] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  if (q.isPending)
    return (
      <div className="kw-card">
        <LoadingState />
      </div>
    );
  if (q.isError)
    return (
      <div className="kw-card">
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );
  const items = q.data.flatMap((c) => c.items);
  const captureBtn = can('opportunities.capture') && (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCapturing(true)} data-testid="capture-opportunity">
      {t('va.opp.capture')}
    </Button>
  );
  return (
    <div className="kw-card">
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Flex gap={16}>
          {q.data.map((c) => (
            <span key={c.stage}>
              <StageBadge stage={c.stage} /> {c.count} · {formatMoney(c.amountMinor, locale)}
            </span>
          ))}
        </Flex>
        {captureBtn}
      </Flex>
      {items.length === 0 ? (
        <EmptyState text={t('va.opp.empty')} action={captureBtn} />
      ) : (
        <Table<Opportunity>
          rowKey="id"
          size="middle"
          dataSource={items}
          pagination={false}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('va.opp.title'), dataIndex: 'title' },
            { title: t('common.status'), dataIndex: 'stage', render: (s: string) => <StageBadge stage={s} /> },
            { title: t('va.opp.amount'), dataIndex: 'amountMinor', align: 'right', render: (v: number) => formatMoney(v, locale) },
            { title: t('va.opp.source'), dataIndex: 'sourceKind', render: (s: string) => t(`va.source.${s}` as 'va.source.visit') },
            { title: t('va.opp.capturedBy'), dataIndex: 'capturedByName' },
            { title: t('common.at'), dataIndex: 'createdAt', render: (v: string) => formatDate(v) },
          ]}
        />
      )}
      <CaptureModal open={capturing} onClose={() => setCapturing(false)} accountId={accountId} />
      <OpportunityDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
