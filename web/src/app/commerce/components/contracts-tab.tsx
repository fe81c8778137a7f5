// Account 360 → 合同与交付: the grading factors the commercial record gives, receivables aging, the contracts
// with what fell due / was received / is overdue, and each contract's plan, payments and delivery projects.
import { useState } from 'react';
import { App, Button, Card, Col, Drawer, Flex, Popconfirm, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { formatDate, formatMoney } from '../../format';
import { useCan } from '../../session';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import type { Account360 } from '../../accounts/api';
import { useClearOverride, useContracts, type ContractList, type ContractRow } from '../api';
import { ContractDetail } from './contract-detail';
import { ContractFormDrawer } from './contract-form';

const agingKeys = ['not_due', 'd0_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
const agingColor: Record<(typeof agingKeys)[number], string> = {
  not_due: 'default',
  d0_30: 'gold',
  d31_60: 'orange',
  d61_90: 'volcano',
  d90_plus: 'red',
};
const statusColor = { in_force: 'green', ended: 'default', not_started: 'blue' } as const;

type Factor = 'onTimePaymentPct' | 'orderAmountMinor' | 'profitMarginPct';

function FactorsCard({ a, figures }: { a: Account360; figures: ContractList['figures'] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const clear = useClearOverride(a.id);
  const show = (f: Factor, v: number | null) => (v === null ? t('cm.figures.none') : f === 'orderAmountMinor' ? formatMoney(v, locale) : `${v}%`);
  const cell = (f: Factor, title: string) => {
    const o = a.gradingOverrides[f];
    return (
      <Col xs={24} md={8} key={f}>
        <Statistic title={title} value={show(f, a[f])} />
        {o ? (
          <Space direction="vertical" size={2}>
            <Tag color="orange" data-testid={`override-${f}`}>
              {t('cm.figures.overridden', { reason: o.reason })}
            </Tag>
            <Typography.Text type="secondary">
              {t('cm.figures.computed')}: {show(f, figures[f])}
            </Typography.Text>
            {can('accounts.update') && (
              <Popconfirm
                title={t('cm.figures.useComputedConfirm', { value: show(f, figures[f]) })}
                onConfirm={() =>
                  clear.mutateAsync(f).then(
                    () => undefined,
                    (e) => void message.error(errorMessage(e)),
                  )
                }
              >
                <Button size="small" type="link">
                  {t('cm.figures.useComputed')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : f === 'onTimePaymentPct' && figures.onTimePaymentPct === null ? (
          <Typography.Text type="secondary">{t('cm.figures.noHistory')}</Typography.Text>
        ) : null}
      </Col>
    );
  };
  return (
    <Card size="small" title={t('cm.figures.title')}>
      <Row gutter={[16, 16]}>
        {cell('onTimePaymentPct', t('cm.figures.credit'))}
        {cell('orderAmountMinor', t('cm.figures.orderAmount', { years: 2 }))}
        {cell('profitMarginPct', t('cm.figures.margin'))}
      </Row>
    </Card>
  );
}

export function ContractsTab({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  const q = useContracts(a.id);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  if (q.isPending) return <LoadingState rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const money = (v: number) => formatMoney(v, locale);
  return (
    <div data-testid="contracts-tab">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <FactorsCard a={a} figures={d.figures} />
        <Card size="small" title={t('cm.aging.title')}>
          <Flex wrap gap={8}>
            {agingKeys.map((k) => (
              <Tag key={k} color={agingColor[k]} data-testid={`aging-${k}`}>
                {t(`cm.aging.${k}`)}: {money(d.aging[k])}
              </Tag>
            ))}
          </Flex>
        </Card>
        <Card
          size="small"
          title={t('cm.contract.detail')}
          extra={
            can('contracts.manage') && (
              <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contract-add">
                {t('cm.contract.add')}
              </Button>
            )
          }
        >
          {d.items.length === 0 ? (
            <EmptyState text={t('cm.contract.empty')} />
          ) : (
            <Table<ContractRow>
              size="small"
              rowKey="id"
              dataSource={d.items}
              pagination={false}
              scroll={{ x: 900 }}
              columns={[
                {
                  title: t('cm.contract.number'),
                  dataIndex: 'number',
                  render: (n: string, r) => (
                    <Button type="link" size="small" onClick={() => setOpen(r.id)} data-testid={`contract-${n}`}>
                      {n}
                    </Button>
                  ),
                },
                { title: t('cm.contract.title'), dataIndex: 'title' },
                {
                  title: '',
                  dataIndex: 'status',
                  render: (s: ContractRow['status']) => <Tag color={statusColor[s]}>{t(`cm.contract.status.${s}`)}</Tag>,
                },
                { title: t('cm.contract.term'), render: (_: unknown, r) => `${formatDate(r.startsOn)} – ${formatDate(r.endsOn)}` },
                { title: t('cm.contract.amount'), dataIndex: 'amountMinor', align: 'right', render: money },
                { title: t('cm.contract.due'), dataIndex: 'dueMinor', align: 'right', render: money },
                { title: t('cm.contract.received'), dataIndex: 'receivedMinor', align: 'right', render: money },
                {
                  title: t('cm.contract.overdue'),
                  dataIndex: 'overdueMinor',
                  align: 'right',
                  render: (v: number) => (v > 0 ? <Typography.Text type="danger">{money(v)}</Typography.Text> : money(v)),
                },
                {
                  title: t('cm.contract.projects'),
                  dataIndex: 'projects',
                  align: 'right',
                  render: (n: number, r) =>
                    r.renewalOpportunityId ? (
                      <Tooltip title={t('cm.contract.renewalRaised')}>
                        <span>{n} · ↻</span>
                      </Tooltip>
                    ) : (
                      n
                    ),
                },
              ]}
            />
          )}
        </Card>
        <Drawer open={!!open} onClose={() => setOpen(null)} size={860} title={t('cm.contract.detail')} destroyOnHidden>
          {open && <ContractDetail contractId={open} />}
        </Drawer>
        <ContractFormDrawer accountId={a.id} open={creating} onClose={() => setCreating(false)} />
      </Space>
    </div>
  );
}
