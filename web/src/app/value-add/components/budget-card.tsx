import { useState } from 'react';
import { App, Button, Card, Flex, InputNumber, Progress, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatMoney, toMinor } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { ErrorState, LoadingState } from '../../components/states';
import { useBudget, useSaveOpeningSpent } from '../api';

/** The account's customer-operations budget; also shown on the 360 overview. */
export function BudgetCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const q = useBudget(accountId);
  const [opening, setOpening] = useState<number | null | undefined>(undefined);
  const save = useSaveOpeningSpent(accountId);
  if (q.isPending)
    return (
      <Card size="small" title={t('va.tab.budget')}>
        <LoadingState rows={3} />
      </Card>
    );
  if (q.isError)
    return (
      <Card size="small" title={t('va.tab.budget')}>
        <ErrorState error={q.error} />
      </Card>
    );
  const b = q.data.budget;
  if (!b)
    return (
      <Card size="small" title={t('va.tab.budget')}>
        <Typography.Text type="secondary">{t('va.tab.budgetNotEligible', { tier: q.data.tier })}</Typography.Text>
      </Card>
    );
  const total = b.budgetMinor + b.extraMinor;
  const pct = total ? Math.round((b.committedMinor / total) * 100) : 0;
  return (
    <Card size="small" title={`${t('va.tab.budget')} · FY${q.data.fiscalYear}`} data-testid="budget-card">
      <Statistic
        title={t('va.tab.remaining')}
        value={formatMoney(b.remainingMinor, locale)}
        valueStyle={{ color: b.remainingMinor === 0 ? '#cf1322' : '#3f8600' }}
      />
      <span data-testid="budget-remaining" data-minor={b.remainingMinor} style={{ display: 'none' }}>
        {b.remainingMinor}
      </span>
      <Progress percent={pct} status={pct >= 100 ? 'exception' : 'active'} />
      <Table
        size="small"
        pagination={false}
        showHeader={false}
        rowKey="k"
        dataSource={[
          { k: t('va.tab.target'), v: formatMoney(b.targetMinor, locale) },
          { k: t('va.tab.ratio'), v: `${b.ratioBp / 100}%` },
          { k: t('va.tab.budgetTotal'), v: formatMoney(b.budgetMinor, locale) },
          ...(b.extraMinor ? [{ k: t('va.tab.extra'), v: formatMoney(b.extraMinor, locale) }] : []),
          { k: t('va.tab.opening'), v: formatMoney(b.openingSpentMinor, locale) },
          { k: t('va.tab.committed'), v: formatMoney(b.committedMinor, locale) },
        ]}
        columns={[{ dataIndex: 'k' }, { dataIndex: 'v', align: 'right' }]}
      />
      {can('value_add.opening') && (
        <Flex gap={8} style={{ marginTop: 8 }}>
          <InputNumber
            min={0}
            precision={2}
            placeholder={t('va.tab.opening')}
            value={opening ?? undefined}
            onChange={(v) => setOpening(v)}
            style={{ flex: 1 }}
          />
          <Button
            disabled={opening == null}
            loading={save.isPending}
            onClick={() =>
              save.mutateAsync(toMinor(opening ?? 0)).then(
                () => {
                  setOpening(undefined);
                  message.success(t('common.saved'));
                },
                (e) => message.error(errorMessage(e)),
              )
            }
          >
            {t('va.tab.setOpening')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
