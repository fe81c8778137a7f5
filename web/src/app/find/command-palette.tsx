import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Empty, Input, Modal, Spin, Tag, Typography, type InputRef } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { formatDateTime } from '../format';
import { useEnum } from '../components/labels';
import { useSearch, type SearchHit, type SearchKind } from './api';

/** Typing into a field (or an editor) keeps `/` for itself. */
function typingInto(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** The vocabulary value of a hit in words (tier, ticket status, opportunity stage, meeting status). */
export function useStatusLabel() {
  const { t } = useTranslation();
  const label = useEnum();
  return useCallback(
    (h: SearchHit): string | null => {
      if (!h.status) return null;
      switch (h.kind) {
        case 'account':
          return label('tier', h.status);
        case 'ticket':
          return t(`sd.status.${h.status}` as 'sd.status.open', { defaultValue: h.status });
        case 'opportunity':
          return t(`va.stage.${h.status}` as 'va.stage.captured', { defaultValue: h.status });
        case 'meeting':
          return t(`mt.status.${h.status}` as 'mt.status.held', { defaultValue: h.status });
        default:
          return null;
      }
    },
    [t, label],
  );
}

/**
 * The global search (UX.md "Find and follow"): a button in the header, Ctrl+K (⌘K) or `/` anywhere outside a
 * field opens it; results arrive grouped by kind as one types; ↑/↓ choose, Enter opens the record, Esc closes.
 */
export function CommandPalette() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const statusOf = useStatusLabel();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<InputRef>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const term = useDebounced(q, 150);
  const res = useSearch(open ? term : '');

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInto(e.target)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const groups = useMemo(() => (res.data?.groups ?? []).filter((g) => g.items.length > 0), [res.data]);
  const flat = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const close = () => {
    setOpen(false);
    setQ('');
  };
  const go = (h: SearchHit | undefined) => {
    if (!h) return;
    close();
    navigate(h.link);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => (flat.length ? (i + 1) % flat.length : 0));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (flat.length ? (i - 1 + flat.length) % flat.length : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(flat[active]);
    }
  };

  const typed = q.trim();
  let index = -1;
  return (
    <>
      <Button icon={<SearchOutlined />} onClick={() => setOpen(true)} data-testid="search-open" className="kw-search-button">
        <span>{t('fd.search.open')}</span>
        <Typography.Text keyboard type="secondary" style={{ fontSize: 11 }}>
          {t('fd.search.shortcut')}
        </Typography.Text>
      </Button>
      <Modal
        open={open}
        onCancel={close}
        footer={<Typography.Text type="secondary">{t('fd.search.hint')}</Typography.Text>}
        closable={false}
        width={640}
        destroyOnHidden
        afterOpenChange={(o) => o && input.current?.focus()}
        styles={{ body: { paddingTop: 4 } }}
        data-testid="search-palette"
      >
        <Input
          ref={input}
          size="large"
          autoFocus
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('fd.search.placeholder')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          maxLength={100}
          aria-label={t('fd.search.placeholder')}
          data-testid="search-input"
          suffix={res.isFetching ? <Spin size="small" /> : null}
        />
        <div ref={listRef} style={{ maxHeight: 420, overflowY: 'auto', marginTop: 12 }} role="listbox" data-testid="search-results">
          {!typed ? (
            <Typography.Paragraph type="secondary" style={{ margin: '8px 4px' }}>
              {t('fd.search.typeToSearch')}
            </Typography.Paragraph>
          ) : res.isError ? (
            <Alert type="error" showIcon title={t('fd.search.failed')} description={errorMessage(res.error)} />
          ) : res.isPending ? (
            <div style={{ textAlign: 'center', padding: 24 }}>
              <Spin />
            </div>
          ) : groups.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fd.search.empty', { q: typed })} />
          ) : (
            <>
              {res.data?.mode === 'prefix' && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '0 4px 8px' }}>
                  {t('fd.search.prefixNote')}
                </Typography.Paragraph>
              )}
              {groups.map((g) => (
                <div key={g.kind} style={{ marginBottom: 8 }} data-testid={`search-group-${g.kind}`}>
                  <Typography.Text type="secondary" strong style={{ fontSize: 12, padding: '0 4px' }}>
                    {t(`fd.search.groups.${g.kind as SearchKind}`)}
                  </Typography.Text>
                  {g.items.map((h) => {
                    index += 1;
                    const i = index;
                    const status = statusOf(h);
                    return (
                      <div
                        key={`${h.kind}:${h.id}`}
                        role="option"
                        aria-selected={i === active}
                        data-index={i}
                        data-testid="search-hit"
                        onMouseEnter={() => setActive(i)}
                        tabIndex={-1}
                        onClick={() => go(h)}
                        onKeyDown={(e) => e.key === 'Enter' && go(h)}
                        className={`kw-search-hit${i === active ? ' kw-search-hit-active' : ''}`}
                        style={{
                          display: 'flex',
                          justifyContent: 'space-between',
                          gap: 12,
                          padding: '6px 8px',
                          borderRadius: 6,
                          cursor: 'pointer',
                          background: i === active ? 'rgba(22, 119, 255, 0.08)' : undefined,
                        }}
                      >
                        <div style={{ minWidth: 0 }}>
                          <div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                            {h.number != null && <Typography.Text type="secondary">#{h.number} </Typography.Text>}
                            {h.title}
                          </div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {[h.kind === 'account' ? null : h.accountName, h.detail].filter(Boolean).join(' · ')}
                          </Typography.Text>
                        </div>
                        <div style={{ flex: 'none', textAlign: 'right' }}>
                          {status && <Tag style={{ marginInlineEnd: 0 }}>{status}</Tag>}
                          {h.at && h.kind !== 'account' && h.kind !== 'contact' && (
                            <div>
                              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                {formatDateTime(h.at)}
                              </Typography.Text>
                            </div>
                          )}
                        </div>
                      </div>
                    );
                  })}
                  {g.more && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => {
                        close();
                        navigate(`/search?${new URLSearchParams({ q: typed, kind: g.kind })}`);
                      }}
                      data-testid={`search-more-${g.kind}`}
                    >
                      {t('fd.search.seeAll')} · {t(`fd.search.groups.${g.kind as SearchKind}`)}
                    </Button>
                  )}
                </div>
              ))}
              <Button
                type="link"
                size="small"
                onClick={() => {
                  close();
                  navigate(`/search?${new URLSearchParams({ q: typed })}`);
                }}
                data-testid="search-see-all"
              >
                {t('fd.search.seeAllResults')}
              </Button>
            </>
          )}
        </div>
      </Modal>
    </>
  );
}
