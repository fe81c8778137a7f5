import { useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { useMeetings } from '../api';
import { MeetingFormDrawer } from './meeting-form-drawer';
import { MeetingsTable } from './meetings-table';

/** The account 360's 会议 tab: every meeting with this account, and a way to call one. */
export function MeetingsTab({ accountId, accountName }: { accountId: string; accountName: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const q = useMeetings({ scope: 'account', accountId });
  const [creating, setCreating] = useState(false);
  return (
    <div className="kw-card">
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
        {can('meetings.create') && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('mt.newMeeting')}
          </Button>
        )}
      </div>
      {q.isPending ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <MeetingsTable items={q.data} showAccount={false} />
      )}
      <MeetingFormDrawer open={creating} onClose={() => setCreating(false)} accountId={accountId} accountName={accountName} />
    </div>
  );
}
