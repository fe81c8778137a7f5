import { useCallback, useState } from 'react';
import { Button, Checkbox, Flex, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatMoney, type Locale } from '../format';
import { useEnum } from '../components/labels';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { timelineKinds, useTimeline, type TimelineItem, type TimelineKind } from './api';

const colour: Record<TimelineKind, string> = {
  ticket: 'red',
  meeting: 'blue',
  booking: 'purple',
  opportunity: 'green',
  portal: 'cyan',
  stage: 'orange',
  tier: 'gold',
  ladder: 'magenta',
  value: 'geekblue',
};

/** One event in words, never a code. */
function useSentence() {
  const { t, i18n } = useTranslation();
  const label = useEnum();
  const locale = (i18n.language === 'en' ? 'en' : 'zh-CN') as Locale;
  return useCallback(
    (it: TimelineItem): string => {
      const none = t('fd.timeline.none');
      switch (it.kind) {
        case 'ticket':
          return t('fd.timeline.ticket', { number: it.number ?? '', title: it.title });
        case 'meeting':
          return t('fd.timeline.meeting', { title: it.title });
        case 'booking':
          return t('fd.timeline.booking', { title: it.title, amount: formatMoney(it.amountMinor, locale) });
        case 'opportunity': {
          const stage = (s: string | null) => (s ? t(`va.stage.${s}` as 'va.stage.captured', { defaultValue: s }) : none);
          return it.from
            ? t('fd.timeline.opportunityMoved', { title: it.title, from: stage(it.from), to: stage(it.to) })
            : t('fd.timeline.opportunity', { title: it.title, to: stage(it.to) });
        }
        case 'portal':
          return t('fd.timeline.portal', {
            title: it.title,
            action: t(`fd.timeline.portalAction.${it.status ?? 'view'}` as 'fd.timeline.portalAction.view', { defaultValue: it.status ?? '' }),
          });
        case 'stage':
          return t('fd.timeline.stage', { from: it.from ? label('stage', it.from) : none, to: label('stage', it.to) });
        case 'tier':
          return t('fd.timeline.tier', { from: it.from ? label('tier', it.from) : none, to: label('tier', it.to) });
        case 'ladder':
          return t('fd.timeline.ladder', { from: it.from ? label('ladder', it.from) : none, to: label('ladder', it.to) });
        case 'value':
          return t('fd.timeline.value', { title: it.title, period: it.detail ?? '', value: it.value ?? '' });
      }
    },
    [t, label, locale],
  );
}

/** 动态: everything that happened to the account in one stream, newest first, filtered by kind, a page at a time. */
export function TimelineTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState<TimelineKind[]>([]);
  const q = useTimeline(accountId, kinds);
  const sentence = useSentence();
  const statusOf = (it: TimelineItem) => {
    if (!it.status) return null;
    if (it.kind === 'ticket') return t(`sd.status.${it.status}` as 'sd.status.open', { defaultValue: it.status });
    if (it.kind === 'meeting') return t(`mt.status.${it.status}` as 'mt.status.held', { defaultValue: it.status });
    if (it.kind === 'booking') return t(`va.bookingStatus.${it.status}` as 'va.bookingStatus.booked', { defaultValue: it.status });
    return null;
  };
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="kw-card" data-testid="account-timeline">
      <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('fd.timeline.filter')}</Typography.Text>
        <Checkbox.Group
          value={kinds}
          onChange={(v) => setKinds(v as TimelineKind[])}
          options={timelineKinds.map((k) => ({ value: k, label: t(`fd.timeline.kinds.${k}`) }))}
          data-testid="timeline-kinds"
        />
        {kinds.length > 0 && (
          <Button size="small" type="link" onClick={() => setKinds([])}>
            {t('fd.timeline.all')}
          </Button>
        )}
      </Flex>
      {q.isPending ? (
        <LoadingState rows={8} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState text={kinds.length ? t('fd.timeline.emptyFiltered') : t('fd.timeline.empty')} />
      ) : (
        <>
          <Timeline
            items={items.map((it) => {
              const status = statusOf(it);
              return {
                key: `${it.kind}:${it.id}`,
                color: colour[it.kind],
                content: (
                  <div data-testid="timeline-item">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(it.at)} · {t(`fd.timeline.kinds.${it.kind}`)}
                    </Typography.Text>
                    <div>
                      <Link to={it.link}>{sentence(it)}</Link> {status && <Tag>{status}</Tag>}
                    </div>
                    {it.detail && it.kind !== 'value' && it.kind !== 'meeting' && it.kind !== 'portal' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {it.detail}
                      </Typography.Text>
                    )}
                  </div>
                ),
              };
            })}
          />
          {q.hasNextPage && (
            <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="timeline-more">
              {t('fd.timeline.loadMore')}
            </Button>
          )}
        </>
      )}
    </div>
  );
}
