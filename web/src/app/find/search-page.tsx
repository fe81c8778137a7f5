import { useEffect, useState } from 'react';
import { Button, Empty, Flex, Input, List, Tabs, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../components/page-header';
import { ErrorState, LoadingState } from '../components/states';
import { formatDateTime } from '../format';
import { useSearchPage, type SearchHit, type SearchKind } from './api';
import { useStatusLabel } from './command-palette';

const kinds: SearchKind[] = ['account', 'contact', 'ticket', 'opportunity', 'meeting'];
const PAGE_SIZE = 20;
const OVERVIEW_SIZE = 5;

function Hit({ h }: { h: SearchHit }) {
  const statusOf = useStatusLabel();
  const status = statusOf(h);
  return (
    <List.Item
      data-testid="search-page-hit"
      extra={
        <div style={{ textAlign: 'right' }}>
          {status && <Tag style={{ marginInlineEnd: 0 }}>{status}</Tag>}
          {h.at && h.kind !== 'account' && h.kind !== 'contact' && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(h.at)}
              </Typography.Text>
            </div>
          )}
        </div>
      }
    >
      <List.Item.Meta
        title={
          <Link to={h.link}>
            {h.number != null && <Typography.Text type="secondary">#{h.number} </Typography.Text>}
            {h.title}
          </Link>
        }
        description={[h.kind === 'account' ? null : h.accountName, h.detail].filter(Boolean).join(' · ') || null}
      />
    </List.Item>
  );
}

/** 概览: the first few of every kind, each with a way to its full list. */
function Overview({ q, openKind }: { q: string; openKind: (k: SearchKind) => void }) {
  const { t } = useTranslation();
  const res = useSearchPage(q, undefined, 1, OVERVIEW_SIZE);
  if (res.isError) return <ErrorState error={res.error} onRetry={() => void res.refetch()} />;
  if (!res.data) return <LoadingState rows={6} />;
  const groups = res.data.groups.filter((g) => g.items.length > 0);
  if (!groups.length) return <Empty description={t('fd.search.empty', { q })} data-testid="search-page-empty" />;
  return (
    <Flex vertical gap={16}>
      {res.data.mode === 'prefix' && <Typography.Text type="secondary">{t('fd.search.prefixNote')}</Typography.Text>}
      {groups.map((g) => (
        <div key={g.kind} data-testid={`search-page-group-${g.kind}`}>
          <Flex justify="space-between" align="center">
            <Typography.Text strong>{t(`fd.search.groups.${g.kind as SearchKind}`)}</Typography.Text>
            {g.more && (
              <Button type="link" size="small" onClick={() => openKind(g.kind)} data-testid={`search-page-all-${g.kind}`}>
                {t('fd.search.seeAll')}
              </Button>
            )}
          </Flex>
          <List size="small" dataSource={g.items} rowKey="id" renderItem={(h) => <Hit h={h} />} />
        </div>
      ))}
    </Flex>
  );
}

/** One kind, a page at a time: previous / next (the API says whether there is a next page). */
function KindList({ q, kind, page, setPage }: { q: string; kind: SearchKind; page: number; setPage: (p: number) => void }) {
  const { t } = useTranslation();
  const res = useSearchPage(q, kind, page, PAGE_SIZE);
  if (res.isError) return <ErrorState error={res.error} onRetry={() => void res.refetch()} />;
  if (!res.data) return <LoadingState rows={8} />;
  const g = res.data.groups.find((x) => x.kind === kind);
  const items = g?.items ?? [];
  if (!items.length && page === 1) return <Empty description={t('fd.search.empty', { q })} data-testid="search-page-empty" />;
  return (
    <>
      {res.data.mode === 'prefix' && <Typography.Text type="secondary">{t('fd.search.prefixNote')}</Typography.Text>}
      <List dataSource={items} rowKey="id" renderItem={(h) => <Hit h={h} />} loading={res.isFetching} data-testid="search-page-list" />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 12 }}>
        <Button disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="search-page-prev">
          {t('fd.search.page.prev')}
        </Button>
        <Typography.Text data-testid="search-page-number">{t('fd.search.page.pageN', { page })}</Typography.Text>
        <Button disabled={!g?.more} onClick={() => setPage(page + 1)} data-testid="search-page-next">
          {t('fd.search.page.next')}
        </Button>
      </Flex>
      {!g?.more && (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 8 }}>
          {t('fd.search.page.noMore')}
        </Typography.Paragraph>
      )}
    </>
  );
}

/**
 * 搜索 (/search?q=…&kind=…&page=…): behind the palette's "see all" — every hit of the global search by kind, paged,
 * scoped by permission as the API is. The address holds the query, the kind and the page, so it can be shared.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q') ?? '';
  const kindParam = sp.get('kind');
  const kind = kinds.includes(kindParam as SearchKind) ? (kindParam as SearchKind) : undefined;
  const page = Math.max(1, Number(sp.get('page') ?? 1) || 1);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const go = (next: { q?: string; kind?: SearchKind; page?: number }) => {
    const out = new URLSearchParams();
    const nq = next.q ?? q;
    if (nq) out.set('q', nq);
    if (next.kind) out.set('kind', next.kind);
    if (next.page && next.page > 1) out.set('page', String(next.page));
    setSp(out);
  };
  return (
    <>
      <PageHeader
        title={t('fd.search.page.title')}
        breadcrumb={[{ title: t('menu.workbench'), to: '/workbench' }, { title: t('fd.search.page.title') }]}
        sub={<Typography.Text type="secondary">{t('fd.search.page.subtitle')}</Typography.Text>}
      />
      <div className="kw-content">
        <div className="kw-card" data-testid="search-page">
          <Input.Search
            allowClear
            size="large"
            value={text}
            maxLength={100}
            placeholder={t('fd.search.placeholder')}
            onChange={(e) => setText(e.target.value)}
            onSearch={(v) => go({ q: v.trim(), kind })}
            data-testid="search-page-input"
            style={{ maxWidth: 560, marginBottom: 12 }}
          />
          {!q.trim() ? (
            <Typography.Paragraph type="secondary">{t('fd.search.typeToSearch')}</Typography.Paragraph>
          ) : (
            <Tabs
              activeKey={kind ?? 'all'}
              onChange={(k) => go({ kind: k === 'all' ? undefined : (k as SearchKind) })}
              items={[
                { key: 'all', label: t('fd.search.page.all'), children: <Overview q={q} openKind={(k) => go({ kind: k })} /> },
                ...kinds.map((k) => ({
                  key: k,
                  label: <span data-testid={`search-page-tab-${k}`}>{t(`fd.search.groups.${k}`)}</span>,
                  children: kind === k ? <KindList q={q} kind={k} page={page} setPage={(p) => go({ kind: k, page: p })} /> : null,
                })),
              ]}
            />
          )}
        </div>
      </div>
    </>
  );
}
