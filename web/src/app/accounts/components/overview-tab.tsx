import { useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { CheckCircleOutlined, EditOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, formatDateTime, formatMoney } from '../../format';
import { currentLocale } from '../../../i18n';
import { ladders, stages, tiers } from '../../domain';
import { useCan } from '../../session';
import { StageTag, TierTag, useEnum } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { useUsers } from '../../people/api';
import {
  useClearTierOverride,
  useMoveLadder,
  useMoveStage,
  useSaveTeam,
  useTierOverride,
  type Account360,
  type LadderMoveBody,
  type StageMoveBody,
  type TierOverrideBody,
} from '../api';
import { BudgetCard } from '../../value-add/components/budget-card';
import { HealthCard } from '../../kpi/components/health-card';
import { AccountRobotsCard } from '../../channels/components/account-robots-card';

function Why({ children }: { children: ReactNode }) {
  return <div className="kw-why">{children}</div>;
}

// ---------------------------------------------------------------- details

function DetailsCard({ a, onEdit }: { a: Account360; onEdit: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const locale = currentLocale();
  return (
    <Card
      title={t('a360.details')}
      size="small"
      extra={
        can('accounts.update') && (
          <Button size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="account-edit">
            {t('common.edit')}
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        layout="vertical"
        colon={false}
        column={{ xs: 1, sm: 2, md: 3, lg: 3, xl: 2, xxl: 3 }}
        items={[
          { key: 'industry', label: t('accounts.industry'), children: a.industry },
          { key: 'region', label: t('accounts.region'), children: a.region },
          { key: 'owner', label: t('accounts.owner'), children: a.owner?.name ?? '—' },
          { key: 'channel', label: t('accounts.channelPartner'), children: a.channelPartner?.name ?? t('accounts.direct') },
          {
            key: 'target',
            label: `${t('accounts.revenueTarget')} (${a.fiscalYear})`,
            children: formatMoney(a.revenueTargetMinor, locale, a.currency),
          },
          { key: 'orders', label: t('accounts.orderAmount'), children: formatMoney(a.orderAmountMinor, locale, a.currency) },
          { key: 'credit', label: t('accounts.onTimePaymentPct'), children: a.onTimePaymentPct ?? '—' },
          { key: 'margin', label: t('accounts.profitMarginPct'), children: a.profitMarginPct ?? '—' },
          { key: 'prospect', label: t('accounts.prospect'), children: a.prospect ?? '—' },
          { key: 'tags', label: t('accounts.tags'), children: a.tags.length ? a.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—' },
          { key: 'products', label: t('accounts.products'), children: a.products.length ? a.products.join('、') : '—' },
        ]}
      />
    </Card>
  );
}

// ---------------------------------------------------------------- grading

function OverrideModal({ a, open, onClose }: { a: Account360; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useEnum();
  const { message } = App.useApp();
  const [form] = Form.useForm<TierOverrideBody>();
  const m = useTierOverride(a.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync({ tier: v.tier, reason: v.reason.trim() });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Modal
      open={open}
      title={t('a360.override')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={m.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ tier: a.tierOverride ?? undefined }}>
        <Form.Item name="tier" label={t('a360.overrideTier')} rules={[{ required: true, message: t('common.required') }]}>
          <Radio.Group
            optionType="button"
            options={tiers.filter((x) => x !== 'E' && x !== a.modelTier).map((x) => ({ value: x, label: label('tier', x) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('a360.overrideReason')}
          rules={[{ required: true, whitespace: true, message: t('a360.overrideReasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

function GradingCard({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const clear = useClearTierOverride(a.id);
  const isChannel = !!a.channelPartnerId;
  return (
    <Card
      title={t('a360.grading')}
      size="small"
      extra={
        can('accounts.tier_override') &&
        !isChannel && (
          <Space>
            {a.tierOverride && (
              <Popconfirm
                title={t('a360.clearOverrideConfirm')}
                onConfirm={() =>
                  clear.mutateAsync(undefined).then(
                    () => message.success(t('common.saved')),
                    (e) => message.error(errorMessage(e)),
                  )
                }
              >
                <Button size="small">{t('a360.clearOverride')}</Button>
              </Popconfirm>
            )}
            <Button size="small" onClick={() => setOpen(true)} data-testid="tier-override">
              {t('a360.override')}
            </Button>
          </Space>
        )
      }
    >
      <Flex gap={16} wrap align="center" style={{ marginBottom: 12 }}>
        <TierTag tier={a.tier} long />
        {a.tierOverride && <Tag color="gold">{t('a360.overrideActive')}</Tag>}
        <div style={{ flex: 1, minWidth: 200 }}>
          <Flex gap={8} align="center">
            <span style={{ width: 64 }}>{t('a360.valueScore')}</span>
            <Progress percent={a.valueScore} size="small" format={(p) => p} style={{ flex: 1, margin: 0 }} />
          </Flex>
          <Flex gap={8} align="center">
            <span style={{ width: 64 }}>{t('a360.potentialScore')}</span>
            <Progress percent={a.potentialScore} size="small" strokeColor="#fa8c16" format={(p) => p} style={{ flex: 1, margin: 0 }} />
          </Flex>
        </div>
      </Flex>
      <Typography.Text type="secondary">{t('a360.tierWhy')}</Typography.Text>
      <Why>
        <span data-testid="tier-explanation">{a.tierExplanation || '—'}</span>
      </Why>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12, marginBottom: 4 }}>
        {t('a360.tierHistory')}
      </Typography.Text>
      <Table
        size="small"
        rowKey={(r) => `${r.at}-${r.toTier}-${r.source}`}
        dataSource={a.tierHistory}
        pagination={a.tierHistory.length > 5 ? { pageSize: 5, size: 'small' } : false}
        scroll={{ x: 480 }}
        columns={[
          { title: t('common.at'), dataIndex: 'at', width: 100, render: (v: string) => formatDate(v) },
          {
            title: `${t('a360.from')} → ${t('a360.to')}`,
            key: 'change',
            width: 100,
            render: (_, r) => (
              <span>
                {r.fromTier ?? '—'} → <b>{r.toTier}</b>
              </span>
            ),
          },
          { title: t('a360.source'), dataIndex: 'source', width: 100, render: (v: string) => label('tierSource', v) },
          {
            title: t('common.reason'),
            dataIndex: 'reason',
            render: (v: string | null, r) =>
              v ?? (r.valueScore !== null ? `${t('a360.valueScore')} ${r.valueScore} / ${t('a360.potentialScore')} ${r.potentialScore}` : '—'),
          },
          { title: t('common.by'), dataIndex: 'actorName', width: 90, render: (v: string | null) => v ?? '—' },
        ]}
      />
      <OverrideModal a={a} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}

// ---------------------------------------------------------------- stage

function StageMoveModal({ a, open, onClose }: { a: Account360; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useEnum();
  const { message } = App.useApp();
  const [to, setTo] = useState<StageMoveBody['to'] | undefined>(a.allowedNextStages[0] as StageMoveBody['to'] | undefined);
  const [note, setNote] = useState('');
  const m = useMoveStage(a.id);
  const submit = async () => {
    if (!to) return;
    try {
      await m.mutateAsync({ to, ...(note.trim() ? { note: note.trim() } : {}) });
      message.success(t('a360.stageMoved', { stage: label('stage', to) }));
      setNote('');
      onClose();
    } catch {
      /* shown below */
    }
  };
  return (
    <Modal
      open={open}
      title={t('a360.moveStageTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={m.isPending} disabled={!to} onClick={() => void submit()} data-testid="stage-move-confirm">
          {t('common.confirm')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <div>
          {t('a360.stage')}: <StageTag stage={a.stage} /> → {t('a360.nextStage')}
        </div>
        <Radio.Group value={to} onChange={(e) => setTo(e.target.value)} data-testid="stage-move-select">
          {a.allowedNextStages.map((s) => (
            <Radio.Button key={s} value={s} data-testid={`stage-option-${s}`}>
              {label('stage', s)}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('a360.stageNote')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="stage-move-note"
        />
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Space>
    </Modal>
  );
}

function StageCard({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const current = stages.indexOf(a.stage as (typeof stages)[number]);
  return (
    <Card
      title={t('a360.stage')}
      size="small"
      extra={
        can('accounts.stage') &&
        a.allowedNextStages.length > 0 && (
          <Button size="small" type="primary" onClick={() => setOpen(true)} data-testid="stage-move">
            {t('a360.moveStage')}
          </Button>
        )
      }
    >
      <Steps
        size="small"
        current={current}
        status={a.stage === 'churn' ? 'error' : 'process'}
        items={stages.map((s) => ({ title: label('stage', s) }))}
        style={{ marginBottom: 16 }}
        titlePlacement="vertical"
        responsive={false}
      />
      <Typography.Paragraph type="secondary">
        <StageTag stage={a.stage} /> {t('a360.daysInStage', { count: a.daysInStage })}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        {t('a360.stageTimeline')}
      </Typography.Text>
      <div data-testid="stage-timeline">
        {a.stageTimeline.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('a360.noStageHistory')} />
        ) : (
          <Timeline
            items={[...a.stageTimeline].reverse().map((s, i) => ({
              key: `${s.at}-${i}`,
              color: s.toStage === 'churn' ? 'red' : i === 0 ? 'blue' : 'gray',
              content: (
                <div data-testid="stage-timeline-item">
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {formatDateTime(s.at)}
                  </Typography.Text>
                  {s.fromStage ? `${label('stage', s.fromStage)} → ` : ''}
                  <b>{label('stage', s.toStage)}</b>
                  {s.actorName && <Typography.Text type="secondary"> · {s.actorName}</Typography.Text>}
                  {s.note && <div style={{ color: 'rgba(0,0,0,.65)' }}>{s.note}</div>}
                </div>
              ),
            }))}
          />
        )}
      </div>
      <StageMoveModal key={a.stage} a={a} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}

// ---------------------------------------------------------------- ladder

function LadderCard({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<LadderMoveBody>();
  const current = ladders.indexOf(a.ladder as (typeof ladders)[number]);
  const m = useMoveLadder(a.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync({ to: v.to, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) });
      message.success(t('a360.ladderMoved', { level: label('ladder', v.to) }));
      setOpen(false);
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  const next = ladders[current + 1];
  return (
    <Card
      title={t('a360.ladder')}
      size="small"
      extra={
        can('accounts.ladder') && (
          <Button size="small" onClick={() => setOpen(true)} data-testid="ladder-move">
            {t('a360.moveLadder')}
          </Button>
        )
      }
    >
      <Steps
        size="small"
        current={current}
        items={ladders.map((l) => ({ title: label('ladder', l) }))}
        style={{ marginBottom: 16 }}
        titlePlacement="vertical"
        responsive={false}
      />
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        {t('a360.ladderHistory')}
      </Typography.Text>
      {a.ladderHistory.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('a360.noLadderHistory')} />
      ) : (
        <Timeline
          items={[...a.ladderHistory].reverse().map((h, i) => {
            const down = h.fromLevel && ladders.indexOf(h.toLevel as never) < ladders.indexOf(h.fromLevel as never);
            return {
              key: `${h.at}-${i}`,
              color: down ? 'red' : i === 0 ? 'blue' : 'gray',
              content: (
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {formatDateTime(h.at)}
                  </Typography.Text>
                  {h.fromLevel ? `${label('ladder', h.fromLevel)} → ` : ''}
                  <b>{label('ladder', h.toLevel)}</b>
                  {h.actorName && <Typography.Text type="secondary"> · {h.actorName}</Typography.Text>}
                  {h.reason && <div style={{ color: 'rgba(0,0,0,.65)' }}>{h.reason}</div>}
                </div>
              ),
            };
          })}
        />
      )}
      <Modal
        open={open}
        title={t('a360.moveLadder')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={m.isPending}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ to: next }}>
          <Form.Item name="to" label={t('a360.ladderTo')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={ladders.filter((l) => l !== a.ladder).map((l) => ({ value: l, label: label('ladder', l) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('a360.ladderReason')}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
          {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
        </Form>
      </Modal>
    </Card>
  );
}

// ---------------------------------------------------------------- team

const seats = [
  { key: 'sales', field: 'salesId', role: 'sales' },
  { key: 'delivery', field: 'deliveryId', role: 'delivery' },
  { key: 'afterSales', field: 'afterSalesId', role: 'after_sales' },
  { key: 'csm', field: 'csmId', role: 'csm' },
] as const;

function TeamCard({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Record<string, string | null>>();
  const users = useUsers(open);
  const m = useSaveTeam(a.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync({
        salesId: v.salesId ?? null,
        deliveryId: v.deliveryId ?? null,
        afterSalesId: v.afterSalesId ?? null,
        csmId: v.csmId ?? null,
      });
      message.success(t('a360.teamSaved'));
      setOpen(false);
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Card
      title={t('a360.team')}
      size="small"
      extra={
        can('accounts.team') && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="team-edit">
            {t('a360.editTeam')}
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }}
        items={seats.map((s) => ({
          key: s.key,
          label: label('seat', s.key),
          children: a.team[s.key]?.name ?? <Typography.Text type="secondary">{t('a360.unassigned')}</Typography.Text>,
        }))}
      />
      {a.teamGaps.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          style={{ marginTop: 8 }}
          title={
            <ul style={{ margin: 0, paddingInlineStart: 16 }}>
              {a.teamGaps.map((g) => (
                <li key={g}>{g}</li>
              ))}
            </ul>
          }
          data-testid="team-gaps"
        />
      ) : (
        <Typography.Text type="success">
          <CheckCircleOutlined /> {t('a360.teamComplete')}
        </Typography.Text>
      )}
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('a360.editTeam')}
        size={420}
        destroyOnHidden
        footer={
          <Flex justify="flex-end" gap={8}>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button type="primary" loading={m.isPending} onClick={() => void submit()} data-testid="team-save">
              {t('common.save')}
            </Button>
          </Flex>
        }
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ salesId: a.salesId, deliveryId: a.deliveryId, afterSalesId: a.afterSalesId, csmId: a.csmId }}
        >
          {seats.map((s) => (
            <Form.Item key={s.key} name={s.field} label={label('seat', s.key)}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={users.isLoading}
                placeholder={t('a360.unassigned')}
                options={(users.data ?? []).filter((u) => u.active && u.role === s.role).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          ))}
          {a.teamGaps.length > 0 && <Alert type="warning" showIcon title={a.teamGaps.join(' ')} />}
          {m.isError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={errorMessage(m.error)} />}
        </Form>
      </Drawer>
    </Card>
  );
}

// ---------------------------------------------------------------- the tab

export function OverviewTab({ a, onEditDetails }: { a: Account360; onEditDetails: () => void }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <GradingCard a={a} />
          <TeamCard a={a} />
          <AccountRobotsCard accountId={a.id} />
          <DetailsCard a={a} onEdit={onEditDetails} />
        </Space>
      </Col>
      <Col xs={24} xl={12}>
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <StageCard a={a} />
          <LadderCard a={a} />
          <Row gutter={16}>
            <Col span={12}>
              <HealthCard accountId={a.id} />
            </Col>
            <Col span={12}>
              <BudgetCard accountId={a.id} />
            </Col>
          </Row>
        </Space>
      </Col>
    </Row>
  );
}
