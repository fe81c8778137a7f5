// 人群 / People: contacts and key persons with their to-C stage and tags, filtered by tag, stage and text (issue 18 point 1).
import { Button, Flex, Input, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../session';
import { useEnum, useEnumOptions } from '../../components/labels';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { PeopleImportModal } from '../components/people-import-modal';
import { TagChips } from '../components/person-tags';
import { toCStages, usePeople, usePersonTags, type PeopleQuery, type PersonRow, type ToCStage } from '../people-api';

const PAGE_SIZE = 50;

export function PeoplePage() {
  const { t } = useTranslation();
  const can = useCan();
  const label = useEnum();
  const options = useEnumOptions();
  const [q, setQ] = useState<PeopleQuery>({ page: 1, pageSize: PAGE_SIZE });
  const [importing, setImporting] = useState(false);
  const people = usePeople(q);
  const tags = usePersonTags();
  const set = (patch: Partial<PeopleQuery>) => setQ((cur) => ({ ...cur, ...patch, page: patch.page ?? 1 }));
  return (
    <>
      <PageHeader
        title={t('op.people.title')}
        sub={t('op.people.sub')}
        extra={
          can('outreach.manage') ? (
            <Button onClick={() => setImporting(true)} data-testid="people-import">
              {t('op.people.import')}
            </Button>
          ) : undefined
        }
      />
      <div className="kw-content">
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            style={{ width: 260 }}
            placeholder={t('op.people.search')}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="people-search"
          />
          <Select
            allowClear
            showSearch
            style={{ width: 200 }}
            placeholder={t('op.people.tag')}
            value={q.tag}
            onChange={(v) => set({ tag: v })}
            options={(tags.data ?? []).map((x) => ({ value: x.tag, label: `${x.tag} (${x.count})` }))}
            data-testid="people-tag-filter"
          />
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('op.people.stage')}
            value={q.stage}
            onChange={(v: ToCStage | undefined) => set({ stage: v })}
            options={options('toCStage', toCStages)}
            data-testid="people-stage-filter"
          />
        </Flex>
        {people.isPending ? (
          <LoadingState rows={8} />
        ) : people.isError ? (
          <ErrorState error={people.error} onRetry={() => void people.refetch()} />
        ) : (
          <Table<PersonRow>
            rowKey="contactId"
            size="middle"
            dataSource={people.data.items}
            locale={{ emptyText: t('op.people.empty') }}
            loading={people.isFetching}
            pagination={{
              current: q.page,
              pageSize: PAGE_SIZE,
              total: people.data.total,
              hideOnSinglePage: true,
              showTotal: (count) => t('op.people.total', { count }),
              onChange: (page) => set({ page }),
            }}
            data-testid="people"
            columns={[
              {
                title: t('op.people.col.name'),
                dataIndex: 'name',
                render: (name: string, p) => (
                  <>
                    <Link to={`/outreach/people/${p.contactId}`}>{name}</Link>
                    {p.isKeyPerson && (
                      <Tag color="gold" style={{ marginInlineStart: 8 }}>
                        {t('op.people.keyPerson')}
                      </Tag>
                    )}
                  </>
                ),
              },
              {
                title: t('op.people.col.account'),
                dataIndex: 'accountName',
                render: (name: string, p) => <Link to={`/accounts/${p.accountId}`}>{name}</Link>,
              },
              { title: t('op.people.col.stage'), dataIndex: 'stage', render: (s: ToCStage | null) => label('toCStage', s) },
              { title: t('op.people.col.tags'), dataIndex: 'tags', render: (x: PersonRow['tags']) => <TagChips tags={x} /> },
            ]}
          />
        )}
      </div>
      <PeopleImportModal open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
