import { useEffect, useMemo, useState } from 'react';
import { App, Button, Checkbox, Flex, List, Select, Space, Switch, Table, Tabs, Tag, TimePicker, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { errorMessage, isStale } from '../../../api/client';
import { StaleNotice } from '../../components/stale-notice';
import { useMarkRead, useNotices, usePreferences, useSavePreferences, type Notice, type NoticeKind, type Preferences } from '../api';
import { NoticeText } from '../notice-text';

/** 通知中心: my notices with filters and mark-read, and my channel choices and quiet hours. */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'preferences' ? 'preferences' : 'list';
  return (
    <>
      <PageHeader
        title={t('nt.title')}
        breadcrumb={[{ title: t('menu.workbench'), to: '/workbench' }, { title: t('nt.title') }]}
        sub={<Typography.Text type="secondary">{t('nt.subtitle')}</Typography.Text>}
      />
      <div className="kw-content">
        <div className="kw-card">
          <Tabs
            activeKey={tab}
            onChange={(k) => setParams(k === 'list' ? {} : { tab: k }, { replace: true })}
            items={[
              { key: 'list', label: t('nt.tabs.list'), children: <NoticeList /> },
              { key: 'preferences', label: t('nt.tabs.preferences'), children: <PreferencesForm /> },
            ]}
          />
        </div>
      </div>
    </>
  );
}

function NoticeList() {
  const { t } = useTranslation();
  const [unread, setUnread] = useState(false);
  const [kinds, setKinds] = useState<NoticeKind[]>([]);
  const q = useNotices({ unread, kind: kinds });
  const read = useMarkRead();
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const unreadTotal = q.data?.pages[0]?.unread ?? 0;
  const kindOptions = useKindOptions();
  const open = (n: Notice) => {
    if (!n.readAt) read.mutate({ ids: [n.id] });
  };
  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Checkbox checked={unread} onChange={(e) => setUnread(e.target.checked)} data-testid="notices-unread-only">
          {t('nt.unreadOnly')}
        </Checkbox>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('nt.filterKinds')}
          style={{ minWidth: 260 }}
          value={kinds}
          onChange={setKinds}
          options={kindOptions}
          maxTagCount="responsive"
          data-testid="notices-kinds"
        />
        <span style={{ flex: 1 }} />
        <Button onClick={() => read.mutate({ all: true })} disabled={!unreadTotal} loading={read.isPending} data-testid="notices-mark-all">
          {t('nt.markAllRead')}
        </Button>
      </Flex>
      {q.isLoading ? (
        <LoadingState />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !items.length ? (
        <EmptyState text={unread ? t('nt.emptyUnread') : t('nt.empty')} />
      ) : (
        <>
          <List
            dataSource={items}
            renderItem={(n) => (
              <List.Item
                data-testid="notice"
                data-read={n.readAt ? 'yes' : 'no'}
                actions={
                  n.readAt
                    ? []
                    : [
                        <Button key="read" size="small" type="link" onClick={() => read.mutate({ ids: [n.id] })}>
                          {t('nt.markRead')}
                        </Button>,
                      ]
                }
              >
                <NoticeText n={n} onOpen={open} />
              </List.Item>
            )}
          />
          {q.hasNextPage && (
            <Flex justify="center" style={{ marginTop: 12 }}>
              <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
                {t('nt.loadMore')}
              </Button>
            </Flex>
          )}
        </>
      )}
    </>
  );
}

function useKindOptions() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  return (prefs.data?.kinds ?? []).map((k) => ({ value: k.kind, label: t(`nt.kinds.${k.kind}`) }));
}

type Row = Preferences['kinds'][number];
const HHMM = 'HH:mm';

function PreferencesForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = usePreferences();
  const save = useSavePreferences();
  const [rows, setRows] = useState<Row[]>([]);
  const [quiet, setQuiet] = useState<[Dayjs, Dayjs] | null>(null);
  // optimistic concurrency (another tab of mine may save too): saved from the version shown; a refetch
  // refills only while nothing was changed here, and a 412 offers a reload that keeps the changes
  const [dirty, setDirty] = useState(false);
  const [version, setVersion] = useState<number>();
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  useEffect(() => {
    if (!q.data || dirty) return;
    setRows(q.data.kinds);
    setQuiet(q.data.quietStart && q.data.quietEnd ? [dayjs(q.data.quietStart, HHMM), dayjs(q.data.quietEnd, HHMM)] : null);
    setVersion(q.data.version);
  }, [q.data, dirty]);
  if (q.isLoading) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const set = (kind: NoticeKind, ch: 'inApp' | 'email' | 'im', v: boolean) => {
    setDirty(true);
    setRows((rs) => rs.map((r) => (r.kind === kind ? { ...r, [ch]: v } : r)));
  };
  const changeQuiet = (v: [Dayjs, Dayjs] | null) => {
    setDirty(true);
    setQuiet(v);
  };
  const submit = () =>
    save.mutate(
      {
        kinds: rows.map(({ kind, inApp, email, im }) => ({ kind, inApp, email, im })),
        quietStart: quiet ? quiet[0].format(HHMM) : null,
        quietEnd: quiet ? quiet[1].format(HHMM) : null,
        version,
      },
      {
        onSuccess: (r) => {
          setVersion(r.version);
          setDirty(false);
          setStale(null);
          setReloaded(false);
          void message.success(t('nt.prefs.saved'));
        },
        onError: (e) => {
          if (isStale(e)) {
            setReloaded(false);
            setStale(e.message);
          } else void message.error(errorMessage(e));
        },
      },
    );
  const reload = async () => {
    const fresh = (await q.refetch()).data;
    if (fresh) setVersion(fresh.version);
    setStale(null);
    setReloaded(true);
  };
  const sw = (ch: 'inApp' | 'email' | 'im') => (_: unknown, r: Row) => (
    <Switch size="small" checked={r[ch]} onChange={(v) => set(r.kind, ch, v)} aria-label={`${t(`nt.kinds.${r.kind}`)} ${t(`nt.prefs.${ch}`)}`} />
  );
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="notice-prefs">
      <Typography.Text type="secondary">{t('nt.prefs.intro')}</Typography.Text>
      <Table<Row>
        rowKey="kind"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t('nt.prefs.kind'),
            render: (_, r) => (
              <Space size={4}>
                {t(`nt.kinds.${r.kind}`)}
                {r.urgent && (
                  <Tag color="red" title={t('nt.prefs.urgentHint')}>
                    {t('nt.urgent')}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t('nt.prefs.inApp'), width: 90, render: sw('inApp') },
          { title: t('nt.prefs.email'), width: 90, render: sw('email') },
          { title: t('nt.prefs.im'), width: 90, render: sw('im') },
        ]}
      />
      <div>
        <Typography.Title level={5}>{t('nt.prefs.quiet')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('nt.prefs.quietHint')}</Typography.Paragraph>
        <Space wrap>
          <TimePicker.RangePicker
            format={HHMM}
            minuteStep={15}
            order={false}
            value={quiet}
            onChange={(v) => changeQuiet(v && v[0] && v[1] ? [v[0], v[1]] : null)}
            data-testid="quiet-hours"
          />
          <Button onClick={() => changeQuiet(null)} disabled={!quiet}>
            {t('nt.prefs.quietOff')}
          </Button>
        </Space>
      </div>
      <StaleNotice message={stale} reloaded={reloaded} onReload={reload} />
      <div>
        <Button type="primary" onClick={submit} loading={save.isPending} data-testid="notice-prefs-save">
          {t('nt.prefs.save')}
        </Button>
      </div>
    </Space>
  );
}
