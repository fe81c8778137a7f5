import { Alert, Button, Card, DatePicker, Descriptions, Flex, Form, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { fromPicker } from '../../format';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDateTime } from '../../format';
import { useSlaPreview, type SlaPreview } from '../api';
import { useSd } from './labels';

const tiers = ['A', 'B', 'C', 'D', 'E'] as const;
const severities = ['critical', 'high', 'medium', 'low'] as const;
type Values = { openedAt: Dayjs; tier: (typeof tiers)[number]; severity: (typeof severities)[number]; pauses?: { range?: [Dayjs, Dayjs] }[] };

function ClockResult({ title, c }: { title: string; c: SlaPreview['firstResponse'] }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={1} bordered title={title} data-testid="sla-preview-clock">
      <Descriptions.Item label={t('fd.sla.target')}>{c.target}</Descriptions.Item>
      <Descriptions.Item label={t('fd.sla.dueAt')}>
        <Typography.Text strong data-testid="sla-preview-due">
          {c.dueAt ? formatDateTime(c.dueAt) : t('fd.sla.noDue')}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('fd.sla.warnAt')}>{c.warnAt ? formatDateTime(c.warnAt) : t('fd.sla.noDue')}</Descriptions.Item>
      <Descriptions.Item label={t('fd.sla.paused')}>{t('fd.sla.pausedMinutes', { count: c.pausedMinutes })}</Descriptions.Item>
    </Descriptions>
  );
}

/**
 * SLA 试算 on 设置 › SLA: opening time, tier, severity and pauses in → first-response and resolution deadlines
 * out, computed by the server with the tickets' own engine, calendar and policies (so a saved change shows here).
 */
export function SlaPreviewCard() {
  const { t } = useTranslation();
  const sd = useSd();
  const [form] = Form.useForm<Values>();
  const preview = useSlaPreview();
  const r = preview.data;

  const submit = (v: Values) =>
    preview.mutate({
      openedAt: fromPicker(v.openedAt),
      tier: v.tier,
      severity: v.severity,
      pauses: (v.pauses ?? [])
        .filter((p) => p.range?.[0] && p.range?.[1])
        .map((p) => ({ from: fromPicker(p.range![0]), to: fromPicker(p.range![1]) })),
    });

  return (
    <Card title={t('fd.sla.title')} style={{ marginBottom: 16 }} data-testid="sla-preview">
      <Typography.Paragraph type="secondary">{t('fd.sla.intro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" initialValues={{ tier: 'A', severity: 'medium', pauses: [] }} onFinish={submit}>
        <Flex gap={16} wrap>
          <Form.Item name="openedAt" label={t('fd.sla.openedAt')} rules={[{ required: true, message: t('fd.sla.required') }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="sla-preview-opened" />
          </Form.Item>
          <Form.Item name="tier" label={t('fd.sla.tier')}>
            <Select style={{ width: 100 }} options={tiers.map((x) => ({ value: x, label: x }))} />
          </Form.Item>
          <Form.Item name="severity" label={t('fd.sla.severity')}>
            <Select style={{ width: 140 }} options={severities.map((x) => ({ value: x, label: sd('severity', x) }))} />
          </Form.Item>
        </Flex>
        <Form.List name="pauses">
          {(fields, { add, remove }) => (
            <Form.Item label={t('fd.sla.pauses')}>
              <Space orientation="vertical">
                {fields.map((f) => (
                  <Space key={f.key}>
                    <Form.Item name={[f.name, 'range']} noStyle>
                      <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({})} disabled={fields.length >= 20}>
                  {t('fd.sla.addPause')}
                </Button>
              </Space>
            </Form.Item>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={preview.isPending} data-testid="sla-preview-run">
          {t('fd.sla.compute')}
        </Button>
      </Form>
      {preview.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={errorMessage(preview.error)} />}
      {r && (
        <div style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">{t('fd.sla.calendar', { name: r.calendar.name, zone: r.calendar.timezone })}</Typography.Paragraph>
          <Flex gap={16} wrap>
            <div style={{ flex: '1 1 280px' }}>
              <ClockResult title={t('fd.sla.firstResponse')} c={r.firstResponse} />
            </div>
            <div style={{ flex: '1 1 280px' }}>
              <ClockResult title={t('fd.sla.resolution')} c={r.resolution} />
            </div>
          </Flex>
        </div>
      )}
    </Card>
  );
}
