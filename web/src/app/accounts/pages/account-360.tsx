import { lazy, Suspense, useState } from 'react';
import { Button, Tabs, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StageTag, TierTag, useEnum } from '../../components/labels';
import { useCan } from '../../session';
import { useAccount } from '../api';
import { OverviewTab } from '../components/overview-tab';
import { AccountFormDrawer } from '../components/account-form-drawer';

const RelationshipsTab = lazy(() => import('../components/relationships-tab').then((m) => ({ default: m.RelationshipsTab })));
const ServiceTab = lazy(() => import('../../service-desk/components/service-tab').then((m) => ({ default: m.ServiceTab })));
const ValueAddTab = lazy(() => import('../../value-add/components/value-add-tab').then((m) => ({ default: m.ValueAddTab })));
const OpportunitiesTab = lazy(() => import('../../opportunities/components/opportunities-tab').then((m) => ({ default: m.OpportunitiesTab })));
const MeetingsTab = lazy(() => import('../../meetings/components/meetings-tab').then((m) => ({ default: m.MeetingsTab })));
const PortalTab = lazy(() => import('../../portal-admin/components/portal-tab').then((m) => ({ default: m.PortalTab })));
const TimelineTab = lazy(() => import('../../find/timeline-tab').then((m) => ({ default: m.TimelineTab })));
const ContractsTab = lazy(() => import('../../commerce/components/contracts-tab').then((m) => ({ default: m.ContractsTab })));
const ValueTab = lazy(() => import('../../value/components/value-tab').then((m) => ({ default: m.ValueTab })));

const tabKeys = [
  'overview',
  'timeline',
  'relationships',
  'service',
  'valueAdd',
  'opportunities',
  'meetings',
  'contracts',
  'value',
  'portal',
] as const;
type TabKey = (typeof tabKeys)[number];

export function Account360Page() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const [sp, setSp] = useSearchParams();
  const tab = (tabKeys as readonly string[]).includes(sp.get('tab') ?? '') ? (sp.get('tab') as TabKey) : 'overview';
  const q = useAccount(id);
  const [editing, setEditing] = useState(false);
  const a = q.data;
  const crumbs = [{ title: t('menu.accounts'), to: '/accounts' }, { title: a?.name ?? '…' }];

  if (q.isPending) {
    return (
      <>
        <PageHeader title="…" breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <LoadingState rows={12} />
          </div>
        </div>
      </>
    );
  }
  if (q.isError || !a) {
    return (
      <>
        <PageHeader title={t('menu.accounts')} breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          </div>
        </div>
      </>
    );
  }

  const soon = <EmptyState text={t('comingSoon.tab')} />;
  return (
    <>
      <PageHeader
        title={a.name}
        breadcrumb={crumbs}
        tags={
          <>
            <TierTag tier={a.tier} long />
            <StageTag stage={a.stage} />
            {a.toCStage && <Tag color="geekblue">{label('toCStage', a.toCStage)}</Tag>}
            <Tag>{label('ladder', a.ladder)}</Tag>
            {a.channelPartner && <Tag color="purple">{a.channelPartner.name}</Tag>}
          </>
        }
        extra={
          can('accounts.update') && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('a360.editDetails')}
            </Button>
          )
        }
      />
      <div className="kw-content">
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            const next = new URLSearchParams(sp);
            if (k === 'overview') next.delete('tab');
            else next.set('tab', k);
            setSp(next, { replace: true });
          }}
          items={tabKeys
            .filter((k) => k !== 'contracts' || can('contracts.read'))
            .map((k) => ({
              key: k,
              label: <span data-testid={`tab-${k}`}>{t(`a360.tabs.${k}`)}</span>,
              children:
                k === 'overview' ? (
                  <OverviewTab a={a} onEditDetails={() => setEditing(true)} />
                ) : k === 'timeline' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <TimelineTab accountId={a.id} />
                  </Suspense>
                ) : k === 'relationships' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <RelationshipsTab a={a} />
                  </Suspense>
                ) : k === 'service' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <ServiceTab accountId={a.id} accountName={a.name} />
                  </Suspense>
                ) : k === 'valueAdd' || k === 'opportunities' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    {k === 'valueAdd' ? <ValueAddTab accountId={a.id} accountName={a.name} /> : <OpportunitiesTab accountId={a.id} />}
                  </Suspense>
                ) : k === 'meetings' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <MeetingsTab accountId={a.id} accountName={a.name} />
                  </Suspense>
                ) : k === 'contracts' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <ContractsTab a={a} />
                  </Suspense>
                ) : k === 'value' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <ValueTab accountId={a.id} />
                  </Suspense>
                ) : k === 'portal' ? (
                  <Suspense fallback={<LoadingState rows={10} />}>
                    <PortalTab accountId={a.id} contacts={a.contacts} />
                  </Suspense>
                ) : (
                  <div className="kw-card">{soon}</div>
                ),
            }))}
          destroyOnHidden
        />
      </div>
      <AccountFormDrawer open={editing} onClose={() => setEditing(false)} account={a} />
    </>
  );
}
