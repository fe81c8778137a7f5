import { useState } from 'react';
import { Badge, Button, Flex, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../components/states';
import { useMarkRead, useNotices, useUnreadCount, type Notice } from './api';
import { NoticeText } from './notice-text';

/** The bell in the header: unread count (live), the latest notices, a way to the notification centre. */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  const count = unread.data ?? 0;
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      destroyOnHidden
      content={<Latest onNavigate={() => setOpen(false)} />}
      title={t('nt.latest')}
    >
      <Badge count={count} size="small" overflowCount={99} data-testid="bell-count" data-count={unread.isSuccess ? count : undefined}>
        <Button type="text" icon={<BellOutlined />} aria-label={count ? t('nt.bellUnread', { count }) : t('nt.bell')} data-testid="bell" />
      </Badge>
    </Popover>
  );
}

function Latest({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const q = useNotices({}, 8);
  const read = useMarkRead();
  const items = q.data?.pages[0]?.items ?? [];
  const open = (n: Notice) => {
    if (!n.readAt) read.mutate({ ids: [n.id] });
    onNavigate();
  };
  return (
    <div style={{ width: 380, maxWidth: '80vw' }} data-testid="bell-panel">
      {q.isLoading ? (
        <LoadingState rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <List
          size="small"
          dataSource={items}
          locale={{ emptyText: t('nt.empty') }}
          renderItem={(n) => (
            <List.Item data-testid="bell-item">
              <NoticeText n={n} onOpen={open} />
            </List.Item>
          )}
        />
      )}
      <Flex justify="space-between" style={{ marginTop: 8 }}>
        <Button size="small" onClick={() => read.mutate({ all: true })} loading={read.isPending} disabled={!items.some((n) => !n.readAt)}>
          {t('nt.markAllRead')}
        </Button>
        <Link to="/notifications" onClick={onNavigate} data-testid="bell-all">
          <Typography.Link>{t('nt.all')}</Typography.Link>
        </Link>
      </Flex>
    </div>
  );
}
