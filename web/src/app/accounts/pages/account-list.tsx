import { useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { App, AutoComplete, Button, Dropdown, Flex, Form, Input, Modal, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StageTag, TierTag, useEnum, useEnumOptions } from '../../components/labels';
import { formatMoney } from '../../format';
import { errorMessage, fileUrl } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { stages, tiers, type Stage, type Tier } from '../../domain';
import { useCan } from '../../session';
import { useUsers } from '../../people/api';
import {
  useAccounts,
  useBulkStage,
  useBulkTag,
  useFacets,
  useSegments,
  useTags,
  type AccountListQuery,
  type AccountSummary,
  type ExportQuery,
} from '../api';
import { SavedViews, paramsOfQuery, queryOfParams } from '../../views/saved-views';
import { BulkResultModal } from '../../views/bulk-result';
import type { BulkResult } from '../../views/api';
import { AccountFormDrawer } from '../components/account-form-drawer';
import { ImportModal } from '../components/import-modal';

/** The most rows one bulk action takes (the server's limit). */
const BULK_MAX = 200;

const sortKeyOf: Record<string, AccountListQuery['sort']> = {
  name: 'name',
  tier: 'tier',
  stage: 'stage',
  revenueTargetMinor: 'revenueTarget',
  updatedAt: 'updatedAt',
};

/** Filter state lives in the URL so a filtered list can be shared and survives reloads. */
function useListQuery(): [AccountListQuery, (patch: Partial<AccountListQuery>) => void] {
  const [sp, setSp] = useSearchParams();
  const q: AccountListQuery = {
    // as the address says: the server checks the values
    tier: sp.getAll('tier') as Tier[],
    stage: sp.getAll('stage') as Stage[],
    industry: sp.getAll('industry'),
    ownerId: sp.get('ownerId') ?? undefined,
    tag: sp.getAll('tag'),
    segmentId: sp.get('segmentId') ?? undefined,
    risk: sp.get('risk') === 'at_risk' ? 'at_risk' : undefined,
    q: sp.get('q') ?? undefined,
    sort: (sp.get('sort') ?? undefined) as AccountListQuery['sort'],
    order: (sp.get('order') ?? undefined) as AccountListQuery['order'],
    page: Number(sp.get('page') ?? 1) || 1,
    pageSize: Number(sp.get('pageSize') ?? 20) || 20,
  };
  const update = (patch: Partial<AccountListQuery>) => {
    const next: AccountListQuery = { ...q, ...patch };
    if (!('page' in patch)) next.page = 1;
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) for (const x of v) out.append(k, String(x));
      else if (!(k === 'page' && v === 1) && !(k === 'pageSize' && v === 20)) out.set(k, String(v));
    }
    setSp(out, { replace: true });
  };
  return [q, update];
}

