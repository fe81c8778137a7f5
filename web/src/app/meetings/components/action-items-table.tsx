import { Button, Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../format';
import { useUpdateActionItem, type ActionItem } from '../api';
import { isOverdue, useMt } from './labels';

/** Action items with owner, due date, status and supervision state; owners mark them done. */
export function ActionItemsTable({
  items,
  showMeeting = false,
  canEditAll = false,
  meId,
}: {
  items: ActionItem[];
  showMeeting?: boolean;
  canEditAll?: boolean;
  meId?: string;
}) {
  const { t } = useTranslation();
  const mt = useMt();
  const update = useUpdateActionItem();
  return (
    <Table<ActionItem>
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={items.length > 10 ? { pageSize: 10 } : false}
      locale={{ emptyText: t('mt.empty.actions') }}
      rowClassName={(r) => (isOverdue(r) ? 'kw-row-overdue' : '')}
      columns={[
        { title: t('mt.cols.title'), dataIndex: 'title', render: (v: string) => <span data-testid="action-title">{v}</span> },
        ...(showMeeting
          ? [
              {
                title: t('mt.cols.meeting'),
                dataIndex: 'meetingTitle',
                render: (v: string, r: ActionItem) => <Link to={`/meetings/${r.meetingId}`}>{v}</Link>,
              },
              {
                title: t('mt.cols.account'),
                dataIndex: 'accountName',
                width: 160,
                render: (v: string, r: ActionItem) => <Link to={`/accounts/${r.accountId}`}>{v}</Link>,
              },
            ]
          : []),
        { title: t('mt.cols.owner'), dataIndex: 'ownerName', width: 110 },
        {
          title: t('mt.cols.due'),
          dataIndex: 'dueOn',
          width: 200,
          render: (v: string | null, r: ActionItem) => (
            <>
              {v ? formatDate(v) : '—'}
              {isOverdue(r) && (
                <Tag color="red" style={{ marginInlineStart: 6 }} data-testid="overdue-tag">
                  {t('mt.page.overdue')}
                </Tag>
              )}
              {r.escalatedAt && (
                <Tooltip title={formatDate(r.escalatedAt)}>
                  <Tag color="volcano" data-testid="escalated-tag">
                    {t('mt.page.escalated', { name: r.escalatedToName ?? '' })}
                  </Tag>
                </Tooltip>
              )}
            </>
          ),
        },
        {
          title: t('mt.cols.status'),
          dataIndex: 'status',
          width: 90,
          render: (v: string) => <Tag color={v === 'done' ? 'green' : v === 'open' ? 'blue' : 'default'}>{mt('actionStatus', v)}</Tag>,
        },
        {
          title: t('common.actions'),
          width: 100,
          render: (_: unknown, r: ActionItem) =>
            (canEditAll || r.ownerId === meId) && r.status !== 'cancelled' ? (
              <Button
                size="small"
                type="link"
                loading={update.isPending && update.variables?.id === r.id}
                onClick={() => update.mutate({ id: r.id, status: r.status === 'open' ? 'done' : 'open' })}
              >
                {r.status === 'open' ? t('mt.page.markDone') : t('mt.page.reopen')}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}
