import { useState } from 'react';
import { Button, Flex, Select, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import { useCan } from '../../session';
import { EmptyState, ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useAudit, type AuditItem } from '../api';
import { SettingsPage } from './settings-page';
import {
  auditActionLabel,
  auditActorLabel,
  auditEntityLabel,
  auditEntityLink,
  auditFieldLabel,
  auditShownField,
  auditValueText,
} from '../audit-words';

const entityTypes = [
  'account',
  'contact',
  'relationship_link',
  'key_person',
  'segment',
  'grading',
  'user',
  'team',
  'channel_partner',
  'workspace',
  'ticket',
  'meeting',
  'opportunity',
  'catalog_item',
  'booking',
  'value_add_task',
  'value_item',
  'portal_demand',
  'portal_post',
];

/** Before/after, field by field: only what changed for an update, everything for a create or delete. */
function Diff({ entityType, before, after }: { entityType: string; before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const both = before != null && after != null;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => auditShownField(k) && (!both || JSON.stringify(b[k]) !== JSON.stringify(a[k])),
  );
  if (!keys.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="k"
      pagination={false}
      dataSource={keys.map((k) => ({
        k,
        field: auditFieldLabel(k),
        before: auditValueText(entityType, k, b[k]),
        after: auditValueText(entityType, k, a[k]),
      }))}
      columns={[
        { title: t('accounts.field'), dataIndex: 'field', width: 180, render: (v: string) => <span data-testid="audit-field">{v}</span> },
        {
          title: t('settings.audit.before'),
          dataIndex: 'before',
          render: (v: string) => (
            <pre className="kw-diff" style={{ color: '#cf1322' }}>
              {v}
            </pre>
          ),
        },
        {
          title: t('settings.audit.after'),
          dataIndex: 'after',
          render: (v: string) => (
            <pre className="kw-diff" style={{ color: '#389e0d' }}>
              {v}
            </pre>
          ),
        },
      ]}
    />
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [entityType, setEntityType] = useState<string | undefined>();
  const q = useAudit(entityType, can('audit.read'));
  if (!can('audit.read')) return <Forbidden />;
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <SettingsPage title={t('settings.audit.title')}>
      <Flex gap={8} className="kw-filters">
        <Select
          allowClear
          placeholder={t('settings.audit.filterEntity')}
          value={entityType}
          onChange={setEntityType}
          options={entityTypes.map((e) => ({ value: e, label: auditEntityLabel(e) }))}
          style={{ width: 200 }}
        />
      </Flex>
      {q.isPending ? (
        <LoadingState rows={10} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <Table<AuditItem>
            rowKey="id"
            size="small"
            dataSource={items}
            pagination={false}
            scroll={{ x: 760 }}
            locale={{ emptyText: <EmptyState text={t('settings.audit.empty')} /> }}
            expandable={{
              expandedRowRender: (r) => <Diff entityType={r.entityType} before={r.before} after={r.after} />,
              rowExpandable: (r) => r.before != null || r.after != null,
            }}
            columns={[
              { title: t('settings.audit.at'), dataIndex: 'at', width: 150, render: (v: string) => formatDateTime(v) },
              {
                title: t('settings.audit.actor'),
                dataIndex: 'actorName',
                width: 120,
                render: (v: string | null, r) => (r.actorKind === 'system' ? t('settings.audit.system') : (v ?? auditActorLabel(r.actorKind))),
              },
              {
                title: t('settings.audit.action'),
                dataIndex: 'action',
                width: 220,
                render: (v: string) => <Tag data-testid="audit-action">{auditActionLabel(v)}</Tag>,
              },
              {
                title: t('settings.audit.entity'),
                key: 'entity',
                render: (_, r) => {
                  const href = auditEntityLink(r.entityType, r.entityId);
                  const label = auditEntityLabel(r.entityType);
                  return href ? (
                    <Link to={href} data-testid="audit-entity">
                      {label} · {t('au.open')}
                    </Link>
                  ) : (
                    <span data-testid="audit-entity">{label}</span>
                  );
                },
              },
            ]}
          />
          <Flex justify="center" style={{ marginTop: 16 }}>
            {q.hasNextPage ? (
              <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage} data-testid="audit-more">
                {t('common.loadMore')}
              </Button>
            ) : (
              items.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
            )}
          </Flex>
        </>
      )}
    </SettingsPage>
  );
}