export function AccountListPage() {
  const { t } = useTranslation();
  const label = useEnum();
  const options = useEnumOptions();
  const can = useCan();
  const navigate = useNavigate();
  const locale = currentLocale();
  const [q, update] = useListQuery();
  const list = useAccounts(q);
  const users = useUsers();
  const tags = useTags();
  const segments = useSegments();
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState(q.q ?? '');
  const [sp, setSp] = useSearchParams();
  const { message } = App.useApp();
  // the selection: kept across pages (by id, with the names for the result), at most BULK_MAX
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [bulk, setBulk] = useState<'stage' | 'tag'>();
  const [result, setResult] = useState<BulkResult>();
  const bulkStage = useBulkStage();
  const bulkTag = useBulkTag();
  const [bulkForm] = Form.useForm<{ to?: Stage; tag?: string }>();
  const canBulk = can('accounts.stage') || can('accounts.update') || can('accounts.export');
  const ids = [...selected.keys()];

  const industry = q.industry?.[0];
  const tag = q.tag?.[0];
  const filtered = !!(q.tier?.length || q.stage?.length || industry || q.ownerId || tag || q.segmentId || q.risk || q.q);
  const facets = useFacets();
  const industries = useMemo(() => {
    const s = new Set(facets.data?.industries ?? []);
    if (industry) s.add(industry);
    return [...s].sort().map((v) => ({ value: v }));
  }, [facets.data, industry]);

  const sortOrder = (col: string) => (sortKeyOf[col] === q.sort ? (q.order === 'desc' ? 'descend' : 'ascend') : null);

  const columns: TableProps<AccountSummary>['columns'] = [
    {
      title: t('accounts.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      fixed: 'left',
      width: 190,
      ellipsis: true,
      render: (v: string, r) => (
        <Link to={`/accounts/${r.id}`} data-testid="account-link">
          {v}
        </Link>
      ),
    },
    {
      title: t('accounts.tier'),
      dataIndex: 'tier',
      key: 'tier',
      sorter: true,
      sortOrder: sortOrder('tier'),
      width: 100,
      render: (v: string, r) => (
        <Flex gap={2} align="center">
          <TierTag tier={v} />
          {r.tierOverridden && (
            <Tooltip title={t('a360.overrideActive')}>
              <Typography.Text type="secondary">*</Typography.Text>
            </Tooltip>
          )}
        </Flex>
      ),
    },
    {
      title: t('accounts.stage'),
      dataIndex: 'stage',
      key: 'stage',
      sorter: true,
      sortOrder: sortOrder('stage'),
      width: 96,
      render: (v: string, r) => (
        <>
          <StageTag stage={v} />
          {r.toCStage && <Tag style={{ marginTop: 2 }}>{label('toCStage', r.toCStage)}</Tag>}
        </>
      ),
    },
    { title: t('accounts.ladder'), dataIndex: 'ladder', key: 'ladder', width: 110, render: (v: string) => label('ladder', v) },
    {
      title: `${t('accounts.industry')} / ${t('accounts.region')}`,
      dataIndex: 'industry',
      key: 'industry',
      width: 130,
      ellipsis: true,
      render: (v: string, r) => (
        <span>
          {v}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.region}
          </Typography.Text>
        </span>
      ),
    },
    { title: t('accounts.owner'), dataIndex: 'ownerName', key: 'owner', width: 90, render: (v: string | null) => v ?? '—' },
    {
      title: t('accounts.revenueTarget'),
      dataIndex: 'revenueTargetMinor',
      key: 'revenueTargetMinor',
      sorter: true,
      sortOrder: sortOrder('revenueTargetMinor'),
      align: 'right',
      width: 150,
      render: (v: number, r) => formatMoney(v, locale, r.currency),
    },
    {
      title: t('accounts.channelPartner'),
      dataIndex: 'channelPartnerName',
      key: 'channel',
      width: 120,
      ellipsis: true,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('accounts.direct')}</Typography.Text>,
    },
  ];

  // exports carry the current filters: you download what you see
  const exportFilter: ExportQuery = {
    tier: q.tier,
    stage: q.stage,
    industry: q.industry,
    ownerId: q.ownerId,
    tag: q.tag,
    segmentId: q.segmentId,
    risk: q.risk,
    q: q.q,
  };
  const exportLink = (what: 'accounts' | 'contacts', format: 'csv' | 'xlsx', text: string) => ({
    key: `${what}-${format}`,
    label: (
      <a
        href={fileUrl(what === 'accounts' ? '/api/accounts/export' : '/api/contacts/export', { query: { ...exportFilter, format } })}
        download
        data-testid={`export-${what}-${format}`}
      >
        {text}
      </a>
    ),
  });
  const selectionExport = (format: 'csv' | 'xlsx', text: string) => ({
    key: `selection-${format}`,
    label: (
      <a href={fileUrl('/api/accounts/export', { query: { ids, format } })} download data-testid={`export-selection-${format}`}>
        {text}
      </a>
    ),
  });
  // the dialog is the confirmation: it names the count and the change before anything is applied
  const applyBulk = async () => {
    const v = await bulkForm.validateFields();
    try {
      const r = bulk === 'stage' ? await bulkStage.mutateAsync({ ids, to: v.to! }) : await bulkTag.mutateAsync({ ids, tag: v.tag!.trim() });
      setBulk(undefined);
      setResult(r);
      // what was refused stays selected, to try again or look at
      setSelected(new Map(r.refused.map((x) => [x.id, selected.get(x.id) ?? x.id])));
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  const exportItems = [
    can('accounts.export') && exportLink('accounts', 'csv', t('accounts.exportAccountsCsv')),
    can('accounts.export') && exportLink('accounts', 'xlsx', t('accounts.exportAccountsXlsx')),
    can('accounts.export') && exportLink('contacts', 'csv', t('accounts.exportContactsCsv')),
    can('accounts.export') && exportLink('contacts', 'xlsx', t('accounts.exportContactsXlsx')),
  ].filter(Boolean) as { key: string; label: ReactNode }[];

  return (
    <>
      <PageHeader
        title={t('menu.accounts')}
        breadcrumb={[{ title: t('menu.accounts') }, { title: t('menu.accountList') }]}
        extra={
          <>
            {can('accounts.import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="account-import">
                {t('accounts.import')}
              </Button>
            )}
            {exportItems.length > 0 && (
              <Dropdown menu={{ items: exportItems }}>
                <Button icon={<DownloadOutlined />} data-testid="account-export">
                  {t('accounts.export')}
                </Button>
              </Dropdown>
            )}
            {can('accounts.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-new">
                {t('accounts.new')}
              </Button>
            )}
          </>
        }
      />
      <div className="kw-content">
        <div className="kw-card">
          <Flex wrap gap={8} className="kw-filters" data-testid="account-filters">
            <SavedViews
              page="accounts"
              current={queryOfParams(sp)}
              onApply={(v) => {
                setSearch(typeof v.q === 'string' ? v.q : '');
                setSp(paramsOfQuery(v), { replace: true });
              }}
            />
            <Input.Search
              allowClear
              placeholder={t('accounts.searchPlaceholder')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => update({ q: v.trim() || undefined })}
              style={{ width: 240 }}
              data-testid="filter-q"
            />
            <Select
              mode="multiple"
              allowClear
              placeholder={t('accounts.filterTier')}
              value={q.tier}
              onChange={(v: Tier[]) => update({ tier: v })}
              options={tiers.map((x) => ({ value: x, label: label('tier', x) }))}
              style={{ minWidth: 150 }}
              maxTagCount="responsive"
              data-testid="filter-tier"
            />
            <Select
              mode="multiple"
              allowClear
              placeholder={t('accounts.filterStage')}
              value={q.stage}
              onChange={(v: Stage[]) => update({ stage: v })}
              options={options('stage', stages)}
              style={{ minWidth: 150 }}
              maxTagCount="responsive"
              data-testid="filter-stage"
            />
            <AutoComplete
              allowClear
              placeholder={t('accounts.filterIndustry')}
              defaultValue={industry}
              options={industries}
              onSelect={(v: string) => update({ industry: [v] })}
              onChange={(v: string) => !v && update({ industry: undefined })}
              onBlur={(e) => {
                const v = (e.target as HTMLInputElement).value?.trim();
                if ((v || undefined) !== industry) update({ industry: v ? [v] : undefined });
              }}
              style={{ width: 140 }}
              data-testid="filter-industry"
            />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('accounts.filterOwner')}
              value={q.ownerId}
              onChange={(v?: string) => update({ ownerId: v })}
              options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              style={{ width: 140 }}
              data-testid="filter-owner"
            />
            <Select
              allowClear
              showSearch
              placeholder={t('accounts.filterTag')}
              value={tag}
              onChange={(v?: string) => update({ tag: v ? [v] : undefined })}
              options={(tags.data ?? []).map((x) => ({ value: x, label: x }))}
              style={{ width: 140 }}
              data-testid="filter-tag"
            />
            <Select
              allowClear
              placeholder={t('accounts.filterSegment')}
              value={q.segmentId}
              onChange={(v?: string) => update({ segmentId: v })}
              options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              style={{ width: 160 }}
              data-testid="filter-segment"
            />
            {q.risk === 'at_risk' && (
              <Tag closable color="red" onClose={() => update({ risk: undefined })} style={{ alignSelf: 'center' }} data-testid="filter-risk">
                {t('accounts.filterAtRisk')}
              </Tag>
            )}
            {filtered && (
              <Button
                type="link"
                onClick={() => {
                  setSearch('');
                  update({
                    tier: [],
                    stage: [],
                    industry: undefined,
                    ownerId: undefined,
                    tag: undefined,
                    segmentId: undefined,
                    risk: undefined,
                    q: undefined,
                  });
                }}
              >
                {t('accounts.clearFilters')}
              </Button>
            )}
          </Flex>
          {selected.size > 0 && (
            <Flex wrap gap={8} align="center" className="kw-bulk-bar" data-testid="account-bulk-bar" style={{ marginBottom: 8 }}>
              <Typography.Text strong>{t('bk.bulk.selected', { count: selected.size })}</Typography.Text>
              {can('accounts.stage') && (
                <Button onClick={() => setBulk('stage')} data-testid="bulk-stage">
                  {t('bk.bulk.stage')}
                </Button>
              )}
              {can('accounts.update') && (
                <Button onClick={() => setBulk('tag')} data-testid="bulk-tag">
                  {t('bk.bulk.tag')}
                </Button>
              )}
              {can('accounts.export') && (
                <Dropdown menu={{ items: [selectionExport('csv', t('bk.bulk.exportCsv')), selectionExport('xlsx', t('bk.bulk.exportXlsx'))] }}>
                  <Button icon={<DownloadOutlined />} data-testid="bulk-export">
                    {t('bk.bulk.export')}
                  </Button>
                </Dropdown>
              )}
              <Button type="link" onClick={() => setSelected(new Map())}>
                {t('bk.bulk.clear')}
              </Button>
            </Flex>
          )}
          {list.isError ? (
            <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          ) : list.isPending ? (
            <LoadingState rows={8} />
          ) : (
            <Table<AccountSummary>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 990 }}
              rowSelection={
                canBulk
                  ? {
                      selectedRowKeys: ids,
                      preserveSelectedRowKeys: true,
                      onChange: (keys, rows) => {
                        const next = new Map<string, string>();
                        for (const k of keys.slice(0, BULK_MAX)) {
                          const id = String(k);
                          next.set(id, rows.find((r) => r?.id === id)?.name ?? selected.get(id) ?? id);
                        }
                        if (keys.length > BULK_MAX) message.warning(t('bk.bulk.limit', { max: BULK_MAX }));
                        setSelected(next);
                      },
                    }
                  : undefined
              }
              onRow={(r) =>
                ({
                  'data-testid': 'account-row',
                  'data-tier': r.tier,
                  onDoubleClick: () => navigate(`/accounts/${r.id}`),
                }) as HTMLAttributes<HTMLElement>
              }
              onChange={(p, _f, s, extra) => {
                if (extra.action === 'sort') {
                  const one = Array.isArray(s) ? s[0] : s;
                  const key = one?.order ? sortKeyOf[String(one.columnKey)] : undefined;
                  update({ sort: key, order: key ? (one?.order === 'descend' ? 'desc' : 'asc') : undefined });
                } else if (extra.action === 'paginate') {
                  update({ page: p.current ?? 1, pageSize: p.pageSize ?? 20 });
                }
              }}
              pagination={{
                current: q.page,
                pageSize: q.pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                pageSizeOptions: [10, 20, 50, 100],
                showTotal: (n) => t('common.total', { count: n }),
              }}
              locale={{
                emptyText: list.isPending ? (
                  ' '
                ) : (
                  <EmptyState
                    text={filtered ? t('accounts.emptyFiltered') : t('accounts.empty')}
                    action={
                      !filtered && can('accounts.create') ? (
                        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                          {t('accounts.new')}
                        </Button>
                      ) : undefined
                    }
                  />
                ),
              }}
            />
          )}
        </div>
      </div>
      <AccountFormDrawer open={creating} onClose={() => setCreating(false)} onCreated={(id) => navigate(`/accounts/${id}`)} />
      <ImportModal open={importing} onClose={() => setImporting(false)} />
      <Modal
        open={!!bulk}
        title={bulk === 'stage' ? t('bk.bulk.stageTitle', { count: ids.length }) : t('bk.bulk.tagTitle', { count: ids.length })}
        okText={t('bk.bulk.apply')}
        onCancel={() => setBulk(undefined)}
        onOk={() => void applyBulk()}
        confirmLoading={bulkStage.isPending || bulkTag.isPending}
        destroyOnHidden
      >
        <Form form={bulkForm} layout="vertical" preserve={false}>
          {bulk === 'stage' ? (
            <Form.Item name="to" label={t('accounts.stage')} rules={[{ required: true, message: t('bk.bulk.stagePick') }]}>
              <Select options={options('stage', stages)} placeholder={t('bk.bulk.stagePick')} data-testid="bulk-stage-to" />
            </Form.Item>
          ) : (
            <Form.Item
              name="tag"
              label={t('bk.bulk.tagPlaceholder')}
              rules={[{ required: true, whitespace: true, message: t('bk.bulk.tagRequired') }, { max: 40 }]}
            >
              <AutoComplete
                options={(tags.data ?? []).map((x) => ({ value: x }))}
                placeholder={t('bk.bulk.tagPlaceholder')}
                data-testid="bulk-tag-input"
              />
            </Form.Item>
          )}
          <Typography.Paragraph type="secondary">{t('bk.bulk.confirmHint')}</Typography.Paragraph>
        </Form>
      </Modal>
      <BulkResultModal
        result={result}
        nameOf={(id) => selected.get(id) ?? list.data?.items.find((a) => a.id === id)?.name ?? id}
        onClose={() => setResult(undefined)}
      />
    </>
  );
}
