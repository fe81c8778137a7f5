import { Alert, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { ErrorState } from '../../components/states';
import { useDispatchRules, type DispatchRule } from '../api';

/** The layered dispatch rules exactly as the server applies them, in words (read-only). */
export function DispatchRulesPage() {
  const { t } = useTranslation();
  const q = useDispatchRules();
  return (
    <>
      <PageHeader title={t('sd.settings.dispatch')} breadcrumb={[{ title: t('menu.settings') }, { title: t('sd.settings.dispatch') }]} />
      <div className="kw-content">
        <div className="kw-card">
          <Alert type="info" showIcon title={t('sd.settings.rulesNote')} style={{ marginBottom: 16 }} />
          {q.isError ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : (
            <Table<DispatchRule>
              rowKey="id"
              size="middle"
              loading={q.isPending}
              dataSource={q.data ?? []}
              pagination={false}
              columns={[
                { title: t('sd.settings.tiers'), dataIndex: 'tiers', width: 110, render: (v: string[]) => v.map((x) => <Tag key={x}>{x}</Tag>) },
                { title: t('sd.settings.kind'), dataIndex: 'kindName', width: 120 },
                {
                  title: t('sd.settings.csmOwns'),
                  dataIndex: 'csmOwns',
                  width: 150,
                  render: (v: boolean) => (v ? <Tag color="gold">{t('common.yes')}</Tag> : t('common.no')),
                },
                { title: t('sd.settings.target'), dataIndex: 'target' },
                {
                  title: t('sd.settings.basisCol'),
                  dataIndex: 'basis',
                  width: 140,
                  render: (v: string) => t(`sd.settings.basis.${v}` as 'sd.title'),
                },
                { title: t('sd.settings.note'), dataIndex: 'note' },
              ]}
            />
          )}
        </div>
      </div>
    </>
  );
}
