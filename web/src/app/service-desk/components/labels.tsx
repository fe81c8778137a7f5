import { Tag, Tooltip } from 'antd';
import { formatDateTime } from '../../format';
import { useTranslation } from 'react-i18next';
import type { Clock } from '../api';

export const statusColor: Record<string, string> = {
  open: 'blue',
  in_progress: 'processing',
  waiting_customer: 'gold',
  resolved: 'green',
  closed: 'default',
};
export const clockColor: Record<string, string> = { running: 'processing', paused: 'gold', met: 'green', breached: 'red' };
export const priorityColor: Record<string, string> = { P1: 'red', P2: 'volcano', P3: 'blue', P4: 'default' };

type SdKey = 'status' | 'kind' | 'severity' | 'channel' | 'clock' | 'clockState' | 'history' | 'queues';

/** The label of a service-desk vocabulary value, falling back to the value. */
export function useSd() {
  const { t } = useTranslation();
  return (group: SdKey, v: string | null | undefined) => (v ? String(t(`sd.${group}.${v}` as 'sd.title', { defaultValue: v })) : '—');
}

export function StatusTag({ status }: { status: string }) {
  const sd = useSd();
  return (
    <Tag color={statusColor[status]} data-testid="ticket-status">
      {sd('status', status)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: string }) {
  return <Tag color={priorityColor[priority]}>{priority}</Tag>;
}

export const fmt = (d: string | null | undefined) => formatDateTime(d);

/** One SLA clock: what it measures, its state, its deadline and what is left, in business time. */
export function ClockTag({ c }: { c: Clock }) {
  const { t } = useTranslation();
  const sd = useSd();
  const state = c.state === 'running' && c.warning ? 'warning' : c.state;
  return (
    <Tooltip title={`${t('sd.target', { v: c.target })} · ${t('sd.due')} ${fmt(c.dueAt)}`}>
      <Tag color={state === 'warning' ? 'orange' : clockColor[c.state]} data-testid={`clock-${c.kind}`} data-state={c.state}>
        {sd('clock', c.kind)} · {state === 'warning' ? t('sd.warning') : sd('clockState', c.state)}
      </Tag>
    </Tooltip>
  );
}
