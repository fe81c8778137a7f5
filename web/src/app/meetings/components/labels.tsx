import { useCallback } from 'react';
import { formatDateTime, formatIn } from '../../format';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';

type Group = 'kind' | 'cause' | 'status' | 'response' | 'actionStatus' | 'summaryStatus' | 'scope';

/** Labels of the meetings module by group and value. */
export function useMt() {
  const { t } = useTranslation();
  return useCallback(
    (group: Group, key: string, params?: Record<string, string>) => t(`mt.${group}.${key}` as never, params as never) as unknown as string,
    [t],
  );
}

const kindColor: Record<string, string> = { key_moment: 'red', periodic: 'blue', ad_hoc: 'orange' };
export function KindTag({ kind }: { kind: string }) {
  const mt = useMt();
  return <Tag color={kindColor[kind]}>{mt('kind', kind)}</Tag>;
}
const statusColor: Record<string, string> = { scheduled: 'processing', held: 'success', cancelled: 'default' };
export function MeetingStatusTag({ status }: { status: string }) {
  const mt = useMt();
  return <Tag color={statusColor[status]}>{mt('status', status)}</Tag>;
}
const responseColor: Record<string, string> = { needs_action: 'default', accepted: 'green', declined: 'red', tentative: 'gold' };
export function ResponseTag({ response }: { response: string }) {
  const mt = useMt();
  return <Tag color={responseColor[response]}>{mt('response', response)}</Tag>;
}

export const when = (startsAt: string, endsAt: string) => `${formatDateTime(startsAt)}–${formatIn(endsAt, 'HH:mm')}`;
export const isOverdue = (a: { status: string; dueAt: string | null }) => a.status === 'open' && !!a.dueAt && dayjs(a.dueAt).isBefore(dayjs());
