import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Form, Input, Modal, Progress, Rate, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../format';
import { useCan } from '../../session';
import { applyServerErrors } from '../../components/forms';
import { EmptyState } from '../../components/states';
import { useAssess, useBehaviour, useMetrics, useRecordFact, type AssessmentBody, type FactBody, type Metric } from '../api';
import { EChart } from './echart';

const metrics: Metric[] = ['closeness', 'solution_acceptance', 'price_acceptance'];
const aspects = ['budget_cycle', 'decision_process', 'procurement_habits', 'key_person_preferences'];

function AssessModal({ accountId, open, onClose }: { accountId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssessmentBody>();
  const m = useAssess(accountId);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync(v);
      message.success(t('kp.rel.saved'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Modal open={open} title={t('kp.rel.assess')} onCancel={onClose} onOk={() => void submit()} confirmLoading={m.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ metric: 'closeness', score: 3 }}>
        <Form.Item name="metric" label={t('kp.rel.assess')} rules={[{ required: true }]}>
          <Select options={metrics.map((x) => ({ value: x, label: t(`kp.metric.${x}`) }))} />
        </Form.Item>
        <Form.Item name="score" label={t('kp.rel.score')} rules={[{ required: true }]}>
          <Rate count={5} />
        </Form.Item>
        <Form.Item name="evidence" label={t('kp.rel.evidence')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FactModal({ accountId, open, onClose }: { accountId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FactBody>();
  const m = useRecordFact(accountId);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync(v);
      message.success(t('kp.rel.saved'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Modal open={open} title={t('kp.rel.behaviourTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={m.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ aspect: 'budget_cycle', source: 'private_visit' }}>
        <Form.Item name="aspect" label={t('kp.rel.behaviourTitle')} rules={[{ required: true }]}>
          <Select options={aspects.map((x) => ({ value: x, label: t(`kp.aspect.${x}` as 'kp.aspect.budget_cycle') }))} />
        </Form.Item>
        <Form.Item name="source" label={t('kp.rel.evidence')} rules={[{ required: true }]}>
          <Select options={['private_visit', 'meeting', 'portal'].map((x) => ({ value: x, label: t(`kp.source.${x}` as 'kp.source.meeting') }))} />
        </Form.Item>
        <Form.Item name="content" label={t('kp.rel.content')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The 关系 tab's metrics trend (with uplift) and the behaviour-pattern profile with its mastery. */
export function RelationshipMetrics({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const m = useMetrics(accountId);
  const b = useBehaviour(accountId);
  const [assessOpen, setAssessOpen] = useState(false);
  const [factOpen, setFactOpen] = useState(false);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 36, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: (m.data?.trend ?? []).map((p) => p.month) },
      yAxis: { type: 'value', min: 1, max: 5, interval: 1 },
      series: metrics.map((x) => ({
        name: t(`kp.metric.${x}`),
        type: 'line',
        step: 'end',
        connectNulls: false,
        data: (m.data?.trend ?? []).map((p) => p[x]),
      })),
    }),
    [m.data, t],
  );
  return (
    <Row gutter={16}>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={t('kp.rel.metricsTitle')}
          loading={m.isPending}
          extra={
            can('relationships.assess') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setAssessOpen(true)} data-testid="assess-add">
                {t('kp.rel.assess')}
              </Button>
            )
          }
          data-testid="relationship-metrics"
        >
          {m.data && m.data.items.length === 0 ? (
            <EmptyState text={t('kp.rel.noAssessments')} />
          ) : (
            <>
              <Space size={24} wrap>
                {metrics.map((x) => (
                  <Statistic
                    key={x}
                    title={`${t(`kp.metric.${x}`)} · ${t('kp.rel.upliftTitle')}`}
                    value={m.data?.uplift[x] ?? '—'}
                    prefix={(m.data?.uplift[x] ?? 0) > 0 ? '+' : undefined}
                  />
                ))}
              </Space>
              <EChart option={option} height={240} />
              <Table
                size="small"
                rowKey="id"
                pagination={{ pageSize: 5 }}
                dataSource={[...(m.data?.items ?? [])].reverse()}
                columns={[
                  { title: t('kp.rel.assessedOn'), dataIndex: 'assessedOn', width: 110, render: (v: string) => formatDate(v) },
                  { title: t('kp.rel.assess'), dataIndex: 'metric', render: (v: Metric) => t(`kp.metric.${v}`) },
                  { title: t('kp.rel.score'), dataIndex: 'score', width: 80 },
                  { title: t('kp.rel.evidence'), dataIndex: 'evidence', ellipsis: true },
                  { title: t('kp.rel.assessor'), dataIndex: 'assessorName', width: 100 },
                ]}
              />
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card
          size="small"
          title={t('kp.rel.behaviourTitle')}
          loading={b.isPending}
          extra={
            can('relationships.assess') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setFactOpen(true)}>
                {t('kp.rel.addFact')}
              </Button>
            )
          }
          data-testid="behaviour-profile"
        >
          {b.data && (
            <>
              <Space size={24}>
                <Statistic title={t('kp.rel.mastery')} value={b.data.mastery} suffix="/ 100" />
                <Statistic title={t('kp.rel.completeness')} value={b.data.completeness} suffix="%" />
                <Statistic title={t('kp.rel.change90d')} value={b.data.change90d} prefix={b.data.change90d > 0 ? '+' : undefined} />
              </Space>
              {b.data.aspects.map((a) => (
                <div key={a.aspect} style={{ marginTop: 10 }}>
                  <Typography.Text strong>{t(`kp.aspect.${a.aspect}` as 'kp.aspect.budget_cycle')}</Typography.Text>
                  <Progress percent={a.freshness} size="small" showInfo={false} />
                  {a.latest ? (
                    <Typography.Paragraph style={{ margin: 0 }} type="secondary">
                      {a.latest.content} <Tag>{t(`kp.source.${a.latest.source}` as 'kp.source.meeting')}</Tag> {formatDate(a.latest.learnedOn)}
                    </Typography.Paragraph>
                  ) : (
                    <Typography.Text type="secondary">{t('kp.rel.unknown')}</Typography.Text>
                  )}
                </div>
              ))}
            </>
          )}
        </Card>
      </Col>
      <AssessModal accountId={accountId} open={assessOpen} onClose={() => setAssessOpen(false)} />
      <FactModal accountId={accountId} open={factOpen} onClose={() => setFactOpen(false)} />
    </Row>
  );
}
