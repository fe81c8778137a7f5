import { Table } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { MeetingRow } from '../api';
import { KindTag, MeetingStatusTag, useMt, when } from './labels';

export function MeetingsTable({ items, loading, showAccount = true }: { items: MeetingRow[]; loading?: boolean; showAccount?: boolean }) {
  const { t } = useTranslation();
  const mt = useMt();
  return (
    <Table<MeetingRow>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={items}
      pagination={{ pageSize: 15 }}
      locale={{ emptyText: t('mt.empty.meetings') }}
      columns={[
        { title: t('mt.cols.when'), dataIndex: 'startsAt', width: 180, render: (_: string, r) => when(r.startsAt, r.endsAt) },
        {
          title: t('mt.cols.title'),
          dataIndex: 'title',
          render: (v: string, r) => (
            <Link to={`/meetings/${r.id}`} data-testid="meeting-link">
              {v}
            </Link>
          ),
        },
        ...(showAccount
          ? [
              {
                title: t('mt.cols.account'),
                dataIndex: 'accountName',
                width: 180,
                render: (v: string, r: MeetingRow) => <Link to={`/accounts/${r.accountId}`}>{v}</Link>,
              },
            ]
          : []),
        {
          title: t('mt.cols.kind'),
          dataIndex: 'kind',
          width: 150,
          render: (v: string, r) => (
            <span title={mt('cause', r.cause)}>
              <KindTag kind={v} />
            </span>
          ),
        },
        { title: t('mt.cols.organizer'), dataIndex: 'organizerName', width: 110 },
        { title: t('mt.cols.status'), dataIndex: 'status', width: 90, render: (v: string) => <MeetingStatusTag status={v} /> },
        { title: t('mt.cols.actions'), dataIndex: 'openActions', width: 110, align: 'right' },
      ]}
    />
  );
}
