// 续约看板: contracts ending within 30 / 60 / 90 days, with the account's health, open tickets and renewal
// opportunity beside each; the move to 续约期 is suggested with its reason and confirmed before it is made.
import { App, Button, Card, Col, Empty, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { formatDate, formatMoney } from '../../format';
import { useCan } from '../../session';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { StageTag, TierTag } from '../../components/labels';
import { useMoveToRenewal, useRenewals, type RenewalRow } from '../api';

const buckets = [30, 60, 90] as const;
const bandColor: Record<string, string> = { green: 'green', amber: 'gold', red: 'red' };

function RenewalCard({ r }: { r: RenewalRow }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const move = useMoveToRenewal();
  const locale = currentLocale();
  return (
    <Card size="small" data-testid={`renewal-${r.number}`}>
      <Space direction="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap>
          <Link to={`/accounts/${r.accountId}?tab=contracts`}>
            <Typography.Text strong>{r.accountName}</Typography.Text>
          </Link>
          <TierTag tier={r.tier} />
          <StageTag stage={r.stage} />
        </Space>
        <Typography.Text>
          {r.number} · {r.title} · {formatMoney(r.amountMinor, locale)}
        </Typography.Text>
        <Typography.Text type={r.daysLeft <= 30 ? 'danger' : 'secondary'}>
          {formatDate(r.endsOn)} · {t('cm.renewals.daysLeft', { days: r.daysLeft })}
        </Typography.Text>
        <Space wrap>
          {r.health && (
            <Tag color={bandColor[r.health.band] ?? 'default'}>
              {t('cm.renewals.health')} {r.health.score}
            </Tag>
          )}
          <Link to={`/accounts/${r.accountId}?tab=service`}>
            <Tag color={r.openTickets ? 'orange' : 'default'}>{t('cm.renewals.openTickets', { count: r.openTickets })}</Tag>
          </Link>
        </Space>
        {r.opportunity ? (
          <Link to={`/opportunities?open=${r.opportunity.id}`}>
            {t('cm.renewals.opportunity')} · {t(`va.source.contract`)} · {formatMoney(r.opportunity.amountMinor, locale)}
          </Link>
        ) : (
          <Typography.Text type="secondary">{t('cm.renewals.noOpportunity')}</Typography.Text>
        )}
        {r.suggestStage && r.reason && (
          <div className="kw-why">
            <Space direction="vertical" size={4}>
              <span>{r.reason}</span>
              {can('accounts.stage') && (
                <Popconfirm
                  title={t('cm.renewals.suggestConfirm', { account: r.accountName })}
                  onConfirm={() =>
                    move.mutateAsync(r.accountId).then(
                      () => void message.success(t('cm.renewals.moved')),
                      (e) => void message.error(errorMessage(e)),
                    )
                  }
                >
                  <Button size="small" type="primary" ghost data-testid={`renewal-move-${r.number}`}>
                    {t('cm.renewals.suggest')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          </div>
        )}
      </Space>
    </Card>
  );
}

export function RenewalsPage() {
  const { t } = useTranslation();
  const q = useRenewals(90);
  return (
    <>
      <PageHeader title={t('cm.renewals.title')} sub={t('cm.renewals.sub', { days: 90 })} />
      <div className="kw-content">
        {q.isPending ? (
          <LoadingState rows={8} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Row gutter={[16, 16]}>
            {buckets.map((b) => {
              const rows = q.data.items.filter((r) => r.bucket === b);
              return (
                <Col xs={24} lg={8} key={b}>
                  <Card title={`${t(`cm.renewals.within.d${b}`)} (${rows.length})`} size="small" data-testid={`renewal-col-${b}`}>
                    {rows.length === 0 ? (
                      <Empty description={t('cm.renewals.empty')} />
                    ) : (
                      <Space direction="vertical" style={{ width: '100%' }}>
                        {rows.map((r) => (
                          <RenewalCard key={r.contractId} r={r} />
                        ))}
                      </Space>
                    )}
                  </Card>
                </Col>
              );
            })}
          </Row>
        )}
      </div>
    </>
  );
}
