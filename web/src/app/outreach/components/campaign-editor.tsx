// A campaign's editor: name, channel, audience (segment rules, or a saved segment's; person tags and to-C stages),
// content with variables,
// its own cap and the schedule. Drafts only; saved from the version it was opened at (412 → reload offered).
import { Alert, App, Button, DatePicker, Flex, Form, Input, InputNumber, Radio, Select, Space, Switch, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { useSegments } from '../../accounts/api';
import { applyServerErrors } from '../../components/forms';
import { useEnumOptions } from '../../components/labels';
import { SegmentRules, useRuleFields } from '../../components/segment-rules';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { fromPicker, pickerNow, toPicker } from '../../format';
import { useSaveCampaign, type Campaign, type CampaignInput } from '../api';
import { toCStages, usePersonTags, type ToCStage } from '../people-api';

type FormValues = {
  name: string;
  channel: 'email' | 'portal';
  conditions: { field?: string; values?: string[] }[];
  contactIds: string[];
  personTags: string[];
  personStages: ToCStage[];
  subject: string;
  body: string;
  ownCap: boolean;
  capCount?: number;
  capDays?: number;
  scheduled: boolean;
  scheduledAt?: Dayjs | null;
};

const toForm = (c: Campaign): Record<string, unknown> => ({
  name: c.name,
  channel: c.channel,
  conditions: c.audience.conditions,
  contactIds: c.audience.contactIds,
  personTags: c.audience.personTags ?? [],
  personStages: c.audience.personStages ?? [],
  subject: c.subject,
  body: c.body,
  ownCap: !!c.cap,
  capCount: c.cap?.count ?? 1,
  capDays: c.cap?.days ?? 7,
  scheduled: !!c.scheduledAt,
  scheduledAt: c.scheduledAt ? toPicker(c.scheduledAt) : null,
});

const variables = ['name', 'account'] as const;

export function CampaignEditor({
  campaign,
  refetch,
  onSaved,
  onCancel,
}: {
  /** null: a new campaign */
  campaign: Campaign | null;
  refetch: () => Promise<{ data?: Campaign }>;
  onSaved: (c: { id: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const fields = useRuleFields();
  const segments = useSegments();
  const personTags = usePersonTags();
  const enumOptions = useEnumOptions();
  const save = useSaveCampaign(campaign?.id);
  const version = useSettingsVersion(form, campaign ?? undefined, refetch, toForm);
  const lastText = useRef<'subject' | 'body'>('body');

  const insert = (v: string) => {
    const f = lastText.current;
    form.setFieldValue(f, `${form.getFieldValue(f) ?? ''}{{${v}}}`);
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: CampaignInput & { version?: number } = {
      name: v.name.trim(),
      channel: v.channel,
      audience: {
        conditions: (v.conditions ?? []).filter((r) => r.field && r.values?.length).map((r) => ({ field: r.field!, values: r.values! })) as never,
        contactIds: v.contactIds ?? [],
        personTags: v.personTags ?? [],
        personStages: v.personStages ?? [],
      },
      subject: v.subject,
      body: v.body,
      cap: v.ownCap ? { count: v.capCount ?? 1, days: v.capDays ?? 7 } : null,
      scheduledAt: v.scheduled && v.scheduledAt ? fromPicker(v.scheduledAt) : null,
      ...(campaign ? { version: version.version } : {}),
    };
    try {
      const saved = await save.mutateAsync(body);
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (version.failed(e)) return;
      applyServerErrors(form, e, {
        'audience.conditions': 'conditions',
        audience: 'conditions',
        'audience.personTags': 'personTags',
        'audience.personStages': 'personStages',
        'cap.count': 'capCount',
        'cap.days': 'capDays',
      });
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      data-testid="campaign-editor"
      initialValues={
        campaign
          ? toForm(campaign)
          : {
              channel: 'email',
              conditions: [],
              contactIds: [],
              personTags: [],
              personStages: [],
              ownCap: false,
              capCount: 1,
              capDays: 7,
              scheduled: false,
              subject: '',
              body: '',
            }
      }
    >
      <StaleNotice {...version.notice} />
      <Form.Item name="name" label={t('or.edit.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={200} data-testid="campaign-name" />
      </Form.Item>
      <Form.Item name="channel" label={t('or.col.channel')} extra={t('or.edit.channelHint')}>
        <Radio.Group disabled={!!campaign} data-testid="campaign-channel">
          <Radio.Button value="email">{t('or.channel.email')}</Radio.Button>
          <Radio.Button value="portal">{t('or.channel.portal')}</Radio.Button>
        </Radio.Group>
      </Form.Item>

      <Typography.Text strong>{t('or.edit.audience')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('or.edit.audienceHint')}
      </Typography.Paragraph>
      <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
        <Select
          style={{ minWidth: 240 }}
          placeholder={t('or.edit.fromSegment')}
          loading={segments.isPending}
          options={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          onChange={(id) => {
            const s = segments.data?.find((x) => x.id === id);
            if (s)
              form.setFieldValue(
                'conditions',
                s.rules.map((r) => ({ field: r.field, values: [...r.values] })),
              );
          }}
          value={null}
          data-testid="campaign-segment"
        />
      </Flex>
      <SegmentRules form={form} name={['conditions']} fields={fields} required={false} />
      <Flex gap={16} wrap style={{ marginTop: 12 }}>
        <Form.Item name="personTags" label={t('or.edit.personTags')} style={{ flex: 1, minWidth: 240, marginBottom: 8 }}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('or.edit.anyTag')}
            loading={personTags.isPending}
            notFoundContent={t('or.edit.noPersonTags')}
            options={(personTags.data ?? []).map((x) => ({ value: x.tag, label: x.tag, count: x.count }))}
            optionRender={(o) => `${o.data.label} (${o.data.count})`}
            data-testid="campaign-person-tags"
          />
        </Form.Item>
        <Form.Item name="personStages" label={t('or.edit.personStages')} style={{ flex: 1, minWidth: 240, marginBottom: 8 }}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('or.edit.anyStage')}
            options={enumOptions('toCStage', toCStages)}
            data-testid="campaign-person-stages"
          />
        </Form.Item>
      </Flex>
      <Form.Item name="contactIds" hidden>
        <Select mode="multiple" />
      </Form.Item>

      <Form.Item
        name="subject"
        label={t('or.edit.subject')}
        style={{ marginTop: 16 }}
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input maxLength={300} onFocus={() => (lastText.current = 'subject')} data-testid="campaign-subject" />
      </Form.Item>
      <Form.Item name="body" label={t('or.edit.body')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input.TextArea rows={6} maxLength={20_000} onFocus={() => (lastText.current = 'body')} data-testid="campaign-body" />
      </Form.Item>
      <Space size={4} wrap style={{ marginTop: -12, marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('or.edit.variables')}</Typography.Text>
        {variables.map((v) => (
          <Button key={v} size="small" onClick={() => insert(v)}>
            {t(`or.edit.var.${v}`)}
          </Button>
        ))}
      </Space>

      <Flex gap={16} wrap>
        <Form.Item name="ownCap" label={t('or.edit.ownCap')} valuePropName="checked" extra={t('or.edit.ownCapHint')}>
          <Switch />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.ownCap !== b.ownCap}>
          {() =>
            form.getFieldValue('ownCap') ? (
              <Space align="baseline">
                <Form.Item name="capDays" label={t('or.edit.capDays')} rules={[{ required: true, message: t('common.required') }]}>
                  <InputNumber min={1} max={365} />
                </Form.Item>
                <Form.Item name="capCount" label={t('or.edit.capCount')} rules={[{ required: true, message: t('common.required') }]}>
                  <InputNumber min={1} max={100} />
                </Form.Item>
              </Space>
            ) : null
          }
        </Form.Item>
      </Flex>
      <Flex gap={16} wrap>
        <Form.Item name="scheduled" label={t('or.edit.schedule')} valuePropName="checked">
          <Switch checkedChildren={t('or.edit.later')} unCheckedChildren={t('or.now')} />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a, b) => a.scheduled !== b.scheduled}>
          {() =>
            form.getFieldValue('scheduled') ? (
              <Form.Item
                name="scheduledAt"
                label={t('or.col.scheduledAt')}
                extra={t('or.edit.scheduleHint')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <DatePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" minDate={pickerNow().startOf('day')} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </Flex>
      {save.isError && !version.notice.message && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 12 }} />}
      <Flex justify="flex-end" gap={8}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="campaign-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
