import { useMemo, useState } from 'react';
import { formatIn, fromPicker, inZone, pickerNow } from '../../format';
import { Badge, Button, Calendar, Segmented, Select, Space, Tabs } from 'antd';
import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useTeams } from '../../people/api';
import { useCan, useMe } from '../../session';
import { useMeetings, useMyActionItems, type ListParams } from '../api';
import { ActionItemsTable } from '../components/action-items-table';
import { MeetingFormDrawer } from '../components/meeting-form-drawer';
import { MeetingsTable } from '../components/meetings-table';
import { useMt } from '../components/labels';

const views = ['calendar', 'list', 'actions'] as const;
type View = (typeof views)[number];
const kindColor: Record<string, 'error' | 'processing' | 'warning'> = { key_moment: 'error', periodic: 'processing', ad_hoc: 'warning' };

/** 会议: calendar, list (mine / all / a team) and my action items (notices are in the notification centre). */
export function MeetingsHomePage() {
  const { t } = useTranslation();
  const mt = useMt();
  const can = useCan();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const view = (views as readonly string[]).includes(sp.get('view') ?? '') ? (sp.get('view') as View) : 'calendar';
  const [scope, setScope] = useState<'mine' | 'all' | 'team'>('mine');
  const [teamId, setTeamId] = useState<string | undefined>();
  const [month, setMonth] = useState<Dayjs>(pickerNow());
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const [creating, setCreating] = useState(false);
  const teams = useTeams();
  const params: ListParams = useMemo(() => {
    const p: ListParams = { scope, teamId: scope === 'team' ? teamId : undefined };
    if (view === 'calendar') {
      p.from = fromPicker(month.startOf('month').subtract(7, 'day'));
      p.to = fromPicker(month.endOf('month').add(7, 'day'));
    } else if (when === 'upcoming') p.from = fromPicker(pickerNow().startOf('day'));
    else p.to = fromPicker(pickerNow().startOf('day'));
    return p;
  }, [scope, teamId, view, month, when]);
  const meetings = useMeetings(params, view !== 'actions' && (scope !== 'team' || !!teamId));

  const scopeBar = (
    <Space wrap>
      <Segmented
        value={scope}
        onChange={(v) => setScope(v as typeof scope)}
        options={(['mine', 'all', 'team'] as const).map((s) => ({ value: s, label: mt('scope', s) }))}
        data-testid="meeting-scope"
      />
      {scope === 'team' && (
        <Select
          style={{ width: 200 }}
          placeholder={mt('scope', 'team')}
          value={teamId}
          onChange={setTeamId}
          options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
        />
      )}
    </Space>
  );

  return (
    <>
      <PageHeader
        title={t('mt.title')}
        breadcrumb={[{ title: t('mt.title') }]}
        extra={
          <>
            {can('meetings.settings') && (
              <Button icon={<SettingOutlined />} onClick={() => navigate('/settings/integrations')}>
                {t('mt.settings.title')}
              </Button>
            )}
            {can('meetings.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-meeting">
                {t('mt.newMeeting')}
              </Button>
            )}
          </>
        }
      />
      <div className="kw-content">
        <div className="kw-card">
          <Tabs
            activeKey={view}
            onChange={(k) => setSp(k === 'calendar' ? {} : { view: k }, { replace: true })}
            items={[
              {
                key: 'calendar',
                label: t('mt.views.calendar'),
                children: (
                  <>
                    {scopeBar}
                    {meetings.isError ? (
                      <ErrorState error={meetings.error} onRetry={() => void meetings.refetch()} />
                    ) : (
                      <Calendar
                        value={month}
                        onPanelChange={(d) => setMonth(d)}
                        onSelect={(d, info) => info.source === 'date' && setMonth(d)}
                        cellRender={(d, info) => {
                          if (info.type !== 'date') return info.originNode;
                          const day = (meetings.data ?? []).filter((m) => inZone(m.startsAt).format('YYYY-MM-DD') === d.format('YYYY-MM-DD'));
                          return (
                            <ul className="kw-cal-list" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                              {day.map((m) => (
                                <li
                                  key={m.id}
                                  title={`${m.accountName} · ${m.title}`}
                                  style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
                                >
                                  <Link to={`/meetings/${m.id}`} onClick={(e) => e.stopPropagation()}>
                                    <Badge
                                      status={m.status === 'cancelled' ? 'default' : kindColor[m.kind]}
                                      text={`${formatIn(m.startsAt, 'HH:mm')} ${m.title}`}
                                    />
                                  </Link>
                                </li>
                              ))}
                            </ul>
                          );
                        }}
                      />
                    )}
                  </>
                ),
              },
              {
                key: 'list',
                label: t('mt.views.list'),
                children: (
                  <>
                    <Space wrap style={{ marginBottom: 12 }}>
                      {scopeBar}
                      <Segmented
                        value={when}
                        onChange={(v) => setWhen(v as typeof when)}
                        options={(['upcoming', 'past'] as const).map((w) => ({ value: w, label: t(`mt.tab.${w}`) }))}
                        data-testid="meeting-when"
                      />
                    </Space>
                    {meetings.isError ? (
                      <ErrorState error={meetings.error} onRetry={() => void meetings.refetch()} />
                    ) : (
                      <MeetingsTable
                        items={when === 'past' ? [...(meetings.data ?? [])].reverse() : (meetings.data ?? [])}
                        loading={meetings.isPending && meetings.fetchStatus !== 'idle'}
                      />
                    )}
                  </>
                ),
              },
              { key: 'actions', label: t('mt.views.actions'), children: <MyActions /> },
            ]}
          />
        </div>
      </div>
      <MeetingFormDrawer open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function MyActions() {
  const q = useMyActionItems();
  const me = useMe();
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <ActionItemsTable items={q.data} showMeeting meId={me.data?.id} />;
}
